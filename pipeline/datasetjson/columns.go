package datasetjson

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
)

// columnJSON is one element of "columns".
type columnJSON struct {
	ItemOID        *string `json:"itemOID"`
	Name           *string `json:"name"`
	Label          *string `json:"label"`
	DataType       *string `json:"dataType"`
	TargetDataType string  `json:"targetDataType"`
	Length         *int    `json:"length"`
	DisplayFormat  string  `json:"displayFormat"`
	KeySequence    *int    `json:"keySequence"`
}

// columnDecoder stores one column's values.
type columnDecoder struct {
	c    *Column
	prev string // the previous string value, reused when repeated
}

// columns decodes "columns" and prepares the column decoders.
func (d *decoder) columns() error {
	var cols []columnJSON
	if err := d.dec.Decode(&cols); err != nil {
		return d.syntax(withField(err, "columns"), 0)
	}
	if len(cols) == 0 {
		return d.errorf(0, "", ErrMetadata, `"columns" is empty: a dataset has at least one column`)
	}
	if len(cols) > MaxColumns {
		return d.errorf(0, "", ErrLimit, "%d columns, more than the limit %d", len(cols), MaxColumns)
	}
	d.t.Columns = make([]Column, len(cols))
	seen := map[string]bool{}
	prealloc := min(d.t.DeclaredRecords, preallocRows)
	if d.sizeHint >= 0 {
		prealloc = min(d.t.DeclaredRecords, int(d.sizeHint/int64(2*len(cols)+1)))
	}
	for j, cj := range cols {
		c := &d.t.Columns[j]
		if err := d.column(j, cj, c); err != nil {
			return err
		}
		if seen[c.Name] {
			return d.errorf(0, c.Name, ErrMetadata, "column %d: the name %q is used twice", j+1, c.Name)
		}
		seen[c.Name] = true
		allocate(c, prealloc)
		d.cols = append(d.cols, &columnDecoder{c: c})
	}
	return nil
}

// column checks one column's metadata.
func (d *decoder) column(j int, cj columnJSON, c *Column) error {
	var absent []string
	for _, f := range []struct {
		name string
		v    *string
	}{{"itemOID", cj.ItemOID}, {"name", cj.Name}, {"label", cj.Label}, {"dataType", cj.DataType}} {
		if f.v == nil {
			absent = append(absent, f.name)
		}
	}
	name := ""
	if cj.Name != nil {
		name = *cj.Name
	}
	if len(absent) > 0 {
		return d.errorf(0, name, ErrMetadata, "column %d lacks the required attribute(s) %s", j+1, strings.Join(absent, ", "))
	}
	*c = Column{ItemOID: *cj.ItemOID, Name: *cj.Name, Label: *cj.Label, DataType: DataType(*cj.DataType),
		TargetDataType: DataType(cj.TargetDataType), DisplayFormat: cj.DisplayFormat}
	if c.Name == "" || c.ItemOID == "" {
		return d.errorf(0, c.Name, ErrMetadata, "column %d: name and itemOID must not be empty", j+1)
	}
	if !slices.Contains(dataTypes, c.DataType) {
		return d.errorf(0, c.Name, ErrMetadata, "dataType %q is not one of %s", c.DataType, typeList())
	}
	switch {
	case c.TargetDataType == "":
	case c.TargetDataType == TypeDecimal && c.DataType == TypeDecimal:
	case c.TargetDataType == TypeInteger && (c.DataType == TypeDate || c.DataType == TypeDatetime || c.DataType == TypeTime):
	default:
		return d.errorf(0, c.Name, ErrMetadata, `targetDataType %q with dataType %q: Dataset-JSON 1.1 allows "decimal" for decimal and "integer" for date, datetime and time`, c.TargetDataType, c.DataType)
	}
	if cj.Length != nil {
		if *cj.Length < 1 {
			return d.errorf(0, c.Name, ErrMetadata, "length %d: it must be at least 1", *cj.Length)
		}
		c.Length = *cj.Length
	}
	if cj.KeySequence != nil {
		if *cj.KeySequence < 1 {
			return d.errorf(0, c.Name, ErrMetadata, "keySequence %d: it must be at least 1", *cj.KeySequence)
		}
		c.KeySequence = *cj.KeySequence
	}
	return nil
}

func typeList() string {
	s := make([]string, len(dataTypes))
	for i, t := range dataTypes {
		s[i] = strconv.Quote(string(t))
	}
	return strings.Join(s, ", ")
}

// allocate makes the value slices a column of its type needs.
func allocate(c *Column, n int) {
	c.Missing = make([]bool, 0, n)
	switch c.DataType {
	case TypeInteger, TypeFloat, TypeDouble:
		c.Float = make([]float64, 0, n)
	case TypeDecimal:
		c.Float = make([]float64, 0, n)
		c.String = make([]string, 0, n)
	case TypeBoolean:
		c.Bool = make([]bool, 0, n)
	case TypeDate, TypeDatetime, TypeTime:
		c.String = make([]string, 0, n)
		if c.TargetDataType == TypeInteger {
			c.Float = make([]float64, 0, n)
		}
	default:
		c.String = make([]string, 0, n)
	}
}

