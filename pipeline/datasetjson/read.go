package datasetjson

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"regexp"
	"strings"
)

// MaxColumns is the largest number of columns Read accepts (SAS's limit on
// variables in a transport file). Memory is otherwise bounded by the input:
// "records" is only used to size the first allocation, at most
// preallocRows rows or, when the input's size is known (a file, a
// bytes.Reader), as many rows as its bytes can hold.
const MaxColumns = 32767

const preallocRows = 1 << 16

// ReadFile reads the Dataset-JSON (.json) or NDJSON (.ndjson) file at
// path; the representation is told from the content, not the name. An
// *Error gets the line and column of its offset, and the message is
// prefixed with the path.
func ReadFile(path string) (*Table, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	t, err := Read(f)
	if err != nil {
		var e *Error
		if errors.As(err, &e) {
			e.Line, e.Column = lineColumn(path, e.Offset)
		}
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return t, nil
}

// lineColumn returns the 1-based line and byte column of offset in the
// file at path (0, 0 if it cannot be read).
func lineColumn(path string, offset int64) (line, col int) {
	f, err := os.Open(path)
	if err != nil {
		return 0, 0
	}
	defer f.Close()
	br := bufio.NewReader(io.LimitReader(f, offset))
	line, col = 1, 1
	for {
		b, err := br.ReadByte()
		if err != nil {
			return line, col
		}
		if b == '\n' {
			line, col = line+1, 1
		} else {
			col++
		}
	}
}

// Read decodes a Dataset-JSON v1.1 dataset from r, in either
// representation: a JSON object whose "rows" attribute holds the rows, or
// NDJSON, the metadata object (with "columns") on the first line and one
// JSON array per row on the following lines. It streams with
// encoding/json's Decoder: the metadata token by token, the rows one at a
// time (each decoded into a reused buffer and scanned into the columns), so
// the rows are never all held as JSON.
//
// Checked: the JSON syntax; datasetJSONVersion is 1.1 or 1.1.x (a version
// 1.0 file, with clinicalData or referenceData, is an ErrVersion error);
// the required attributes (datasetJSONCreationDateTime, datasetJSONVersion,
// itemGroupOID, records, name, label, columns; each column's itemOID, name,
// label, dataType) are present; column names are unique; dataType and
// targetDataType take their enumerated values, with targetDataType
// "decimal" only for decimal and "integer" only for date, datetime and
// time; every row has one value per column, of the JSON type the column's
// dataType requires (see DataType; null is missing for every type); and
// the number of rows equals "records". Attributes the specification does
// not define are skipped. In a JSON object whose "rows" come before
// "columns", the rows are held as raw JSON until the columns are read.
//
// The error is an *Error with the byte offset, the row and the column name.
func Read(r io.Reader) (*Table, error) {
	dec := json.NewDecoder(r)
	dec.UseNumber()
	d := &decoder{dec: dec, t: &Table{}, sizeHint: -1}
	switch v := r.(type) {
	case interface{ Len() int }: // bytes.Reader, strings.Reader, bytes.Buffer
		d.sizeHint = int64(v.Len())
	case *os.File:
		if fi, err := v.Stat(); err == nil && fi.Mode().IsRegular() {
			d.sizeHint = fi.Size()
		}
	}
	if err := d.document(); err != nil {
		return nil, err
	}
	return d.t, nil
}

type decoder struct {
	dec     *json.Decoder
	t       *Table
	present map[string]bool
	rows    bool // "rows" was in the object
	cols    []*columnDecoder
	raw     json.RawMessage // the current row, reused
	// sizeHint is the input's size in bytes when known, else -1: with it,
	// the columns are allocated for "records" rows at once, as long as the
	// input can hold that many (a row of n columns has at least 2n+1 bytes).
	sizeHint int64
}

// errorf returns an *Error at the decoder's position.
func (d *decoder) errorf(row int, variable string, sentinel error, format string, args ...any) *Error {
	off := d.dec.InputOffset() - 1
	return &Error{Offset: max(off, 0), Row: row, Variable: variable, Err: sentinel, Reason: fmt.Sprintf(format, args...)}
}

// token reads the next token; a syntax error becomes an *Error.
func (d *decoder) token(row int) (json.Token, error) {
	tok, err := d.dec.Token()
	if err != nil {
		return nil, d.syntax(err, row)
	}
	return tok, nil
}

// syntax converts a decoding error to an *Error.
func (d *decoder) syntax(err error, row int) error {
	var se *json.SyntaxError
	switch {
	case errors.As(err, &se):
		return &Error{Offset: se.Offset, Row: row, Err: ErrSyntax, Reason: se.Error()}
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return &Error{Offset: d.dec.InputOffset(), Row: row, Err: ErrSyntax, Reason: "the input ends inside a JSON value: the file is truncated"}
	}
	var ue *json.UnmarshalTypeError
	if errors.As(err, &ue) {
		return &Error{Offset: ue.Offset, Row: row, Err: ErrMetadata, Reason: fmt.Sprintf("%s is a JSON %s, not a %v", ue.Field, ue.Value, ue.Type)}
	}
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	return &Error{Offset: d.dec.InputOffset(), Row: row, Err: ErrSyntax, Reason: err.Error()}
}

func (d *decoder) expectDelim(want json.Delim, row int, what string) error {
	tok, err := d.token(row)
	if err != nil {
		return err
	}
	if tok != want {
		return d.errorf(row, "", ErrSyntax, "expected %s, found %s", what, describe(tok))
	}
	return nil
}

// describe names a token for messages.
func describe(tok json.Token) string {
	switch v := tok.(type) {
	case nil:
		return "null"
	case string:
		if len(v) > 40 {
			v = v[:40] + "…"
		}
		return fmt.Sprintf("the string %q", v)
	case json.Number:
		return "the number " + v.String()
	case bool:
		return fmt.Sprintf("%v", v)
	case json.Delim:
		switch v {
		case '[':
			return "an array"
		case '{':
			return "an object"
		}
		return fmt.Sprintf("%q", string(v))
	}
	return fmt.Sprintf("%v", tok)
}

// document reads the whole input.
func (d *decoder) document() error {
	if err := d.expectDelim('{', 0, "a JSON object (the Dataset-JSON metadata)"); err != nil {
		return err
	}
	raw, err := d.attributes()
	if err != nil {
		return err
	}
	if err := d.checkMetadata(); err != nil {
		return err
	}
	if raw != nil {
		if err := d.rawRows(raw); err != nil {
			return err
		}
	}
	if err := d.ndjsonRows(); err != nil {
		return err
	}
	if d.t.Rows != d.t.DeclaredRecords {
		return d.errorf(0, "", ErrShape, `"records" is %d but the file has %d rows: the file is truncated or "records" is wrong`, d.t.DeclaredRecords, d.t.Rows)
	}
	return nil
}

// attributes reads the attributes of the metadata object up to its closing
// brace. It returns the raw rows when they came before the columns.
func (d *decoder) attributes() (*rawRows, error) {
	d.present = map[string]bool{}
	var raw *rawRows
	for d.dec.More() {
		tok, err := d.token(0)
		if err != nil {
			return nil, err
		}
		key, _ := tok.(string)
		if d.present[key] {
			return nil, d.errorf(0, "", ErrMetadata, "the attribute %q appears twice", key)
		}
		d.present[key] = true
		switch key {
		case "clinicalData", "referenceData":
			return nil, d.errorf(0, "", ErrVersion, "%q is an attribute of Dataset-JSON version 1.0: this reader reads version 1.1 (convert the file, e.g. with CDISC's convert_1_0_to_1_1.py)", key)
		case "columns":
			err = d.columns()
		case "rows":
			d.rows = true
			if d.cols != nil {
				err = d.objectRows()
			} else {
				raw, err = d.captureRows()
			}
		default:
			err = d.attribute(key)
		}
		if err != nil {
			return nil, err
		}
	}
	return raw, d.expectDelim('}', 0, "the end of the metadata object")
}

// attribute decodes a top-level attribute other than columns and rows.
func (d *decoder) attribute(key string) error {
	t := d.t
	dst := map[string]*string{
		"datasetJSONCreationDateTime": &t.CreationDateTime, "datasetJSONVersion": &t.DatasetJSONVersion,
		"fileOID": &t.FileOID, "dbLastModifiedDateTime": &t.DBLastModifiedDateTime, "originator": &t.Originator,
		"studyOID": &t.StudyOID, "metaDataVersionOID": &t.MetaDataVersionOID, "metaDataRef": &t.MetaDataRef,
		"itemGroupOID": &t.ItemGroupOID, "name": &t.Name, "label": &t.Label,
	}[key]
	var err error
	switch {
	case dst != nil:
		err = d.dec.Decode(dst)
	case key == "records":
		err = d.dec.Decode(&t.DeclaredRecords)
		if err == nil && t.DeclaredRecords < 0 {
			return d.errorf(0, "", ErrMetadata, `"records" is %d: it must be 0 or more`, t.DeclaredRecords)
		}
	case key == "sourceSystem":
		var ss struct{ Name, Version string }
		err = d.dec.Decode(&ss)
		t.SourceSystem = ss
	default:
		var skip json.RawMessage
		err = d.dec.Decode(&skip)
	}
	if err != nil {
		return d.syntax(fmt.Errorf("%w", withField(err, key)), 0)
	}
	return nil
}

// withField names the attribute in a type error.
func withField(err error, key string) error {
	var ue *json.UnmarshalTypeError
	if errors.As(err, &ue) && ue.Field == "" {
		ue.Field = fmt.Sprintf("%q", key)
	} else if errors.As(err, &ue) {
		ue.Field = fmt.Sprintf("%q", key+"."+ue.Field)
	}
	return err
}

var versionPattern = regexp.MustCompile(`^1\.1(\.(0|[1-9][0-9]*))?$`)

// checkMetadata checks the required attributes and the version.
func (d *decoder) checkMetadata() error {
	var absent []string
	for _, key := range []string{"datasetJSONCreationDateTime", "datasetJSONVersion", "itemGroupOID", "records", "name", "label", "columns"} {
		if !d.present[key] {
			absent = append(absent, key)
		}
	}
	if len(absent) > 0 {
		return d.errorf(0, "", ErrMetadata, "the metadata lacks the required attribute(s) %s", strings.Join(absent, ", "))
	}
	if !versionPattern.MatchString(d.t.DatasetJSONVersion) {
		return d.errorf(0, "", ErrVersion, "datasetJSONVersion is %q: this reader reads version 1.1 (1.1 or 1.1.x)", d.t.DatasetJSONVersion)
	}
	if d.t.Name == "" || d.t.ItemGroupOID == "" {
		return d.errorf(0, "", ErrMetadata, "name and itemGroupOID must not be empty")
	}
	return nil
}

// rawRows are rows that came before the columns, held as JSON.
type rawRows struct {
	data []byte
	base int64 // offset of data in the input
}

func (d *decoder) captureRows() (*rawRows, error) {
	var raw json.RawMessage
	base := d.dec.InputOffset()
	if err := d.dec.Decode(&raw); err != nil {
		return nil, d.syntax(err, 0)
	}
	// InputOffset before Decode points before the separator and blanks.
	base = d.dec.InputOffset() - int64(len(raw))
	return &rawRows{data: raw, base: base}, nil
}

// rawRows decodes rows held as JSON with a decoder of their own; error
// offsets are shifted to the input's.
func (d *decoder) rawRows(raw *rawRows) error {
	sub := json.NewDecoder(bytes.NewReader(raw.data))
	sub.UseNumber()
	outer := d.dec
	d.dec = sub
	err := d.objectRows()
	d.dec = outer
	var e *Error
	if errors.As(err, &e) {
		e.Offset += raw.base
	}
	return err
}

// objectRows reads the array of rows of the JSON representation.
func (d *decoder) objectRows() error {
	if err := d.expectDelim('[', 0, `an array of rows ("rows")`); err != nil {
		return err
	}
	for d.dec.More() {
		if err := d.readRow(); err != nil {
			return err
		}
	}
	return d.expectDelim(']', d.t.Rows, `the end of "rows"`)
}

// ndjsonRows reads the rows that follow the metadata object (NDJSON).
func (d *decoder) ndjsonRows() error {
	d.t.Form = JSON
	for d.dec.More() {
		if err := d.dec.Decode(&d.raw); err != nil {
			return d.syntax(err, d.t.Rows+1)
		}
		base := d.dec.InputOffset() - int64(len(d.raw))
		if d.rows && d.raw[0] == '[' {
			return &Error{Offset: base, Row: d.t.Rows + 1, Err: ErrShape, Reason: `rows follow a metadata object that has "rows": a file is JSON (rows inside the object) or NDJSON (rows on the following lines), not both`}
		}
		d.t.Form = NDJSON
		if err := d.scanRow(d.raw, base); err != nil {
			return err
		}
	}
	if tok, err := d.dec.Token(); err != io.EOF {
		if err != nil {
			return d.syntax(err, d.t.Rows+1)
		}
		return d.errorf(d.t.Rows+1, "", ErrSyntax, "expected a row (a JSON array) or the end of the file, found %s", describe(tok))
	}
	return nil
}
