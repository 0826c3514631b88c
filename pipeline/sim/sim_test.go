package sim

import (
	"bytes"
	"fmt"
	"math"
	"runtime"
	"testing"

	"github.com/ketcurves/ketcurves/pipeline/cox"
)

func toy(t testing.TB) *Scenario {
	t.Helper()
	sc, err := ParseScenario("toy.yaml", []byte(goodScenario))
	if err != nil {
		t.Fatal(err)
	}
	return sc
}

func TestDistQuantileCDF(t *testing.T) {
	for i, d := range []Dist{
		{Weibull: &Weibull{Shape: 0.8, Scale: 300}},
		{LogNormal: &LogNormal{Median: 0.0833, SDLog: 1.2}},
		{Exponential: &Exponential{Median: 18}},
		{Uniform: &Uniform{Min: 7, Max: 28}},
		{Mixture: []Component{
			{Weight: 1, Dist: Dist{LogNormal: &LogNormal{Median: 0.1, SDLog: 0.5}}},
			{Weight: 3, Dist: Dist{Weibull: &Weibull{Shape: 2, Scale: 5}}},
		}},
	} {
		if err := d.validate(); err != nil {
			t.Fatalf("%d: %v", i, err)
		}
		for _, p := range []float64{0.01, 0.25, 0.5, 0.9, 0.999} {
			q := d.Quantile(p)
			if got := d.CDF(q); math.Abs(got-p) > 1e-9 {
				t.Errorf("dist %d: CDF(Quantile(%v)) = %v", i, p, got)
			}
		}
	}
	// Closed forms: the median of Weibull(k, λ) is λ (log 2)^(1/k)
	// (R: qweibull(0.5, 0.8, 300) = 189.2318...).
	w := Dist{Weibull: &Weibull{Shape: 0.8, Scale: 300}}
	if got, want := w.Median(), 300*math.Pow(math.Ln2, 1/0.8); math.Abs(got-want) > 1e-9 {
		t.Errorf("Weibull median %v, want %v", got, want)
	}
	// Proportional hazards: S_hr(t) = S(t)^hr, so the hr-transformed median
	// of an exponential with median m is m/hr.
	e := Dist{Exponential: &Exponential{Median: 10}}
	if got := e.quantilePH(0.5, 0.5); math.Abs(got-20) > 1e-9 {
		t.Errorf("exponential median under HR 0.5 = %v, want 20", got)
	}
}

// TestDeterministic checks that the output depends only on the scenario,
// whatever GOMAXPROCS, and changes with the seed.
func TestDeterministic(t *testing.T) {
	write := func(sc *Scenario) []byte {
		var b bytes.Buffer
		res := Simulate(sc)
		for _, f := range []func(*bytes.Buffer) error{
			func(w *bytes.Buffer) error { return res.WriteADSL(w) },
			func(w *bytes.Buffer) error { return res.WriteADQS(w) },
			func(w *bytes.Buffer) error { return res.WriteLatent(w) },
		} {
			if err := f(&b); err != nil {
				t.Fatal(err)
			}
		}
		return b.Bytes()
	}
	a := write(toy(t))
	old := runtime.GOMAXPROCS(1)
	b := write(toy(t))
	runtime.GOMAXPROCS(old)
	if !bytes.Equal(a, b) {
		t.Error("same scenario, different bytes")
	}
	sc := toy(t)
	sc.Seed++
	if bytes.Equal(a, write(sc)) {
		t.Error("different seed, same bytes")
	}
}

