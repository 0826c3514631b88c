package guyot

import (
	"math"
	"sort"
)

// The refinement step of Reconstruct: within one at-risk interval, the
// events at each digitized point and the censorings in each gap between
// points that make the reconstructed Kaplan–Meier curve closest to the
// digitized one, given the numbers at risk at both ends of the interval.
//
// A path is a sequence of numbers at risk n_k just before point k; at the
// point d_k events occur and in the gap (T_k, T_{k+1}) c_k subjects are
// censored, so n_{k+1} = n_k - d_k - c_k. Its cost is
//
//	sum_k (K_k - S_k)^2 / (2 sd^2) + mu d_k + prior_k(c_k),
//	K_k = K_{k-1} (1 - d_k/n_k),
//
// the squared distance of the reconstructed curve K to the digitized
// survival S in units of the reader's precision sd, a price mu per event
// (used to meet a reported total of events), and the negative log prior of
// the censorings in the gap (gapPrior). d_k is one of the two integers
// around n_k (1 - S_k/K_{k-1}), the events that put K nearest S_k. The
// search is a Viterbi recursion over n_k: for each point and number at
// risk it keeps the cheapest path reaching it (and that path's K, which
// is why this is a close approximation, not an exact minimum: two paths
// to the same n_k with different K are not both kept).

// gapPrior is the prior of the censorings in one gap.
type gapPrior struct {
	// lambda is the expected number of censorings in the gap not
	// accounted for by marks; marks the number of censoring marks read in
	// the gap.
	lambda float64
	marks  int
}

// missedMark is the cost (negative log prior) of each censoring mark in a
// gap left without a censoring: a mark the reader clicked is taken to be
// a censoring unless the curve's steps say otherwise.
const missedMark = 4.0

// cost is the negative log prior of c censorings in the gap: Poisson for
// those beyond the marks, missedMark for each mark not used.
func (g gapPrior) cost(c int) float64 {
	extra := c - g.marks
	if extra < 0 {
		return missedMark*float64(-extra) + g.lambda
	}
	if g.lambda == 0 {
		if extra == 0 {
			return 0
		}
		return math.Inf(1)
	}
	lg, _ := math.Lgamma(float64(extra + 1))
	return g.lambda - float64(extra)*math.Log(g.lambda) + lg
}

// maxCensored bounds the censorings considered in a gap: beyond it the
// Poisson prior costs more than any misfit of the curve could justify.
func (g gapPrior) maxCensored() int {
	return g.marks + int(math.Ceil(g.lambda+8*math.Sqrt(g.lambda)+6))
}

// intervalSearch is one interval's problem.
type intervalSearch struct {
	pts    []point
	lo, hi int     // points of the interval
	n0     int     // at risk at pts[lo]
	k0     float64 // K before pts[lo]
	nEnd   int     // at risk at pts[hi+1]; < 0 for the last interval (free)
	nFloor int     // fewest at risk inside the interval
	priors []gapPrior
	sd     float64
	mu     float64 // price per event
}

type intervalPath struct {
	d, c []int // events per point, censorings per gap (c[i] after point lo+i)
	k    float64
	cost float64 // the path's cost
	fit  float64 // cost without the price of events
	left int     // last interval: at risk after the last point (censored at its time)
}

type backStep struct{ prev, d, c int32 }

// layer is the recursion's state before one point: per number at risk
// n = nFloor + index, the cost of the cheapest path reaching it (+Inf if
// none) and that path's K.
type layer struct {
	cost, km []float64
}

func newLayer(w int) layer {
	l := layer{make([]float64, w), make([]float64, w)}
	l.reset()
	return l
}

func (l layer) reset() {
	for i := range l.cost {
		l.cost[i] = math.Inf(1)
	}
}

