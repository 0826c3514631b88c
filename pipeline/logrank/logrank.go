package logrank

import (
	"errors"
	"fmt"
	"github.com/ketcurves/ketcurves/pipeline/order"
	"math"
	"slices"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/stat/distuv"
)

// Result is a log-rank test.
type Result struct {
	K        int         // number of groups, as passed to LogRank
	N        []int       // subjects per group
	Observed []float64   // events per group, summed over strata
	Expected []float64   // expected events per group, summed over strata
	Var      [][]float64 // k x k variance-covariance of O-E (survdiff's var), summed over strata
	Chisq    float64
	// DF is the number of groups with Expected > 0, minus 1, as R's
	// survdiff; this is the number of groups with subjects minus 1 unless a
	// group has no subject at risk at any event time. If the variance matrix
	// of those groups is rank deficient (R's solve fails), DF is its rank.
	DF int
	P  float64 // upper tail of the chi-square distribution with DF degrees of freedom
}

// LogRank is the k-sample log-rank test of equal hazards (R
// survdiff(Surv(time, status) ~ group, rho = 0)). time and event are as in
// km.KaplanMeier; group[i] in 0..k-1 is the group of subject i. strata is
// nil, or the stratum of each subject (any integer ids): the stratified
// test adds O, E and V over strata, as survdiff with + strata(s).
//
// At each distinct event time t_j of a stratum, with n_j at risk and d_j
// events in all, n_gj at risk and d_gj events in group g:
//
//	O_g   = sum_j d_gj
//	E_g   = sum_j d_j n_gj / n_j
//	V_gh  = sum_j d_j (n_j - d_j) / (n_j - 1) * (n_gj / n_j) (δ_gh - n_hj / n_j)   (0 when n_j = 1)
//	Chisq = (O-E)' V⁻ (O-E)
//
// As survdiff, the quadratic form uses the groups with E_g > 0 and drops the
// first of them; V⁻ is the inverse of that reduced matrix, or, where it is
// singular to working precision (reciprocal condition number below machine
// epsilon, where survdiff's solve stops with an error), its Moore–Penrose inverse with
// MASS::ginv's tolerance sqrt(machine epsilon) times the largest singular
// value, and DF is then the rank. Groups with no subjects get zero rows and
// columns in Var and are left out of the test, as survdiff drops unused
// factor levels. Times are tied as survdiff does (timefix = TRUE,
// survival:::aeqSurv): times within sqrt(machine epsilon), absolutely or
// relative to the mean distinct time, are made equal.
//
// Reference: Mantel (1966); Peto & Peto (1972). R equivalent:
// survdiff(Surv(time, status) ~ group + strata(s), rho = 0); SAS: PROC
// LIFETEST with STRATA s / GROUP=group TEST=LOGRANK.
//
// It returns an error when a time is negative, NaN or infinite, a group is
// outside 0..k-1, fewer than two groups have subjects at risk at an event
// time, there are no events, or every subject at risk at each event time
// had the event (zero variance). It panics if k < 1 or if the lengths of
// time, event, group and (non-nil) strata differ.
func LogRank(time []float64, event []bool, group []int, k int, strata []int) (*Result, error) {
	n := len(time)
	if len(event) != n || len(group) != n || (strata != nil && len(strata) != n) {
		panic(fmt.Sprintf("logrank: lengths differ: time %d, event %d, group %d, strata %d",
			n, len(event), len(group), len(strata)))
	}
	if k < 1 {
		panic(fmt.Sprintf("logrank: k = %d < 1", k))
	}
	for i, t := range time {
		if math.IsNaN(t) || math.IsInf(t, 0) || t < 0 {
			return nil, fmt.Errorf("could not compute log-rank test: time[%d] = %v: times must be finite and >= 0", i, t)
		}
		if group[i] < 0 || group[i] >= k {
			return nil, fmt.Errorf("could not compute log-rank test: group[%d] = %d outside 0..%d", i, group[i], k-1)
		}
	}
	// Observations in (stratum, time) order. tieTimes maps times by a
	// non-decreasing function, so the order holds after it.
	obs := make([]observation, n)
	for j, i := range order.ByStratumTime(time, strata) {
		obs[j] = observation{t: time[i], event: event[i], group: group[i]}
		if strata != nil {
			obs[j].stratum = strata[i]
		}
	}
	tieTimes(obs)

	r := &Result{
		K:        k,
		N:        make([]int, k),
		Observed: make([]float64, k),
		Expected: make([]float64, k),
		Var:      make([][]float64, k),
	}
	for g := range r.Var {
		r.Var[g] = make([]float64, k)
	}
	events := 0
	for _, o := range obs {
		r.N[o.group]++
		if o.event {
			r.Observed[o.group]++
			events++
		}
	}
	withSubjects := 0
	for _, c := range r.N {
		if c > 0 {
			withSubjects++
		}
	}
	if withSubjects < 2 {
		return nil, fmt.Errorf("could not compute log-rank test: %d of %d groups have subjects, need at least 2", withSubjects, k)
	}
	if events == 0 {
		return nil, errors.New("could not compute log-rank test: there are no events (all subjects censored)")
	}

	atRisk := make([]float64, k) // n_gj
	died := make([]float64, k)   // d_gj
	for start := 0; start < n; {
		end := start
		for end < n && obs[end].stratum == obs[start].stratum {
			end++
		}
		accumulateStratum(r, obs[start:end], atRisk, died)
		start = end
	}

	if err := r.test(); err != nil {
		return nil, fmt.Errorf("could not compute log-rank test: %w", err)
	}
	return r, nil
}

