package sim

import (
	"fmt"
	"math"
	"testing"

	"github.com/ketcurves/ketcurves/pipeline/cox"
)

// The calibration tests (calibration_test.go) check each study at its
// committed seed and size, where the binomial intervals are wide (±14 points
// for 47 subjects) and a scenario passes partly because its seed was chosen.
// The expected-value tests below run each scenario at 100–200 times its size,
// where sampling error is small, and hold every calibration target to a tight
// tolerance: proportions ±2–3 percentage points, hazard ratios and medians
// within 10%. They fail if the scenario itself, not the draw, misses a
// published value.

// near checks |got − want| <= tol.
func near(name string, got, want, tol float64) check {
	return check{name, math.Abs(got-want) <= tol,
		fmt.Sprintf("%.4g, target %.4g ± %.3g", got, want, tol), 0}
}

// relNear checks |got/want − 1| <= rel (got NaN fails).
func relNear(name string, got, want, rel float64) check {
	return check{name, math.Abs(got/want-1) <= rel,
		fmt.Sprintf("%.4g, target %.4g ± %.0f%%", got, want, 100*rel), 0}
}

// share returns k/n.
func share(k, n int) float64 { return float64(k) / float64(n) }

// coxHR fits a Cox model (Efron) of the latent endpoint on the arm and
// returns the hazard ratio treated vs control.
func coxHR(res *Result, paramcd, control, treated, stratum string) float64 {
	tm, ev, x := latentTTE(res, paramcd, control, treated, stratum)
	fit, err := cox.CoxPH(tm, ev, [][]float64{x}, []string{"arm"}, nil, cox.Options{})
	if err != nil || fit.Status != cox.StatusOK {
		return math.NaN()
	}
	return fit.HR[0]
}

// expectation lists the expected-value targets of one study, checked at
// scale times its size.
type expectation struct {
	dir    string
	scale  int
	checks func(res *Result) []check
}

