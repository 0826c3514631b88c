package mc

import (
	"fmt"
	"math"

	"github.com/ketcurves/ketcurves/pipeline/km"
	"github.com/ketcurves/ketcurves/pipeline/rmst"
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
// It is rmst.Restricted, the single implementation, reduced to the two
// numbers the simulation needs. It panics if tau is not positive and finite.
func RestrictedMean(c *km.Curve, tau float64) RMST {
	if !(tau > 0) || math.IsInf(tau, 0) {
		panic(fmt.Sprintf("mc: RMST horizon %v is not positive and finite", tau))
	}
	e, err := rmst.Restricted(c, tau)
	if err != nil {
		panic(fmt.Sprintf("mc: %v", err))
	}
	return RMST{Tau: tau, Estimate: e.RMST, SE: e.SE}
}
