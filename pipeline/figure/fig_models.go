package figure

import (
	"cmp"
	"fmt"
	"image/color"
	"math"
	"strconv"
	"strings"

	"gonum.org/v1/gonum/stat/distuv"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg/draw"

	"github.com/ketcurves/ketcurves/pipeline/schema"
)

// aftKind overlays the best AFT model's fitted curves on the Kaplan–Meier
// curves.
var aftKind = &Kind{
	Name:    "aft",
	Summary: "Kaplan–Meier curves per arm with the best (smallest AIC) AFT model's fitted S(t) and pointwise band overlaid, dashed",
	Suffix:  "-aft",
	Needs:   []string{"km"},
	Applies: func(ep *schema.Endpoint) bool { _, ok := aftSectionName(ep); return ok && ep.KM.Len() > 0 },
	build: func(res *schema.Results, ep *schema.Endpoint, opts ...Option) (Drawing, error) {
		return AFTOverlay(res, ep, opts...)
	},
}

// cureKind overlays the mixture cure model's population curves on the
// Kaplan–Meier curves.
var cureKind = &Kind{
	Name:    "cure",
	Summary: "Kaplan–Meier curves per arm with the mixture cure model's population curve 1 − π + π S_u(t) overlaid, dashed",
	Suffix:  "-cure",
	Needs:   []string{"km", "cure"},
	Applies: func(ep *schema.Endpoint) bool { _, ok := ep.Sections["cure"]; return ok && ep.KM.Len() > 0 },
	build: func(res *schema.Results, ep *schema.Endpoint, opts ...Option) (Drawing, error) {
		return CureOverlay(res, ep, opts...)
	},
}

// aftSectionName is the section the aft kind draws: "aft" (right-censored
// fits) when it has a best model, else "ic_aft" (interval-censored fits)
// when that has one.
func aftSectionName(ep *schema.Endpoint) (string, bool) {
	for _, name := range []string{"aft", "ic_aft"} {
		var sec schema.AFTSection
		if ok, err := ep.Section(name, &sec); ok && (err != nil || sec.Best != "") {
			return name, true // a section that does not decode is reported by Build
		}
	}
	return "", false
}

// modelOverlay is a fitted model's curves drawn over the Kaplan–Meier
// curves: one line per arm, on the display scale, with its pointwise band
// when the model gives one.
type modelOverlay struct {
	// Legend names the model, e.g. "Log-normal AFT, AIC 169.7".
	Legend string
	Curves []modelCurve
}

// modelCurve is one arm's fitted curve: Points joined by straight lines
// (the model is continuous), and Band the pointwise interval at the same
// times (nil without one). Only points within the time axis are kept.
type modelCurve struct {
	Arm    string
	Color  color.NRGBA
	Points []Point
	Band   []BandPoint
}

// modelDashes is the dash pattern of every model curve: short dashes, thin,
// in the arm's colour, unlike any arm's Kaplan–Meier line.
var modelDashes = shortDashed

const modelWidth = 1.1

