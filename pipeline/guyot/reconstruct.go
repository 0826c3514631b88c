package guyot

import (
	"fmt"
	"math"
	"slices"
)

// reconstruction is the state carried from one interval to the next.
type reconstruction struct {
	pts      []point
	lower    []int // first point of each at-risk interval
	riskTime []float64
	nRisk    []int
	marks    []float64 // censoring marks, sorted
	sd       float64   // reader's precision in survival
	window   float64   // reader's precision in time: how far a cut may move
	km       float64   // K̂ at the last event so far
	events   []int     // per point
	censors  []float64
	res      *Result
}

// walk is Guyot's steps 2 and 3 for points lo..hi, the interval ending
// at end, with n at risk at its start and K̂ k0 before it, nc censorings
// spread over (T_lo, end) and at most maxEvents events. It returns the
// events per point, the censoring times used, the number at risk at end
// and K̂ after the last event.
func (r *reconstruction) walk(lo, hi int, end, k0 float64, n, nc, maxEvents int) (d []int, cens []float64, nEnd int, km float64) {
	start := r.pts[lo].t
	cens = make([]float64, 0, nc)
	for m := 1; m <= nc; m++ {
		cens = append(cens, start+float64(m)*(end-start)/float64(nc+1))
	}
	d = make([]int, hi-lo+1)
	km = k0
	used, c, total := 0, 0, 0
	for k := lo; k <= hi; k++ {
		if n > 0 && km > 0 {
			e := int(math.Round(float64(n) * (1 - r.pts[k].s/km)))
			e = max(0, min(e, n, maxEvents-total))
			if e > 0 {
				km *= 1 - float64(e)/float64(n)
				n -= e
				total += e
				d[k-lo] = e
			}
		}
		next := end
		if k < hi {
			next = r.pts[k+1].t
		}
		for ; c < len(cens) && cens[c] < next; c++ {
			if n > 0 {
				cens[used] = cens[c]
				used++
				n--
			}
		}
	}
	return d, cens[:used], n, km
}

// firstPass is Guyot's iteration (steps 1-4) for at-risk interval j over
// points lo..e-1, the next interval starting at point e, with K̂ k0 before
// it: the events of the walk whose censorings bring the number at risk to
// n_{j+1}, and the surplus of events over what n_j - n_{j+1} allows when
// no number of censorings does (reader noise, trimmed), or an error when
// the surplus is more than noise.
func (r *reconstruction) firstPass(j, lo, e int, k0 float64) (events, trimmed int, err error) {
	hi, end := e-1, r.pts[e].t
	n, nNext := r.nRisk[j], r.nRisk[j+1]
	start, tNext := r.riskTime[j], r.riskTime[j+1]
	sStart, sEnd := r.pts[lo].s, r.pts[e].s
	if sStart == 0 && n > 0 {
		return 0, 0, fmt.Errorf("at-risk interval %d [%v, %v): %w: the curve is at 0 but %d are at risk", j+1, start, tNext, ErrContradiction, n)
	}
	nc := max(0, int(math.Round(float64(n)*sEnd/sStart))-nNext)
	best, bestDiff := nc, math.MaxInt
	seen := map[int]bool{}
	for iter := 0; iter < 1000 && !seen[nc]; iter++ {
		seen[nc] = true
		_, _, got, _ := r.walk(lo, hi, end, k0, n, nc, n)
		diff := got - nNext
		if abs(diff) < abs(bestDiff) {
			best, bestDiff = nc, diff
		}
		if diff == 0 {
			break
		}
		nc = max(0, nc+diff)
	}
	d, _, _, _ := r.walk(lo, hi, end, k0, n, best, n)
	if bestDiff >= 0 {
		return sum(d), 0, nil
	}
	// Too many events even with no censoring.
	if allowed := 2 + int(0.02*float64(n)); -bestDiff > allowed {
		d0, _, _, _ := r.walk(lo, hi, end, k0, n, 0, n)
		return 0, 0, fmt.Errorf("at-risk interval %d [%v, %v): %w: the curve falls from %.4g to %.4g, which means %d events among the %d at risk, "+
			"but %d are at risk at %v, %d more than %d - %d with no censoring at all; check the numbers at risk and the digitized points of this interval",
			j+1, start, tNext, ErrContradiction, sStart, sEnd, sum(d0), n, nNext, tNext, -bestDiff, n, sum(d0))
	}
	return sum(d) + bestDiff, -bestDiff, nil
}

