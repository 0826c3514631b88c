package main

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestRun writes the index of pipeline/index's fixture and compares it
// with that package's golden files.
func TestRun(t *testing.T) {
	src := "../../pipeline/index/testdata/reports"
	out := t.TempDir()
	var stdout bytes.Buffer
	if err := run([]string{"-reports", src, "-out", out}, &stdout); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"index.md", "index.html"} {
		got, err := os.ReadFile(filepath.Join(out, name))
		if err != nil {
			t.Fatal(err)
		}
		want, err := os.ReadFile(filepath.Join("../../pipeline/index/testdata/golden", name))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s differs from pipeline/index/testdata/golden/%s", name, name)
		}
		if !strings.Contains(stdout.String(), "wrote "+filepath.Join(out, name)) {
			t.Errorf("stdout %q does not name %s", stdout.String(), name)
		}
	}
}

func TestUsage(t *testing.T) {
	for _, args := range [][]string{{}, {"-bogus"}, {"-reports", "x", "extra"}} {
		var ue usageError
		if err := run(args, &bytes.Buffer{}); !errors.As(err, &ue) {
			t.Errorf("run(%q) = %v, want a usage error", args, err)
		}
	}
	var stdout bytes.Buffer
	if err := run([]string{"-h"}, &stdout); err != nil || !strings.Contains(stdout.String(), "Usage:") {
		t.Errorf("-h: %v, %q", err, stdout.String())
	}
	if err := run([]string{"-reports", t.TempDir()}, &bytes.Buffer{}); err == nil || !strings.Contains(err.Error(), "no study results") {
		t.Errorf("empty folder: %v", err)
	}
}
