package sim

import (
	"bytes"
	"flag"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"testing"

	"github.com/ketcurves/ketcurves/pipeline/cox"
	"github.com/ketcurves/ketcurves/pipeline/km"
	"github.com/ketcurves/ketcurves/pipeline/study"
	"gonum.org/v1/gonum/stat/distuv"
)

// seedSearch, when > 0, makes TestCalibration report, for each study, the
// first seeds in [1, seedSearch] at which every target passes. It is how the
// committed seeds were chosen (see each README).
var seedSearch = flag.Int("seedsearch", 0, "report the first seeds in [1, N] passing every calibration target")

// check is one calibration target.
type check struct {
	name string
	ok   bool
	msg  string
	z    float64 // standardised distance to the published value (0 if none)
}

// binom checks that k/n lies in the binomial 95% interval around the
// published proportion p:  p ± 1.96 sqrt(p(1-p)/n).
func binom(name string, k, n int, p float64) check {
	if n == 0 {
		return check{name, false, "no subjects", 0}
	}
	half := 1.959963984540054 * math.Sqrt(p*(1-p)/float64(n))
	got := float64(k) / float64(n)
	return check{name, got >= p-half && got <= p+half,
		fmt.Sprintf("%d/%d = %.3f, published %.3f, interval [%.3f, %.3f]", k, n, got, p, p-half, p+half),
		(got - p) / math.Max(half/1.959963984540054, 1e-9)}
}

// subjects returns the indices of the subjects of arm (and stratum, if not "").
func subjects(res *Result, arm, stratum string) []int {
	var idx []int
	for i, s := range res.Subjects {
		if s.Arm == arm && (stratum == "" || s.Stratum == stratum) {
			idx = append(idx, i)
		}
	}
	return idx
}

// countLatent counts the subjects of arm/stratum for which pred holds.
func countLatent(res *Result, arm, stratum string, pred func(s *Subject) bool) (k, n int) {
	for _, i := range subjects(res, arm, stratum) {
		n++
		if pred(&res.Subjects[i]) {
			k++
		}
	}
	return k, n
}

// visitValues maps subject index to the value of paramcd at visit.
func visitValues(res *Result, paramcd, visit string) map[int]float64 {
	m := map[int]float64{}
	for _, r := range res.Records {
		if r.Paramcd == paramcd && r.Visit == visit {
			m[r.Subject] = r.Value
		}
	}
	return m
}

// countVisit counts, among all subjects of arm/stratum, those with a score
// at visit for which pred(baseline, value) holds (a missing visit counts as
// not meeting the criterion: the published rates are intention-to-treat).
func countVisit(res *Result, arm, stratum, paramcd, visit string, pred func(s *Subject, v float64) bool) (k, n int) {
	vals := visitValues(res, paramcd, visit)
	for _, i := range subjects(res, arm, stratum) {
		n++
		if v, ok := vals[i]; ok && pred(&res.Subjects[i], v) {
			k++
		}
	}
	return k, n
}

// latentTTE returns time, event and arm indicator (1 = not control) of
// endpoint paramcd for the given arms and stratum.
func latentTTE(res *Result, paramcd, control, treated, stratum string) (tm []float64, ev []bool, x []float64) {
	for _, l := range res.Latent() {
		s := &res.Subjects[l.Subject]
		if l.Paramcd != paramcd || (stratum != "" && s.Stratum != stratum) || (s.Arm != control && s.Arm != treated) {
			continue
		}
		tm = append(tm, l.AVAL)
		ev = append(ev, l.CNSR == 0)
		if s.Arm == treated {
			x = append(x, 1)
		} else {
			x = append(x, 0)
		}
	}
	return tm, ev, x
}

