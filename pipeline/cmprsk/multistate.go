package cmprsk

import (
	"errors"
	"fmt"
	"math"
	"slices"

	"github.com/ketcurves/ketcurves/pipeline/order"
	"github.com/ketcurves/ketcurves/pipeline/survtime"
)

// Censored is the To state of a row that ends without a transition: the
// subject is still in its From state at Stop (follow-up ends there, or goes
// on in the subject's next row).
const Censored = -1

// MultiStateData is multi-state data in counting-process form, one row per
// interval of one subject in one state, as R's Surv(tstart, tstop, state)
// with id: row i says subject ID[i] was in state From[i] on (Start[i],
// Stop[i]] and then moved to state To[i] (or To[i] == Censored).
//
// A subject's rows must join up: each row starts where the previous one
// stopped, in the state the previous one ended in (no gaps, overlaps or
// jumps, R's survcheck flags, which make survfit stop).
type MultiStateData struct {
	// States names the states; From and To index into it. R's survfit puts
	// the initial state first (for competing risks, "(s0)").
	States []string
	// ID is the subject of each row; nil means each row is its own subject.
	ID []int
	// Start is nil (every row is at risk from before the first time: R's
	// Surv(time, status)) or the start of each row's interval.
	Start []float64
	Stop  []float64
	From  []int
	To    []int // a state index other than From[i], or Censored
}

// MultiStateOptions configures AalenJohansen.
type MultiStateOptions struct {
	ConfType  ConfType // "" means Log, R's default
	ConfLevel float64  // 0 means 0.95; must be in (0, 1) otherwise
	// Tau lists truncation times for restricted mean time in state
	// (StateCurve.RMean); each must be >= 0.
	Tau []float64
}

// StateCurve is an Aalen–Johansen estimate of state occupation
// probabilities. Per-state slices are indexed [state][time]; the times are
// the distinct Stop times (events and censorings), ascending, as R's
// survfit object.
type StateCurve struct {
	States    []string
	N         int       // subjects
	Rows      int       // rows (intervals)
	ConfType  ConfType  // the CI type actually used
	ConfLevel float64   // the CI level actually used
	P0        []float64 // occupation probabilities before the first transition (R's p0)

	Time    []float64
	NRisk   [][]int // rows at risk in each state just before Time
	NEvent  [][]int // transitions into each state at Time
	NCensor []int   // rows censored at Time (a row that goes on in the subject's next row is not)
	// PState is the probability of being in each state at Time,
	// right-continuous (R's pstate).
	PState [][]float64
	// StdErr is the infinitesimal-jackknife standard error of PState (R's
	// std.err for multi-state survfit, which has only this "robust"
	// variance).
	StdErr       [][]float64
	Lower, Upper [][]float64 // pointwise limits, NaN where R gives NA
	// RMean has one entry per MultiStateOptions.Tau.
	RMean []RestrictedMean
}

// RestrictedMean is the expected time spent in each state up to Tau.
type RestrictedMean struct {
	Tau float64
	// Mean[j] = ∫_0^Tau p_j(t) dt, R's rmean from print(fit, rmean = Tau).
	Mean []float64
	// SE is the infinitesimal-jackknife standard error of Mean, R's
	// se(rmean) from survfit(..., influence = TRUE).
	SE []float64
}

