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
	lg := logistic(a)
	if event {
		g, g1, g2 := logDensity(dist, z)
		d.l = lg.logPi + g - s - logt
		if !first {
			return d
		}
		d.a = lg.oneMinusPi
		d.e = -g1 / sigma
		d.s = -z*g1 - 1
		if second {
			d.aa = -lg.pi * lg.oneMinusPi
			d.ee = g2 / (sigma * sigma)
			d.es = (z*g2 + g1) / sigma
			d.ss = z*g1 + z*z*g2
		}
		return d
	}
	c, ok := censoredFast(dist, z, lg, first)
	if !ok {
		c = censoredLog(dist, z, a, lg, first)
	}
	d.l = c.l
	if !first {
		return d
	}
	sE, sS := -c.h1/sigma, -z*c.h1 // S_η/S, S_s/S
	d.a = -lg.oneMinusPi * c.piFOverD
	d.e = c.r * sE
	d.s = c.r * sS
	if second {
		sEE := c.h2 / (sigma * sigma)
		sES := (z*c.h2 + c.h1) / sigma
		sSS := z*c.h1 + z*z*c.h2
		d.aa = (1-2*lg.pi)*d.a - d.a*d.a
		d.ae = lg.oneMinusPi*c.r*sE - d.a*d.e
		d.as = lg.oneMinusPi*c.r*sS - d.a*d.s
		d.ee = c.r*sEE - d.e*d.e
		d.es = c.r*sES - d.e*d.s
		d.ss = c.r*sSS - d.s*d.s
	}
	return d
}

// fastLogit bounds |logit π| for the direct formulas: e^30 neither
// overflows nor swamps 1 + e^-a beyond what log1p handles.
const fastLogit = 30

// logisticTerms holds π = 1/(1+e^-a) in the forms the likelihood needs;
// ea is e^-a, or NaN when |a| > fastLogit.
type logisticTerms struct {
	logPi, pi, oneMinusPi, ea float64
}

func logistic(a float64) logisticTerms {
	if math.Abs(a) <= fastLogit {
		ea := math.Exp(-a)
		return logisticTerms{logPi: -math.Log1p(ea), pi: 1 / (1 + ea), oneMinusPi: ea / (1 + ea), ea: ea}
	}
	logPi := logSigmoid(a)
	return logisticTerms{logPi: logPi, pi: math.Exp(logPi), oneMinusPi: math.Exp(logPi - a), ea: math.NaN()}
}

// censoredTerms is what a censored subject's derivatives need: l = log D,
// D = 1 - π + π S; r = π S/D; piFOverD = π (1-S)/D; and the ratios h1 =
// S'/S, h2 = S”/S of the standard survival S = S_W(z).
type censoredTerms struct {
	l, r, piFOverD, h1, h2 float64
}

// censoredFast computes censoredTerms directly, with D = (e^-a + S)/(1 + e^-a),
// so π/D = 1/(e^-a + S). It reports false when |a| > fastLogit or S
// underflows, where censoredLog must be used. With first false only l is
// set.
func censoredFast(dist Distribution, z float64, lg logisticTerms, first bool) (censoredTerms, bool) {
	var c censoredTerms
	if math.IsNaN(lg.ea) {
		return c, false
	}
	var S, F float64
	if dist == LogNormal {
		S = 0.5 * math.Erfc(z/math.Sqrt2)
		if S < 1e-300 {
			return c, false
		}
		F = 0.5 * math.Erfc(-z/math.Sqrt2)
		if first {
			lambda := math.Exp(-z*z/2-logSqrt2Pi) / S // φ(z)/Φ(-z)
			c.h1, c.h2 = -lambda, z*lambda
		}
	} else {
		ez := math.Exp(z)
		S = math.Exp(-ez)
		if S == 0 {
			return c, false
		}
		F = -math.Expm1(-ez)
		if first {
			c.h1, c.h2 = -ez, ez*(ez-1)
		}
	}
	denom := lg.ea + S
	if piF := lg.pi * F; piF < 0.5 {
		c.l = math.Log1p(-piF) // D = 1 - πF, accurate when D is near 1
	} else {
		c.l = math.Log(denom) + lg.logPi
	}
	c.r, c.piFOverD = S/denom, F/denom
	return c, true
}

// censoredLog computes censoredTerms on the log scale, safe for any a and
// for S far below the smallest float.
func censoredLog(dist Distribution, z, a float64, lg logisticTerms, first bool) censoredTerms {
	log1mPi := lg.logPi - a // log(1-π) = log π - a, finite where 1-π underflows
	w := tail(dist, z, first)
	c := censoredTerms{l: logAddExp(log1mPi, lg.logPi+w.logS)}
	if !first {
		return c
	}
	c.r = math.Exp(lg.logPi + w.logS - c.l)
	c.piFOverD = math.Exp(lg.logPi + w.logF - c.l)
	c.h1, c.h2 = w.h1, w.h2
	return c
}
