package rmst

import (
	"fmt"
	"math"

	"github.com/ketcurves/ketcurves/pipeline/km"
)

// Comparison holds the RMST and RMTL of two arms up to Tau and survRM2's
// unadjusted contrasts, arm 1 versus arm 0 (conventionally treatment
// versus control).
type Comparison struct {
	Tau        float64
	Arm0, Arm1 Estimate
	Difference km.Contrast // RMST1 - RMST0
	RMSTRatio  km.Contrast // RMST1 / RMST0, on the log scale
	RMTLRatio  km.Contrast // RMTL1 / RMTL0, on the log scale
	// Warnings lists a *TauWarning for each arm whose follow-up ends before
	// Tau (CheckTau); the numbers are computed all the same.
	Warnings []error
}

// Methods named in the contrasts.
const (
	MethodDifference = "Wald, Greenwood plug-in variances: se = sqrt(Var0 + Var1) (survRM2 rmst2)"
	MethodRMSTRatio  = "Wald on the log ratio, delta method: se(log) = sqrt(Var0/RMST0² + Var1/RMST1²) (survRM2 rmst2)"
	MethodRMTLRatio  = "Wald on the log ratio, delta method: se(log) = sqrt(Var0/RMTL0² + Var1/RMTL1²) (survRM2 rmst2)"
)

// Compare returns the RMST and RMTL of each arm up to tau (see Restricted)
// and the unadjusted contrasts of survRM2's rmst2, arm 1 versus arm 0:
//
//	difference   D = RMST1 - RMST0,   se(D) = sqrt(Var0 + Var1)
//	RMST ratio   R = RMST1 / RMST0,   se(log R) = sqrt(Var0/RMST0² + Var1/RMST1²)
//	RMTL ratio   L = RMTL1 / RMTL0,   se(log L) = sqrt(Var0/RMTL0² + Var1/RMTL1²)
//
// each with a Wald interval (on the log scale for the ratios, then
// exponentiated) at the curves' ConfLevel and a two-sided normal p-value;
// the arms are independent samples. Statuses: a zero se gives
// StatusZeroVariance (no p-value), a zero RMST or RMTL in a ratio
// StatusZeroEstimate (see km.WaldRatio).
//
// Unlike rmst2, which stops when tau is after the follow-up of an arm
// whose curve has not reached 0, Compare extends that curve flat, as R's
// survfit does, and reports it in Warnings. Use DefaultTau for rmst2's
// default horizon.
//
// Reference: Uno H, Claggett B, Tian L, et al. (2014) Moving beyond the
// hazard ratio in quantifying the between-group difference in survival
// analysis. J Clin Oncol 32:2380–2385; Royston & Parmar (2013) BMC Med Res
// Methodol 13:152. R equivalent: survRM2::rmst2(time, status, arm, tau =
// tau)$unadjusted.result (rows "RMST (arm=1)-(arm=0)", "RMST
// (arm=1)/(arm=0)", "RMTL (arm=1)/(arm=0)").
//
// It returns an error for an invalid tau (see Restricted). It panics if
// the curves have different confidence levels.
func Compare(arm0, arm1 *km.Curve, tau float64) (*Comparison, error) {
	if arm0.ConfLevel != arm1.ConfLevel {
		panic(fmt.Sprintf("rmst: curves with confidence levels %v and %v", arm0.ConfLevel, arm1.ConfLevel))
	}
	e0, err := Restricted(arm0, tau)
	if err != nil {
		return nil, err
	}
	e1, err := Restricted(arm1, tau)
	if err != nil {
		return nil, err
	}
	conf := arm0.ConfLevel
	return &Comparison{
		Tau:  tau,
		Arm0: e0,
		Arm1: e1,
		Difference: km.WaldDifference("RMST difference (arm 1 - arm 0)", MethodDifference,
			e1.RMST-e0.RMST, math.Sqrt(e0.Variance+e1.Variance), conf),
		RMSTRatio: km.WaldRatio("RMST ratio (arm 1 / arm 0)", MethodRMSTRatio,
			e0.RMST, e0.SE, e1.RMST, e1.SE, conf),
		RMTLRatio: km.WaldRatio("RMTL ratio (arm 1 / arm 0)", MethodRMTLRatio,
			e0.RMTL, e0.SE, e1.RMTL, e1.SE, conf),
		Warnings: CheckTau(tau, arm0, arm1),
	}, nil
}

// DefaultTau returns survRM2 rmst2's default horizon for two arms: with x0,
// x1 the arms' last times,
//
//	tau = max(x0, x1)  if the arm with the smaller last time has S = 0 there
//	                   (only events at its last time: its curve is known after)
//	tau = min(x0, x1)  otherwise (its last observation is a censoring)
//
// so that both curves are estimated on [0, tau] (survRM2 R/rmst2.R, cases 1
// to 4; on the choice of tau see Tian, Jin, Uno et al. (2020) Biometrics
// 76:1157–1166). With equal last times it is that time. R's time fix (aeqSurv) may move a last time by at
// most its relative tolerance 1.5e-8.
//
// It panics if a curve has no times.
func DefaultTau(arm0, arm1 *km.Curve) float64 {
	if len(arm0.Time) == 0 || len(arm1.Time) == 0 {
		panic("rmst: DefaultTau of a curve without times")
	}
	short, long := arm0, arm1
	if lastTime(arm1) < lastTime(arm0) {
		short, long = arm1, arm0
	}
	if short.Surv[len(short.Surv)-1] == 0 {
		return lastTime(long)
	}
	return lastTime(short)
}

func lastTime(c *km.Curve) float64 { return c.Time[len(c.Time)-1] }

// TauWarning reports a horizon after the last observation of an arm whose
// curve has not reached 0.
type TauWarning struct {
	Arm      int     // index of the curve in the CheckTau call (0 or 1 in Compare)
	Tau      float64 // the horizon
	LastTime float64 // the arm's last event or censoring time
	LastSurv float64 // S(LastTime) > 0, extended flat to Tau
}

func (w *TauWarning) Error() string {
	return fmt.Sprintf("tau = %g is after the last observation of arm %d (time %g, S = %.4g): the RMST extends S flat over (%g, %g], beyond follow-up; choose tau <= %g or DefaultTau (survRM2 refuses this tau)",
		w.Tau, w.Arm, w.LastTime, w.LastSurv, w.LastTime, w.Tau, w.LastTime)
}

// CheckTau returns a *TauWarning for each curve whose last time is before
// tau while its survival there is above 0 (after the last time of a curve
// that reached 0, S = 0 is an estimate, and nothing is reported). The
// result is nil when tau is within every curve's follow-up.
func CheckTau(tau float64, curves ...*km.Curve) []error {
	var ws []error
	for i, c := range curves {
		if len(c.Time) == 0 {
			continue
		}
		if last := len(c.Time) - 1; tau > c.Time[last] && c.Surv[last] > 0 {
			ws = append(ws, &TauWarning{Arm: i, Tau: tau, LastTime: c.Time[last], LastSurv: c.Surv[last]})
		}
	}
	return ws
}
