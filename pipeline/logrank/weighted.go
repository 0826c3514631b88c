package logrank

import (
	"errors"
	"fmt"
	"math"
)

// Data is right-censored survival data in K groups, optionally stratified
// and optionally with delayed entry (left truncation), as the weighted
// tests and MaxCombo take it. All non-nil slices have one element per
// subject.
type Data struct {
	Time  []float64 // event or censoring time, finite and >= 0
	Event []bool    // true: the event happened at Time; false: censored at Time
	Group []int     // group of each subject, 0..K-1
	K     int       // number of groups, >= 1
	// Strata is nil (one stratum) or the stratum of each subject (any
	// integer ids). The stratified test computes the weights within each
	// stratum and adds O, E and V over strata, as survdiff with + strata(s).
	Strata []int
	// Entry is nil (every subject at risk from the start, as survdiff) or
	// the delayed-entry time of each subject, finite with Entry[i] < Time[i]:
	// subject i is at risk at t when Entry[i] < t <= Time[i], as for R's
	// Surv(entry, time, status). Entry and Time are tied jointly by R's time
	// fix (survtime), and a subject whose entry and time become equal is an
	// error, as R's aeqSurv.
	Entry []float64
}

// Sentinel errors for callers that branch on the reason a test could not
// be computed (errors.Is); the messages say more.
var (
	// ErrTooFewGroups: fewer than two groups have subjects, or have
	// subjects at risk at an event time.
	ErrTooFewGroups = errors.New("too few groups")
	// ErrNoEvents: every subject is censored.
	ErrNoEvents = errors.New("no events")
	// ErrZeroVariance: the variance of O-E is zero (nothing to test).
	ErrZeroVariance = errors.New("zero variance")
)

// reasonError is an error with its own message that also matches a
// sentinel error.
type reasonError struct {
	msg    string
	reason error
}

func (e *reasonError) Error() string { return e.msg }
func (e *reasonError) Unwrap() error { return e.reason }

func reasonf(reason error, format string, args ...any) error {
	return &reasonError{msg: fmt.Sprintf(format, args...), reason: reason}
}

// Weighted computes the weighted k-sample log-rank test for each of weights,
// from one sort of the data (so several weights cost little more than one).
// results[i] is the test with weights[i] (Result.Weight).
//
// At each distinct event time t_j of a stratum, with n_j at risk
// (Entry < t_j <= Time) and d_j events in all, n_gj at risk and d_gj events
// in group g, and weight w_j:
//
//	O_g   = sum_j w_j d_gj                                        (weighted, as survdiff's obs)
//	E_g   = sum_j w_j d_j n_gj / n_j
//	V_gh  = sum_j w_j² d_j (n_j - d_j) / (n_j - 1) (n_gj / n_j) (δ_gh - n_hj / n_j)   (0 when n_j = 1)
//	Chisq = (O-E)' V⁻ (O-E),
//
// with the groups, degrees of freedom and generalized inverse of LogRank.
// The weights (see Weight and WeightKind), computed within each stratum
// from its pooled risk sets, are
//
//	logrank        w_j = 1
//	fh:ρ:γ         w_j = S(t_j−)^ρ (1 − S(t_j−))^γ,  S(t_j−) = Π_{i<j} (1 − d_i/n_i)   (0^0 = 1)
//	peto_peto      w_j = S̃(t_j) = Π_{i≤j} (1 − d_i/(n_i+1))
//	gehan          w_j = n_j
//	tarone_ware    w_j = sqrt(n_j)
//
// References: Fleming & Harrington (1991), Counting Processes and Survival
// Analysis, sec. 7.3; Harrington & Fleming (1982), Biometrika 69:553–566;
// Peto & Peto (1972), JRSS A 135:185–207, and Prentice (1978), Biometrika
// 65:167–179 (S̃); Gehan (1965), Breslow (1970); Tarone & Ware (1977),
// Biometrika 64:156–160; Klein & Moeschberger (2003), sec. 7.3.
//
// R: fh:ρ:0 is survdiff(Surv(time, status) ~ group + strata(s), rho = ρ),
// number for number (obs, exp, var, chisq); survdiff has no γ, no other
// weights and no delayed entry. SAS: PROC LIFETEST with STRATA s /
// GROUP=group TEST=(LOGRANK FLEMING(ρ,γ) PETO WILCOXON TARONE); SAS
// reports the O-E vector and its variance, not O and E. coin's
// logrank_test(type = "Gehan-Breslow", "Tarone-Ware", "Prentice-Marek",
// "Fleming-Harrington") has the same statistic O-E but a permutation
// variance, so its chi-square differs slightly. With Entry the log-rank
// weight equals the score test of coxph(Surv(entry, time, status) ~ group,
// ties = "exact").
//
// The error contract is LogRank's (ErrTooFewGroups, ErrNoEvents,
// ErrZeroVariance, and errors for bad times, entries, groups or weights); a
// test whose weight is zero at every event time with a variance term (e.g.
// fh:0:1 when all events are at the first event time) has zero variance.
// If any requested test fails, Weighted returns the first error. It panics
// if no weight is given, if d.K < 1, or if the lengths in d differ.
func Weighted(d Data, weights ...Weight) ([]*Result, error) {
	if len(weights) == 0 {
		panic("logrank: Weighted called without weights")
	}
	for _, w := range weights {
		if err := w.Validate(); err != nil {
			return nil, fmt.Errorf("could not compute weighted log-rank test: %w", err)
		}
	}
	s, err := sweep(d, weights, false, "weighted log-rank test")
	if err != nil {
		return nil, err
	}
	results := make([]*Result, len(weights))
	for a, w := range weights {
		r := s.result(a)
		if err := r.test(); err != nil {
			return nil, fmt.Errorf("could not compute %s test: %w", w, err)
		}
		results[a] = r
	}
	return results, nil
}