var expectations = []expectation{
	{"murrough2013-ajp", 200, func(res *Result) []check {
		var cs []check
		for _, a := range []struct {
			arm string
			p   float64
		}{{"KETAMINE", 0.64}, {"MIDAZOLAM", 0.28}} {
			k, n := countLatent(res, a.arm, "", func(s *Subject) bool { return s.InResponse(1) && s.Observed(1) })
			cs = append(cs, near(a.arm+" latent response at 24 h", share(k, n), a.p, 0.02))
			k, n = countVisit(res, a.arm, "", "MADRS", "DAY1", respVisit)
			cs = append(cs, near(a.arm+" MADRS response at DAY1", share(k, n), a.p, 0.02))
		}
		return cs
	}},
	{"murrough2013-relapse", 200, func(res *Result) []check {
		k, n := countLatent(res, "KETAMINE", "", func(s *Subject) bool { return s.InResponse(12) && s.Observed(12) })
		cs := []check{near("latent response at day 12", share(k, n), 0.708, 0.02)}
		k, n = countVisit(res, "KETAMINE", "", "MADRS", "DAY12", respVisit)
		cs = append(cs, near("MADRS response at DAY12", share(k, n), 0.708, 0.02))
		q, err := medianOf(res, TTRELAPSE, "KETAMINE", "")
		if err != nil {
			return append(cs, check{"median time to relapse", false, err.Error(), 0})
		}
		return append(cs, relNear("KM median time to relapse among responders", q.Time, 18, 0.10))
	}},
	{"sustain1", 100, func(res *Result) []check {
		var cs []check
		onVisits := relapsedOnVisits(res, 112)
		for _, g := range []struct {
			arm, stratum string
			p            float64
		}{
			{"ESKETAMINE", "STABLE_REMITTER", 0.267}, {"PLACEBO", "STABLE_REMITTER", 0.453},
			{"ESKETAMINE", "STABLE_RESPONDER", 0.258}, {"PLACEBO", "STABLE_RESPONDER", 0.576},
		} {
			k, n := countLatent(res, g.arm, g.stratum, func(s *Subject) bool { return s.Relapse <= s.Censor })
			cs = append(cs, near(g.arm+" "+g.stratum+" latent relapse", share(k, n), g.p, 0.03))
			k = 0
			for _, i := range subjects(res, g.arm, g.stratum) {
				if _, ok := onVisits[i]; ok {
					k++
				}
			}
			cs = append(cs, near(g.arm+" "+g.stratum+" relapse on visits", share(k, n), g.p, 0.03))
		}
		cs = append(cs,
			relNear("HR stable remitters", coxHR(res, TTRELAPSE, "PLACEBO", "ESKETAMINE", "STABLE_REMITTER"), 0.49, 0.10),
			relNear("HR stable responders", coxHR(res, TTRELAPSE, "PLACEBO", "ESKETAMINE", "STABLE_RESPONDER"), 0.30, 0.10))
		for _, m := range []struct {
			arm, stratum string
			want         float64 // NaN: not estimable
		}{
			{"PLACEBO", "STABLE_REMITTER", 273}, {"ESKETAMINE", "STABLE_REMITTER", math.NaN()},
			{"PLACEBO", "STABLE_RESPONDER", 88},
		} {
			name := fmt.Sprintf("KM median time to relapse, %s %s", m.arm, m.stratum)
			q, err := medianOf(res, TTRELAPSE, m.arm, m.stratum)
			switch {
			case err != nil:
				cs = append(cs, check{name, false, err.Error(), 0})
			case math.IsNaN(m.want):
				cs = append(cs, check{name + " not estimable", math.IsNaN(q.Time), fmt.Sprintf("median %v", q.Time), 0})
			default:
				cs = append(cs, relNear(name, q.Time, m.want, 0.10))
			}
		}
		return cs
	}},
	{"stard-level1", 100, stardExpected},
	{"su2023-si", 200, func(res *Result) []check {
		var cs []check
		for _, a := range []struct {
			arm string
			p   []float64
		}{
			{"KETAMINE", []float64{0.333, 0.333, 0.333, 0.262, 0.190, 0.167}},
			{"MIDAZOLAM", []float64{0.071, 0.095, 0.071, 0.071, 0.119, 0.167}},
		} {
			for j, v := range []Visit{{"240MIN", 240.0 / 1440}, {"DAY2", 2}, {"DAY3", 3}, {"DAY5", 5}, {"DAY7", 7}, {"DAY14", 14}} {
				k, n := countLatent(res, a.arm, "", func(s *Subject) bool { return s.SIResolved(v.Day) && s.Observed(v.Day) })
				cs = append(cs, near(fmt.Sprintf("%s latent SI resolved at %s", a.arm, v.Name), share(k, n), a.p[j], 0.025))
				k, n = countVisit(res, a.arm, "", "CSSRSI", v.Name, func(_ *Subject, x float64) bool { return x == 0 })
				cs = append(cs, near(fmt.Sprintf("%s C-SSRS ideation 0 at %s", a.arm, v.Name), share(k, n), a.p[j], 0.025))
			}
		}
		return cs
	}},
	{"fineberg2023-bpd", 200, func(res *Result) []check {
		// No group difference: the expected changes are equal in the two
		// arms (within a small fraction of the baseline level: SSI about 15,
		// MADRS 30, BSL-23 2.4), and SI and depression fall in both arms.
		var cs []check
		for _, sc := range []struct {
			paramcd string
			tol     float64
			fell    bool
		}{{"SSI", 1.0, true}, {"MADRS10", 0.2, true}, {"MADRS", 1.5, true}, {"BSL23", 0.1, false}} {
			for _, v := range postBaseline(res) {
				ch := changes(res, sc.paramcd, v.Name)
				mk, _ := meanSD(ch["KETAMINE"])
				mm, _ := meanSD(ch["MIDAZOLAM"])
				cs = append(cs, near(fmt.Sprintf("%s mean change to %s, ketamine − midazolam", sc.paramcd, v.Name), mk-mm, 0, sc.tol))
				if sc.fell {
					for arm, m := range map[string]float64{"KETAMINE": mk, "MIDAZOLAM": mm} {
						cs = append(cs, check{fmt.Sprintf("%s mean %s change to %s is negative", arm, sc.paramcd, v.Name), m < 0,
							fmt.Sprintf("%.3f", m), 0})
					}
				}
			}
		}
		return append(cs, relNear("TTSIRES hazard ratio ketamine vs midazolam", coxHR(res, TTSIRES, "MIDAZOLAM", "KETAMINE", ""), 1, 0.10))
	}},
}

