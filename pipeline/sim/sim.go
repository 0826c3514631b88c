package sim

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
)

// Subject is one simulated subject: its baseline characteristics and its
// latent (true, continuous-time) event and censoring times, in study days
// from the first dose. A time is +Inf when the event never happens.
type Subject struct {
	USUBJID  string
	Index    int // position in cohort order; the subject's PCG stream is (Seed, Index)
	Cohort   int // index into Scenario.Cohorts
	Arm      string
	Stratum  string
	Age      int
	Sex      string // "F" or "M"
	Baseline int    // baseline primary score

	Response  float64 // latent response time
	Remission float64 // latent remission time (+Inf if relapse came first)
	// RelapseOrigin is max(Response, relapse origin_day): the start of the
	// relapse clock; +Inf for non-responders.
	RelapseOrigin float64
	Relapse       float64 // latent relapse time (study day)
	Dropout       float64 // dropout day
	End           float64 // administrative censoring day
	// Censor = min(Dropout, End): the last day of participation (EOSDY).
	Censor float64

	// RelapseEvent is the qualifying clinical event (HOSPITALIZATION or
	// SUICIDE_ATTEMPT) that accompanies the relapse at day Relapse, or "".
	// It is recorded in adce.csv when Relapse <= Censor.
	RelapseEvent string
	// DropoutReason is DCSREAS: empty unless the subject dropped out
	// (Dropout < End), then one of ReasonWithdrawal, ReasonLackOfEfficacy,
	// ReasonAdverseEvent (Cohort.DropoutReasons).
	DropoutReason string
	// RescueDay is the day rescue medication started (RESCDY), +Inf when
	// none (Cohort.Rescue); always ≤ Censor when finite.
	RescueDay float64

	SIBaseline   bool    // suicidal ideation present at baseline
	SIResolution float64 // latent resolution time
	SIRecurrence float64 // latent recurrence time (after SIResolution)

	siSeverity float64 // baseline SI severity in (0, 1]
	plateau    float64 // reduction approached by a non-responder, in [0, 0.45)
	bsl0       float64
	hamd0      int
	uHAMD      float64
}

// InResponse reports whether s is in response (response reached, relapse not) at day t.
func (s *Subject) InResponse(t float64) bool { return s.Response <= t && t < s.Relapse }

// InRemission reports whether s is in remission at day t.
func (s *Subject) InRemission(t float64) bool { return s.Remission <= t && t < s.Relapse }

// SIResolved reports whether s, with SI at baseline, is free of SI at day t > 0.
func (s *Subject) SIResolved(t float64) bool {
	return s.SIBaseline && t > 0 && s.SIResolution <= t && t < s.SIRecurrence
}

// Observed reports whether s attends a visit at day t.
func (s *Subject) Observed(t float64) bool { return t <= s.Censor }

// Record is one visit-level score (one row of adqs.csv).
type Record struct {
	Subject  int // index into Result.Subjects
	Paramcd  string
	Visit    string
	Day      float64
	Value    float64
	Decimals int // digits after the decimal point in the CSV
}

// Result is a simulated study.
type Result struct {
	Scenario *Scenario
	// Subjects are sorted by USUBJID.
	Subjects []Subject
	// Records are sorted by subject, PARAMCD (primary first) and day.
	Records []Record
}

// allocationStream is the PCG stream used to permute subject numbers.
const allocationStream = 1 << 63

// Simulate draws the subjects of sc. Subject i (in cohort order) draws every
// random number from its own generator rand.New(rand.NewPCG(sc.Seed, i)), in
// a fixed order that does not depend on which parts of the model are used,
// so that the output is a function of the scenario alone.
func Simulate(sc *Scenario) *Result {
	n := sc.N()
	perm := rand.New(rand.NewPCG(sc.Seed, allocationStream)).Perm(n)
	width := max(4, len(fmt.Sprint(n)))
	subjects := make([]Subject, 0, n)
	var recs [][]Record
	idx := 0
	for ci := range sc.Cohorts {
		c := &sc.Cohorts[ci]
		for range c.N {
			rng := rand.New(rand.NewPCG(sc.Seed, uint64(idx)))
			s := drawSubject(sc, ci, rng)
			s.Index = idx
			s.USUBJID = fmt.Sprintf("%s-%0*d", sc.StudyID, width, perm[idx]+1)
			recs = append(recs, scores(sc, &s, rng))
			clinicalEvent(c, &s, rng)
			dropoutReasonAndRescue(c, &s, rng)
			subjects = append(subjects, s)
			idx++
		}
	}
	order := make([]int, n)
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(a, b int) int { return perm[a] - perm[b] })
	total := 0
	for _, r := range recs {
		total += len(r)
	}
	res := &Result{Scenario: sc, Subjects: make([]Subject, n), Records: make([]Record, 0, total)}
	for k, i := range order {
		res.Subjects[k] = subjects[i]
		for _, r := range recs[i] {
			r.Subject = k
			res.Records = append(res.Records, r)
		}
	}
	return res
}

