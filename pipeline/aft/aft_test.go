package aft

import (
	"math"
	"math/rand/v2"
	"runtime"
	"slices"
	"strings"
	"testing"

	"gonum.org/v1/gonum/floats/scalar"
	"gonum.org/v1/gonum/stat/distuv"
)

// TestBadInput checks the errors for unusable data and options.
func TestBadInput(t *testing.T) {
	nan, inf := math.NaN(), math.Inf(1)
	ok := Response{Lower: []float64{1, 2, 3}, Upper: []float64{1, inf, 3}}
	x := [][]float64{{0, 1, 0}}
	for _, test := range []struct {
		name string
		resp Response
		x    [][]float64
		dist Dist
		opt  Options
		want string
	}{
		{"no observations", Response{}, nil, Weibull, Options{}, "no observations"},
		{"no bound", Response{Lower: []float64{1, nan}, Upper: []float64{1, nan}}, nil, Weibull, Options{}, "has no bound"},
		{"negative lower", Response{Lower: []float64{1, -2}, Upper: []float64{1, 3}}, nil, Weibull, Options{}, "must be positive"},
		{"zero exact", Response{Lower: []float64{1, 2}, Upper: []float64{1, 0}}, nil, Weibull, Options{}, "must be positive"},
		{"lower above upper", Response{Lower: []float64{1, 5}, Upper: []float64{1, 3}}, nil, Weibull, Options{}, "above upper bound"},
		{"infinite lower", Response{Lower: []float64{1, inf}, Upper: []float64{1, inf}}, nil, Weibull, Options{}, "positive and finite"},
		{"NaN covariate", ok, [][]float64{{0, nan, 1}}, Weibull, Options{}, `covariate "x" of observation 1`},
		{"unknown dist", ok, x, Dist("gompertz"), Options{}, "unknown distribution"},
		{"negative MaxIter", ok, x, Weibull, Options{MaxIter: -1}, "MaxIter"},
		{"bad ConfLevel", ok, x, Weibull, Options{ConfLevel: 1.5}, "ConfLevel"},
		{"bad Eps", ok, x, Weibull, Options{Eps: math.NaN()}, "Eps"},
	} {
		names := make([]string, len(test.x))
		for j := range names {
			names[j] = "x"
		}
		_, err := Fit(test.resp, test.x, names, test.dist, test.opt)
		if err == nil || !strings.Contains(err.Error(), test.want) {
			t.Errorf("%s: err = %v, want it to mention %q", test.name, err, test.want)
		}
	}
}

func TestPanics(t *testing.T) {
	for _, test := range []struct {
		name string
		f    func()
	}{
		{"upper length", func() { Fit(Response{Lower: []float64{1}, Upper: nil}, nil, nil, Weibull, Options{}) }},
		{"names length", func() {
			Fit(Response{Lower: []float64{1}, Upper: []float64{1}}, [][]float64{{1}}, nil, Weibull, Options{})
		}},
		{"x length", func() {
			Fit(Response{Lower: []float64{1}, Upper: []float64{1}}, [][]float64{{1, 2}}, []string{"a"}, Weibull, Options{})
		}},
		{"event length", func() { RightCensored([]float64{1}, nil) }},
		{"quantile p", func() { Distribution{Dist: Weibull, Scale: 1}.Quantile(2) }},
	} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("%s: no panic", test.name)
				}
			}()
			test.f()
		}()
	}
}

func TestParseDist(t *testing.T) {
	for _, test := range []struct {
		in   string
		want Dist
		err  bool
	}{
		{"weibull", Weibull, false}, {" Weibull ", Weibull, false}, {"LOGNORMAL", LogNormal, false},
		{"loggaussian", LogNormal, false}, {"loglogistic", LogLogistic, false}, {"exponential", Exponential, false},
		{"gamma", "", true}, {"", "", true},
	} {
		got, err := ParseDist(test.in)
		if got != test.want || (err != nil) != test.err {
			t.Errorf("ParseDist(%q) = %q, %v", test.in, got, err)
		}
	}
}

// simulated returns n Weibull AFT observations with 4 covariates (arm, a
// normal, an age-like normal, a binary), log T = 3 + 0.4 arm - 0.2 z +
// 0.01 (age - 60) + 0.1 b + 0.8 W, and uniform censoring on (0, 80).
func simulated(n int, seed uint64) (Response, [][]float64, []string) {
	rng := rand.New(rand.NewPCG(seed, uint64(n)))
	time := make([]float64, n)
	event := make([]bool, n)
	x := make([][]float64, 4)
	for j := range x {
		x[j] = make([]float64, n)
	}
	for i := range n {
		x[0][i] = float64(rng.IntN(2))
		x[1][i] = rng.NormFloat64()
		x[2][i] = 60 + 10*rng.NormFloat64()
		x[3][i] = float64(rng.IntN(2))
		lp := 3 + 0.4*x[0][i] - 0.2*x[1][i] + 0.01*(x[2][i]-60) + 0.1*x[3][i]
		w := math.Log(rng.ExpFloat64()) // standard extreme value (minimum)
		tt := math.Exp(lp + 0.8*w)
		c := 80 * rng.Float64()
		time[i], event[i] = math.Min(tt, c), tt <= c
	}
	return RightCensored(time, event), x, []string{"ARM", "Z", "AGE", "SEX"}
}