// hrCheck fits a Cox model (Efron) of the latent endpoint on the arm and
// checks that the 95% CI of the HR contains want.
func hrCheck(name string, res *Result, paramcd, control, treated, stratum string, want float64) check {
	tm, ev, x := latentTTE(res, paramcd, control, treated, stratum)
	fit, err := cox.CoxPH(tm, ev, [][]float64{x}, []string{"arm"}, nil, cox.Options{})
	if err != nil {
		return check{name, false, err.Error(), 0}
	}
	lo, hi := fit.HRLower[0], fit.HRUpper[0]
	return check{name, fit.Status == cox.StatusOK && lo <= want && want <= hi,
		fmt.Sprintf("HR %.3f (%.3f–%.3f), published %.3f", fit.HR[0], lo, hi, want),
		(fit.Coef[0] - math.Log(want)) / fit.SE[0]}
}

// medianOf returns the Kaplan–Meier median of the latent endpoint in one
// arm with its 95% log-log CI (NaN: not reached).
func medianOf(res *Result, paramcd, arm, stratum string) (km.Quantile, error) {
	tm, ev, _ := latentTTE(res, paramcd, arm, arm, stratum)
	c, err := km.KaplanMeier(tm, ev, km.Options{})
	if err != nil {
		return km.Quantile{}, err
	}
	return c.Quantile(0.5), nil
}

// inRange checks lo <= got <= hi, where NaN got means "not reached" (+Inf).
func inRange(name string, got, lo, hi float64) check {
	g := got
	if math.IsNaN(g) {
		g = math.Inf(1)
	}
	return check{name, g >= lo && g <= hi, fmt.Sprintf("%.4g, target [%.4g, %.4g]", got, lo, hi), 0}
}

// calibration is the list of targets of one study.
type calibration struct {
	dir    string
	checks func(res *Result) []check
}

var calibrations = []calibration{
	{"murrough2013-ajp", murroughAJP},
	{"murrough2013-relapse", murroughBP},
	{"sustain1", sustain1},
	{"stard-level1", stardLevel1},
	{"su2023-si", su2023},
	{"fineberg2023-bpd", fineberg2023},
}

// su2023: Su et al. 2023 Int J Neuropsychopharmacol, 42 vs 42: C-SSRS
// ideation remission (ideation severity 0) at 240 min, days 2, 3, 5, 7, 14.
func su2023(res *Result) []check {
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
			cs = append(cs, binom(fmt.Sprintf("%s latent SI resolved at %s", a.arm, v.Name), k, n, a.p[j]))
			k, n = countVisit(res, a.arm, "", "CSSRSI", v.Name, func(_ *Subject, x float64) bool { return x == 0 })
			cs = append(cs, binom(fmt.Sprintf("%s C-SSRS ideation 0 at %s", a.arm, v.Name), k, n, a.p[j]))
		}
	}
	return cs
}

// fineberg2023: Fineberg et al. 2023 Neuropsychopharmacology, ketamine 10 vs
// midazolam 12: suicidal ideation (primary) and depression (secondary) fell
// numerically in both arms with no significant group or group × time
// difference (p > 0.05); no group differences in BPD symptoms either. Checked
// at every post-baseline visit (1H, DAY1, DAY3, DAY7, DAY14, DAY28):
//
//   - SSI, MADRS item 10 and MADRS: the mean change from baseline is negative
//     in each arm, and the group difference in change is not significant
//     (Welch p > 0.05);
//   - BSL-23: the group difference in change is not significant (the paper
//     reports no group difference; it does not say BSL-23 fell);
//
// and the latent TTSIRES hazard ratio has a 95% CI containing 1.
func fineberg2023(res *Result) []check {
	var cs []check
	for _, sc := range []struct {
		paramcd string
		fell    bool // the within-arm mean change must be negative
	}{{"SSI", true}, {"MADRS10", true}, {"MADRS", true}, {"BSL23", false}} {
		for _, v := range postBaseline(res) {
			ch := changes(res, sc.paramcd, v.Name)
			for _, arm := range []string{"KETAMINE", "MIDAZOLAM"} {
				if !sc.fell {
					continue
				}
				m, _ := meanSD(ch[arm])
				cs = append(cs, check{fmt.Sprintf("%s mean %s change to %s is negative", arm, sc.paramcd, v.Name), m < 0,
					fmt.Sprintf("mean change %.2f (n = %d)", m, len(ch[arm])), 0})
			}
			p := welchP(ch["KETAMINE"], ch["MIDAZOLAM"])
			cs = append(cs, check{fmt.Sprintf("no significant group difference in %s change at %s (Welch p > 0.05)", sc.paramcd, v.Name),
				p > 0.05, fmt.Sprintf("p = %.3f", p), 0})
		}
	}
	cs = append(cs, hrCheck("TTSIRES HR CI contains 1 (no group difference)", res, TTSIRES, "MIDAZOLAM", "KETAMINE", "", 1))
	return cs
}

