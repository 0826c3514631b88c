package km

import (
	"fmt"
	"math"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ketcurves/ketcurves/pipeline/rtest"
)

// loadData returns the rows of testdata/<dataset>.csv in curve ("all" or an
// arm number): times, events, and entries (nil without an entry column).
func loadData(t testing.TB, dataset, curve string) (time []float64, event []bool, entry []float64) {
	t.Helper()
	for _, r := range rtest.ReadCSV(t, filepath.Join("testdata", dataset+".csv")) {
		if curve != "all" && r["arm"] != curve {
			continue
		}
		time = append(time, r.Float(t, "time"))
		event = append(event, r["status"] == "1")
		if e, ok := r["entry"]; ok {
			entry = append(entry, rtest.Num(t, e))
		}
	}
	return time, event, entry
}

// TestNelsonAalenMatchesR compares every row of
//
//	fit <- survfit(Surv(time, status) ~ 1, data = dd, ctype = 1)
//	fit$n.risk, fit$n.event, fit$n.censor, fit$cumhaz, fit$std.chaz
//	survival:::survfit_confint(fit$cumhaz, fit$std.chaz, logse = FALSE,
//	                           conf.type = ct, conf.int = 0.95, ulimit = FALSE)
//
// (testdata/make_nelsonaalen_reference.R, km_nelsonaalen_reference.csv; R
// 4.2.2, survival 3.5.3; Surv(entry, time, status) for entry_sim) for the
// data sets aml, veteran, lung (survival's), sim and entry_sim (delayed
// entry), each arm and pooled, ct in log and plain. The R script also checks
// that std.chaz is sqrt(cumsum(n.event/n.risk^2)) and the log limits are
// H exp(±z se/H).
func TestNelsonAalenMatchesR(t *testing.T) {
	type key struct{ dataset, curve, conftype string }
	groups := map[key][]rtest.Row{}
	var keys []key
	for _, r := range rtest.ReadCSV(t, "testdata/km_nelsonaalen_reference.csv") {
		k := key{r["dataset"], r["curve"], r["conftype"]}
		if _, ok := groups[k]; !ok {
			keys = append(keys, k)
		}
		groups[k] = append(groups[k], r)
	}
	if len(keys) < 30 {
		t.Fatalf("only %d reference curves in km_nelsonaalen_reference.csv", len(keys))
	}
	maxRel := 0.0
	for _, k := range keys {
		t.Run(fmt.Sprintf("%s/%s/%s", k.dataset, k.curve, k.conftype), func(t *testing.T) {
			time, event, entry := loadData(t, k.dataset, k.curve)
			h, err := NelsonAalen(time, event, Options{ConfType: ConfType(k.conftype), Entry: entry})
			if err != nil {
				t.Fatal(err)
			}
			want := groups[k]
			if len(h.Time) != len(want) {
				t.Fatalf("got %d rows, R has %d", len(h.Time), len(want))
			}
			if h.ConfType != ConfType(k.conftype) || h.ConfLevel != 0.95 {
				t.Errorf("ConfType, ConfLevel = %q, %v", h.ConfType, h.ConfLevel)
			}
			for i, w := range want {
				for _, v := range []struct {
					name      string
					got, want int
				}{
					{"n.risk", h.NRisk[i], w.Int(t, "n.risk")},
					{"n.event", h.NEvent[i], w.Int(t, "n.event")},
					{"n.censor", h.NCensor[i], w.Int(t, "n.censor")},
				} {
					if v.got != v.want {
						t.Errorf("row %d (time %v): %s = %d, R %d", i, h.Time[i], v.name, v.got, v.want)
					}
				}
				for _, v := range []struct {
					name      string
					got, want float64
				}{
					{"time", h.Time[i], w.Float(t, "time")},
					{"cumhaz", h.CumHaz[i], w.Float(t, "cumhaz")},
					{"std.chaz", h.StdErr[i], w.Float(t, "std.chaz")},
					{"lower", h.Lower[i], w.Float(t, "lower")},
					{"upper", h.Upper[i], w.Float(t, "upper")},
				} {
					if !rtest.Close(v.got, v.want) {
						t.Errorf("row %d (time %v): %s = %.17g, R %.17g", i, h.Time[i], v.name, v.got, v.want)
					}
					if v.want != 0 && !math.IsNaN(v.want) {
						maxRel = math.Max(maxRel, math.Abs(v.got-v.want)/math.Abs(v.want))
					}
				}
			}
		})
	}
	t.Logf("max relative error against R: %.3g", maxRel)
}

