package km

import (
	"fmt"
	"math"
	"slices"

	"gonum.org/v1/gonum/stat/distuv"
)

// CumHaz is a Nelson–Aalen estimate of the cumulative hazard H(t). The
// slices have one entry per distinct time with an event or a censoring,
// ascending, the rows of the Kaplan–Meier Curve it is computed from (R's
// survfit object with ctype = 1).
type CumHaz struct {
	N, Events int // subjects and events
	// ConfType is the transform of H on which the confidence interval is
	// built: Log (H exp(±z se/H)) or Plain (H ± z se). See NelsonAalen.
	ConfType  ConfType
	ConfLevel float64 // the CI level used

	Time    []float64
	NRisk   []int // at risk just before Time
	NEvent  []int
	NCensor []int
	CumHaz  []float64 // H(Time), right-continuous
	// StdErr is the Aalen standard error of CumHaz, R survfit's std.chaz:
	// sqrt(sum d/n²).
	StdErr []float64
	// Lower and Upper are the pointwise confidence limits of H. With the log
	// transform they are NaN where CumHaz is 0 (before the first event; R's
	// NA).
	Lower, Upper []float64
}

// NelsonAalen estimates the cumulative hazard H(t) from right-censored data,
// optionally with delayed entry (opt.Entry), with the data conventions,
// checks and risk sets of KaplanMeier (a censoring at an event time is at
// risk; R's aeqSurv time fix). It is KaplanMeier followed by
// Curve.NelsonAalen; see there for the formulas. The error is that of
// KaplanMeier, wrapped; it panics as KaplanMeier does.
func NelsonAalen(time []float64, event []bool, opt Options) (*CumHaz, error) {
	c, err := KaplanMeier(time, event, opt)
	if err != nil {
		return nil, fmt.Errorf("could not estimate Nelson-Aalen cumulative hazard: %w", err)
	}
	return c.NelsonAalen(), nil
}

// NelsonAalen returns the Nelson–Aalen cumulative hazard computed from the
// risk sets of the curve, at the curve's confidence level. With n_j at risk
// and d_j events at the distinct event times t_j:
//
//	H(t)      = sum_{t_j <= t} d_j / n_j
//	se(H(t))  = sqrt( sum_{t_j <= t} d_j / n_j² )          (Aalen)
//	log:      H exp(∓ z se/H)   (NaN where H = 0)
//	plain:    H ∓ z se, lower limit clipped at 0
//
// with z = Φ⁻¹(1 - (1-ConfLevel)/2). The log interval is the default: it is
// used when the curve's ConfType is LogLog (it is the log-log interval of
// exp(-H): log(-log S) = log H) or Log; Plain gives the plain interval.
// Neither limit is capped above.
//
// The variance is R survival 3.5's std.chaz (src/survfitkm.c accumulates
// d/n² for ctype = 1), not the Greenwood-type d(n-d)/n³ variant (Klein 1991).
// The limits equal R's transform of the cumulative hazard, as
// plot(fit, cumhaz = TRUE, conf.type = ct) draws it:
// survival:::survfit_confint(fit$cumhaz, fit$std.chaz, logse = FALSE,
// conf.type = ct, ulimit = FALSE) with ct "log" or "plain".
//
// References: Nelson (1972) Technometrics 14:945–966; Aalen (1978) Ann.
// Statist. 6:701–726; Klein & Moeschberger (2003), section 4.2. R
// equivalent: survfit(Surv(time, status) ~ 1, ctype = 1): fit$cumhaz,
// fit$std.chaz (Surv(entry, time, status) with delayed entry); SAS: PROC
// LIFETEST METHOD=NA (NELSON option in recent releases).
func (c *Curve) NelsonAalen() *CumHaz {
	k := len(c.Time)
	h := &CumHaz{
		N:         c.N,
		Events:    c.Events,
		ConfType:  Log,
		ConfLevel: c.ConfLevel,
		Time:      slices.Clone(c.Time),
		NRisk:     slices.Clone(c.NRisk),
		NEvent:    slices.Clone(c.NEvent),
		NCensor:   slices.Clone(c.NCensor),
		CumHaz:    make([]float64, k),
		StdErr:    make([]float64, k),
		Lower:     make([]float64, k),
		Upper:     make([]float64, k),
	}
	if c.ConfType == Plain {
		h.ConfType = Plain
	}
	z := distuv.UnitNormal.Quantile(1 - (1-c.ConfLevel)/2)
	cum, variance := 0.0, 0.0
	for j := range k {
		if d := float64(c.NEvent[j]); d > 0 {
			n := float64(c.NRisk[j])
			cum += d / n
			variance += d / (n * n)
		}
		se := math.Sqrt(variance)
		h.CumHaz[j], h.StdErr[j] = cum, se
		h.Lower[j], h.Upper[j] = cumHazLimits(h.ConfType, z, cum, se)
	}
	return h
}

// cumHazLimits returns the confidence limits of a cumulative hazard cum with
// standard error se, on the log (ct == Log) or plain scale.
func cumHazLimits(ct ConfType, z, cum, se float64) (lower, upper float64) {
	if ct == Plain {
		return math.Max(cum-z*se, 0), cum + z*se
	}
	if cum == 0 {
		return math.NaN(), math.NaN()
	}
	w := z * se / cum
	return cum * math.Exp(-w), cum * math.Exp(w)
}

// At returns the estimate H(t) of the right-continuous step function: 0
// before the first time, CumHaz[j] for Time[j] <= t < Time[j+1]. It returns
// NaN if t is NaN.
func (h *CumHaz) At(t float64) float64 {
	if math.IsNaN(t) {
		return math.NaN()
	}
	j, found := slices.BinarySearch(h.Time, t)
	if found {
		j++
	}
	if j == 0 {
		return 0
	}
	return h.CumHaz[j-1]
}
