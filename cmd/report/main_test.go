package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// fixture is the study used by the tests of pipeline/report.
const fixture = "../../pipeline/report/testdata/S1"

// copyStudy lays the fixture out as reports/<study>/ in a temporary folder.
func copyStudy(t *testing.T) string {
	t.Helper()
	dst := filepath.Join(t.TempDir(), "reports", "S1")
	err := filepath.WalkDir(fixture, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(fixture, path)
		target := filepath.Join(dst, rel)
		if d.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		return os.WriteFile(target, data, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	return dst
}

func TestRun(t *testing.T) {
	dir := copyStudy(t)
	args := []string{
		"-results", filepath.Join(dir, "tables", "results.json"),
		"-figures", filepath.Join(dir, "figures"),
		"-ingest", filepath.Join(dir, "ingest.json"),
		"-out", dir,
	}
	var stdout, stderr bytes.Buffer
	if err := run(args, &stdout, &stderr); err != nil {
		t.Fatalf("run: %v\nstderr: %s", err, stderr.String())
	}
	want := "wrote " + filepath.Join(dir, "report.md") + "\nwrote " + filepath.Join(dir, "report.html") + "\n"
	if stdout.String() != want {
		t.Errorf("stdout = %q, want %q", stdout.String(), want)
	}
	if stderr.Len() != 0 {
		t.Errorf("stderr = %q, want nothing", stderr.String())
	}
	for _, name := range []string{"report.md", "report.html"} {
		got, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		golden, err := os.ReadFile(filepath.Join("..", "..", "pipeline", "report", "testdata", "golden", name))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, golden) {
			t.Errorf("%s differs from the golden file of pipeline/report", name)
		}
	}
	// Without -ingest (a standalone user).
	stdout.Reset()
	if err := run(args[:4:4], &stdout, &stderr); err == nil {
		t.Errorf("run without -out succeeded")
	}
	if err := run(append(args[:4:4], "-out", dir), &stdout, &stderr); err != nil {
		t.Fatalf("run without -ingest: %v", err)
	}
	md, _ := os.ReadFile(filepath.Join(dir, "report.md"))
	if !bytes.Contains(md, []byte("No ingest summary was given")) {
		t.Errorf("report without -ingest does not say so")
	}
}

func TestRunErrors(t *testing.T) {
	dir := copyStudy(t)
	results := filepath.Join(dir, "tables", "results.json")
	figures := filepath.Join(dir, "figures")
	for _, test := range []struct {
		name  string
		args  []string
		usage bool
		want  string
	}{
		{"no flags", nil, true, "missing -results"},
		{"unknown flag", []string{"-nope"}, true, "-nope"},
		{"argument", []string{"-results", results, "-figures", figures, "-out", dir, "extra"}, true, `unexpected argument "extra"`},
		{"no figures", []string{"-results", results, "-out", dir}, true, "missing -figures"},
		{"missing results", []string{"-results", filepath.Join(dir, "x.json"), "-figures", figures, "-out", dir}, false, "x.json"},
		{"missing ingest", []string{"-results", results, "-figures", figures, "-ingest", filepath.Join(dir, "i.json"), "-out", dir}, false, "i.json"},
		{"missing figures", []string{"-results", results, "-figures", filepath.Join(dir, "figs"), "-out", dir}, false, "figs"},
	} {
		var stdout, stderr bytes.Buffer
		err := run(test.args, &stdout, &stderr)
		if err == nil {
			t.Errorf("%s: run succeeded", test.name)
			continue
		}
		if !strings.Contains(err.Error(), test.want) {
			t.Errorf("%s: error %q lacks %q", test.name, err, test.want)
		}
		_, isUsage := err.(usageError)
		if isUsage != test.usage {
			t.Errorf("%s: usage error = %v, want %v", test.name, isUsage, test.usage)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "report.md")); err == nil {
		t.Errorf("a failed run wrote report.md")
	}
}

func TestHelp(t *testing.T) {
	var stdout, stderr bytes.Buffer
	if err := run([]string{"-h"}, &stdout, &stderr); err != nil {
		t.Fatal(err)
	}
	for _, w := range []string{"-results FILE", "-figures DIR", "-ingest FILE", "-out DIR", "Exit status"} {
		if !strings.Contains(stdout.String(), w) {
			t.Errorf("help lacks %q", w)
		}
	}
}
