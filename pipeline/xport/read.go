package xport

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Encoding is the character encoding of names, labels and character values.
type Encoding uint8

// Encodings.
const (
	// UTF8 (the default): bytes must be valid UTF-8, else Decode returns an
	// error naming the byte offset and the variable.
	UTF8 Encoding = iota
	// Latin1 (ISO 8859-1, SAS's "latin1"): every byte is one character,
	// converted to UTF-8; never an error.
	Latin1
)

// String returns "UTF-8" or "latin1".
func (e Encoding) String() string {
	if e == Latin1 {
		return "latin1"
	}
	return "UTF-8"
}

// Options configures Decode.
type Options struct {
	// Member names the member (dataset) to decode, compared without regard
	// to case. "" accepts a file with exactly one member; with several, the
	// error lists their names.
	Member string
	// Encoding of text; the zero value is UTF8.
	Encoding Encoding
}

// Limits on what a file may declare. They bound the memory Decode uses
// beyond the file itself, whatever the header says: at most a few bytes of
// column metadata per byte of NAMESTR, and per observation one float64 and
// one Missing per numeric variable and one string header per character
// variable (so at most about 16 times the size of the observation section,
// for one-byte character variables).
const (
	MaxVariables  = 32767 // variables per member (SAS's limit for XPORT)
	MaxCharLength = 32767 // bytes of a character variable (SAS's limit)
)

const (
	recLen       = 80
	headerPrefix = "HEADER RECORD*******"
	headerSuffix = "HEADER RECORD!!!!!!!"
)

// ReadFile reads and decodes the XPORT file at path. Errors are prefixed
// with the path.
func ReadFile(path string, opt Options) (*Table, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	t, err := Decode(data, opt)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return t, nil
}

// Read reads all of r and decodes it (see Decode).
func Read(r io.Reader, opt Options) (*Table, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, err
	}
	return Decode(data, opt)
}

// Decode decodes one member of an XPORT file, chosen by opt.Member.
// The error is an *Error (byte offset, member, variable, reason) wrapping
// one of the sentinel errors.
func Decode(data []byte, opt Options) (*Table, error) {
	d := decoder{data: data, enc: opt.Encoding}
	members, err := d.members()
	if err != nil {
		return nil, err
	}
	m, err := choose(members, opt.Member)
	if err != nil {
		return nil, err
	}
	if err := d.observations(m); err != nil {
		return nil, err
	}
	return m.table, nil
}

// DecodeAll decodes every member of an XPORT file, in file order
// (opt.Member is ignored).
func DecodeAll(data []byte, opt Options) ([]*Table, error) {
	d := decoder{data: data, enc: opt.Encoding}
	members, err := d.members()
	if err != nil {
		return nil, err
	}
	out := make([]*Table, len(members))
	for i, m := range members {
		if err := d.observations(m); err != nil {
			return nil, err
		}
		out[i] = m.table
	}
	return out, nil
}

// Members returns the names of the members of an XPORT file, in file order,
// reading only the headers (opt.Encoding decodes the names).
func Members(data []byte, opt Options) ([]string, error) {
	d := decoder{data: data, enc: opt.Encoding}
	members, err := d.members()
	if err != nil {
		return nil, err
	}
	names := make([]string, len(members))
	for i, m := range members {
		names[i] = m.table.Name
	}
	return names, nil
}

// choose picks the member named name ("" for the only one).
func choose(members []*member, name string) (*member, error) {
	var names []string
	for _, m := range members {
		if name != "" && strings.EqualFold(m.table.Name, name) {
			return m, nil
		}
		names = append(names, m.table.Name)
	}
	if name == "" && len(members) == 1 {
		return members[0], nil
	}
	list := strings.Join(names, ", ")
	if name == "" {
		return nil, &Error{Err: ErrMember, Reason: fmt.Sprintf("the file has %d members (%s): choose one by name", len(members), list)}
	}
	return nil, &Error{Err: ErrMember, Reason: fmt.Sprintf("no member %q: the file has %s", name, list)}
}

// decoder holds the file being decoded.
type decoder struct {
	data    []byte
	enc     Encoding
	version int    // 5 or 8
	member  string // the member being read, for errors
}

// member is a member's metadata and where its observations are.
type member struct {
	table     *Table
	obsStart  int // offset of the first observation byte
	obsEnd    int // offset of the next member header, or len(data)
	obsLength int // bytes per observation
	headerAt  int // offset of the member header, for errors
}

func (d *decoder) errorf(off int, variable string, sentinel error, format string, args ...any) *Error {
	return &Error{Offset: int64(off), Member: d.member, Variable: variable, Err: sentinel, Reason: fmt.Sprintf(format, args...)}
}

// record returns the 80-byte record at off.
func (d *decoder) record(off int, what string) ([]byte, error) {
	if off+recLen > len(d.data) {
		return nil, d.errorf(off, "", ErrTruncated, "the file ends %d bytes into the %s record, which has 80 bytes", len(d.data)-off, what)
	}
	return d.data[off : off+recLen], nil
}

// headerName returns the name of the header record rec ("LIBRARY",
// "MEMBV8", …) and whether rec is a header record.
func headerName(rec []byte) (string, bool) {
	if len(rec) < recLen || string(rec[:20]) != headerPrefix || string(rec[28:48]) != headerSuffix {
		return "", false
	}
	return strings.TrimRight(string(rec[20:28]), " "), true
}

