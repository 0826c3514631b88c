package datasetjson

import (
	"io"

	"github.com/ketcurves/ketcurves/pipeline/xport"
)

// DataType is a column's logical data type (the dataType and
// targetDataType attributes).
type DataType string

// The data types of Dataset-JSON v1.1, with the JSON type of their values.
const (
	TypeString   DataType = "string"   // JSON string
	TypeInteger  DataType = "integer"  // JSON number without a fraction
	TypeDecimal  DataType = "decimal"  // JSON string holding a decimal number ("162.9")
	TypeFloat    DataType = "float"    // JSON number
	TypeDouble   DataType = "double"   // JSON number
	TypeBoolean  DataType = "boolean"  // JSON true or false
	TypeDatetime DataType = "datetime" // JSON string, ISO 8601 datetime
	TypeDate     DataType = "date"     // JSON string, ISO 8601 date
	TypeTime     DataType = "time"     // JSON string, ISO 8601 time
	TypeURI      DataType = "URI"      // JSON string
)

var dataTypes = []DataType{TypeString, TypeInteger, TypeDecimal, TypeFloat, TypeDouble, TypeBoolean, TypeDatetime, TypeDate, TypeTime, TypeURI}

// Form is the representation a table was read from.
type Form string

// Representations of Dataset-JSON.
const (
	JSON   Form = "json"   // one object with "rows"
	NDJSON Form = "ndjson" // the metadata object, then one array per line
)

// Column is one column of a dataset: its metadata, as in "columns", and
// its values.
type Column struct {
	ItemOID        string
	Name           string
	Label          string
	DataType       DataType
	TargetDataType DataType // "" when absent, else TypeInteger or TypeDecimal
	Length         int      // 0 when absent
	DisplayFormat  string   // SAS display format, "" when absent
	KeySequence    int      // 0 when absent

	// Missing is true where the value is null.
	Missing []bool
	// Float holds the values of integer, decimal, float and double columns
	// and, for date, datetime and time columns with targetDataType
	// "integer", the SAS number: days since 1960-01-01 for a date, seconds
	// since 1960-01-01T00:00:00 for a datetime, seconds since midnight for a
	// time. NaN where Missing; nil for other columns.
	Float []float64
	// String holds the text of string, URI, decimal (thousands separators
	// removed), date, datetime and time columns: "" where Missing; nil for
	// other columns.
	String []string
	// Bool holds the values of boolean columns (false where Missing); nil
	// for other columns.
	Bool []bool
}

// Table is a Dataset-JSON dataset.
type Table struct {
	Form                   Form
	CreationDateTime       string // datasetJSONCreationDateTime
	DatasetJSONVersion     string // "1.1" or "1.1.x"
	FileOID                string
	DBLastModifiedDateTime string
	Originator             string
	SourceSystem           struct{ Name, Version string }
	StudyOID               string
	MetaDataVersionOID     string
	MetaDataRef            string
	ItemGroupOID           string
	DeclaredRecords        int // the "records" attribute; Read checks that it equals Rows
	Name                   string
	Label                  string
	Columns                []Column
	Rows                   int
}

// Column returns the column named name (exact match) and whether there is one.
func (t *Table) Column(name string) (*Column, bool) {
	for i := range t.Columns {
		if t.Columns[i].Name == name {
			return &t.Columns[i], true
		}
	}
	return nil, false
}

// Header returns the column names in order.
func (t *Table) Header() []string {
	h := make([]string, len(t.Columns))
	for j := range t.Columns {
		h[j] = t.Columns[j].Name
	}
	return h
}

// AppendRow appends the cells of row i (0-based), rendered by Column.Cell,
// to dst and returns the extended slice.
func (t *Table) AppendRow(dst []string, i int) []string {
	for j := range t.Columns {
		dst = append(dst, t.Columns[j].Cell(i))
	}
	return dst
}

// Records returns the header followed by every row's cells, as
// encoding/csv's Reader.ReadAll returns a CSV file of the same data
// (xport.Records).
func (t *Table) Records() [][]string { return xport.Records(t.Header(), t.Rows, t.AppendRow) }

// WriteCSV writes the header and the rows' cells as CSV (xport.WriteCSV).
func (t *Table) WriteCSV(w io.Writer) error {
	return xport.WriteCSV(w, t.Header(), t.Rows, t.AppendRow)
}

// Cell returns the value of row i as a CSV reader would see it, by the
// rules of package xport (xport.Column.Cell), so that the same data read
// from XPORT, Dataset-JSON or CSV give the same cells:
//
//   - null as "";
//   - string and URI values as they are;
//   - integer, float and double values by xport.FormatNumber: shortest
//     round-trip decimal ("306", "10.053388090349076"), exponent form below
//     1e-6 and from 1e21 in magnitude;
//   - decimal values as their text, thousands separators removed ("162.9");
//   - booleans as "true" and "false";
//   - date, datetime and time values with targetDataType "integer" (ADaM)
//     from their SAS number by xport.FormatTemporal: YYYY-MM-DD,
//     YYYY-MM-DDThh:mm:ss[.ffffff], hh:mm:ss[.ffffff]; without it, as the
//     ISO 8601 text of the file (SDTM --DTC values, partial dates included).
func (c *Column) Cell(i int) string {
	if c.Missing[i] {
		return ""
	}
	switch c.DataType {
	case TypeInteger, TypeFloat, TypeDouble:
		return xport.FormatNumber(c.Float[i])
	case TypeBoolean:
		if c.Bool[i] {
			return "true"
		}
		return "false"
	case TypeDate, TypeDatetime, TypeTime:
		if c.TargetDataType == TypeInteger {
			return xport.FormatTemporal(c.Float[i], temporal(c.DataType))
		}
	}
	return c.String[i]
}

// temporal maps a date, datetime or time data type to xport's Temporal.
func temporal(dt DataType) xport.Temporal {
	switch dt {
	case TypeDate:
		return xport.Date
	case TypeDatetime:
		return xport.Datetime
	case TypeTime:
		return xport.Time
	}
	return xport.NotTemporal
}