// solveInterval reconstructs at-risk interval j (not the last) over
// points lo..e-1 from K̂ k0: Guyot's first pass, then the search for the
// events and censorings that best fit the digitized points.
func (r *reconstruction) solveInterval(j, lo, e int, k0 float64) (intervalPath, int, error) {
	events, trimmed, err := r.firstPass(j, lo, e, k0)
	if err != nil {
		return intervalPath{}, 0, err
	}
	n, nNext := r.nRisk[j], r.nRisk[j+1]
	s := r.search(lo, e-1, r.pts[e].t, k0, n, nNext, nNext, float64(n-nNext-events))
	p, _ := s.solve() // always feasible: every path can censor down to nNext
	return p, trimmed, nil
}

// search sets up the refinement of points lo..hi (the last gap ending at
// end) from n at risk and K̂ k0 to nEnd (< 0: free) at risk, never fewer
// than nFloor, with about censored censorings expected.
func (r *reconstruction) search(lo, hi int, end, k0 float64, n, nEnd, nFloor int, censored float64) *intervalSearch {
	lengths, counts := make([]float64, hi-lo+1), make([]int, hi-lo+1)
	for i := range lengths {
		a, b, marks := r.gapMarks(lo, hi, i, end)
		lengths[i], counts[i] = b-a, len(marks)
	}
	return &intervalSearch{
		pts: r.pts, lo: lo, hi: hi, n0: n, k0: k0, nEnd: nEnd, nFloor: nFloor,
		priors: gapPriors(lengths, counts, censored, len(r.marks) > 0),
		sd:     r.sd,
	}
}

// gapMarks returns the bounds of the gap after point lo+i of the interval
// lo..hi (the last gap ending at end) and the censoring marks in it.
func (r *reconstruction) gapMarks(lo, hi, i int, end float64) (a, b float64, marks []float64) {
	a, b = r.pts[lo+i].t, end
	if lo+i < hi {
		b = r.pts[lo+i+1].t
	}
	return a, b, marksIn(r.marks, a, b)
}

// place returns the censoring times of a path over points lo..hi: c[i]
// in the gap after point lo+i (the last gap ending at end).
func (r *reconstruction) place(p intervalPath, lo, hi int, end float64) []float64 {
	var cens []float64
	for i, c := range p.c {
		a, b, marks := r.gapMarks(lo, hi, i, end)
		cens = append(cens, censorTimes(c, a, b, marks)...)
	}
	return cens
}

// lastPlan is the reconstruction of the last interval.
type lastPlan struct {
	path     intervalPath
	warnings []string
}

// solveLast reconstructs the interval from the last at-risk time (point
// lo) to the end of the curve, from K̂ k0 with before events earlier.
// Without a reported total of events, censoring is expected at the mean
// rate per unit time of the earlier intervals, as in Guyot et al.; with
// one, events are priced until the interval has the events left.
func (r *reconstruction) solveLast(lo int, k0 float64, before, censoredBefore, totalEvents int) (lastPlan, error) {
	j := len(r.riskTime) - 1
	hi := len(r.pts) - 1
	n, start, end := r.nRisk[j], r.riskTime[j], r.pts[hi].t
	var plan lastPlan
	nc := 0
	if j > 0 {
		nc = min(n, int(math.Round(float64(censoredBefore)/start*(end-start))))
	}
	maxEvents, target := n, -1
	if totalEvents > 0 {
		target = totalEvents - before
		// Beyond reader noise: the earlier intervals' counts are the
		// reconstruction's, which may be off by a few events per interval.
		allowed := 2 + int(0.25*float64(totalEvents))
		switch {
		case target < -allowed:
			return plan, fmt.Errorf("last interval [%v, %v]: %w: %d events are reported in total but the intervals before %v already have %d", start, end, ErrContradiction, totalEvents, start, before)
		case target > n+allowed:
			return plan, fmt.Errorf("last interval [%v, %v]: %w: %d events are reported in total, %d before %v, leaving %d for the %d at risk", start, end, ErrContradiction, totalEvents, before, start, target, n)
		case target < 0 || target > n:
			clamped := max(0, min(target, n))
			plan.warnings = append(plan.warnings, fmt.Sprintf("last interval [%v, %v]: %d events reported in total and %d reconstructed before %v leave %d for the %d at risk; using %d", start, end, totalEvents, before, start, target, n, clamped))
			target = clamped
		}
		// Guyot's iteration on the censorings for the expected count.
		seen := map[int]bool{}
		best, bestDiff := nc, math.MaxInt
		for iter := 0; iter < 1000 && !seen[nc]; iter++ {
			seen[nc] = true
			d, _, _, _ := r.walk(lo, hi, end, k0, n, nc, n)
			diff := sum(d) - target
			if abs(diff) < abs(bestDiff) {
				best, bestDiff = nc, diff
			}
			if diff == 0 {
				break
			}
			nc = max(0, min(n, nc+diff))
		}
		nc, maxEvents = best, target
	}
	_, cens, _, _ := r.walk(lo, hi, end, k0, n, nc, maxEvents)
	censored := float64(len(cens))
	if len(r.marks) > 0 {
		// With marks, the censorings inside the last interval are its
		// marks; the rest stay at risk to the end of the curve, where
		// the marks of the subjects followed to the end overlap.
		censored = float64(countIn(r.marks, r.pts[lo].t, end))
	}
	s := r.search(lo, hi, end, k0, n, -1, 0, censored)
	plan.path = s.solveEvents(target)
	if got := sum(plan.path.d); target >= 0 && got != target {
		plan.warnings = append(plan.warnings, fmt.Sprintf("last interval [%v, %v]: the curve's drops give %d events, %d %s than the %d reported in total", start, end, before+got, abs(got-target), map[bool]string{true: "more", false: "fewer"}[got > target], totalEvents))
	}
	return plan, nil
}

