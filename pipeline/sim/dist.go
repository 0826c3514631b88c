package sim

import (
	"fmt"
	"math"
)

// Dist is a distribution of a non-negative time in days. Exactly one of its
// fields is set; in scenario.yaml it is written as a one-key mapping, e.g.
//
//	time: {lognormal: {median_days: 0.0833, sdlog: 1.0}}
//	time: {weibull: {shape: 0.8, scale_days: 300}}
//	time: {mixture: [{weight: 0.4, dist: {fixed: {days: 0.1}}}, {weight: 0.6, dist: {exponential: {median_days: 5}}}]}
type Dist struct {
	Weibull     *Weibull     `yaml:"weibull"`
	LogNormal   *LogNormal   `yaml:"lognormal"`
	Exponential *Exponential `yaml:"exponential"`
	Uniform     *Uniform     `yaml:"uniform"`
	Fixed       *Fixed       `yaml:"fixed"`
	Mixture     []Component  `yaml:"mixture"`
}

// Weibull is the Weibull distribution with survival function
//
//	S(t) = exp(-(t/Scale)^Shape)
//
// (R: pweibull(t, shape, scale, lower.tail = FALSE)).
type Weibull struct {
	Shape float64 `yaml:"shape"`      // > 0; < 1 decreasing hazard, > 1 increasing
	Scale float64 `yaml:"scale_days"` // > 0, days
}

// LogNormal is the log-normal distribution: log T ~ N(log Median, SDLog²)
// (R: plnorm(t, log(median), sdlog)).
type LogNormal struct {
	Median float64 `yaml:"median_days"` // > 0, days
	SDLog  float64 `yaml:"sdlog"`       // > 0
}

// Exponential is the exponential distribution with rate log(2)/Median.
type Exponential struct {
	Median float64 `yaml:"median_days"` // > 0, days
}

// Uniform is the continuous uniform distribution on [Min, Max].
type Uniform struct {
	Min float64 `yaml:"min_days"` // >= 0
	Max float64 `yaml:"max_days"` // >= Min
}

// Fixed is a point mass at Days.
type Fixed struct {
	Days float64 `yaml:"days"` // >= 0
}

// Component is one weighted component of a mixture.
type Component struct {
	Weight float64 `yaml:"weight"` // > 0; weights are normalised to sum 1
	Dist   Dist    `yaml:"dist"`
}

// set reports which forms of d are set.
func (d *Dist) set() []string {
	var s []string
	if d.Weibull != nil {
		s = append(s, "weibull")
	}
	if d.LogNormal != nil {
		s = append(s, "lognormal")
	}
	if d.Exponential != nil {
		s = append(s, "exponential")
	}
	if d.Uniform != nil {
		s = append(s, "uniform")
	}
	if d.Fixed != nil {
		s = append(s, "fixed")
	}
	if d.Mixture != nil {
		s = append(s, "mixture")
	}
	return s
}

// IsZero reports whether no form of d is set.
func (d *Dist) IsZero() bool { return len(d.set()) == 0 }

// validate checks the parameters; path locates d in messages.
func (d *Dist) validate() error {
	s := d.set()
	if len(s) != 1 {
		if len(s) == 0 {
			return fmt.Errorf("no distribution given: write one of weibull, lognormal, exponential, uniform, fixed, mixture")
		}
		return fmt.Errorf("several distributions given (%v): keep exactly one", s)
	}
	pos := func(name string, v float64) error {
		if !(v > 0) || math.IsInf(v, 0) {
			return fmt.Errorf("%s = %v: must be a finite number > 0", name, v)
		}
		return nil
	}
	switch {
	case d.Weibull != nil:
		if err := pos("weibull.shape", d.Weibull.Shape); err != nil {
			return err
		}
		return pos("weibull.scale_days", d.Weibull.Scale)
	case d.LogNormal != nil:
		if err := pos("lognormal.median_days", d.LogNormal.Median); err != nil {
			return err
		}
		return pos("lognormal.sdlog", d.LogNormal.SDLog)
	case d.Exponential != nil:
		return pos("exponential.median_days", d.Exponential.Median)
	case d.Uniform != nil:
		u := d.Uniform
		if !(u.Min >= 0) || !(u.Max >= u.Min) || math.IsInf(u.Max, 0) {
			return fmt.Errorf("uniform [%v, %v]: need 0 <= min_days <= max_days < Inf", u.Min, u.Max)
		}
	case d.Fixed != nil:
		if !(d.Fixed.Days >= 0) || math.IsInf(d.Fixed.Days, 0) {
			return fmt.Errorf("fixed.days = %v: must be a finite number >= 0", d.Fixed.Days)
		}
	default:
		if len(d.Mixture) == 0 {
			return fmt.Errorf("mixture has no components")
		}
		for i := range d.Mixture {
			c := &d.Mixture[i]
			if err := pos(fmt.Sprintf("mixture[%d].weight", i), c.Weight); err != nil {
				return err
			}
			if err := c.Dist.validate(); err != nil {
				return fmt.Errorf("mixture[%d]: %w", i, err)
			}
		}
	}
	return nil
}

