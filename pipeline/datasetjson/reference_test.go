package datasetjson

import (
	"encoding/csv"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/ketcurves/ketcurves/pipeline/xport"
)

func readCSV(t testing.TB, name string) [][]string {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return recs
}

func readTable(t testing.TB, name string) *Table {
	t.Helper()
	tab, err := ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return tab
}

// TestLungAgainstCSV checks every cell of survival::lung as ADTTE in
// Dataset-JSON (lung.json) and NDJSON (lung.ndjson), both written by
// testdata/make_testdata.R (R 4.2.2, jsonlite; numbers with
// sprintf("%.17g")), against lung.csv, the cells the same script wrote.
// Numeric cells must parse to the same double, others be equal strings.
func TestLungAgainstCSV(t *testing.T) {
	want := readCSV(t, "lung.csv")
	days := readCSV(t, "lung_adt_days.csv")
	for _, test := range []struct {
		file string
		form Form
	}{{"lung.json", JSON}, {"lung.ndjson", NDJSON}} {
		tab := readTable(t, test.file)
		if tab.Form != test.form || tab.Name != "ADTTE" || tab.ItemGroupOID != "IG.ADTTE" || tab.Rows != 228 || tab.DeclaredRecords != 228 {
			t.Errorf("%s: form %q name %q OID %q rows %d records %d", test.file, tab.Form, tab.Name, tab.ItemGroupOID, tab.Rows, tab.DeclaredRecords)
		}
		recs := tab.Records()
		if len(recs) != len(want) {
			t.Fatalf("%s: %d records, want %d", test.file, len(recs), len(want))
		}
		for i := range want {
			for j, w := range want[i] {
				got := recs[i][j]
				c := &tab.Columns[j]
				if i > 0 && w != "" && (c.DataType == TypeInteger || c.DataType == TypeDouble || c.DataType == TypeFloat) {
					wv, _ := strconv.ParseFloat(w, 64)
					if gv, err := strconv.ParseFloat(got, 64); err != nil || gv != wv || c.Float[i-1] != wv {
						t.Errorf("%s: row %d %s: %q (%v), want %s", test.file, i, c.Name, got, c.Float[i-1], w)
					}
					continue
				}
				if got != w {
					t.Errorf("%s: row %d column %d: %q, want %q", test.file, i, j+1, got, w)
				}
			}
		}
		adt, _ := tab.Column("ADT")
		for i, r := range days[1:] {
			if w, _ := strconv.ParseFloat(r[0], 64); adt.Float[i] != w {
				t.Errorf("%s: ADT row %d is day %v, want %v (R: as.numeric(ADT - as.Date(\"1960-01-01\")))", test.file, i+1, adt.Float[i], w)
			}
		}
		for _, test2 := range []struct {
			name string
			null int
		}{{"PHECOG", 1}, {"WTLOSS", 14}, {"NOTE", 1}, {"AGE", 0}} {
			c, _ := tab.Column(test2.name)
			n := 0
			for _, m := range c.Missing {
				if m {
					n++
				}
			}
			if n != test2.null {
				t.Errorf("%s: %s has %d nulls, want %d", test.file, test2.name, n, test2.null)
			}
		}
		usubjid, _ := tab.Column("USUBJID")
		if usubjid.KeySequence != 1 || usubjid.Length != 8 || usubjid.Label != "Unique Subject Identifier" {
			t.Errorf("%s: USUBJID metadata %+v", test.file, usubjid)
		}
	}
}

// TestSameAsXPORT checks that the lung table gives the same cells from
// Dataset-JSON as from the XPORT file haven wrote from the same data
// (pipeline/xport/testdata/lung_v5.xpt), column by column.
func TestSameAsXPORT(t *testing.T) {
	dj := readTable(t, "lung.ndjson")
	xp, err := xport.ReadFile(filepath.Join("..", "xport", "testdata", "lung_v5.xpt"), xport.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for j := range xp.Columns {
		xc := &xp.Columns[j]
		dc, ok := dj.Column(xc.Name)
		if !ok {
			t.Fatalf("no column %s", xc.Name)
		}
		for i := 0; i < xp.Rows; i++ {
			if a, b := dc.Cell(i), xc.Cell(i); a != b {
				t.Errorf("%s row %d: Dataset-JSON %q, XPORT %q", xc.Name, i+1, a, b)
			}
		}
	}
}