// accumulateStratum adds one stratum's expected counts and variance to r.
// obs is sorted by time; atRisk and died are scratch space of length k.
func accumulateStratum(r *Result, obs []observation, atRisk, died []float64) {
	clear(atRisk)
	for _, o := range obs {
		atRisk[o.group]++
	}
	total := float64(len(obs))
	for i := 0; i < len(obs); {
		t := obs[i].t
		j := i
		d := 0.0
		clear(died)
		for ; j < len(obs) && obs[j].t == t; j++ {
			if obs[j].event {
				died[obs[j].group]++
				d++
			}
		}
		if d > 0 {
			for g, ng := range atRisk {
				r.Expected[g] += d * ng / total
			}
			if total > 1 {
				w := d * (total - d) / (total * (total - 1))
				for g, ng := range atRisk {
					if ng == 0 {
						continue
					}
					r.Var[g][g] += w * ng
					for h, nh := range atRisk {
						r.Var[g][h] -= w * ng * nh / total
					}
				}
			}
		}
		total -= float64(j - i)
		for ; i < j; i++ {
			atRisk[obs[i].group]--
		}
	}
}

// test computes Chisq, DF and P from Observed, Expected and Var.
func (r *Result) test() error {
	var used []int
	for g, e := range r.Expected {
		if e > 0 {
			used = append(used, g)
		}
	}
	if len(used) < 2 {
		return fmt.Errorf("only %d group(s) have subjects at risk at an event time, need at least 2", len(used))
	}
	used = used[1:] // survdiff drops the first group
	m := len(used)
	v := mat.NewSymDense(m, nil)
	x := mat.NewVecDense(m, nil)
	for a, g := range used {
		x.SetVec(a, r.Observed[g]-r.Expected[g])
		for b, h := range used[a:] {
			v.SetSym(a, a+b, (r.Var[g][h]+r.Var[h][g])/2)
		}
	}
	// Invert directly unless the matrix is singular to working precision,
	// where R's solve stops ("computationally singular": reciprocal
	// condition number below machine epsilon).
	var chol mat.Cholesky
	if chol.Factorize(v) && chol.Cond() < 1/machineEpsilon {
		var y mat.VecDense
		if err := chol.SolveVecTo(&y, x); err == nil {
			r.Chisq = mat.Dot(x, &y)
			r.DF = m
			r.P = distuv.ChiSquared{K: float64(r.DF)}.Survival(r.Chisq)
			return nil
		}
	}
	// Singular: Moore–Penrose inverse over the non-negligible singular values.
	var svd mat.SVD
	if !svd.Factorize(v, mat.SVDThin) {
		return errors.New("singular value decomposition of the variance matrix failed")
	}
	values := svd.Values(nil)
	var u mat.Dense
	svd.UTo(&u)
	tol := math.Sqrt(machineEpsilon) * values[0]
	chisq, rank := 0.0, 0
	for i, s := range values {
		if s <= tol || s == 0 {
			continue
		}
		rank++
		proj := mat.Dot(u.ColView(i), x)
		chisq += proj * proj / s
	}
	if rank == 0 {
		return errors.New("the variance of O-E is zero: at every event time all subjects at risk had the event")
	}
	r.Chisq = chisq
	r.DF = rank
	r.P = distuv.ChiSquared{K: float64(rank)}.Survival(chisq)
	return nil
}

// machineEpsilon is R's .Machine$double.eps.
const machineEpsilon = 2.220446049250313e-16

type observation struct {
	t       float64
	event   bool
	group   int
	stratum int
}

// tieTimes makes times that R's survival:::aeqSurv would treat as tied equal,
// in place, over all observations (all strata). Distinct times a < b are
// tied when b-a <= tol or (b-a)/mean|distinct times| <= tol, with
// tol = sqrt(machine epsilon); a run of tied times takes its first value.
func tieTimes(obs []observation) {
	const tol = 1.4901161193847656e-08 // sqrt(.Machine$double.eps)
	ts := make([]float64, len(obs))
	for i, o := range obs {
		ts[i] = o.t
	}
	order.Float64s(ts)
	ts = slices.Compact(ts)
	if len(ts) < 2 {
		return
	}
	var sum float64
	for _, t := range ts {
		sum += math.Abs(t)
	}
	mean := sum / float64(len(ts))
	tied := false
	cuts := []float64{ts[0]}
	for i := 1; i < len(ts); i++ {
		dy := ts[i] - ts[i-1]
		if dy <= tol || dy/mean <= tol {
			tied = true
			continue
		}
		cuts = append(cuts, ts[i])
	}
	if !tied {
		return
	}
	for i := range obs {
		// Largest cut <= t.
		j, found := slices.BinarySearch(cuts, obs[i].t)
		if !found {
			j--
		}
		obs[i].t = cuts[j]
	}
}
