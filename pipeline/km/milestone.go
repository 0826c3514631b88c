package km

import (
	"fmt"
	"math"
	"slices"

	"gonum.org/v1/gonum/stat/distuv"
)

// Statuses of a MilestoneRate or a Contrast. A value that a status makes
// undefined is NaN; read Status before the numbers.
const (
	StatusOK = "ok"
	// StatusBeyondFollowUp: the milestone (or the RMST horizon) is after
	// the last observation of an arm; the estimate is not reported.
	StatusBeyondFollowUp = "beyond_follow_up"
	// StatusZeroVariance: the standard error is 0 (no event by the
	// milestone in either arm): the interval is a point, and no p-value.
	StatusZeroVariance = "zero_variance"
	// StatusVarianceNotEstimable: the Greenwood variance is undefined
	// because S reached 0 (every subject at risk had the event; R's NaN
	// std.err): SE, limits and p-value are NaN.
	StatusVarianceNotEstimable = "variance_not_estimable"
	// StatusZeroEstimate: a ratio whose denominator is 0 (Estimate NaN) or
	// numerator is 0 (Estimate 0): the log scale is undefined, so SE,
	// limits and p-value are NaN.
	StatusZeroEstimate = "zero_estimate"
)

// MilestoneRate is the proportion of subjects with the event by a
// milestone time, 1 - S(t), from a Kaplan–Meier curve.
type MilestoneRate struct {
	Time  float64 // the milestone t
	NRisk int     // at risk at t (at the first curve time >= t), R summary's n.risk
	Rate  float64 // 1 - S(t)
	// StdErr is the Greenwood standard error of S(t), hence of Rate.
	StdErr float64
	// Lower and Upper are 1 minus the upper and lower limits of S(t), in
	// the curve's ConfType at its ConfLevel.
	Lower, Upper float64
	// Status is StatusOK, StatusBeyondFollowUp (Rate, StdErr and limits
	// NaN), StatusZeroVariance (no event by t: Rate 0, StdErr 0, limits 0,
	// or NaN for log-log after a censoring) or StatusVarianceNotEstimable (S(t) = 0: Rate 1,
	// StdErr and limits NaN).
	Status string
}

// Milestone returns the proportion with the event by time t, 1 - S(t),
// with the Greenwood standard error and the curve's pointwise confidence
// interval turned over:
//
//	Rate = 1 - S(t),  StdErr = se(S(t)),  [Lower, Upper] = [1 - U_S(t), 1 - L_S(t)]
//
// where L_S, U_S are the limits of S in the curve's ConfType (log, log-log,
// plain; see KaplanMeier). Before the first time S = 1 and both limits are
// 1 (R's survfit0 row at time 0), whatever the ConfType; at or after a
// curve time the limits are that row's (NaN where S = 0, and for log-log
// where S = 1, as R's NA). A milestone after
// the curve's last time (the last event or censoring) is beyond follow-up:
// R's summary.survfit drops it; here Status says so and the numbers are NaN.
//
// R equivalent: s <- summary(survfit(Surv(time, status) ~ 1, conf.type = ct),
// times = t); 1 - s$surv, s$std.err, 1 - s$upper, 1 - s$lower, s$n.risk.
// SAS: PROC LIFETEST TIMELIST=t REDUCEOUT with OUTSURV= (1 - SURVIVAL).
//
// It returns an error if t is negative, NaN or infinite.
func (c *Curve) Milestone(t float64) (MilestoneRate, error) {
	if math.IsNaN(t) || math.IsInf(t, 0) || t < 0 {
		return MilestoneRate{}, fmt.Errorf("could not estimate the milestone rate at time %v: the time must be finite and >= 0", t)
	}
	m := MilestoneRate{Time: t, Status: StatusOK}
	if len(c.Time) == 0 || t > c.Time[len(c.Time)-1] {
		m.Rate, m.StdErr, m.Lower, m.Upper = math.NaN(), math.NaN(), math.NaN(), math.NaN()
		m.Status = StatusBeyondFollowUp
		return m, nil
	}
	j, found := slices.BinarySearch(c.Time, t) // first time >= t
	m.NRisk = c.NRisk[j]
	if found {
		j++
	}
	// j is now the number of curve times <= t.
	lower, upper := 1.0, 1.0 // before the first time: R's survfit0 row at time 0
	if j == 0 {
		m.Rate, m.StdErr = 0, 0
	} else {
		m.Rate, m.StdErr = 1-c.Surv[j-1], c.StdErr[j-1]
		lower, upper = c.Lower[j-1], c.Upper[j-1]
	}
	m.Lower, m.Upper = 1-upper, 1-lower
	switch {
	case math.IsNaN(m.StdErr):
		m.Status = StatusVarianceNotEstimable
	case m.StdErr == 0:
		m.Status = StatusZeroVariance
	}
	return m, nil
}

// Contrast is a between-arm comparison (arm 1 versus arm 0) with its Wald
// confidence interval and two-sided p-value. For a ratio, SE and Z are on
// the log scale and the limits are exponentiated.
type Contrast struct {
	Measure string // what is compared, e.g. "event rate difference (arm 1 - arm 0)"
	Method  string // how the SE, CI and p-value were computed
	// Estimate is the contrast; SE its standard error (of its log for a
	// ratio); Lower, Upper the confidence limits at ConfLevel; Z the Wald
	// statistic for no difference (ratio 1), P its two-sided p-value.
	Estimate, SE, Lower, Upper, Z, P float64
	ConfLevel                        float64
	Status                           string // StatusOK or why some values are NaN
}

