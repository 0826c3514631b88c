package meta

import (
	"fmt"
	"image/color"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// ForestOptions configures Forest.
type ForestOptions struct {
	// Labels names the studies, in input order; nil numbers them.
	Labels []string
	// Ratio draws exp of the log-scale values on a log axis, with the
	// line of no effect at 1; otherwise the axis is linear with the line
	// at 0.
	Ratio  bool
	Title  string
	XLabel string // "" means "Ratio (95% CI)" or "Estimate (95% CI)"
}

// Forest draws a forest plot: each study's estimate as a square of area
// proportional to its weight in res with its 95% CI as a whisker (top to
// bottom in input order), then the pooled estimate of each result in
// pooled as a diamond spanning its CI, with its prediction interval as a
// dashed line beneath it when it has one (random-effects models). The
// caller saves the plot, e.g. p.Save(18*vg.Centimeter, h, "forest.svg"),
// the format following the file extension (svg, png, pdf, eps);
// ForestHeight suggests h.
//
// It returns an error if the inputs cannot be drawn (a non-finite value).
// It panics if len(yi) != len(sei), if Labels is not nil and has another
// length, or if pooled is empty.
func Forest(yi, sei []float64, pooled []*Result, opt ForestOptions) (*plot.Plot, error) {
	if len(yi) != len(sei) || (opt.Labels != nil && len(opt.Labels) != len(yi)) {
		panic(fmt.Sprintf("meta: Forest with %d estimates, %d standard errors and %d labels", len(yi), len(sei), len(opt.Labels)))
	}
	if len(pooled) == 0 {
		panic("meta: Forest without a pooled result")
	}
	tr := func(x float64) float64 { return x }
	if opt.Ratio {
		tr = math.Exp
	}
	p := plot.New()
	p.Title.Text = opt.Title
	p.X.Label.Text = opt.XLabel
	if p.X.Label.Text == "" {
		p.X.Label.Text = "Estimate (95% CI)"
		if opt.Ratio {
			p.X.Label.Text = "Ratio (95% CI)"
		}
	}
	if opt.Ratio {
		p.X.Scale = plot.LogScale{}
		p.X.Tick.Marker = plot.LogTicks{Prec: -1}
	}
	k := len(yi)
	var ticks []plot.Tick
	y := float64(k + 2*len(pooled))
	maxW := 0.0
	for _, w := range pooled[0].Weights {
		maxW = math.Max(maxW, w)
	}
	for i := range yi {
		label := fmt.Sprintf("study %d", i+1)
		if opt.Labels != nil {
			label = opt.Labels[i]
		}
		ticks = append(ticks, plot.Tick{Value: y, Label: label})
		size := vg.Points(2)
		if i < len(pooled[0].Weights) && maxW > 0 {
			size = vg.Points(2 + 4*math.Sqrt(pooled[0].Weights[i]/maxW))
		}
		if err := addStudy(p, tr(yi[i]), tr(yi[i]-Z975*sei[i]), tr(yi[i]+Z975*sei[i]), y, size); err != nil {
			return nil, fmt.Errorf("could not draw study %q: %w", label, err)
		}
		y--
	}
	y--
	for _, r := range pooled {
		label := string(r.Method)
		if r.Adjustment == HKSJ {
			label += " (HKSJ)"
		}
		ticks = append(ticks, plot.Tick{Value: y, Label: label})
		if err := addPooled(p, r, tr, y); err != nil {
			return nil, fmt.Errorf("could not draw pooled %s: %w", label, err)
		}
		y -= 2
	}
	ref := 0.0
	if opt.Ratio {
		ref = 1
	}
	if err := addLine(p, plotter.XYs{{X: ref, Y: y + 1}, {X: ref, Y: float64(k+2*len(pooled)) + 0.5}}, color.Gray{Y: 128}, nil); err != nil {
		return nil, err
	}
	p.Y.Tick.Marker = plot.ConstantTicks(ticks)
	p.Y.Min, p.Y.Max = y+1, float64(k+2*len(pooled))+0.8
	return p, nil
}

// ForestHeight is a plot height that gives each row of Forest about 0.6 cm.
func ForestHeight(studies, pooled int) vg.Length {
	return vg.Length(studies+2*pooled+3) * 0.6 * vg.Centimeter
}

func addStudy(p *plot.Plot, est, lo, hi, y float64, size vg.Length) error {
	if err := addLine(p, plotter.XYs{{X: lo, Y: y}, {X: hi, Y: y}}, color.Black, nil); err != nil {
		return err
	}
	s, err := plotter.NewScatter(plotter.XYs{{X: est, Y: y}})
	if err != nil {
		return err
	}
	s.GlyphStyle.Shape = draw.BoxGlyph{}
	s.GlyphStyle.Radius = size
	s.GlyphStyle.Color = color.Black
	p.Add(s)
	return nil
}

func addPooled(p *plot.Plot, r *Result, tr func(float64) float64, y float64) error {
	d, err := plotter.NewPolygon(plotter.XYs{
		{X: tr(r.Lower), Y: y}, {X: tr(r.Estimate), Y: y + 0.35},
		{X: tr(r.Upper), Y: y}, {X: tr(r.Estimate), Y: y - 0.35},
	})
	if err != nil {
		return err
	}
	d.Color = color.Gray{Y: 60}
	d.LineStyle.Color = color.Black
	p.Add(d)
	if math.IsNaN(r.PILower) {
		return nil
	}
	return addLine(p, plotter.XYs{{X: tr(r.PILower), Y: y - 0.6}, {X: tr(r.PIUpper), Y: y - 0.6}}, color.Black, []vg.Length{vg.Points(3), vg.Points(2)})
}

func addLine(p *plot.Plot, xys plotter.XYs, c color.Color, dashes []vg.Length) error {
	l, err := plotter.NewLine(xys)
	if err != nil {
		return err
	}
	l.Color = c
	l.Dashes = dashes
	p.Add(l)
	return nil
}
