package study_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/ketcurves/ketcurves/pipeline/study"
)

// FuzzParse checks that study.Parse (study.yaml) never panics on any input, that it
// returns either a value or an error (never both, never neither), that an
// error has a message, and that the same bytes give the same result (no
// message depends on map order). Seeds: every bundled study.yaml and small plans.
// Crashers found are kept in testdata/fuzz/FuzzParse.
//
//	go test -run '^$' -fuzz '^FuzzParse$' -fuzztime 30s ./pipeline/study/
func FuzzParse(f *testing.F) {
	for _, pattern := range []string{filepath.Join("..", "..", "datasets", "*", "study.yaml")} {
		files, _ := filepath.Glob(pattern)
		for _, name := range files {
			data, err := os.ReadFile(name)
			if err != nil {
				f.Fatal(err)
			}
			f.Add(data)
		}
	}
	f.Add([]byte("id: S\ntime_unit: days\narms:\n  - {name: A, class: ketamine}\n  - {name: B, class: placebo}\ncontrol: B\nendpoints:\n  - {paramcd: TTRESP, kind: response}\n"))
	f.Add([]byte("a: &a [x, x]\nb: &b [*a, *a]\nc: [*b, *b]\n---\nid: 2\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		v, err := study.Parse("study.yaml", data)
		if (v == nil) == (err == nil) {
			t.Fatalf("value %v and error %v: want exactly one", v != nil, err)
		}
		if err != nil && err.Error() == "" {
			t.Fatal("empty error message")
		}
		v2, err2 := study.Parse("study.yaml", data)
		if (err == nil) != (err2 == nil) || (err != nil && err.Error() != err2.Error()) || (v == nil) != (v2 == nil) {
			t.Fatalf("two calls on the same bytes differ: %v / %v", err, err2)
		}
	})
}
