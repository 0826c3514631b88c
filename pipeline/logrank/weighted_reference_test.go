package logrank

import (
	"fmt"
	"math"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ketcurves/ketcurves/pipeline/rtest"
	"gonum.org/v1/gonum/floats/scalar"
)

// referenceGroups groups the rows of a long-form reference file by the
// values of the key columns, in file order.
func referenceGroups(t *testing.T, file string, keys ...string) ([]string, map[string][]rtest.Row) {
	t.Helper()
	groups := map[string][]rtest.Row{}
	var order []string
	for _, r := range rtest.ReadCSV(t, filepath.Join("testdata", file)) {
		var parts []string
		for _, k := range keys {
			parts = append(parts, r[k])
		}
		key := strings.Join(parts, "/")
		if _, ok := groups[key]; !ok {
			order = append(order, key)
		}
		groups[key] = append(groups[key], r)
	}
	return order, groups
}

// TestWeightedMatchesR compares every test kind with
// testdata/weighted_reference.csv, written by testdata/make_weighted_reference.R
// for the data sets aml, veteran, lung (survival's, 2 arms), sim (3 arms)
// and their delayed-entry versions entry_* (entry < t <= time), without
// ("plain") and with strata, for logrank, fh:1:0, fh:0.5:0, fh:0:1, fh:1:1,
// fh:2:0.5, peto_peto, gehan and tarone_ware. The source column says where
// the values come from:
//
//	survdiff       survdiff(Surv(time, status) ~ factor(arm) [+ strata(stratum)], data = d, rho = RHO)
//	               (fh:RHO:0 and logrank without entry)
//	formula+coxph  the formula loop weighted_test() of the script, whose chisq
//	               equals coxph(Surv(entry, time, status) ~ factor(arm)
//	               [+ strata(stratum)], ties = "exact")$score (logrank with entry)
//	formula+coin   weighted_test(), whose O-E equals coin::logrank_test(...,
//	               type = "Gehan-Breslow" | "Tarone-Ware" | "Prentice-Marek" |
//	               "Fleming-Harrington")'s linear statistic (2-arm, no strata, no entry)
//	formula        weighted_test() alone (the remaining cases)
//
// Quantities: n, obs, exp (weighted, summed over strata) per arm, var,
// chisq, df and pvalue; relative tolerance 1e-6.
func TestWeightedMatchesR(t *testing.T) {
	keys, ref := referenceGroups(t, "weighted_reference.csv", "dataset", "analysis", "test")
	if len(keys) != 8*2*9 {
		t.Fatalf("%d reference tests, want 144", len(keys))
	}
	worst := 0.0
	for _, key := range keys {
		rows := ref[key]
		t.Run(key+"/"+rows[0]["source"], func(t *testing.T) {
			d := loadDataset(t, rows[0]["dataset"])
			test, err := ParseTest(rows[0]["test"])
			if err != nil {
				t.Fatal(err)
			}
			data := Data{Time: d.time, Event: d.event, Group: d.group, K: d.k, Entry: d.entry}
			if rows[0]["analysis"] == "strata" {
				data.Strata = d.strata
			}
			res, err := Weighted(data, test.Weight)
			if err != nil {
				t.Fatal(err)
			}
			worst = math.Max(worst, compareResult(t, res[0], rows))
		})
	}
	t.Logf("largest relative difference from R: %.2g", worst)
}

// compareResult checks r against long-form reference rows (quantity, i, j,
// value) and returns the largest relative difference.
func compareResult(t *testing.T, r *Result, rows []rtest.Row) float64 {
	t.Helper()
	worst := 0.0
	for _, row := range rows {
		want := row.Float(t, "value")
		var got float64
		name := row["quantity"]
		switch name {
		case "n", "obs", "exp":
			i := row.Int(t, "i")
			name = fmt.Sprintf("%s[%d]", name, i)
			got = map[string]float64{"n": float64(r.N[i]), "obs": r.Observed[i], "exp": r.Expected[i]}[row["quantity"]]
		case "var":
			i, j := row.Int(t, "i"), row.Int(t, "j")
			name = fmt.Sprintf("var[%d][%d]", i, j)
			got = r.Var[i][j]
		case "chisq":
			got = r.Chisq
		case "df":
			got = float64(r.DF)
		case "pvalue":
			got = r.P
		default:
			t.Fatalf("unknown quantity %q", name)
		}
		if !scalar.EqualWithinAbsOrRel(got, want, rtest.AbsTol, rtest.RelTol) {
			t.Errorf("%s = %.17g, R %.17g", name, got, want)
		}
		if want != 0 {
			worst = math.Max(worst, math.Abs(got-want)/math.Abs(want))
		}
	}
	return worst
}
