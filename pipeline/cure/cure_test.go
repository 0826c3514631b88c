package cure

import (
	"errors"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"gonum.org/v1/gonum/floats/scalar"
	"gonum.org/v1/gonum/stat/distuv"
)

// TestDerivatives checks the analytic gradient against central differences
// of the log-likelihood and the analytic Hessian against central
// differences of the gradient, away from the optimum and with subjects far
// in the latency tails (z beyond 37, where the log-normal tail switches to
// its asymptotic series).
func TestDerivatives(t *testing.T) {
	d := loadDataset(t, "sim")
	time := append([]float64(nil), d.time...)
	time[0], time[1] = 1e12, 1e-9 // far tails for the parameters below
	for _, dist := range []Distribution{Weibull, LogNormal} {
		p := newProblem(dist, time, d.event, d.incidence.X, d.latency.X)
		for _, theta := range [][]float64{
			{-0.3, 1.1, 0.3, 3.1, 0.2, -0.2, -0.6},
			{29, 1.1, 0.3, 3.1, 0.2, -0.2, -0.6}, // logit π on both sides of fastLogit
			{-31, 1.1, 0.3, 3.1, 0.2, -0.2, -0.6},
		} {
			checkDerivatives(t, p, theta)
		}
	}
}

// checkDerivatives compares the analytic gradient and Hessian of p at theta
// with central differences, Richardson-extrapolated from steps h and h/2
// (error O(h⁴)), since the tail subjects give large third derivatives.
func checkDerivatives(t *testing.T, p *problem, theta []float64) {
	t.Helper()
	dim := p.dim()
	grad, hess := make([]float64, dim), make([]float64, dim*dim)
	p.derivatives(theta, grad, hess)
	// central returns the central differences of the log-likelihood and of
	// the gradient along coordinate j with step h.
	central := func(j int, h float64) (dl float64, dg []float64) {
		plus, minus := append([]float64(nil), theta...), append([]float64(nil), theta...)
		plus[j] += h
		minus[j] -= h
		g1, g2 := make([]float64, dim), make([]float64, dim)
		l1 := p.derivatives(plus, g1, nil)
		l2 := p.derivatives(minus, g2, nil)
		dg = make([]float64, dim)
		for k := range dg {
			dg[k] = (g1[k] - g2[k]) / (2 * h)
		}
		return (l1 - l2) / (2 * h), dg
	}
	const h = 1e-4
	for j := range dim {
		l1, g1 := central(j, h)
		l2, g2 := central(j, h/2)
		if num := (4*l2 - l1) / 3; !scalar.EqualWithinAbsOrRel(grad[j], num, 1e-5, 1e-7) {
			t.Errorf("%s θ_0 = %v: gradient[%d] = %.10g, numerical %.10g", p.dist, theta[0], j, grad[j], num)
		}
		for k := range dim {
			if num := (4*g2[k] - g1[k]) / 3; !scalar.EqualWithinAbsOrRel(hess[k*dim+j], num, 1e-5, 1e-7) {
				t.Errorf("%s θ_0 = %v: hessian[%d][%d] = %.10g, numerical %.10g", p.dist, theta[0], k, j, hess[k*dim+j], num)
			}
		}
	}
}

// TestCensoredPathsAgree: the direct and the log-scale formulas of a
// censored subject agree where both apply.
func TestCensoredPathsAgree(t *testing.T) {
	for _, dist := range []Distribution{Weibull, LogNormal} {
		for _, a := range []float64{-29, -5, -0.3, 0, 2, 15, 29.5} {
			for _, z := range []float64{-30, -4, -0.5, 0, 1, 3, 6} {
				lg := logistic(a)
				fast, ok := censoredFast(dist, z, lg, true)
				if !ok {
					continue
				}
				slow := censoredLog(dist, z, a, lg, true)
				for _, c := range []check{
					{"l", fast.l, slow.l}, {"r", fast.r, slow.r}, {"piFOverD", fast.piFOverD, slow.piFOverD},
					{"h1", fast.h1, slow.h1}, {"h2", fast.h2, slow.h2},
				} {
					if !scalar.EqualWithinAbsOrRel(c.got, c.want, 1e-14, 1e-11) {
						t.Errorf("%s a=%v z=%v: %s direct %.15g, log scale %.15g", dist, a, z, c.what, c.got, c.want)
					}
				}
			}
		}
	}
}

