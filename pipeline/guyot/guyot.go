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
	// a proportion. Read the two corners of every visible step and the end
	// of the curve, as Guyot et al. instruct: the reconstruction puts
	// events only at the points read.
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
	// CensorTime holds the times of the censoring marks (ticks on the
	// curve) read from the figure, in any order; nil when the figure has
	// none or they were not read. Marks too close to tell apart are read
	// once: the numbers at risk say how many censorings each interval has,
	// and those beyond the marks are put at the marks. In small arms the
	// marks are what places the censorings between the other arm's events,
	// on which the hazard ratio depends (see the package documentation).
	CensorTime []float64
	// SurvSD is the reader's precision in survival, the standard deviation
	// of a digitized S about the drawn curve (about one pixel of the
	// plot's height); 0 means DefaultSurvSD. TimeSD is the same in time;
	// 0 means DefaultTimeSD times the curve's last time.
	SurvSD, TimeSD float64
}

// DefaultSurvSD is the reader's precision assumed when Input.SurvSD is 0:
// 0.003, about 1.5 pixels on a survival axis 500 pixels high.
const DefaultSurvSD = 0.003

// DefaultTimeSD is the reader's precision in time assumed when
// Input.TimeSD is 0, as a fraction of the curve's last time: 0.002, about
// 1.5 pixels on a time axis 800 pixels wide.
const DefaultTimeSD = 0.002

// Interval is the reconstruction of one at-risk interval [Start, End).
type Interval struct {
	Start, End float64
	NRisk      int // published at risk at Start
	Events     int // reconstructed events in the interval
	Censored   int // reconstructed censorings in the interval
	// Trimmed is the number of events the curve's drops implied beyond
	// what the next number at risk allows even with no censoring (reader
	// noise), which the interval does not have.
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
// Kaplan–Meier curve and its numbers at risk, in two passes per at-risk
// interval [t_j, t_{j+1}) with n_j at risk and digitized points T_k, S_k.
//
// First pass, the algorithm of Guyot, Ades, Ouwens & Welton (2012), BMC
// Med Res Methodol 12:9, appendix:
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
// Second pass: the c_j censorings are not taken to be uniform but placed
// gap by gap, with the events, where they make the reconstructed curve
// closest to the digitized points. Each drop of a KM curve is a ratio
// (n - d)/n, so where steps are large (few at risk) the curve itself says
// how many were at risk at each step, as Liu, Rich & Hanley (2014, Syst
// Rev 3:151) point out; Guyot's uniform censoring ignores it. The search
// minimizes over the numbers at risk n_k before each point, with n_j and
// n_{j+1} fixed,
//
//	sum_k (K_k - S_k)^2 / (2 SurvSD^2) - log prior(censorings in each gap),
//	K_k = K_{k-1} (1 - d_k/n_k),   d_k one of the two integers nearest n_k (1 - S_k/K_{k-1}),
//
// by a Viterbi recursion over n_k, the prior being Poisson with c_j spread
// over the gaps by length (Guyot's assumption, where the curve is
// uninformative), or, when censoring marks were read (CensorTime), one
// censoring per mark and the rest at the marks (marks closer than the
// figure resolves hide further censorings). Censorings are placed at the
// marks, else evenly within their gap. A step read within 3 TimeSD of an
// at-risk time may belong to either side of it (the reader's error in
// time): the cut between the intervals moves to the side where the two
// intervals fit markedly better (moveCost).
//
// The last interval, with no next number at risk, takes its censoring
// from TotalEvents when reported (events priced until the interval has
// those left, unless a plain drop of the curve says otherwise), else at
// the mean censoring rate per unit time of the earlier intervals, as in
// the paper, or, with marks, at its marks; the subjects left at the end
// are censored at the last time.
//
// Cleaning (counted in Result.Clean): points are clipped to t >= 0 and
// 0 <= S <= 1, ordered along the curve (t/t_end + 1 - S, which increases
// along a falling staircase), made non-decreasing in time and
// non-increasing in survival by isotonic regression, the curve starts at
// (0, 1), and each at-risk time gets a point. When noise makes the drops
// in an interval imply a few events more than n_j - n_{j+1} allows even
// with no censoring (at most 2 + 2% of n_j), the surplus is dropped
// (Interval.Trimmed) rather than carried as a mismatch in n̂.
//
// The round trip of TestRoundTrip (simulated trials of the bundled sizes,
// read from a raster figure by a simulated reader) is in the package
// documentation. R equivalent: none installable here; IPDfromKM::getIPD
// and the authors' published R code implement the first pass.
//
// Reconstruct returns an error, naming the interval, for numbers at risk
// that contradict the curve (ErrContradiction: more at risk later, a
// curve at 0 with subjects at risk, or a drop implying more events than
// the numbers at risk allow), and for malformed input (non-finite points
// or marks, survival given in percent, at-risk times not starting at 0 or
// not increasing, a total of events far from what the curve and the
// numbers at risk give, a non-positive SurvSD or TimeSD). It panics if
// len(Time) != len(Surv) or len(RiskTime) != len(NRisk).
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
	marks, err := cleanMarks(in.CensorTime, last, &res.Clean)
	if err != nil {
		return nil, fmt.Errorf("could not reconstruct IPD: %w", err)
	}
	sd := in.SurvSD
	if sd == 0 {
		sd = DefaultSurvSD
	}
	if !(sd > 0) || math.IsInf(sd, 0) {
		return nil, fmt.Errorf("could not reconstruct IPD: reader's precision SurvSD %v must be a positive number", in.SurvSD)
	}
	timeSD := in.TimeSD
	if timeSD == 0 {
		timeSD = DefaultTimeSD * last
	}
	if !(timeSD > 0) || math.IsInf(timeSD, 0) {
		return nil, fmt.Errorf("could not reconstruct IPD: reader's precision TimeSD %v must be a positive number", in.TimeSD)
	}
	r := reconstruction{pts: pts, lower: lower, riskTime: riskTime, nRisk: nRisk, km: 1, res: res, marks: marks, sd: sd, window: 3 * timeSD}
	if err := r.run(in.TotalEvents); err != nil {
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
