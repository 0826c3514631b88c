package aft

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/mathext"
)

// GenGamma is the generalized gamma distribution of Prentice (1974) in the
// parameterisation of R flexsurv's dgengamma: with w = (log t - Mu)/Sigma
// and a = Q^-2,
//
//	f(t) = |Q| a^a / (Sigma t Gamma(a)) exp(a (Q w - exp(Q w)))     (Q != 0)
//	S(t) = 1 - P(a, a exp(Q w)) (Q > 0),  P(a, a exp(Q w)) (Q < 0)
//
// with P the regularized lower incomplete gamma function; at Q = 0 it is
// the log-normal, log T ~ N(Mu, Sigma^2). Q = 1 is the Weibull with
// survreg scale Sigma, Q = Sigma the gamma. Near Q = 0 the density is
// evaluated in a form without cancellation and, for |Q| < 2e-4, S(t) by
// its second-order expansion in Q (see logSurvivalW), so the family is continuous through 0.
type GenGamma struct {
	Mu    float64 // location of log T; any real number
	Sigma float64 // scale > 0
	Q     float64 // shape; any real number
}

// qSeries is the |Q| below which S(t) uses the expansion of F in Q. Above
// it the regularized incomplete gamma function is used; its argument
// a exp(Q w) carries a rounding error that costs about eps/|Q| relative
// accuracy (1e-11 at Q = 1e-6), while the expansion's error is about
// 0.02 |Q|^3: both are near 1e-13 at the crossover. The expansion is
// obtained by integrating f = phi(w) [1 - Q w^3/6 + Q^2 (w^6/72 - w^4/24 - 1/12)] + O(Q^3):
//
//	F(w) = Phi(w) + Q (w^2 + 2) phi(w)/6 - Q^2 (w^5 + 2 w^3 + 6 w) phi(w)/72 + O(Q^3).
const qSeries = 2e-4

// stirlingRemainder returns lgamma(a) - ((a - 1/2) log a - a + log(2 pi)/2),
// the remainder of Stirling's series (Abramowitz and Stegun 6.1.41).
func stirlingRemainder(a float64) float64 {
	if a < 15 {
		lg, _ := math.Lgamma(a)
		return lg - ((a-0.5)*math.Log(a) - a + 0.5*math.Log(2*math.Pi))
	}
	a2 := a * a
	return (1.0/12 - (1.0/360-(1.0/1260-1.0/(1680*a2))/a2)/a2) / a
}

// expRemainder returns (exp(u) - 1 - u)/u^2, 1/2 at u = 0.
func expRemainder(u float64) float64 {
	if math.Abs(u) < 1e-3 {
		return 0.5 + u*(1.0/6+u*(1.0/24+u*(1.0/120+u/720)))
	}
	return (math.Expm1(u) - u) / (u * u)
}

// logDensityW returns the log density of the standardised W = (log T - Mu)/Sigma:
//
//	log|Q| + a log a - lgamma(a) + a (Q w - exp(Q w))
//	  = -log(2 pi)/2 - c(a) - w^2 (exp(Q w) - 1 - Q w)/(Q w)^2,
//
// c the Stirling remainder, which has no cancellation as Q -> 0.
func logDensityW(w, q float64) float64 {
	var c float64
	if q != 0 {
		c = stirlingRemainder(1 / (q * q))
	}
	return -0.5*math.Log(2*math.Pi) - c - w*w*expRemainder(q*w)
}

// survivalW returns P(W > w) and P(W <= w).
func survivalW(w, q float64) (sf, cdf float64) {
	if math.Abs(q) < qSeries {
		phi := math.Exp(-w*w/2) / math.Sqrt(2*math.Pi)
		w2 := w * w
		d := q*(w2+2)*phi/6 - q*q*w*(w2*w2+2*w2+6)*phi/72
		return math.Erfc(w/math.Sqrt2)/2 - d, math.Erfc(-w/math.Sqrt2)/2 + d
	}
	a := 1 / (q * q)
	x := a * math.Exp(q*w)
	if math.IsInf(x, 1) {
		if q > 0 {
			return 0, 1
		}
		return 1, 0
	}
	upper, lower := mathext.GammaIncRegComp(a, x), mathext.GammaIncReg(a, x)
	if q > 0 {
		return upper, lower
	}
	return lower, upper
}

