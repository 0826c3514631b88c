package figure

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gonum.org/v1/plot/cmpimg"

	"github.com/ketcurves/ketcurves/pipeline/atomicfile"
)

// regen is the package's single -regen flag, shared with gonum's cmpimg
// (which defines it): go test ./pipeline/figure -regen rewrites every golden
// file under testdata/ (look at them before committing).
var regen = cmpimg.GenerateTestData

// pngTolerance is the largest mean absolute difference, per channel in
// [0, 1], that a PNG may differ from its golden file by (cmpimg.EqualApprox):
// anti-aliasing may change with the rasteriser's version, a moved or
// recoloured element may not.
const pngTolerance = 0.002

// checkGolden compares got with testdata/name: byte for byte except for PNG
// files, which are compared by pixels within pngTolerance. With -regen it
// first writes got there.
func checkGolden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *regen {
		if err := atomicfile.WriteBytes(path, got); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v: run go test ./pipeline/figure -regen to write it", err)
	}
	if strings.HasSuffix(name, ".png") {
		ok, err := cmpimg.EqualApprox("png", got, want, pngTolerance)
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		if !ok {
			t.Errorf("PNG differs from %s beyond the tolerance: check the change and run go test ./pipeline/figure -regen", path)
		}
		return
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from %s: check the change and run go test ./pipeline/figure -regen", name, path)
	}
}
