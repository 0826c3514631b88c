package formatstest

import (
	"bytes"
	"path/filepath"
	"testing"

	"github.com/ketcurves/ketcurves/pipeline/adam"
	"github.com/ketcurves/ketcurves/pipeline/fit"
)

// The files of pipeline/adam/testdata, written by its make_testdata.R
// (R 4.2.2, haven 2.5.1, jsonlite 1.8.4) from survival::lung:
//
//	write.csv(lung_adtte, "lung_adtte.csv", row.names = FALSE, na = "")
//	haven::write_xpt(lung_adtte, "lung_adtte_v5.xpt", version = 5, name = "ADTTE")
//	haven::write_xpt(lung_adtte8, "lung_adtte_v8.xpt", version = 8, name = "ADTTE")
//	lung_adtte.json, lung_adtte.ndjson: Dataset-JSON v1.1 (jsonlite)
var lungFiles = []string{"lung_adtte.csv", "lung_adtte_v5.xpt", "lung_adtte_v8.xpt", "lung_adtte.json", "lung_adtte.ndjson"}

// TestFormatsGiveTheCSVResults runs fit.Analyze on every format's table
// and compares results.json with the CSV version's byte for byte, but for
// the input file's name and SHA-256.
func TestFormatsGiveTheCSVResults(t *testing.T) {
	results := func(file string) []byte {
		tab, rep := readLung(t, file)
		res, err := fit.Analyze(tab, rep, fit.Options{Covariates: []string{"AGE", "SEX", "PHECOG", "WTLOSS"}, Program: "formats_test"})
		if err != nil {
			t.Fatalf("%s: %v", file, err)
		}
		if res.Input.File != rep.File || res.Input.SHA256 != rep.SHA256 || len(rep.SHA256) != 64 {
			t.Errorf("%s: results input %q %q, report %q %q", file, res.Input.File, res.Input.SHA256, rep.File, rep.SHA256)
		}
		res.Input.File, res.Input.SHA256 = "", ""
		var b bytes.Buffer
		if err := fit.WriteJSON(&b, res); err != nil {
			t.Fatal(err)
		}
		return b.Bytes()
	}
	want := results(lungFiles[0])
	if !bytes.Contains(want, []byte(`"paramcd": "TTDEATH"`)) {
		t.Fatalf("CSV results have no TTDEATH endpoint:\n%.500s", want)
	}
	for _, file := range lungFiles[1:] {
		if got := results(file); !bytes.Equal(got, want) {
			t.Errorf("%s: results.json differs from the CSV version's:\n%s", file, firstDifference(got, want))
		}
	}
}

func readLung(t *testing.T, file string) (*adam.ADTTE, *adam.Report) {
	t.Helper()
	tab, rep, err := adam.ReadADTTE(filepath.Join("..", "testdata", file), adam.Options{})
	if err != nil {
		t.Fatalf("%s: %v", file, err)
	}
	return tab, rep
}

// firstDifference shows the lines around the first byte where a and b differ.
func firstDifference(a, b []byte) string {
	i := 0
	for i < len(a) && i < len(b) && a[i] == b[i] {
		i++
	}
	lo := max(0, bytes.LastIndexByte(a[:i], '\n'))
	return "got:  " + string(a[lo:min(len(a), i+80)]) + "\nwant: " + string(b[lo:min(len(b), i+80)])
}
