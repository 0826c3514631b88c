package main

import (
	"bytes"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestGenerateDeterministic checks that the benchmark file depends only on
// (n, seed), and that it is a valid ADTTE file for the task.
func TestGenerateDeterministic(t *testing.T) {
	dir := t.TempDir()
	read := func(name string, n int, seed uint64) []byte {
		path := filepath.Join(dir, name)
		if err := generate(path, n, seed); err != nil {
			t.Fatal(err)
		}
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	a, b, c := read("a.csv", 500, 1), read("b.csv", 500, 1), read("c.csv", 500, 2)
	if !bytes.Equal(a, b) {
		t.Error("same n and seed give different files")
	}
	if bytes.Equal(a, c) {
		t.Error("different seeds give the same file")
	}
	if lines := bytes.Count(a, []byte("\n")); lines != 501 {
		t.Errorf("%d lines, want 501", lines)
	}
	if !bytes.HasPrefix(a, []byte(benchHeader)) {
		t.Errorf("header %q", a[:60])
	}
	// The first 100 rows are a prefix of the 500-row file: row i depends on i only.
	small := read("small.csv", 100, 1)
	if !bytes.HasPrefix(a, small) {
		t.Error("the 100-row file is not a prefix of the 500-row file")
	}
}

// TestTask runs both tasks on a generated file and checks the printed keys
// and the recovered treatment effect (log HR -0.5) roughly.
func TestTask(t *testing.T) {
	path := filepath.Join(t.TempDir(), "adtte.csv")
	if err := generate(path, 4000, 1); err != nil {
		t.Fatal(err)
	}
	for _, task := range []string{taskCox, taskKMLR} {
		var out bytes.Buffer
		if err := run([]string{"task", "-task", task, "-adtte", path}, &out, &out); err != nil {
			t.Fatalf("%s: %v", task, err)
		}
		v := parseValues(out.String())
		if v["rows"][0] != 4000 {
			t.Errorf("%s: rows = %v", task, v["rows"])
		}
		switch task {
		case taskCox:
			if len(v["coef"]) != 4 || v["coef"][0] > -0.3 || v["coef"][0] < -0.7 {
				t.Errorf("cox coef = %v, want 4 values, the first near -0.5", v["coef"])
			}
		case taskKMLR:
			if len(v["median"]) != 2 || !(v["median"][1] > v["median"][0]) || len(v["chisq"]) != 1 || v["chisq"][0] < 10 {
				t.Errorf("kmlr: median %v chisq %v: want a longer median time in the control arm and a large chi-square", v["median"], v["chisq"])
			}
		}
	}
}

func TestSameEstimates(t *testing.T) {
	ours := map[string][]float64{"coef": {-0.5, 0.01}, "rows": {10}}
	for _, c := range []struct {
		theirs map[string][]float64
		want   bool
	}{
		{map[string][]float64{"coef": {-0.5, 0.01}, "rows": {10}}, true},
		{map[string][]float64{"coef": {-0.5 * (1 + 1e-8), 0.01}, "rows": {10}}, true},
		{map[string][]float64{"coef": {-0.5 * (1 + 1e-5), 0.01}, "rows": {10}}, false},
		{map[string][]float64{"coef": {-0.5}, "rows": {10}}, false},
		{map[string][]float64{"coef": {-0.5, 0.01}, "rows": {11}}, false},
	} {
		if got, detail := sameEstimates(ours, c.theirs); got != c.want {
			t.Errorf("sameEstimates(%v) = %v (%s), want %v", c.theirs, got, detail, c.want)
		}
	}
}

func TestSizes(t *testing.T) {
	got, err := parseSizes("1e3, 1e6,2500")
	if err != nil || len(got) != 3 || got[0] != 1000 || got[1] != 1000000 || got[2] != 2500 {
		t.Errorf("parseSizes = %v, %v", got, err)
	}
	for _, bad := range []string{"", "x", "0", "1.5", "1e12"} {
		if _, err := parseSizes(bad); err == nil {
			t.Errorf("parseSizes(%q): no error", bad)
		}
	}
	for n, want := range map[int]string{1000: "1e3", 10000000: "1e7", 2500: "2500", 100: "100"} {
		if got := fmtRows(n); got != want {
			t.Errorf("fmtRows(%d) = %q, want %q", n, got, want)
		}
	}
}

func TestUsageErrors(t *testing.T) {
	for _, args := range [][]string{
		{},
		{"nope"},
		{"gen", "-n", "0", "-out", "x"},
		{"task", "-task", "median", "-adtte", "x"},
		{"task", "-task", "cox"},
		{"compare", "-sizes", "abc"},
		{"compare", "-tasks", "fit"},
	} {
		var out bytes.Buffer
		err := run(args, &out, &out)
		var ue usageError
		if !errors.As(err, &ue) {
			t.Errorf("run(%q) = %v, want a usage error", args, err)
		}
	}
	var out bytes.Buffer
	if err := run([]string{"compare", "-h"}, &out, &out); !errors.Is(err, flag.ErrHelp) || !strings.Contains(out.String(), "speed-up") {
		t.Errorf("compare -h: %v, %q", err, out.String())
	}
}

// TestTaskRejectsBadFile checks that a task reports the file's problem.
func TestTaskRejectsBadFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "bad.csv")
	os.WriteFile(path, []byte(benchHeader+"BENCH,B1,KETAMINE,TTRESP,-1,0,40,F,30\n"), 0o644)
	var out bytes.Buffer
	err := run([]string{"task", "-task", "cox", "-adtte", path}, &out, &out)
	if err == nil || !strings.Contains(err.Error(), "line 2") {
		t.Errorf("error = %v, want one naming line 2", err)
	}
}
