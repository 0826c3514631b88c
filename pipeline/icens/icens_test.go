package icens

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/ketcurves/ketcurves/pipeline/km"
	"gonum.org/v1/gonum/floats/scalar"
)

var inf = math.Inf(1)

// With exact and right-censored data only, the NPMLE is the Kaplan–Meier
// estimate (Efron 1967): checked on aml against package km, itself
// checked against R's survfit(Surv(time, status) ~ 1).
func TestTurnbullIsKaplanMeier(t *testing.T) {
	d := loadDataset(t, "aml")
	for _, curve := range []string{"all", "0", "1"} {
		lower, upper := d.curve(t, curve)
		f, err := Turnbull(lower, upper, Options{})
		if err != nil || f.Status != Converged {
			t.Fatalf("%s: %v, %v", curve, err, f.Status)
		}
		event := make([]bool, len(lower))
		for i := range event {
			event[i] = lower[i] == upper[i]
		}
		c, err := km.KaplanMeier(lower, event, km.Options{})
		if err != nil {
			t.Fatal(err)
		}
		for i, tm := range c.Time {
			if c.NEvent[i] == 0 {
				continue
			}
			j := pointIndex(f, tm)
			if j < 0 {
				t.Fatalf("%s: no point mass at event time %v", curve, tm)
			}
			if !scalar.EqualWithinAbsOrRel(f.Surv[j], c.Surv[i], 1e-12, 1e-9) {
				t.Errorf("%s: S(%v) = %.12g, Kaplan-Meier %.12g", curve, tm, f.Surv[j], c.Surv[i])
			}
		}
	}
}

func pointIndex(f *NPMLE, tm float64) int {
	for j := range f.Lower {
		if f.Lower[j] == tm && f.Upper[j] == tm {
			return j
		}
	}
	return -1
}

