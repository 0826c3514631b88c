package golden

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// recorder is a testing.TB that records failures instead of failing.
type recorder struct {
	testing.TB
	failed []string
}

func (r *recorder) Errorf(format string, args ...any) { r.failed = append(r.failed, format) }
func (r *recorder) Fatalf(format string, args ...any) { r.failed = append(r.failed, format) }
func (r *recorder) Helper()                           {}

func TestCheck(t *testing.T) {
	if *Regen {
		t.Skip("not with -regen")
	}
	path := filepath.Join(t.TempDir(), "x.txt")
	if err := os.WriteFile(path, []byte("a\nb\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	r := &recorder{TB: t}
	Check(r, path, []byte("a\nb\n"))
	if len(r.failed) != 0 {
		t.Errorf("equal content failed: %v", r.failed)
	}
	Check(r, path, []byte("a\nc\n"))
	if len(r.failed) != 1 {
		t.Errorf("different content: %d failures, want 1", len(r.failed))
	}
	if d := FirstDiff([]byte("a\nc\n"), []byte("a\nb\n")); !strings.Contains(d, "line 2") {
		t.Errorf("FirstDiff = %q", d)
	}
}
