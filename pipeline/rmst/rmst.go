package rmst

import (
	"fmt"
	"math"

	"github.com/ketcurves/ketcurves/pipeline/km"
	"gonum.org/v1/gonum/stat/distuv"
)

// Statuses of an Estimate and of the contrasts, as in package km.
const (
	StatusOK = km.StatusOK
	// StatusZeroVariance: no event with survivors on [0, tau]: SE is 0 and
	// the confidence interval is the point; a contrast has no p-value.
	StatusZeroVariance = km.StatusZeroVariance
	// StatusZeroEstimate: a ratio with an RMST or RMTL of 0 (for the RMTL:
	// no event by tau in that arm): no log scale, SE, limits and p NaN.
	StatusZeroEstimate = km.StatusZeroEstimate
)

// Estimate is the restricted mean survival time and restricted mean time
// lost of one curve up to Tau.
type Estimate struct {
	Tau  float64 // the horizon
	RMST float64 // ∫_0^Tau S(t) dt: mean event-free time over [0, Tau]
	RMTL float64 // Tau - RMST: mean time lost over [0, Tau]
	// Variance is the Greenwood plug-in variance of RMST (and of RMTL); SE
	// its square root.
	Variance, SE         float64
	RMSTLower, RMSTUpper float64 // RMST ∓ z SE
	RMTLLower, RMTLUpper float64 // RMTL ∓ z SE
	ConfLevel            float64 // the curve's
	Events               int     // events at or before Tau
	// LastTime is the curve's last time (event or censoring). BeyondFollowUp
	// is true when Tau > LastTime and S(LastTime) > 0: the area after
	// LastTime is the last value of S extended, not an estimate from data
	// (see CheckTau).
	LastTime       float64
	BeyondFollowUp bool
	Status         string // StatusOK or StatusZeroVariance
}

// Restricted returns the restricted mean survival time of a Kaplan–Meier
// curve up to tau, the area under the curve on [0, tau], the restricted mean
// time lost and their standard error. With t_1 < … < t_k the curve's times
// <= tau, n_j at risk and d_j events at t_j, t_0 = 0, S(t_0) = 1:
//
//	RMST    = sum_{j=1}^{k} (t_j - t_{j-1}) S(t_{j-1}) + (tau - t_k) S(t_k)
//	RMTL    = tau - RMST
//	A_j     = ∫_{t_j}^tau S(t) dt
//	Var     = sum_{j=1}^{k} A_j² d_j / (n_j (n_j - d_j))   (0 when n_j = d_j)
//	CI      = RMST ∓ z sqrt(Var),  RMTL ∓ z sqrt(Var)
//
// with z = Φ⁻¹(1 - (1-ConfLevel)/2) at the curve's ConfLevel. S is extended
// at its last value after the last time, as R does (BeyondFollowUp says
// when that matters). The variance is the Greenwood plug-in estimate
// (Klein & Moeschberger 2003, section 4.5; Uno et al. 2014); with delayed
// entry the same formulas apply to the curve's risk sets.
//
// R equivalent: print(survfit(Surv(time, status) ~ 1), rmean = tau), or
// summary(fit, rmean = tau)$table[c("rmean", "se(rmean)")]
// (survival:::survmean); survRM2: rmst2(...)$RMST.arm0$result (rows RMST and
// RMTL). SAS (SAS/STAT 15.1 and later): PROC LIFETEST with RMST(TAU=tau).
//
// It returns an error if tau is not finite and > 0, or if the curve has no
// times.
func Restricted(c *km.Curve, tau float64) (Estimate, error) {
	if math.IsNaN(tau) || math.IsInf(tau, 0) || !(tau > 0) {
		return Estimate{}, fmt.Errorf("could not compute the restricted mean: tau = %v: the horizon must be finite and > 0", tau)
	}
	if len(c.Time) == 0 {
		return Estimate{}, fmt.Errorf("could not compute the restricted mean: the curve has no times")
	}
	k := 0 // number of curve times <= tau
	for k < len(c.Time) && c.Time[k] <= tau {
		k++
	}
	area, events := 0.0, 0
	prevT, prevS := 0.0, 1.0
	for j := range k {
		area += (c.Time[j] - prevT) * prevS
		prevT, prevS = c.Time[j], c.Surv[j]
		events += c.NEvent[j]
	}
	area += (tau - prevT) * prevS
	// Walk back from tau accumulating A_j.
	variance, tail, next := 0.0, 0.0, tau
	for j := k - 1; j >= 0; j-- {
		tail += (next - c.Time[j]) * c.Surv[j]
		next = c.Time[j]
		n, d := float64(c.NRisk[j]), float64(c.NEvent[j])
		if d > 0 && n > d {
			variance += tail * tail * d / (n * (n - d))
		}
	}
	last := len(c.Time) - 1
	e := Estimate{
		Tau:            tau,
		RMST:           area,
		RMTL:           tau - area,
		Variance:       variance,
		SE:             math.Sqrt(variance),
		ConfLevel:      c.ConfLevel,
		Events:         events,
		LastTime:       c.Time[last],
		BeyondFollowUp: tau > c.Time[last] && c.Surv[last] > 0,
		Status:         StatusOK,
	}
	if variance == 0 {
		e.Status = StatusZeroVariance
	}
	w := distuv.UnitNormal.Quantile(1-(1-c.ConfLevel)/2) * e.SE
	e.RMSTLower, e.RMSTUpper = e.RMST-w, e.RMST+w
	e.RMTLLower, e.RMTLUpper = e.RMTL-w, e.RMTL+w
	return e, nil
}
