package mc_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/ketcurves/ketcurves/pipeline/mc"
)

// FuzzParseDesign checks that mc.ParseDesign (the power design) never panics on any input, that it
// returns either a value or an error (never both, never neither), that an
// error has a message, and that the same bytes give the same result (no
// message depends on map order). Seeds: cmd/power's example and test designs.
// Crashers found are kept in testdata/fuzz/FuzzParseDesign.
//
//	go test -run '^$' -fuzz '^FuzzParseDesign$' -fuzztime 30s ./pipeline/mc/
func FuzzParseDesign(f *testing.F) {
	for _, pattern := range []string{filepath.Join("..", "..", "cmd", "power", "examples", "*.yaml"), filepath.Join("..", "..", "cmd", "power", "testdata", "*.yaml")} {
		files, _ := filepath.Glob(pattern)
		for _, name := range files {
			data, err := os.ReadFile(name)
			if err != nil {
				f.Fatal(err)
			}
			f.Add(data)
		}
	}
	f.Add([]byte("name: test\ncontrol: {name: SSRI, n: 40, median: 30}\nexperimental: {name: KETAMINE, n: 40, hr: 1.8}\nshape: 1.3\nfollowup: {min: 40, max: 60}\ndropout_rate: 0.005\nrmst_tau: 40\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		v, err := mc.ParseDesign("design.yaml", data)
		if (v == nil) == (err == nil) {
			t.Fatalf("value %v and error %v: want exactly one", v != nil, err)
		}
		if err != nil && err.Error() == "" {
			t.Fatal("empty error message")
		}
		v2, err2 := mc.ParseDesign("design.yaml", data)
		if (err == nil) != (err2 == nil) || (err != nil && err.Error() != err2.Error()) || (v == nil) != (v2 == nil) {
			t.Fatalf("two calls on the same bytes differ: %v / %v", err, err2)
		}
	})
}
