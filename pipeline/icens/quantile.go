package icens

import (
	"fmt"
	"math"

	"github.com/ketcurves/ketcurves/pipeline/survtime"
)

// supportMass is the mass at or below which a Turnbull interval is taken
// as carrying none when quantiles are located (the EM iteration leaves
// such intervals with masses that decay towards 0 without reaching it).
const supportMass = 1e-9

// Quantile is a quantile of an NPMLE.
type Quantile struct {
	Prob float64 // the probability p: the quantile is a time t with F(t) = 1 - S(t) = p
	// Reached is false when the crossing lies in a Turnbull interval with
	// Upper = +Inf (the estimate does not reach 1-p at any finite time
	// known to the data); Time is then NaN and Upper +Inf.
	Reached bool
	// Lower and Upper bracket the p-quantile: (Lower, Upper] is the
	// Turnbull interval in which F crosses p (Lower == Upper for a point),
	// or, when F equals p after an interval (a flat region), [Lower,
	// Upper] is the flat: from the end of that interval to the start of the
	// next interval with mass.
	Lower, Upper float64
	// Time is the single value reported: the midpoint of Lower and Upper.
	// Inside a Turnbull interval this is R survfit's representative time
	// for the interval (so quantile(survfit(...)) gives it); on a flat it
	// is R's rule for Kaplan–Meier quantiles (the midpoint of the flat),
	// which this reduces to for exact and right-censored data.
	Time float64
}

// Quantile returns the p-quantile of the NPMLE: the Turnbull interval
// where F = 1 - S first reaches p, with F compared to p within R's
// tolerance sqrt(machine epsilon) (survtime.Tolerance). Intervals with mass
// at or below 1e-9 are skipped. See the Quantile type for how an interval
// and a flat region are reported; the median is Quantile(0.5), the
// quartiles Quantile(0.25) and Quantile(0.75).
//
// It panics if p is not in (0, 1).
func (f *NPMLE) Quantile(p float64) Quantile {
	if !(p > 0 && p < 1) {
		panic(fmt.Sprintf("icens: quantile probability %v: must be in (0, 1)", p))
	}
	q := Quantile{Prob: p, Time: math.NaN()}
	for j := range f.Mass {
		if f.Mass[j] <= supportMass {
			continue
		}
		cdf := 1 - f.Surv[j]
		if cdf < p-survtime.Tolerance {
			continue
		}
		if math.Abs(cdf-p) <= survtime.Tolerance {
			if next := f.nextSupport(j); next >= 0 {
				q.Reached = true
				q.Lower, q.Upper = f.Upper[j], f.Lower[next]
				q.Time = (q.Lower + q.Upper) / 2
				return q
			}
		}
		q.Lower, q.Upper = f.Lower[j], f.Upper[j]
		if math.IsInf(q.Upper, 1) {
			return q
		}
		q.Reached = true
		q.Time = (q.Lower + q.Upper) / 2
		return q
	}
	// Unreachable with masses summing to 1; kept for safety.
	q.Lower, q.Upper = f.Lower[len(f.Lower)-1], math.Inf(1)
	return q
}

// nextSupport returns the first interval after j with mass above
// supportMass, or -1.
func (f *NPMLE) nextSupport(j int) int {
	for k := j + 1; k < len(f.Mass); k++ {
		if f.Mass[k] > supportMass {
			return k
		}
	}
	return -1
}