// run reconstructs every interval in turn. Where a step of the curve lies
// within the reader's precision in time of an at-risk time, which side of
// it the step's events fall is decided by the fit: the cut between two
// intervals may move to any point within window of the at-risk time, and
// the cut giving the cheaper pair of intervals is kept (cut).
func (r *reconstruction) run(totalEvents int) error {
	J := len(r.riskTime) - 1
	lo := 0
	for j := range J {
		c, err := r.cut(j, lo, totalEvents)
		if err != nil {
			return err
		}
		r.pts, r.lower = c.pts, c.lower
		e := c.lower[j+1]
		cens := r.place(c.path, lo, e-1, r.pts[e].t)
		r.record(c.path.d, cens, c.path.k)
		r.res.Intervals = append(r.res.Intervals, Interval{Start: r.riskTime[j], End: r.riskTime[j+1], NRisk: r.nRisk[j],
			Events: sum(c.path.d), Censored: len(cens), Trimmed: c.trimmed})
		lo = e
	}
	plan, err := r.solveLast(lo, r.km, sum(r.events), len(r.censors), totalEvents)
	if err != nil {
		return err
	}
	hi := len(r.pts) - 1
	end := r.pts[hi].t
	cens := r.place(plan.path, lo, hi, end)
	for range plan.path.left {
		cens = append(cens, end)
	}
	r.record(plan.path.d, cens, plan.path.k)
	r.res.Warnings = append(r.res.Warnings, plan.warnings...)
	r.res.Intervals = append(r.res.Intervals, Interval{Start: r.riskTime[J], End: end, NRisk: r.nRisk[J], Events: sum(plan.path.d), Censored: len(cens)})
	return nil
}

// cutChoice is interval j reconstructed with one choice of the first
// point of interval j+1 (lower[j+1]), on points that may hold a copy of
// the last point moved before the at-risk time.
type cutChoice struct {
	pts     []point
	lower   []int
	path    intervalPath
	trimmed int
}

// cut reconstructs interval j, starting at point lo, with the best cut.
// The candidates are the point at the at-risk time t_{j+1}, each earlier
// point within window of it (it and the points after it go to interval
// j+1) and each later point within window (it and the points before it go
// to interval j, and interval j+1 starts at a copy of it: the level from
// which it runs to its next at-risk time).
func (r *reconstruction) cut(j, lo, totalEvents int) (cutChoice, error) {
	e0 := r.lower[j+1]
	t := r.riskTime[j+1]
	limit := len(r.pts) - 1 // the last interval keeps its last point
	if j+2 < len(r.lower) {
		limit = r.lower[j+2]
	}
	cands := []int{e0}
	for e := e0 - 1; e > lo && r.pts[e].t >= t-r.window; e-- {
		cands = append(cands, e)
	}
	for e := e0 + 1; e <= limit && r.pts[e-1].t <= t+r.window; e++ {
		cands = append(cands, e)
	}
	if len(cands) > 1 && r.nominalStands(j, lo, totalEvents) {
		cands = cands[:1]
	}
	type tried struct {
		c          cutChoice
		cost, next float64
	}
	var all []tried
	var firstErr error
	for _, e := range cands {
		c := cutChoice{pts: r.pts, lower: r.lower}
		if e > e0 {
			c.pts = slices.Insert(slices.Clone(r.pts), e, r.pts[e-1])
			c.lower = slices.Clone(r.lower)
			for k := j + 2; k < len(c.lower); k++ {
				c.lower[k]++
			}
		}
		c.lower = slices.Clone(c.lower)
		c.lower[j+1] = e
		rc := *r
		rc.pts, rc.lower = c.pts, c.lower
		p, trimmed, err := rc.solveInterval(j, lo, e, r.km)
		if err != nil {
			if e == e0 {
				firstErr = err
			}
			continue
		}
		c.path, c.trimmed = p, trimmed
		if len(cands) == 1 {
			return c, nil
		}
		all = append(all, tried{c, p.fit + r.moveCost(e, e0, t), rc.nextCost(j+1, p, totalEvents)})
	}
	if len(all) == 0 {
		return cutChoice{}, firstErr
	}
	// The next interval's nominal end may itself need a moved cut: when
	// no choice here lets it fit, it does not count.
	useNext := slices.ContainsFunc(all, func(x tried) bool { return !math.IsInf(x.next, 1) })
	best, bestCost := all[0].c, math.Inf(1)
	for _, x := range all {
		cost := x.cost
		if useNext {
			cost += x.next
		}
		if cost < bestCost {
			best, bestCost = x.c, cost
		}
	}
	return best, nil
}