// postBaseline returns the scheduled visits after day 0.
func postBaseline(res *Result) []Visit {
	var vs []Visit
	for _, v := range res.Scenario.Schedule() {
		if v.Day > 0 {
			vs = append(vs, v)
		}
	}
	return vs
}

// changes returns, per arm, the changes of paramcd from BASELINE to visit
// among the subjects who attended it.
func changes(res *Result, paramcd, visit string) map[string][]float64 {
	vals := visitValues(res, paramcd, visit)
	base := visitValues(res, paramcd, "BASELINE")
	out := map[string][]float64{}
	for _, arm := range res.Scenario.Arms() {
		for _, i := range subjects(res, arm, "") {
			if v, ok := vals[i]; ok {
				out[arm] = append(out[arm], v-base[i])
			}
		}
	}
	return out
}

// welchP is the two-sided p-value of Welch's t-test (R: t.test(a, b)).
func welchP(a, b []float64) float64 {
	ma, sa := meanSD(a)
	mb, sb := meanSD(b)
	va, vb := sa*sa/float64(len(a)), sb*sb/float64(len(b))
	t := (ma - mb) / math.Sqrt(va+vb)
	df := (va + vb) * (va + vb) / (va*va/float64(len(a)-1) + vb*vb/float64(len(b)-1))
	return 2 * distuv.StudentsT{Mu: 0, Sigma: 1, Nu: df}.Survival(math.Abs(t))
}

// exitValues returns, per subject index, the last post-baseline record of
// paramcd (the exit visit) and the first post-baseline day at which pred
// held on the primary score.
func exitValues(res *Result, paramcd string) map[int]Record {
	out := map[int]Record{}
	for _, r := range res.Records {
		if r.Paramcd == paramcd && r.Day > 0 {
			out[r.Subject] = r
		}
	}
	return out
}

// stardLevel1: Trivedi et al. 2006 Am J Psychiatry (STAR*D level 1),
// N = 2876: response (QIDS-SR >= 50% reduction at exit) 47%, remission 33%
// (QIDS-SR <= 5 at exit) and 28% (HAM-D17 <= 7 at exit); "a substantial
// portion" of responses at or after 8 weeks (no number in the abstract:
// 40% chosen).
func stardLevel1(res *Result) []check {
	var cs []check
	exitQ := exitValues(res, "QIDSSR16")
	exitH := exitValues(res, "HAMD17")
	var n, kResp, kRem, kHam, kRespLatent, kRemLatent int
	for i := range res.Subjects {
		s := &res.Subjects[i]
		n++
		r, ok := exitQ[i]
		if !ok {
			continue // no post-baseline visit: neither response nor remission (ITT)
		}
		if r.Value <= float64(s.Baseline)/2 {
			kResp++
		}
		if r.Value <= 5 {
			kRem++
		}
		if h, ok := exitH[i]; ok && h.Value <= 7 {
			kHam++
		}
		if s.InResponse(r.Day) {
			kRespLatent++
		}
		if s.InRemission(r.Day) {
			kRemLatent++
		}
	}
	cs = append(cs,
		binom("latent response at exit", kRespLatent, n, 0.47),
		binom("QIDS-SR response at exit visit", kResp, n, 0.47),
		binom("latent remission at exit", kRemLatent, n, 0.33),
		binom("QIDS-SR remission at exit visit", kRem, n, 0.33),
		binom("HAM-D17 remission at exit visit", kHam, n, 0.28))
	// Share of exit responders whose first responding visit is at or after
	// week 8 (WEEK9 or later).
	first := map[int]float64{}
	for _, r := range res.Records {
		if r.Paramcd == "QIDSSR16" && r.Day > 0 && r.Value <= float64(res.Subjects[r.Subject].Baseline)/2 {
			if _, ok := first[r.Subject]; !ok {
				first[r.Subject] = r.Day
			}
		}
	}
	var late, responders int
	for i, r := range exitQ {
		if r.Value <= float64(res.Subjects[i].Baseline)/2 {
			responders++
			if first[i] >= 56 {
				late++
			}
		}
	}
	cs = append(cs, binom("share of responses at or after week 8 (chosen 40%)", late, responders, 0.40))
	return cs
}

