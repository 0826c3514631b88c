package icens

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"sort"

	"github.com/ketcurves/ketcurves/pipeline/order"
	"github.com/ketcurves/ketcurves/pipeline/survtime"
)

// Status says how an estimate ended.
type Status int

const (
	// Converged: the self-consistency (EM) iteration met the stopping rule
	// of Options.Tol.
	Converged Status = iota
	// NotConverged: Options.MaxIter EM steps were taken without meeting
	// the stopping rule. Mass, Surv and every statistic derived from them
	// are the last iterate, with Gap bounding how far its log-likelihood
	// can be from the maximum.
	NotConverged
	// NoEvents: every observation is right-censored (upper bound +Inf).
	// The NPMLE is S = 1 up to the largest lower bound and all mass lies in
	// the single Turnbull interval (max lower, +Inf): nothing is known
	// about the event-time distribution. Quantiles are not reached and a
	// test is not possible.
	NoEvents
)

func (s Status) String() string {
	switch s {
	case Converged:
		return "converged"
	case NotConverged:
		return "not_converged"
	case NoEvents:
		return "no_events"
	}
	return fmt.Sprintf("Status(%d)", int(s))
}

// Options configures Turnbull and WeightedLogrank. The zero value gives the
// defaults.
type Options struct {
	// Tol is the stopping tolerance, 0 meaning 1e-10; otherwise it must be
	// in (0, 0.1). The iteration stops at the first iterate p with
	//
	//	Gap  = max_j d_j/N - 1         <= Tol   (Kuhn–Tucker / duality gap)
	//	Step = max_j p_j |d_j/N - 1|   <= Tol   (size of the next EM step)
	//
	// where d_j is the derivative of the log-likelihood in Mass_j (see
	// Turnbull). Gap bounds the log-likelihood deficit per observation:
	// (loglik(p̂) - loglik(p))/N <= Gap.
	Tol float64
	// MaxIter is the largest number of EM evaluations, 0 meaning 100000;
	// it must not be negative.
	MaxIter int
}

func (o Options) withDefaults() Options {
	if o.Tol == 0 {
		o.Tol = 1e-10
	}
	if !(o.Tol > 0 && o.Tol < 0.1) {
		panic(fmt.Sprintf("icens: Options.Tol = %v: must be 0 (default) or in (0, 0.1)", o.Tol))
	}
	if o.MaxIter < 0 {
		panic(fmt.Sprintf("icens: Options.MaxIter = %d: must be >= 0", o.MaxIter))
	}
	if o.MaxIter == 0 {
		o.MaxIter = 100000
	}
	return o
}

// Counts classifies the observations of an NPMLE.
type Counts struct {
	Exact    int // lower == upper
	Left     int // lower == 0 < upper < +Inf: event before upper
	Interval int // 0 < lower < upper < +Inf
	Right    int // upper == +Inf: event after lower (right-censored)
}

// NPMLE is the Turnbull nonparametric maximum likelihood estimate of an
// event-time distribution from interval-censored data. The slices have one
// entry per Turnbull (innermost) interval, ascending: interval j is the
// point [Lower[j], Lower[j]] when Lower[j] == Upper[j], and (Lower[j],
// Upper[j]] otherwise; the last Upper may be +Inf. The NPMLE says how much
// probability lies in each interval, not where inside it: S is determined
// at the interval ends and between intervals, and only bounded inside them.
type NPMLE struct {
	N      int // observations
	Counts Counts

	Lower, Upper []float64
	// Mass is the estimated probability of each Turnbull interval; it sums
	// to 1. An interval may carry no mass (Mass near 0, below about Tol):
	// it is a candidate the likelihood does not use.
	Mass []float64
	// Surv is S after interval j: S(Upper[j]) = 1 - sum_{k<=j} Mass[k],
	// computed as sum_{k>j} Mass[k]. S equals Surv[j] on [Upper[j],
	// Lower[j+1]] and 1 before Lower[0] (at Lower[0] too, unless interval
	// 0 is a point).
	Surv []float64

	LogLik     float64 // sum_i log P_i at Mass (see Turnbull)
	Gap        float64 // max_j d_j/N - 1 at Mass: the stopping criterion
	Iterations int     // EM evaluations
	Status     Status

	// first and last are, per observation, the range of Turnbull intervals
	// its (lower, upper] contains; used by the tests.
	first, last []int32
}