// store appends one value to the column, checking its JSON type.
func (cd *columnDecoder) store(v value) error {
	c := cd.c
	if v.kind == kindNull {
		c.Missing = append(c.Missing, true)
		if c.Float != nil {
			c.Float = append(c.Float, math.NaN())
		}
		if c.String != nil {
			c.String = append(c.String, "")
		}
		if c.Bool != nil {
			c.Bool = append(c.Bool, false)
		}
		return nil
	}
	var err error
	switch c.DataType {
	case TypeInteger, TypeFloat, TypeDouble:
		err = cd.number(v)
	case TypeDecimal:
		err = cd.decimal(v)
	case TypeBoolean:
		if v.kind != kindBool {
			return fmt.Errorf("%s is not a boolean (true, false or null)", v.describe())
		}
		c.Bool = append(c.Bool, v.b)
	case TypeDate, TypeDatetime, TypeTime:
		err = cd.temporal(v)
	default:
		err = cd.text(v)
	}
	if err != nil {
		return err
	}
	c.Missing = append(c.Missing, false)
	return nil
}

// smallInteger parses an integer literal of at most 15 digits (exact in a
// double) without allocating; ok is false for anything else.
func smallInteger(b []byte) (float64, bool) {
	neg := len(b) > 0 && b[0] == '-'
	if neg {
		b = b[1:]
	}
	if len(b) == 0 || len(b) > 15 || (b[0] == '0' && len(b) > 1) {
		return 0, false
	}
	n := 0
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0, false
		}
		n = 10*n + int(c-'0')
	}
	if neg {
		return -float64(n), true
	}
	return float64(n), true
}

// maxExactInteger is 2^53: integers up to it in magnitude are exact doubles.
const maxExactInteger = 1 << 53

func (cd *columnDecoder) number(val value) error {
	c := cd.c
	if val.kind != kindNumber {
		return fmt.Errorf("%s is not a number: %s values are JSON numbers", val.describe(), c.DataType)
	}
	if v, ok := smallInteger(val.raw); ok {
		c.Float = append(c.Float, v)
		return nil
	}
	n := string(val.raw)
	v, err := strconv.ParseFloat(n, 64)
	if err != nil {
		return fmt.Errorf("the number %s is out of the range of a double", n)
	}
	if c.DataType == TypeInteger && (v != math.Trunc(v) || math.Abs(v) > maxExactInteger) {
		return fmt.Errorf("%s is not an integer between -2^53 and 2^53", n)
	}
	c.Float = append(c.Float, v)
	return nil
}

func (cd *columnDecoder) decimal(val value) error {
	if val.kind != kindString {
		return fmt.Errorf(`%s is not a string: decimal values are strings in Dataset-JSON 1.1 ("162.9")`, val.describe())
	}
	v, text, err := parseDecimal(cd.intern(val))
	if err != nil {
		return err
	}
	cd.c.Float = append(cd.c.Float, v)
	cd.c.String = append(cd.c.String, text)
	return nil
}

// parseDecimal parses a decimal string: optional sign, digits with an
// optional "." fraction, and optional comma thousands separators
// ("1,234.5"), which are removed from the returned text.
func parseDecimal(s string) (float64, string, error) {
	text := s
	if strings.Contains(s, ",") {
		text = strings.ReplaceAll(s, ",", "")
	}
	if !validDecimal(s) {
		return 0, "", fmt.Errorf(`the string %q is not a decimal number (digits, "." as the decimal separator, "," between thousands)`, s)
	}
	v, err := strconv.ParseFloat(text, 64)
	if err != nil {
		return 0, "", fmt.Errorf("the decimal %q is out of the range of a double", s)
	}
	return v, text, nil
}

func (cd *columnDecoder) temporal(val value) error {
	c := cd.c
	switch val.kind {
	case kindString:
		s := cd.intern(val)
		c.String = append(c.String, s)
		if c.TargetDataType == TypeInteger {
			x, err := sasNumber(c.DataType, s)
			if err != nil {
				return err
			}
			c.Float = append(c.Float, x)
		}
		return nil
	case kindNumber:
		// The CDISC example files of version 1.1 write ADaM dates as SAS
		// numbers; accepted only with targetDataType "integer".
		if c.TargetDataType != TypeInteger {
			return fmt.Errorf(`%s is not a string: %s values are ISO 8601 strings (a SAS number needs targetDataType "integer")`, val.describe(), c.DataType)
		}
		n := string(val.raw)
		x, err := strconv.ParseFloat(n, 64)
		if err != nil {
			return fmt.Errorf("the number %s is out of the range of a double", n)
		}
		c.Float = append(c.Float, x)
		c.String = append(c.String, n)
		return nil
	}
	return fmt.Errorf("%s is not an ISO 8601 %s string", val.describe(), c.DataType)
}

func (cd *columnDecoder) text(val value) error {
	if val.kind != kindString {
		return fmt.Errorf("%s is not a string: %s values are JSON strings", val.describe(), cd.c.DataType)
	}
	cd.c.String = append(cd.c.String, cd.intern(val))
	return nil
}

// intern returns the string of a string value, the previous one of the
// column when equal (constant and sorted columns then hold one copy and
// allocate nothing).
func (cd *columnDecoder) intern(v value) string {
	if v.str != "" || v.escaped {
		cd.prev = v.str
		return v.str
	}
	if string(v.raw) == cd.prev {
		return cd.prev
	}
	cd.prev = string(v.raw)
	return cd.prev
}
