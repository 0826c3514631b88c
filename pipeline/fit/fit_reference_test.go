package fit

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/ketcurves/ketcurves/pipeline/adam"
	"github.com/ketcurves/ketcurves/pipeline/cox"
	"github.com/ketcurves/ketcurves/pipeline/km"
)

// The reference files in testdata were written by testdata/make_reference.R
// (R 4.2.2, survival 3.5.3) with, per endpoint and arm,
//
//	fit <- survfit(Surv(AVAL, 1 - CNSR) ~ 1, data = da, conf.type = ct)
//	summary(fit, censored = TRUE); quantile(fit, probs = c(0.25, 0.5, 0.75))
//
// and, per endpoint, with TRTP relevelled to the control arm,
//
//	survdiff(Surv(AVAL, 1 - CNSR) ~ TRTP + strata(S), data = dp)
//	coxph(Surv(AVAL, 1 - CNSR) ~ TRTP + COV1 + COV2 + strata(S), data = dp, ties = ties)
//
// The test runs the whole fit stage (reader, Analyze, CSV writers) on the
// same files and compares every cell to 1e-6 relative.
var referenceCases = []struct {
	name       string
	file       string
	control    string
	covariates []string
	strata     string
}{
	{"example", "example_adtte.csv", "MIDAZOLAM", []string{"AGE", "SEX"}, "STRATUM"},
	{"veteran", "veteran_adtte.csv", "STANDARD", []string{"KARNO", "CELLTYPE"}, "PRIOR"},
}

func TestFitAgainstR(t *testing.T) {
	for _, c := range referenceCases {
		for _, ct := range []km.ConfType{km.Log, km.LogLog, km.Plain} {
			for _, ties := range []cox.Ties{cox.Efron, cox.Breslow} {
				t.Run(fmt.Sprintf("%s/%s/%s", c.name, ct, ties), func(t *testing.T) {
					path := filepath.Join("testdata", c.file)
					tab, rep, err := adam.ReadADTTE(path, adam.Options{})
					if err != nil {
						t.Fatal(err)
					}
					res, err := Analyze(tab, rep, Options{ConfType: ct, Ties: ties, Control: c.control, Covariates: c.covariates, Strata: c.strata})
					if err != nil {
						t.Fatal(err)
					}
					if err := res.Err(); err != nil {
						t.Fatalf("unexpected status: %v", err)
					}
					for _, f := range []struct {
						ref   string
						write func(*Results, *bytes.Buffer) error
					}{
						{fmt.Sprintf("ref_%s_%s_km.csv", c.name, ct), func(r *Results, b *bytes.Buffer) error { return r.WriteKM(b) }},
						{fmt.Sprintf("ref_%s_%s_quantiles.csv", c.name, ct), func(r *Results, b *bytes.Buffer) error { return r.WriteQuantiles(b) }},
						{fmt.Sprintf("ref_%s_%s_tests.csv", c.name, ties), func(r *Results, b *bytes.Buffer) error { return r.WriteTests(b) }},
						{fmt.Sprintf("ref_%s_%s_cox.csv", c.name, ties), func(r *Results, b *bytes.Buffer) error { return r.WriteCox(b) }},
					} {
						var b bytes.Buffer
						if err := f.write(res, &b); err != nil {
							t.Fatal(err)
						}
						compareCSV(t, f.ref, readCSV(t, filepath.Join("testdata", f.ref)), parseCSV(t, f.ref, b.Bytes()))
					}
				})
			}
		}
	}
}

func readCSV(t *testing.T, path string) [][]string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return parseCSV(t, path, data)
}

func parseCSV(t *testing.T, name string, data []byte) [][]string {
	t.Helper()
	recs, err := csv.NewReader(bytes.NewReader(data)).ReadAll()
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return recs
}

// compareCSV compares two tables cell by cell: text exactly, numbers to 1e-6
// relative (1e-12 absolute near zero), empty cells (R's NA) exactly.
func compareCSV(t *testing.T, name string, want, got [][]string) {
	t.Helper()
	if len(want) != len(got) {
		t.Errorf("%s: %d rows, R has %d", name, len(got), len(want))
		return
	}
	for i := range want {
		if len(want[i]) != len(got[i]) {
			t.Errorf("%s row %d: %d fields, R has %d", name, i, len(got[i]), len(want[i]))
			continue
		}
		for j := range want[i] {
			w, g := want[i][j], got[i][j]
			if w == g {
				continue
			}
			wf, err1 := strconv.ParseFloat(w, 64)
			gf, err2 := strconv.ParseFloat(g, 64)
			if err1 != nil || err2 != nil {
				t.Errorf("%s row %d column %s: got %q, R %q", name, i, want[0][j], g, w)
				continue
			}
			if d := math.Abs(wf - gf); d > 1e-12 && d > 1e-6*math.Abs(wf) {
				t.Errorf("%s row %d column %s: got %v, R %v (rel. diff %.2g)", name, i, want[0][j], gf, wf, d/math.Abs(wf))
			}
		}
	}
}
