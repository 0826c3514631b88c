package figure

import (
	"fmt"
	"math"
	"slices"
	"strconv"
)

// DefaultSmallStudy is the largest number of subjects for which the
// subject-level figures (spaghetti, swimmer) are drawn by default: beyond
// it one lane or line per subject is unreadable.
const DefaultSmallStudy = 60

// axisConfig holds the plan-settable time axis: tick positions, range and
// the y label. Zero values keep the automatic choice.
type axisConfig struct {
	ticks    []float64
	min, max float64
	ranged   bool
	yLabel   string
}

// WithXTicks sets the labelled ticks of the time axis, in days (e.g. 0, 7,
// 14, 28; or 1/24, 1, 7 on a log axis). Ticks outside the axis range are
// dropped; on a linear axis that starts at 0 a tick at 0 is kept. Labels
// are human durations (4 h, 7 d) below one day or on a log axis, and the
// number of days otherwise. The numbers at risk are given at these ticks.
// A figure's Build returns an error for a tick that is not finite, or not
// positive on a log axis, or for ticks not in increasing order.
func WithXTicks(days ...float64) Option {
	return func(c *config) { c.axis.ticks = slices.Clone(days) }
}

// WithXRange sets the time axis range to [from, to] days. Curves beyond
// it are clipped at the axis; the CSV still lists every vertex. A
// figure's Build returns an error unless 0 <= from < to (from > 0 on a log
// axis).
func WithXRange(from, to float64) Option {
	return func(c *config) { c.axis.min, c.axis.max, c.axis.ranged = from, to, true }
}

// WithYLabel sets the y-axis label, in place of the endpoint's y_label
// from the plan (schema.Endpoint.YLabel) and of the label that follows the
// endpoint kind.
func WithYLabel(label string) Option {
	return func(c *config) { c.axis.yLabel = label }
}

// WithAnnotation sets whether the KM figure shows the in-panel annotation
// (default true): the treatment hazard ratio with its confidence interval
// from the Cox model and the p-value of the chosen test (WithTest), both
// from results.json.
func WithAnnotation(on bool) Option {
	return func(c *config) { c.annotate = on }
}

// WithTest names the test (tests.csv test column: logrank, fh:1:0,
// cox_wald, …) whose p-value the KM annotation shows; default the first
// test of the endpoint, logrank unless the plan chose others. A figure's
// Build returns an error for a test the endpoint does not have.
func WithTest(name string) Option {
	return func(c *config) { c.test = name }
}

// WithMedianLines sets whether the KM figure draws each arm's median as
// dashed lines (default true): horizontally at 0.5 from the axis start to
// the arm's median time, then down to the axis, for every arm whose median
// is reached (quantiles.csv, quantile 0.5).
func WithMedianLines(on bool) Option {
	return func(c *config) { c.medians = on }
}

// WithSmallStudy sets the largest number of subjects for which the
// spaghetti and swimmer figures are drawn (default DefaultSmallStudy).
func WithSmallStudy(n int) Option {
	return func(c *config) { c.spaghettiMax = n }
}

// apply overrides the automatic time axis ax with the plan's range and
// ticks.
func (a axisConfig) apply(ax *TimeAxis) error {
	if a.ranged {
		if !(a.min >= 0 && a.max > a.min) || math.IsInf(a.max, 0) {
			return fmt.Errorf("x range [%v, %v]: use 0 <= from < to days", a.min, a.max)
		}
		if ax.Log && !(a.min > 0) {
			return fmt.Errorf("x range [%v, %v] on a log time axis: use from > 0 days (e.g. 0.0417 for 1 h)", a.min, a.max)
		}
		if !ax.Log {
			// The ticks of an axis drawn to a.max, not those of the
			// data's own range, which may be far coarser.
			fresh := linearAxis(a.max)
			ax.Ticks, ax.MinorTicks = fresh.ticks, fresh.minor
		}
		ax.XMin, ax.XMax = a.min, a.max
		ax.Ticks = slices.DeleteFunc(ax.Ticks, func(t Tick) bool { return t.Time < ax.XMin*(1-1e-12) || t.Time > ax.XMax*(1+1e-12) })
		ax.MinorTicks = slices.DeleteFunc(ax.MinorTicks, func(t float64) bool { return t < ax.XMin || t > ax.XMax })
		if len(ax.Ticks) == 0 || ax.Ticks[0].Time > ax.XMin {
			ax.Ticks = append([]Tick{{Time: ax.XMin, Label: tickLabel(*ax, ax.XMin)}}, ax.Ticks...)
		}
	}
	if a.ticks == nil {
		return nil
	}
	for i, t := range a.ticks {
		switch {
		case math.IsNaN(t) || math.IsInf(t, 0) || t < 0:
			return fmt.Errorf("x tick %v: use finite times >= 0 days", t)
		case ax.Log && t <= 0:
			return fmt.Errorf("x tick %v on a log time axis: use times > 0 days", t)
		case i > 0 && t <= a.ticks[i-1]:
			return fmt.Errorf("x ticks %v: give them in increasing order", a.ticks)
		}
	}
	if !a.ranged {
		ax.XMin = min(ax.XMin, a.ticks[0])
		ax.XMax = max(ax.XMax, a.ticks[len(a.ticks)-1])
	}
	ax.Ticks = ax.Ticks[:0:0]
	for _, t := range a.ticks {
		if t >= ax.XMin*(1-1e-12) && t <= ax.XMax*(1+1e-12) {
			ax.Ticks = append(ax.Ticks, Tick{Time: t, Label: tickLabel(*ax, t)})
		}
	}
	ax.MinorTicks = nil
	return nil
}

// tickLabel labels time t on ax: a duration on a log axis or below a day
// on a sub-day axis, the number of days otherwise.
func tickLabel(ax TimeAxis, t float64) string {
	if ax.Log || ax.XMax <= 2 {
		return duration(t)
	}
	return strconv.FormatFloat(t, 'f', -1, 64)
}

// SmallStudy returns the largest number of subjects of the subject-level
// figures that opts set (DefaultSmallStudy without WithSmallStudy).
func SmallStudy(opts ...Option) int { return newConfig(opts).spaghettiMax }
