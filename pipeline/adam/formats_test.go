package adam_test

import (
	"path/filepath"
	"reflect"
	"testing"

	"github.com/ketcurves/ketcurves/pipeline/adam"
	"github.com/ketcurves/ketcurves/pipeline/column"
)

// The same data in the four formats, written by testdata/make_testdata.R
// (R 4.2.2, haven 2.5.1, jsonlite 1.8.4) from survival::lung:
//
//	write.csv(lung_adtte, "lung_adtte.csv", row.names = FALSE, na = "")
//	haven::write_xpt(lung_adtte, "lung_adtte_v5.xpt", version = 5, name = "ADTTE")
//	haven::write_xpt(lung_adtte8, "lung_adtte_v8.xpt", version = 8, name = "ADTTE")
//	lung_adtte.json, lung_adtte.ndjson: Dataset-JSON v1.1 (jsonlite)
var lungFormats = []struct {
	file   string
	format adam.Format
	reader string
	// first is the place of the first data row (the CSV header is line 1).
	first int
}{
	{"lung_adtte.csv", adam.FormatCSV, "gota", 2},
	{"lung_adtte_v5.xpt", adam.FormatXPT, "xport", 1},
	{"lung_adtte_v8.xpt", adam.FormatXPT, "xport", 1},
	{"lung_adtte.json", adam.FormatJSON, "datasetjson", 1},
	{"lung_adtte.ndjson", adam.FormatNDJSON, "datasetjson", 1},
}

// TestFormatsGiveTheCSVTable reads lung as ADTTE from every format and
// checks that the table equals the CSV version's, column by column and
// value by value, with the same counts; Line counts the format's unit
// (CSV lines, XPT observations, Dataset-JSON rows).
func TestFormatsGiveTheCSVTable(t *testing.T) {
	want, wantRep := readLung(t, lungFormats[0].file)
	if want.Len() != 228 || wantRep.Rejected != 0 {
		t.Fatalf("CSV: %d rows, %d rejected; want 228, 0 (survival::lung)", want.Len(), wantRep.Rejected)
	}
	for _, test := range lungFormats[1:] {
		got, rep := readLung(t, test.file)
		if rep.Format != test.format || rep.Reader != test.reader {
			t.Errorf("%s: format %q, reader %q; want %q, %q", test.file, rep.Format, rep.Reader, test.format, test.reader)
		}
		if rep.RowsRead != wantRep.RowsRead || rep.Accepted != wantRep.Accepted || rep.Rejected != wantRep.Rejected {
			t.Errorf("%s: read %d, accepted %d, rejected %d; CSV %d, %d, %d", test.file, rep.RowsRead, rep.Accepted, rep.Rejected, wantRep.RowsRead, wantRep.Accepted, wantRep.Rejected)
		}
		for i, l := range got.Line.Places() {
			if l != i+test.first {
				t.Fatalf("%s: row %d at %s, want %s", test.file, i, rep.Place(l), rep.Place(i+test.first))
			}
		}
		g, w := *got, *want
		g.Line, w.Line = column.Lines{}, column.Lines{}
		if !reflect.DeepEqual(g, w) {
			for _, name := range w.ExtraNames {
				if !reflect.DeepEqual(g.Extra[name], w.Extra[name]) {
					t.Errorf("%s: column %s = %q, CSV %q", test.file, name, g.Extra[name].Strings(), w.Extra[name].Strings())
				}
			}
			t.Errorf("%s: the table differs from the CSV version's", test.file)
		}
	}
}

func readLung(t *testing.T, file string) (*adam.ADTTE, *adam.Report) {
	t.Helper()
	tab, rep, err := adam.ReadADTTE(filepath.Join("testdata", file), adam.Options{})
	if err != nil {
		t.Fatalf("%s: %v", file, err)
	}
	return tab, rep
}

// TestExampleXPTIsTheExampleCSV checks that the bundled example study's
// adtte.xpt (datasets/example-xpt, written by its make_xpt.go) reads as
// the example study's adtte.csv.
func TestExampleXPTIsTheExampleCSV(t *testing.T) {
	read := func(path string) (*adam.ADTTE, *adam.Report) {
		tab, rep, err := adam.ReadADTTE(filepath.Join("..", "..", "datasets", path), adam.Options{})
		if err != nil {
			t.Fatal(err)
		}
		return tab, rep
	}
	want, wantRep := read("example/adtte.csv")
	got, rep := read("example-xpt/adtte.xpt")
	if rep.RowsRead != wantRep.RowsRead || rep.Accepted != wantRep.Accepted || got.Len() != 120 {
		t.Errorf("xpt: %d read, %d accepted; csv: %d, %d (want 120)", rep.RowsRead, rep.Accepted, wantRep.RowsRead, wantRep.Accepted)
	}
	g, w := *got, *want
	g.Line, w.Line = column.Lines{}, column.Lines{}
	if !reflect.DeepEqual(g, w) {
		t.Errorf("datasets/example-xpt/adtte.xpt does not read as datasets/example/adtte.csv: rerun go run datasets/example-xpt/make_xpt.go")
	}
}