func (g GenGamma) w(t float64) float64 { return (math.Log(t) - g.Mu) / g.Sigma }

// LogProb returns the log density at t; -Inf for t <= 0.
func (g GenGamma) LogProb(t float64) float64 {
	if t <= 0 {
		return math.Inf(-1)
	}
	return logDensityW(g.w(t), g.Q) - math.Log(g.Sigma*t)
}

// Prob returns the density at t.
func (g GenGamma) Prob(t float64) float64 { return math.Exp(g.LogProb(t)) }

// Survival returns S(t) = P(T > t); 1 for t <= 0.
func (g GenGamma) Survival(t float64) float64 {
	if t <= 0 {
		return 1
	}
	sf, _ := survivalW(g.w(t), g.Q)
	return sf
}

// CDF returns P(T <= t); 0 for t <= 0.
func (g GenGamma) CDF(t float64) float64 {
	if t <= 0 {
		return 0
	}
	_, cdf := survivalW(g.w(t), g.Q)
	return cdf
}

// Hazard returns f(t)/S(t); 0 for t <= 0.
func (g GenGamma) Hazard(t float64) float64 {
	if t <= 0 {
		return 0
	}
	return math.Exp(g.LogProb(t) - math.Log(g.Survival(t)))
}

// Quantile returns the p quantile, as flexsurv's qgengamma: for Q != 0
// exp(Mu + Sigma log(G/a)/Q) with G the p (Q > 0) or 1 - p (Q < 0)
// quantile of Gamma(a, 1). For |Q| below 2e-4 it inverts the expansion
// used by Survival by Newton's method from the log-normal quantile. It
// panics if p is not in [0, 1].
func (g GenGamma) Quantile(p float64) float64 {
	if !(p >= 0 && p <= 1) {
		panic(fmt.Sprintf("aft: GenGamma.Quantile: p = %v is not in [0, 1]", p))
	}
	if p == 0 {
		return 0
	}
	if p == 1 {
		return math.Inf(1)
	}
	q := g.Q
	if math.Abs(q) >= qSeries {
		a := 1 / (q * q)
		pp := p
		if q < 0 {
			pp = 1 - p
		}
		gq := mathext.GammaIncRegInv(a, pp)
		return math.Exp(g.Mu + g.Sigma*math.Log(gq/a)/q)
	}
	w := -math.Sqrt2 * math.Erfcinv(2*p)
	for range 20 {
		_, cdf := survivalW(w, q)
		step := (cdf - p) / math.Exp(logDensityW(w, q))
		w -= step
		if math.Abs(step) < 1e-14*(1+math.Abs(w)) {
			break
		}
	}
	return math.Exp(g.Mu + g.Sigma*w)
}

// obsLogLik returns the log-likelihood contribution of one observation of
// kind code with log bounds y (and yHi), given eta = Mu, log(sigma) and Q,
// without the -log t Jacobian of exact times.
func genGammaObs(code int8, y, yHi, eta, logSigma, q float64) float64 {
	sigma := math.Exp(logSigma)
	w := (y - eta) / sigma
	switch code {
	case censExact:
		return logDensityW(w, q) - logSigma
	case censRight:
		sf, _ := survivalW(w, q)
		return math.Log(sf)
	case censLeft:
		_, cdf := survivalW(w, q)
		return math.Log(cdf)
	}
	wu := (yHi - eta) / sigma
	sf, cdf := survivalW(w, q)
	sfU, cdfU := survivalW(wu, q)
	if w > 0 {
		return math.Log(sf - sfU)
	}
	return math.Log(cdfU - cdf)
}
