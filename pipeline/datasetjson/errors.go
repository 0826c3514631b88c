package datasetjson

import (
	"errors"
	"fmt"
	"strings"
)

// Sentinel errors, for callers that branch on the kind of problem
// (errors.Is). Every error of Read and ReadFile other than an I/O error is
// an *Error wrapping one of them.
var (
	// ErrSyntax: the input is not valid JSON.
	ErrSyntax = errors.New("invalid JSON")
	// ErrVersion: the file is not Dataset-JSON version 1.1.
	ErrVersion = errors.New("unsupported Dataset-JSON version")
	// ErrMetadata: a required attribute is absent or a metadata value is invalid.
	ErrMetadata = errors.New("invalid Dataset-JSON metadata")
	// ErrType: a value is not of the JSON type its column's dataType requires.
	ErrType = errors.New("value of the wrong type")
	// ErrShape: a row has too few or too many values, or the number of rows
	// differs from "records".
	ErrShape = errors.New("rows do not match the columns")
	// ErrLimit: more columns than MaxColumns.
	ErrLimit = errors.New("limit exceeded")
)

// Error is a problem found while reading a Dataset-JSON file.
type Error struct {
	Offset int64 // byte offset (0-based) of the problem in the input
	// Line and Column are the 1-based line and column (in bytes) of Offset;
	// ReadFile sets them, Read leaves them 0.
	Line, Column int
	Row          int    // 1-based data row, 0 for the metadata
	Variable     string // the dataset column's name, "" when not about one column
	Err          error  // one of the sentinel errors
	Reason       string // what is wrong and, where it helps, how to fix it
}

// Error formats the error as
//
//	datasetjson: line 12, column 40 (byte 1234), row 11, column AVAL: reason
//
// leaving out what is not known.
func (e *Error) Error() string {
	var where []string
	if e.Line > 0 {
		where = append(where, fmt.Sprintf("line %d, column %d (byte %d)", e.Line, e.Column, e.Offset))
	} else {
		where = append(where, fmt.Sprintf("byte %d", e.Offset))
	}
	if e.Row > 0 {
		where = append(where, fmt.Sprintf("row %d", e.Row))
	}
	if e.Variable != "" {
		where = append(where, "column "+e.Variable)
	}
	return "datasetjson: " + strings.Join(where, ", ") + ": " + e.Reason
}

// Unwrap returns the sentinel error.
func (e *Error) Unwrap() error { return e.Err }