// TestRecoversTrueModel fits 20,000 subjects (100 times a study of 200)
// simulated from trueModel and requires every parameter and both arms'
// responder fractions within 3 standard errors of the truth, the
// standard errors being the fit's own, and those standard errors to be
// small (the fit is informative).
func TestRecoversTrueModel(t *testing.T) {
	time, event, arm, design := simulateTrial(20000, 11)
	m, err := Fit(time, event, design, design, Options{Groups: arm})
	if err != nil {
		t.Fatal(err)
	}
	if m.Status != StatusOK {
		t.Fatalf("Status = %q: %v", m.Status, m.Messages)
	}
	tm := trueModel
	logit := func(p float64) float64 { return math.Log(p / (1 - p)) }
	truth := []float64{logit(tm.pi0), logit(tm.pi1) - logit(tm.pi0), tm.mu, tm.armEffect, math.Log(tm.sigma)}
	for j, term := range m.Terms {
		if d := math.Abs(term.Coef - truth[j]); d > 3*term.SE || term.SE > 0.05 {
			t.Errorf("%s %s = %.4f ± %.4f, truth %.4f (%.1f SE)", term.Component, term.Name, term.Coef, term.SE, truth[j], d/term.SE)
		}
	}
	// The summaries' Wald intervals are symmetric on the logit and log
	// scales: their standard errors are the half-widths there over z.
	z := distuv.UnitNormal.Quantile(0.975)
	for a, want := range []float64{tm.pi0, tm.pi1} {
		p := Profile{Incidence: []float64{float64(a)}, Latency: []float64{float64(a)}}
		s := m.Summary(p)
		seLogit := (logit(s.FractionUpper) - logit(s.FractionLower)) / (2 * z)
		if d := math.Abs(logit(s.Fraction) - logit(want)); d > 3*seLogit {
			t.Errorf("arm %d: responder fraction %.4f [%.4f, %.4f], truth %.2f (%.1f SE)", a, s.Fraction, s.FractionLower, s.FractionUpper, want, d/seLogit)
		}
		med := math.Exp(tm.mu + tm.armEffect*float64(a) + tm.sigma*math.Log(math.Ln2))
		seLog := math.Log(s.MedianUpper/s.MedianLower) / (2 * z)
		if d := math.Abs(math.Log(s.Median / med)); d > 3*seLog {
			t.Errorf("arm %d: latency median %.3f [%.3f, %.3f], truth %.3f (%.1f SE)", a, s.Median, s.MedianLower, s.MedianUpper, med, d/seLog)
		}
	}
}

// TestFitErrors checks that unusable data is an error saying what is wrong.
func TestFitErrors(t *testing.T) {
	time, event, _, design := simulateTrial(200, 3)
	censored := make([]bool, len(event))
	zero := append([]float64(nil), time...)
	zero[5] = 0
	nanCov := Design{X: [][]float64{append([]float64(nil), design.X[0]...)}, Names: design.Names}
	nanCov.X[0][7] = math.NaN()
	for _, test := range []struct {
		name       string
		time       []float64
		event      []bool
		design     Design
		opt        Options
		want       string
		isNoEvents bool
	}{
		{"no events", time, censored, design, Options{}, "no events", true},
		{"empty", nil, nil, Design{}, Options{}, "no subjects", false},
		{"zero time", zero, event, design, Options{}, "row 6", false},
		{"NaN covariate", time, event, nanCov, Options{}, `"arm" of subject 7`, false},
		{"bad latency", time, event, design, Options{Latency: "gamma"}, `unknown latency distribution "gamma"`, false},
		{"bad level", time, event, design, Options{ConfLevel: 95}, "ConfLevel", false},
		{"bad alpha", time, event, design, Options{PlateauAlpha: 1.5}, "PlateauAlpha", false},
		{"bad MaxIter", time, event, design, Options{MaxIter: -1}, "MaxIter", false},
	} {
		_, err := Fit(test.time, test.event, test.design, test.design, test.opt)
		if err == nil || !strings.Contains(err.Error(), test.want) {
			t.Errorf("%s: error %v, want one containing %q", test.name, err, test.want)
		}
		if errors.Is(err, ErrNoEvents) != test.isNoEvents {
			t.Errorf("%s: errors.Is(err, ErrNoEvents) = %v", test.name, !test.isNoEvents)
		}
	}
}

