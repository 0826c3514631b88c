package xport

import (
	"encoding/csv"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
)

// Type is the SAS type of a variable.
type Type uint8

// SAS variable types, with the NAMESTR ntype codes.
const (
	Numeric Type = 1 // 8-byte (or truncated) IBM floating point
	Char    Type = 2 // fixed-width character
)

// String returns "numeric" or "character".
func (t Type) String() string {
	switch t {
	case Numeric:
		return "numeric"
	case Char:
		return "character"
	}
	return fmt.Sprintf("Type(%d)", uint8(t))
}

// Missing says whether a numeric cell is missing and, if so, which of SAS's
// 28 missing values it is. The zero value, Present, is a value that is not
// missing; the others are the byte SAS stores first: '.' for the ordinary
// missing value ".", 'A'…'Z' for the special missing values .A–.Z and '_'
// for ._ (haven::tagged_na in R, with the tag in lower case).
type Missing byte

// Missing-value kinds other than .A–.Z, which are Missing('A') … Missing('Z').
const (
	Present           Missing = 0   // not missing
	MissingDot        Missing = '.' // the ordinary missing value "."
	MissingUnderscore Missing = '_' // the special missing value "._"
)

// IsMissing reports whether m is one of the 28 missing values.
func (m Missing) IsMissing() bool { return m != Present }

// String returns "" for Present and the SAS notation otherwise: ".", ".A" …
// ".Z", "._".
func (m Missing) String() string {
	switch {
	case m == Present:
		return ""
	case m == MissingDot:
		return "."
	}
	return "." + string(rune(m))
}

// missingKind returns the kind of missing value whose first stored byte is
// b, and whether b is one.
func missingKind(b byte) (Missing, bool) {
	if b == '.' || b == '_' || (b >= 'A' && b <= 'Z') {
		return Missing(b), true
	}
	return Present, false
}

// Format is a SAS format or informat: a name and a width and number of
// decimals, 0 when not given. The zero value is no format.
type Format struct {
	Name     string // "DATE", "$CHAR", "E8601DA", "" for w.d formats such as 8.2
	Width    int
	Decimals int
}

// String returns the format as SAS writes it: "DATE9.", "8.2", "$CHAR20.",
// "BEST." ("" for no format).
func (f Format) String() string {
	if f == (Format{}) {
		return ""
	}
	s := f.Name
	if f.Width > 0 {
		s += strconv.Itoa(f.Width)
	}
	s += "."
	if f.Decimals > 0 {
		s += strconv.Itoa(f.Decimals)
	}
	return s
}

// Column is one variable of a member, with its values.
type Column struct {
	Name     string // variable name (up to 32 bytes in version 8 files, 8 in version 5)
	Label    string // variable label, "" if none
	Type     Type
	Length   int // bytes per value in the observation: 2–8 for numeric, 1–32767 for character
	Format   Format
	Informat Format
	Position int // byte offset of the value in the observation (NAMESTR npos)

	// Float holds a numeric variable's values; it is nil for a character
	// variable. A missing cell is NaN here, and Missing says which missing
	// value it is: test Missing, not NaN.
	Float []float64
	// Missing holds, for a numeric variable, the missing-value kind of each
	// cell (Present when the cell has a value); nil for a character variable.
	// Decode always sets it; in a table built for Write, nil means no value
	// is missing.
	Missing []Missing
	// String holds a character variable's values, trailing blanks removed as
	// SAS does (an all-blank value is ""); nil for a numeric variable.
	String []string
}

// Table is one member (SAS dataset) of an XPORT file.
type Table struct {
	Name    string // member (dataset) name
	Label   string // dataset label, "" if none
	Type    string // dataset type (usually ""), as in the member header
	Version int    // 5 for TS-140 headers, 8 for the V8/V9 extension (LIBV8 …)
	// SASVersion and OS are the SAS release and operating system written in
	// the member header ("9.4", "X64_7PRO"); Created and Modified are the
	// header's timestamps as written, ddMMMyy:hh:mm:ss.
	SASVersion, OS    string
	Created, Modified string
	Columns           []Column
	Rows              int // number of observations
}

// Column returns the column named name (SAS names are compared without
// regard to case) and whether there is one.
func (t *Table) Column(name string) (*Column, bool) {
	for i := range t.Columns {
		if strings.EqualFold(t.Columns[i].Name, name) {
			return &t.Columns[i], true
		}
	}
	return nil, false
}

