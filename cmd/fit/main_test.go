package main

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestRunExample(t *testing.T) {
	out := t.TempDir()
	var stdout, stderr bytes.Buffer
	args := []string{"-adtte", "../../datasets/example/adtte.csv", "-study", "../../datasets/example/study.yaml", "-out", out}
	if err := run(args, &stdout, &stderr); err != nil {
		t.Fatalf("run: %v\n%s", err, stderr.String())
	}
	for _, f := range []string{"km.csv", "quantiles.csv", "tests.csv", "cox.csv", "subgroups.csv", "results.json"} {
		if _, err := os.Stat(filepath.Join(out, f)); err != nil {
			t.Error(err)
		}
	}
	first, _ := os.ReadFile(filepath.Join(out, "results.json"))
	// Same input, same bytes.
	if err := run(args, &stdout, &stderr); err != nil {
		t.Fatal(err)
	}
	second, _ := os.ReadFile(filepath.Join(out, "results.json"))
	if !bytes.Equal(first, second) {
		t.Error("results.json differs between two runs")
	}
}

func TestRunFlags(t *testing.T) {
	for _, test := range []struct {
		args  []string
		usage bool
		want  string
	}{
		{nil, true, "-adtte and -out are required"},
		{[]string{"-adtte", "x.csv", "-out", "o", "-conf-type", "logit"}, true, `"log-log", "log", "plain"`},
		{[]string{"-adtte", "x.csv", "-out", "o", "-ties", "exact"}, true, "efron"},
		{[]string{"-adtte", "x.csv", "-out", "o", "-conf-level", "95"}, true, "strictly between 0 and 1"},
		{[]string{"-adtte", "x.csv", "-out", "o", "-allow", "everything"}, true, "unknown status"},
		{[]string{"-adtte", "nope.csv", "-out", "o"}, false, "nope.csv"},
	} {
		var stdout, stderr bytes.Buffer
		err := run(test.args, &stdout, &stderr)
		if err == nil {
			t.Errorf("%v: no error", test.args)
			continue
		}
		var ue usageError
		if errors.As(err, &ue) != test.usage {
			t.Errorf("%v: usage error = %v, want %v (%v)", test.args, !test.usage, test.usage, err)
		}
		if !strings.Contains(err.Error(), test.want) {
			t.Errorf("%v: error %q does not contain %q", test.args, err, test.want)
		}
	}
}

func TestRunStatusFails(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "adtte.csv")
	os.WriteFile(path, []byte("STUDYID,USUBJID,TRTP,PARAMCD,AVAL,CNSR\nS,1,A,T,1,0\nS,2,A,T,2,0\nS,3,B,T,1,1\nS,4,B,T,3,1\n"), 0o644)
	out := filepath.Join(dir, "out")
	var stdout, stderr bytes.Buffer
	err := run([]string{"-adtte", path, "-out", out}, &stdout, &stderr)
	if err == nil || !strings.Contains(err.Error(), "zero_events_in_arm") {
		t.Fatalf("error %v, want a zero_events_in_arm status failure", err)
	}
	if _, err := os.Stat(filepath.Join(out, "results.json")); err != nil {
		t.Errorf("results.json should still be written: %v", err)
	}
	err = run([]string{"-adtte", path, "-out", out, "-allow", "zero_events_in_arm,monotone_likelihood,not_converged"}, &stdout, &stderr)
	if err != nil {
		t.Errorf("with -allow: %v", err)
	}
}

// TestRunNoAcceptedRows checks that fit alone, without -study or -control,
// fails with a message naming the file when every row was rejected
// non-fatally (here: all-empty rows), instead of panicking.
func TestRunNoAcceptedRows(t *testing.T) {
	for _, test := range []struct {
		name    string
		content string
		args    []string
	}{
		{"empty rows", "STUDYID,USUBJID,TRTP,PARAMCD,AVAL,CNSR\n,,,,,\n,,,,,\n", nil},
		{"empty rows, control", "STUDYID,USUBJID,TRTP,PARAMCD,AVAL,CNSR\r\n,,,,,\r\n", []string{"-control", "A"}},
	} {
		t.Run(test.name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "adtte.csv")
			if err := os.WriteFile(path, []byte(test.content), 0o644); err != nil {
				t.Fatal(err)
			}
			var stdout, stderr bytes.Buffer
			err := run(append([]string{"-adtte", path, "-out", filepath.Join(dir, "out")}, test.args...), &stdout, &stderr)
			if err == nil || !strings.Contains(err.Error(), path+": no accepted rows") {
				t.Fatalf("error %v, want one naming %s and saying no rows were accepted", err, path)
			}
			var ue usageError
			if errors.As(err, &ue) {
				t.Errorf("a data error is not a usage error: %v", err)
			}
		})
	}
}
