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
	// non-increasing (S rising with time), by isotonic regression (pool
	// adjacent violators: each run of violators is replaced by its mean).
	Smoothed int
	// Added counts points inserted: the start (0, 1) if missing, and a
	// point at each at-risk time with no digitized point, carrying the
	// survival of the last point before it (the curve is a step function).
	Added int
}

// Total is the number of points changed, moved or added.
func (c CleanReport) Total() int { return c.Reordered + c.Clipped + c.Smoothed + c.Added }

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
	// Time ascending; at equal times (the two corners of a step) the
	// higher survival first.
	sort.SliceStable(pts, func(i, j int) bool {
		if pts[i].t != pts[j].t {
			return pts[i].t < pts[j].t
		}
		return pts[i].s > pts[j].s
	})
	if pts[0].t > 0 {
		pts = append([]point{{0, 1}}, pts...)
		rep.Added++
	} else if pts[0].s != 1 {
		pts[0].s = 1
		rep.Smoothed++
	}
	rep.Smoothed += isotonicDecreasing(pts)
	return pts, rep, nil
}

// isotonicDecreasing replaces pts[].s by its least-squares non-increasing
// fit (pool adjacent violators) and returns the number of points changed.
func isotonicDecreasing(pts []point) int {
	type block struct {
		sum   float64
		count int
	}
	blocks := make([]block, 0, len(pts))
	for _, p := range pts {
		blocks = append(blocks, block{p.s, 1})
		for len(blocks) > 1 {
			a, b := blocks[len(blocks)-2], blocks[len(blocks)-1]
			if a.sum/float64(a.count) >= b.sum/float64(b.count) {
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
			if pts[i].s != m {
				changed++
				pts[i].s = m
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
