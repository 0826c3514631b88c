package guyot

import (
	"fmt"
	"math"
	"sort"
)

// CleanReport counts what cleaning changed in the digitized points.
type CleanReport struct {
	// Reordered counts points read out of time order (a time below an
	// earlier point's time); they are sorted into place.
	Reordered int
	// Clipped counts points with a time below 0 or a survival outside
	// [0, 1], moved to the nearest valid value.
	Clipped int
	// Smoothed counts points whose survival was changed to make the curve
	// non-increasing (S rising along the curve), and Retimed those whose
	// time was changed to make it non-decreasing along the curve (the two
	// corners of a step read in the wrong time order), by isotonic
	// regression (pool adjacent violators: each run of violators is
	// replaced by its mean).
	Smoothed, Retimed int
	// Added counts points inserted: the start (0, 1) if missing, and a
	// point at each at-risk time with no digitized point, carrying the
	// survival of the last point before it (the curve is a step function).
	Added int
}

// Total is the number of points changed, moved or added.
func (c CleanReport) Total() int {
	return c.Reordered + c.Clipped + c.Smoothed + c.Retimed + c.Added
}

type point struct{ t, s float64 }

// cleanPoints validates, clips, sorts and monotonises the digitized points
// and starts the curve at (0, 1).
func cleanPoints(time, surv []float64) ([]point, CleanReport, error) {
	var rep CleanReport
	if len(time) == 0 {
		return nil, rep, fmt.Errorf("no digitized points")
	}
	pts := make([]point, len(time))
	maxT, maxS := math.Inf(-1), 0.0
	for i := range time {
		t, s := time[i], surv[i]
		if math.IsNaN(t) || math.IsInf(t, 0) || math.IsNaN(s) || math.IsInf(s, 0) {
			return nil, rep, fmt.Errorf("digitized point %d (%v, %v): time and survival must be finite numbers", i+1, t, s)
		}
		if t < maxT {
			rep.Reordered++
		}
		maxT, maxS = math.Max(maxT, t), math.Max(maxS, s)
		if t < 0 || s < 0 || s > 1 {
			rep.Clipped++
			t, s = math.Max(t, 0), math.Min(math.Max(s, 0), 1)
		}
		pts[i] = point{t, s}
	}
	if maxS > 1.5 {
		return nil, rep, fmt.Errorf("digitized survival reaches %v: give survival as a proportion in [0, 1], not a percentage", maxS)
	}
	// Order along the curve: a Kaplan–Meier curve falls as time rises,
	// so t/tEnd + (1 - S) increases along it, across vertical drops (the
	// two corners of a step, whose times the reader's noise may swap) as
	// along flat stretches (whose survival it may swap). Then time is made
	// non-decreasing and survival non-increasing in that order.
	tEnd := maxT
	if !(tEnd > 0) {
		tEnd = 1
	}
	key := func(p point) float64 { return p.t/tEnd + (1 - p.s) }
	sort.SliceStable(pts, func(i, j int) bool {
		ki, kj := key(pts[i]), key(pts[j])
		if ki != kj {
			return ki < kj
		}
		if pts[i].t != pts[j].t {
			return pts[i].t < pts[j].t
		}
		return pts[i].s > pts[j].s
	})
	ts, ss := make([]float64, len(pts)), make([]float64, len(pts))
	for i, p := range pts {
		ts[i], ss[i] = p.t, -p.s
	}
	rep.Retimed += isotonic(ts)
	rep.Smoothed += isotonic(ss)
	for i := range pts {
		pts[i] = point{ts[i], -ss[i]}
	}
	if pts[0].t > 0 {
		pts = append([]point{{0, 1}}, pts...)
		rep.Added++
	} else if pts[0].s != 1 {
		pts[0].s = 1
		rep.Smoothed++
	}
	return pts, rep, nil
}

// isotonic replaces x by its least-squares non-decreasing fit (pool
// adjacent violators: each run of violators is replaced by its mean) and
// returns the number of values changed.
func isotonic(x []float64) int {
	type block struct {
		sum   float64
		count int
	}
	blocks := make([]block, 0, len(x))
	for _, v := range x {
		blocks = append(blocks, block{v, 1})
		for len(blocks) > 1 {
			a, b := blocks[len(blocks)-2], blocks[len(blocks)-1]
			if a.sum/float64(a.count) <= b.sum/float64(b.count) {
				break
			}
			blocks = blocks[:len(blocks)-2]
			blocks = append(blocks, block{a.sum + b.sum, a.count + b.count})
		}
	}
	changed, i := 0, 0
	for _, b := range blocks {
		m := b.sum / float64(b.count)
		for range b.count {
			if x[i] != m {
				changed++
				x[i] = m
			}
			i++
		}
	}
	return changed
}

// anchorRiskTimes inserts a point at each at-risk time (after the first)
// that has none, with the survival of the last point before it, and returns
// the points and, per at-risk time, the index of its first point.
func anchorRiskTimes(pts []point, riskTime []float64, rep *CleanReport) ([]point, []int) {
	lower := make([]int, len(riskTime))
	out := make([]point, 0, len(pts)+len(riskTime))
	j := 1
	for _, p := range pts {
		for j < len(riskTime) && riskTime[j] <= p.t {
			lower[j] = len(out)
			if riskTime[j] < p.t {
				out = append(out, point{riskTime[j], out[len(out)-1].s})
				rep.Added++
			}
			j++
		}
		out = append(out, p)
	}
	return out, lower
}

// cleanMarks validates and sorts the censoring marks; marks before 0 or
// after the end of the curve are clipped to it (counted in Clipped).
func cleanMarks(marks []float64, end float64, rep *CleanReport) ([]float64, error) {
	out := make([]float64, 0, len(marks))
	for i, t := range marks {
		if math.IsNaN(t) || math.IsInf(t, 0) {
			return nil, fmt.Errorf("censoring mark %d (%v): time must be a finite number", i+1, t)
		}
		if t < 0 || t > end {
			rep.Clipped++
			t = math.Min(math.Max(t, 0), end)
		}
		out = append(out, t)
	}
	sort.Float64s(out)
	return out, nil
}
