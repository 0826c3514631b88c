package aft

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/stat/distuv"
)

// Distribution is the fitted distribution of the survival time T of one
// subject: log T = Location + Scale W, W the standard extreme value (Weibull,
// Exponential), normal (LogNormal) or logistic (LogLogistic) variable. It
// follows gonum's distuv conventions.
type Distribution struct {
	Dist     Dist
	Location float64 // x'beta, on the log-time scale; any real number
	Scale    float64 // sigma > 0; the Weibull shape is 1/Scale
}

// z returns the standardised log time (log t - Location)/Scale.
func (d Distribution) z(t float64) float64 { return (math.Log(t) - d.Location) / d.Scale }

// Survival returns S(t) = P(T > t); 1 for t <= 0.
func (d Distribution) Survival(t float64) float64 {
	if t <= 0 {
		return 1
	}
	_, sf, _, _, _ := d.Dist.kind().densityFuns(d.z(t))
	return sf
}

// LogSurvival returns log S(t).
func (d Distribution) LogSurvival(t float64) float64 {
	if t <= 0 {
		return 0
	}
	z := d.z(t)
	if d.Dist.kind() == extreme {
		return -math.Exp(z) // exact: S = exp(-e^z)
	}
	return math.Log(d.Survival(t))
}

// CDF returns F(t) = P(T <= t); 0 for t <= 0.
func (d Distribution) CDF(t float64) float64 {
	if t <= 0 {
		return 0
	}
	cdf, _, _, _, _ := d.Dist.kind().densityFuns(d.z(t))
	return cdf
}

// LogProb returns the log density of T at t: log f(z) - log(Scale t);
// -Inf for t <= 0.
func (d Distribution) LogProb(t float64) float64 {
	if t <= 0 {
		return math.Inf(-1)
	}
	z := d.z(t)
	var lf float64
	switch d.Dist.kind() {
	case extreme:
		lf = z - math.Exp(z)
	case logistic:
		lf = -math.Abs(z) - 2*math.Log1p(math.Exp(-math.Abs(z)))
	default:
		lf = -z*z/2 - 0.5*math.Log(2*math.Pi)
	}
	return lf - math.Log(d.Scale*t)
}

// Prob returns the density of T at t.
func (d Distribution) Prob(t float64) float64 { return math.Exp(d.LogProb(t)) }

// Hazard returns the hazard f(t)/S(t); 0 for t <= 0.
func (d Distribution) Hazard(t float64) float64 {
	if t <= 0 {
		return 0
	}
	return math.Exp(d.LogProb(t) - d.LogSurvival(t))
}

// Quantile returns the p quantile of T, exp(Location + Scale w_p) with w_p
// the p quantile of W. It panics if p is not in [0, 1].
func (d Distribution) Quantile(p float64) float64 {
	if !(p >= 0 && p <= 1) {
		panic(fmt.Sprintf("aft: Quantile: p = %v is not in [0, 1]", p))
	}
	return math.Exp(d.Location + d.Scale*d.Dist.kind().quantile(p))
}

// Mean returns E[T].
func (d Distribution) Mean() float64 {
	s := d.Scale
	switch d.Dist.kind() {
	case extreme:
		return math.Exp(d.Location) * math.Gamma(1+s)
	case logistic:
		if s >= 1 {
			return math.Inf(1)
		}
		return math.Exp(d.Location) * math.Pi * s / math.Sin(math.Pi*s)
	}
	return math.Exp(d.Location + s*s/2)
}

// linearRow returns the design row (1, x) and the location x'beta, with
// redundant (NaN) coefficients left out. It panics if len(x) is not the
// number of covariates.
func (m *Model) linearRow(x []float64) ([]float64, float64) {
	p := m.NumLocation()
	if len(x) != p-1 {
		panic(fmt.Sprintf("aft: %d covariate values given, the model has %d (%v)", len(x), p-1, m.Names[1:p]))
	}
	row := append([]float64{1}, x...)
	if m.Coef == nil { // not estimable
		return row, math.NaN()
	}
	var lp float64
	for j, v := range row {
		if !math.IsNaN(m.Coef[j]) {
			lp += m.Coef[j] * v
		}
	}
	return row, lp
}

// At returns the fitted distribution of T for the covariate values x (one
// per covariate column given to Fit, without the intercept). For a model
// with Status "not_estimable" its parameters are NaN. It panics if len(x)
// is wrong.
func (m *Model) At(x []float64) Distribution {
	_, lp := m.linearRow(x)
	return Distribution{Dist: m.Dist, Location: lp, Scale: m.Scale}
}

