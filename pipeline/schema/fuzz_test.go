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
