package km

import (
	"fmt"
	"math"
	"math/rand/v2"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ketcurves/ketcurves/pipeline/rtest"
)

// loadEntryCurve fits the curve named by dataset and curve ("all" or an arm
// number) from testdata/<dataset>.csv with its entry column.
func loadEntryCurve(t testing.TB, dataset, curve string, ct ConfType) *Curve {
	t.Helper()
	var time, entry []float64
	var event []bool
	for _, r := range rtest.ReadCSV(t, filepath.Join("testdata", dataset+".csv")) {
		if curve != "all" && r["arm"] != curve {
			continue
		}
		time = append(time, r.Float(t, "time"))
		entry = append(entry, r.Float(t, "entry"))
		event = append(event, r["status"] == "1")
	}
	c, err := KaplanMeier(time, event, Options{ConfType: ct, ConfLevel: 0.95, Entry: entry})
	if err != nil {
		t.Fatalf("%s/%s: %v", dataset, curve, err)
	}
	return c
}

// TestKaplanMeierEntryMatchesR compares every row of
//
//	fit <- survfit(Surv(entry, time, status) ~ 1, data = dd, conf.type = ct, conf.int = 0.95)
//	summary(fit, censored = TRUE)
//
// (testdata/make_entry_reference.R, km_entry_reference.csv; R 4.2.2,
// survival 3.5.3) for the delayed-entry data sets entry_sim (3 arms and
// pooled), entry_gap (risk set empties after S reaches 0, then refills),
// entry_gapcens (empties by censoring, refills) and entry_near (entry and
// event times within R's timefix tolerance), ct in log, log-log, plain.
// Tolerance 1e-6 relative (1e-12 absolute near 0); counts exact.
func TestKaplanMeierEntryMatchesR(t *testing.T) {
	type key struct{ dataset, curve, conftype string }
	groups := map[key][]rtest.Row{}
	var order []key
	for _, r := range rtest.ReadCSV(t, "testdata/km_entry_reference.csv") {
		k := key{r["dataset"], r["curve"], r["conftype"]}
		if _, ok := groups[k]; !ok {
			order = append(order, k)
		}
		groups[k] = append(groups[k], r)
	}
	if len(order) != 21 {
		t.Fatalf("%d reference curves in km_entry_reference.csv, want 21", len(order))
	}
	for _, k := range order {
		t.Run(fmt.Sprintf("%s/%s/%s", k.dataset, k.curve, k.conftype), func(t *testing.T) {
			want := groups[k]
			c := loadEntryCurve(t, k.dataset, k.curve, ConfType(k.conftype))
			if len(c.Time) != len(want) {
				t.Fatalf("got %d rows, R has %d", len(c.Time), len(want))
			}
			events := 0
			for i, w := range want {
				for _, v := range []struct {
					name      string
					got, want int
				}{
					{"n.risk", c.NRisk[i], w.Int(t, "n.risk")},
					{"n.event", c.NEvent[i], w.Int(t, "n.event")},
					{"n.censor", c.NCensor[i], w.Int(t, "n.censor")},
				} {
					if v.got != v.want {
						t.Errorf("row %d (time %v): %s = %d, R %d", i, c.Time[i], v.name, v.got, v.want)
					}
				}
				events += w.Int(t, "n.event")
				for _, v := range []struct {
					name      string
					got, want float64
				}{
					{"time", c.Time[i], w.Float(t, "time")},
					{"surv", c.Surv[i], w.Float(t, "surv")},
					{"std.err", c.StdErr[i], w.Float(t, "std.err")},
					{"lower", c.Lower[i], w.Float(t, "lower")},
					{"upper", c.Upper[i], w.Float(t, "upper")},
				} {
					if !rtest.Close(v.got, v.want) {
						t.Errorf("row %d (time %v): %s = %.17g, R %.17g", i, c.Time[i], v.name, v.got, v.want)
					}
				}
			}
			if c.Events != events {
				t.Errorf("Events = %d, R %d", c.Events, events)
			}
		})
	}
}

