package xport

import (
	"bufio"
	"encoding/binary"
	"fmt"
	"io"
	"strings"
	"time"
	"unicode/utf8"
)

// WriteOptions configures Write.
type WriteOptions struct {
	// Encoding of names, labels and character values; UTF8 writes strings
	// as they are, Latin1 converts them (a character above U+00FF is an
	// error).
	Encoding Encoding
	// Created is the timestamp written in the headers. The zero value
	// writes 01JAN60:00:00:00, so that the same tables give the same bytes.
	Created time.Time
	// SASVersion and OS are written in the headers; "" writes "9.4" and
	// "ketcurve".
	SASVersion, OS string
}

// Write writes tables as an XPORT version 5 file (TS-140), one member per
// table, in order — the format FDA submissions accept. For each table:
//
//   - the member name and the variable names are 1–8 bytes of letters,
//     digits and underscores, not starting with a digit, and variable names
//     are unique without regard to case;
//   - labels are at most 40 bytes, format and informat names at most 8;
//   - a numeric column has Float and, optionally, Missing (nil: no missing
//     values); a NaN whose Missing is Present is an error, so is ±Inf; its
//     Length is 8 (0 means 8) or 3–7 to store only the leading bytes of
//     the IBM number, as SAS does;
//   - a character column has String; its Length is 1–200 bytes, 0 meaning
//     the longest encoded value (at least 1); a longer value is an error,
//     trailing blanks are not significant (SAS pads with blanks).
//
// Numbers are converted to IBM floating point exactly (any double whose
// magnitude is between about 5.4e-79 and 7.2e75, or zero). Errors name the
// member, the variable and the 1-based observation. Nothing is written
// when a table is invalid: all tables are checked first.
func Write(w io.Writer, tables []*Table, opt WriteOptions) error {
	enc := writer{opt: opt}
	plans := make([]*memberPlan, len(tables))
	for i, t := range tables {
		p, err := enc.plan(t)
		if err != nil {
			return err
		}
		plans[i] = p
	}
	bw := bufio.NewWriter(w)
	enc.w = bw
	enc.library()
	for _, p := range plans {
		if err := enc.member(p); err != nil {
			return err
		}
	}
	return bw.Flush()
}

type writer struct {
	opt WriteOptions
	w   *bufio.Writer
}

// memberPlan is a checked table with its encoded names and layout.
type memberPlan struct {
	t       *Table
	name    string
	label   []byte
	labels  [][]byte
	lengths []int
	obsLen  int
}

func (e *writer) encode(s string) ([]byte, bool) {
	if e.opt.Encoding != Latin1 {
		return []byte(s), utf8.ValidString(s)
	}
	b := make([]byte, 0, len(s))
	for _, r := range s {
		if r > 0xff {
			return nil, false
		}
		b = append(b, byte(r))
	}
	return b, true
}

// encodedLen returns the length of s in the chosen encoding and whether it
// can be encoded.
func (e *writer) encodedLen(s string) (int, bool) {
	if e.opt.Encoding != Latin1 {
		return len(s), utf8.ValidString(s)
	}
	b, ok := e.encode(s)
	return len(b), ok
}

func validName(s string) bool {
	if s == "" || len(s) > 8 || (s[0] >= '0' && s[0] <= '9') {
		return false
	}
	for _, c := range []byte(s) {
		if !(c == '_' || c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9') {
			return false
		}
	}
	return true
}

func werr(member, variable, format string, args ...any) error {
	where := "member " + member
	if variable != "" {
		where += ", variable " + variable
	}
	return fmt.Errorf("xport: write %s: %s", where, fmt.Sprintf(format, args...))
}