// The estimate satisfies the Kuhn–Tucker conditions, does not depend on the
// order of the rows, and no perturbation of the masses raises the
// log-likelihood.
func TestTurnbullOptimality(t *testing.T) {
	d := loadDataset(t, "lung")
	f, err := Turnbull(d.lower, d.upper, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if f.Gap > 1e-10 || f.Gap < -1e-12 {
		t.Errorf("gap %g: want in [0, 1e-10]", f.Gap)
	}
	sum := 0.0
	for _, p := range f.Mass {
		sum += p
	}
	if math.Abs(sum-1) > 1e-12 {
		t.Errorf("masses sum to %v", sum)
	}
	pr, err := newProblem(d.lower, d.upper)
	if err != nil {
		t.Fatal(err)
	}
	w := &emWork{prefix: make([]float64, len(f.Mass)+1), deriv: make([]float64, len(f.Mass)+1)}
	if ll := pr.loglik(w, f.Mass); math.Abs(ll-f.LogLik) > 1e-9 {
		t.Errorf("LogLik %v, recomputed %v", f.LogLik, ll)
	}
	rng := rand.New(rand.NewPCG(1, 1))
	q := make([]float64, len(f.Mass))
	for range 200 {
		// move a little mass from one interval to another
		a, b := rng.IntN(len(q)), rng.IntN(len(q))
		copy(q, f.Mass)
		delta := min(q[a], 1e-3)
		q[a] -= delta
		q[b] += delta
		if ll := pr.loglik(w, q); ll > f.LogLik+1e-9 {
			t.Fatalf("moving %g from interval %d to %d raises the log-likelihood by %g", delta, a, b, ll-f.LogLik)
		}
	}
	perm := rng.Perm(len(d.lower))
	lo, hi := make([]float64, len(perm)), make([]float64, len(perm))
	for i, j := range perm {
		lo[i], hi[i] = d.lower[j], d.upper[j]
	}
	g, _ := Turnbull(lo, hi, Options{})
	for j := range f.Mass {
		if g.Mass[j] != f.Mass[j] {
			t.Fatalf("mass %d differs after shuffling the rows: %v vs %v", j, g.Mass[j], f.Mass[j])
		}
	}
}

// Hand-worked cases: the Turnbull intervals and the masses.
func TestTurnbullSmall(t *testing.T) {
	for i, test := range []struct {
		lower, upper []float64
		wantLo       []float64
		wantHi       []float64
		wantMass     []float64
	}{
		// (10,20] and (20,40] do not overlap: two intervals, mass 1/2 each.
		{[]float64{10, 20}, []float64{20, 40}, []float64{10, 20}, []float64{20, 40}, []float64{0.5, 0.5}},
		// An exact 20 lies in (10, 20]: all mass on the point.
		{[]float64{10, 20}, []float64{20, 20}, []float64{20}, []float64{20}, []float64{1}},
		// Nested (0, 5] inside (0, 10]: one interval (0, 5].
		{[]float64{0, 0}, []float64{5, 10}, []float64{0}, []float64{5}, []float64{1}},
		// Right-censored after the last right end: (q, +Inf) interval.
		// Two events in (0,1], one right-censored at 2: masses 2/3, 1/3.
		{[]float64{0, 0, 2}, []float64{1, 1, inf}, []float64{0, 2}, []float64{1, inf}, []float64{2.0 / 3, 1.0 / 3}},
		// Overlapping (0,2], (1,3]: innermost (1,2] holds everything.
		{[]float64{0, 1}, []float64{2, 3}, []float64{1}, []float64{2}, []float64{1}},
	} {
		f, err := Turnbull(test.lower, test.upper, Options{})
		if err != nil {
			t.Fatalf("test %d: %v", i, err)
		}
		if !equalFloats(f.Lower, test.wantLo) || !equalFloats(f.Upper, test.wantHi) {
			t.Errorf("test %d: intervals %v %v, want %v %v", i, f.Lower, f.Upper, test.wantLo, test.wantHi)
			continue
		}
		for j, m := range test.wantMass {
			if !scalar.EqualWithinAbsOrRel(f.Mass[j], m, 1e-9, 1e-9) {
				t.Errorf("test %d: mass %d = %v, want %v", i, j, f.Mass[j], m)
			}
		}
	}
}

func equalFloats(a, b []float64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestTurnbullStatus(t *testing.T) {
	f, err := Turnbull([]float64{1, 3}, []float64{inf, inf}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if f.Status != NoEvents || len(f.Mass) != 1 || f.Lower[0] != 3 || !math.IsInf(f.Upper[0], 1) {
		t.Errorf("all right-censored: %v %v %v %v", f.Status, f.Lower, f.Upper, f.Mass)
	}
	if q := f.Quantile(0.5); q.Reached || !math.IsNaN(q.Time) {
		t.Errorf("all right-censored: median %+v, want not reached", q)
	}
	d := loadDataset(t, "bcos")
	f, err = Turnbull(d.lower, d.upper, Options{MaxIter: 3})
	if err != nil {
		t.Fatal(err)
	}
	if f.Status != NotConverged || f.Iterations > 4 || !(f.Gap > 1e-10) {
		t.Errorf("MaxIter 3: status %v after %d iterations, gap %g", f.Status, f.Iterations, f.Gap)
	}
}

func TestTurnbullErrors(t *testing.T) {
	for i, test := range []struct {
		lower, upper []float64
		want         string
	}{
		{nil, nil, "no observations"},
		{[]float64{1, math.NaN()}, []float64{2, 3}, "observation 1"},
		{[]float64{1}, []float64{math.NaN()}, "NaN"},
		{[]float64{-1}, []float64{2}, ">= 0"},
		{[]float64{inf}, []float64{inf}, "finite"},
		{[]float64{0, 3}, []float64{1, 2}, "lower > upper"},
		{[]float64{1}, []float64{1 + 1e-12}, "closer than"},
	} {
		_, err := Turnbull(test.lower, test.upper, Options{})
		if err == nil || !strings.Contains(err.Error(), test.want) {
			t.Errorf("test %d: error %v, want one containing %q", i, err, test.want)
		}
	}
}

func TestPanics(t *testing.T) {
	for i, f := range []func(){
		func() { Turnbull([]float64{1}, nil, Options{}) },
		func() { Turnbull([]float64{1}, []float64{2}, Options{Tol: -1}) },
		func() { Turnbull([]float64{1}, []float64{2}, Options{MaxIter: -1}) },
		func() { WeightedLogrank([]float64{1}, []float64{2}, []int{0}, 1, LogrankSun, Options{}) },
		func() { WeightedLogrank([]float64{1}, []float64{2}, []int{0}, 2, Scores(7), Options{}) },
		func() { FromADTTE([]float64{1}, nil, nil, nil) },
		func() {
			f, _ := Turnbull([]float64{1}, []float64{2}, Options{})
			f.Quantile(1)
		},
	} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("case %d did not panic", i)
				}
			}()
			f()
		}()
	}
}

