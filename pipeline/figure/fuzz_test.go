package figure_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/ketcurves/ketcurves/pipeline/report"
)

// FuzzDecodeFiguresManifest checks that report.DecodeFiguresManifest (figures.json, written by this package) never panics on any input, that it
// returns either a value or an error (never both, never neither), that an
// error has a message, and that the same bytes give the same result (no
// message depends on map order). Seeds: every committed reports/*/figures/figures.json.
// Crashers found are kept in testdata/fuzz/FuzzDecodeFiguresManifest.
//
//	go test -run '^$' -fuzz '^FuzzDecodeFiguresManifest$' -fuzztime 30s ./pipeline/figure/
func FuzzDecodeFiguresManifest(f *testing.F) {
	for _, pattern := range []string{filepath.Join("..", "..", "reports", "*", "figures", "figures.json")} {
		files, _ := filepath.Glob(pattern)
		for _, name := range files {
			data, err := os.ReadFile(name)
			if err != nil {
				f.Fatal(err)
			}
			f.Add(data)
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		v, err := report.DecodeFiguresManifest("figures.json", data)
		if (v == nil) == (err == nil) {
			t.Fatalf("value %v and error %v: want exactly one", v != nil, err)
		}
		if err != nil && err.Error() == "" {
			t.Fatal("empty error message")
		}
		v2, err2 := report.DecodeFiguresManifest("figures.json", data)
		if (err == nil) != (err2 == nil) || (err != nil && err.Error() != err2.Error()) || (v == nil) != (v2 == nil) {
			t.Fatalf("two calls on the same bytes differ: %v / %v", err, err2)
		}
	})
}
