package aft

import (
	"fmt"
	"math"
	"strings"
)

// Dist names the distribution of the survival time T in the location-scale
// model log T = x'beta + sigma W, with R survreg's names.
type Dist string

const (
	// Exponential: W standard extreme value (minimum), sigma fixed at 1.
	Exponential Dist = "exponential"
	// Weibull: W standard extreme value (minimum), shape 1/sigma.
	Weibull Dist = "weibull"
	// LogNormal: W standard normal.
	LogNormal Dist = "lognormal"
	// LogLogistic: W standard logistic.
	LogLogistic Dist = "loglogistic"
)

// Dists lists the distributions Fit accepts, in the order of error messages.
var Dists = []Dist{Exponential, Weibull, LogNormal, LogLogistic}

// ParseDist returns the Dist named by s, ignoring case and surrounding
// blanks; R's aliases "loggaussian" (lognormal) are accepted.
func ParseDist(s string) (Dist, error) {
	t := strings.ToLower(strings.TrimSpace(s))
	if t == "loggaussian" {
		return LogNormal, nil
	}
	for _, d := range Dists {
		if t == string(d) {
			return d, nil
		}
	}
	return "", fmt.Errorf("unknown distribution %q: use one of %q, %q, %q or %q", s, Exponential, Weibull, LogNormal, LogLogistic)
}

func (d Dist) valid() bool {
	switch d {
	case Exponential, Weibull, LogNormal, LogLogistic:
		return true
	}
	return false
}

// fixedScale reports whether sigma is fixed (at 1) rather than estimated.
func (d Dist) fixedScale() bool { return d == Exponential }

// kind is the standard distribution of W.
type kind int

const (
	extreme kind = iota
	logistic
	gaussian
)

func (d Dist) kind() kind {
	switch d {
	case LogNormal:
		return gaussian
	case LogLogistic:
		return logistic
	}
	return extreme
}

// small is survregc1's SMALL: the log-density used where the density
// underflows to 0, and the bound on z in the extreme value functions.
const small = -200

// densityFuns returns, for the standard density f of W at z, R survreg's
// five-number summary (survreg.distributions$density):
//
//	cdf = F(z), sf = 1 - F(z), f(z), f'(z)/f(z), f''(z)/f(z)
//
// computed as survregc1.c does (F and 1 - F separately, exp of a
// non-positive argument only where the symmetry allows).
func (k kind) densityFuns(z float64) (cdf, sf, f, dlf, ddf float64) {
	switch k {
	case extreme:
		var w float64
		switch {
		case z < small:
			w = math.Exp(small)
		case -z < small:
			w = math.Exp(-small)
		default:
			w = math.Exp(z)
		}
		e := math.Exp(-w)
		return -math.Expm1(-w), e, w * e, 1 - w, w*(w-3) + 1
	case logistic:
		var w, sign float64
		if z > 0 {
			w, sign = math.Exp(-z), -1
		} else {
			w, sign = math.Exp(z), 1
		}
		t := 1 + w
		f = w / (t * t)
		dlf = sign * (1 - w) / t
		ddf = (w*w - 4*w + 1) / (t * t)
		if z > 0 {
			return 1 / t, w / t, f, dlf, ddf
		}
		return w / t, 1 / t, f, dlf, ddf
	default:
		f = math.Exp(-z*z/2) / math.Sqrt(2*math.Pi)
		cdf = math.Erfc(-z/math.Sqrt2) / 2
		sf = math.Erfc(z/math.Sqrt2) / 2
		return cdf, sf, f, -z, z*z - 1
	}
}

// quantile returns the p quantile of W.
func (k kind) quantile(p float64) float64 {
	switch k {
	case extreme:
		return math.Log(-math.Log1p(-p))
	case logistic:
		return math.Log(p / (1 - p))
	default:
		return -math.Sqrt2 * math.Erfcinv(2*p)
	}
}