// CDF returns P(T <= t).
func (d *Dist) CDF(t float64) float64 {
	if t < 0 {
		return 0
	}
	switch {
	case d.Weibull != nil:
		return -math.Expm1(-math.Pow(t/d.Weibull.Scale, d.Weibull.Shape))
	case d.LogNormal != nil:
		if t == 0 {
			return 0
		}
		z := (math.Log(t) - math.Log(d.LogNormal.Median)) / d.LogNormal.SDLog
		return 0.5 * math.Erfc(-z/math.Sqrt2)
	case d.Exponential != nil:
		return -math.Expm1(-math.Ln2 * t / d.Exponential.Median)
	case d.Uniform != nil:
		u := d.Uniform
		switch {
		case t >= u.Max:
			return 1
		case t < u.Min:
			return 0
		}
		return (t - u.Min) / (u.Max - u.Min)
	case d.Fixed != nil:
		if t >= d.Fixed.Days {
			return 1
		}
		return 0
	default:
		var sum, wsum float64
		for i := range d.Mixture {
			c := &d.Mixture[i]
			sum += c.Weight * c.Dist.CDF(t)
			wsum += c.Weight
		}
		return sum / wsum
	}
}

// Quantile returns the p-quantile, inf{t : CDF(t) >= p}, for p in [0, 1).
// Mixtures are inverted by bisection to a relative precision of 1e-12.
func (d *Dist) Quantile(p float64) float64 {
	switch {
	case d.Weibull != nil:
		return d.Weibull.Scale * math.Pow(-math.Log1p(-p), 1/d.Weibull.Shape)
	case d.LogNormal != nil:
		if p <= 0 {
			return 0
		}
		return d.LogNormal.Median * math.Exp(d.LogNormal.SDLog*math.Sqrt2*math.Erfinv(2*p-1))
	case d.Exponential != nil:
		return -d.Exponential.Median / math.Ln2 * math.Log1p(-p)
	case d.Uniform != nil:
		return d.Uniform.Min + p*(d.Uniform.Max-d.Uniform.Min)
	case d.Fixed != nil:
		return d.Fixed.Days
	default:
		var lo, hi float64
		for i := range d.Mixture {
			hi = math.Max(hi, d.Mixture[i].Dist.Quantile(p))
		}
		// CDF(hi) >= p because each component's CDF at its own quantile is >= p.
		for range 200 {
			mid := lo + (hi-lo)/2
			if mid <= lo || mid >= hi || hi-lo <= 1e-12*hi {
				break
			}
			if d.CDF(mid) >= p {
				hi = mid
			} else {
				lo = mid
			}
		}
		return hi
	}
}

// Median returns the 0.5-quantile.
func (d *Dist) Median() float64 { return d.Quantile(0.5) }

// quantilePH returns the time whose survival, under the proportional-hazards
// transform of d with hazard ratio hr, equals 1-u: with S the survival of d,
//
//	S_hr(t) = S(t)^hr,   t = Q(1 - (1-u)^(1/hr)).
//
// For hr == 1 this is Q(u).
func (d *Dist) quantilePH(u, hr float64) float64 {
	if hr == 1 {
		return d.Quantile(u)
	}
	// 1 - (1-u)^(1/hr) computed as -expm1(log1p(-u)/hr) for precision near 0.
	return d.Quantile(-math.Expm1(math.Log1p(-u) / hr))
}
