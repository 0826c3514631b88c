package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
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
		if err := generate(path, n, seed, false); err != nil {
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

// TestTask runs every task on a generated file and checks the printed
// keys and the recovered treatment effect roughly (log HR -0.5; the time
// ratio of the Weibull AFT is exp(0.5)).
func TestTask(t *testing.T) {
	dir := t.TempDir()
	for _, competing := range []bool{false, true} {
		path := filepath.Join(dir, fmt.Sprintf("adtte_%v.csv", competing))
		if err := generate(path, 4000, 1, competing); err != nil {
			t.Fatal(err)
		}
		for _, task := range benchTasks {
			if task.Competing != competing {
				continue
			}
			var out bytes.Buffer
			if err := run([]string{"task", "-task", task.Name, "-adtte", path, "-out", filepath.Join(dir, task.Name)}, &out, &out); err != nil {
				t.Fatalf("%s: %v", task.Name, err)
			}
			v := parseValues(out.String())
			if len(v["rows"]) != 1 || v["rows"][0] != 4000 {
				t.Errorf("%s: rows = %v", task.Name, v["rows"])
			}
			for _, ph := range []string{"read", "analyze", "write"} {
				if !strings.Contains(out.String(), "phase "+ph+" wall_s ") {
					t.Errorf("%s: no phase %s line in %q", task.Name, ph, out.String())
				}
			}
			coef := v["coef"]
			switch task.Name {
			case taskCox, taskFineGray:
				if len(coef) != 4 || coef[0] > -0.25 || coef[0] < -0.75 {
					t.Errorf("%s coef = %v, want 4 values, the first near -0.5", task.Name, coef)
				}
			case taskAFT:
				if len(coef) != 6 || coef[1] < 0.3 || coef[1] > 0.7 {
					t.Errorf("aft coef = %v, want 6 values (intercept, 4 terms, log scale), the second near 0.5", coef)
				}
			case taskKMLR:
				if len(v["median"]) != 2 || !(v["median"][1] > v["median"][0]) || len(v["chisq"]) != 1 || v["chisq"][0] < 10 {
					t.Errorf("kmlr: median %v chisq %v: want a longer median time in the control arm and a large chi-square", v["median"], v["chisq"])
				}
			}
		}
	}
}

// TestTaskIsFit checks that benchcmp task runs what the fit program runs:
// the same tables, byte for byte, from the fit binary with the task's flags.
func TestTaskIsFit(t *testing.T) {
	if testing.Short() {
		t.Skip("builds cmd/fit")
	}
	goBin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command to build cmd/fit")
	}
	dir := t.TempDir()
	fitBin := filepath.Join(dir, "fit")
	if out, err := exec.Command(goBin, "build", "-o", fitBin, "github.com/ketcurves/ketcurves/cmd/fit").CombinedOutput(); err != nil {
		t.Fatalf("go build cmd/fit: %v: %s", err, out)
	}
	for _, task := range benchTasks {
		path := filepath.Join(dir, task.Name+".csv")
		if err := generate(path, 1500, 2, task.Competing); err != nil {
			t.Fatal(err)
		}
		viaFit, viaTask := filepath.Join(dir, task.Name+"_fit"), filepath.Join(dir, task.Name+"_task")
		if out, err := exec.Command(fitBin, task.fitCommand(path, viaFit)...).CombinedOutput(); err != nil {
			t.Fatalf("fit %v: %v: %s", task.fitCommand(path, viaFit), err, out)
		}
		var out bytes.Buffer
		if err := run([]string{"task", "-task", task.Name, "-adtte", path, "-out", viaTask}, &out, &out); err != nil {
			t.Fatalf("task %s: %v", task.Name, err)
		}
		files, _ := filepath.Glob(filepath.Join(viaFit, "*"))
		if len(files) < 3 {
			t.Fatalf("%s: fit wrote %v", task.Name, files)
		}
		for _, f := range files {
			a, _ := os.ReadFile(f)
			b, err := os.ReadFile(filepath.Join(viaTask, filepath.Base(f)))
			if err != nil || !bytes.Equal(a, b) {
				t.Errorf("%s: %s differs between fit and benchcmp task (%v)", task.Name, filepath.Base(f), err)
			}
		}
	}
}

