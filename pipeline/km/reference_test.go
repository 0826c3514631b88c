package km

import (
	"encoding/csv"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"testing"
)

// Tolerances against R: relative 1e-6, absolute 1e-12 near zero.
const (
	relTol = 1e-6
	absTol = 1e-12
)

// close reports whether got matches R's want within relTol/absTol; NaN
// matches only NaN (R's NA).
func close(got, want float64) bool {
	if math.IsNaN(want) || math.IsNaN(got) {
		return math.IsNaN(want) && math.IsNaN(got)
	}
	if got == want {
		return true
	}
	d := math.Abs(got - want)
	return d <= absTol || d <= relTol*math.Abs(want)
}

// readCSV reads a CSV file with a header into a slice of maps.
func readCSV(t testing.TB, name string) []map[string]string {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	var rows []map[string]string
	for _, r := range recs[1:] {
		m := make(map[string]string, len(r))
		for j, h := range recs[0] {
			m[h] = r[j]
		}
		rows = append(rows, m)
	}
	return rows
}

func parseNum(t testing.TB, s string) float64 {
	t.Helper()
	if s == "NA" {
		return math.NaN()
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		t.Fatalf("bad number %q: %v", s, err)
	}
	return v
}

func parseInt(t testing.TB, s string) int {
	t.Helper()
	v, err := strconv.Atoi(s)
	if err != nil {
		t.Fatalf("bad integer %q: %v", s, err)
	}
	return v
}

// loadCurve fits the curve named by dataset (sim, aml, veteran, flat) and
// curve ("all" or an arm number) from testdata/<dataset>.csv.
func loadCurve(t testing.TB, dataset, curve string, ct ConfType) *Curve {
	t.Helper()
	var time []float64
	var event []bool
	for _, r := range readCSV(t, dataset+".csv") {
		if curve != "all" && r["arm"] != curve {
			continue
		}
		time = append(time, parseNum(t, r["time"]))
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
	groups := map[key][]map[string]string{}
	var order []key
	for _, r := range readCSV(t, "km_reference.csv") {
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
					{"n.risk", c.NRisk[i], parseInt(t, w["n.risk"])},
					{"n.event", c.NEvent[i], parseInt(t, w["n.event"])},
					{"n.censor", c.NCensor[i], parseInt(t, w["n.censor"])},
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
					{"time", c.Time[i], parseNum(t, w["time"])},
					{"surv", c.Surv[i], parseNum(t, w["surv"])},
					{"std.err", c.StdErr[i], parseNum(t, w["std.err"])},
					{"lower", c.Lower[i], parseNum(t, w["lower"])},
					{"upper", c.Upper[i], parseNum(t, w["upper"])},
				}
				for _, v := range floats {
					if !close(v.got, v.want) {
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
	rows := readCSV(t, "km_quantiles.csv")
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
		p := parseNum(t, r["prob"])
		q := c.Quantile(p)
		for _, v := range []struct {
			what      string
			got, want float64
		}{
			{"quantile", q.Time, parseNum(t, r["quantile"])},
			{"lower", q.Lower, parseNum(t, r["lower"])},
			{"upper", q.Upper, parseNum(t, r["upper"])},
		} {
			if !close(v.got, v.want) {
				t.Errorf("%s p=%v: %s = %v, R %v", name, p, v.what, v.got, v.want)
			}
		}
	}
}