// Turnbull computes the NPMLE of the distribution of an event time T from
// interval-censored observations lower[i] < T <= upper[i]: lower[i] == 0
// is left-censored, upper[i] == +Inf right-censored and lower[i] ==
// upper[i] an exact time.
//
// The NPMLE puts all its mass on the Turnbull (innermost) intervals: order
// the left ends and right ends of all observations together, an exact time
// t giving a closed left end [t and a right end t], and at equal times put
// [ before ] before ( (so (10, 20] and (20, 40] do not overlap, and an exact
// time 20 lies in (10, 20]); every left end immediately followed by a right
// end makes one interval, (q, p] or the point [t, t] (Turnbull 1976; Peto
// 1973). With α_ij = 1 when observation i contains interval j, p_j its
// mass and N observations, the log-likelihood and its derivatives are
//
//	loglik(p) = sum_i log P_i,        P_i = sum_j α_ij p_j
//	d_j(p)    = sum_i α_ij / P_i       (d loglik / d p_j)
//
// and p maximises loglik on the simplex if and only if d_j <= N for all j,
// with equality where p_j > 0 (Kuhn–Tucker; Gentleman & Geyer 1994). The
// self-consistency (EM) step of Turnbull (1976) is p_j <- p_j d_j / N. It
// is accelerated by SQUAREM (Varadhan & Roland 2008, scheme S3: the step
// length α = -‖r‖/‖v‖ from two EM steps, halved towards a plain EM step
// until the extrapolated masses are positive and the log-likelihood does
// not fall below that of the first EM step). The iteration stops when Gap
// and Step of Options.Tol are both below Tol; EM is started, as R, from
// masses proportional to the number of observations containing each
// interval.
//
// Each observation contains a contiguous run of intervals, so P_i and d_j
// come from prefix sums, and observations with the same run are counted
// once: an EM step costs O(K + m) for K distinct runs and m intervals
// (K <= N, and K <= m(m+1)/2 — a few hundred distinct visit times give at
// most some 10^4 runs, however many subjects), after an O(N log N) sort.
//
// Times within sqrt(machine epsilon), absolutely or relative to the mean
// absolute distinct time, are made equal over lower and upper together, as
// R's survfit does (survival:::aeqSurv, timefix = TRUE); an interval whose
// ends become equal is an error, as in R. (R's aeqSurv also sees the
// placeholder value 1 that Surv stores as the upper end of exact and
// right-censored rows; this matters only for times within 1.5e-8 of 1.)
//
// Special cases: with only exact and right-censored data the NPMLE is the
// Kaplan–Meier estimate; with no finite upper bound the Status is
// NoEvents; the masses are unique whenever the log-likelihood is strictly
// concave in them, which holds for data from visit schedules but not
// always (Gentleman & Geyer 1994): S is then unique where determined.
//
// R equivalent: survfit(Surv(lower, upper, type = "interval2") ~ 1), which
// computes the same self-consistent estimate (survival:::survfitTurnbull),
// reported at a representative time per interval (the midpoint of (q, p],
// or t for [t, t]); R stops when S changes by less than 5e-5 between EM
// steps, so its numbers agree with these to about 1e-4, and to 1e-9 when
// its tolerance is tightened (see testdata/make_reference.R). R's
// interval::icfit and SAS's PROC ICLIFETEST (METHOD=EMICM) give the same
// intervals and masses. Reference: Turnbull (1976) JRSS B 38:290–295.
//
// It returns an error for empty input or an observation with a NaN end, a
// negative or infinite lower end, or lower > upper. It panics if the lengths
// of lower and upper differ or opt is invalid.
func Turnbull(lower, upper []float64, opt Options) (*NPMLE, error) {
	if len(lower) != len(upper) {
		panic(fmt.Sprintf("icens: len(lower) = %d != len(upper) = %d", len(lower), len(upper)))
	}
	opt = opt.withDefaults()
	pr, err := newProblem(lower, upper)
	if err != nil {
		return nil, fmt.Errorf("could not compute the Turnbull NPMLE: %w", err)
	}
	return pr.fit(opt), nil
}

// problem is a prepared NPMLE computation: the Turnbull intervals and the
// distinct runs of them the observations contain.
type problem struct {
	n            int
	counts       Counts
	lower, upper []float64 // Turnbull intervals
	first, last  []int32   // per observation
	// runs: distinct (runFirst, runLast) with their multiplicity
	runFirst, runLast []int32
	runWeight         []float64
}

// newProblem validates the data, ties near-equal times and builds the
// Turnbull intervals and runs.
func newProblem(lower, upper []float64) (*problem, error) {
	n := len(lower)
	if n == 0 {
		return nil, errors.New("no observations")
	}
	lo, hi, err := fixedTimes(lower, upper)
	if err != nil {
		return nil, err
	}
	pr := &problem{n: n}
	for i := range lo {
		switch {
		case lo[i] == hi[i]:
			pr.counts.Exact++
		case math.IsInf(hi[i], 1):
			pr.counts.Right++
		case lo[i] == 0:
			pr.counts.Left++
		default:
			pr.counts.Interval++
		}
	}
	pr.lower, pr.upper = innermost(lo, hi)
	pr.first, pr.last = pr.locate(lo, hi)
	pr.groupRuns()
	return pr, nil
}

