package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/ketcurves/ketcurves/pipeline/golden"
)

// TestGolden runs meta on the testdata inputs and compares every output
// with testdata/<input>.golden/. hr4.csv (4 hazard ratios, the first OS
// studies of metadat's dat.riley2003) exercises the small-k warning and the
// HKSJ-first order; bcg.csv (metafor's dat.bcg log risk ratios) the yi,sei
// input, leave-one-out and Egger's test. The numbers themselves are checked
// against metafor in pipeline/meta.
func TestGolden(t *testing.T) {
	for _, in := range []string{"hr4", "bcg"} {
		t.Run(in, func(t *testing.T) {
			out := t.TempDir()
			var stdout, stderr bytes.Buffer
			if err := run([]string{"-in", filepath.Join("testdata", in+".csv"), "-out", out}, &stdout, &stderr); err != nil {
				t.Fatal(err)
			}
			goldenDir := filepath.Join("testdata", in+".golden")
			got := map[string][]byte{"stdout": stdout.Bytes(), "stderr": stderr.Bytes()}
			for _, name := range []string{"meta.csv", "leave_one_out.csv", "meta.json", "forest.svg"} {
				b, err := os.ReadFile(filepath.Join(out, name))
				if err != nil {
					t.Fatal(err)
				}
				got[name] = b
			}
			for name, b := range got {
				golden.Check(t, filepath.Join(goldenDir, name), b)
			}
		})
	}
}

func firstDiff(got, want []byte) string {
	g, w := strings.Split(string(got), "\n"), strings.Split(string(want), "\n")
	for i := 0; i < len(g) || i < len(w); i++ {
		var a, b string
		if i < len(g) {
			a = g[i]
		}
		if i < len(w) {
			b = w[i]
		}
		if a != b {
			return "line " + strconv.Itoa(i+1) + ":\n got: " + a + "\nwant: " + b
		}
	}
	return ""
}

// TestBadInput checks that bad input is an error naming the file, line and
// column, and that nothing is written.
func TestBadInput(t *testing.T) {
	for _, test := range []struct {
		name, csv, want string
	}{
		{"ci without estimate", "study,hr,lower,upper\na,0.5,0.6,0.9\nb,0.7,0.5,0.9\n", "bad.csv:2:3: confidence interval [0.6, 0.9] does not contain the estimate 0.5"},
		{"hr zero", "study,hr,lower,upper\na,0.5,0.3,0.9\nb,0,0.5,0.9\n", "bad.csv:3:3: hr 0 must be > 0"},
		{"negative lower", "study,hr,lower,upper\na,0.5,-0.3,0.9\nb,0.6,0.5,0.9\n", "bad.csv:2:7: lower -0.3 must be > 0"},
		{"lower above upper", "study,hr,lower,upper\na,0.5,0.9,0.3\nb,0.6,0.5,0.9\n", "bad.csv:2:7: lower 0.9 must be below upper 0.3"},
		{"non-positive se", "study,yi,sei\na,0.1,0.2\nb,0.3,0\n", "bad.csv:3:7: sei 0 must be > 0"},
		{"not a number", "study,yi,sei\na,0.1,0.2\nb,x,0.1\n", `bad.csv:3:3: yi "x" is not a finite number`},
		{"empty number", "study,yi,sei\na,0.1,0.2\nb,,0.1\n", `bad.csv:3:3: yi "" is not a finite number`},
		{"one study", "study,yi,sei\na,0.1,0.2\n", "bad.csv: 1 study: a meta-analysis needs at least 2"},
		{"no studies", "study,yi,sei\n", "bad.csv: 0 studies: a meta-analysis needs at least 2"},
		{"duplicate", "study,yi,sei\na,0.1,0.2\nb,0.2,0.2\na,0.3,0.1\n", `bad.csv:4:1: duplicate study "a" (also on line 2)`},
		{"empty name", "study,yi,sei\na,0.1,0.2\n,0.2,0.2\n", "bad.csv:3:1: empty study name"},
		{"missing columns", "study,hr,lower\na,0.1,0.2\n", "bad.csv:1: missing columns: need study and either hr,lower,upper"},
		{"missing study", "name,yi,sei\na,0.1,0.2\n", "bad.csv:1: missing column study"},
		{"both sets", "study,yi,sei,hr,lower,upper\na,0.1,0.2,1,0.5,2\n", "bad.csv:1: both hr,lower,upper and yi,sei"},
		{"ragged row", "study,yi,sei\na,0.1\n", "bad.csv:2:1: wrong number of fields"},
		{"empty file", "", "bad.csv: empty file"},
	} {
		t.Run(test.name, func(t *testing.T) {
			dir := t.TempDir()
			in := filepath.Join(dir, "bad.csv")
			if err := os.WriteFile(in, []byte(test.csv), 0o644); err != nil {
				t.Fatal(err)
			}
			out := filepath.Join(dir, "out")
			var stdout, stderr bytes.Buffer
			err := run([]string{"-in", in, "-out", out}, &stdout, &stderr)
			if err == nil {
				t.Fatalf("no error, want %q", test.want)
			}
			if !strings.Contains(err.Error(), test.want) {
				t.Errorf("error %q\nwant it to contain %q", err, test.want)
			}
			if _, err := os.Stat(out); !os.IsNotExist(err) {
				t.Errorf("output folder written despite the error")
			}
		})
	}
}

// TestUsage checks that flag mistakes are usage errors (exit status 2).
func TestUsage(t *testing.T) {
	for _, args := range [][]string{
		{},
		{"-in", "x.csv"},
		{"-in", "x.csv", "-out", "d", "extra"},
		{"-in", "x.csv", "-out", "d", "-conf-level", "1.5"},
		{"-in", "x.csv", "-out", "d", "-plot-format", "gif"},
	} {
		var stdout, stderr bytes.Buffer
		err := run(args, &stdout, &stderr)
		if _, ok := err.(usageError); !ok {
			t.Errorf("run(%q) = %v, want a usage error", args, err)
		}
	}
}