// Header returns the column names in order: the header a CSV file of the
// same data would have.
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
// encoding/csv's Reader.ReadAll returns a CSV file of the same data.
func (t *Table) Records() [][]string { return Records(t.Header(), t.Rows, t.AppendRow) }

// WriteCSV writes the header and the rows' cells as CSV (encoding/csv,
// comma-separated, "\n" line ends).
func (t *Table) WriteCSV(w io.Writer) error { return WriteCSV(w, t.Header(), t.Rows, t.AppendRow) }

// Records returns header followed by one record per row i < rows, the
// cells appendRow(dst, i) appends to dst, as encoding/csv's Reader.ReadAll
// returns a CSV file of the same data; the rows share one backing array.
// It is Table.Records for any table with an AppendRow method, such as
// package datasetjson's.
func Records(header []string, rows int, appendRow func(dst []string, i int) []string) [][]string {
	recs := make([][]string, 0, rows+1)
	recs = append(recs, header)
	cells := make([]string, 0, rows*len(header))
	for i := range rows {
		start := len(cells)
		cells = appendRow(cells, i)
		recs = append(recs, cells[start:len(cells):len(cells)])
	}
	return recs
}

// WriteCSV writes header and then, for each row i < rows, the cells
// appendRow(dst, i) appends to dst, as CSV (encoding/csv, comma-separated,
// "\n" line ends). It is Table.WriteCSV for any table with an AppendRow
// method, such as package datasetjson's.
func WriteCSV(w io.Writer, header []string, rows int, appendRow func(dst []string, i int) []string) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(header); err != nil {
		return err
	}
	row := make([]string, 0, len(header))
	for i := range rows {
		row = appendRow(row[:0], i)
		if err := cw.Write(row); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// Cell returns the value of row i as a CSV reader would see it:
//
//   - a character value as stored, trailing blanks removed;
//   - a missing numeric value (any of the 28) as "";
//   - a numeric value with a SAS date format (DATE, YYMMDD, E8601DA,
//     MMDDYY, …; see DateFormats) as an ISO 8601 date, YYYY-MM-DD, of
//     floor(value) days since 1960-01-01, as SAS displays it and as R's
//     write.csv writes a date read by haven;
//   - with a datetime format (DATETIME, E8601DT, …) as YYYY-MM-DDThh:mm:ss
//     of the value in seconds since 1960-01-01T00:00:00 (no time zone),
//     with a fraction of a second to the microsecond when there is one
//     ("2020-01-01T00:00:00.5");
//   - with a time format (TIME, TOD, E8601TM, …) as hh:mm:ss[.ffffff] of
//     seconds since midnight; hours may exceed 23 (90000 s is 25:00:00) and a
//     negative time has a leading "-";
//   - any other number in the shortest decimal form that parses back to the
//     same double (Go's strconv 'f' with precision -1: "306", "10.05",
//     "-0.1"), or in exponent form ("1e-07", "1.5e+21") when its magnitude is
//     below 1e-6 or at least 1e21, the rule of JavaScript's Number.toString;
//     zero of either sign is "0".
//
// A date or datetime outside years 1–9999 is rendered as a number. Display
// formats other than dates and times (8.2, BEST12., COMMA10.) are not
// applied: the cell is the stored value.
func (c *Column) Cell(i int) string {
	if c.Type == Char {
		return c.String[i]
	}
	if c.Missing != nil && c.Missing[i] != Present {
		return ""
	}
	return FormatTemporal(c.Float[i], temporalKind(c.Format.Name))
}

// FormatTemporal formats a SAS number as Column.Cell does for a variable
// whose format counts kind: an ISO 8601 date, datetime or time, or, for
// NotTemporal and for dates outside years 1–9999, FormatNumber(v).
func FormatTemporal(v float64, kind Temporal) string {
	var s string
	ok := false
	switch kind {
	case Date:
		s, ok = isoDate(v)
	case Datetime:
		s, ok = isoDatetime(v)
	case Time:
		s, ok = isoTime(v)
	}
	if !ok {
		return FormatNumber(v)
	}
	return s
}

// FormatNumber formats a number as Column.Cell does: shortest round-trip
// decimal, exponent form below 1e-6 and from 1e21 in magnitude, "0" for
// zero. NaN and ±Inf give "NaN", "+Inf", "-Inf" (they never come from an
// XPORT file).
func FormatNumber(v float64) string {
	if v == 0 {
		return "0"
	}
	if a := math.Abs(v); a >= 1e-6 && a < 1e21 {
		return strconv.FormatFloat(v, 'f', -1, 64)
	}
	return strconv.FormatFloat(v, 'e', -1, 64)
}