// WaldDifference returns the Wald contrast est (= a1 - a0) with standard error
// se, at level conf. The status must be decided by the caller for
// undefined inputs; a zero se gives StatusZeroVariance.
func WaldDifference(measure, method string, est, se, conf float64) Contrast {
	c := Contrast{Measure: measure, Method: method, Estimate: est, SE: se, ConfLevel: conf, Status: StatusOK}
	switch {
	case math.IsNaN(se):
		c.Lower, c.Upper, c.Z, c.P = math.NaN(), math.NaN(), math.NaN(), math.NaN()
		c.Status = StatusVarianceNotEstimable
	case se == 0:
		c.Lower, c.Upper, c.Z, c.P = est, est, math.NaN(), math.NaN()
		c.Status = StatusZeroVariance
	default:
		z := distuv.UnitNormal.Quantile(1 - (1-conf)/2)
		c.Lower, c.Upper = est-z*se, est+z*se
		c.Z = est / se
		c.P = 2 * distuv.UnitNormal.CDF(-math.Abs(c.Z))
	}
	return c
}

// WaldRatio returns the contrast e1/e0 on the log scale by the delta method,
// from the estimates e0, e1 > 0 and their standard errors se0, se1:
//
//	log R = log e1 - log e0,  se(log R) = sqrt(se1²/e1² + se0²/e0²)
//	CI = exp(log R ∓ z se(log R)),  Z = log R / se(log R)
//
// If e0 or e1 is 0 the status is StatusZeroEstimate (Estimate e1/e0 if e0 >
// 0, else NaN; the rest NaN); an undefined or zero se(log R) is handled as
// in WaldDifference, on the log scale.
func WaldRatio(measure, method string, e0, se0, e1, se1, conf float64) Contrast {
	if !(e0 > 0 && e1 > 0) {
		est := math.NaN()
		if e0 > 0 {
			est = e1 / e0
		}
		nan := math.NaN()
		return Contrast{Measure: measure, Method: method, Estimate: est, SE: nan, Lower: nan, Upper: nan,
			Z: nan, P: nan, ConfLevel: conf, Status: StatusZeroEstimate}
	}
	logSE := math.Sqrt(se1*se1/(e1*e1) + se0*se0/(e0*e0))
	c := WaldDifference(measure, method, math.Log(e1/e0), logSE, conf)
	c.Estimate, c.Lower, c.Upper = math.Exp(c.Estimate), math.Exp(c.Lower), math.Exp(c.Upper)
	return c
}

// MilestoneComparison compares the event rates of two arms at a milestone.
type MilestoneComparison struct {
	Time       float64
	Arm0, Arm1 MilestoneRate
	Difference Contrast // Rate1 - Rate0
	Ratio      Contrast // Rate1 / Rate0
}

// Methods named in the milestone contrasts.
const (
	MethodRateDifference = "Wald, Greenwood variances: se = sqrt(se0² + se1²)"
	MethodRateRatio      = "Wald on the log ratio, delta method: se(log) = sqrt(se0²/F0² + se1²/F1²)"
)

// CompareMilestone compares the proportions with the event by time t,
// F = 1 - S(t), of arm 1 and arm 0 (conventionally treatment and control):
//
//	difference  F1 - F0,  se = sqrt(se(S1)² + se(S0)²)   (Greenwood)
//	ratio       F1 / F0,  se(log) = sqrt(se(S1)²/F1² + se(S0)²/F0²)
//
// with Wald intervals at the curves' ConfLevel and two-sided normal
// p-values (the ratio's on the log scale); see WaldDifference and WaldRatio. The
// arms are independent samples. If t is beyond either arm's follow-up both
// contrasts have StatusBeyondFollowUp and NaN values.
//
// Reference: Klein, Logan, Harhoff & Andersen (2007) Stat. Med.
// 26:4505–4519 (fixed-time-point comparisons of survival curves). R: the
// formulas applied to summary(fit, times = t)$surv and $std.err, as in
// testdata/make_nelsonaalen_reference.R.
//
// It returns an error for an invalid t (see Milestone). It panics if the
// curves have different confidence levels.
func CompareMilestone(arm0, arm1 *Curve, t float64) (*MilestoneComparison, error) {
	if arm0.ConfLevel != arm1.ConfLevel {
		panic(fmt.Sprintf("km: curves with confidence levels %v and %v", arm0.ConfLevel, arm1.ConfLevel))
	}
	m0, err := arm0.Milestone(t)
	if err != nil {
		return nil, err
	}
	m1, err := arm1.Milestone(t)
	if err != nil {
		return nil, err
	}
	const (
		diffName  = "event rate difference (arm 1 - arm 0)"
		ratioName = "event rate ratio (arm 1 / arm 0)"
	)
	conf := arm0.ConfLevel
	mc := &MilestoneComparison{Time: t, Arm0: m0, Arm1: m1}
	if m0.Status == StatusBeyondFollowUp || m1.Status == StatusBeyondFollowUp {
		mc.Difference = notReported(diffName, MethodRateDifference, conf, StatusBeyondFollowUp)
		mc.Ratio = notReported(ratioName, MethodRateRatio, conf, StatusBeyondFollowUp)
		return mc, nil
	}
	mc.Difference = WaldDifference(diffName, MethodRateDifference, m1.Rate-m0.Rate, math.Hypot(m0.StdErr, m1.StdErr), conf)
	mc.Ratio = WaldRatio(ratioName, MethodRateRatio, m0.Rate, m0.StdErr, m1.Rate, m1.StdErr, conf)
	return mc, nil
}

// notReported is a contrast with every value NaN and the given status.
func notReported(measure, method string, conf float64, status string) Contrast {
	nan := math.NaN()
	return Contrast{Measure: measure, Method: method, Estimate: nan, SE: nan, Lower: nan, Upper: nan,
		Z: nan, P: nan, ConfLevel: conf, Status: status}
}
