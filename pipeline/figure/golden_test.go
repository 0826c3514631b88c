package figure

import (
	"path/filepath"
	"testing"

	"github.com/ketcurves/ketcurves/pipeline/golden"
)

// checkGolden compares got with testdata/name through golden.Check, the
// project's one golden helper: byte for byte except for PNG files, which
// are compared by pixels within golden.PNGTolerance. With the single
// -regen flag (go test ./pipeline/figure -regen) it first writes got there;
// look at the files before committing.
func checkGolden(t *testing.T, name string, got []byte) {
	t.Helper()
	golden.Check(t, filepath.Join("testdata", name), got)
}