// TestNoPlateau: in an arm where every subject's last observation is an
// event (no censoring after the last response), or the plateau is short
// with few observations before it, Status is no_plateau and the message
// names the group.
func TestNoPlateau(t *testing.T) {
	time, event, arm, design := simulateTrial(400, 5)
	// Arm 1: its largest time becomes an event.
	last := -1
	for i := range time {
		if arm[i] == 1 && (last < 0 || time[i] > time[last]) {
			last = i
		}
	}
	event[last] = true
	m, err := Fit(time, event, design, design, Options{Groups: arm})
	if err != nil {
		t.Fatal(err)
	}
	if m.Status != StatusNoPlateau || m.Plateaus[1].Status != PlateauNone || m.Plateaus[1].Length != 0 {
		t.Fatalf("Status %q, plateau %+v; want no_plateau for group 1", m.Status, m.Plateaus[1])
	}
	if m.Plateaus[0].Status != PlateauOK || !strings.Contains(strings.Join(m.Messages, " "), "group 1") {
		t.Errorf("plateau of group 0 %+v, messages %q", m.Plateaus[0], m.Messages)
	}

	// Short plateau: one censoring just after the last event.
	pl, err := PlateauTest([]float64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 10.05}, []bool{true, true, true, false, true, true, true, true, true, true, false}, 0)
	if err != nil {
		t.Fatal(err)
	}
	// N = #{9.95 < t <= 10} = 1, p = (1 - 1/11)^11 = 0.350.
	if pl.Count != 1 || !scalar.EqualWithinRel(pl.P, math.Pow(10.0/11, 11), 1e-14) || pl.Status != PlateauNone {
		t.Errorf("short plateau: %+v", pl)
	}
	// No events in the group.
	pl, _ = PlateauTest([]float64{1, 2}, []bool{false, false}, 0)
	if pl.Status != PlateauNoEvents || pl.KM != 1 {
		t.Errorf("no events: %+v", pl)
	}
}

// TestNotEstimable: a latency column that duplicates another makes the
// information singular; an arm in which every subject responds puts π at
// the boundary.
func TestNotEstimable(t *testing.T) {
	time, event, arm, design := simulateTrial(400, 9)
	dup := Design{X: [][]float64{design.X[0], design.X[0]}, Names: []string{"arm", "arm2"}}
	m, err := Fit(time, event, design, dup, Options{Groups: arm})
	if err != nil {
		t.Fatal(err)
	}
	if m.Status != StatusNotEstimable || !math.IsNaN(m.Terms[0].SE) {
		t.Errorf("collinear: Status %q, SE %v; want not_estimable, NaN", m.Status, m.Terms[0].SE)
	}

	// Arm 1 responds in full and early: all its subjects are events.
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range time {
		if arm[i] == 1 {
			time[i], event[i] = 1+10*rng.Float64(), true
		}
	}
	m, err = Fit(time, event, design, design, Options{Groups: arm})
	if err != nil {
		t.Fatal(err)
	}
	if m.Status == StatusOK {
		t.Errorf("everyone responds in arm 1: Status ok, terms %+v", m.Terms)
	}
	msgs := strings.Join(m.Messages, " ")
	if !strings.Contains(msgs, "boundary") && !strings.Contains(msgs, "singular") {
		t.Errorf("messages %q do not say the estimate is at the boundary", msgs)
	}
}

