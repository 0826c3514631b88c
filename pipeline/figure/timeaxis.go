package figure

import (
	"cmp"
	"math"
	"slices"
	"strconv"
)

// TimeAxis is the time (x) axis of a figure.
type TimeAxis struct {
	// Log is true for a log time axis.
	Log bool
	// XMin and XMax are the axis range in days.
	XMin, XMax float64
	// Ticks are the labelled ticks (days); MinorTicks are unlabelled.
	Ticks      []Tick
	MinorTicks []float64
	XLabel     string
}

// newTimeAxis is the log axis from the first positive time minPos to
// maxTime, or the linear axis from 0 to maxTime.
func newTimeAxis(log bool, minPos, maxTime float64) TimeAxis {
	var ax timeAxis
	if log {
		ax = logAxis(minPos, maxTime)
	} else {
		ax = linearAxis(maxTime)
	}
	return TimeAxis{Log: log, XMin: ax.min, XMax: ax.max, Ticks: ax.ticks, MinorTicks: ax.minor, XLabel: ax.label}
}

type timeAxis struct {
	min, max float64
	ticks    []Tick
	minor    []float64
	label    string
}

const (
	minute = 1.0 / (24 * 60)
	hour   = 1.0 / 24
)

// maxLinearIntervals is the largest number of tick intervals on a linear axis.
const maxLinearIntervals = 10

// linearAxis is a time axis from 0 to a multiple of the tick step at or
// above tmax. The step is the smallest of a list of human steps giving at
// most maxLinearIntervals intervals; beyond 28 days the steps are whole
// weeks (7, 14, 28, 56, 84, 182, 364 days, then doubling).
func linearAxis(tmax float64) timeAxis {
	var steps []float64
	if tmax > 28 {
		steps = []float64{7, 14, 28, 56, 84, 182, 364}
	} else {
		steps = []float64{hour, 2 * hour, 4 * hour, 6 * hour, 12 * hour, 1, 2, 7}
	}
	if tmax <= 0 {
		tmax = 1
	}
	step := steps[len(steps)-1]
	for step*maxLinearIntervals < tmax {
		step *= 2
	}
	for _, s := range steps {
		if math.Ceil(tmax/s-1e-9) <= maxLinearIntervals {
			step = s
			break
		}
	}
	n := int(math.Ceil(tmax/step - 1e-9))
	ax := timeAxis{min: 0, max: float64(n) * step, label: "Time (days)"}
	for i := 0; i <= n; i++ {
		t := float64(i) * step
		var l string
		if step < 1 {
			l = duration(t)
		} else {
			l = strconv.FormatFloat(t, 'f', -1, 64)
		}
		ax.ticks = append(ax.ticks, Tick{Time: t, Label: l})
	}
	if step < 1 {
		ax.label = "Time"
	}
	return ax
}

// logCandidate is a human tick of a log time axis; lower rank is preferred
// when ticks must be dropped to keep labels apart.
type logCandidate struct {
	t    float64
	rank int
}

var logCandidates = []logCandidate{
	{1.0 / 86400, 2}, {10.0 / 86400, 2}, {30.0 / 86400, 2},
	{minute, 1}, {5 * minute, 2}, {10 * minute, 1}, {20 * minute, 2}, {40 * minute, 2},
	{hour, 1}, {2 * hour, 3}, {4 * hour, 2}, {8 * hour, 3}, {12 * hour, 2},
	{1, 1}, {2, 3}, {4, 3}, {7, 1}, {14, 2}, {28, 1}, {56, 3}, {84, 2}, {182, 2}, {365, 1}, {730, 2},
}

// logAxis is a log time axis from the largest candidate tick at or below
// minPos (the first positive time) to the smallest at or above tmax. Its
// labelled ticks keep the axis ends, then candidates by rank, each only if
// it is at least a ninth of the axis's decades (and at least 0.15 decade)
// away from every kept tick; the other candidates are minor ticks.
func logAxis(minPos, tmax float64) timeAxis {
	cands := slices.Clone(logCandidates)
	if math.IsInf(minPos, 1) { // no positive time at all
		minPos, tmax = 1, 1
	}
	for last := cands[len(cands)-1].t; last < tmax; {
		last *= 2
		cands = append(cands, logCandidate{last, 2})
	}
	lo, hi := cands[0].t, cands[len(cands)-1].t
	for _, c := range cands {
		if c.t <= minPos*(1+1e-9) {
			lo = c.t
		}
	}
	for i := len(cands) - 1; i >= 0; i-- {
		if cands[i].t >= tmax*(1-1e-9) {
			hi = cands[i].t
		}
	}
	if hi <= lo { // a single positive time on a candidate: widen one step
		for _, c := range cands {
			if c.t > lo {
				hi = c.t
				break
			}
		}
	}
	ax := timeAxis{min: lo, max: hi, label: "Time (log scale)"}
	var in []logCandidate
	for _, c := range cands {
		if c.t >= lo && c.t <= hi {
			in = append(in, c)
		}
	}
	// Axis ends first, then by rank, earliest first within a rank.
	byPriority := slices.Clone(in)
	slices.SortStableFunc(byPriority, func(a, b logCandidate) int {
		ea := a.t == lo || a.t == hi
		eb := b.t == lo || b.t == hi
		switch {
		case ea && !eb:
			return -1
		case eb && !ea:
			return 1
		}
		return cmp.Compare(a.rank, b.rank)
	})
	minSep := max(0.15, math.Log10(hi/lo)/9)
	var kept []float64
	for _, c := range byPriority {
		ok := true
		for _, k := range kept {
			if math.Abs(math.Log10(c.t/k)) < minSep-1e-12 {
				ok = false
				break
			}
		}
		// The axis ends are always labelled.
		if ok || c.t == lo || c.t == hi {
			kept = append(kept, c.t)
		}
	}
	slices.Sort(kept)
	for _, c := range in {
		if slices.Contains(kept, c.t) {
			ax.ticks = append(ax.ticks, Tick{Time: c.t, Label: duration(c.t)})
		} else {
			ax.minor = append(ax.minor, c.t)
		}
	}
	return ax
}

// FormatDuration writes a time in days with the largest whole unit, as
// the figures label their time axes: "0", "30 s", "40 min", "4 h", "7 d".
// Times that are not whole in any unit are written in days with 3
// decimals ("0.123 d" for 0.1234). The report uses it so that its tables speak the
// units of the figure beside them.
//
//	FormatDuration(1.0/6)     = "4 h"
//	FormatDuration(40.0/1440) = "40 min"
//	FormatDuration(7)         = "7 d"
func FormatDuration(days float64) string { return duration(days) }

// duration is FormatDuration.
func duration(t float64) string {
	whole := func(v float64) bool { return math.Abs(v-math.Round(v)) < 1e-6 }
	switch {
	case t == 0:
		return "0"
	case t >= 1 && whole(t):
		return strconv.FormatFloat(math.Round(t), 'f', -1, 64) + " d"
	case t >= hour && whole(t/hour):
		return strconv.FormatFloat(math.Round(t/hour), 'f', -1, 64) + " h"
	case t >= minute && whole(t/minute):
		return strconv.FormatFloat(math.Round(t/minute), 'f', -1, 64) + " min"
	case whole(t * 86400):
		return strconv.FormatFloat(math.Round(t*86400), 'f', -1, 64) + " s"
	}
	return strconv.FormatFloat(t, 'f', 3, 64) + " d"
}