// Relapse confirmation window of SUSTAIN-1: MADRS >= 22 at two consecutive
// visits 5 to 15 days apart (Daly et al. 2019, Methods).
const (
	relapseGapMin = 5.0
	relapseGapMax = 15.0
)

// relapsedOnVisits returns, per subject index, the day of relapse read off
// the visit-level primary score after day `from`: two consecutive attended
// visits with score >= 22 whose days are 5 to 15 days apart; the relapse is
// dated at the first of the two. A pair of high scores farther apart (or
// closer) than the window does not confirm a relapse.
func relapsedOnVisits(res *Result, from float64) map[int]float64 {
	out := map[int]float64{}
	type visit struct {
		day  float64
		high bool
	}
	prev := map[int]visit{}
	for _, r := range res.Records {
		if r.Paramcd != res.Scenario.Scale.Paramcd || r.Day <= from {
			continue
		}
		high := r.Value >= 22
		p, seen := prev[r.Subject]
		if _, done := out[r.Subject]; !done && seen && high && p.high {
			if gap := r.Day - p.day; gap >= relapseGapMin && gap <= relapseGapMax {
				out[r.Subject] = p.day
			}
		}
		prev[r.Subject] = visit{r.Day, high}
	}
	return out
}

// firstVisitAtOrAfter returns the first scheduled visit day >= t, or +Inf.
func firstVisitAtOrAfter(sc *Scenario, t float64) float64 {
	for _, v := range sc.visits {
		if v.Day >= t {
			return v.Day
		}
	}
	return math.Inf(1)
}

