package datasetjson

import (
	"encoding/json"
	"fmt"
	"unicode/utf8"
)

// Rows are read one at a time with json.Decoder.Decode into a reused
// json.RawMessage — the decoder checks the syntax and streams — and the
// row's bytes are then scanned here without allocating per value (strings
// excepted, when they differ from the previous row's).

// kind is the JSON type of a scalar value.
type kind uint8

const (
	kindNull kind = iota
	kindString
	kindNumber
	kindBool
	kindArray
	kindObject
)

// value is one scanned value of a row.
type value struct {
	kind    kind
	raw     []byte // a number's text, or a string's bytes between the quotes
	str     string // a string with escapes, decoded
	escaped bool
	b       bool
}

// describe names a value for messages.
func (v value) describe() string {
	switch v.kind {
	case kindNull:
		return "null"
	case kindString:
		s := v.str
		if !v.escaped {
			s = string(v.raw)
		}
		if len(s) > 40 {
			s = s[:40] + "…"
		}
		return fmt.Sprintf("the string %q", s)
	case kindNumber:
		return "the number " + string(v.raw)
	case kindBool:
		return fmt.Sprint(v.b)
	case kindArray:
		return "an array"
	}
	return "an object"
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

func skipSpace(b []byte, i int) int {
	for i < len(b) && isSpace(b[i]) {
		i++
	}
	return i
}

// readRow decodes the next JSON value of the input as a row.
func (d *decoder) readRow() error {
	if err := d.dec.Decode(&d.raw); err != nil {
		return d.syntax(err, d.t.Rows+1)
	}
	return d.scanRow(d.raw, d.dec.InputOffset()-int64(len(d.raw)))
}

// scanRow stores the values of one row; raw is valid JSON (the decoder
// checked it) starting at offset base of the input.
func (d *decoder) scanRow(raw []byte, base int64) error {
	row := d.t.Rows + 1
	at := func(i int, variable string, sentinel error, format string, args ...any) error {
		return &Error{Offset: base + int64(i), Row: row, Variable: variable, Err: sentinel, Reason: fmt.Sprintf(format, args...)}
	}
	i := skipSpace(raw, 0)
	if raw[i] != '[' {
		v, _, _ := scanValue(raw, i)
		return at(i, "", ErrSyntax, "expected a row (a JSON array), found %s", v.describe())
	}
	i++
	for j := 0; ; j++ {
		i = skipSpace(raw, i)
		if raw[i] == ']' {
			if j < len(d.cols) {
				return at(i, d.cols[j].c.Name, ErrShape, "the row has %d values, but there are %d columns", j, len(d.cols))
			}
			break
		}
		if j >= len(d.cols) {
			return at(i, "", ErrShape, "the row has more than %d values, one per column", len(d.cols))
		}
		cd := d.cols[j]
		v, next, err := scanValue(raw, i)
		if err != nil {
			return at(i, cd.c.Name, ErrSyntax, "%v", err)
		}
		if err := cd.store(v); err != nil {
			return at(i, cd.c.Name, ErrType, "%v", err)
		}
		i = skipSpace(raw, next)
		if raw[i] == ',' {
			i++
		}
	}
	d.t.Rows++
	return nil
}

// scanValue scans the value starting at raw[i] and returns it and the
// index after it. Nested arrays and objects are returned as such (the
// caller rejects them) without scanning their content.
func scanValue(raw []byte, i int) (value, int, error) {
	switch c := raw[i]; {
	case c == '"':
		j, escaped := i+1, false
		for raw[j] != '"' {
			if raw[j] == '\\' {
				escaped = true
				j++
			}
			j++
		}
		v := value{kind: kindString, raw: raw[i+1 : j], escaped: escaped}
		if escaped {
			if err := json.Unmarshal(raw[i:j+1], &v.str); err != nil {
				return v, j + 1, err
			}
		}
		if !utf8.Valid(v.raw) {
			return v, j + 1, fmt.Errorf("the string is not valid UTF-8")
		}
		return v, j + 1, nil
	case c == 't':
		return value{kind: kindBool, b: true}, i + 4, nil
	case c == 'f':
		return value{kind: kindBool}, i + 5, nil
	case c == 'n':
		return value{kind: kindNull}, i + 4, nil
	case c == '[':
		return value{kind: kindArray}, i + 1, nil
	case c == '{':
		return value{kind: kindObject}, i + 1, nil
	}
	j := i
	for j < len(raw) && raw[j] != ',' && raw[j] != ']' && !isSpace(raw[j]) {
		j++
	}
	return value{kind: kindNumber, raw: raw[i:j]}, j, nil
}