// AalenJohansen estimates the probabilities of being in each state of a
// multi-state model with arbitrary transitions, from right-censored and
// left-truncated counting-process data.
//
// At each distinct Stop time t with transitions, with n_j(t) rows at risk in
// state j and d_jk(t) transitions from j to k, the Aalen–Johansen estimator
// multiplies the row vector of occupation probabilities by a stochastic
// matrix:
//
//	H(t)_jk = d_jk/n_j (k ≠ j),  H(t)_jj = 1 - Σ_k d_jk/n_j,   p(t) = p(t-) H(t)
//
// starting from p0, the distribution of the From states of the rows at risk
// at the first transition time. With one transient state this is the
// Kaplan–Meier estimate of staying in it and the Aalen–Johansen cumulative
// incidence of each exit (see CumulativeIncidence); for
// not-responding → responding → relapsed it is the probability of being in
// response (Temkin 1978).
//
// The standard error is the infinitesimal jackknife of R survival 3.5's
// survfitCI (src/survfitci.c): each subject's influence U_i (a row vector
// over states) evolves as
//
//	U_i(t) = U_i(t-) H(t) + (p_j(t-)/n_j(t)) (e_k - H(t)_j·)    subject at risk in j, moving to k (k = j if not)
//	U_i(t) = U_i(t-) H(t)                                      otherwise
//
// with U_i = 0 before the first transition, and Var p_k(t) = Σ_i U_ik(t)².
// survfit's loop over all subjects at each time is O(n²); here the subjects
// at risk in a state share one affine map of their influence, and only the
// sums Σ_i U_i over each state's risk set and the K×K matrix Σ_i U_iᵀU_i
// are carried from time to time, with a subject's own U_i worked out when it
// leaves. The cost is O(n log n + m K³) for n rows, m times and K states.
//
// Restricted mean time in state j up to τ is ∫_0^τ p_j(t) dt, and its
// standard error sqrt(Σ_i (∫_0^τ U_ij(t) dt)²), as R's print(fit, rmean =
// τ) on a fit with influence = TRUE. R's influence = TRUE also adds the
// variability of p0 to the influence when the subjects start in different
// states; this function (as R's default std.err) does not.
//
// Times closer than R's all.equal tolerance are tied as in R's
// survival:::aeqSurv (Start and Stop jointly).
//
// R equivalent: survfit(Surv(tstart, tstop, state) ~ 1, id = id, istate =
// istate, conf.type = "log"), with summary(fit)$pstate, $std.err;
// print(fit, rmean = tau). SAS has no Aalen–Johansen estimator for general
// multi-state models (PROC LIFETEST's CIF for competing risks only).
//
// Reference: Aalen & Johansen (1978) Scand J Statist 5:141–150; Temkin
// (1978) Biometrics 34:571–580; Therneau, Crowson & Atkinson, "Multi-state
// models and competing risks" (survival vignette).
//
// It returns an error for empty data, a non-finite time, a Start not before
// its Stop, a state index out of range, To equal to From, or rows of one
// subject that overlap, leave a gap or change state between rows. It panics
// if the slices have different lengths, if len(States) == 0, or on an
// invalid ConfType or ConfLevel.
func AalenJohansen(d MultiStateData, opt MultiStateOptions) (*StateCurve, error) {
	d.checkLengths()
	ct, level := confDefaults(opt.ConfType, opt.ConfLevel)
	rows, err := prepareRows(d)
	if err != nil {
		return nil, fmt.Errorf("could not estimate Aalen-Johansen curves: %w", err)
	}
	for _, tau := range opt.Tau {
		if !(tau >= 0) || math.IsInf(tau, 0) {
			return nil, fmt.Errorf("could not estimate Aalen-Johansen curves: restricted mean time %v: it must be finite and >= 0", tau)
		}
	}
	e := newEngine(rows.sortedByStop(), len(d.States), len(opt.Tau) > 0)
	c := e.run()
	c.States = slices.Clone(d.States)
	c.ConfType, c.ConfLevel = ct, level
	c.setLimits(zQuantile(level))
	for _, tau := range opt.Tau {
		c.RMean = append(c.RMean, e.restrictedMean(c, tau))
	}
	return c, nil
}

func (d MultiStateData) checkLengths() {
	n := len(d.Stop)
	if len(d.States) == 0 {
		panic("cmprsk: no states")
	}
	if len(d.From) != n || len(d.To) != n {
		panic(fmt.Sprintf("cmprsk: len(Stop) = %d, len(From) = %d, len(To) = %d differ", n, len(d.From), len(d.To)))
	}
	if d.Start != nil && len(d.Start) != n {
		panic(fmt.Sprintf("cmprsk: len(Start) = %d != len(Stop) = %d", len(d.Start), n))
	}
	if d.ID != nil && len(d.ID) != n {
		panic(fmt.Sprintf("cmprsk: len(ID) = %d != len(Stop) = %d", len(d.ID), n))
	}
}

// msRows is validated multi-state data: times tied as aeqSurv, subjects
// numbered 0, …, nSubj-1, and for each row whether the subject goes on in
// a next row starting at its Stop.
type msRows struct {
	start, stop []float64 // start is nil without entry times
	subj        []int
	from, to    []int
	continues   []bool
	nSubj       int
}