// plan checks a table and computes the layout of its observations.
func (e *writer) plan(t *Table) (*memberPlan, error) {
	if !validName(t.Name) {
		return nil, werr(t.Name, "", "the member name must be 1-8 letters, digits or underscores, not starting with a digit")
	}
	p := &memberPlan{t: t, name: strings.ToUpper(t.Name), lengths: make([]int, len(t.Columns)), labels: make([][]byte, len(t.Columns))}
	var ok bool
	if p.label, ok = e.encode(t.Label); !ok || len(p.label) > 40 {
		return nil, werr(t.Name, "", "the dataset label must be at most 40 bytes in %v", e.opt.Encoding)
	}
	seen := map[string]bool{}
	for j := range t.Columns {
		c := &t.Columns[j]
		if !validName(c.Name) || seen[strings.ToUpper(c.Name)] {
			return nil, werr(t.Name, c.Name, "variable names must be unique and 1-8 letters, digits or underscores, not starting with a digit")
		}
		seen[strings.ToUpper(c.Name)] = true
		if p.labels[j], ok = e.encode(c.Label); !ok || len(p.labels[j]) > 40 {
			return nil, werr(t.Name, c.Name, "the label must be at most 40 bytes in %v", e.opt.Encoding)
		}
		if len(c.Format.Name) > 8 || len(c.Informat.Name) > 8 {
			return nil, werr(t.Name, c.Name, "format and informat names must be at most 8 bytes")
		}
		n, err := e.checkColumn(t, c)
		if err != nil {
			return nil, err
		}
		p.lengths[j] = n
		p.obsLen += n
	}
	return p, nil
}

// checkColumn checks a column's values and returns its length.
func (e *writer) checkColumn(t *Table, c *Column) (int, error) {
	switch c.Type {
	case Numeric:
		if len(c.Float) != t.Rows || (c.Missing != nil && len(c.Missing) != t.Rows) {
			return 0, werr(t.Name, c.Name, "the column has %d values (%d missing kinds) for %d rows", len(c.Float), len(c.Missing), t.Rows)
		}
		n := c.Length
		if n == 0 {
			n = 8
		}
		if n < 3 || n > 8 {
			return 0, werr(t.Name, c.Name, "a numeric length must be 3 to 8 bytes, not %d", n)
		}
		for i, v := range c.Float {
			if c.Missing != nil && c.Missing[i] != Present {
				if _, ok := missingKind(byte(c.Missing[i])); !ok {
					return 0, werr(t.Name, c.Name, "observation %d: %q is not a SAS missing value", i+1, byte(c.Missing[i]))
				}
				continue
			}
			if _, err := floatToIBM(v); err != nil {
				return 0, werr(t.Name, c.Name, "observation %d: %v is %v", i+1, v, err)
			}
		}
		return n, nil
	case Char:
		if len(c.String) != t.Rows {
			return 0, werr(t.Name, c.Name, "the column has %d values for %d rows", len(c.String), t.Rows)
		}
		longest := 1
		for i, s := range c.String {
			n, ok := e.encodedLen(strings.TrimRight(s, " "))
			if !ok {
				return 0, werr(t.Name, c.Name, "observation %d: the value cannot be written in %v", i+1, e.opt.Encoding)
			}
			longest = max(longest, n)
			if c.Length > 0 && n > c.Length {
				return 0, werr(t.Name, c.Name, "observation %d: the value has %d bytes, more than the length %d", i+1, n, c.Length)
			}
		}
		n := c.Length
		if n == 0 {
			n = longest
		}
		if n > 200 {
			return 0, werr(t.Name, c.Name, "a character variable of version 5 has at most 200 bytes, not %d", n)
		}
		return n, nil
	}
	return 0, werr(t.Name, c.Name, "the column type is %v", c.Type)
}

func (e *writer) pad(s string, n int) {
	e.w.WriteString(s)
	for k := len(s); k < n; k++ {
		e.w.WriteByte(' ')
	}
}

func (e *writer) header(name, numbers string) {
	e.w.WriteString(headerPrefix)
	e.pad(name, 8)
	e.w.WriteString(headerSuffix)
	e.pad(numbers, 32)
}

func (e *writer) stamp() string {
	t := e.opt.Created
	if t.IsZero() {
		t = sasEpoch
	}
	return strings.ToUpper(t.Format("02Jan06:15:04:05"))
}