// stardExpected: STAR*D level 1 targets as proportions, ±2 points.
func stardExpected(res *Result) []check {
	exitQ := exitValues(res, "QIDSSR16")
	exitH := exitValues(res, "HAMD17")
	first := map[int]float64{}
	for _, r := range res.Records {
		if r.Paramcd == "QIDSSR16" && r.Day > 0 && r.Value <= float64(res.Subjects[r.Subject].Baseline)/2 {
			if _, ok := first[r.Subject]; !ok {
				first[r.Subject] = r.Day
			}
		}
	}
	n := len(res.Subjects)
	var resp, rem, ham, late int
	for i := range res.Subjects {
		r, ok := exitQ[i]
		if !ok {
			continue
		}
		if r.Value <= float64(res.Subjects[i].Baseline)/2 {
			resp++
			if first[i] >= 56 {
				late++
			}
		}
		if r.Value <= 5 {
			rem++
		}
		if h, ok := exitH[i]; ok && h.Value <= 7 {
			ham++
		}
	}
	return []check{
		near("QIDS-SR response at exit", share(resp, n), 0.47, 0.02),
		near("QIDS-SR remission at exit", share(rem, n), 0.33, 0.02),
		near("HAM-D17 remission at exit", share(ham, n), 0.28, 0.02),
		near("share of responses first seen at or after week 8 (WEEK9+)", share(late, resp), 0.40, 0.02),
	}
}

// TestExpectedValues runs each study's scenario at 100–200 times its size
// and checks that every calibration target holds in expectation, to a tight
// tolerance. About 10 s on 2 cores; skipped with -short.
func TestExpectedValues(t *testing.T) {
	if testing.Short() {
		t.Skip("large simulations: skipped with -short")
	}
	for _, e := range expectations {
		t.Run(e.dir, func(t *testing.T) {
			sc, _ := loadStudy(t, e.dir)
			for i := range sc.Cohorts {
				sc.Cohorts[i].N *= e.scale
			}
			for _, c := range e.checks(Simulate(sc)) {
				if !c.ok {
					t.Errorf("%s (%d× n): %s", c.name, e.scale, c.msg)
				} else if testing.Verbose() {
					t.Logf("ok %s: %s", c.name, c.msg)
				}
			}
		})
	}
}

// TestExpectedValuesDetectDrift applies the perturbations of
// TestCalibrationDetectsDrift and checks that at least one expected-value
// target then fails, at a tenth of the scale of TestExpectedValues (the
// perturbations are far larger than the sampling error there).
func TestExpectedValuesDetectDrift(t *testing.T) {
	if testing.Short() {
		t.Skip("large simulations: skipped with -short")
	}
	for _, d := range drifts {
		t.Run(d.dir, func(t *testing.T) {
			var e expectation
			for _, x := range expectations {
				if x.dir == d.dir {
					e = x
				}
			}
			sc, _ := loadStudy(t, d.dir)
			d.mutate(sc)
			for i := range sc.Cohorts {
				sc.Cohorts[i].N *= max(1, e.scale/10)
			}
			failed := 0
			for _, c := range e.checks(Simulate(sc)) {
				if !c.ok {
					failed++
				}
			}
			if failed == 0 {
				t.Error("every expected-value target still passes after the scenario drifted")
			}
		})
	}
}