// TestScoresConsistentWithLatent checks the contract between adqs.csv and
// adtte_latent.csv: the first attended visit whose score meets a criterion
// is the first attended visit at or after the latent time.
func TestScoresConsistentWithLatent(t *testing.T) {
	sc := toy(t)
	sc.Cohorts[0].N, sc.Cohorts[1].N = 400, 400
	res := Simulate(sc)
	type visit struct{ day, score float64 }
	byS := map[int][]visit{}
	for _, r := range res.Records {
		if r.Paramcd == "MADRS" {
			byS[r.Subject] = append(byS[r.Subject], visit{r.Day, r.Value})
		}
	}
	nresp, nrel := 0, 0
	for i := range res.Subjects {
		s := &res.Subjects[i]
		vs := byS[i]
		if vs[0].day != 0 || vs[0].score != float64(s.Baseline) {
			t.Fatalf("%s: baseline visit %v, baseline %d", s.USUBJID, vs[0], s.Baseline)
		}
		half := float64(s.Baseline) / 2
		// At every post-baseline visit, the status read off the score is
		// the latent status at that instant.
		for _, v := range vs[1:] {
			if got, want := v.score <= half, s.InResponse(v.day); got != want {
				t.Errorf("%s day %v: score %v <= %v is %v, latent in response %v", s.USUBJID, v.day, v.score, half, got, want)
			}
			if got, want := v.score <= 10, s.InRemission(v.day); got != want {
				t.Errorf("%s day %v: score %v <= 10 is %v, latent in remission %v", s.USUBJID, v.day, v.score, got, want)
			}
			if got, want := v.score >= 22 && v.score > half, s.Relapse <= v.day; s.Response <= v.day && got != want {
				t.Errorf("%s day %v: score %v relapse-level %v, latent relapsed %v", s.USUBJID, v.day, v.score, got, want)
			}
		}
		for _, v := range vs {
			if v.day > s.Censor {
				t.Fatalf("%s: visit at day %v after censoring at %v", s.USUBJID, v.day, s.Censor)
			}
		}
		if !math.IsInf(s.Response, 1) {
			nresp++
		}
		if s.Relapse < s.Censor {
			nrel++
		}
	}
	if nresp < 100 || nrel < 20 {
		t.Errorf("too few responders (%d) or relapses (%d) for the test to mean anything", nresp, nrel)
	}
}

// recoveryScenario has large cohorts, no dropout and long follow-up, so that
// every latent time is observed.
func recoveryScenario(n int) string {
	return fmt.Sprintf(`study_id: RECOVER
seed: 20261125
scale: {paramcd: MADRS, max: 60, remission_max: 10, relapse_min: 22, noise_sd: 2}
demographics: {age: {mean: 45, sd: 10, min: 18, max: 80}, female_fraction: 0.5}
visits:
  - {name: BASELINE, days: 0}
  - {name: DAY1, days: 1}
followup: {fixed: {days: 100000}}
endpoints: [TTRESP, TTRELAPSE]
cohorts:
  - arm: ACTIVE
    n: %[1]d
    baseline: {mean: 32, sd: 5, min: 24, max: 50}
    response: {fraction: 0.6, time: {lognormal: {median_days: 0.1, sdlog: 0.8}}}
    relapse: {time: {weibull: {shape: 1.5, scale_days: 20}}, hazard_ratio: 0.5}
  - arm: CONTROL
    n: %[1]d
    baseline: {mean: 32, sd: 5, min: 24, max: 50}
    response: {fraction: 0.3, time: {weibull: {shape: 1.5, scale_days: 14}}}
    relapse: {time: {weibull: {shape: 1.5, scale_days: 20}}}
  - arm: FASTER
    n: %[1]d
    baseline: {mean: 32, sd: 5, min: 24, max: 50}
    response: {fraction: 0.3, time: {weibull: {shape: 1.5, scale_days: 14}}, hazard_ratio: 2}
`, n)
}