// expectHeader checks that the record at off is the header record named
// v5name (version 5) or v8name (version 8).
func (d *decoder) expectHeader(off int, v5name, v8name string) ([]byte, error) {
	want := v5name
	if d.version == 8 {
		want = v8name
	}
	rec, err := d.record(off, want+" header")
	if err != nil {
		return nil, err
	}
	name, ok := headerName(rec)
	if !ok || name != want {
		return nil, d.errorf(off, "", ErrMalformed, "expected the %s header record %q, found %q", want, headerPrefix+fmt.Sprintf("%-8s", want)+headerSuffix, printable(rec[:48]))
	}
	return rec, nil
}

// members reads the library header and every member's metadata.
func (d *decoder) members() ([]*member, error) {
	if err := d.library(); err != nil {
		return nil, err
	}
	var out []*member
	for off := 3 * recLen; off < len(d.data); {
		m, err := d.readMember(off)
		if err != nil {
			return nil, err
		}
		out = append(out, m)
		off = m.obsEnd
	}
	if len(out) == 0 {
		return nil, d.errorf(len(d.data), "", ErrTruncated, "the file has a library header but no member")
	}
	return out, nil
}

// library checks the first three records and sets the version.
func (d *decoder) library() error {
	if err := sniff(d.data); err != nil {
		return err
	}
	if len(d.data) < recLen {
		head := d.data[:min(len(d.data), 48)]
		if !bytes.HasPrefix([]byte(headerPrefix+"LIBRARY "+headerSuffix), head) && !bytes.HasPrefix([]byte(headerPrefix+"LIBV8   "+headerSuffix), head) {
			return d.errorf(0, "", ErrNotXPORT, "the file (%d bytes) is not an XPORT file: it does not start with a library header", len(d.data))
		}
	}
	rec, err := d.record(0, "library header")
	if err != nil {
		return err
	}
	switch name, _ := headerName(rec); name {
	case "LIBRARY":
		d.version = 5
	case "LIBV8":
		d.version = 8
	default:
		return d.errorf(0, "", ErrNotXPORT, "the first record is not an XPORT library header (%q or %q)", headerPrefix+"LIBRARY "+headerSuffix, headerPrefix+"LIBV8   "+headerSuffix)
	}
	if _, err := d.record(recLen, "first real header"); err != nil {
		return err
	}
	_, err = d.record(2*recLen, "second real header")
	return err
}

// sniff recognizes files that are not XPORT and says what they are.
func sniff(data []byte) error {
	head := data[:min(len(data), 512)]
	switch {
	case bytes.HasPrefix(head, []byte("**COMPRESSED**")) || bytes.Contains(head, []byte("LIB CONTROL")):
		return &Error{Err: ErrCPORT, Reason: "this is a SAS CPORT transport file (PROC CPORT), which cannot be read: " +
			"export the dataset with the XPORT engine (LIBNAME x XPORT \"file.xpt\"; PROC COPY) or %LOC2XPT, or as Dataset-JSON or CSV"}
	case len(data) >= 32 && bytes.Equal(data[12:16], []byte{0xc2, 0xea, 0x81, 0x60}):
		return &Error{Err: ErrNotXPORT, Reason: "this is a SAS7BDAT dataset, not an XPORT transport file: export it with the XPORT engine or as Dataset-JSON or CSV"}
	case len(data) == 0:
		return &Error{Err: ErrNotXPORT, Reason: "the file is empty"}
	}
	return nil
}

// printable returns b as text with non-printable bytes escaped, for messages.
func printable(b []byte) string {
	s := strconv.QuoteToASCII(string(b))
	return s[1 : len(s)-1]
}

// number parses the decimal digits of a header field (blanks around are
// allowed; an empty field is 0).
func (d *decoder) number(off int, field []byte, what string) (int, error) {
	s := strings.TrimSpace(string(field))
	if s == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 {
		return 0, d.errorf(off, "", ErrMalformed, "the %s %q is not a number", what, printable(field))
	}
	return n, nil
}

// text decodes a fixed-width text field: trailing blanks and NULs removed,
// converted from the chosen encoding. bad is the offset of the first
// invalid byte, -1 when the text is valid.
func (d *decoder) text(b []byte) (s string, bad int) {
	b = trimBlank(b)
	if d.enc == Latin1 {
		return latin1(b), -1
	}
	if !utf8.Valid(b) {
		return "", invalidAt(b)
	}
	return string(b), -1
}

// field decodes a header text field at off, reporting invalid text.
func (d *decoder) field(off int, b []byte, variable, what string) (string, error) {
	s, bad := d.text(b)
	if bad >= 0 {
		return "", d.errorf(off+bad, variable, ErrEncoding, "the %s is not valid UTF-8 (byte 0x%02x): read the file with the latin1 encoding if it was written in latin1", what, b[bad])
	}
	return s, nil
}

// latin1 converts ISO 8859-1 bytes to a UTF-8 string.
func latin1(b []byte) string {
	ascii := true
	for _, c := range b {
		if c >= 0x80 {
			ascii = false
			break
		}
	}
	if ascii {
		return string(b)
	}
	r := make([]rune, len(b))
	for i, c := range b {
		r[i] = rune(c)
	}
	return string(r)
}

// invalidAt returns the index of the first byte of b that is not part of a
// valid UTF-8 sequence.
func invalidAt(b []byte) int {
	for i := 0; i < len(b); {
		r, size := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && size <= 1 {
			return i
		}
		i += size
	}
	return -1
}

func be16(b []byte) int { return int(binary.BigEndian.Uint16(b)) }
