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
	if err := run([]string{"-study", "../../datasets/example", "-out", out}, &stdout, &stderr); err != nil {
		t.Fatalf("run: %v\n%s", err, stderr.String())
	}
	if !strings.Contains(stdout.String(), "120 rows read = 120 accepted + 0 rejected") {
		t.Errorf("stdout = %q", stdout.String())
	}
	for _, f := range []string{"ingest.json", "rejects.csv"} {
		if _, err := os.Stat(filepath.Join(out, f)); err != nil {
			t.Error(err)
		}
	}
}

func TestRunBadInput(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "study.yaml"), []byte("id: S1\ntime_unit: days\narms:\n  - {name: A, class: ketamine}\n  - {name: B, class: placebo}\ncontrol: B\nendpoints:\n  - {paramcd: T, kind: response}\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "adtte.csv"), []byte("STUDYID,USUBJID,TRTP,PARAMCD,AVAL,CNSR\r\nS1,1,A,T,1,0\r\nS1,2,B,T,-3,1\r\n"), 0o644)
	out := t.TempDir()
	var stdout, stderr bytes.Buffer
	err := run([]string{"-study", dir, "-out", out}, &stdout, &stderr)
	if err == nil {
		t.Fatal("no error for a negative AVAL")
	}
	for _, want := range []string{filepath.Join(dir, "adtte.csv"), "line 3", "column 5 (AVAL)", "negative", "rejects.csv"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not contain %q", err, want)
		}
	}
	rejects, _ := os.ReadFile(filepath.Join(out, "rejects.csv"))
	if !strings.Contains(string(rejects), ",3,AVAL,-3,") {
		t.Errorf("rejects.csv = %q", rejects)
	}
	ents, _ := os.ReadDir(out)
	if len(ents) != 2 {
		t.Errorf("output holds %d entries, want ingest.json and rejects.csv only (no temporary file)", len(ents))
	}
}

func TestRunUsage(t *testing.T) {
	var stdout, stderr bytes.Buffer
	err := run(nil, &stdout, &stderr)
	var ue usageError
	if !errors.As(err, &ue) {
		t.Errorf("run() without flags: %v, want a usage error", err)
	}
	if !strings.Contains(stderr.String(), "usage: ingest") {
		t.Errorf("usage text not printed: %q", stderr.String())
	}
}