// TestRecoverParameters simulates large cohorts and checks that the
// responder fraction, the latency parameters and the hazard ratios (of
// relapse, and of response latency) estimated from the latent data match the
// scenario's inputs within 4 standard errors.
func TestRecoverParameters(t *testing.T) {
	n := 20000
	if testing.Short() {
		n = 4000
	}
	sc, err := ParseScenario("recover.yaml", []byte(recoveryScenario(n)))
	if err != nil {
		t.Fatal(err)
	}
	res := Simulate(sc)
	within := func(name string, got, want, se float64) {
		t.Helper()
		if math.Abs(got-want) > 4*se {
			t.Errorf("%s = %.4f, input %.4f (4 SE = %.4f)", name, got, want, 4*se)
		}
	}
	var logT, weib, fast []float64
	nA, rA, nC, rC := 0, 0, 0, 0
	// Response latency among responders, FASTER (x = 1) vs CONTROL (x = 0).
	var latT, latX []float64
	var latEv []bool
	for _, s := range res.Subjects {
		responded := !math.IsInf(s.Response, 1)
		switch s.Arm {
		case "ACTIVE":
			nA++
			if responded {
				rA++
				logT = append(logT, math.Log(s.Response))
			}
		case "CONTROL":
			nC++
			if responded {
				rC++
				weib = append(weib, s.Response)
				latT, latEv, latX = append(latT, s.Response), append(latEv, true), append(latX, 0)
			}
		case "FASTER":
			if responded {
				fast = append(fast, s.Response)
				latT, latEv, latX = append(latT, s.Response), append(latEv, true), append(latX, 1)
			}
		}
	}
	within("ACTIVE responder fraction", float64(rA)/float64(nA), 0.6, math.Sqrt(0.6*0.4/float64(nA)))
	within("CONTROL responder fraction", float64(rC)/float64(nC), 0.3, math.Sqrt(0.3*0.7/float64(nC)))
	// Log-normal latency: log T ~ N(log 0.1, 0.8²).
	m, sd := meanSD(logT)
	within("log-normal meanlog", m, math.Log(0.1), 0.8/math.Sqrt(float64(len(logT))))
	within("log-normal sdlog", sd, 0.8, 0.8/math.Sqrt(2*float64(len(logT))))
	// Weibull latency by maximum likelihood (complete data).
	k, lambda := weibullMLE(weib)
	// Asymptotic SEs: se(k) ≈ 0.78 k/√n, se(λ) ≈ 1.05 λ/(k√n).
	rn := math.Sqrt(float64(len(weib)))
	within("Weibull shape", k, 1.5, 0.78*1.5/rn)
	within("Weibull scale", lambda, 14, 1.05*14/(1.5*rn))
	// Hazard ratio of relapse (clock from response) by Cox regression.
	tm, ev, x := latentTTE(res, TTRELAPSE, "CONTROL", "ACTIVE", "")
	fit, err := cox.CoxPH(tm, ev, [][]float64{x}, []string{"arm"}, nil, cox.Options{})
	if err != nil {
		t.Fatal(err)
	}
	within("log HR of relapse", fit.Coef[0], math.Log(0.5), fit.SE[0])
	// Hazard ratio 2 on the response latency (S(t)^2): Cox regression of
	// the latency among responders, where proportional hazards hold (the
	// responder fractions are equal, so the non-responders carry no
	// information on the latency).
	fit, err = cox.CoxPH(latT, latEv, [][]float64{latX}, []string{"arm"}, nil, cox.Options{})
	if err != nil {
		t.Fatal(err)
	}
	within("log HR of response latency", fit.Coef[0], math.Log(2), fit.SE[0])
	// S(t)^2 of a Weibull(k, λ) is a Weibull(k, λ 2^(−1/k)).
	k, lambda = weibullMLE(fast)
	rn = math.Sqrt(float64(len(fast)))
	within("FASTER Weibull shape", k, 1.5, 0.78*1.5/rn)
	within("FASTER Weibull scale", lambda, 14*math.Pow(2, -1/1.5), 1.05*14*math.Pow(2, -1/1.5)/(1.5*rn))
}

func meanSD(x []float64) (m, sd float64) {
	for _, v := range x {
		m += v
	}
	m /= float64(len(x))
	for _, v := range x {
		sd += (v - m) * (v - m)
	}
	return m, math.Sqrt(sd / float64(len(x)-1))
}

// weibullMLE returns the maximum-likelihood shape and scale of complete
// Weibull data: the shape solves
//
//	1/k + mean(log t) − Σ t^k log t / Σ t^k = 0
//
// (bisection on [0.01, 100]) and the scale is (mean t^k)^(1/k).
func weibullMLE(t []float64) (k, lambda float64) {
	var mlog float64
	for _, v := range t {
		mlog += math.Log(v)
	}
	mlog /= float64(len(t))
	g := func(k float64) float64 {
		var a, b float64
		for _, v := range t {
			p := math.Pow(v, k)
			a += p * math.Log(v)
			b += p
		}
		return 1/k + mlog - a/b
	}
	lo, hi := 0.01, 100.0
	for range 100 {
		mid := (lo + hi) / 2
		if g(mid) > 0 {
			lo = mid
		} else {
			hi = mid
		}
	}
	k = (lo + hi) / 2
	var s float64
	for _, v := range t {
		s += math.Pow(v, k)
	}
	return k, math.Pow(s/float64(len(t)), 1/k)
}

