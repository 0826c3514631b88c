package xport

import (
	"bytes"
	"encoding/csv"
	"slices"
	"testing"
)

// TestWriteCSVReadsBackAsRecords checks that Table.WriteCSV writes a CSV
// file that encoding/csv reads back as Table.Records, on lung_v5.xpt (R's
// survival::lung written by haven, testdata/make_testdata.R).
func TestWriteCSVReadsBackAsRecords(t *testing.T) {
	tab, err := ReadFile("testdata/lung_v5.xpt", Options{})
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := tab.WriteCSV(&buf); err != nil {
		t.Fatal(err)
	}
	got, err := csv.NewReader(&buf).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	want := tab.Records()
	if len(want) != tab.Rows+1 || !slices.EqualFunc(got, want, slices.Equal[[]string]) {
		t.Errorf("WriteCSV read back as %d records, Records has %d (%d rows): they differ", len(got), len(want), tab.Rows)
	}
}