// AFTOverlay prepares the AFT figure of ep: the Kaplan–Meier curves per arm
// (steps and censoring marks, on the display scale and time axis of the KM
// figure, without their band) with, dashed in the arm's colour, the fitted
// S(t) of the aft section's best model (smallest AIC among the models with
// status ok, R survreg per distribution) and its pointwise band shaded.
// The interval-censored fits (section ic_aft) are drawn when the endpoint
// has no right-censored fit. It returns an error when the section does not
// decode or its best model is missing or has no curves.
func AFTOverlay(res *schema.Results, ep *schema.Endpoint, opts ...Option) (*Figure, error) {
	name, ok := aftSectionName(ep)
	if !ok {
		return nil, fmt.Errorf("could not prepare the aft figure of %s: the endpoint has no AFT model with status ok: run the fit stage with the aft method", ep.Paramcd)
	}
	sec, _, err := section[schema.AFTSection](ep, name)
	if err != nil {
		return nil, err
	}
	var best *schema.AFTModel
	for i := range sec.Models {
		if sec.Models[i].Dist == sec.Best {
			best = &sec.Models[i]
		}
	}
	if best == nil || len(best.Curves) == 0 || best.AIC == nil {
		return nil, fmt.Errorf("could not prepare the aft figure of %s: section %s names best model %q, which is missing or has no curves or AIC: results.json is inconsistent, rerun the fit stage", ep.Paramcd, name, sec.Best)
	}
	f, err := Curves(*ep, res.Study, opts...)
	if err != nil {
		return nil, err
	}
	ov := &modelOverlay{Legend: fmt.Sprintf("%s AFT fit, AIC %s", distName(best.Dist), num1(*best.AIC))}
	byArm := map[string][]schema.AFTCurvePt{}
	for _, c := range best.Curves {
		if math.IsNaN(c.Time) || math.IsNaN(c.Surv) || c.Surv < 0 || c.Surv > 1 {
			return nil, fmt.Errorf("could not prepare the aft figure of %s: the %s curve of arm %q has S(%v) = %v: results.json is inconsistent, rerun the fit stage", ep.Paramcd, best.Dist, c.Arm, c.Time, c.Surv)
		}
		byArm[c.Arm] = append(byArm[c.Arm], c)
	}
	for i := range f.Arms {
		a := &f.Arms[i]
		a.Band = nil // the model's band is shaded instead
		mc := modelCurve{Arm: a.Name, Color: a.Color}
		for _, c := range byArm[a.Name] {
			if c.Time < f.XMin || c.Time > f.XMax {
				continue
			}
			mc.Points = append(mc.Points, Point{c.Time, f.y(c.Surv)})
			if c.Lower != nil && c.Upper != nil {
				lo, hi := f.y(*c.Lower), f.y(*c.Upper)
				mc.Band = append(mc.Band, BandPoint{c.Time, min(lo, hi), max(lo, hi)})
			}
		}
		if len(mc.Band) != len(mc.Points) {
			mc.Band = nil // a band with holes is not drawn
		}
		ov.Curves = append(ov.Curves, mc)
	}
	f.model = ov
	what := "Kaplan–Meier estimate"
	if f.Rising {
		what = "1 – Kaplan–Meier estimate"
	}
	lvl := level(res.Conventions)
	ic := ""
	if name == "ic_aft" {
		ic = " (interval-censored fit)"
	}
	modelNote := fmt.Sprintf("Dashed: %s accelerated-failure-time model%s, the smallest AIC (%s) of %d distributions, n = %d, %d events; %s; shaded: its pointwise %s%% confidence band.",
		distName(best.Dist), ic, num1(*best.AIC), len(sec.Models), best.N, best.Events, cmp.Or(sec.Profile, "per-arm curves"), lvl)
	f.Notes[0] = "Steps: " + what + "; + censored."
	f.Notes = append([]string{f.Notes[0], modelNote}, f.Notes[1:]...)
	f.Title = cmp.Or(ep.Label, ep.Paramcd) + ": " + distName(best.Dist) + " AFT fit"
	f.caption = fmt.Sprintf("%s of %s by arm (%s) with the fitted %s AFT model. %s", what, cmp.Or(ep.Label, ep.Paramcd), armCounts(ep), distName(best.Dist), modelNote) + synthetic(f.Notes)
	return f, nil
}