func BenchmarkSimulate(b *testing.B) {
	for _, n := range []int{100, 1000, 10000, 100000} {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			sc := toy(b)
			sc.Cohorts[0].N, sc.Cohorts[1].N = n/2, n/2
			for b.Loop() {
				Simulate(sc)
			}
		})
	}
}

// TestSIScoresConsistentWithLatent checks, on the su2023-si scenario with
// larger arms, that C-SSRS ideation is 0 and MADRS item 10 is at most 1
// exactly when the latent suicidal ideation is resolved, and that item 10
// never exceeds the MADRS total.
func TestSIScoresConsistentWithLatent(t *testing.T) {
	sc, _ := loadStudy(t, "su2023-si")
	for i := range sc.Cohorts {
		sc.Cohorts[i].N = 500
	}
	res := Simulate(sc)
	total := map[[2]int]float64{}
	for _, r := range res.Records {
		if r.Paramcd == "MADRS" {
			total[[2]int{r.Subject, int(math.Round(r.Day * 1440))}] = r.Value
		}
	}
	resolvedVisits := 0
	for _, r := range res.Records {
		s := &res.Subjects[r.Subject]
		resolved := s.SIResolved(r.Day)
		switch r.Paramcd {
		case "CSSRSI":
			if (r.Value == 0) != resolved {
				t.Fatalf("%s day %v: CSSRSI %v, latent resolved %v", s.USUBJID, r.Day, r.Value, resolved)
			}
			if resolved {
				resolvedVisits++
			}
		case "MADRS10":
			if (r.Value <= 1) != resolved {
				t.Fatalf("%s day %v: MADRS10 %v, latent resolved %v", s.USUBJID, r.Day, r.Value, resolved)
			}
			if tot := total[[2]int{r.Subject, int(math.Round(r.Day * 1440))}]; r.Value > tot {
				t.Fatalf("%s day %v: MADRS10 %v above the MADRS total %v", s.USUBJID, r.Day, r.Value, tot)
			}
		}
	}
	if resolvedVisits < 100 {
		t.Errorf("only %d visits with resolved SI: the test means little", resolvedVisits)
	}
}

// TestRelapseEvents checks that clinical events accompany latent relapses on
// their day, in about the requested share, and that adding them leaves the
// other outputs unchanged.
func TestRelapseEvents(t *testing.T) {
	sc := toy(t)
	sc.Cohorts[0].N = 2000
	before := Simulate(sc)
	sc.Cohorts[0].RelapseEvents = &RelapseEvents{Fraction: 0.3, SuicideAttemptShare: 0.5}
	after := Simulate(sc)
	var a, b bytes.Buffer
	if err := before.WriteADQS(&a); err != nil {
		t.Fatal(err)
	}
	if err := after.WriteADQS(&b); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a.Bytes(), b.Bytes()) {
		t.Error("adding relapse_events changed adqs.csv")
	}
	relapses, events, attempts := 0, 0, 0
	for _, s := range after.Subjects {
		if s.Arm != "KETAMINE" || math.IsInf(s.Relapse, 1) {
			if s.RelapseEvent != "" {
				t.Fatalf("%s: clinical event %s without a relapse in a cohort with events", s.USUBJID, s.RelapseEvent)
			}
			continue
		}
		relapses++
		switch s.RelapseEvent {
		case Hospitalization:
			events++
		case SuicideAttempt:
			events++
			attempts++
		}
	}
	p := float64(events) / float64(relapses)
	if se := math.Sqrt(0.3 * 0.7 / float64(relapses)); math.Abs(p-0.3) > 4*se {
		t.Errorf("share of relapses with a clinical event %.3f, want 0.3 ± %.3f", p, 4*se)
	}
	if q := float64(attempts) / float64(events); math.Abs(q-0.5) > 4*math.Sqrt(0.25/float64(events)) {
		t.Errorf("share of suicide attempts %.3f, want 0.5", q)
	}
	var ce bytes.Buffer
	if err := after.WriteADCE(&ce); err != nil {
		t.Fatal(err)
	}
	lines := bytes.Count(ce.Bytes(), []byte("\n")) - 1
	observed := 0
	for _, s := range after.Subjects {
		if s.RelapseEvent != "" && s.Relapse <= s.Censor {
			observed++
		}
	}
	if lines != observed || observed == 0 {
		t.Errorf("adce.csv has %d events, want the %d observed ones", lines, observed)
	}
}