// sustain1: Daly et al. 2019 JAMA Psychiatry (SUSTAIN-1). Relapse among
// stable remitters 24/90 (26.7%) vs 39/86 (45.3%), HR 0.49 (0.29–0.84);
// stable responders 16/62 (25.8%) vs 34/59 (57.6%), HR 0.30 (0.16–0.55);
// median time to relapse, remitters: placebo 273 days (95% CI 97–NE),
// esketamine not estimable; responders: placebo 88 days (CI not found in
// the sources we could read: see datasets/sustain1/README.md).
func sustain1(res *Result) []check {
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
		cs = append(cs, binom(g.arm+" "+g.stratum+" latent relapse", k, n, g.p))
		k = 0
		for _, i := range subjects(res, g.arm, g.stratum) {
			if _, ok := onVisits[i]; ok {
				k++
			}
		}
		cs = append(cs, binom(g.arm+" "+g.stratum+" relapse on visits (MADRS >= 22 twice, 5-15 days apart)", k, n, g.p))
	}
	// The visit-level relapse is dated at the first of the two confirming
	// visits, which is the first scheduled visit at or after the latent
	// relapse.
	misdated := 0
	for i, day := range onVisits {
		if s := &res.Subjects[i]; day != firstVisitAtOrAfter(res.Scenario, s.Relapse) {
			misdated++
		}
	}
	cs = append(cs, check{"visit-level relapse dated at the first visit at or after the latent relapse", misdated == 0,
		fmt.Sprintf("%d of %d relapses dated elsewhere", misdated, len(onVisits)), 0})
	cs = append(cs,
		hrCheck("HR stable remitters", res, TTRELAPSE, "PLACEBO", "ESKETAMINE", "STABLE_REMITTER", 0.49),
		hrCheck("HR stable responders", res, TTRELAPSE, "PLACEBO", "ESKETAMINE", "STABLE_RESPONDER", 0.30))
	if q, err := medianOf(res, TTRELAPSE, "PLACEBO", "STABLE_REMITTER"); err == nil {
		// The published CI is 97–NE: the median must be reached (finite) and >= 97.
		ok := !math.IsNaN(q.Time) && !math.IsInf(q.Time, 0) && q.Time >= 97
		c := check{"placebo remitters median reached and inside the published CI 97–NE", ok,
			fmt.Sprintf("simulated median %.1f, published 273 (97–NE)", q.Time), (q.Time - 273) / 90}
		if math.IsNaN(q.Time) {
			c.z = math.Inf(1)
		}
		cs = append(cs, c)
	} else {
		cs = append(cs, check{"placebo remitters median", false, err.Error(), 0})
	}
	if q, err := medianOf(res, TTRELAPSE, "ESKETAMINE", "STABLE_REMITTER"); err == nil {
		cs = append(cs, check{"esketamine remitters median not estimable", math.IsNaN(q.Time), fmt.Sprintf("simulated median %v", q.Time), 0})
	}
	if q, err := medianOf(res, TTRELAPSE, "PLACEBO", "STABLE_RESPONDER"); err == nil {
		c := inRange("published placebo responders median 88 d inside the simulated 95% CI", 88, q.Lower, nanInf(q.Upper))
		c.ok = c.ok && !math.IsNaN(q.Time)
		c.msg = fmt.Sprintf("simulated median %.1f (%.1f–%.1f), published 88", q.Time, q.Lower, q.Upper)
		c.z = (q.Time - 88) / 30
		cs = append(cs, c)
	}
	return cs
}

// respVisit reports a response on the visit-level primary score.
func respVisit(s *Subject, v float64) bool { return v <= float64(s.Baseline)/2 }

// murroughBP: Murrough et al. 2013 Biol Psychiatry: response at study end
// 70.8% of 24; median time to relapse after the last infusion 18 days among
// responders (no CI published: the published median must lie inside the
// simulated median's 95% CI).
func murroughBP(res *Result) []check {
	k, n := countLatent(res, "KETAMINE", "", func(s *Subject) bool { return s.InResponse(12) && s.Observed(12) })
	cs := []check{binom("latent response at study end (day 12)", k, n, 0.708)}
	k, n = countVisit(res, "KETAMINE", "", "MADRS", "DAY12", respVisit)
	cs = append(cs, binom("MADRS response at DAY12 visit", k, n, 0.708))
	q, err := medianOf(res, TTRELAPSE, "KETAMINE", "")
	if err != nil {
		return append(cs, check{"median time to relapse", false, err.Error(), 0})
	}
	// The published median is reached, so the simulated one must be too.
	c := inRange("simulated median reached, published median 18 d inside its 95% CI", 18, q.Lower, nanInf(q.Upper))
	c.ok = c.ok && !math.IsNaN(q.Time)
	c.msg = fmt.Sprintf("simulated median %.1f (%.1f–%.1f), published 18", q.Time, q.Lower, q.Upper)
	c.z = (q.Time - 18) / 6
	return append(cs, c)
}

// nanInf turns NaN ("not reached") into +Inf.
func nanInf(x float64) float64 {
	if math.IsNaN(x) {
		return math.Inf(1)
	}
	return x
}

