package main

import (
	"bytes"
	"encoding/csv"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/ketcurves/ketcurves/pipeline/golden"
)

// TestTinyStudy derives testdata/tiny and compares with the golden files,
// and with AVAL/CNSR worked out by hand from adqs.csv and adce.csv.
func TestTinyStudy(t *testing.T) {
	dir := t.TempDir()
	out, excl := filepath.Join(dir, "adtte.csv"), filepath.Join(dir, "excl.csv")
	var stdout, stderr bytes.Buffer
	if err := run([]string{"-study", "testdata/tiny", "-out", out, "-exclusions", excl}, &stdout, &stderr); err != nil {
		t.Fatalf("run: %v\n%s", err, stderr.String())
	}
	// By hand (study.yaml, adqs.csv, adce.csv of testdata/tiny). TINY-004
	// has no baseline: excluded from every endpoint (baseline: required, the
	// default), although its 9 at DAY7 would meet remission's threshold.
	want := map[string]string{
		"TINY-001 TTRESP":    "1 0",  // 14 ≤ 15 = 50% of 30 at DAY1
		"TINY-001 TTREMIT":   "7 0",  // 10 at DAY7, 8 at DAY14: sustained over 2
		"TINY-001 TTRELAPSE": "20 0", // anchor DAY1; 24 at DAY21 confirmed by 26 at DAY28 (7 days): 21 − 1
		"TINY-001 TTSIRES":   "7 0",  // SSI 4 → 2 → 0 at DAY7
		"TINY-002 TTRESP":    "10 1", // never ≤ 16; last adequate: UNSCHED day 10 (DAY14 missed)
		"TINY-002 TTREMIT":   "10 1",
		"TINY-003 TTRESP":    "1 0",  // 17 ≤ 18 = 50% of 36
		"TINY-003 TTREMIT":   "28 1", // never ≤ 10
		"TINY-003 TTRELAPSE": "13 1", // rescue on day 20: DAY21, DAY28 unused; last DAY14: 14 − 1
		"TINY-005 TTRESP":    "1 0",  // 12 ≤ 14
		"TINY-005 TTREMIT":   "21 1",
		"TINY-005 TTRELAPSE": "17 0", // hospitalization on day 18: 18 − 1
	}
	got := readCSV(t, out)
	if len(got)-1 != len(want) {
		t.Errorf("%d ADTTE rows, want %d", len(got)-1, len(want))
	}
	for _, rec := range got[1:] {
		key, val := rec[1]+" "+rec[3], rec[4]+" "+rec[5]
		if want[key] != val {
			t.Errorf("%s: AVAL CNSR %q, want %q", key, val, want[key])
		}
	}
	if n := len(readCSV(t, excl)) - 1; n+len(want) != 5*4 {
		t.Errorf("%d exclusions + %d rows ≠ 5 subjects × 4 endpoints", n, len(want))
	}
	checkGolden(t, out, "testdata/tiny/adtte.golden.csv")
	checkGolden(t, excl, "testdata/tiny/exclusions.golden.csv")
	got2 := strings.ReplaceAll(stdout.String(), dir, "OUT")
	tmp := filepath.Join(dir, "stdout")
	os.WriteFile(tmp, []byte(got2), 0o644)
	checkGolden(t, tmp, "testdata/tiny/stdout.golden")
}

func readCSV(t *testing.T, path string) [][]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return recs
}

func checkGolden(t *testing.T, path, goldenPath string) {
	t.Helper()
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	golden.Check(t, goldenPath, got)
}

