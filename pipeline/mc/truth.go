package mc

import (
	"math"

	"gonum.org/v1/gonum/mathext"
)

// Truth holds the true values, under the design, of the quantities whose
// confidence intervals are checked.
type Truth struct {
	// HR is the hazard ratio of the experimental arm against the control
	// arm, constant in time (common Weibull shape).
	HR float64 `json:"hr"`
	// Median and RMST are per arm: [0] control, [1] experimental.
	Median [2]float64 `json:"median"`
	RMST   [2]float64 `json:"rmst"`
	// RMSTDiff is RMST[1] - RMST[0].
	RMSTDiff float64 `json:"rmst_diff"`
}

// weibull is S(t) = exp(-(t/scale)^shape).
type weibull struct{ scale, shape float64 }

// arms returns the event-time distributions of the control and the
// experimental arm. With median m, scale = m / (log 2)^(1/shape); a hazard
// ratio h against the control arm divides the scale by h^(1/shape).
func (d *Design) arms() [2]weibull {
	k := d.Shape
	c := weibull{scale: d.Control.Median / math.Pow(math.Ln2, 1/k), shape: k}
	e := weibull{shape: k}
	if d.Experimental.HR != 0 {
		e.scale = c.scale * math.Pow(d.Experimental.HR, -1/k)
	} else {
		e.scale = d.Experimental.Median / math.Pow(math.Ln2, 1/k)
	}
	return [2]weibull{c, e}
}

// median returns scale (log 2)^(1/shape).
func (w weibull) median() float64 { return w.scale * math.Pow(math.Ln2, 1/w.shape) }

// rmst returns the restricted mean to tau,
//
//	∫_0^tau S(t) dt = scale Γ(1 + 1/shape) P(1/shape, (tau/scale)^shape)
//
// with P the regularised lower incomplete gamma function.
func (w weibull) rmst(tau float64) float64 {
	a := 1 / w.shape
	return w.scale * math.Gamma(1+a) * mathext.GammaIncReg(a, math.Pow(tau/w.scale, w.shape))
}

// Truth returns the true hazard ratio, medians and RMSTs of the design.
// It panics if the design has not been validated (LoadDesign, Validate).
func (d *Design) Truth() Truth {
	if d.Shape <= 0 || d.RMSTTau <= 0 {
		panic("mc: Truth of a design that was not validated")
	}
	w := d.arms()
	t := Truth{HR: math.Pow(w[0].scale/w[1].scale, d.Shape)}
	for a := range w {
		t.Median[a] = w[a].median()
		t.RMST[a] = w[a].rmst(d.RMSTTau)
	}
	t.RMSTDiff = t.RMST[1] - t.RMST[0]
	return t
}
