package xport

import (
	"errors"
	"fmt"
	"strings"
)

// Sentinel errors, for callers that branch on the kind of problem
// (errors.Is). Every error returned by Decode and ReadFile is an *Error that
// wraps one of them.
var (
	// ErrNotXPORT: the bytes are not a SAS XPORT transport file.
	ErrNotXPORT = errors.New("not a SAS XPORT transport file")
	// ErrCPORT: the file is a SAS CPORT transport file (PROC CPORT), a
	// different, undocumented format.
	ErrCPORT = errors.New("a SAS CPORT file, not XPORT")
	// ErrTruncated: the file ends inside a header, a NAMESTR or an observation.
	ErrTruncated = errors.New("file is truncated")
	// ErrMalformed: a header record or a variable description is invalid.
	ErrMalformed = errors.New("malformed XPORT file")
	// ErrEncoding: character data that is not valid in the chosen encoding.
	ErrEncoding = errors.New("invalid character data")
	// ErrMember: the member asked for is absent, or the file has several
	// members and none was asked for.
	ErrMember = errors.New("member not chosen")
	// ErrLimit: a declared count or length exceeds a documented limit.
	ErrLimit = errors.New("limit exceeded")
)

// Error is a problem found while decoding an XPORT file: where it is and
// what is wrong.
type Error struct {
	Offset   int64  // byte offset in the file (0-based) where the problem is
	Member   string // member (dataset) name, "" before the member header is read
	Variable string // variable name, "" when the problem is not about one variable
	Err      error  // one of the sentinel errors above
	Reason   string // what is wrong and, where it helps, how to fix it
}

// Error formats the error as
//
//	xport: byte 1234 (member ADTTE, variable AVAL): reason
func (e *Error) Error() string {
	var where []string
	if e.Member != "" {
		where = append(where, "member "+e.Member)
	}
	if e.Variable != "" {
		where = append(where, "variable "+e.Variable)
	}
	loc := fmt.Sprintf("byte %d", e.Offset)
	if len(where) > 0 {
		loc += " (" + strings.Join(where, ", ") + ")"
	}
	return "xport: " + loc + ": " + e.Reason
}

// Unwrap returns the sentinel error.
func (e *Error) Unwrap() error { return e.Err }