// quadForm returns g' Var g over the non-redundant terms.
func (m *Model) quadForm(g []float64) float64 {
	var v float64
	for a := range g {
		for b := range g {
			if c := m.Var[a][b]; !math.IsNaN(c) {
				v += g[a] * c * g[b]
			}
		}
	}
	return v
}

// QuantilePrediction is a predicted quantile of T with its delta-method
// standard error.
type QuantilePrediction struct {
	P        float64 // probability
	Quantile float64 // exp(x'b + sigma w_p)
	// SE is the standard error of Quantile, R's se.fit: Quantile times the
	// standard error of the log quantile, sqrt(g' Var g) with
	// g = (x, sigma w_p) (the last component only when sigma is estimated).
	SE float64
	// Lower and Upper are the ConfLevel interval exp(log q ± z se(log q)),
	// built on the log-time scale so that it stays positive.
	Lower, Upper float64
}

// PredictQuantile returns the quantiles ps of T for the covariate values x
// with delta-method standard errors, as R's
//
//	predict(fit, newdata, type = "quantile", p = ps, se.fit = TRUE)
//
// It panics if len(x) is wrong or a p is not in (0, 1).
func (m *Model) PredictQuantile(x []float64, ps []float64) []QuantilePrediction {
	row, lp := m.linearRow(x)
	k := m.Dist.kind()
	zc := distuv.UnitNormal.Quantile((1 + m.ConfLevel) / 2)
	g := make([]float64, len(m.Coef))
	copy(g, row)
	out := make([]QuantilePrediction, len(ps))
	for i, p := range ps {
		if !(p > 0 && p < 1) {
			panic(fmt.Sprintf("aft: PredictQuantile: p = %v is not in (0, 1)", p))
		}
		w := k.quantile(p)
		lq := lp + m.Scale*w
		if len(g) > len(row) {
			g[len(row)] = m.Scale * w
		}
		se := math.Sqrt(m.quadForm(g))
		q := math.Exp(lq)
		out[i] = QuantilePrediction{P: p, Quantile: q, SE: q * se, Lower: math.Exp(lq - zc*se), Upper: math.Exp(lq + zc*se)}
	}
	return out
}

// SurvivalPoint is the fitted S(t) at one time with its pointwise interval.
type SurvivalPoint struct {
	Time, Surv, Lower, Upper float64
	// SEZ is the delta-method standard error of z = (log t - x'b)/sigma.
	SEZ float64
}

// SurvivalCurve returns the fitted survival function for the covariate
// values x at the given times, with pointwise ConfLevel intervals by the
// delta method on the standardised log-time scale
//
//	z = (log t - x'b)/sigma,  var(z) = g' Var g,  g = (-x/sigma, -z),
//	S = S0(z),  [S0(z + c se(z)), S0(z - c se(z))],
//
// (the -z component only when sigma is estimated). z is log H(t), the
// log cumulative hazard, for the Weibull and exponential, logit F(t) for the
// log-logistic and probit F(t) for the log-normal, so the limits lie in
// [0, 1]. R has no function for this; the reference values are computed
// from fit$var in testdata/make_reference.R. It panics if len(x) is wrong.
func (m *Model) SurvivalCurve(x []float64, times []float64) []SurvivalPoint {
	row, lp := m.linearRow(x)
	k := m.Dist.kind()
	c := distuv.UnitNormal.Quantile((1 + m.ConfLevel) / 2)
	g := make([]float64, len(m.Coef))
	out := make([]SurvivalPoint, len(times))
	for i, t := range times {
		if !(t > 0) {
			out[i] = SurvivalPoint{Time: t, Surv: 1, Lower: 1, Upper: 1}
			continue
		}
		z := (math.Log(t) - lp) / m.Scale
		for j, v := range row {
			g[j] = -v / m.Scale
		}
		if len(g) > len(row) {
			g[len(row)] = -z
		}
		se := math.Sqrt(m.quadForm(g))
		_, s, _, _, _ := k.densityFuns(z)
		_, lo, _, _, _ := k.densityFuns(z + c*se)
		_, hi, _, _, _ := k.densityFuns(z - c*se)
		out[i] = SurvivalPoint{Time: t, Surv: s, Lower: lo, Upper: hi, SEZ: se}
	}
	return out
}