// TestQuantileEntryMatchesR compares
//
//	quantile(fit, probs = c(0.1, 0.25, 0.5, 0.75, 0.9), conf.int = TRUE)
//
// for the fits of TestKaplanMeierEntryMatchesR (km_entry_quantiles.csv).
func TestQuantileEntryMatchesR(t *testing.T) {
	rows := rtest.ReadCSV(t, "testdata/km_entry_quantiles.csv")
	if len(rows) != 105 {
		t.Fatalf("%d reference quantiles in km_entry_quantiles.csv, want 105", len(rows))
	}
	curves := map[string]*Curve{}
	for _, r := range rows {
		name := r["dataset"] + "/" + r["curve"] + "/" + r["conftype"]
		c, ok := curves[name]
		if !ok {
			c = loadEntryCurve(t, r["dataset"], r["curve"], ConfType(r["conftype"]))
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

// TestKaplanMeierEntryZeroIsRightCensored checks that entry 0 for every
// subject (all times > 0) gives exactly the right-censored curve.
func TestKaplanMeierEntryZeroIsRightCensored(t *testing.T) {
	for _, ds := range []string{"sim", "aml", "veteran"} {
		var time []float64
		var event []bool
		for _, r := range rtest.ReadCSV(t, filepath.Join("testdata", ds+".csv")) {
			time = append(time, r.Float(t, "time"))
			event = append(event, r["status"] == "1")
		}
		want, err := KaplanMeier(time, event, Options{})
		if err != nil {
			t.Fatal(err)
		}
		got, err := KaplanMeier(time, event, Options{Entry: make([]float64, len(time))})
		if err != nil {
			t.Fatal(err)
		}
		if got.N != want.N || got.Events != want.Events || len(got.Time) != len(want.Time) {
			t.Fatalf("%s: N, Events, rows = %d, %d, %d; want %d, %d, %d", ds, got.N, got.Events, len(got.Time), want.N, want.Events, len(want.Time))
		}
		for i := range want.Time {
			if got.Time[i] != want.Time[i] || got.NRisk[i] != want.NRisk[i] || got.Surv[i] != want.Surv[i] ||
				!same(got.StdErr[i], want.StdErr[i]) || !same(got.Lower[i], want.Lower[i]) || !same(got.Upper[i], want.Upper[i]) {
				t.Errorf("%s row %d: entry-0 curve differs from the right-censored one", ds, i)
			}
		}
	}
}

func same(a, b float64) bool { return a == b || math.IsNaN(a) && math.IsNaN(b) }

func TestKaplanMeierEntryErrors(t *testing.T) {
	for _, tc := range []struct {
		name        string
		time, entry []float64
		want        string
	}{
		{"entry equals time", []float64{3, 5}, []float64{0, 5}, "entry[1] = 5, time[1] = 5"},
		{"entry after time", []float64{3, 5}, []float64{4, 0}, "entry[0] = 4"},
		{"NaN entry", []float64{3, 5}, []float64{math.NaN(), 0}, "entry[0] = NaN"},
		{"entry tied with time", []float64{3, 5}, []float64{0, 5 - 1e-12}, "equal within R's tolerance"},
		{"negative time", []float64{-1, 5}, []float64{-2, 0}, "time[0] = -1"},
		{"empty", []float64{}, []float64{}, "no observations"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := KaplanMeier(tc.time, make([]bool, len(tc.time)), Options{Entry: tc.entry})
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v, want one containing %q", err, tc.want)
			}
		})
	}
}

func TestKaplanMeierEntryLengthPanics(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("no panic for len(Entry) != len(time)")
		}
	}()
	KaplanMeier([]float64{1, 2}, []bool{true, false}, Options{Entry: []float64{0}})
}

// simulateEntry is simulate with entry times uniform on [0, time) for half
// of the subjects, whole days.
func simulateEntry(n int, seed uint64) (time []float64, event []bool, entry []float64) {
	time, event = simulate(n, seed)
	rng := rand.New(rand.NewPCG(seed, 77))
	entry = make([]float64, n)
	for i, t := range time {
		if rng.IntN(2) == 0 {
			entry[i] = math.Floor(rng.Float64() * t)
		}
	}
	return time, event, entry
}

// TestKaplanMeierEntryDeterministic checks that the estimate does not depend
// on the order of the input rows.
func TestKaplanMeierEntryDeterministic(t *testing.T) {
	time, event, entry := simulateEntry(2000, 7)
	a, err := KaplanMeier(time, event, Options{Entry: entry})
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(3, 4))
	rng.Shuffle(len(time), func(i, j int) {
		time[i], time[j] = time[j], time[i]
		event[i], event[j] = event[j], event[i]
		entry[i], entry[j] = entry[j], entry[i]
	})
	b, err := KaplanMeier(time, event, Options{Entry: entry})
	if err != nil {
		t.Fatal(err)
	}
	for i := range a.Time {
		if a.Time[i] != b.Time[i] || a.NRisk[i] != b.NRisk[i] || a.Surv[i] != b.Surv[i] || !same(a.Lower[i], b.Lower[i]) {
			t.Fatalf("row %d differs after shuffling", i)
		}
	}
}

func BenchmarkKaplanMeierEntry(b *testing.B) {
	for _, n := range []int{1e2, 1e4, 1e6} {
		time, event, entry := simulateEntry(n, 1)
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := KaplanMeier(time, event, Options{Entry: entry}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
