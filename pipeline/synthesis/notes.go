package synthesis

import (
	"fmt"
	"math"
	"slices"
	"strings"
)

// Comparability returns plain sentences, generated from the studies'
// results, on what can and cannot be compared across them: designs,
// control arms, endpoint definitions and instruments, follow-up and time
// origins, and the pooling. Each comparison carries its caveat.
func (s *Synthesis) Comparability() []string {
	var out []string
	out = append(out, s.designNote()...)
	out = append(out, s.definitionNotes()...)
	out = append(out, s.followUpNote()...)
	out = append(out, s.relapseNote()...)
	out = append(out, s.poolingNotes()...)
	return out
}

func (s *Synthesis) designNote() []string {
	var single, rand []string
	controls := map[string][]string{}
	for _, st := range s.Studies {
		if !st.Randomized {
			single = append(single, st.ID)
			continue
		}
		rand = append(rand, st.ID)
		for _, a := range st.Arms {
			if a.Name == st.Control {
				controls[a.Class] = append(controls[a.Class], st.ID)
			}
		}
	}
	var out []string
	if len(single) > 0 {
		out = append(out, fmt.Sprintf("Designs: %s %s single-arm (no concurrent control). Setting a single-arm curve beside another trial's arm is a cross-trial comparison: differences in population, setting and time origin are confounded with the treatment, so no effect is estimated from it.",
			joinAnd(single), isAre(len(single))))
	}
	if len(controls) > 1 {
		var parts []string
		for _, class := range sortedKeys(controls) {
			parts = append(parts, fmt.Sprintf("%s in %s", class, joinAnd(controls[class])))
		}
		out = append(out, fmt.Sprintf("Control arms differ (%s): an active control such as midazolam mimics ketamine's acute effects while a placebo does not, so hazard ratios are pooled only within one pair of arm classes.", strings.Join(parts, "; ")))
	}
	if len(rand) > 0 {
		out = append(out, fmt.Sprintf("Populations differ between the randomized studies (%s): each study's design line says whom it enrolled; a pooled hazard ratio averages over those populations and applies to none of them exactly.", joinAnd(rand)))
	}
	return out
}

// definitionNotes compare the definitions (instrument and threshold) of
// each endpoint kind.
func (s *Synthesis) definitionNotes() []string {
	var out []string
	for _, kind := range []string{KindResponse, KindRemission, KindSIRes, KindRelapse} {
		defs := map[string][]string{}
		for _, st := range s.Studies {
			for _, e := range st.Endpoints {
				if e.Kind == kind {
					defs[e.Definition] = append(defs[e.Definition], st.ID)
				}
			}
		}
		if len(defs) == 0 {
			continue
		}
		var parts []string
		for _, d := range sortedKeys(defs) {
			parts = append(parts, fmt.Sprintf("%s in %s", d, joinAnd(defs[d])))
		}
		if len(defs) == 1 {
			out = append(out, fmt.Sprintf("Endpoint %s has one definition in every study (%s): the definitions match, though assessment schedules still differ, which moves interval-censored event times.", kind, parts[0]))
			continue
		}
		out = append(out, fmt.Sprintf("Endpoint %s is defined differently: %s. Different instruments, thresholds or confirmation rules measure different things: curves of different definitions are shown together but not pooled as one effect.", kind, strings.Join(parts, "; ")))
	}
	return out
}

// followUpNote compares the follow-up of the response curves by arm class.
func (s *Synthesis) followUpNote() []string {
	fu := map[string]float64{}
	for _, c := range s.ResponseCurves {
		fu[c.Class] = math.Max(fu[c.Class], c.FollowUp)
	}
	if len(fu) < 2 {
		return nil
	}
	var parts []string
	shortest, longest := math.Inf(1), 0.0
	for _, class := range sortedKeys(fu) {
		parts = append(parts, fmt.Sprintf("%s arms up to %s days", class, fmtNum(fu[class], 3)))
		shortest, longest = math.Min(shortest, fu[class]), math.Max(longest, fu[class])
	}
	note := fmt.Sprintf("Follow-up of time to response: %s.", strings.Join(parts, ", "))
	if longest > shortest {
		note += fmt.Sprintf(" Beyond %s days only some classes are observed: no comparison of classes can be made there, and the milestone table says \"not observed\" rather than carry a curve forward.", fmtNum(shortest, 3))
	}
	note += " Time zero is the first dose in every response endpoint, but ketamine is given as one infusion while conventional antidepressants act over weeks of daily dosing: the log-time axis shows both, it does not make them the same treatment."
	return []string{note}
}

func (s *Synthesis) relapseNote() []string {
	var labels []string
	for _, st := range s.Studies {
		for _, e := range st.Endpoints {
			if e.Kind == KindRelapse {
				labels = append(labels, fmt.Sprintf("%s: %q", st.ID, e.Label))
			}
		}
	}
	if len(labels) < 2 {
		return nil
	}
	return []string{fmt.Sprintf("Relapse endpoints start from different time origins and populations (%s): the relapse-free curves are drawn side by side, each on its own axis, and are not pooled.", strings.Join(labels, "; "))}
}

func (s *Synthesis) poolingNotes() []string {
	var out []string
	for _, c := range s.Contrasts {
		if c.Pooled == nil {
			continue
		}
		r := c.Pooled[0]
		rr := r.Ratio()
		note := fmt.Sprintf("Pooled %s: %d studies, HR %s by %s", c.Name(), r.K, hrCI(rr.Estimate, rr.Lower, rr.Upper), poolLabel(r))
		if !math.IsNaN(r.PILower) {
			note += fmt.Sprintf(", prediction interval %.2f to %.2f", math.Exp(r.PILower), math.Exp(r.PIUpper))
		}
		note += fmt.Sprintf(", I² = %.0f%%.", r.I2)
		if r.K < SmallMeta {
			note += fmt.Sprintf(" Caveat: with %d studies the between-study variance is poorly estimated; the z-based interval would be anti-conservative.", r.K)
		}
		if c.OneStage != nil && c.TwoStage != nil && c.TwoStage.Pooled != nil {
			note += fmt.Sprintf(" The one-stage IPD model gives HR %.2f, the two-stage pooling of the same unadjusted models %.2f: a difference shows how much the choice of model matters with so few studies.",
				c.OneStage.Effect.HR, c.TwoStage.Pooled.Ratio().Estimate)
		}
		out = append(out, note)
	}
	return out
}

func sortedKeys[V any](m map[string]V) []string {
	var k []string
	for key := range m {
		k = append(k, key)
	}
	slices.Sort(k)
	return k
}

func joinAnd(s []string) string {
	switch len(s) {
	case 0:
		return ""
	case 1:
		return s[0]
	}
	return strings.Join(s[:len(s)-1], ", ") + " and " + s[len(s)-1]
}

func isAre(n int) string {
	if n == 1 {
		return "is"
	}
	return "are"
}