// solve runs the Viterbi recursion. ok is false when no path reaches nEnd.
func (s *intervalSearch) solve() (intervalPath, bool) {
	w := s.n0 - s.nFloor + 1
	cur, next := newLayer(w), newLayer(w)
	cur.cost[w-1], cur.km[w-1] = 0, s.k0
	npts := s.hi - s.lo + 1
	back := make([][]backStep, npts)
	var costC []float64 // prior cost of c censorings in the current gap
	for i := range npts {
		next.reset()
		back[i] = make([]backStep, w)
		costC = s.priorCosts(i, costC)
		for idx, c0 := range cur.cost {
			if !math.IsInf(c0, 1) {
				s.relax(i, idx, c0, cur.km[idx], costC, next, back[i])
			}
		}
		cur, next = next, cur
	}
	best := -1
	for j, c := range cur.cost {
		if !math.IsInf(c, 1) && (best < 0 || c < cur.cost[best]) {
			best = j
		}
	}
	if best < 0 {
		return intervalPath{}, false
	}
	p := intervalPath{d: make([]int, npts), c: make([]int, npts), k: cur.km[best], cost: cur.cost[best], left: s.nFloor + best}
	j := best
	for i := npts - 1; i >= 0; i-- {
		b := back[i][j]
		p.d[i], p.c[i] = int(b.d), int(b.c)
		j = int(b.prev)
	}
	p.fit = p.cost - s.mu*float64(sum(p.d))
	return p, true
}

// priorCosts returns the prior cost of 0..maxCensored censorings in gap
// i, in buf's storage.
func (s *intervalSearch) priorCosts(i int, buf []float64) []float64 {
	prior := s.priors[i]
	cmax := prior.maxCensored()
	if cap(buf) < cmax+1 {
		buf = make([]float64, cmax+1)
	}
	buf = buf[:cmax+1]
	for c := range buf {
		buf[c] = prior.cost(c)
	}
	return buf
}

// relax extends the path reaching point lo+i with n = nFloor + idx at
// risk, cost c0 and K km: the events at the point (either integer nearest
// to what puts K at S), then the censorings in the gap after it (forced,
// after the interval's last point, to reach nEnd), into next.
func (s *intervalSearch) relax(i, idx int, c0, km float64, costC []float64, next layer, back []backStep) {
	k := s.lo + i
	n := s.nFloor + idx
	inv := 1 / (2 * s.sd * s.sd)
	d0, d1 := 0, 0
	if n > 0 && km > 0 {
		x := float64(n) * (1 - s.pts[k].s/km)
		d0 = max(0, min(int(math.Floor(x)), n-s.nFloor))
		d1 = max(0, min(int(math.Floor(x))+1, n-s.nFloor))
	}
	ds, nd := [2]int{d0, d1}, 2
	if d1 == d0 {
		nd = 1
	}
	for _, d := range ds[:nd] {
		m := km
		if d > 0 {
			m = km * (1 - float64(d)/float64(n))
		}
		diff := m - s.pts[k].s
		base := c0 + diff*diff*inv + s.mu*float64(d)
		rem := n - d
		set := func(c int) {
			j := rem - c - s.nFloor
			if tot := base + s.priors[i].costOf(c, costC); tot < next.cost[j] {
				next.cost[j], next.km[j] = tot, m
				back[j] = backStep{int32(idx), int32(d), int32(c)}
			}
		}
		switch {
		case k < s.hi:
			for c := 0; c <= min(rem-s.nFloor, len(costC)-1); c++ {
				set(c)
			}
		case s.nEnd < 0: // the end of the curve: the rest stay at risk
			set(0)
		case rem >= s.nEnd:
			set(rem - s.nEnd)
		}
	}
}

// costOf is cost(c), from the table costC when it covers c.
func (g gapPrior) costOf(c int, costC []float64) float64 {
	if c < len(costC) {
		return costC[c]
	}
	return g.cost(c)
}

