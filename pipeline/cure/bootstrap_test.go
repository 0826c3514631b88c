package cure

import (
	"math"
	"slices"
	"testing"

	"gonum.org/v1/gonum/floats/scalar"
)

// TestBootstrap checks that the bootstrap does not depend on the number of
// workers, and that on the committed simulated trial its standard errors
// are close to those of the observed information and its percentile
// intervals cover the estimates.
func TestBootstrap(t *testing.T) {
	if testing.Short() {
		t.Skip("200 refits")
	}
	d := loadDataset(t, "sim")
	opt := Options{Groups: d.arm}
	m, err := Fit(d.time, d.event, d.incidence, d.latency, opt)
	if err != nil {
		t.Fatal(err)
	}
	profiles := []Profile{d.armProfile(m, 0), d.armProfile(m, 1)}
	run := func(workers int) *BootstrapResult {
		r, err := Bootstrap(d.time, d.event, d.incidence, d.latency, opt,
			BootstrapOptions{Replicates: 200, Seed: 42, Workers: workers, Profiles: profiles})
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	a, b := run(1), run(3)
	for i := range a.Coef {
		if !slices.Equal(a.Coef[i], b.Coef[i]) {
			t.Fatalf("replicate %d differs between 1 and 3 workers: %v vs %v", i, a.Coef[i], b.Coef[i])
		}
	}
	if a.Used < 195 {
		t.Errorf("only %d of 200 replicates used", a.Used)
	}
	for j, term := range m.Terms {
		// 200 replicates estimate an SE to about ±10% (1/sqrt(2*200) = 5% per SD).
		if !scalar.EqualWithinRel(a.SE[j], term.SE, 0.25) {
			t.Errorf("%s %s: bootstrap SE %.4f, information SE %.4f", term.Component, term.Name, a.SE[j], term.SE)
		}
		if !(a.Lower[j] < term.Coef && term.Coef < a.Upper[j]) {
			t.Errorf("%s %s: %.4f outside the percentile interval [%.4f, %.4f]", term.Component, term.Name, term.Coef, a.Lower[j], a.Upper[j])
		}
	}
	for k, pr := range profiles {
		s := m.Summary(pr)
		if !(a.FractionLower[k] < s.Fraction && s.Fraction < a.FractionUpper[k]) ||
			!scalar.EqualWithinRel(a.FractionUpper[k]-a.FractionLower[k], s.FractionUpper-s.FractionLower, 0.3) {
			t.Errorf("profile %d: fraction %.3f [%.3f, %.3f], bootstrap [%.3f, %.3f]", k, s.Fraction, s.FractionLower, s.FractionUpper, a.FractionLower[k], a.FractionUpper[k])
		}
		if !(a.MedianLower[k] < s.Median && s.Median < a.MedianUpper[k]) {
			t.Errorf("profile %d: median %.3f, bootstrap [%.3f, %.3f]", k, s.Median, a.MedianLower[k], a.MedianUpper[k])
		}
	}
}

// TestQuantile7 compares with R: quantile(c(4, 1, 10, 3, 7.5), c(0.025, 0.5, 0.975), type = 7)
// gives 1.2, 4, 9.75.
func TestQuantile7(t *testing.T) {
	x := []float64{4, 1, 10, 3, 7.5}
	_, lo, hi := spread(x, 0.025, 0.975)
	for _, c := range []struct{ got, want float64 }{{lo, 1.2}, {quantile7(x, 0.5), 4}, {hi, 9.75}} {
		if !scalar.EqualWithinRel(c.got, c.want, 1e-14) {
			t.Errorf("quantile %v, R %v", c.got, c.want)
		}
	}
	if sd, _, _ := spread([]float64{1}, 0.025, 0.975); !math.IsNaN(sd) {
		t.Errorf("sd of one value = %v, want NaN", sd)
	}
}

func TestBootstrapErrors(t *testing.T) {
	time, event, _, design := simulateTrial(100, 1)
	if _, err := Bootstrap(time, event, design, design, Options{}, BootstrapOptions{}); err == nil {
		t.Error("Replicates = 0 accepted")
	}
}
