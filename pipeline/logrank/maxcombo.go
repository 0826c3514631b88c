package logrank

import (
	"errors"
	"fmt"
	"math"
)

// Statuses reported in MaxComboResult.Status.
const (
	StatusOK = "ok"
	// StatusComponentDropped: a component had zero variance (for example
	// G(0,1) when every event is at the first event time, where
	// 1 − S(t−) = 0) and was left out of the maximum; its Z is NaN and its
	// Tests entry nil.
	StatusComponentDropped = "component_zero_variance"
	// StatusNotConverged: an adaptive integral did not reach its tolerance;
	// PError says how far the p-values may be off.
	StatusNotConverged = "not_converged"
)

// MaxComboResult is a MaxCombo test.
type MaxComboResult struct {
	Weights []Weight  // the components: MaxComboWeights, G(0,0), G(1,0), G(0,1), G(1,1)
	Tests   []*Result // each component's weighted test (Chisq = Z²); nil for a dropped component
	// Z[a] = (O_1 − E_1)/sqrt(V_11) of component a for group 1 (the second
	// group): positive when group 1 has more events than expected under
	// equal hazards. NaN for a dropped component (see Status).
	Z []float64
	// Corr is the correlation of the used components' statistics,
	// Cov(U_a, U_b)/sqrt(V_a V_b); rows and columns of dropped components
	// are NaN.
	Corr    [][]float64
	MaxAbsZ float64 // max_a |Z_a|, the two-sided statistic
	// P is the two-sided p-value 1 − P(|Z_a| < MaxAbsZ for all a) under the
	// joint normal distribution of the Z.
	P float64
	// PUpper is the one-sided p-value for group 1 having more events than
	// expected: 1 − P(Z_a < max_a z_a for all a).
	PUpper float64
	// PLower is the one-sided p-value for group 1 having fewer events than
	// expected (group 1 better): 1 − P(Z_a > min_a z_a for all a).
	PLower float64
	// PError is an estimate of the absolute numerical error of P, PUpper and
	// PLower (about 1e-11 when Status is "ok").
	PError float64
	Status string // "ok", "component_zero_variance", "not_converged"
}

// MaxCombo is the MaxCombo test of Lin et al. (2020) for two groups: the
// maximum of the standardized Fleming–Harrington statistics G(0,0) (log-rank),
// G(1,0), G(0,1) and G(1,1), with its p-value from their joint normal
// distribution.
//
// For each weight a of MaxComboWeights, with U_a = O_1 − E_1 and V_a = V_11
// of Weighted for group 1 (the second group):
//
//	Z_a           = U_a / sqrt(V_a)
//	Cov(U_a, U_b) = sum_j w_aj w_bj d_j (n_j - d_j) / (n_j - 1) (n_1j / n_j) (1 - n_1j / n_j)
//	Corr_ab       = Cov(U_a, U_b) / sqrt(V_a V_b)
//	P             = 1 − P(|Z_a| < m for all a),   m = max_a |z_a|,   Z ~ N(0, Corr)
//
// stratified by adding U and Cov over strata (weights within each stratum).
// Since w(0,1) = 1 − S = w(0,0) − w(1,0), U(0,1) = U(0,0) − U(1,0) and Corr
// has rank 3: the normal probability is a 3-dimensional integral with the
// G(0,1) constraint as a linear one, computed deterministically by nested
// adaptive Gauss–Kronrod quadrature (see rectangleProb: error about 1e-11,
// reported in PError). The one-sided p-values PUpper and PLower use the
// same integral with one-sided bounds.
//
// Reference: Lin RS, Lin J, Roychoudhury S, et al. (2020), Alternative
// analysis methods for time to event endpoints under nonproportional
// hazards: a comparative analysis, Statistics in Biopharmaceutical
// Research 12:187–198; Karrison (2016), Versatile tests for comparing
// survival curves based on weighted log-rank statistics, Stata Journal
// 16:678–690. R: nph::logrank.maxtest (mvtnorm::pmvnorm for the p-value);
// SAS: PROC LIFETEST TEST=(FLEMING(0,0) FLEMING(1,0) FLEMING(0,1)
// FLEMING(1,1)) gives the components, not their joint p-value.
//
// Data, delayed entry and errors are as for Weighted. It returns an error
// if d.K > 2 (MaxCombo compares two groups), or if every component has
// zero variance (ErrZeroVariance).
func MaxCombo(d Data) (*MaxComboResult, error) {
	if d.K > 2 {
		return nil, fmt.Errorf("could not compute MaxCombo test: it compares 2 groups and the data have %d; use a weighted log-rank test (e.g. logrank, fh:0:1) for k groups", d.K)
	}
	weights := MaxComboWeights
	s, err := sweep(d, weights, true, "MaxCombo test")
	if err != nil {
		return nil, err
	}
	nw := len(weights)
	res := &MaxComboResult{Weights: weights, Tests: make([]*Result, nw), Z: make([]float64, nw),
		Corr: make([][]float64, nw), Status: StatusOK}
	var used []int
	for a := range weights {
		r := s.result(a)
		if err := r.test(); err != nil {
			if !errors.Is(err, ErrZeroVariance) {
				return nil, fmt.Errorf("could not compute MaxCombo test: %s: %w", weights[a], err)
			}
			res.Z[a] = math.NaN()
			res.Status = StatusComponentDropped
			continue
		}
		res.Tests[a] = r
		res.Z[a] = (r.Observed[1] - r.Expected[1]) / math.Sqrt(r.Var[1][1])
		used = append(used, a)
	}
	if len(used) == 0 {
		return nil, reasonf(ErrZeroVariance, "could not compute MaxCombo test: every component has zero variance")
	}
	for a := range weights {
		res.Corr[a] = make([]float64, nw)
		for b := range weights {
			res.Corr[a][b] = math.NaN()
			if res.Tests[a] != nil && res.Tests[b] != nil {
				res.Corr[a][b] = s.cross[a*nw+b] / math.Sqrt(s.cross[a*nw+a]*s.cross[b*nw+b])
			}
		}
	}
	res.pValues(used)
	return res, nil
}

// pValues sets MaxAbsZ, P, PUpper, PLower and PError from the used
// components' Z and Corr.
func (res *MaxComboResult) pValues(used []int) {
	m := len(used)
	corr := make([][]float64, m)
	zMax, zMin := math.Inf(-1), math.Inf(1)
	for i, a := range used {
		corr[i] = make([]float64, m)
		for j, b := range used {
			corr[i][j] = res.Corr[a][b]
		}
		corr[i][i] = 1
		zMax, zMin = math.Max(zMax, res.Z[a]), math.Min(zMin, res.Z[a])
	}
	res.MaxAbsZ = math.Max(zMax, -zMin)
	bounds := func(v float64) []float64 {
		b := make([]float64, m)
		for i := range b {
			b[i] = v
		}
		return b
	}
	inf := math.Inf(1)
	for _, q := range []struct {
		dst          *float64
		lower, upper []float64
	}{
		{&res.P, bounds(-res.MaxAbsZ), bounds(res.MaxAbsZ)},
		{&res.PUpper, bounds(-inf), bounds(zMax)},
		{&res.PLower, bounds(zMin), bounds(inf)},
	} {
		p, e, ok := rectangleProb(corr, q.lower, q.upper)
		*q.dst = 1 - p
		res.PError = math.Max(res.PError, e)
		if !ok && res.Status == StatusOK {
			res.Status = StatusNotConverged
		}
	}
}