// truncNormal draws from Normal n by inversion with one uniform u.
func truncNormal(n Normal, u float64) float64 {
	if n.SD == 0 || n.Min == n.Max {
		return math.Min(math.Max(n.Mean, n.Min), n.Max)
	}
	phi := func(x float64) float64 { return 0.5 * math.Erfc(-(x-n.Mean)/n.SD/math.Sqrt2) }
	a, b := phi(n.Min), phi(n.Max)
	p := a + u*(b-a)
	p = math.Min(math.Max(p, 1e-300), 1-1e-16)
	x := n.Mean + n.SD*math.Sqrt2*math.Erfinv(2*p-1)
	return math.Min(math.Max(x, n.Min), n.Max)
}

// uniforms drawn per subject, in this order.
const (
	uAge = iota
	uSex
	uBaseline
	uRespWho
	uRespWhen
	uRemWho
	uRemWhen
	uRelWho
	uRelWhen
	uDropout
	uEnd
	uSIWho
	uSISeverity
	uSIResWho
	uSIResWhen
	uSIRecWho
	uSIRecWhen
	uPlateau
	uBSL
	uHAMD0
	uHAMDAgree
	nUniform
)

func drawSubject(sc *Scenario, ci int, rng *rand.Rand) Subject {
	c := &sc.Cohorts[ci]
	var u [nUniform]float64
	for i := range u {
		u[i] = rng.Float64()
	}
	inf := math.Inf(1)
	s := Subject{
		Cohort: ci, Arm: c.Arm, Stratum: c.Stratum,
		Age:      int(math.Round(truncNormal(sc.Demographics.Age, u[uAge]))),
		Sex:      "M",
		Baseline: int(math.Round(truncNormal(c.Baseline, u[uBaseline]))),
		Response: inf, Remission: inf, RelapseOrigin: inf, Relapse: inf,
		Dropout: inf, SIResolution: inf, SIRecurrence: inf,
		plateau: 0.45 * u[uPlateau],
	}
	if u[uSex] < sc.Demographics.FemaleFraction {
		s.Sex = "F"
	}
	if u[uRespWho] < c.Response.fraction() {
		s.Response = c.Response.Time.quantilePH(u[uRespWhen], c.Response.hr())
	}
	if !math.IsInf(s.Response, 1) {
		if u[uRemWho] < c.Remission.fraction() {
			s.Remission = s.Response + c.Remission.Time.quantilePH(u[uRemWhen], c.Remission.hr())
		}
		if c.Relapse != nil {
			s.RelapseOrigin = s.Response
			if c.Relapse.OriginDay != nil {
				s.RelapseOrigin = math.Max(s.Response, *c.Relapse.OriginDay)
			}
			if u[uRelWho] < c.Relapse.fraction() {
				s.Relapse = s.RelapseOrigin + c.Relapse.Time.quantilePH(u[uRelWhen], c.Relapse.hr())
			}
		}
		if s.Remission >= s.Relapse {
			s.Remission = inf
		}
	}
	if c.Dropout != nil {
		s.Dropout = c.Dropout.Quantile(u[uDropout])
		if c.DropoutOriginDay != nil {
			s.Dropout += *c.DropoutOriginDay
		}
	}
	s.End = sc.Followup.Quantile(u[uEnd])
	if d := c.NonresponderExitDay; d != nil && !s.InResponse(*d) {
		s.End = math.Min(s.End, *d)
	}
	s.Censor = math.Min(s.Dropout, s.End)
	if si := c.SI; si != nil && u[uSIWho] < si.BaselineFraction {
		s.SIBaseline = true
		s.siSeverity = truncNormal(si.Severity, u[uSISeverity])
		if u[uSIResWho] < si.Resolution.fraction() {
			s.SIResolution = si.Resolution.Time.quantilePH(u[uSIResWhen], si.Resolution.hr())
			if si.Recurrence != nil && u[uSIRecWho] < si.Recurrence.fraction() {
				s.SIRecurrence = s.SIResolution + si.Recurrence.Time.quantilePH(u[uSIRecWhen], si.Recurrence.hr())
			}
		}
	}
	if b := sc.Scores.BSL23; b != nil {
		s.bsl0 = truncNormal(b.Baseline, u[uBSL])
	}
	if h := sc.Scores.HAMD17; h != nil {
		s.hamd0 = int(math.Round(truncNormal(h.Baseline, u[uHAMD0])))
		s.uHAMD = u[uHAMDAgree]
	}
	return s
}

