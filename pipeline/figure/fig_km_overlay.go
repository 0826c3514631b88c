package figure

import (
	"fmt"
	"image/color"
	"slices"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/ketcurves/ketcurves/pipeline/schema"
)

// kmOverlay is what the KM figure adds to the curves: the median lines and
// the in-panel annotation.
type kmOverlay struct {
	Medians []medianLine
	// HRs are the treatment hazard ratios of the Cox model, one per
	// compared arm; P is the chosen test's p-value (nil without tests).
	HRs   []annotatedHR
	Test  string
	P     *float64
	Lines []string // the annotation's text, top to bottom
}

// medianLine is one arm's median: dashed from (XMin, 0.5) to (Time, 0.5)
// and down (or up) to the axis at Time.
type medianLine struct {
	Arm   string
	Time  float64
	Color color.NRGBA
}

type annotatedHR struct {
	Arm, Reference   string
	HR, Lower, Upper float64
}

// newKMOverlay prepares the median lines (from ep.Quantiles, quantile 0.5,
// arms whose median is reached within the axis) and the annotation (the
// Cox model's treatment terms and the test's p-value) that cfg asks for.
func newKMOverlay(f *Figure, res *schema.Results, ep *schema.Endpoint, cfg config) (*kmOverlay, error) {
	ov := &kmOverlay{}
	if cfg.medians {
		for _, a := range f.Arms {
			i := slices.IndexFunc(ep.Quantiles, func(q schema.QuantileRow) bool { return q.Arm == a.Name && q.Quantile == 0.5 })
			if i < 0 || ep.Quantiles[i].Time == nil {
				continue
			}
			if t := *ep.Quantiles[i].Time; t >= f.XMin && t <= f.XMax {
				ov.Medians = append(ov.Medians, medianLine{Arm: a.Name, Time: f.x(t), Color: a.Color})
			}
		}
	}
	if !cfg.annotate {
		return ov, nil
	}
	if ep.Cox != nil && ep.Cox.Status == "ok" {
		for _, t := range ep.Cox.Terms {
			if arm, ok := strings.CutPrefix(t.Term, "TRTP:"); ok && t.Estimable {
				ov.HRs = append(ov.HRs, annotatedHR{Arm: arm, Reference: t.Reference, HR: t.HR, Lower: t.HRLower, Upper: t.HRUpper})
			}
		}
	}
	if len(ep.Tests) > 0 {
		i := 0
		if cfg.test != "" {
			i = slices.IndexFunc(ep.Tests, func(r schema.TestRow) bool { return r.Test == cfg.test })
			if i < 0 {
				var have []string
				for _, r := range ep.Tests {
					have = append(have, r.Test)
				}
				return nil, fmt.Errorf("could not prepare figure of %s: the endpoint has no test %q: use one of %s", ep.Paramcd, cfg.test, strings.Join(have, ", "))
			}
		}
		p := ep.Tests[i].PValue
		ov.Test, ov.P = ep.Tests[i].Test, &p
	}
	lvl := level(res.Conventions)
	for _, h := range ov.HRs {
		l := fmt.Sprintf("HR %s (%s%% CI %s)", num2(h.HR), lvl, ciText2(h.Lower, h.Upper))
		if len(ov.HRs) > 1 {
			l = h.Arm + " vs " + h.Reference + ": " + l
		}
		ov.Lines = append(ov.Lines, l)
	}
	if ov.P != nil {
		ov.Lines = append(ov.Lines, fmt.Sprintf("%s p %s", testName(ov.Test), pText(*ov.P)))
	}
	return ov, nil
}

// testName is the display name of a tests.csv test.
func testName(t string) string {
	switch t {
	case "logrank":
		return "Log-rank"
	case "cox_wald":
		return "Cox Wald"
	case "cox_lr":
		return "Cox likelihood-ratio"
	case "cox_score":
		return "Cox score"
	case "peto_peto":
		return "Peto–Peto"
	case "gehan":
		return "Gehan–Wilcoxon"
	case "tarone_ware":
		return "Tarone–Ware"
	case "maxcombo":
		return "MaxCombo"
	}
	if rest, ok := strings.CutPrefix(t, "fh:"); ok {
		rho, gamma, _ := strings.Cut(rest, ":")
		return "Fleming–Harrington G(" + rho + ", " + gamma + ")"
	}
	return t
}

func num2(v float64) string { return fmt.Sprintf("%.2f", v) }

func ciText2(lo, hi float64) string { return num2(lo) + "–" + num2(hi) }

// add puts the median lines and the annotation on p, y being the display
// transform (0.5 either way).
func (ov *kmOverlay) add(p *plot.Plot, rising bool) {
	for _, m := range ov.Medians {
		p.Add(MedianLine{X0: p.X.Min, X: m.Time, Y: 0.5, Style: draw.LineStyle{Color: m.Color, Width: 0.8, Dashes: []vg.Length{vg.Points(3), vg.Points(2)}}})
	}
	if len(ov.Lines) > 0 {
		// Rising curves leave the top left empty, falling ones the bottom left.
		p.Add(Annotation{Lines: ov.Lines, Left: true, Top: rising})
	}
}

// MedianLine is a plot.Plotter drawing a median reference: a line from
// (X0, Y) to (X, Y), then from (X, Y) to the x axis.
type MedianLine struct {
	X0, X, Y float64
	Style    draw.LineStyle
}

// Plot implements plot.Plotter.
func (m MedianLine) Plot(c draw.Canvas, p *plot.Plot) {
	xOf, yOf := p.Transforms(&c)
	c.StrokeLines(m.Style, []vg.Point{{X: xOf(m.X0), Y: yOf(m.Y)}, {X: xOf(m.X), Y: yOf(m.Y)}, {X: xOf(m.X), Y: c.Min.Y}})
}

// Annotation is a plot.Plotter drawing lines of text in a corner of the
// data area on a white box, so that curves do not run through them.
type Annotation struct {
	Lines []string
	// Left and Top choose the corner.
	Left, Top bool
}

// Plot implements plot.Plotter.
func (a Annotation) Plot(c draw.Canvas, p *plot.Plot) {
	s := style(sans, textSize, color.Black)
	line := vg.Length(textSize * rowSpacing)
	var w vg.Length
	for _, l := range a.Lines {
		w = max(w, s.Width(l))
	}
	const pad = 4
	h := line*vg.Length(len(a.Lines)) + pad
	x := c.Min.X + pad
	if !a.Left {
		x = c.Max.X - pad - w - 2*pad
	}
	y := c.Max.Y - pad // top of the box
	if !a.Top {
		y = c.Min.Y + pad + h
	}
	box := []vg.Point{{X: x, Y: y}, {X: x + w + 2*pad, Y: y}, {X: x + w + 2*pad, Y: y - h}, {X: x, Y: y - h}}
	c.FillPolygon(color.NRGBA{0xff, 0xff, 0xff, 0xe0}, box)
	s.YAlign = draw.YTop
	for i, l := range a.Lines {
		c.FillText(s, vg.Point{X: x + pad, Y: y - pad/2 - vg.Length(i)*line}, l)
	}
}

// YMin is the bottom of the y axis.
func (f *Figure) YMin() float64 { return f.yMin }