// TestKMMedians checks R's median rule on a km.csv written by hand: the
// first event time with S < 1/2, and the midpoint where S = 1/2 is flat
// (survfit(Surv(c(1, 2, 3, 4), rep(1, 4)))$median is 2.5).
func TestKMMedians(t *testing.T) {
	dir := t.TempDir()
	km := `paramcd,arm,time,n_risk,n_event,n_censor,surv,std_err,lower,upper
P,A,1,4,1,0,0.75,0,,
P,A,2,3,1,0,0.5,0,,
P,A,2.5,2,0,1,0.5,0,,
P,A,3,2,1,0,0.25,0,,
P,A,4,1,1,0,0,0,,
P,B,1,3,1,0,0.6666666667,0,,
P,B,2,2,0,1,0.6666666667,0,,
P,B,5,1,1,0,0,0,,
`
	os.WriteFile(filepath.Join(dir, "km.csv"), []byte(km), 0o644)
	got, err := kmMedians(dir)
	if err != nil || len(got) != 2 || got[0] != 2.5 || got[1] != 5 {
		t.Errorf("kmMedians = %v, %v, want [2.5 5]", got, err)
	}
}

func TestReadEstimates(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "tests.csv"), []byte("paramcd,test,statistic,df,p_value\nP,logrank,3.5,1,0.06\nP,cox_lr,7.25,4,0.1\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "results.json"), []byte(`{"schema": "x", "study": {"arms": [1, 2]}, "input": {"file": "f", "rows": 12}, "endpoints": []}`), 0o644)
	v, err := readEstimates(dir, csvColumn{"tests.csv", "statistic", "lr", map[string]string{"test": "cox_lr"}})
	if err != nil || len(v["lr"]) != 1 || v["lr"][0] != 7.25 || v["rows"][0] != 12 {
		t.Errorf("readEstimates = %v, %v", v, err)
	}
	if _, err := readEstimates(dir, csvColumn{"tests.csv", "statistic", "lr", map[string]string{"test": "gray"}}); err == nil {
		t.Error("no error for a table without the selected row")
	}
	if _, err := readEstimates(dir, csvColumn{"cox.csv", "coef", "coef", nil}); err == nil {
		t.Error("no error for a missing table")
	}
}

// TestGenerateCompeting checks the competing-events file: the plain file's
// columns but AVAL, CNSR, plus EVNTTYPE, filled exactly on events.
func TestGenerateCompeting(t *testing.T) {
	var plain, cr bytes.Buffer
	if err := writeBench(&plain, 300, 1, false); err != nil {
		t.Fatal(err)
	}
	if err := writeBench(&cr, 300, 1, true); err != nil {
		t.Fatal(err)
	}
	pl, cl := strings.Split(plain.String(), "\n"), strings.Split(cr.String(), "\n")
	if cl[0] != strings.TrimSuffix(benchCompetingHeader, "\n") || len(pl) != len(cl) {
		t.Fatalf("header %q, %d and %d lines", cl[0], len(pl), len(cl))
	}
	kinds := map[string]int{}
	for i := 1; i < len(cl)-1; i++ {
		p, c := strings.Split(pl[i], ","), strings.Split(cl[i], ",")
		if len(c) != len(p)+1 || c[2] != p[2] || c[6] != p[6] || c[7] != p[7] || c[8] != p[8] {
			t.Fatalf("line %d: %q vs %q", i+1, cl[i], pl[i])
		}
		if (c[5] == "0") != (c[9] != "") {
			t.Errorf("line %d: CNSR %s with EVNTTYPE %q", i+1, c[5], c[9])
		}
		kinds[c[9]]++
	}
	if kinds[eventResponse] < 50 || kinds[eventDropout] < 10 || kinds[""] < 10 {
		t.Errorf("event types %v: want responses, dropouts and censored rows", kinds)
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
		{"task", "-task", "median", "-adtte", "x", "-out", "y"},
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
	err := run([]string{"task", "-task", "cox", "-adtte", path, "-out", filepath.Join(t.TempDir(), "out")}, &out, &out)
	if err == nil || !strings.Contains(err.Error(), "line 2") {
		t.Errorf("error = %v, want one naming line 2", err)
	}
}
