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

// TestRunADCE ingests cmd/derive's tiny study, which ships adce.csv with
// its derived ADTTE: adce.csv is read and counted, and a bad event row is
// rejected with file, line and column.
func TestRunADCE(t *testing.T) {
	tiny := "../derive/testdata/tiny"
	adtte := filepath.Join(tiny, "adtte.golden.csv")
	var stdout, stderr bytes.Buffer
	if err := run([]string{"-study", tiny, "-adtte", adtte, "-out", t.TempDir()}, &stdout, &stderr); err != nil {
		t.Fatalf("run: %v\n%s", err, stderr.String())
	}
	if want := filepath.Join(tiny, "adce.csv") + ": 2 rows read = 2 accepted + 0 rejected"; !strings.Contains(stdout.String(), want) {
		t.Errorf("stdout = %q, want %q", stdout.String(), want)
	}

	dir := t.TempDir()
	for _, f := range []string{"study.yaml", "adsl.csv", "adqs.csv"} {
		b, err := os.ReadFile(filepath.Join(tiny, f))
		if err != nil {
			t.Fatal(err)
		}
		os.WriteFile(filepath.Join(dir, f), b, 0o644)
	}
	os.WriteFile(filepath.Join(dir, "adce.csv"), []byte("STUDYID,USUBJID,ADY,CETERM\nTINY,TINY-001,3,SUICIDE_ATTEMPT\nTINY,TINY-009,18,HOSPITALIZATION\n"), 0o644)
	out := t.TempDir()
	stdout.Reset()
	err := run([]string{"-study", dir, "-adtte", adtte, "-out", out}, &stdout, &stderr)
	if err == nil {
		t.Fatal("no error for an event of a subject not in adsl.csv")
	}
	if want := filepath.Join(dir, "adce.csv") + ": line 3, column 2 (USUBJID): subject TINY-009 is not in ADSL"; !strings.Contains(err.Error(), want) {
		t.Errorf("error %q does not contain %q", err, want)
	}
	if want := filepath.Join(dir, "adce.csv") + ": 2 rows read = 1 accepted + 1 rejected"; !strings.Contains(stdout.String(), want) {
		t.Errorf("stdout = %q, want %q", stdout.String(), want)
	}
	rejects, _ := os.ReadFile(filepath.Join(out, "rejects.csv"))
	if !strings.Contains(string(rejects), "adce.csv,3,USUBJID,TINY-009,") {
		t.Errorf("rejects.csv = %q", rejects)
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

// TestRunFatalKinds runs ingest on folders with one bad file each: the
// error names the file, line and column, the counts printed reconcile, and
// rejects.csv lists the rejected rows, including a malformed one and the
// rows after it.
func TestRunFatalKinds(t *testing.T) {
	const studyYAML = "id: S1\ntime_unit: days\narms:\n  - {name: A, class: ketamine}\n  - {name: B, class: placebo}\ncontrol: B\nendpoints:\n  - {paramcd: T, kind: response}\n"
	const hdr = "STUDYID,USUBJID,TRTP,PARAMCD,AVAL,CNSR\n"
	for _, test := range []struct {
		name    string
		adtte   string
		want    []string
		stdout  string
		rejects []string
	}{
		{"empty file", "", []string{"adtte.csv: line 1: the file is empty"}, "0 rows read = 0 accepted + 0 rejected", nil},
		{"header only", hdr, []string{"adtte.csv: line 1: the file has a header but no data rows"}, "0 rows read", nil},
		{"missing CNSR", "STUDYID,USUBJID,TRTP,PARAMCD,AVAL\nS1,1,A,T,1\n", []string{"adtte.csv: line 1, column CNSR (absent): required column CNSR is missing"}, "0 rows read", nil},
		{"malformed row", hdr + "S1,1,A,T,1,0\nS1,2,\"B\"x,T,1,0\nS1,3,B,T,-1,1\n", []string{"adtte.csv: line 3, column 3 (TRTP): malformed CSV", "and 1 more problems"},
			"3 rows read = 1 accepted + 2 rejected", []string{",3,TRTP,,\"malformed CSV", ",4,AVAL,-1,"}},
	} {
		t.Run(test.name, func(t *testing.T) {
			dir := t.TempDir()
			os.WriteFile(filepath.Join(dir, "study.yaml"), []byte(studyYAML), 0o644)
			os.WriteFile(filepath.Join(dir, "adtte.csv"), []byte(test.adtte), 0o644)
			out := t.TempDir()
			var stdout, stderr bytes.Buffer
			err := run([]string{"-study", dir, "-out", out}, &stdout, &stderr)
			if err == nil {
				t.Fatal("no error")
			}
			for _, w := range append(test.want, filepath.Join(dir, "adtte.csv")) {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not contain %q", err, w)
				}
			}
			if !strings.Contains(stdout.String(), test.stdout) {
				t.Errorf("stdout %q does not contain %q", stdout.String(), test.stdout)
			}
			rejects, _ := os.ReadFile(filepath.Join(out, "rejects.csv"))
			for _, w := range test.rejects {
				if !strings.Contains(string(rejects), w) {
					t.Errorf("rejects.csv %q does not contain %q", rejects, w)
				}
			}
			ingestJSON, _ := os.ReadFile(filepath.Join(out, "ingest.json"))
			if !strings.Contains(string(ingestJSON), `"study_sha256": "`) {
				t.Errorf("ingest.json has no study_sha256: %s", ingestJSON)
			}
		})
	}
}

// TestRunEncoding: a latin1 byte (ü, 0xFC) in a covariate is a fatal
// problem naming the cell when the files are read as UTF-8, the data
// contract, and is accepted with -encoding latin1; an unknown encoding is
// a usage error.
func TestRunEncoding(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "study.yaml"), []byte("id: S1\ntime_unit: days\narms:\n  - {name: A, class: ketamine}\n  - {name: B, class: placebo}\ncontrol: B\nendpoints:\n  - {paramcd: T, kind: response}\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "adtte.csv"), []byte("STUDYID,USUBJID,TRTP,PARAMCD,AVAL,CNSR,SITE\nS1,1,A,T,1,0,Z\xfcrich\nS1,2,B,T,3,1,Bern\n"), 0o644)
	for _, test := range []struct {
		flags   []string
		wantErr string
	}{
		{nil, "line 2, column 7 (SITE)"},
		{[]string{"-encoding", "utf-8"}, "not UTF-8"},
		{[]string{"-encoding", "latin1"}, ""},
		{[]string{"-encoding", "ebcdic"}, "-encoding"},
	} {
		var stdout, stderr bytes.Buffer
		err := run(append([]string{"-study", dir, "-out", t.TempDir()}, test.flags...), &stdout, &stderr)
		switch {
		case test.wantErr == "" && err != nil:
			t.Errorf("%v: %v", test.flags, err)
		case test.wantErr != "" && (err == nil || !strings.Contains(err.Error(), test.wantErr)):
			t.Errorf("%v: error %v, want one containing %q", test.flags, err, test.wantErr)
		}
	}
}
