package cmprsk

import (
	"fmt"
	"math"
	"strings"

	"gonum.org/v1/gonum/stat/distuv"
)

// ConfType is the scale on which a pointwise confidence interval for a state
// probability p (a cumulative incidence, a probability of being in a state)
// is built.
type ConfType string

// Confidence interval types, with R survfit's names. R's default for
// multi-state curves, and this package's, is Log.
const (
	Log    ConfType = "log"     // exp(log p ± z se/p), upper clipped at 1
	LogLog ConfType = "log-log" // on log(-log p)
	Plain  ConfType = "plain"   // p ± z se, clipped to [0, 1]
	Logit  ConfType = "logit"   // on log(p/(1-p))
	Arcsin ConfType = "arcsin"  // on asin(sqrt p)
)

var validConfTypes = []ConfType{Log, LogLog, Plain, Logit, Arcsin}

// ParseConfType parses a confidence interval type as given on a command line.
// The error lists the valid values.
func ParseConfType(s string) (ConfType, error) {
	for _, ct := range validConfTypes {
		if s == string(ct) {
			return ct, nil
		}
	}
	names := make([]string, len(validConfTypes))
	for i, ct := range validConfTypes {
		names[i] = fmt.Sprintf("%q", ct)
	}
	return "", fmt.Errorf("unknown confidence interval type %q: use one of %s", s, strings.Join(names, ", "))
}

// confDefaults returns ct and level with their defaults (Log, 0.95). It
// panics on an unknown type or a level outside (0, 1).
func confDefaults(ct ConfType, level float64) (ConfType, float64) {
	if ct == "" {
		ct = Log
	}
	known := false
	for _, v := range validConfTypes {
		known = known || v == ct
	}
	if !known {
		panic(fmt.Sprintf("cmprsk: invalid ConfType %q", ct))
	}
	if level == 0 {
		level = 0.95
	}
	if !(level > 0 && level < 1) {
		panic(fmt.Sprintf("cmprsk: ConfLevel %v outside (0, 1)", level))
	}
	return ct, level
}

// zQuantile is Φ⁻¹(1 - (1-level)/2).
func zQuantile(level float64) float64 {
	return distuv.UnitNormal.Quantile(1 - (1-level)/2)
}

// confLimits returns the pointwise limits for the probability p with
// standard error se, as R's survival:::survfit_confint(p, se, logse =
// FALSE, conf.type, conf.int): with s = se/p (0 when se = 0),
//
//	plain:   max(p - z se, 0), min(p + z se, 1)
//	log:     exp(log p ∓ z s), upper clipped at 1
//	log-log: exp(-exp(log(-log p) ∓ z s / log p))
//	logit:   1 - 1/(1 + exp(log(p/(1-p)) ∓ z s (1 + p/(1-p))))
//	arcsin:  sin²(asin(√p) ∓ z s √(p/(1-p)) / 2), kept in [0, π/2]
//
// The limits are NaN where R gives NA: p = 0 for all types but plain, and
// p = 1 for log-log (and where R's arithmetic gives NaN, as logit at p = 1).
func confLimits(ct ConfType, z, p, se float64) (lower, upper float64) {
	s := 0.0
	if se != 0 {
		s = se / p
	}
	switch ct {
	case Plain:
		return math.Max(p-z*se, 0), math.Min(p+z*se, 1)
	case Log:
		if p == 0 {
			return math.NaN(), math.NaN()
		}
		return math.Exp(math.Log(p) - z*s), math.Min(math.Exp(math.Log(p)+z*s), 1)
	case LogLog:
		if p == 0 || p == 1 {
			return math.NaN(), math.NaN()
		}
		w := z * s / math.Log(p)
		ll := math.Log(-math.Log(p))
		return math.Exp(-math.Exp(ll - w)), math.Exp(-math.Exp(ll + w))
	case Logit:
		if p == 0 {
			return math.NaN(), math.NaN()
		}
		w := z * s * (1 + p/(1-p))
		lo := math.Log(p / (1 - p))
		return 1 - 1/(1+math.Exp(lo-w)), 1 - 1/(1+math.Exp(lo+w))
	case Arcsin:
		if p == 0 {
			return math.NaN(), math.NaN()
		}
		w := 0.5 * z * s * math.Sqrt(p/(1-p))
		a := math.Asin(math.Sqrt(p))
		l, u := math.Sin(math.Max(0, a-w)), math.Sin(math.Min(math.Pi/2, a+w))
		return l * l, u * u
	}
	panic(fmt.Sprintf("cmprsk: invalid ConfType %q", ct))
}
