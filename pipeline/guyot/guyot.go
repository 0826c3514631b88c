package guyot

import (
	"errors"
	"fmt"
	"math"
	"slices"
)

// Input is one arm's published Kaplan–Meier curve.
type Input struct {
	// Time and Surv are the digitized points (t, S(t)) in any order, S as
	// a proportion. Reading the two corners of each step gives the best
	// reconstruction.
	Time, Surv []float64
	// RiskTime and NRisk are the published numbers at risk: NRisk[j]
	// subjects at risk at RiskTime[j]. RiskTime must start at 0 and
	// increase; NRisk[0] is the arm's size.
	RiskTime []float64
	NRisk    []int
	// TotalEvents is the published number of events in the arm, used to
	// fix the censoring in the last at-risk interval; 0 means not
	// reported.
	TotalEvents int
}

// Interval is the reconstruction of one at-risk interval [Start, End).
type Interval struct {
	Start, End float64
	NRisk      int // published at risk at Start
	Events     int // reconstructed events in the interval
	Censored   int // reconstructed censorings in the interval
	// Trimmed is the number of events the curve's drops implied beyond
	// what the next number at risk allows (reader noise), removed from
	// the interval's last event points.
	Trimmed int
}

// Result is a reconstructed arm.
type Result struct {
	// Time and Event are the reconstructed individual data, one row per
	// subject (len = NRisk[0]), ascending by time: Event true for an
	// event, false for a censoring. Subjects still at risk at the end of
	// the curve are censored at its last time.
	Time  []float64
	Event []bool
	// Intervals has one entry per at-risk interval used; the last runs to
	// the end of the curve.
	Intervals []Interval
	Clean     CleanReport
	// IgnoredRiskTimes counts at-risk times after the last digitized
	// point, which the curve cannot inform.
	IgnoredRiskTimes int
	// Points are the cleaned digitized points; MaxKMDiff is the largest
	// |KM(t) - S| over them, KM the reconstructed curve, taking at each
	// point the closer of KM(t) and KM(t-) so that the upper corner of a
	// step is compared with the level before the drop.
	PointTime, PointSurv []float64
	MaxKMDiff            float64
	// Warnings describe a mismatch that was tolerated, such as a
	// reported total of events that the curve cannot reproduce.
	Warnings []string
}

// ErrContradiction is wrapped by the errors for numbers at risk that
// contradict the curve.
var ErrContradiction = errors.New("numbers at risk contradict the curve")