// CureOverlay prepares the cure figure of ep: the Kaplan–Meier curves per
// arm (as in AFTOverlay) with, dashed in the arm's colour, the mixture cure
// model's population curve
//
//	S(t) = 1 − π + π S_u(t)
//
// where π is the arm's fraction with the event eventually and S_u the
// latency survival among them (Peng & Dear 2000; smcure). S_u follows from
// the cure section alone: with σ = exp(log(scale)) of the latency model and
// m the arm's latency median,
//
//	Weibull     S_u(t) = exp(−(t/λ)^(1/σ)),  λ = m / (log 2)^σ
//	log-normal  S_u(t) = 1 − Φ((log t − log m)/σ)
//
// (R: survreg's parametrisation, log T = μ + σW). The curve is drawn at 200
// times spread evenly over the axis (in log time on a log axis); it has no
// band, as results.json holds no covariance of the curve. An arm without a
// fraction or median (status other than ok) gets no curve, and the notes
// say why. It returns an error when the section does not decode, or its
// latency or log(scale) term is missing.
func CureOverlay(res *schema.Results, ep *schema.Endpoint, opts ...Option) (*Figure, error) {
	sec, ok, err := section[schema.CureSection](ep, "cure")
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, fmt.Errorf("could not prepare the cure figure of %s: the endpoint has no cure section: run the fit stage with the cure method", ep.Paramcd)
	}
	latency, err := cureLatency(sec)
	if err != nil {
		return nil, fmt.Errorf("could not prepare the cure figure of %s: %w: results.json is inconsistent, rerun the fit stage", ep.Paramcd, err)
	}
	f, err := Curves(*ep, res.Study, opts...)
	if err != nil {
		return nil, err
	}
	ov := &modelOverlay{Legend: "Mixture cure fit (" + distName(sec.Latency) + " latency)"}
	var missing []string
	grid := f.timeGrid(200)
	for i := range f.Arms {
		a := &f.Arms[i]
		a.Band = nil
		ca := findCureArm(sec, a.Name)
		if ca == nil || ca.Fraction == nil || ca.Median == nil || !(*ca.Median > 0) {
			missing = append(missing, a.Name)
			continue
		}
		su := latency(*ca.Median)
		mc := modelCurve{Arm: a.Name, Color: a.Color}
		for _, t := range grid {
			mc.Points = append(mc.Points, Point{t, f.y(1 - *ca.Fraction + *ca.Fraction*su(t))})
		}
		ov.Curves = append(ov.Curves, mc)
	}
	f.model = ov
	what := "Kaplan–Meier estimate"
	if f.Rising {
		what = "1 – Kaplan–Meier estimate"
	}
	var fr []string
	for _, ca := range sec.Arms {
		if ca.Fraction != nil && ca.Median != nil {
			fr = append(fr, fmt.Sprintf("%s π = %s, latency median %s", ca.Arm, num2(*ca.Fraction), timeText(*ca.Median)))
		}
	}
	modelNote := fmt.Sprintf("Dashed: mixture cure model 1 − π + π S_u(t) (logistic incidence, %s latency; n = %d, %d events; status %s): %s.",
		distName(sec.Latency), sec.N, sec.Events, sec.Status, strings.Join(fr, "; "))
	if len(missing) > 0 {
		modelNote += " No fitted curve for " + strings.Join(missing, ", ") + " (fraction or latency median not estimated)."
	}
	f.Notes[0] = "Steps: " + what + "; + censored."
	f.Notes = append([]string{f.Notes[0], modelNote}, f.Notes[1:]...)
	f.Title = cmp.Or(ep.Label, ep.Paramcd) + ": mixture cure fit"
	f.caption = fmt.Sprintf("%s of %s by arm (%s) with the mixture cure model's population curve. %s", what, cmp.Or(ep.Label, ep.Paramcd), armCounts(ep), modelNote) + synthetic(f.Notes)
	return f, nil
}