func prepareRows(d MultiStateData) (*msRows, error) {
	n := len(d.Stop)
	if n == 0 {
		return nil, errors.New("no rows")
	}
	k := len(d.States)
	r := &msRows{stop: slices.Clone(d.Stop), from: d.From, to: d.To, continues: make([]bool, n)}
	for i := range n {
		if t := d.Stop[i]; math.IsNaN(t) || math.IsInf(t, 0) {
			return nil, fmt.Errorf("row %d: stop time %v: times must be finite", i, t)
		}
		if d.Start != nil && (math.IsNaN(d.Start[i]) || math.IsInf(d.Start[i], 0)) {
			return nil, fmt.Errorf("row %d: start time %v: times must be finite", i, d.Start[i])
		}
		if d.From[i] < 0 || d.From[i] >= k {
			return nil, fmt.Errorf("row %d: from state %d: it must be a state index in [0, %d)", i, d.From[i], k)
		}
		if to := d.To[i]; to != Censored && (to < 0 || to >= k) {
			return nil, fmt.Errorf("row %d: to state %d: it must be a state index in [0, %d) or Censored (-1)", i, to, k)
		}
		if d.To[i] == d.From[i] {
			return nil, fmt.Errorf("row %d: to state %d equals the from state: use Censored (-1) for a row that ends without a transition", i, d.To[i])
		}
	}
	if d.Start != nil {
		r.start = slices.Clone(d.Start)
		for i := range n {
			if !(r.start[i] < r.stop[i]) {
				return nil, fmt.Errorf("row %d: start time %v is not before stop time %v", i, d.Start[i], d.Stop[i])
			}
		}
		survtime.Fix(r.start, r.stop)
		for i := range n {
			if !(r.start[i] < r.stop[i]) {
				return nil, fmt.Errorf("row %d: start time %v and stop time %v are equal within R's tolerance (survival:::aeqSurv)", i, d.Start[i], d.Stop[i])
			}
		}
	} else {
		survtime.Fix(r.stop)
	}
	r.subj, r.nSubj = denseIDs(d.ID, n)
	return r, r.checkSubjects()
}

// denseIDs numbers the distinct ids 0, 1, … in order of first appearance.
func denseIDs(id []int, n int) ([]int, int) {
	subj := make([]int, n)
	if id == nil {
		for i := range subj {
			subj[i] = i
		}
		return subj, n
	}
	seen := make(map[int]int)
	for i, v := range id {
		s, ok := seen[v]
		if !ok {
			s = len(seen)
			seen[v] = s
		}
		subj[i] = s
	}
	return subj, len(seen)
}

// checkSubjects checks that each subject's rows join up and marks the rows
// that go on in a next row.
func (r *msRows) checkSubjects() error {
	n := len(r.stop)
	if r.start == nil {
		if r.nSubj != n {
			return errors.New("a subject has several rows: give Start times (counting-process data)")
		}
		return nil
	}
	p := order.ByStratumTime(r.start, r.subj)
	for k := 1; k < n; k++ {
		a, b := p[k-1], p[k]
		if r.subj[a] != r.subj[b] {
			continue
		}
		if r.start[b] < r.stop[a] {
			return fmt.Errorf("rows %d and %d of one subject overlap: (%v, %v] and (%v, %v]", a, b, r.start[a], r.stop[a], r.start[b], r.stop[b])
		}
		if r.start[b] > r.stop[a] {
			return fmt.Errorf("rows %d and %d of one subject leave a gap (%v, %v]: R's survfit stops on it; split the subject or fill the gap", a, b, r.stop[a], r.start[b])
		}
		if r.to[a] == Censored && r.from[b] != r.from[a] {
			return fmt.Errorf("row %d starts in state %d but the subject's previous row %d ended in state %d without a transition", b, r.from[b], a, r.from[a])
		}
		if r.to[a] != Censored && r.from[b] != r.to[a] {
			return fmt.Errorf("row %d starts in state %d but the subject's previous row %d moved to state %d", b, r.from[b], a, r.to[a])
		}
		r.continues[a] = true
	}
	return nil
}
