package figure

import (
	"image/color"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg/draw"
)

// StepCurve is one post-step curve and its step confidence band, in data
// coordinates: the value Curve[i].Y holds from Curve[i].X to Curve[i+1].X,
// and each band run spans [Lower, Upper] from one vertex's X to the next.
type StepCurve struct {
	Curve []Point
	Band  [][]BandPoint
	Line  draw.LineStyle
	Fill  color.Color
}

// StepCurves is a plot.Plotter drawing several step curves: every band
// first, then every line, so that no arm's band covers another arm's line.
type StepCurves []StepCurve

// Plot implements plot.Plotter.
func (s StepCurves) Plot(c draw.Canvas, p *plot.Plot) {
	for _, sc := range s {
		for _, run := range sc.Band {
			bandPolygon(run, sc.Fill).Plot(c, p)
		}
	}
	for _, sc := range s {
		l := &plotter.Line{XYs: xys(sc.Curve), StepStyle: plotter.PostStep, LineStyle: sc.Line}
		l.Plot(c, p)
	}
}

// DataRange implements plot.DataRanger: the curves' and bands' extent.
func (s StepCurves) DataRange() (xmin, xmax, ymin, ymax float64) {
	xmin, ymin = math.Inf(1), math.Inf(1)
	xmax, ymax = math.Inf(-1), math.Inf(-1)
	grow := func(x, y float64) {
		xmin, xmax = min(xmin, x), max(xmax, x)
		ymin, ymax = min(ymin, y), max(ymax, y)
	}
	for _, sc := range s {
		for _, pt := range sc.Curve {
			grow(pt.X, pt.Y)
		}
		for _, run := range sc.Band {
			for _, b := range run {
				grow(b.X, b.Lower)
				grow(b.X, b.Upper)
			}
		}
	}
	return xmin, xmax, ymin, ymax
}

func xys(pts []Point) plotter.XYs {
	out := make(plotter.XYs, len(pts))
	for i, pt := range pts {
		out[i] = plotter.XY{X: pt.X, Y: pt.Y}
	}
	return out
}

// bandPolygon is the region of a step band run: along the upper bound
// forwards, then along the lower bound backwards.
func bandPolygon(run []BandPoint, clr color.Color) *plotter.Polygon {
	ring := make(plotter.XYs, 0, 4*len(run))
	for i, b := range run {
		if i > 0 {
			ring = append(ring, plotter.XY{X: b.X, Y: run[i-1].Upper})
		}
		ring = append(ring, plotter.XY{X: b.X, Y: b.Upper})
	}
	for i := len(run) - 1; i >= 0; i-- {
		b := run[i]
		ring = append(ring, plotter.XY{X: b.X, Y: b.Lower})
		if i > 0 {
			ring = append(ring, plotter.XY{X: b.X, Y: run[i-1].Lower})
		}
	}
	return &plotter.Polygon{XYs: []plotter.XYs{ring}, Color: clr}
}

// GlyphBoxes implements plot.GlyphBoxer: the lines' half widths, so that
// lines on the axis ends are drawn whole.
func (s StepCurves) GlyphBoxes(p *plot.Plot) []plot.GlyphBox {
	var boxes []plot.GlyphBox
	for _, sc := range s {
		l := &plotter.Line{XYs: xys(sc.Curve), StepStyle: plotter.PostStep, LineStyle: sc.Line}
		boxes = append(boxes, l.GlyphBoxes(p)...)
	}
	return boxes
}