// TestErrors checks usage errors and data errors: the message names the
// file and line.
func TestErrors(t *testing.T) {
	tiny := func(t *testing.T, edit map[string]string) string {
		dir := t.TempDir()
		for _, f := range []string{"study.yaml", "adsl.csv", "adqs.csv", "adce.csv"} {
			b, err := os.ReadFile(filepath.Join("testdata/tiny", f))
			if err != nil {
				t.Fatal(err)
			}
			s := string(b)
			for from, to := range edit {
				s = strings.Replace(s, from, to, 1)
			}
			os.WriteFile(filepath.Join(dir, f), []byte(s), 0o644)
		}
		return dir
	}
	for _, test := range []struct {
		name  string
		args  func(t *testing.T) []string
		usage bool
		want  []string
	}{
		{"no flags", func(*testing.T) []string { return nil }, true, []string{"-study is required"}},
		{"no out", func(*testing.T) []string { return []string{"-study", "x"} }, true, []string{"-out is required"}},
		{"extra argument", func(*testing.T) []string { return []string{"-study", "x", "-out", "y", "z"} }, true, []string{`unexpected argument "z"`}},
		{"bad flag", func(*testing.T) []string { return []string{"-stduy", "x"} }, true, []string{"stduy"}},
		{"malformed plan", func(t *testing.T) []string {
			return []string{"-study", tiny(t, map[string]string{"event: {at_most: 10, sustained: 2}": "event: {at_most: 10, sustained: 0}"}), "-out", filepath.Join(t.TempDir(), "a.csv")}
		}, false, []string{"study.yaml: line 21", "sustained"}},
		{"duplicate visit", func(t *testing.T) []string {
			return []string{"-study", tiny(t, map[string]string{"TINY-001,MADRS,DAY7,7,10": "TINY-001,MADRS,DAY1,7,10"}), "-out", filepath.Join(t.TempDir(), "a.csv")}
		}, false, []string{"{dir}/adqs.csv: lines 4 and 5", "visit DAY1"}},
		{"bad number", func(t *testing.T) []string {
			return []string{"-study", tiny(t, map[string]string{"TINY-001,MADRS,DAY7,7,10": "TINY-001,MADRS,DAY7,7,ten"}), "-out", filepath.Join(t.TempDir(), "a.csv")}
		}, false, []string{"could not read the study data: invalid data file: {dir}/adqs.csv: line 5, column 6 (AVAL): ", `AVAL "ten" is not a finite number: give the score`}},
		{"several bad rows", func(t *testing.T) []string {
			return []string{"-study", tiny(t, map[string]string{"TINY-001,MADRS,DAY7,7,10": "TINY-001,MADRS,DAY7,7,ten", "TINY-002,PBO": "TINY-002,PLACEBO", "TINY,TINY-005,18,HOSPITALIZATION": "TINY,TINY-005,day 18,HOSPITALIZATION"}), "-out", filepath.Join(t.TempDir(), "a.csv")}
		}, false, []string{"invalid data file: {dir}/adsl.csv: line 3, column 3 (TRT01P): unknown arm \"PLACEBO\"", "(and ", " more problems, listed below)", "\n  {dir}/adqs.csv: line 5, column 6 (AVAL): ", "\n  {dir}/adce.csv: line 3, column 3 (ADY): "}},
		{"clinical_events without adce.csv", func(t *testing.T) []string {
			dir := tiny(t, nil)
			os.Remove(filepath.Join(dir, "adce.csv"))
			return []string{"-study", dir, "-out", filepath.Join(t.TempDir(), "a.csv")}
		}, false, []string{"study.yaml: line 31", "clinical_events lists HOSPITALIZATION but there is no {dir}/adce.csv"}},
		{"source absent from adqs.csv", func(t *testing.T) []string {
			return []string{"-study", tiny(t, map[string]string{"source: SSI": "source: SSIX"}), "-out", filepath.Join(t.TempDir(), "a.csv")}
		}, false, []string{"study.yaml: line 36", "derive.source SSIX: no {dir}/adqs.csv row has PARAMCD SSIX (found MADRS, SSI)"}},
		{"missing folder", func(t *testing.T) []string {
			return []string{"-study", filepath.Join(t.TempDir(), "nope"), "-out", "a.csv"}
		}, false, []string{"study.yaml"}},
	} {
		var stdout, stderr bytes.Buffer
		args := test.args(t)
		err := run(args, &stdout, &stderr)
		if err == nil {
			t.Errorf("%s: no error", test.name)
			continue
		}
		// {dir} in a wanted text is the study folder: data errors name
		// files by their full path.
		dir := ""
		if i := slices.Index(args, "-study"); i >= 0 && i+1 < len(args) {
			dir = args[i+1]
		}
		var ue usageError
		if isUsage := errors.As(err, &ue); isUsage != test.usage {
			t.Errorf("%s: usage error %v, want %v (%v)", test.name, isUsage, test.usage, err)
		}
		for _, w := range test.want {
			w = strings.ReplaceAll(w, "{dir}", dir)
			if !strings.Contains(err.Error(), w) {
				t.Errorf("%s: error %q does not contain %q", test.name, err, w)
			}
		}
	}
}

func TestHelp(t *testing.T) {
	var stdout, stderr bytes.Buffer
	err := run([]string{"-h"}, &stdout, &stderr)
	if !errors.Is(err, flag.ErrHelp) {
		t.Fatalf("got %v, want flag.ErrHelp", err)
	}
	for _, w := range []string{"Usage: derive", "ILOWER", "-exclusions"} {
		if !strings.Contains(stderr.String(), w) {
			t.Errorf("help does not mention %q", w)
		}
	}
}

// TestEncoding: a latin1 byte (ü, 0xFC) in an ADSL covariate stops derive
// with the file, line and column when read as UTF-8, the data contract;
// with -encoding latin1 the files are read.
func TestEncoding(t *testing.T) {
	dir := t.TempDir()
	for _, name := range []string{"study.yaml", "adsl.csv", "adqs.csv", "adce.csv"} {
		data, err := os.ReadFile(filepath.Join("testdata/tiny", name))
		if err != nil {
			continue
		}
		if name == "adsl.csv" {
			lines := strings.Split(strings.TrimRight(string(data), "\n"), "\n")
			lines[0] += ",SITE"
			for i := 1; i < len(lines); i++ {
				lines[i] += ",Z\xfcrich"
			}
			data = []byte(strings.Join(lines, "\n") + "\n")
		}
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	out := filepath.Join(t.TempDir(), "adtte.csv")
	var stdout, stderr bytes.Buffer
	err := run([]string{"-study", dir, "-out", out}, &stdout, &stderr)
	if err == nil || !strings.Contains(err.Error(), "adsl.csv: line 2") || !strings.Contains(err.Error(), "(SITE)") || !strings.Contains(err.Error(), "not UTF-8") {
		t.Errorf("UTF-8: error %v, want the SITE cell of adsl.csv line 2 named as not UTF-8", err)
	}
	if err := run([]string{"-study", dir, "-out", out, "-encoding", "latin1"}, &stdout, &stderr); err != nil {
		t.Fatalf("latin1: %v", err)
	}
	// SITE is not a covariate of the plan: the ADTTE is the tiny study's.
	got, _ := os.ReadFile(out)
	want, _ := os.ReadFile("testdata/tiny/adtte.golden.csv")
	if !bytes.Equal(got, want) {
		t.Errorf("latin1: adtte.csv differs from testdata/tiny/adtte.golden.csv:\n%s", got)
	}
	if err := run([]string{"-study", dir, "-out", out, "-encoding", "ebcdic"}, &stdout, &stderr); err == nil || !strings.Contains(err.Error(), "-encoding") {
		t.Errorf("unknown encoding: error %v", err)
	}
}
