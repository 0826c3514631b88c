package cure

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/stat/distuv"
)

// Profile is a covariate profile: the values of the incidence and latency
// Design columns (without the intercepts, in Design order) for which a
// curve or summary is wanted.
//
// For a per-arm summary set the arm's dummies (1 for the arm, 0 for the
// others; all 0 for the reference arm) and every other covariate at a
// chosen value: Model.MeanProfile gives the sample means of all columns,
// and the caller overwrites the arm dummies, which is the convention of the
// reference tests (covariates at their mean); zeros give the reference
// level of every factor.
type Profile struct {
	Incidence, Latency []float64
}

// MeanProfile returns the profile with every Design column at its sample
// mean. Its slices are fresh copies that the caller may modify.
func (m *Model) MeanProfile() Profile {
	return Profile{
		Incidence: append([]float64(nil), m.zMean...),
		Latency:   append([]float64(nil), m.xMean...),
	}
}

// IncidenceTerms returns the terms of the logistic model of π.
func (m *Model) IncidenceTerms() []Term { return m.Terms[:m.nz] }

// LatencyTerms returns the terms of the AFT latency model, log(scale) last.
func (m *Model) LatencyTerms() []Term { return m.Terms[m.nz:] }

// gradients returns the gradients with respect to the parameters of the
// logit of π and of the latency location β_0 + x'β at profile pr.
func (m *Model) gradients(pr Profile) (cz, cx []float64) {
	if len(pr.Incidence) != m.nz-1 || len(pr.Latency) != m.nx-1 {
		panic(fmt.Sprintf("cure: profile has %d incidence and %d latency values, want %d and %d",
			len(pr.Incidence), len(pr.Latency), m.nz-1, m.nx-1))
	}
	dim := len(m.Terms)
	cz, cx = make([]float64, dim), make([]float64, dim)
	cz[0] = 1
	copy(cz[1:], pr.Incidence)
	cx[m.nz] = 1
	copy(cx[m.nz+1:], pr.Latency)
	return cz, cx
}

func (m *Model) linear(c []float64) float64 {
	var s float64
	for j, t := range m.Terms {
		s += c[j] * t.Coef
	}
	return s
}

func (m *Model) quadratic(c []float64) float64 {
	var s float64
	for i := range c {
		for j := range c {
			s += c[i] * m.Var[i][j] * c[j]
		}
	}
	return s
}

// Curve returns the fitted curve at profile pr. It panics if pr does not
// have one value per Design column.
func (m *Model) Curve(pr Profile) Curve {
	cz, cx := m.gradients(pr)
	return Curve{
		Fraction: sigmoid(m.linear(cz)),
		Latency:  m.Latency,
		Mu:       m.linear(cx),
		Sigma:    math.Exp(m.Terms[len(m.Terms)-1].Coef),
	}
}

// Summary is the fitted model at one covariate profile.
type Summary struct {
	// Fraction is π, the probability of the event eventually (the
	// responder fraction), with its delta-method CI built on the logit
	// scale: expit(logit π ± z se(logit π)).
	Fraction, FractionLower, FractionUpper float64
	// Median is the latency median among the susceptible,
	// exp(μ + σ w_0.5) with w_0.5 = log(log 2) (Weibull) or 0 (log-normal),
	// with its delta-method CI built on log t: exp(log Median ± z se).
	Median, MedianLower, MedianUpper float64
	Curve                            Curve // the population curve at the profile
}

// Summary returns the responder fraction and the latency median with
// Wald confidence intervals at level ConfLevel, at profile pr. With
// c_z = (1, pr.Incidence) and c_x = (1, pr.Latency),
//
//	logit π   = c_z'γ,                var = c_z' V_γγ c_z
//	log median = c_x'β + σ w_0.5,      var = g' V g,  g = (c_x, σ w_0.5) on (β, log σ)
//
// with V the covariance of the estimates (Model.Var). The limits are NaN
// when Model.Status is not_estimable (no covariance). It panics if pr does
// not have one value per Design column.
func (m *Model) Summary(pr Profile) Summary {
	cz, cx := m.gradients(pr)
	c := m.Curve(pr)
	w := c.standardQuantile(0.5)
	cx[len(cx)-1] = c.Sigma * w
	logit, seLogit := m.linear(cz), math.Sqrt(m.quadratic(cz))
	logMed, seMed := c.Mu+c.Sigma*w, math.Sqrt(m.quadratic(cx))
	z := m.quantile
	return Summary{
		Fraction:      c.Fraction,
		FractionLower: sigmoid(logit - z*seLogit),
		FractionUpper: sigmoid(logit + z*seLogit),
		Median:        math.Exp(logMed),
		MedianLower:   math.Exp(logMed - z*seMed),
		MedianUpper:   math.Exp(logMed + z*seMed),
		Curve:         c,
	}
}

