package logrank

import (
	"errors"
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/stat/distuv"
)

// Result is a (weighted) log-rank test.
type Result struct {
	K        int         // number of groups, as passed to LogRank
	Weight   Weight      // the weight of the test; the zero Weight (LogRank) is w = 1
	N        []int       // subjects per group
	Observed []float64   // events per group, weighted (sum of w d_gj), summed over strata
	Expected []float64   // expected events per group, weighted, summed over strata
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
// LogRank is Weighted with the zero Weight and no delayed entry; use
// Weighted with Data.Entry for the log-rank test with delayed entry.
//
// It returns an error when a time is negative, NaN or infinite, a group is
// outside 0..k-1, fewer than two groups have subjects at risk at an event
// time (ErrTooFewGroups), there are no events (ErrNoEvents), or every
// subject at risk at each event time had the event (ErrZeroVariance). It panics if k < 1 or if the lengths of
// time, event, group and (non-nil) strata differ.
func LogRank(time []float64, event []bool, group []int, k int, strata []int) (*Result, error) {
	d := Data{Time: time, Event: event, Group: group, K: k, Strata: strata}
	s, err := sweep(d, []Weight{{}}, false, "log-rank test")
	if err != nil {
		return nil, err
	}
	r := s.result(0)
	if err := r.test(); err != nil {
		return nil, fmt.Errorf("could not compute log-rank test: %w", err)
	}
	return r, nil
}

// test computes Chisq, DF and P from Observed, Expected and Var.
func (r *Result) test() error {
	var used []int
	for g, e := range r.Expected {
		if e > 0 {
			used = append(used, g)
		}
	}
	if len(used) == 0 && r.Weight.Kind != LogRankWeight {
		return reasonf(ErrZeroVariance, "the variance of O-E is zero: the %s weight is 0 at every event time", r.Weight)
	}
	if len(used) < 2 {
		return reasonf(ErrTooFewGroups, "only %d group(s) have subjects at risk at an event time, need at least 2", len(used))
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
		if r.Weight.Kind == LogRankWeight {
			return reasonf(ErrZeroVariance, "the variance of O-E is zero: at every event time all subjects at risk had the event")
		}
		return reasonf(ErrZeroVariance, "the variance of O-E is zero: at every event time all subjects at risk had the event, or the weight was 0")
	}
	r.Chisq = chisq
	r.DF = rank
	r.P = distuv.ChiSquared{K: float64(rank)}.Survival(chisq)
	return nil
}

// machineEpsilon is R's .Machine$double.eps.
const machineEpsilon = 2.220446049250313e-16
