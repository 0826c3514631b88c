package logrank

import (
	"fmt"
	"path/filepath"
	"testing"

	"github.com/ketcurves/ketcurves/pipeline/rtest"
)

// dataset reads testdata/<name>.csv (columns time, status, arm, stratum and
// optionally entry).
type dataset struct {
	time   []float64
	event  []bool
	group  []int
	strata []int
	entry  []float64 // nil unless the file has an entry column
	k      int
}

func loadDataset(t testing.TB, name string) dataset {
	t.Helper()
	var d dataset
	for _, r := range rtest.ReadCSV(t, filepath.Join("testdata", name+".csv")) {
		d.time = append(d.time, r.Float(t, "time"))
		d.event = append(d.event, r["status"] == "1")
		g := r.Int(t, "arm")
		d.group = append(d.group, g)
		d.strata = append(d.strata, r.Int(t, "stratum"))
		if e, ok := r["entry"]; ok {
			d.entry = append(d.entry, rtest.Num(t, e))
		}
		d.k = max(d.k, g+1)
	}
	return d
}

// TestLogRankMatchesR compares with (testdata/make_reference.R,
// logrank_reference.csv)
//
//	survdiff(Surv(time, status) ~ factor(arm), data = d)                      # test "plain"
//	survdiff(Surv(time, status) ~ factor(arm) + strata(stratum), data = d)    # test "strata"
//
// n, obs and exp (summed over strata), var, chisq, df = sum(exp > 0) - 1 and
// pvalue, for the data sets sim (3 arms, 3 sites), aml, veteran (2 arms, 4
// cell types) and early (aml plus an arm censored before the first event).
func TestLogRankMatchesR(t *testing.T) {
	type key struct{ dataset, test string }
	ref := map[key][]rtest.Row{}
	var order []key
	for _, r := range rtest.ReadCSV(t, "testdata/logrank_reference.csv") {
		k := key{r["dataset"], r["test"]}
		if _, ok := ref[k]; !ok {
			order = append(order, k)
		}
		ref[k] = append(ref[k], r)
	}
	if len(order) < 6 {
		t.Fatalf("only %d reference tests", len(order))
	}
	for _, k := range order {
		t.Run(k.dataset+"/"+k.test, func(t *testing.T) {
			d := loadDataset(t, k.dataset)
			strata := d.strata
			if k.test == "plain" {
				strata = nil
			}
			res, err := LogRank(d.time, d.event, d.group, d.k, strata)
			if err != nil {
				t.Fatal(err)
			}
			checked := 0
			for _, r := range ref[k] {
				want := r.Float(t, "value")
				var got float64
				var name string
				switch q := r["quantity"]; q {
				case "n", "obs", "exp":
					i := r.Int(t, "i")
					name = fmt.Sprintf("%s[%d]", q, i)
					got = map[string]float64{"n": float64(res.N[i]), "obs": res.Observed[i], "exp": res.Expected[i]}[q]
				case "var":
					i, j := r.Int(t, "i"), r.Int(t, "j")
					name = fmt.Sprintf("var[%d][%d]", i, j)
					got = res.Var[i][j]
				case "chisq":
					name, got = q, res.Chisq
				case "df":
					name, got = q, float64(res.DF)
				case "pvalue":
					name, got = q, res.P
				default:
					t.Fatalf("unknown quantity %q", q)
				}
				checked++
				if !rtest.Close(got, want) {
					t.Errorf("%s = %.17g, R %.17g", name, got, want)
				}
			}
			if want := 3*d.k + d.k*d.k + 3; checked != want {
				t.Errorf("checked %d values, want %d", checked, want)
			}
		})
	}
}
