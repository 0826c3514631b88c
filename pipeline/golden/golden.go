package golden

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gonum.org/v1/plot/cmpimg"
)

// Regen is the -regen flag: when set, Check writes the golden files.
var Regen = cmpimg.GenerateTestData

// PNGTolerance is the largest mean absolute difference per channel, in
// [0, 1], by which a PNG may differ from its golden file: anti-aliasing may
// change with the rasteriser's version, a moved or recoloured element may
// not.
const PNGTolerance = 0.002

// Check compares got with the golden file at path: PNG files (by the
// extension) by pixels within PNGTolerance, every other file byte for byte,
// reporting the first differing line. With -regen it writes got to path
// first (creating its folder).
func Check(t testing.TB, path string, got []byte) {
	t.Helper()
	if *Regen {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -regen to create it)", err)
	}
	if strings.EqualFold(filepath.Ext(path), ".png") {
		ok, err := cmpimg.EqualApprox("png", got, want, PNGTolerance)
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		if !ok {
			t.Errorf("PNG differs from %s beyond the tolerance (run go test -regen after checking the change)", path)
		}
		return
	}
	if !bytes.Equal(got, want) {
		t.Errorf("output differs from %s (run go test -regen after checking the change):\n%s", path, FirstDiff(got, want))
	}
}

// FirstDiff shows the first differing line of got and want.
func FirstDiff(got, want []byte) string {
	g, w := strings.Split(string(got), "\n"), strings.Split(string(want), "\n")
	for i := 0; i < max(len(g), len(w)); i++ {
		var gl, wl string
		if i < len(g) {
			gl = g[i]
		}
		if i < len(w) {
			wl = w[i]
		}
		if gl != wl {
			return fmt.Sprintf("line %d:\n got: %s\nwant: %s", i+1, gl, wl)
		}
	}
	return "(same lines, different bytes)"
}