// TestSimulatedRecovery checks, without R, that the estimates are near the
// truth on a large simulated data set (intercept 3 - 0.01 x 60).
func TestSimulatedRecovery(t *testing.T) {
	resp, x, names := simulated(20000, 7)
	m, err := Fit(resp, x, names, Weibull, Options{})
	if err != nil || m.Status != StatusOK {
		t.Fatal(err, m.Status, m.Messages)
	}
	truth := []float64{3 - 0.6, 0.4, -0.2, 0.01, 0.1, math.Log(0.8)}
	for j, v := range truth {
		if math.Abs(m.Coef[j]-v) > 4*m.SE[j] {
			t.Errorf("%s: %g ± %g, true %g", m.Names[j], m.Coef[j], m.SE[j], v)
		}
	}
}

// TestNoEvents: every observation right-censored gives not_estimable,
// with NaN (not 0) numbers.
func TestNoEvents(t *testing.T) {
	resp := RightCensored([]float64{1, 2, 3, 4}, []bool{false, false, false, false})
	m, err := Fit(resp, [][]float64{{0, 1, 0, 1}}, []string{"ARM"}, Weibull, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if m.Status != StatusNotEstimable || len(m.Messages) == 0 || !math.IsNaN(m.LogLik) || m.Coef != nil {
		t.Errorf("status %s messages %v loglik %v coef %v", m.Status, m.Messages, m.LogLik, m.Coef)
	}
	if d := m.At([]float64{1}); !math.IsNaN(d.Location) {
		t.Errorf("At on a non-estimable model: %+v", d)
	}
	g, err := FitGenGamma(resp, [][]float64{{0, 1, 0, 1}}, []string{"ARM"}, Options{})
	if err != nil || g.Status != StatusNotEstimable {
		t.Errorf("gengamma: %v %v", err, g.Status)
	}
}

// TestSingular: a column equal to another is redundant (NaN, status
// singular) and the other estimates are those of the fit without it.
func TestSingular(t *testing.T) {
	d := loadDataset(t, "lung")
	want, err := Fit(d.resp, d.x, d.names, Weibull, Options{})
	if err != nil {
		t.Fatal(err)
	}
	x := append(append([][]float64(nil), d.x...), d.x[1])
	names := append(append([]string(nil), d.names...), "female2")
	m, err := Fit(d.resp, x, names, Weibull, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if m.Status != StatusSingular || !math.IsNaN(m.Coef[4]) || !strings.Contains(m.Messages[0], `"female2"`) {
		t.Fatalf("status %s coef %v messages %v", m.Status, m.Coef, m.Messages)
	}
	for j, name := range want.Names {
		k := j
		if name == LogScaleName {
			k = len(m.Names) - 1
		}
		if !scalar.EqualWithinAbsOrRel(m.Coef[k], want.Coef[j], 1e-7, 1e-7) || !scalar.EqualWithinAbsOrRel(m.SE[k], want.SE[j], 1e-6, 1e-6) {
			t.Errorf("%s: %v (%v), without the copy %v (%v)", name, m.Coef[k], m.SE[k], want.Coef[j], want.SE[j])
		}
	}
	if !scalar.EqualWithinAbsOrRel(m.LogLik, want.LogLik, 1e-9, 1e-9) {
		t.Errorf("loglik %v, without the copy %v", m.LogLik, want.LogLik)
	}
}

// TestMonotone: an arm with no events drives its coefficient to infinity.
func TestMonotone(t *testing.T) {
	time := []float64{5, 8, 12, 20, 25, 30, 6, 9, 15, 22, 28, 35}
	event := []bool{true, true, true, false, true, true, false, false, false, false, false, false}
	arm := []float64{0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1}
	m, err := Fit(RightCensored(time, event), [][]float64{arm}, []string{"ARM"}, Weibull, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if m.Status != StatusMonotone || !strings.Contains(strings.Join(m.Messages, " "), `"ARM"`) {
		t.Errorf("status %s coef %v messages %v", m.Status, m.Coef, m.Messages)
	}
}

// TestNotConverged: one iteration is not enough; the status says so.
func TestNotConverged(t *testing.T) {
	d := loadDataset(t, "lung")
	m, err := Fit(d.resp, d.x, d.names, LogLogistic, Options{MaxIter: 1})
	if err != nil {
		t.Fatal(err)
	}
	if m.Status != StatusNotConverged || m.Converged || m.Iterations != 1 || math.IsNaN(m.LogLik) {
		t.Errorf("status %s converged %v iterations %d loglik %v", m.Status, m.Converged, m.Iterations, m.LogLik)
	}
}

// TestDistribution checks the methods of Distribution against each other
// and against gonum's distuv (Weibull, LogNormal), for each distribution.
func TestDistribution(t *testing.T) {
	for _, dist := range Dists {
		d := Distribution{Dist: dist, Location: 1.3, Scale: 0.7}
		if dist == Exponential {
			d.Scale = 1
		}
		for _, tm := range []float64{0.2, 1, 3.5, 10, 40} {
			s, f := d.Survival(tm), d.CDF(tm)
			if !scalar.EqualWithinAbsOrRel(s+f, 1, 1e-15, 1e-15) {
				t.Errorf("%s: S + F = %v at %v", dist, s+f, tm)
			}
			if !scalar.EqualWithinAbsOrRel(math.Exp(d.LogSurvival(tm)), s, 1e-14, 1e-13) {
				t.Errorf("%s: exp(LogSurvival) %v, Survival %v", dist, math.Exp(d.LogSurvival(tm)), s)
			}
			h := 1e-6 * tm
			num := (d.CDF(tm+h) - d.CDF(tm-h)) / (2 * h)
			if !scalar.EqualWithinAbsOrRel(d.Prob(tm), num, 1e-8, 1e-6) {
				t.Errorf("%s: Prob %v, dF/dt %v at %v", dist, d.Prob(tm), num, tm)
			}
			if !scalar.EqualWithinAbsOrRel(d.Hazard(tm), d.Prob(tm)/s, 1e-12, 1e-10) {
				t.Errorf("%s: hazard %v, f/S %v", dist, d.Hazard(tm), d.Prob(tm)/s)
			}
		}
		for _, p := range []float64{0.01, 0.25, 0.5, 0.9, 0.999} {
			if q := d.Quantile(p); !scalar.EqualWithinAbsOrRel(d.CDF(q), p, 1e-13, 1e-12) {
				t.Errorf("%s: CDF(Quantile(%v)) = %v", dist, p, d.CDF(q))
			}
		}
		var ref interface{ CDF(float64) float64 }
		switch dist {
		case Weibull, Exponential:
			ref = distuv.Weibull{K: 1 / d.Scale, Lambda: math.Exp(d.Location)}
		case LogNormal:
			ref = distuv.LogNormal{Mu: d.Location, Sigma: d.Scale}
		}
		if ref != nil {
			for _, tm := range []float64{0.5, 4, 20} {
				if !scalar.EqualWithinAbsOrRel(d.CDF(tm), ref.CDF(tm), 1e-14, 1e-12) {
					t.Errorf("%s: CDF(%v) = %v, distuv %v", dist, tm, d.CDF(tm), ref.CDF(tm))
				}
			}
		}
	}
}

// TestGenGammaSpecialCases: Q = 1 is the Weibull, Q = sigma the gamma
// (shape Q^-2, rate Q^-2 e^-mu), Q -> 0 the log-normal, continuously
// through the series threshold, for density, survival and quantiles.
func TestGenGammaSpecialCases(t *testing.T) {
	times := []float64{0.3, 1, 2.5, 7, 30}
	wb := Distribution{Dist: Weibull, Location: 1.1, Scale: 0.6}
	g := GenGamma{Mu: 1.1, Sigma: 0.6, Q: 1}
	ln := Distribution{Dist: LogNormal, Location: 1.1, Scale: 0.6}
	for _, tm := range times {
		if !scalar.EqualWithinAbsOrRel(g.Survival(tm), wb.Survival(tm), 1e-14, 1e-12) || !scalar.EqualWithinAbsOrRel(g.LogProb(tm), wb.LogProb(tm), 1e-13, 1e-12) {
			t.Errorf("Q = 1 at %v: S %v f %v, Weibull %v %v", tm, g.Survival(tm), g.LogProb(tm), wb.Survival(tm), wb.LogProb(tm))
		}
		ga := GenGamma{Mu: 1.1, Sigma: 0.5, Q: 0.5}
		ref := distuv.Gamma{Alpha: 4, Beta: 4 * math.Exp(-1.1)}
		if !scalar.EqualWithinAbsOrRel(ga.CDF(tm), ref.CDF(tm), 1e-14, 1e-12) || !scalar.EqualWithinAbsOrRel(ga.LogProb(tm), ref.LogProb(tm), 1e-13, 1e-12) {
			t.Errorf("Q = sigma at %v: F %v log f %v, gamma %v %v", tm, ga.CDF(tm), ga.LogProb(tm), ref.CDF(tm), ref.LogProb(tm))
		}
		z := GenGamma{Mu: 1.1, Sigma: 0.6}
		if !scalar.EqualWithinAbsOrRel(z.Survival(tm), ln.Survival(tm), 1e-15, 1e-13) || !scalar.EqualWithinAbsOrRel(z.LogProb(tm), ln.LogProb(tm), 1e-14, 1e-13) {
			t.Errorf("Q = 0 at %v: S %v, lognormal %v", tm, z.Survival(tm), ln.Survival(tm))
		}
		// Across the series threshold the two evaluations agree.
		for _, q := range []float64{qSeries, -qSeries} {
			below := GenGamma{Mu: 1.1, Sigma: 0.6, Q: q * (1 - 1e-9)}
			above := GenGamma{Mu: 1.1, Sigma: 0.6, Q: q * (1 + 1e-9)}
			if !scalar.EqualWithinAbsOrRel(below.Survival(tm), above.Survival(tm), 1e-13, 2e-12) {
				t.Errorf("Q = %v at %v: series %v, incomplete gamma %v", q, tm, below.Survival(tm), above.Survival(tm))
			}
		}
		// At Q = 1e-3 the log-normal is within O(Q).
		small := GenGamma{Mu: 1.1, Sigma: 0.6, Q: 1e-3}
		if d := math.Abs(small.Survival(tm) - ln.Survival(tm)); d > 1e-3 || d == 0 {
			t.Errorf("Q = 1e-3 at %v: |S - S_lognormal| = %v", tm, d)
		}
	}
	for _, q := range []float64{-1.5, -0.3, 0, 1e-7, 0.02, 1, 2} {
		g := GenGamma{Mu: 0.4, Sigma: 0.8, Q: q}
		for _, p := range []float64{0.05, 0.5, 0.95} {
			if c := g.CDF(g.Quantile(p)); !scalar.EqualWithinAbsOrRel(c, p, 1e-10, 1e-9) {
				t.Errorf("Q = %v: CDF(Quantile(%v)) = %v", q, p, c)
			}
		}
	}
}

// TestEvalAllocs: a likelihood evaluation allocates nothing.
func TestEvalAllocs(t *testing.T) {
	resp, x, _ := simulated(1000, 1)
	l, _, err := newLikelihood(resp, x, Weibull)
	if err != nil {
		t.Fatal(err)
	}
	theta := []float64{3, 0.4, -0.2, 0.01, 0.1, -0.2}
	grad, info, jj := make([]float64, 6), make([]float64, 36), make([]float64, 36)
	s := newScaledLikelihood(l)
	if a := testing.AllocsPerRun(10, func() { s.eval(theta, grad, info, jj) }); a != 0 {
		t.Errorf("eval allocates %v times per call", a)
	}
}

// TestEvalDeterministic: the chunked evaluation gives the same bits with one
// goroutine or several.
func TestEvalDeterministic(t *testing.T) {
	resp, x, names := simulated(5*chunkRows+17, 3)
	fit := func(procs int) *Model {
		defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(procs))
		m, err := Fit(resp, x, names, Weibull, Options{})
		if err != nil {
			t.Fatal(err)
		}
		return m
	}
	one, many := fit(1), fit(4)
	if one.LogLik != many.LogLik || !slices.Equal(one.Coef, many.Coef) || !slices.Equal(one.SE, many.SE) {
		t.Errorf("GOMAXPROCS 1: %v %v, 4: %v %v", one.LogLik, one.Coef, many.LogLik, many.Coef)
	}
}

// TestLeftCensoredZero: a lower bound of 0 is left-censoring, like NaN (R
// survreg turns interval2's [0, R] into a left-censored time).
func TestLeftCensoredZero(t *testing.T) {
	d := loadDataset(t, "lung_visits")
	zero := Response{Lower: slices.Clone(d.resp.Lower), Upper: d.resp.Upper}
	left := 0
	for i, v := range zero.Lower {
		if math.IsNaN(v) {
			zero.Lower[i] = 0
			left++
		}
	}
	if left == 0 {
		t.Fatal("no left-censored rows in lung_visits.csv")
	}
	a, err := Fit(d.resp, d.x, d.names, Weibull, Options{})
	if err != nil {
		t.Fatal(err)
	}
	b, err := Fit(zero, d.x, d.names, Weibull, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if a.LogLik != b.LogLik || !slices.Equal(a.Coef, b.Coef) || a.Counts != b.Counts || a.Left != left {
		t.Errorf("NaN lower: %v %+v; zero lower: %v %+v", a.LogLik, a.Counts, b.LogLik, b.Counts)
	}
}