// TestNelsonAalenAt checks the step function: 0 before the first time, the
// value of the last time at or before t, NaN for NaN.
func TestNelsonAalenAt(t *testing.T) {
	// aml maintained arm: events at 9 (n = 11), 13 (n = 10, one censored), 18 (n = 8).
	time := []float64{9, 13, 13, 18, 23, 28, 31, 34, 45, 48, 161}
	event := []bool{true, true, false, true, true, false, true, true, false, true, false}
	h, err := NelsonAalen(time, event, Options{})
	if err != nil {
		t.Fatal(err)
	}
	for i, test := range []struct{ t, want float64 }{
		{0, 0},
		{8.99, 0},
		{9, 1.0 / 11},
		{12.5, 1.0 / 11},
		{13, 1.0/11 + 1.0/10},
		{18, 1.0/11 + 1.0/10 + 1.0/8},
		{math.NaN(), math.NaN()},
	} {
		if got := h.At(test.t); !rtest.Close(got, test.want) {
			t.Errorf("%d: At(%v) = %v, want %v", i, test.t, got, test.want)
		}
	}
	if h.ConfType != Log {
		t.Errorf("default ConfType = %q, want the log transform", h.ConfType)
	}
}

// TestNelsonAalenErrors checks that bad data gives an error naming the
// estimator and the problem, and that the curve method does not alias the
// curve's slices.
func TestNelsonAalenErrors(t *testing.T) {
	for i, test := range []struct {
		time  []float64
		event []bool
		entry []float64
		want  string
	}{
		{nil, nil, nil, "no observations"},
		{[]float64{1, -2}, []bool{true, true}, nil, "time[1] = -2"},
		{[]float64{1, math.NaN()}, []bool{true, true}, nil, "time[1] = NaN"},
		{[]float64{1, math.Inf(1)}, []bool{true, true}, nil, "time[1] = +Inf"},
		{[]float64{1, 2}, []bool{true, true}, []float64{0, 2}, "entry[1] = 2"},
	} {
		_, err := NelsonAalen(test.time, test.event, Options{Entry: test.entry})
		if err == nil || !strings.Contains(err.Error(), test.want) || !strings.Contains(err.Error(), "Nelson-Aalen") {
			t.Errorf("%d: error %v, want one containing %q", i, err, test.want)
		}
	}
	c, err := KaplanMeier([]float64{1, 2, 3}, []bool{true, false, true}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	h := c.NelsonAalen()
	h.Time[0], h.NRisk[0] = 99, 99
	if c.Time[0] != 1 || c.NRisk[0] != 3 {
		t.Error("CumHaz shares its slices with the curve")
	}
}

// TestNelsonAalenAllEvents checks a risk set that empties with events: the
// last increment is d/n = 1 with a finite variance 1/n, unlike Greenwood's.
func TestNelsonAalenAllEvents(t *testing.T) {
	h, err := NelsonAalen([]float64{1, 2, 2}, []bool{true, true, true}, Options{ConfType: Plain})
	if err != nil {
		t.Fatal(err)
	}
	// H(2) = 1/3 + 2/2, var = 1/9 + 2/4.
	wantH, wantSE := 1.0/3+1, math.Sqrt(1.0/9+0.5)
	last := len(h.Time) - 1
	if !rtest.Close(h.CumHaz[last], wantH) || !rtest.Close(h.StdErr[last], wantSE) {
		t.Errorf("H(2) = %v (se %v), want %v (se %v)", h.CumHaz[last], h.StdErr[last], wantH, wantSE)
	}
	z := 1.959963984540054
	if !rtest.Close(h.Upper[last], wantH+z*wantSE) || !rtest.Close(h.Lower[last], math.Max(wantH-z*wantSE, 0)) {
		t.Errorf("plain limits [%v, %v]", h.Lower[last], h.Upper[last])
	}
}