// murroughAJP: Murrough et al. 2013 Am J Psychiatry: response (MADRS >= 50%
// reduction) at 24 h, 64% of 47 (ketamine) vs 28% of 25 (midazolam).
func murroughAJP(res *Result) []check {
	resp := respVisit
	var cs []check
	for _, a := range []struct {
		arm string
		p   float64
	}{{"KETAMINE", 0.64}, {"MIDAZOLAM", 0.28}} {
		k, n := countLatent(res, a.arm, "", func(s *Subject) bool { return s.InResponse(1) && s.Observed(1) })
		cs = append(cs, binom(a.arm+" latent response at 24 h", k, n, a.p))
		k, n = countVisit(res, a.arm, "", "MADRS", "DAY1", resp)
		cs = append(cs, binom(a.arm+" MADRS response at DAY1 visit", k, n, a.p))
	}
	return cs
}

func loadStudy(t *testing.T, dir string) (*Scenario, string) {
	t.Helper()
	path := filepath.Join("..", "..", "datasets", dir)
	sc, err := LoadScenario(filepath.Join(path, "scenario.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	return sc, path
}

// TestCalibration runs each study's scenario at its committed seed and checks
// every calibration target against the published value.
func TestCalibration(t *testing.T) {
	for _, cal := range calibrations {
		t.Run(cal.dir, func(t *testing.T) {
			sc, _ := loadStudy(t, cal.dir)
			for _, c := range cal.checks(Simulate(sc)) {
				if !c.ok {
					t.Errorf("%s: %s", c.name, c.msg)
				} else if testing.Verbose() {
					t.Logf("ok %s: %s", c.name, c.msg)
				}
			}
			if *seedSearch > 0 {
				best, bestD, npass := uint64(0), math.Inf(1), 0
				for seed := uint64(1); seed <= uint64(*seedSearch); seed++ {
					sc.Seed = seed
					pass, d := true, 0.0
					for _, c := range cal.checks(Simulate(sc)) {
						pass = pass && c.ok
						d += c.z * c.z
					}
					if pass {
						npass++
						if d < bestD {
							best, bestD = seed, d
						}
					}
				}
				t.Logf("%d of %d seeds pass every target; closest to the published values: seed %d (sum of squared z %.2f)", npass, *seedSearch, best, bestD)
			}
		})
	}
}

// TestCommittedFilesReproducible regenerates each study and compares the
// bytes with the committed CSVs, and checks that study.yaml loads and agrees
// with the scenario (study id, arms).
func TestCommittedFilesReproducible(t *testing.T) {
	for _, cal := range calibrations {
		t.Run(cal.dir, func(t *testing.T) {
			sc, path := loadStudy(t, cal.dir)
			res := Simulate(sc)
			for _, f := range []struct {
				name  string
				write func(w *bytes.Buffer) error
			}{
				{ADSLFile, func(w *bytes.Buffer) error { return res.WriteADSL(w) }},
				{ADQSFile, func(w *bytes.Buffer) error { return res.WriteADQS(w) }},
				{LatentFile, func(w *bytes.Buffer) error { return res.WriteLatent(w) }},
				{ADCEFile, func(w *bytes.Buffer) error { return res.WriteADCE(w) }},
			} {
				if f.name == ADCEFile && !res.HasClinicalEvents() {
					if _, err := os.Stat(filepath.Join(path, f.name)); err == nil {
						t.Errorf("%s/%s exists but the scenario simulates no clinical events", cal.dir, f.name)
					}
					continue
				}
				var buf bytes.Buffer
				if err := f.write(&buf); err != nil {
					t.Fatal(err)
				}
				committed, err := os.ReadFile(filepath.Join(path, f.name))
				if err != nil {
					t.Fatalf("%v (run make data)", err)
				}
				if !bytes.Equal(buf.Bytes(), committed) {
					t.Errorf("%s/%s differs from a regeneration of its scenario: run make data", cal.dir, f.name)
				}
			}
			st, err := study.Load(filepath.Join(path, "study.yaml"))
			if err != nil {
				t.Fatal(err)
			}
			if st.ID != sc.StudyID {
				t.Errorf("study.yaml id %q, scenario study_id %q", st.ID, sc.StudyID)
			}
			if !st.Synthetic {
				t.Errorf("study.yaml must say synthetic: true")
			}
			for _, a := range sc.Arms() {
				if _, ok := st.Arm(a); !ok {
					t.Errorf("arm %s of the scenario is missing from study.yaml", a)
				}
			}
			for _, e := range sc.Endpoints {
				if _, ok := st.Endpoint(e); !ok {
					t.Errorf("endpoint %s of the scenario is missing from study.yaml", e)
				}
			}
		})
	}
}

// drifts perturbs one parameter of each study's scenario.
var drifts = []struct {
	dir    string
	mutate func(sc *Scenario)
}{
	{"murrough2013-ajp", func(sc *Scenario) { sc.Cohorts[0].Response.Fraction = ptr(0.35) }},
	{"murrough2013-relapse", func(sc *Scenario) {
		sc.Cohorts[0].Relapse.Time = Dist{Exponential: &Exponential{Median: 80}}
	}},
	{"sustain1", func(sc *Scenario) { sc.Cohorts[0].Relapse.HazardRatio = 1.5 }},
	{"stard-level1", func(sc *Scenario) { sc.Cohorts[0].Response.Fraction = ptr(0.55) }},
	{"su2023-si", func(sc *Scenario) { sc.Cohorts[0].SI.Recurrence.Fraction = ptr(0) }},
	{"fineberg2023-bpd", func(sc *Scenario) {
		sc.Cohorts[0].SI.Resolution = Transition{Time: Dist{Fixed: &Fixed{Days: 0.01}}}
	}},
}

func ptr(x float64) *float64 { return &x }

// TestCalibrationDetectsDrift perturbs one parameter of each study and checks
// that at least one calibration target then fails: the targets can fail.
func TestCalibrationDetectsDrift(t *testing.T) {
	for _, test := range drifts {
		t.Run(test.dir, func(t *testing.T) {
			sc, _ := loadStudy(t, test.dir)
			test.mutate(sc)
			var cal calibration
			for _, c := range calibrations {
				if c.dir == test.dir {
					cal = c
				}
			}
			failed := 0
			for _, c := range cal.checks(Simulate(sc)) {
				if !c.ok {
					failed++
				}
			}
			if failed == 0 {
				t.Error("every target still passes after the scenario drifted")
			}
		})
	}
}

// TestStudySizes checks each study's size and arm split against its source
// (see each README): a scenario edited to another n fails here.
func TestStudySizes(t *testing.T) {
	for _, test := range []struct {
		dir  string
		want map[string]int // arm or arm/stratum -> n
	}{
		// Murrough 2013 AJP: 73 randomized 2:1; simulated are the 72 of the
		// 24-h response analysis, 47 ketamine and 25 midazolam (README).
		{"murrough2013-ajp", map[string]int{"KETAMINE": 47, "MIDAZOLAM": 25}},
		{"murrough2013-relapse", map[string]int{"KETAMINE": 24}},
		{"sustain1", map[string]int{"ESKETAMINE/STABLE_REMITTER": 90, "PLACEBO/STABLE_REMITTER": 86,
			"ESKETAMINE/STABLE_RESPONDER": 62, "PLACEBO/STABLE_RESPONDER": 59}},
		{"stard-level1", map[string]int{"CITALOPRAM": 2876}},
		{"su2023-si", map[string]int{"KETAMINE": 42, "MIDAZOLAM": 42}},
		{"fineberg2023-bpd", map[string]int{"KETAMINE": 10, "MIDAZOLAM": 12}},
	} {
		t.Run(test.dir, func(t *testing.T) {
			sc, _ := loadStudy(t, test.dir)
			got := map[string]int{}
			for _, s := range Simulate(sc).Subjects {
				k := s.Arm
				if s.Stratum != "" {
					k += "/" + s.Stratum
				}
				got[k]++
			}
			total := 0
			for k, n := range test.want {
				total += n
				if got[k] != n {
					t.Errorf("%s: %d subjects, want %d", k, got[k], n)
				}
			}
			if len(got) != len(test.want) || sc.N() != total {
				t.Errorf("groups %v (N = %d), want %v (N = %d)", got, sc.N(), test.want, total)
			}
		})
	}
}