func sigmoid(x float64) float64 { return math.Exp(logSigmoid(x)) }

// Curve is a fitted mixture cure curve for one covariate profile:
//
//	S(t) = 1 - π + π S_u(t),   S_u(t) = S_W((log t - Mu)/Sigma)
//
// Its methods follow gonum's distuv distributions. The population
// distribution is improper: S(t) tends to 1 - π, not 0.
type Curve struct {
	Fraction float64      // π in [0, 1]: probability of the event eventually
	Latency  Distribution // Weibull or LogNormal
	Mu       float64      // location of log T among the susceptible
	Sigma    float64      // scale of log T, > 0 (Weibull shape = 1/Sigma)
}

func (c Curve) w(t float64) float64 { return (math.Log(t) - c.Mu) / c.Sigma }

// LatencySurvival returns S_u(t), the survival among the susceptible.
func (c Curve) LatencySurvival(t float64) float64 {
	if t <= 0 {
		return 1
	}
	return math.Exp(tail(c.Latency, c.w(t), false).logS)
}

// LatencyProb returns f_u(t), the latency density among the susceptible.
func (c Curve) LatencyProb(t float64) float64 {
	if t <= 0 {
		return 0
	}
	g, _, _ := logDensity(c.Latency, c.w(t))
	return math.Exp(g) / (c.Sigma * t)
}

// Survival returns S(t) = 1 - π + π S_u(t).
func (c Curve) Survival(t float64) float64 {
	return 1 - c.Fraction + c.Fraction*c.LatencySurvival(t)
}

// CDF returns 1 - S(t) = π (1 - S_u(t)), at most π.
func (c Curve) CDF(t float64) float64 {
	if t <= 0 {
		return 0
	}
	return c.Fraction * math.Exp(tail(c.Latency, c.w(t), true).logF)
}

// Prob returns the (defective) density π f_u(t).
func (c Curve) Prob(t float64) float64 { return c.Fraction * c.LatencyProb(t) }

// Hazard returns the population hazard π f_u(t) / S(t), which tends to 0 as
// t grows when π < 1.
func (c Curve) Hazard(t float64) float64 {
	if t <= 0 {
		return 0
	}
	return c.Prob(t) / c.Survival(t)
}

// Quantile returns the t with CDF(t) = p: exp(Mu + Sigma w_{p/π}), where
// w_q is the q quantile of W. It is +Inf when p >= π (never reached: the
// curve levels off at 1 - π) and 0 when p is 0. It panics if p is not in
// [0, 1].
func (c Curve) Quantile(p float64) float64 {
	if !(p >= 0 && p <= 1) {
		panic(fmt.Sprintf("cure: quantile probability %v not in [0, 1]", p))
	}
	if p >= c.Fraction {
		return math.Inf(1)
	}
	return c.LatencyQuantile(p / c.Fraction)
}

// LatencyQuantile returns the p quantile of the latency among the
// susceptible, exp(Mu + Sigma w_p). It panics if p is not in [0, 1].
func (c Curve) LatencyQuantile(p float64) float64 {
	if !(p >= 0 && p <= 1) {
		panic(fmt.Sprintf("cure: quantile probability %v not in [0, 1]", p))
	}
	return math.Exp(c.Mu + c.Sigma*c.standardQuantile(p))
}

// standardQuantile returns the p quantile of W.
func (c Curve) standardQuantile(p float64) float64 {
	if c.Latency == LogNormal {
		return distuv.UnitNormal.Quantile(p)
	}
	return math.Log(-math.Log1p(-p))
}
