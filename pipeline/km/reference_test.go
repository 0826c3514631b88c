package km

import (
	"fmt"
	"path/filepath"
	"testing"

	"github.com/ketcurves/ketcurves/pipeline/rtest"
)

// loadCurve fits the curve named by dataset (sim, aml, veteran, flat) and
// curve ("all" or an arm number) from testdata/<dataset>.csv.
func loadCurve(t testing.TB, dataset, curve string, ct ConfType) *Curve {
	t.Helper()
	var time []float64
	var event []bool
	for _, r := range rtest.ReadCSV(t, filepath.Join("testdata", dataset+".csv")) {
		if curve != "all" && r["arm"] != curve {
			continue
		}
		time = append(time, r.Float(t, "time"))
		event = append(event, r["status"] == "1")
	}
	c, err := KaplanMeier(time, event, Options{ConfType: ct, ConfLevel: 0.95})
	if err != nil {
		t.Fatalf("%s/%s: %v", dataset, curve, err)
	}
	return c
}

// TestKaplanMeierMatchesR compares every row of
//
//	fit <- survfit(Surv(time, status) ~ 1, data = dd, conf.type = ct, conf.int = 0.95)
//	summary(fit, censored = TRUE)
//
// (testdata/make_reference.R, km_reference.csv) for the data sets sim, aml,
// veteran and flat, each arm and all arms pooled, ct in log, log-log, plain.
func TestKaplanMeierMatchesR(t *testing.T) {
	type key struct{ dataset, curve, conftype string }
	groups := map[key][]rtest.Row{}
	var order []key
	for _, r := range rtest.ReadCSV(t, "testdata/km_reference.csv") {
		k := key{r["dataset"], r["curve"], r["conftype"]}
		if _, ok := groups[k]; !ok {
			order = append(order, k)
		}
		groups[k] = append(groups[k], r)
	}
	if len(order) < 30 {
		t.Fatalf("only %d reference curves in km_reference.csv", len(order))
	}
	for _, k := range order {
		t.Run(fmt.Sprintf("%s/%s/%s", k.dataset, k.curve, k.conftype), func(t *testing.T) {
			want := groups[k]
			c := loadCurve(t, k.dataset, k.curve, ConfType(k.conftype))
			if len(c.Time) != len(want) {
				t.Fatalf("got %d rows, R has %d", len(c.Time), len(want))
			}
			events := 0
			for i, w := range want {
				ints := []struct {
					name      string
					got, want int
				}{
					{"n.risk", c.NRisk[i], w.Int(t, "n.risk")},
					{"n.event", c.NEvent[i], w.Int(t, "n.event")},
					{"n.censor", c.NCensor[i], w.Int(t, "n.censor")},
				}
				for _, v := range ints {
					if v.got != v.want {
						t.Errorf("row %d (time %v): %s = %d, R %d", i, c.Time[i], v.name, v.got, v.want)
					}
				}
				events += ints[1].want
				floats := []struct {
					name      string
					got, want float64
				}{
					{"time", c.Time[i], w.Float(t, "time")},
					{"surv", c.Surv[i], w.Float(t, "surv")},
					{"std.err", c.StdErr[i], w.Float(t, "std.err")},
					{"lower", c.Lower[i], w.Float(t, "lower")},
					{"upper", c.Upper[i], w.Float(t, "upper")},
				}
				for _, v := range floats {
					if !rtest.Close(v.got, v.want) {
						t.Errorf("row %d (time %v): %s = %.17g, R %.17g", i, c.Time[i], v.name, v.got, v.want)
					}
				}
			}
			if c.Events != events || c.N != c.NRisk[0] {
				t.Errorf("N, Events = %d, %d; R %s, %d", c.N, c.Events, want[0]["n.risk"], events)
			}
		})
	}
}

// TestQuantileMatchesR compares
//
//	quantile(fit, probs = pr, conf.int = TRUE)
//
// for the fits of TestKaplanMeierMatchesR (km_quantiles.csv); pr is
// c(0.1, 0.25, 0.5, 0.75, 0.9), plus, for the flat data set, probabilities
// at which the curve has flat segments (midpoint rule).
func TestQuantileMatchesR(t *testing.T) {
	rows := rtest.ReadCSV(t, "testdata/km_quantiles.csv")
	if len(rows) < 100 {
		t.Fatalf("only %d reference quantiles in km_quantiles.csv", len(rows))
	}
	curves := map[string]*Curve{}
	for _, r := range rows {
		name := r["dataset"] + "/" + r["curve"] + "/" + r["conftype"]
		c, ok := curves[name]
		if !ok {
			c = loadCurve(t, r["dataset"], r["curve"], ConfType(r["conftype"]))
			curves[name] = c
		}
		p := r.Float(t, "prob")
		q := c.Quantile(p)
		for _, v := range []struct {
			what      string
			got, want float64
		}{
			{"quantile", q.Time, r.Float(t, "quantile")},
			{"lower", q.Lower, r.Float(t, "lower")},
			{"upper", q.Upper, r.Float(t, "upper")},
		} {
			if !rtest.Close(v.got, v.want) {
				t.Errorf("%s p=%v: %s = %v, R %v", name, p, v.what, v.got, v.want)
			}
		}
	}
}
