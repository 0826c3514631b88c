package sim_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/ketcurves/ketcurves/pipeline/sim"
)

// FuzzParseScenario checks that sim.ParseScenario (scenario.yaml) never panics on any input, that it
// returns either a value or an error (never both, never neither), that an
// error has a message, and that the same bytes give the same result (no
// message depends on map order). Seeds: every bundled scenario.yaml.
// Crashers found are kept in testdata/fuzz/FuzzParseScenario.
//
//	go test -run '^$' -fuzz '^FuzzParseScenario$' -fuzztime 30s ./pipeline/sim/
func FuzzParseScenario(f *testing.F) {
	for _, pattern := range []string{filepath.Join("..", "..", "datasets", "*", "scenario.yaml")} {
		files, _ := filepath.Glob(pattern)
		for _, name := range files {
			data, err := os.ReadFile(name)
			if err != nil {
				f.Fatal(err)
			}
			f.Add(data)
		}
	}
	f.Add([]byte("a: &a [x, x]\nb: &b [*a, *a]\nc: [*b, *b]\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		v, err := sim.ParseScenario("scenario.yaml", data)
		if (v == nil) == (err == nil) {
			t.Fatalf("value %v and error %v: want exactly one", v != nil, err)
		}
		if err != nil && err.Error() == "" {
			t.Fatal("empty error message")
		}
		v2, err2 := sim.ParseScenario("scenario.yaml", data)
		if (err == nil) != (err2 == nil) || (err != nil && err.Error() != err2.Error()) || (v == nil) != (v2 == nil) {
			t.Fatalf("two calls on the same bytes differ: %v / %v", err, err2)
		}
	})
}