// Reconstruct rebuilds individual time-to-event data from a digitized
// Kaplan–Meier curve and its numbers at risk by the algorithm of Guyot,
// Ades, Ouwens & Welton (2012), BMC Med Res Methodol 12:9, appendix. For
// each at-risk interval [t_j, t_{j+1}) with n_j at risk and digitized
// points T_k, S_k:
//
//  1. first guess of the censorings: c_j = round(n_j S(t_{j+1})/S(t_j) - n_{j+1});
//
//  2. spread them uniformly: censoring times t_j + m (t_{j+1}-t_j)/(c_j+1), m = 1..c_j;
//
//  3. walk the points with n̂ at risk, deriving the events from the drops
//     of the curve and the KM estimate K̂ at the last event point:
//
//     d_k = round(n̂_k (1 - S_k/K̂_last)),   K̂_k = K̂_last (1 - d_k/n̂_k),
//     n̂_{k+1} = n̂_k - d_k - (censorings in [T_k, T_{k+1}));
//
//  4. compare the n̂ reached at t_{j+1} with n_{j+1}, set c_j += n̂ - n_{j+1}
//     and repeat 2-4 until they agree.
//
// The last interval, with no next number at risk, takes its censoring
// from TotalEvents when reported (c adjusted until the events of the arm
// add up to it), else at the mean censoring rate per unit time of the
// earlier intervals, as in the paper; the subjects left at the end are
// censored at the last time.
//
// Cleaning (counted in Result.Clean): points are sorted by time, clipped
// to t >= 0 and 0 <= S <= 1, made non-increasing by isotonic regression,
// the curve starts at (0, 1), and each at-risk time gets a point.
// Differences from the paper: when noise makes the drops in an interval
// imply a few events more than n_j - n_{j+1} allows even with no
// censoring (at most 2 + 2% of n_j), the surplus is trimmed from the
// interval's last event points (Interval.Trimmed) rather than carried as
// a mismatch in n̂.
//
// R equivalent: none installable here; IPDfromKM::getIPD and the
// authors' published R code implement the same algorithm.
//
// Reconstruct returns an error, naming the interval, for numbers at risk
// that contradict the curve (ErrContradiction: more at risk later, a
// curve at 0 with subjects at risk, or a drop implying more events than
// the numbers at risk allow), and for malformed input (non-finite points,
// survival given in percent, at-risk times not starting at 0 or not
// increasing, a total of events that the earlier intervals already
// exceed). It panics if len(Time) != len(Surv) or len(RiskTime) !=
// len(NRisk).
func Reconstruct(in Input) (*Result, error) {
	if len(in.Time) != len(in.Surv) || len(in.RiskTime) != len(in.NRisk) {
		panic(fmt.Sprintf("guyot: %d times, %d survival values, %d at-risk times, %d numbers at risk", len(in.Time), len(in.Surv), len(in.RiskTime), len(in.NRisk)))
	}
	if err := checkRiskTable(in); err != nil {
		return nil, fmt.Errorf("could not reconstruct IPD: %w", err)
	}
	pts, rep, err := cleanPoints(in.Time, in.Surv)
	if err != nil {
		return nil, fmt.Errorf("could not reconstruct IPD: %w", err)
	}
	res := &Result{Clean: rep}
	riskTime, nRisk := in.RiskTime, in.NRisk
	last := pts[len(pts)-1].t
	for len(riskTime) > 1 && riskTime[len(riskTime)-1] >= last {
		riskTime, nRisk = riskTime[:len(riskTime)-1], nRisk[:len(nRisk)-1]
		res.IgnoredRiskTimes++
	}
	pts, lower := anchorRiskTimes(pts, riskTime, &res.Clean)
	r := reconstruction{pts: pts, lower: lower, riskTime: riskTime, nRisk: nRisk, km: 1, res: res}
	for j := range len(riskTime) - 1 {
		if err := r.interval(j); err != nil {
			return nil, fmt.Errorf("could not reconstruct IPD: %w", err)
		}
	}
	if err := r.lastInterval(in.TotalEvents); err != nil {
		return nil, fmt.Errorf("could not reconstruct IPD: %w", err)
	}
	r.finish()
	return res, nil
}

func checkRiskTable(in Input) error {
	if len(in.RiskTime) == 0 {
		return fmt.Errorf("no numbers at risk: give at least the arm's size at time 0")
	}
	if in.RiskTime[0] != 0 {
		return fmt.Errorf("the first at-risk time is %v: the table must start at time 0 with the arm's size", in.RiskTime[0])
	}
	if in.NRisk[0] <= 0 {
		return fmt.Errorf("%d at risk at time 0: must be > 0", in.NRisk[0])
	}
	for j := 1; j < len(in.RiskTime); j++ {
		if !(in.RiskTime[j] > in.RiskTime[j-1]) || math.IsInf(in.RiskTime[j], 0) {
			return fmt.Errorf("at-risk time %d (%v) is not after the previous one (%v): times must increase", j+1, in.RiskTime[j], in.RiskTime[j-1])
		}
		if in.NRisk[j] < 0 {
			return fmt.Errorf("at-risk interval %d [%v, %v): %d at risk at %v: must be >= 0", j, in.RiskTime[j-1], in.RiskTime[j], in.NRisk[j], in.RiskTime[j])
		}
		if in.NRisk[j] > in.NRisk[j-1] {
			return fmt.Errorf("at-risk interval %d [%v, %v): %w: %d at risk at %v but %d at %v; nobody enters a KM risk set later", j, in.RiskTime[j-1], in.RiskTime[j], ErrContradiction, in.NRisk[j-1], in.RiskTime[j-1], in.NRisk[j], in.RiskTime[j])
		}
	}
	if in.TotalEvents < 0 || in.TotalEvents > in.NRisk[0] {
		return fmt.Errorf("total events %d must be between 1 and the arm's size %d (0 means not reported)", in.TotalEvents, in.NRisk[0])
	}
	return nil
}