// nominalStands reports whether the cut at the at-risk time t_{j+1}
// needs no search: the reconstruction of interval j and of the next one
// with it fit the points within window of t_{j+1} so well (misfit at most
// moveBase) that no other cut could gain more than moving costs.
func (r *reconstruction) nominalStands(j, lo, totalEvents int) bool {
	e0 := r.lower[j+1]
	t := r.riskTime[j+1]
	p, trimmed, err := r.solveInterval(j, lo, e0, r.km)
	if err != nil || trimmed > 0 {
		return false
	}
	misfit := r.misfitNear(p, lo, r.nRisk[j], r.km, t)
	if j+1 < len(r.riskTime)-1 {
		q, trimmed, err := r.solveInterval(j+1, e0, r.lower[j+2], p.k)
		if err != nil || trimmed > 0 {
			return false
		}
		misfit += r.misfitNear(q, e0, r.nRisk[j+1], p.k, t)
	} else {
		plan, err := r.solveLast(e0, p.k, sum(r.events)+sum(p.d), len(r.censors)+sum(p.c), totalEvents)
		if err != nil {
			return false
		}
		misfit += r.misfitNear(plan.path, e0, r.nRisk[j+1], p.k, t)
	}
	return misfit <= moveBase
}

// misfitNear is the fit term of path p (from point lo, n at risk and K̂
// k0) over its points within window of t.
func (r *reconstruction) misfitNear(p intervalPath, lo, n int, k0, t float64) float64 {
	inv := 1 / (2 * r.sd * r.sd)
	m, km := 0.0, k0
	for i, d := range p.d {
		if d > 0 && n > 0 {
			km *= 1 - float64(d)/float64(n)
		}
		n -= d + p.c[i]
		if pt := r.pts[lo+i]; math.Abs(pt.t-t) <= r.window {
			m += (km - pt.s) * (km - pt.s) * inv
		}
	}
	return m
}

// moveCost is the cost of a cut at point e instead of e0, the first point
// at or after the at-risk time t: the reading error in time it assumes
// (the farthest point moved across t, in reader's SDs, as a normal
// negative log-likelihood) plus moveBase, so that the cut named by the
// numbers at risk stands unless the curve's steps plainly fit the other
// side better (steps at the at-risk time itself, as at a scheduled visit,
// stay where the numbers at risk put them).
func (r *reconstruction) moveCost(e, e0 int, t float64) float64 {
	if e == e0 {
		return 0
	}
	far := 0.0
	for k := min(e, e0); k < max(e, e0); k++ {
		far = math.Max(far, math.Abs(r.pts[k].t-t))
	}
	sd := r.window / 3
	return moveBase + far*far/(2*sd*sd)
}

// moveBase is the cost of moving a cut at all.
const moveBase = 3.0

// nextCost is the fit of interval j, from its first point lower[j] to its
// nominal end, after the path p of the interval before: what a cut before
// it leaves to it. It is +Inf when the cut makes interval j contradict its
// numbers at risk.
func (r *reconstruction) nextCost(j int, p intervalPath, totalEvents int) float64 {
	e := r.lower[j]
	if j < len(r.riskTime)-1 {
		q, _, err := r.solveInterval(j, e, r.lower[j+1], p.k)
		if err != nil {
			return math.Inf(1)
		}
		return q.fit
	}
	plan, err := r.solveLast(e, p.k, sum(r.events)+sum(p.d), len(r.censors)+sum(p.c), totalEvents)
	if err != nil {
		return math.Inf(1)
	}
	return plan.path.fit
}