// cureLatency returns, for the section's latency distribution and scale,
// the latency survival S_u for an arm of latency median m.
func cureLatency(sec schema.CureSection) (func(m float64) func(t float64) float64, error) {
	var sigma float64
	found := false
	for _, t := range sec.Terms {
		if t.Component == "latency" && t.Term == "log(scale)" && t.Coef != nil {
			sigma, found = math.Exp(*t.Coef), true
		}
	}
	if !found {
		return nil, fmt.Errorf("the cure section has no latency log(scale) term")
	}
	switch sec.Latency {
	case "weibull":
		return func(m float64) func(float64) float64 {
			w := distuv.Weibull{K: 1 / sigma, Lambda: m / math.Pow(math.Ln2, sigma)}
			return func(t float64) float64 { return w.Survival(t) }
		}, nil
	case "lognormal":
		return func(m float64) func(float64) float64 {
			return func(t float64) float64 {
				if t <= 0 {
					return 1
				}
				return distuv.UnitNormal.Survival((math.Log(t) - math.Log(m)) / sigma)
			}
		}, nil
	}
	return nil, fmt.Errorf("the cure section has latency %q: want weibull or lognormal", sec.Latency)
}

func findCureArm(sec schema.CureSection, arm string) *schema.CureArm {
	for i := range sec.Arms {
		if sec.Arms[i].Arm == arm {
			return &sec.Arms[i]
		}
	}
	return nil
}

// timeGrid returns n times spread evenly over the axis, in log time on a
// log axis, from XMin to XMax.
func (f *Figure) timeGrid(n int) []float64 {
	out := make([]float64, n)
	for i := range out {
		u := float64(i) / float64(n-1)
		if f.Log {
			out[i] = math.Exp(math.Log(f.XMin) + u*(math.Log(f.XMax)-math.Log(f.XMin)))
		} else {
			out[i] = f.XMin + u*(f.XMax-f.XMin)
		}
	}
	out[n-1] = f.XMax
	return out
}

// timeText writes a time in days for notes: "1.1 d" from a day, "2.2 h"
// from an hour, "40 min" below.
func timeText(t float64) string {
	switch {
	case t >= 1:
		return strconv.FormatFloat(t, 'f', 1, 64) + " d"
	case t >= hour:
		return strconv.FormatFloat(t/hour, 'f', 1, 64) + " h"
	}
	return strconv.FormatFloat(t/minute, 'f', 0, 64) + " min"
}

// distName is the display name of an AFT or latency distribution.
func distName(d string) string {
	switch d {
	case "weibull":
		return "Weibull"
	case "lognormal":
		return "Log-normal"
	case "loglogistic":
		return "Log-logistic"
	case "exponential":
		return "Exponential"
	case "gengamma":
		return "Generalized gamma"
	}
	return d
}

func num1(v float64) string { return strconv.FormatFloat(v, 'f', 1, 64) }

// add puts the model curves on p: every band first, then every line.
func (ov *modelOverlay) add(p *plot.Plot) {
	for _, c := range ov.Curves {
		if len(c.Band) < 2 {
			continue
		}
		ring := make(plotter.XYs, 0, 2*len(c.Band))
		for _, b := range c.Band {
			ring = append(ring, plotter.XY{X: b.X, Y: b.Upper})
		}
		for i := len(c.Band) - 1; i >= 0; i-- {
			ring = append(ring, plotter.XY{X: c.Band[i].X, Y: c.Band[i].Lower})
		}
		p.Add(&plotter.Polygon{XYs: []plotter.XYs{ring}, Color: bandColor(c.Color)})
	}
	for _, c := range ov.Curves {
		if len(c.Points) < 2 {
			continue
		}
		p.Add(&plotter.Line{XYs: xys(c.Points), LineStyle: draw.LineStyle{Color: c.Color, Width: modelWidth, Dashes: modelDashes}})
	}
}

// legend is the overlay's legend entry: a grey dashed sample, over a band
// swatch when the curves have bands.
func (ov *modelOverlay) legend() legendEntry {
	band := false
	for _, c := range ov.Curves {
		band = band || len(c.Band) > 0
	}
	return legendEntry{text: ov.Legend, style: ArmStyle{Color: color.NRGBA{0x55, 0x55, 0x55, 0xff}, Dashes: modelDashes}, band: band}
}
