package adam

import (
	"fmt"
	"maps"
)

// ScoreRange is the valid range of an instrument's score, both ends
// included.
type ScoreRange struct {
	Min, Max float64
	// Instrument names the instrument and its scoring, for messages.
	Instrument string
}

// ScoreRanges are the valid ranges of ADQS scores (AVAL) by PARAMCD, the
// codes of the data contract (datasets/README.md). A score outside its
// range is a fatal problem of the row; a PARAMCD not listed is not
// range-checked. Do not modify the map: a study plan that declares other
// instruments passes its own through Options.ScoreRanges (WithScoreRanges
// makes one).
//
//	MADRS     0–60  Montgomery–Åsberg Depression Rating Scale, 10 items scored 0–6
//	MADRS10   0–6   MADRS item 10, suicidal thoughts
//	QIDSSR16  0–27  Quick Inventory of Depressive Symptomatology, self-report, 16 items (9 domains scored 0–3)
//	SSI       0–38  Beck Scale for Suicide Ideation, 19 items scored 0–2
//	BSL23     0–4   Borderline Symptom List 23, mean item score (items 0–4)
//
// References: Montgomery & Åsberg, Br J Psychiatry 1979;134:382–389; Rush
// et al., Biol Psychiatry 2003;54:573–583 (QIDS-SR16); Beck, Kovacs &
// Weissman, J Consult Clin Psychol 1979;47:343–352 (SSI); Bohus et al.,
// Psychopathology 2009;42:32–39 (BSL-23).
var ScoreRanges = map[string]ScoreRange{
	"MADRS":    {0, 60, "MADRS total score (10 items, 0-6 each)"},
	"MADRS10":  {0, 6, "MADRS item 10, suicidal thoughts"},
	"QIDSSR16": {0, 27, "QIDS-SR16 total score"},
	"SSI":      {0, 38, "Beck Scale for Suicide Ideation (19 items, 0-2 each)"},
	"BSL23":    {0, 4, "BSL-23 mean item score"},
}

// WithScoreRanges returns a copy of ScoreRanges with extra added (an
// extra PARAMCD already in ScoreRanges replaces its range). It panics if
// a range has Min > Max or a NaN end.
func WithScoreRanges(extra map[string]ScoreRange) map[string]ScoreRange {
	out := maps.Clone(ScoreRanges)
	for code, r := range extra {
		if !(r.Min <= r.Max) {
			panic(fmt.Sprintf("adam: score range of %s is [%v, %v]: Min must not exceed Max", code, r.Min, r.Max))
		}
		out[code] = r
	}
	return out
}

// checkScore returns the fatal problem of a score v (text s) of PARAMCD
// param outside its range, or nil.
func checkScore(ranges map[string]ScoreRange, param string, v float64, s string) *Problem {
	r, ok := ranges[param]
	if !ok || (v >= r.Min && v <= r.Max) {
		return nil
	}
	return &Problem{Column: "AVAL", Value: s, Reason: fmt.Sprintf("AVAL %s is outside the range of %s, %v to %v (%s): fix the score, or leave the cell empty for a missed assessment", s, param, r.Min, r.Max, r.Instrument), Fatal: true}
}
