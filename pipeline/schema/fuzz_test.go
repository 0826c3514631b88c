package schema_test

import (
	"os"
	"path/filepath"
	"testing"

	"encoding/json"

	"github.com/ketcurves/ketcurves/pipeline/schema"
)

// FuzzDecodeResults checks that schema.DecodeResults (results.json) never panics on any input, that it
// returns either a value or an error (never both, never neither), that an
// error has a message, and that the same bytes give the same result (no
// message depends on map order). Seeds: every committed reports/*/tables/results.json and pipeline/figure's fixture.
// Crashers found are kept in testdata/fuzz/FuzzDecodeResults.
//
//	go test -run '^$' -fuzz '^FuzzDecodeResults$' -fuzztime 30s ./pipeline/schema/
func FuzzDecodeResults(f *testing.F) {
	for _, pattern := range []string{filepath.Join("..", "..", "reports", "*", "tables", "results.json"), filepath.Join("..", "figure", "testdata", "results.json")} {
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
		v, err := schema.DecodeResults("results.json", data)
		if (v == nil) == (err == nil) {
			t.Fatalf("value %v and error %v: want exactly one", v != nil, err)
		}
		if err != nil && err.Error() == "" {
			t.Fatal("empty error message")
		}
		v2, err2 := schema.DecodeResults("results.json", data)
		if (err == nil) != (err2 == nil) || (err != nil && err.Error() != err2.Error()) || (v == nil) != (v2 == nil) {
			t.Fatalf("two calls on the same bytes differ: %v / %v", err, err2)
		}
		if err == nil {
			// What was decoded encodes and decodes again.
			out, err := json.Marshal(v)
			if err != nil {
				t.Fatalf("decoded results do not encode: %v", err)
			}
			if _, err := schema.DecodeResults("again.json", out); err != nil {
				t.Fatalf("re-encoded results do not decode: %v", err)
			}
		}
	})
}

// FuzzDecodeFiguresManifest checks schema.DecodeFiguresManifest
// (figures.json) as FuzzDecodeResults does: no panic, a value or an error,
// the same result twice, and a decoded manifest encodes and decodes again.
// Seeds: every committed reports/*/figures/figures.json.
//
//	go test -run '^$' -fuzz '^FuzzDecodeFiguresManifest$' -fuzztime 30s ./pipeline/schema/
func FuzzDecodeFiguresManifest(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("..", "..", "reports", "*", "figures", "figures.json"))
	for _, name := range files {
		data, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := schema.DecodeFiguresManifest("figures.json", data)
		if (m == nil) == (err == nil) {
			t.Fatalf("value %v and error %v: want exactly one", m != nil, err)
		}
		if err != nil && err.Error() == "" {
			t.Fatal("empty error message")
		}
		m2, err2 := schema.DecodeFiguresManifest("figures.json", data)
		if (err == nil) != (err2 == nil) || (err != nil && err.Error() != err2.Error()) || (m == nil) != (m2 == nil) {
			t.Fatalf("two calls on the same bytes differ: %v / %v", err, err2)
		}
		if err == nil {
			out, err := json.Marshal(m)
			if err != nil {
				t.Fatalf("decoded manifest does not encode: %v", err)
			}
			if _, err := schema.DecodeFiguresManifest("again.json", out); err != nil {
				t.Fatalf("re-encoded manifest does not decode: %v", err)
			}
		}
	})
}
