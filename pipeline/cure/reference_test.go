package cure

import (
	"encoding/csv"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"gonum.org/v1/gonum/floats/scalar"
)

// Tolerances against R: the brief asks 1e-5 for the log-likelihood and the
// estimates; the fits agree far better, so the tests require 1e-6 relative
// (1e-9 absolute near zero) for every number.
const (
	relTol = 1e-6
	absTol = 1e-9
)

// readCSV reads a CSV file with a header from testdata into a slice of maps.
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
	rows := make([]map[string]string, 0, len(recs)-1)
	for _, r := range recs[1:] {
		m := make(map[string]string, len(r))
		for j, h := range recs[0] {
			m[h] = r[j]
		}
		rows = append(rows, m)
	}
	return rows
}

func num(t testing.TB, s string) float64 {
	t.Helper()
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		t.Fatalf("bad number %q: %v", s, err)
	}
	return v
}

// dataset is a committed data set with its incidence and latency designs.
type dataset struct {
	time   []float64
	event  []bool
	arm    []int
	design Design // used for both incidence and latency, as in make_reference.R
	// armProfile returns the profile of make_reference.R for an arm: the
	// arm's dummies, every other column at its sample mean.
	armProfile func(m *Model, arm int) Profile
}

// loadDataset reads testdata/colon.csv or testdata/sim.csv.
func loadDataset(t testing.TB, name string) dataset {
	t.Helper()
	rows := readCSV(t, name+".csv")
	var d dataset
	cols := map[string][]float64{}
	names := map[string][]string{"colon": {"lev", "lev5fu", "node4"}, "sim": {"arm", "x"}}[name]
	for _, r := range rows {
		d.time = append(d.time, num(t, r["time"]))
		d.event = append(d.event, r["status"] == "1")
		d.arm = append(d.arm, int(num(t, r["arm"])))
		for _, c := range names {
			cols[c] = append(cols[c], num(t, r[c]))
		}
	}
	for _, c := range names {
		d.design.X = append(d.design.X, cols[c])
	}
	d.design.Names = names
	d.armProfile = func(m *Model, arm int) Profile {
		p := m.MeanProfile()
		if name == "colon" {
			p.Incidence[0], p.Incidence[1] = b2f(arm == 1), b2f(arm == 2)
			p.Latency[0], p.Latency[1] = b2f(arm == 1), b2f(arm == 2)
		} else {
			p.Incidence[0], p.Latency[0] = float64(arm), float64(arm)
		}
		return p
	}
	return d
}

func b2f(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

// fitReference fits the model of make_reference.R to data set name with the
// latency distribution dist.
func fitReference(t testing.TB, name string, dist Distribution) (dataset, *Model) {
	t.Helper()
	d := loadDataset(t, name)
	m, err := Fit(d.time, d.event, d.design, d.design, Options{Latency: dist, Groups: d.arm})
	if err != nil {
		t.Fatalf("%s/%s: %v", name, dist, err)
	}
	return d, m
}

type check struct {
	what      string
	got, want float64
}

func compare(t *testing.T, checks []check) (maxRel float64) {
	t.Helper()
	for _, c := range checks {
		if !scalar.EqualWithinAbsOrRel(c.got, c.want, absTol, relTol) {
			t.Errorf("%s = %.12g, R %.12g", c.what, c.got, c.want)
		}
		if c.want != 0 {
			maxRel = math.Max(maxRel, math.Abs(c.got-c.want)/math.Abs(c.want))
		}
	}
	return maxRel
}

// TestFitMatchesR compares the log-likelihood, estimates and standard errors
// with testdata/cure_loglik.csv and cure_coef.csv, written by
// make_reference.R's
//
//	o <- optim(start, fn, gr, method = "BFGS", control = list(reltol = 1e-14, maxit = 10000))
//	# three Newton steps on optimHess(par, fn, gr, control = list(ndeps = rep(1e-5, length(par))))
//	H <- optimHess(par, fn, gr, control = list(ndeps = rep(1e-5, length(par))))
//	se <- sqrt(diag(solve(H)))
//
// with fn the negative log-likelihood of the mixture cure model, coded in
// base R, for colon (survival::colon, etype == 1; incidence and latency
// ~ rx + node4) and sim (incidence and latency ~ arm + x), each with a
// Weibull and a log-normal latency.
func TestFitMatchesR(t *testing.T) {
	coefs := readCSV(t, "cure_coef.csv")
	for _, r := range readCSV(t, "cure_loglik.csv") {
		name, dist := r["dataset"], Distribution(r["dist"])
		t.Run(name+"/"+string(dist), func(t *testing.T) {
			_, m := fitReference(t, name, dist)
			if m.Status != StatusOK {
				t.Errorf("Status = %q (%v), want ok", m.Status, m.Messages)
			}
			checks := []check{
				{"loglik", m.LogLik, num(t, r["loglik"])},
				{"n", float64(m.N), num(t, r["n"])},
				{"events", float64(m.Events), num(t, r["events"])},
			}
			k := 0
			for _, c := range coefs {
				if c["dataset"] != name || c["dist"] != string(dist) {
					continue
				}
				term := m.Terms[k]
				k++
				if got := string(term.Component) + ":" + term.Name; got != c["term"] {
					t.Fatalf("term %d is %q, R %q", k-1, got, c["term"])
				}
				checks = append(checks,
					check{c["term"] + " coef", term.Coef, num(t, c["estimate"])},
					check{c["term"] + " se", term.SE, num(t, c["se"])})
			}
			if k != len(m.Terms) {
				t.Fatalf("R has %d terms, Fit %d", k, len(m.Terms))
			}
			t.Logf("max relative difference from R: %.2g (%d iterations)", compare(t, checks), m.Iterations)
		})
	}
}