// scoreBounds returns the interval of primary scores consistent with the
// latent state of s at day t > 0:
//
//	relapsed:             [max(relapse_min, ⌊B/2⌋+1), max]
//	in remission:         [0, remission_max]
//	in response:          [remission_max+1, min(⌊B/2⌋, relapse_min−1)]
//	neither:              [max(⌊B/2⌋, remission_max)+1, max]
//
// so that response (score ≤ B/2, a ≥ 50% reduction), remission and relapse
// read off the visit-level scores happen at the first visit at or after the
// latent time.
func scoreBounds(sc *Scenario, s *Subject, t float64) (lo, hi int, state int) {
	half := s.Baseline / 2
	rem, relMin, top := sc.Scale.RemissionMax, sc.Scale.RelapseMin, sc.Scale.Max
	switch {
	case s.Relapse <= t:
		return max(relMin, half+1), top, stateRelapsed
	case s.Remission <= t:
		return 0, rem, stateRemitted
	case s.Response <= t:
		hi := half
		if relMin > 0 {
			hi = min(hi, relMin-1)
		}
		return rem + 1, hi, stateResponded
	}
	return max(half, rem) + 1, top, stateNone
}

const (
	stateNone = iota
	stateResponded
	stateRemitted
	stateRelapsed
)

// normals drawn per attended visit, in this order.
const (
	zPrimary = iota
	zMADRS10
	zCSSRSI
	zSSI
	zBSL
	zHAMD
	nNormal
)

func clampRound(x float64, lo, hi int) int {
	v := int(math.Round(x))
	return min(max(v, lo), hi)
}

// scores generates the visit-level records of s.
func scores(sc *Scenario, s *Subject, rng *rand.Rand) []Record {
	c := &sc.Cohorts[s.Cohort]
	tau := c.Response.Time.Median()
	primary := make([]Record, 0, len(sc.visits))
	var madrs10, cssrsi, ssi, bsl, hamd []Record
	B := float64(s.Baseline)
	last := -1
	visits := sc.visits
	var lastScore int
	var lastState int
	for vi, v := range visits {
		var z [nNormal]float64
		for i := range z {
			z[i] = rng.NormFloat64()
		}
		uItem := rng.Float64()
		if !s.Observed(v.Day) && v.Day > 0 {
			continue
		}
		last = vi
		t := v.Day
		score, state := s.Baseline, stateNone
		hi := s.Baseline
		if t > 0 {
			var lo int
			lo, hi, state = scoreBounds(sc, s, t)
			var mean float64
			switch state {
			case stateNone:
				r := s.plateau * -math.Expm1(-t/tau)
				if !math.IsInf(s.Response, 1) {
					r = 0.45 * math.Min(t/s.Response, 1)
				}
				mean = B * (1 - r)
			case stateResponded:
				mean = float64(lo+hi) / 2
			case stateRemitted:
				mean = 0.6 * float64(sc.Scale.RemissionMax)
			case stateRelapsed:
				mean = math.Max(float64(lo), 0.85*B)
			}
			score = clampRound(mean+sc.Scale.NoiseSD*z[zPrimary], lo, hi)
		}
		red := 1 - float64(score)/B // observed reduction from baseline
		rec := func(p string, val float64, dec int) Record {
			return Record{Paramcd: p, Visit: v.Name, Day: t, Value: val, Decimals: dec}
		}
		active := s.SIBaseline && !s.SIResolved(t)
		if sc.Scores.MADRS10 {
			var item int
			switch {
			case c.SI == nil:
				item = clampRound(float64(score)/10+0.5*z[zMADRS10], 0, 6)
			case active:
				item = clampRound(2+4*s.siSeverity*(1-0.5*red)+0.5*z[zMADRS10], 2, 6)
				// Item 10 is part of the total: raise a total below the
				// item when its state interval allows it, so that active SI
				// never reads as resolved on item 10.
				if score < item && item <= hi {
					score = item
				}
			case uItem < 0.3:
				item = 1
			}
			madrs10 = append(madrs10, rec("MADRS10", float64(min(item, score)), 0))
		}
		lastScore, lastState = score, state
		primary = append(primary, rec(sc.Scale.Paramcd, float64(score), 0))
		if sc.Scores.CSSRSI {
			item := 0
			if active {
				item = clampRound(5*s.siSeverity*(1-0.5*red)+0.5*z[zCSSRSI], 1, 5)
			}
			cssrsi = append(cssrsi, rec("CSSRSI", float64(item), 0))
		}
		if sc.Scores.SSI {
			item := 0
			if active {
				item = clampRound(25*s.siSeverity*(1-0.6*red)+2*z[zSSI], 1, 38)
			}
			ssi = append(ssi, rec("SSI", float64(item), 0))
		}
		if b := sc.Scores.BSL23; b != nil {
			x := s.bsl0*(1-b.Coupling*red) + b.NoiseSD*z[zBSL]
			x = math.Round(math.Min(math.Max(x, 0), 4)*100) / 100
			bsl = append(bsl, rec("BSL23", x, 2))
		}
		if h := sc.Scores.HAMD17; h != nil && t <= 0 {
			hamd = append(hamd, rec("HAMD17", float64(s.hamd0), 0))
		}
	}
	if h := sc.Scores.HAMD17; h != nil && last >= 0 && visits[last].Day > 0 {
		// Exit HAM-D: remitted on HAM-D only if remitted on the primary scale
		// at exit, with probability h.Agreement.
		v := visits[last]
		var z [1]float64
		z[0] = rng.NormFloat64()
		H := float64(s.hamd0)
		var x int
		if lastState == stateRemitted && s.uHAMD < h.Agreement {
			x = clampRound(0.6*float64(h.RemissionMax)+1.5*z[0], 0, h.RemissionMax)
		} else {
			red := 1 - float64(lastScore)/B
			x = clampRound(H*(1-red)+2*z[0], h.RemissionMax+1, 52)
		}
		hamd = append(hamd, Record{Paramcd: "HAMD17", Visit: v.Name, Day: v.Day, Value: float64(x)})
	}
	if len(madrs10)+len(cssrsi)+len(ssi)+len(bsl)+len(hamd) == 0 {
		return primary
	}
	out := make([]Record, 0, len(primary)+len(madrs10)+len(cssrsi)+len(ssi)+len(bsl)+len(hamd))
	for _, r := range [][]Record{primary, madrs10, cssrsi, ssi, bsl, hamd} {
		out = append(out, r...)
	}
	return out
}

