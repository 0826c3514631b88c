package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ketcurves/ketcurves/pipeline/figure"
	"github.com/ketcurves/ketcurves/pipeline/schema"
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

// TestRunExclusions runs report with -exclusions, as make does for a
// derived study, and compares with the golden files of pipeline/report.
func TestRunExclusions(t *testing.T) {
	dir := copyStudy(t)
	args := []string{
		"-results", filepath.Join(dir, "tables", "results.json"),
		"-figures", filepath.Join(dir, "figures"),
		"-ingest", filepath.Join(dir, "ingest.json"),
		"-exclusions", filepath.Join(dir, "derive_exclusions.csv"),
		"-out", dir,
	}
	var stdout, stderr bytes.Buffer
	if err := run(args, &stdout, &stderr); err != nil {
		t.Fatalf("run: %v\nstderr: %s", err, stderr.String())
	}
	for _, name := range []string{"report.md", "report.html"} {
		got, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		golden, err := os.ReadFile(filepath.Join("..", "..", "pipeline", "report", "testdata", "golden", strings.Replace(name, "report.", "report_derivation.", 1)))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, golden) {
			t.Errorf("%s differs from the derivation golden file of pipeline/report", name)
		}
	}

	// A malformed file is an error (exit 1) naming file, line and column,
	// and no report is written.
	bad := filepath.Join(dir, "bad_exclusions.csv")
	if err := os.WriteFile(bad, []byte("STUDYID,USUBJID,TRTP,PARAMCD,REASON\nKET-SYN-01,U,KETAMINE,TTRESP\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "out")
	if err := os.MkdirAll(out, 0o755); err != nil {
		t.Fatal(err)
	}
	args[7], args[9] = bad, out
	err := run(args, &stdout, &stderr)
	if err == nil {
		t.Fatal("run with a malformed exclusions file succeeded")
	}
	if _, isUsage := err.(usageError); isUsage {
		t.Errorf("a malformed exclusions file is a usage error")
	}
	if want := bad + ": line 2, column 29: the row has 4 fields, want 5"; !strings.Contains(err.Error(), want) {
		t.Errorf("error %q lacks %q", err, want)
	}
	if _, err := os.Stat(filepath.Join(out, "report.md")); err == nil {
		t.Errorf("a failed run wrote report.md")
	}
}

// writeManifest writes figures/figures.json as the plot stage does, with the
// fixed software record of the golden files of pipeline/report.
func writeManifest(t *testing.T, dir string) {
	t.Helper()
	results := filepath.Join(dir, "tables", "results.json")
	data, err := os.ReadFile(results)
	if err != nil {
		t.Fatal(err)
	}
	sw := schema.Software{Program: "ketcurves plot", GoVersion: "go1.26.8", Modules: map[string]string{
		"codeberg.org/go-pdf/fpdf": "v0.11.1", "gonum.org/v1/gonum": "v0.17.0", "gonum.org/v1/plot": "v0.17.0",
	}}
	figs := filepath.Join(dir, "figures")
	m, err := figure.NewManifest(figs, results, data, []string{"TTRELAPSE.png", "TTRESP.csv", "TTRESP.pdf", "TTRESP.svg"}, sw)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := m.WriteJSON(&buf); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(figs, "figures.json"), buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestRunFiguresManifest runs report on a figures folder with the plot
// stage's figures.json, and on figures drawn from other results.
func TestRunFiguresManifest(t *testing.T) {
	dir := copyStudy(t)
	writeManifest(t, dir)
	results := filepath.Join(dir, "tables", "results.json")
	args := []string{"-results", results, "-figures", filepath.Join(dir, "figures"), "-ingest", filepath.Join(dir, "ingest.json"), "-out", dir}
	var stdout, stderr bytes.Buffer
	if err := run(args, &stdout, &stderr); err != nil {
		t.Fatalf("run: %v\nstderr: %s", err, stderr.String())
	}
	for _, name := range []string{"report.md", "report.html"} {
		got, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		golden, err := os.ReadFile(filepath.Join("..", "..", "pipeline", "report", "testdata", "golden", strings.Replace(name, "report.", "report_figures.", 1)))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, golden) {
			t.Errorf("%s differs from the figures golden file of pipeline/report", name)
		}
	}

	// Stale figures: results.json changed since plot ran. Exit 1, both
	// files named, no report written.
	for _, name := range []string{"report.md", "report.html"} {
		os.Remove(filepath.Join(dir, name))
	}
	data, err := os.ReadFile(results)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(results, bytes.Replace(data, []byte(`"KET-SYN-01"`), []byte(`"KET-SYN-01" `), 1), 0o644); err != nil {
		t.Fatal(err)
	}
	err = run(args, &stdout, &stderr)
	if err == nil {
		t.Fatal("run with stale figures succeeded")
	}
	if _, isUsage := err.(usageError); isUsage {
		t.Errorf("stale figures is a usage error")
	}
	for _, w := range []string{filepath.Join(dir, "figures", "figures.json"), results, "stale", "rerun the plot stage"} {
		if !strings.Contains(err.Error(), w) {
			t.Errorf("error %q lacks %q", err, w)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "report.md")); err == nil {
		t.Errorf("a failed run wrote report.md")
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
		{"missing exclusions", []string{"-results", results, "-figures", figures, "-exclusions", filepath.Join(dir, "x.csv"), "-out", dir}, false, "x.csv"},
		{"exclusions without a file", []string{"-results", results, "-figures", figures, "-out", dir, "-exclusions"}, true, "-exclusions"},
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
	for _, w := range []string{"-results FILE", "-figures DIR", "-ingest FILE", "-exclusions FILE", "-out DIR", "figures.json", "stale", "Exit status"} {
		if !strings.Contains(stdout.String(), w) {
			t.Errorf("help lacks %q", w)
		}
	}
}