// TestNotConverged: one iteration from the start cannot converge.
func TestNotConverged(t *testing.T) {
	time, event, arm, design := simulateTrial(400, 9)
	m, err := Fit(time, event, design, design, Options{Groups: arm, MaxIter: 1})
	if err != nil {
		t.Fatal(err)
	}
	if m.Status != StatusNotConverged || m.Converged {
		t.Errorf("Status %q, Converged %v", m.Status, m.Converged)
	}
}

// TestRowOrder: shuffling the rows changes only rounding.
func TestRowOrder(t *testing.T) {
	time, event, arm, design := simulateTrial(3000, 4)
	a, err := Fit(time, event, design, design, Options{Groups: arm})
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(3, 4))
	x := design.X[0]
	rng.Shuffle(len(time), func(i, j int) {
		time[i], time[j] = time[j], time[i]
		event[i], event[j] = event[j], event[i]
		arm[i], arm[j] = arm[j], arm[i]
		x[i], x[j] = x[j], x[i]
	})
	b, _ := Fit(time, event, design, design, Options{Groups: arm})
	for j := range a.Terms {
		if !scalar.EqualWithinAbsOrRel(a.Terms[j].Coef, b.Terms[j].Coef, 1e-9, 1e-9) ||
			!scalar.EqualWithinAbsOrRel(a.Terms[j].SE, b.Terms[j].SE, 1e-9, 1e-9) {
			t.Errorf("term %d: %+v vs %+v after shuffling", j, a.Terms[j], b.Terms[j])
		}
	}
}

// TestCurveMethods checks the identities between the Curve methods.
func TestCurveMethods(t *testing.T) {
	for _, c := range []Curve{
		{Fraction: 0.7, Latency: Weibull, Mu: 3, Sigma: 0.5},
		{Fraction: 0.4, Latency: LogNormal, Mu: 2.5, Sigma: 1.2},
	} {
		for _, p := range []float64{0.01, 0.2, 0.39} {
			q := c.Quantile(p)
			if !scalar.EqualWithinRel(c.CDF(q), p, 1e-12) {
				t.Errorf("%+v: CDF(Quantile(%v)) = %v", c, p, c.CDF(q))
			}
		}
		if !math.IsInf(c.Quantile(c.Fraction), 1) || c.Quantile(0) != 0 {
			t.Errorf("%+v: Quantile(π) = %v, Quantile(0) = %v", c, c.Quantile(c.Fraction), c.Quantile(0))
		}
		for _, tt := range []float64{1, 10, 40, 1e4} {
			if s := c.Survival(tt) + c.CDF(tt); !scalar.EqualWithinRel(s, 1, 1e-14) {
				t.Errorf("%+v: S + F = %v at %v", c, s, tt)
			}
			// Hazard = -d log S / dt.
			h := 1e-6 * tt
			num := -(math.Log(c.Survival(tt+h)) - math.Log(c.Survival(tt-h))) / (2 * h)
			if !scalar.EqualWithinAbsOrRel(c.Hazard(tt), num, 1e-12, 1e-5) {
				t.Errorf("%+v: Hazard(%v) = %v, -dlogS/dt = %v", c, tt, c.Hazard(tt), num)
			}
		}
		if got := c.Survival(1e300); !scalar.EqualWithinRel(got, 1-c.Fraction, 1e-12) {
			t.Errorf("%+v: plateau %v, want %v", c, got, 1-c.Fraction)
		}
	}
}

// TestInterceptOnly: with empty designs the fit has three terms and its π
// is close to the complement of the Kaplan–Meier plateau, which the
// parametric tail can only move a little when follow-up is long.
func TestInterceptOnly(t *testing.T) {
	time, event, _, _ := simulateTrial(4000, 21)
	m, err := Fit(time, event, Design{}, Design{}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if m.Status != StatusOK || len(m.Terms) != 3 || m.Terms[2].Name != "log(scale)" || len(m.Plateaus) != 1 {
		t.Fatalf("Status %q, terms %+v, plateaus %+v", m.Status, m.Terms, m.Plateaus)
	}
	s := m.Summary(Profile{})
	if km := 1 - m.Plateaus[0].KM; math.Abs(s.Fraction-km) > 0.02 {
		t.Errorf("π = %.4f, 1 - KM plateau = %.4f", s.Fraction, km)
	}
}