// Quantiles on hand-worked curves: a crossing inside an interval, a point,
// a flat region and a crossing in the infinite interval.
func TestQuantile(t *testing.T) {
	// (0,1] mass 1/2, point 3 mass 1/4, right-censored at 5 mass 1/4.
	f, err := Turnbull([]float64{0, 0, 3, 5}, []float64{1, 1, 3, inf}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, test := range []struct {
		p        float64
		want     Quantile
		wantNaN  bool
		describe string
	}{
		{0.25, Quantile{Prob: 0.25, Reached: true, Lower: 0, Upper: 1, Time: 0.5}, false, "inside (0, 1]"},
		{0.5, Quantile{Prob: 0.5, Reached: true, Lower: 1, Upper: 3, Time: 2}, false, "flat from 1 to 3"},
		{0.6, Quantile{Prob: 0.6, Reached: true, Lower: 3, Upper: 3, Time: 3}, false, "the point 3"},
		{0.9, Quantile{Prob: 0.9, Lower: 5, Upper: inf}, true, "in (5, Inf): not reached"},
	} {
		q := f.Quantile(test.p)
		same := q.Prob == test.want.Prob && q.Reached == test.want.Reached && q.Lower == test.want.Lower &&
			q.Upper == test.want.Upper && (q.Time == test.want.Time || test.wantNaN && math.IsNaN(q.Time))
		if !same {
			t.Errorf("%s: Quantile(%v) = %+v, want %+v", test.describe, test.p, q, test.want)
		}
	}
}

func TestWeightedLogrankErrors(t *testing.T) {
	d := loadDataset(t, "bcos")
	for i, test := range []struct {
		lower, upper []float64
		group        []int
		want         string
	}{
		{d.lower, d.upper, make([]int, len(d.lower)), "only 1 group"},
		{[]float64{0, 1}, []float64{1, 2}, []int{0, 2}, "group[1] = 2"},
		{[]float64{1, 2}, []float64{inf, inf}, []int{0, 1}, "no events"},
		{[]float64{0, 0}, []float64{1, 1}, []int{0, 1}, "do not vary"},
		{[]float64{-1, 0}, []float64{1, 1}, []int{0, 1}, ">= 0"},
	} {
		_, err := WeightedLogrank(test.lower, test.upper, test.group, 2, LogrankSun, Options{})
		if err == nil || !strings.Contains(err.Error(), test.want) {
			t.Errorf("test %d: error %v, want one containing %q", i, err, test.want)
		}
	}
}

// For right-censored data the Sun scores are the logrank scores, so U is
// survdiff's O - E:
//
//	s <- survdiff(Surv(time, status) ~ x, data = aml); s$obs - s$exp
//	# -3.689335992300725  3.6893359923007241   (R 4.2.2, survival 3.5.3)
func TestWeightedLogrankRightCensored(t *testing.T) {
	d := loadDataset(t, "aml")
	r, err := WeightedLogrank(d.lower, d.upper, d.group, 2, LogrankSun, Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := []float64{-3.689335992300725, 3.6893359923007241}
	for g := range want {
		if !scalar.EqualWithinAbsOrRel(r.U[g], want[g], 1e-9, relTol) {
			t.Errorf("U[%d] = %.12g, survdiff O-E %.12g", g, r.U[g], want[g])
		}
	}
}

func TestFromADTTE(t *testing.T) {
	nan := math.NaN()
	lower, upper, err := FromADTTE(
		[]float64{3, 7, 14, 2},
		[]float64{2, nan, 14, 2},
		[]float64{3, 1, nan, 2},
		[]int{0, 0, 1, 0})
	if err != nil {
		t.Fatal(err)
	}
	if !equalFloats(lower, []float64{2, 0, 14, 2}) || !equalFloats(upper, []float64{3, 1, inf, 2}) {
		t.Errorf("got (%v, %v]", lower, upper)
	}
	for i, test := range []struct {
		aval, ilower, iupper float64
		cnsr                 int
		want                 string
	}{
		{1, 0, 1, -1, "row 0: CNSR = -1"},
		{nan, 0, 1, 1, "AVAL = NaN"},
		{-2, 0, 1, 1, "AVAL = -2"},
		{1, 0, nan, 0, "IUPPER = NaN"},
		{1, -1, 1, 0, "ILOWER = -1"},
		{1, 3, 1, 0, "ILOWER = 3 > IUPPER = 1"},
	} {
		_, _, err := FromADTTE([]float64{test.aval}, []float64{test.ilower}, []float64{test.iupper}, []int{test.cnsr})
		if err == nil || !strings.Contains(err.Error(), test.want) {
			t.Errorf("test %d: error %v, want one containing %q", i, err, test.want)
		}
	}
}