// Clinical event terms written to adce.csv (CETERM).
const (
	Hospitalization = "HOSPITALIZATION"
	SuicideAttempt  = "SUICIDE_ATTEMPT"
)

// clinicalEvent marks, with probability relapse_events.fraction, the relapse
// of s as accompanied by a qualifying clinical event. It draws its two
// uniforms after every other draw of the subject, so adding relapse events
// to a scenario leaves the other outputs unchanged.
func clinicalEvent(c *Cohort, s *Subject, rng *rand.Rand) {
	u, v := rng.Float64(), rng.Float64()
	e := c.RelapseEvents
	if e == nil || math.IsInf(s.Relapse, 1) || u >= e.Fraction {
		return
	}
	s.RelapseEvent = Hospitalization
	if v < e.SuicideAttemptShare {
		s.RelapseEvent = SuicideAttempt
	}
}

// Discontinuation reasons written to adsl.csv (DCSREAS), CDISC NCOMPLT
// submission values.
const (
	ReasonWithdrawal     = "WITHDRAWAL BY SUBJECT"
	ReasonLackOfEfficacy = "LACK OF EFFICACY"
	ReasonAdverseEvent   = "ADVERSE EVENT"
)

// dropoutReasonAndRescue sets the discontinuation reason of a dropout
// (Cohort.DropoutReasons) and the rescue day (Cohort.Rescue). It draws its
// three uniforms after every other draw of the subject, whether or not the
// cohort uses them, so adding either to a scenario leaves the other outputs
// unchanged.
func dropoutReasonAndRescue(c *Cohort, s *Subject, rng *rand.Rand) {
	uReason, uRescWho, uRescWhen := rng.Float64(), rng.Float64(), rng.Float64()
	if s.Dropout < s.End {
		s.DropoutReason = ReasonWithdrawal
		if r := c.DropoutReasons; r != nil {
			switch {
			case uReason < r.LackOfEfficacy:
				if !s.InResponse(s.Dropout) {
					s.DropoutReason = ReasonLackOfEfficacy
				}
			case uReason < r.LackOfEfficacy+r.AdverseEvent:
				s.DropoutReason = ReasonAdverseEvent
			}
		}
	}
	s.RescueDay = math.Inf(1)
	if r := c.Rescue; r != nil && uRescWho < r.Fraction {
		day := r.Time.Quantile(uRescWhen)
		if r.OriginDay != nil {
			day += *r.OriginDay
		}
		if day <= s.Censor && !s.InResponse(day) {
			s.RescueDay = day
		}
	}
}
