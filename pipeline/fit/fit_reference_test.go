package fit

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/ketcurves/ketcurves/pipeline/adam"
	"github.com/ketcurves/ketcurves/pipeline/cox"
	"github.com/ketcurves/ketcurves/pipeline/km"
	"github.com/ketcurves/ketcurves/pipeline/schema"
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
					if err := Err(res); err != nil {
						t.Fatalf("unexpected status: %v", err)
					}
					for _, f := range []struct {
						ref   string
						write func(*schema.Results, *bytes.Buffer) error
					}{
						{fmt.Sprintf("ref_%s_%s_km.csv", c.name, ct), func(r *schema.Results, b *bytes.Buffer) error { return WriteTableNamed(b, r, KMFile) }},
						{fmt.Sprintf("ref_%s_%s_quantiles.csv", c.name, ct), func(r *schema.Results, b *bytes.Buffer) error { return WriteTableNamed(b, r, QuantilesFile) }},
						{fmt.Sprintf("ref_%s_%s_tests.csv", c.name, ties), func(r *schema.Results, b *bytes.Buffer) error { return WriteTableNamed(b, r, TestsFile) }},
						{fmt.Sprintf("ref_%s_%s_cox.csv", c.name, ties), func(r *schema.Results, b *bytes.Buffer) error { return WriteTableNamed(b, r, CoxFile) }},
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

// compareCSV compares two tables cell by cell: text exactly, empty cells
// (R's NA) exactly, numbers with cellsAgree: p-values to 1e-6 relative at
// any size (exactly where R gives 0), other numbers to 1e-6 relative with a
// 1e-12 absolute floor near zero.
func compareCSV(t *testing.T, name string, want, got [][]string) {
	t.Helper()
	if len(want) != len(got) {
		t.Errorf("%s: %d rows, R has %d", name, len(got), len(want))
		return
	}
	// Columns are matched by name: a table may have columns R's has not
	// (e.g. cox.csv's robust_se, empty without a cluster).
	col := make([]int, len(want[0]))
	for j, h := range want[0] {
		col[j] = slices.Index(got[0], h)
		if col[j] < 0 {
			t.Errorf("%s: no column %s", name, h)
			return
		}
	}
	for i := range want {
		if len(got[i]) != len(got[0]) || len(want[i]) != len(want[0]) {
			t.Errorf("%s row %d: %d fields, R has %d", name, i, len(got[i]), len(want[i]))
			continue
		}
		for j := range want[i] {
			w, g := want[i][j], got[i][col[j]]
			if w == g {
				continue
			}
			wf, err1 := strconv.ParseFloat(w, 64)
			gf, err2 := strconv.ParseFloat(g, 64)
			if err1 != nil || err2 != nil {
				t.Errorf("%s row %d column %s: got %q, R %q", name, i, want[0][j], g, w)
				continue
			}
			if !cellsAgree(want[0][j], wf, gf) {
				t.Errorf("%s row %d column %s: got %v, R %v (rel. diff %.2g)", name, i, want[0][j], gf, wf, math.Abs(wf-gf)/math.Abs(wf))
			}
		}
	}
}

// isPValue reports whether a column holds p-values, which are compared
// relatively however small they are (a p-value of 1e-11 must not pass
// because it is below an absolute floor).
func isPValue(column string) bool {
	return column == "p_value" || strings.HasSuffix(column, "_p")
}

// cellsAgree compares a number g with R's value w in the named column.
func cellsAgree(column string, w, g float64) bool {
	d := math.Abs(w - g)
	if isPValue(column) {
		if w == 0 {
			return g == 0
		}
		return d <= 1e-6*math.Abs(w)
	}
	return d <= 1e-12 || d <= 1e-6*math.Abs(w)
}

// TestCellsAgree checks the comparison itself: a p-value far below the
// absolute floor is still compared relatively.
func TestCellsAgree(t *testing.T) {
	for i, test := range []struct {
		column string
		w, g   float64
		want   bool
	}{
		{"p_value", 4.2343292078983213e-12, 4.2343292078983213e-12 * (1 + 5e-7), true},
		{"p_value", 4.2343292078983213e-12, 4.3e-12, false},
		{"p_value", 4.2343292078983213e-12, 0, false},
		{"logrank_p", 1e-15, 2e-15, false},
		{"p_value", 0, 0, true},
		{"p_value", 0, 1e-300, false},
		{"p_value", 0.5, 0.5000004, true},
		{"p_value", 0.5, 0.500001, false},
		{"coef", 4e-13, 9e-13, true}, // within the 1e-12 floor
		{"coef", 2.5, 2.5000026, false},
		{"statistic", 59.014848375977749, 59.01484837597775 + 1e-5, true},
	} {
		if got := cellsAgree(test.column, test.w, test.g); got != test.want {
			t.Errorf("case %d: cellsAgree(%s, %v, %v) = %v, want %v", i, test.column, test.w, test.g, got, test.want)
		}
	}
}