// sums are the weighted sums of a sweep over the data for several weights.
type sums struct {
	k       int
	weights []Weight
	n       []int       // subjects per group
	obs     [][]float64 // [weight][group] weighted observed events
	exp     [][]float64 // [weight][group] weighted expected events
	vars    [][]float64 // [weight] k×k variance, row-major
	// cross[a*W+b] is Cov(U_a, U_b) of group 1's O-E for weights a and b
	// (sum of w_a w_b times the variance term); only when asked (k = 2).
	cross []float64
}

func (s *sums) result(a int) *Result {
	r := &Result{
		K:        s.k,
		Weight:   s.weights[a],
		N:        s.n,
		Observed: s.obs[a],
		Expected: s.exp[a],
		Var:      make([][]float64, s.k),
	}
	for g := range r.Var {
		r.Var[g] = s.vars[a][g*s.k : (g+1)*s.k]
	}
	return r
}

// sweep validates and sorts d, and accumulates the sums for every weight in
// one pass over the sorted data, stratum by stratum. what names the test in
// error messages.
func sweep(d Data, weights []Weight, cross bool, what string) (*sums, error) {
	p, err := prepare(d, what)
	if err != nil {
		return nil, err
	}
	k, nw := d.K, len(weights)
	s := &sums{k: k, weights: weights, n: p.n,
		obs: make([][]float64, nw), exp: make([][]float64, nw), vars: make([][]float64, nw)}
	for a := range weights {
		s.obs[a] = make([]float64, k)
		s.exp[a] = make([]float64, k)
		s.vars[a] = make([]float64, k*k)
	}
	if cross {
		s.cross = make([]float64, nw*nw)
	}
	acc := accumulator{sums: s, atRisk: make([]float64, k), died: make([]float64, k), w: make([]float64, nw)}
	for s := range len(p.starts) - 1 {
		lo, hi := p.starts[s], p.starts[s+1]
		var entries []entering
		if p.entries != nil {
			entries = p.entries[lo:hi]
		}
		acc.stratum(p.time[lo:hi], p.exits[lo:hi], entries)
	}
	return s, nil
}

// accumulator adds the contributions of the event times of one stratum
// after another to its sums.
type accumulator struct {
	*sums
	atRisk []float64 // n_gj
	died   []float64 // d_gj
	w      []float64 // weight of each test at the current event time
}

// stratum adds one stratum: exits at their times, sorted, and entries
// (nil without delayed entry) sorted by entry time.
func (a *accumulator) stratum(times []float64, exits []exit, entries []entering) {
	clear(a.atRisk)
	total := 0.0 // n_j
	if entries == nil {
		for _, o := range exits {
			a.atRisk[o.group]++
		}
		total = float64(len(exits))
	}
	km, petoPeto := 1.0, 1.0 // S(t−) and S̃ before t
	entered := 0
	for i := 0; i < len(exits); {
		t := times[i]
		for ; entered < len(entries) && entries[entered].t < t; entered++ {
			a.atRisk[entries[entered].group]++
			total++
		}
		j := i
		d := 0.0
		clear(a.died)
		for ; j < len(exits) && times[j] == t; j++ {
			if exits[j].event {
				a.died[exits[j].group]++
				d++
			}
		}
		if d > 0 {
			petoPeto *= 1 - d/(total+1)
			a.weigh(km, petoPeto, total)
			a.add(total, d)
			km = km * (total - d) / total
		}
		total -= float64(j - i)
		for ; i < j; i++ {
			a.atRisk[exits[i].group]--
		}
	}
}

// weigh sets a.w to each test's weight at an event time with n at risk,
// pooled Kaplan–Meier km = S(t−) and Peto–Peto estimate petoPeto = S̃(t).
func (a *accumulator) weigh(km, petoPeto, n float64) {
	for i, w := range a.weights {
		switch w.Kind {
		case LogRankWeight:
			a.w[i] = 1
		case FlemingHarrington:
			a.w[i] = 1
			if w.Rho != 0 {
				a.w[i] = math.Pow(km, w.Rho)
			}
			if w.Gamma != 0 {
				a.w[i] *= math.Pow(1-km, w.Gamma)
			}
		case PetoPeto:
			a.w[i] = petoPeto
		case Gehan:
			a.w[i] = n
		case TaroneWare:
			a.w[i] = math.Sqrt(n)
		}
	}
}

// add adds one event time with total at risk and d events (a.atRisk,
// a.died by group) with the weights a.w. The order of the floating-point
// operations is LogRank's, so that weight 1 gives the same bits.
func (a *accumulator) add(total, d float64) {
	k := a.k
	for i, w := range a.w {
		obs, exp := a.obs[i], a.exp[i]
		for g, ng := range a.atRisk {
			obs[g] += w * a.died[g]
			exp[g] += w * (d * ng / total)
		}
	}
	if total <= 1 {
		return
	}
	c := d * (total - d) / (total * (total - 1))
	for i, w := range a.w {
		w2 := w * w
		v := a.vars[i]
		for g, ng := range a.atRisk {
			if ng == 0 {
				continue
			}
			v[g*k+g] += w2 * (c * ng)
			for h, nh := range a.atRisk {
				v[g*k+h] -= w2 * (c * ng * nh / total)
			}
		}
	}
	if a.cross != nil {
		n1 := a.atRisk[1]
		v11 := c*n1 - c*n1*n1/total // group 1's variance term
		nw := len(a.w)
		for i, wi := range a.w {
			for j, wj := range a.w {
				a.cross[i*nw+j] += wi * wj * v11
			}
		}
	}
}
