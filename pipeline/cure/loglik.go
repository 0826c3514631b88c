package cure

import "math"

// subjectTerms is the log-likelihood contribution of one subject and its
// first and second derivatives with respect to the three linear predictors
// a (logit of π), η (location of log T) and s (log σ).
type subjectTerms struct {
	l                      float64
	a, e, s                float64 // ∂ℓ/∂a, ∂ℓ/∂η, ∂ℓ/∂s
	aa, ae, as, ee, es, ss float64 // second derivatives
}

// logSigmoid returns log(1/(1+exp(-x))) without overflow.
func logSigmoid(x float64) float64 {
	if x >= 0 {
		return -math.Log1p(math.Exp(-x))
	}
	return x - math.Log1p(math.Exp(x))
}

// logAddExp returns log(exp(x) + exp(y)) without overflow.
func logAddExp(x, y float64) float64 {
	if x < y {
		x, y = y, x
	}
	if math.IsInf(y, -1) {
		return x
	}
	return x + math.Log1p(math.Exp(y-x))
}

const logSqrt2Pi = 0.91893853320467274178 // log(sqrt(2π))

// logNormalSurvival returns log Φ(-z), the log upper tail of the standard
// normal, accurate far into the tail: beyond z = 37, where erfc underflows,
// it uses the asymptotic series log φ(z) - log z + log(1 - 1/z² + 3/z⁴)
// (Abramowitz & Stegun 26.2.12), whose relative error there is below 1e-9.
func logNormalSurvival(z float64) float64 {
	if z < 37 {
		return math.Log(0.5 * math.Erfc(z/math.Sqrt2))
	}
	z2 := z * z
	return -z2/2 - logSqrt2Pi - math.Log(z) + math.Log1p(-1/z2+3/(z2*z2))
}

// latencyTail holds, at z = (log t - η)/σ, the log survival log S_W(z) of
// the standard error distribution W, the log of its CDF, and the ratios
// S_W'(z)/S_W(z) and S_W”(z)/S_W(z).
type latencyTail struct {
	logS, logF, h1, h2 float64
}

func tail(dist Distribution, z float64, ratios bool) latencyTail {
	if dist == LogNormal {
		logS := logNormalSurvival(z)
		if !ratios {
			return latencyTail{logS: logS}
		}
		lambda := math.Exp(-z*z/2 - logSqrt2Pi - logS) // φ(z)/Φ(-z)
		return latencyTail{logS: logS, logF: logNormalSurvival(-z), h1: -lambda, h2: z * lambda}
	}
	ez := math.Exp(z) // Weibull: S_W(z) = exp(-e^z)
	if !ratios {
		return latencyTail{logS: -ez}
	}
	return latencyTail{logS: -ez, logF: math.Log(-math.Expm1(-ez)), h1: -ez, h2: ez * (ez - 1)}
}

// logDensity returns log f_W(z) and its first two derivatives.
func logDensity(dist Distribution, z float64) (g, g1, g2 float64) {
	if dist == LogNormal {
		return -z*z/2 - logSqrt2Pi, -z, -1
	}
	ez := math.Exp(z)
	return z - ez, 1 - ez, -ez
}

// subject returns the contribution of a subject with log time logt and
// linear predictors a, eta, s (and sigma = e^s). With second false the second derivatives are
// left zero; with first false only l is set.
//
// For a function φ(z) of z = (log t - η)/σ, σ = e^s, the chain rule gives
//
//	φ_η = -φ'/σ,  φ_s = -zφ',  φ_ηη = φ''/σ²,  φ_ηs = (zφ'' + φ')/σ,  φ_ss = zφ' + z²φ''
//
// applied to log f_W for an event and to S_W for a censored subject, whose
// contribution log D, D = 1 - π + π S_W, is differentiated through
// ℓ” = D”/D - (D'/D)².
func subject(dist Distribution, event bool, logt, a, eta, s, sigma float64, first, second bool) subjectTerms {
	var d subjectTerms
	z := (logt - eta) / sigma
	logPi := logSigmoid(a)
	pi := math.Exp(logPi)
	if event {
		g, g1, g2 := logDensity(dist, z)
		d.l = logPi + g - s - logt
		if !first {
			return d
		}
		d.a = math.Exp(logSigmoid(-a)) // 1 - π
		d.e = -g1 / sigma
		d.s = -z*g1 - 1
		if second {
			d.aa = -pi * d.a
			d.ee = g2 / (sigma * sigma)
			d.es = (z*g2 + g1) / sigma
			d.ss = z*g1 + z*z*g2
		}
		return d
	}
	log1mPi := logPi - a // log(1-π) = log π - a
	w := tail(dist, z, first)
	d.l = logAddExp(log1mPi, logPi+w.logS)
	if !first {
		return d
	}
	oneMinusPi := math.Exp(log1mPi)
	r := math.Exp(logPi + w.logS - d.l)        // π S/D
	piFOverD := math.Exp(logPi + w.logF - d.l) // π (1-S)/D
	sE, sS := -w.h1/sigma, -z*w.h1             // S_η/S, S_s/S
	d.a = -oneMinusPi * piFOverD
	d.e = r * sE
	d.s = r * sS
	if second {
		sEE := w.h2 / (sigma * sigma)
		sES := (z*w.h2 + w.h1) / sigma
		sSS := z*w.h1 + z*z*w.h2
		d.aa = (1-2*pi)*d.a - d.a*d.a
		d.ae = oneMinusPi*r*sE - d.a*d.e
		d.as = oneMinusPi*r*sS - d.a*d.s
		d.ee = r*sEE - d.e*d.e
		d.es = r*sES - d.e*d.s
		d.ss = r*sSS - d.s*d.s
	}
	return d
}
