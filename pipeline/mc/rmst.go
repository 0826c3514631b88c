package mc

import (
	"fmt"
	"math"

	"github.com/ketcurves/ketcurves/pipeline/km"
)

// RMST is a restricted mean survival time with its standard error.
type RMST struct {
	Tau, Estimate, SE float64
}

// RestrictedMean returns the restricted mean survival time of a
// Kaplan–Meier curve up to tau, the area under the curve on [0, tau], and
// its standard error. With t_1 < … < t_k the curve's times <= tau, n_j at
// risk and d_j events at t_j:
//
//	RMST    = ∫_0^tau S(t) dt
//	A_j     = ∫_{t_j}^tau S(t) dt
//	Var     = sum_j A_j² d_j / (n_j (n_j - d_j))     (0 when n_j = d_j)
//
// S is extended at its last value beyond the last time of the curve. This
// is the estimator and variance of R survival's print(fit, rmean = tau)
// (survival:::survmean: "rmean" and "se(rmean)"), also used by survRM2's
// rmst2 for one arm (Klein & Moeschberger 2003, section 4.5).
//
// It panics if tau is not positive and finite.
func RestrictedMean(c *km.Curve, tau float64) RMST {
	if !(tau > 0) || math.IsInf(tau, 0) {
		panic(fmt.Sprintf("mc: RMST horizon %v is not positive and finite", tau))
	}
	k := 0
	for k < len(c.Time) && c.Time[k] <= tau {
		k++
	}
	// Rectangles: [0, t_1) at S = 1, [t_j, t_{j+1}) at S(t_j), last to tau.
	area := 0.0
	prevT, prevS := 0.0, 1.0
	for j := range k {
		area += (c.Time[j] - prevT) * prevS
		prevT, prevS = c.Time[j], c.Surv[j]
	}
	area += (tau - prevT) * prevS
	// Variance: walk back from tau accumulating A_j.
	var variance float64
	tail := 0.0 // ∫_{t_j}^tau S
	next := tau
	for j := k - 1; j >= 0; j-- {
		tail += (next - c.Time[j]) * c.Surv[j]
		next = c.Time[j]
		n, d := float64(c.NRisk[j]), float64(c.NEvent[j])
		if d > 0 && n > d {
			variance += tail * tail * d / (n * (n - d))
		}
	}
	return RMST{Tau: tau, Estimate: area, SE: math.Sqrt(variance)}
}
