package datasetjson

import (
	"errors"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// doc returns a small Dataset-JSON document with the given columns and rows
// (JSON text), and records set to the number of rows unless records >= 0.
func doc(columns, rows string, records int) string {
	if records < 0 {
		records = strings.Count(rows, "[")
	}
	return `{"datasetJSONCreationDateTime": "2026-01-01T00:00:00", "datasetJSONVersion": "1.1.0",
 "itemGroupOID": "IG.T", "records": ` + itoa(records) + `, "name": "T", "label": "Test",
 "columns": [` + columns + `],
 "rows": [` + rows + `]}`
}

func itoa(n int) string {
	s := ""
	if n == 0 {
		return "0"
	}
	for ; n > 0; n /= 10 {
		s = string(rune('0'+n%10)) + s
	}
	return s
}

func col(name, dataType string, extra ...string) string {
	s := `{"itemOID": "IT.` + name + `", "name": "` + name + `", "label": "` + name + `", "dataType": "` + dataType + `"`
	for _, e := range extra {
		s += ", " + e
	}
	return s + "}"
}

// TestValues checks the values and cells of every data type.
func TestValues(t *testing.T) {
	cols := strings.Join([]string{
		col("I", "integer"), col("F", "float"), col("D", "double"), col("DEC", "decimal", `"targetDataType": "decimal"`),
		col("B", "boolean"), col("S", "string"), col("U", "URI"),
		col("DT", "date"), col("DTI", "date", `"targetDataType": "integer"`),
		col("DTM", "datetime", `"targetDataType": "integer"`), col("TM", "time", `"targetDataType": "integer"`),
	}, ",")
	rows := `[1, 1.5, -1e-7, "1,234.50", true, "a\u00e9\"", "http://x", "2012-12", "2024-01-15", "2020-01-01T00:00:00.5Z", "10:30:00"],
	[null, null, null, null, null, null, null, null, 23390, 1, 0],
	[-9007199254740992, 0, 1e300, "-.5", false, "", "", "", "1960-01-01", "1959-12-31T23:59:59+02:00", "23:59:59.25"]`
	tab, err := Read(strings.NewReader(doc(cols, rows, -1)))
	if err != nil {
		t.Fatal(err)
	}
	want := [][]string{
		{"1", "1.5", "-1e-07", "1234.50", "true", "aé\"", "http://x", "2012-12", "2024-01-15", "2020-01-01T00:00:00.5", "10:30:00"},
		{"", "", "", "", "", "", "", "", "2024-01-15", "1960-01-01T00:00:01", "00:00:00"},
		{"-9007199254740992", "0", "1e+300", "-.5", "false", "", "", "", "1960-01-01", "1959-12-31T23:59:59", "23:59:59.25"},
	}
	recs := tab.Records()
	for i, w := range want {
		for j := range w {
			if recs[i+1][j] != w[j] {
				t.Errorf("row %d %s: %q, want %q", i+1, recs[0][j], recs[i+1][j], w[j])
			}
		}
	}
	dec, _ := tab.Column("DEC")
	dti, _ := tab.Column("DTI")
	s, _ := tab.Column("S")
	if dec.Float[0] != 1234.5 || !math.IsNaN(dec.Float[1]) || dti.Float[0] != 23390 || !s.Missing[1] || s.Missing[2] {
		t.Errorf("DEC %v, DTI %v, S missing %v", dec.Float, dti.Float, s.Missing)
	}
}

// TestErrors checks the error for each kind of bad input: sentinel, row,
// column name and message.
func TestErrors(t *testing.T) {
	ints := col("A", "integer")
	for _, test := range []struct {
		name     string
		input    string
		err      error
		row      int
		variable string
		msg      string
	}{
		{"string for integer", doc(ints, `[1], ["2"]`, -1), ErrType, 2, "A", `the string "2" is not a number`},
		{"fraction for integer", doc(ints, `[1.5]`, -1), ErrType, 1, "A", "not an integer"},
		{"huge integer", doc(ints, `[1e17]`, -1), ErrType, 1, "A", "2^53"},
		{"decimal as number", doc(col("D", "decimal"), `[1.5]`, -1), ErrType, 1, "D", "decimal values are strings"},
		{"bad decimal", doc(col("D", "decimal"), `["1.2.3"]`, -1), ErrType, 1, "D", "not a decimal"},
		{"empty decimal", doc(col("D", "decimal"), `[""]`, -1), ErrType, 1, "D", "not a decimal"},
		{"number for string", doc(col("S", "string"), `[1]`, -1), ErrType, 1, "S", "not a string"},
		{"string for boolean", doc(col("B", "boolean"), `["Y"]`, -1), ErrType, 1, "B", "not a boolean"},
		{"number for date", doc(col("D", "date"), `[1]`, -1), ErrType, 1, "D", `targetDataType "integer"`},
		{"partial date to integer", doc(col("D", "date", `"targetDataType": "integer"`), `["2012-12"]`, -1), ErrType, 1, "D", "complete ISO 8601 date"},
		{"bad datetime", doc(col("D", "datetime", `"targetDataType": "integer"`), `["2012-12-01T25:00:00"]`, -1), ErrType, 1, "D", "datetime"},
		{"nested", doc(ints, `[[1]]`, -1), ErrType, 1, "A", "an array"},
		{"short row", doc(ints+","+col("B", "integer"), `[1, 2], [3]`, -1), ErrShape, 2, "B", "1 values"},
		{"long row", doc(ints, `[1, 2]`, -1), ErrShape, 1, "", "more than 1"},
		{"records", doc(ints, `[1], [2]`, 3), ErrShape, 0, "", `"records" is 3 but the file has 2 rows`},
		{"truncated", doc(ints, `[1], [2]`, -1)[:len(doc(ints, `[1], [2]`, -1))-6], ErrSyntax, 2, "", "truncated"},
		{"syntax", doc(ints, `[1], [tru]`, -1), ErrSyntax, 2, "", "invalid character"},
		{"trailing comma", doc(ints, `[1], [2,]`, -1), ErrSyntax, 2, "", "invalid character ']'"},
		{"not an object", `[1, 2]`, ErrSyntax, 0, "", "a JSON object"},
		{"empty", ``, ErrSyntax, 0, "", "truncated"},
		{"version 1.0", `{"clinicalData": {}}`, ErrVersion, 0, "", "version 1.0"},
		{"version 2", strings.Replace(doc(ints, ``, -1), `"1.1.0"`, `"2.0"`, 1), ErrVersion, 0, "", `"2.0"`},
		{"no label", strings.Replace(doc(ints, ``, -1), `"label": "Test",`, ``, 1), ErrMetadata, 0, "", "required attribute(s) label"},
		{"no columns", `{"datasetJSONVersion": "1.1"}`, ErrMetadata, 0, "", "datasetJSONCreationDateTime, itemGroupOID, records, name, label, columns"},
		{"column without dataType", doc(`{"itemOID": "IT.A", "name": "A", "label": "A"}`, ``, -1), ErrMetadata, 0, "A", "dataType"},
		{"unknown dataType", doc(col("A", "text"), ``, -1), ErrMetadata, 0, "A", `"text" is not one of`},
		{"bad target", doc(col("A", "integer", `"targetDataType": "decimal"`), ``, -1), ErrMetadata, 0, "A", "targetDataType"},
		{"duplicate column", doc(ints+","+ints, ``, -1), ErrMetadata, 0, "A", "used twice"},
		{"negative records", strings.Replace(doc(ints, ``, -1), `"records": 0`, `"records": -1`, 1), ErrMetadata, 0, "", "0 or more"},
		{"records as string", strings.Replace(doc(ints, ``, -1), `"records": 0`, `"records": "0"`, 1), ErrMetadata, 0, "", `"records" is a JSON string`},
		{"duplicate attribute", strings.Replace(doc(ints, ``, -1), `"name": "T"`, `"name": "T", "name": "U"`, 1), ErrMetadata, 0, "", "twice"},
		{"JSON and NDJSON rows", doc(ints, `[1]`, -1) + "\n[2]\n", ErrShape, 2, "", "not both"},
		{"garbage after", doc(ints, `[1]`, -1) + "\n{}\n", ErrSyntax, 2, "", "expected a row"},
		{"length 0", doc(col("A", "string", `"length": 0`), ``, -1), ErrMetadata, 0, "A", "length 0"},
	} {
		_, err := Read(strings.NewReader(test.input))
		var e *Error
		if !errors.As(err, &e) || !errors.Is(err, test.err) || e.Row != test.row || e.Variable != test.variable || !strings.Contains(err.Error(), test.msg) {
			t.Errorf("%s: error %v (%+v), want %v at row %d column %q mentioning %q", test.name, err, e, test.err, test.row, test.variable, test.msg)
		}
	}
}

// TestRowsBeforeColumns checks a JSON object whose "rows" come before
// "columns" (JSON does not fix the order of attributes), including the
// offset of an error in such rows.
func TestRowsBeforeColumns(t *testing.T) {
	in := `{"rows": [[1, "a"], [2, null]], "records": 2, "datasetJSONCreationDateTime": "2026-01-01T00:00:00",
	"datasetJSONVersion": "1.1", "itemGroupOID": "IG.T", "name": "T", "label": "",
	"columns": [` + col("N", "integer") + "," + col("S", "string") + `]}`
	tab, err := Read(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	if tab.Rows != 2 || tab.Columns[1].String[0] != "a" || !tab.Columns[1].Missing[1] {
		t.Errorf("rows %d, S %q", tab.Rows, tab.Columns[1].String)
	}
	bad := strings.Replace(in, `[2, null]`, `[2, 3]`, 1)
	_, err = Read(strings.NewReader(bad))
	var e *Error
	if !errors.As(err, &e) || e.Row != 2 || e.Variable != "S" || bad[e.Offset] != '3' {
		t.Errorf("error %v at offset %d, want row 2 column S at the 3", err, e.Offset)
	}
}

// TestLineColumn checks that ReadFile reports the line and column of a bad
// value in an NDJSON file.
func TestLineColumn(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("testdata", "lung.ndjson"))
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(string(data), "\n")
	lines[5] = strings.Replace(lines[5], `"LUNG-005"`, `5`, 1) // row 5, USUBJID
	path := filepath.Join(t.TempDir(), "bad.ndjson")
	if err := os.WriteFile(path, []byte(strings.Join(lines, "\n")), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err = ReadFile(path)
	var e *Error
	if !errors.As(err, &e) || e.Line != 6 || e.Column != strings.Index(lines[5], "5,")+1 || e.Row != 5 || e.Variable != "USUBJID" {
		t.Fatalf("error %v, want line 6 column %d row 5 USUBJID", err, strings.Index(lines[5], "5,")+1)
	}
	if !strings.HasPrefix(err.Error(), path+": datasetjson: line 6, column 10 (byte ") {
		t.Errorf("message %q", err.Error())
	}
}