// gapPriors builds the censoring prior of each gap of an interval from
// the gaps' lengths and the censoring marks in each: expected censorings
// total spread in proportion to the lengths or, when the reader gave
// censoring marks (anyMarks: for the curve, an interval may have none),
// one censoring per mark with the rest (total minus marks) spread over the
// interval's marked gaps in proportion to their marks (marks closer than
// the figure can separate hide further censorings) and a small share
// (unmarked) over all gaps by length.
func gapPriors(lengths []float64, marks []int, total float64, anyMarks bool) []gapPrior {
	const unmarked = 0.05
	priors := make([]gapPrior, len(lengths))
	length, nMarks := 0.0, 0
	for i := range lengths {
		length += lengths[i]
		nMarks += marks[i]
	}
	total = math.Max(total, 0.5)
	for i := range priors {
		share := 0.0
		if length > 0 {
			share = lengths[i] / length
		}
		priors[i].marks = marks[i]
		if !anyMarks {
			priors[i].lambda = total * share
			continue
		}
		extra := 0.0
		if nMarks > 0 {
			extra = math.Max(total-float64(nMarks), 0) * float64(marks[i]) / float64(nMarks)
		}
		priors[i].lambda = extra + unmarked*total*share
	}
	return priors
}

// countIn counts the sorted marks in [a, b).
func countIn(marks []float64, a, b float64) int {
	if b <= a {
		return 0
	}
	return sort.SearchFloat64s(marks, b) - sort.SearchFloat64s(marks, a)
}

// marksIn returns the sorted marks in [a, b).
func marksIn(marks []float64, a, b float64) []float64 {
	if b <= a {
		return nil
	}
	return marks[sort.SearchFloat64s(marks, a):sort.SearchFloat64s(marks, b)]
}

// censorTimes places c censorings in the gap (a, b): at the marks read in
// it, spread evenly over them (several per mark when c exceeds the marks,
// a subset when it falls short), else evenly spaced in the gap as in
// Guyot et al.
func censorTimes(c int, a, b float64, marks []float64) []float64 {
	out := make([]float64, 0, c)
	if len(marks) == 0 {
		for m := 1; m <= c; m++ {
			out = append(out, a+float64(m)*(b-a)/float64(c+1))
		}
		return out
	}
	for m := range c {
		out = append(out, marks[(2*m+1)*len(marks)/(2*c)])
	}
	return out
}

// solveEvents solves the last interval. With target >= 0 (the events
// left of a reported total) it prices events (mu, found by bisection) to
// bring the path's events to target, and keeps, of the paths tried, the
// one with the least fit + offTarget |events - target|: the reported
// total overrides the curve where its drops are ambiguous, not where a
// drop is plain (the earlier intervals' counts may be off by one).
func (s *intervalSearch) solveEvents(target int) intervalPath {
	s.mu = 0
	p, _ := s.solve()
	if target < 0 || sum(p.d) == target {
		return p
	}
	score := func(q intervalPath) float64 { return q.fit + offTarget*float64(abs(sum(q.d)-target)) }
	best, bestScore := p, score(p)
	try := func(mu float64) int {
		s.mu = mu
		q, _ := s.solve()
		if sc := score(q); sc < bestScore {
			best, bestScore = q, sc
		}
		return sum(q.d) - target
	}
	sign := 1.0
	if sum(p.d) < target {
		sign = -1
	}
	// Bracket: events fall as mu rises.
	lo, hi := 0.0, sign
	for range 60 {
		diff := try(hi)
		if diff == 0 || (diff > 0) != (sign > 0) {
			break
		}
		lo, hi = hi, hi*4
	}
	for range 30 {
		if math.Abs(hi-lo) <= 1e-9*math.Abs(hi) {
			break
		}
		mid := (lo + hi) / 2
		diff := try(mid)
		if diff == 0 {
			break
		}
		if (diff > 0) == (sign > 0) {
			lo = mid
		} else {
			hi = mid
		}
	}
	s.mu = 0
	return best
}

// offTarget is the cost of each event by which the last interval misses
// the reported total: about the misfit of one digitized point 4.5 reader
// SDs off the curve.
const offTarget = 10.0
