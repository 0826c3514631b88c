package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ketcurves/ketcurves/pipeline/golden"
	"github.com/ketcurves/ketcurves/pipeline/synthesis"
)

// TestGolden runs the program on the fixture studies and compares the
// report, its tables and a figure with the golden files.
func TestGolden(t *testing.T) {
	out := t.TempDir()
	var stdout, stderr bytes.Buffer
	err := run([]string{"-reports", "testdata/reports", "-root", "testdata", "-out", out}, &stdout, &stderr)
	if err != nil {
		t.Fatalf("run: %v\n%s", err, stderr.String())
	}
	for _, name := range []string{"synthesis.md", "synthesis.html", "pooled.csv", "milestones.csv", "response_curves.svg", "response_curves.csv", "relapse_curves.csv", "forest_response_ketamine_vs_active-control.csv"} {
		got, err := os.ReadFile(filepath.Join(out, name))
		if err != nil {
			t.Fatal(err)
		}
		golden.Check(t, filepath.Join("testdata", "golden", name), got)
	}
	html, _ := os.ReadFile(filepath.Join(out, "synthesis.html"))
	for _, want := range []string{synthesis.ContentSecurityPolicy, "data:image/svg+xml;base64,", "anti-conservative", "All 3 studies are synthetic"} {
		if !strings.Contains(string(html), strings.ReplaceAll(want, "'", "&#39;")) {
			t.Errorf("synthesis.html lacks %q", want)
		}
	}
	for _, bad := range []string{"http://", "https://", "<script"} {
		if strings.Contains(strings.ReplaceAll(string(html), "http://www.w3.org/", ""), bad) {
			t.Errorf("synthesis.html contains %q: it must make no external request", bad)
		}
	}
}

// TestDeterministic runs the program twice and compares every file.
func TestDeterministic(t *testing.T) {
	dirs := []string{t.TempDir(), t.TempDir()}
	for _, d := range dirs {
		if err := run([]string{"-reports", "testdata/reports", "-root", "testdata", "-out", d}, &bytes.Buffer{}, &bytes.Buffer{}); err != nil {
			t.Fatal(err)
		}
	}
	entries, err := os.ReadDir(dirs[0])
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		a, _ := os.ReadFile(filepath.Join(dirs[0], e.Name()))
		b, err := os.ReadFile(filepath.Join(dirs[1], e.Name()))
		if err != nil || !bytes.Equal(a, b) {
			t.Errorf("%s differs between two runs", e.Name())
		}
	}
}

func TestErrors(t *testing.T) {
	for _, test := range []struct {
		args []string
		want string
	}{
		{[]string{"-reports", t.TempDir()}, "no "},
		{[]string{"-reports", "testdata/no-such-folder"}, "could not list the reports folder"},
		{[]string{"extra"}, "unexpected argument"},
	} {
		err := run(test.args, &bytes.Buffer{}, &bytes.Buffer{})
		if err == nil || !strings.Contains(err.Error(), test.want) {
			t.Errorf("run(%q) = %v, want an error containing %q", test.args, err, test.want)
		}
	}
}