func (e *writer) release() (string, string) {
	v, os := e.opt.SASVersion, e.opt.OS
	if v == "" {
		v = "9.4"
	}
	if os == "" {
		os = "ketcurve"
	}
	return v, os
}

func (e *writer) library() {
	v, os := e.release()
	e.header("LIBRARY", strings.Repeat("0", 30))
	e.pad("SAS", 8)
	e.pad("SAS", 8)
	e.pad("SASLIB", 8)
	e.pad(v, 8)
	e.pad(os, 8)
	e.pad("", 24)
	e.w.WriteString(e.stamp())
	e.pad(e.stamp(), 80)
}

func put16(b []byte, v int) { binary.BigEndian.PutUint16(b, uint16(v)) }

// member writes one member: headers, NAMESTRs and observations.
func (e *writer) member(p *memberPlan) error {
	v, os := e.release()
	e.header("MEMBER", "000000000000000001600000000140")
	e.header("DSCRPTR", strings.Repeat("0", 30))
	e.pad("SAS", 8)
	e.pad(p.name, 8)
	e.pad("SASDATA", 8)
	e.pad(v, 8)
	e.pad(os, 8)
	e.pad("", 24)
	e.w.WriteString(e.stamp())
	e.pad(e.stamp(), 32)
	e.pad(string(p.label), 40)
	e.pad(p.t.Type, 8)
	e.header("NAMESTR", fmt.Sprintf("000000%04d00000000000000000000", len(p.t.Columns)))
	pos := 0
	for j := range p.t.Columns {
		e.w.Write(namestrBytes(&p.t.Columns[j], j, p.lengths[j], pos, p.labels[j]))
		pos += p.lengths[j]
	}
	e.pad("", (recLen-len(p.t.Columns)*140%recLen)%recLen)
	e.header("OBS", strings.Repeat("0", 30))
	return e.observations(p)
}

// namestrBytes returns the 140-byte NAMESTR of column c.
func namestrBytes(c *Column, j, length, pos int, label []byte) []byte {
	b := make([]byte, 140)
	put16(b[0:2], int(c.Type))
	put16(b[4:6], length)
	put16(b[6:8], j+1)
	copy(b[8:16], fmt.Sprintf("%-8s", strings.ToUpper(c.Name)))
	copy(b[16:56], fmt.Sprintf("%-40s", label))
	copy(b[56:64], fmt.Sprintf("%-8s", c.Format.Name))
	put16(b[64:66], c.Format.Width)
	put16(b[66:68], c.Format.Decimals)
	copy(b[72:80], fmt.Sprintf("%-8s", c.Informat.Name))
	put16(b[80:82], c.Informat.Width)
	put16(b[82:84], c.Informat.Decimals)
	binary.BigEndian.PutUint32(b[84:88], uint32(pos))
	return b
}

// observations writes the rows and the blank padding of the last record.
func (e *writer) observations(p *memberPlan) error {
	row := make([]byte, p.obsLen)
	for i := 0; i < p.t.Rows; i++ {
		at := 0
		for j := range p.t.Columns {
			c := &p.t.Columns[j]
			cell := row[at : at+p.lengths[j]]
			at += p.lengths[j]
			if c.Type == Char {
				s := strings.TrimRight(c.String[i], " ")
				var n int
				if e.opt.Encoding == Latin1 {
					b, _ := e.encode(s)
					n = copy(cell, b)
				} else {
					n = copy(cell, s)
				}
				for k := n; k < len(cell); k++ {
					cell[k] = ' '
				}
				continue
			}
			var ibm [8]byte
			if c.Missing != nil && c.Missing[i] != Present {
				ibm[0] = byte(c.Missing[i])
			} else {
				ibm, _ = floatToIBM(c.Float[i])
			}
			copy(cell, ibm[:])
		}
		if _, err := e.w.Write(row); err != nil {
			return err
		}
	}
	e.pad("", (recLen-p.t.Rows*p.obsLen%recLen)%recLen)
	return nil
}