// fixedTimes checks each observation and returns copies of lower and upper
// with near-equal finite times tied as R's aeqSurv does.
func fixedTimes(lower, upper []float64) (lo, hi []float64, err error) {
	for i := range lower {
		l, u := lower[i], upper[i]
		switch {
		case math.IsNaN(l) || math.IsNaN(u):
			return nil, nil, fmt.Errorf("observation %d: interval (%v, %v] has a NaN end: give 0 for an unknown lower end (left-censored) and +Inf for an unknown upper end (right-censored)", i, l, u)
		case l < 0 || math.IsInf(l, 0):
			return nil, nil, fmt.Errorf("observation %d: lower end %v: must be finite and >= 0", i, l)
		case l > u:
			return nil, nil, fmt.Errorf("observation %d: interval (%v, %v] has lower > upper: swap the ends or check the data", i, l, u)
		}
	}
	n := len(lower)
	vals := make([]float64, 0, 2*n)
	vals = append(vals, lower...)
	for _, u := range upper {
		if !math.IsInf(u, 1) {
			vals = append(vals, u)
		}
	}
	if !survtime.Fix(vals) {
		return slices.Clone(lower), slices.Clone(upper), nil
	}
	lo = vals[:n:n]
	hi = make([]float64, n)
	k := n
	for i, u := range upper {
		if math.IsInf(u, 1) {
			hi[i] = u
			continue
		}
		hi[i] = vals[k]
		k++
		if hi[i] == lo[i] && upper[i] != lower[i] {
			return nil, nil, fmt.Errorf("observation %d: interval (%v, %v] has ends closer than R's time tolerance (sqrt of machine epsilon): make it an exact time or widen it", i, lower[i], upper[i])
		}
	}
	return lo, hi, nil
}

// Kinds of interval end, in their order at equal times.
const (
	closedLeft = 0 // [t of an exact time
	right      = 1 // t]
	openLeft   = 2 // (t
)

// innermost returns the Turnbull intervals of the observations (lo, hi].
func innermost(lo, hi []float64) (lower, upper []float64) {
	var exact, open, rights []float64
	hasInf := false
	for i := range lo {
		switch {
		case lo[i] == hi[i]:
			exact = append(exact, lo[i])
			rights = append(rights, lo[i])
		case math.IsInf(hi[i], 1):
			open = append(open, lo[i])
			hasInf = true
		default:
			open = append(open, lo[i])
			rights = append(rights, hi[i])
		}
	}
	exact, open, rights = sortedUnique(exact), sortedUnique(open), sortedUnique(rights)
	if hasInf {
		rights = append(rights, math.Inf(1))
	}
	// Merge the three sorted lists in (time, kind) order; a left end
	// followed immediately by a right end is an interval.
	var ie, io, ir int
	prevLeft, prevTime := false, 0.0
	for ir < len(rights) {
		kind, t := right, rights[ir]
		if ie < len(exact) && exact[ie] <= t && (io == len(open) || exact[ie] <= open[io]) {
			kind, t = closedLeft, exact[ie]
		} else if io < len(open) && open[io] < t {
			kind, t = openLeft, open[io]
		}
		switch kind {
		case closedLeft:
			ie++
		case openLeft:
			io++
		case right:
			ir++
			if prevLeft {
				lower = append(lower, prevTime)
				upper = append(upper, t)
			}
		}
		prevLeft, prevTime = kind != right, t
	}
	return lower, upper
}

// sortedUnique sorts x and removes repeated values.
func sortedUnique(x []float64) []float64 {
	order.Float64s(x)
	return slices.Compact(x)
}

// locate returns, per observation, the first and last Turnbull interval it
// contains. Observation (l, u] contains interval j when its left end comes
// at or before the interval's in (time, kind) order and u >= upper[j].
func (pr *problem) locate(lo, hi []float64) (first, last []int32) {
	m := len(pr.lower)
	first = make([]int32, len(lo))
	last = make([]int32, len(lo))
	for i := range lo {
		exact := lo[i] == hi[i]
		a := sort.Search(m, func(j int) bool {
			q := pr.lower[j]
			if q != lo[i] {
				return q > lo[i]
			}
			// Equal times: a point [q, q] is inside an exact [l, l] but
			// not inside (l, u]; an interval (q, p] is inside (l, u].
			return exact || pr.upper[j] != q
		})
		b, found := slices.BinarySearch(pr.upper, hi[i])
		if !found {
			b--
		}
		if a >= m || b < a {
			panic(fmt.Sprintf("icens: observation %d (%v, %v] contains no Turnbull interval", i, lo[i], hi[i]))
		}
		first[i], last[i] = int32(a), int32(b)
	}
	return first, last
}

// groupRuns counts the observations with the same run of intervals.
func (pr *problem) groupRuns() {
	keys := make([]uint64, len(pr.first))
	for i := range keys {
		keys[i] = uint64(pr.first[i])<<32 | uint64(pr.last[i])
	}
	order.Uint64s(keys)
	for i := 0; i < len(keys); {
		j := i
		for j < len(keys) && keys[j] == keys[i] {
			j++
		}
		pr.runFirst = append(pr.runFirst, int32(keys[i]>>32))
		pr.runLast = append(pr.runLast, int32(keys[i]&math.MaxUint32))
		pr.runWeight = append(pr.runWeight, float64(j-i))
		i = j
	}
}