// reconstruction is the state carried from one interval to the next.
type reconstruction struct {
	pts      []point
	lower    []int // first point of each at-risk interval
	riskTime []float64
	nRisk    []int
	km       float64 // K̂ at the last event so far
	events   []int   // per point
	censors  []float64
	res      *Result
}

// walk is steps 2 and 3 for points lo..hi, the interval ending at end,
// with n at risk at its start, nc censorings spread over (T_lo, end) and
// at most maxEvents events. It returns the events per point, the
// censoring times used, the number at risk at end and K̂ after the last
// event.
func (r *reconstruction) walk(lo, hi int, end float64, n, nc, maxEvents int) (d []int, cens []float64, nEnd int, km float64) {
	start := r.pts[lo].t
	cens = make([]float64, 0, nc)
	for m := 1; m <= nc; m++ {
		cens = append(cens, start+float64(m)*(end-start)/float64(nc+1))
	}
	d = make([]int, hi-lo+1)
	km = r.km
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

// interval reconstructs at-risk interval j (not the last).
func (r *reconstruction) interval(j int) error {
	lo, hi := r.lower[j], r.lower[j+1]-1
	n, nNext := r.nRisk[j], r.nRisk[j+1]
	start, end := r.riskTime[j], r.riskTime[j+1]
	sStart, sEnd := r.pts[lo].s, r.pts[hi+1].s
	if sStart == 0 && n > 0 {
		return fmt.Errorf("at-risk interval %d [%v, %v): %w: the curve is at 0 but %d are at risk", j+1, start, end, ErrContradiction, n)
	}
	nc := max(0, int(math.Round(float64(n)*sEnd/sStart))-nNext)
	best, bestDiff := nc, math.MaxInt
	seen := map[int]bool{}
	for iter := 0; iter < 1000 && !seen[nc]; iter++ {
		seen[nc] = true
		_, _, got, _ := r.walk(lo, hi, end, n, nc, n)
		diff := got - nNext
		if abs(diff) < abs(bestDiff) {
			best, bestDiff = nc, diff
		}
		if diff == 0 {
			break
		}
		nc = max(0, nc+diff)
	}
	nc = best
	maxEvents := n
	trimmed := 0
	if bestDiff < 0 { // too many events even with nc censorings
		allowed := 2 + int(0.02*float64(n))
		if -bestDiff > allowed {
			d, _, _, _ := r.walk(lo, hi, end, n, 0, n)
			return fmt.Errorf("at-risk interval %d [%v, %v): %w: the curve falls from %.4g to %.4g, which means %d events among the %d at risk, "+
				"but %d are at risk at %v, %d more than %d - %d with no censoring at all; check the numbers at risk and the digitized points of this interval",
				j+1, start, end, ErrContradiction, sStart, sEnd, sum(d), n, nNext, end, -bestDiff, n, sum(d))
		}
		trimmed = -bestDiff
		d, _, _, _ := r.walk(lo, hi, end, n, nc, n)
		maxEvents = sum(d) - trimmed
	}
	d, cens, got, km := r.walk(lo, hi, end, n, nc, maxEvents)
	for extra := got - nNext; extra > 0; extra-- { // nc oscillated: censor the excess at the end
		cens = append(cens, r.pts[hi].t)
	}
	r.record(d, cens, km)
	r.res.Intervals = append(r.res.Intervals, Interval{Start: start, End: end, NRisk: n, Events: sum(d), Censored: len(cens), Trimmed: trimmed})
	return nil
}

// lastInterval reconstructs the interval from the last at-risk time to
// the end of the curve.
func (r *reconstruction) lastInterval(totalEvents int) error {
	j := len(r.riskTime) - 1
	lo, hi := r.lower[j], len(r.pts)-1
	n, start, end := r.nRisk[j], r.riskTime[j], r.pts[hi].t
	before := sum(r.events)
	nc := 0
	if j > 0 {
		censored := len(r.censors)
		nc = min(n, int(math.Round(float64(censored)/start*(end-start))))
	}
	maxEvents := n
	if totalEvents > 0 {
		target := totalEvents - before
		allowed := 2 + int(0.02*float64(totalEvents))
		switch {
		case target < -allowed:
			return fmt.Errorf("last interval [%v, %v]: %w: %d events are reported in total but the intervals before %v already have %d", start, end, ErrContradiction, totalEvents, start, before)
		case target > n+allowed:
			return fmt.Errorf("last interval [%v, %v]: %w: %d events are reported in total, %d before %v, leaving %d for the %d at risk", start, end, ErrContradiction, totalEvents, before, start, target, n)
		case target < 0 || target > n:
			clamped := max(0, min(target, n))
			r.res.Warnings = append(r.res.Warnings, fmt.Sprintf("last interval [%v, %v]: %d events reported in total and %d reconstructed before %v leave %d for the %d at risk; using %d", start, end, totalEvents, before, start, target, n, clamped))
			target = clamped
		}
		seen := map[int]bool{}
		best, bestDiff := nc, math.MaxInt
		for iter := 0; iter < 1000 && !seen[nc]; iter++ {
			seen[nc] = true
			d, _, _, _ := r.walk(lo, hi, end, n, nc, n)
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
		if bestDiff < 0 {
			r.res.Warnings = append(r.res.Warnings, fmt.Sprintf("last interval [%v, %v]: the curve's drops give %d events, %d fewer than the %d reported in total", start, end, before+target+bestDiff, -bestDiff, totalEvents))
		}
	}
	d, cens, left, km := r.walk(lo, hi, end, n, nc, maxEvents)
	for range left {
		cens = append(cens, end)
	}
	r.record(d, cens, km)
	r.res.Intervals = append(r.res.Intervals, Interval{Start: start, End: end, NRisk: n, Events: sum(d), Censored: len(cens)})
	return nil
}

func (r *reconstruction) record(d []int, cens []float64, km float64) {
	r.events = append(r.events, d...)
	r.censors = append(r.censors, cens...)
	r.km = km
}

// finish builds the individual rows and the accuracy against the points.
func (r *reconstruction) finish() {
	res := r.res
	for k, e := range r.events {
		for range e {
			res.Time = append(res.Time, r.pts[k].t)
			res.Event = append(res.Event, true)
		}
	}
	for _, c := range r.censors {
		res.Time = append(res.Time, c)
		res.Event = append(res.Event, false)
	}
	idx := make([]int, len(res.Time))
	for i := range idx {
		idx[i] = i
	}
	slices.SortStableFunc(idx, func(a, b int) int {
		if res.Time[a] != res.Time[b] {
			if res.Time[a] < res.Time[b] {
				return -1
			}
			return 1
		}
		if res.Event[a] == res.Event[b] {
			return 0
		}
		if res.Event[a] {
			return -1
		}
		return 1
	})
	t, e := make([]float64, len(idx)), make([]bool, len(idx))
	for i, j := range idx {
		t[i], e[i] = res.Time[j], res.Event[j]
	}
	res.Time, res.Event = t, e
	res.PointTime = make([]float64, len(r.pts))
	res.PointSurv = make([]float64, len(r.pts))
	for k, p := range r.pts {
		res.PointTime[k], res.PointSurv[k] = p.t, p.s
	}
	res.MaxKMDiff = maxKMDiff(res.Time, res.Event, res.PointTime, res.PointSurv)
}

func sum(d []int) int {
	s := 0
	for _, x := range d {
		s += x
	}
	return s
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}
