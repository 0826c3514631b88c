package figure

import (
	"image/color"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// PointCI is one estimate with its confidence interval, in data
// coordinates: X in [Lower, Upper] on the row at height Y.
type PointCI struct {
	Y, X, Lower, Upper float64
}

// PointCIs is a plot.Plotter drawing point estimates as filled squares with
// their confidence intervals as horizontal lines. An interval reaching
// beyond the x axis is cut at the axis and ends in an arrowhead, so that a
// wide interval never breaks the figure.
type PointCIs struct {
	Points []PointCI
	Color  color.Color
	// Radius is half the side of the squares.
	Radius vg.Length
}

// Plot implements plot.Plotter.
func (pc PointCIs) Plot(c draw.Canvas, p *plot.Plot) {
	xOf, yOf := p.Transforms(&c)
	ls := draw.LineStyle{Color: pc.Color, Width: 1}
	for _, pt := range pc.Points {
		lo, hi := math.Max(pt.Lower, p.X.Min), math.Min(pt.Upper, p.X.Max)
		y := yOf(pt.Y)
		x0, x1 := xOf(lo), xOf(hi)
		c.StrokeLine2(ls, x0, y, x1, y)
		const tip = 3
		if pt.Lower < p.X.Min {
			c.StrokeLines(ls, []vg.Point{{X: x0 + tip, Y: y + tip}, {X: x0, Y: y}, {X: x0 + tip, Y: y - tip}})
		}
		if pt.Upper > p.X.Max {
			c.StrokeLines(ls, []vg.Point{{X: x1 - tip, Y: y + tip}, {X: x1, Y: y}, {X: x1 - tip, Y: y - tip}})
		}
		if pt.X >= p.X.Min && pt.X <= p.X.Max {
			c.DrawGlyph(draw.GlyphStyle{Color: pc.Color, Radius: pc.Radius, Shape: draw.BoxGlyph{}}, vg.Point{X: xOf(pt.X), Y: y})
		}
	}
}

// VLine is a plot.Plotter drawing a vertical reference line at X across the
// data area (a hazard ratio of 1, an RMST horizon τ).
type VLine struct {
	X     float64
	Style draw.LineStyle
}

// Plot implements plot.Plotter.
func (v VLine) Plot(c draw.Canvas, p *plot.Plot) {
	xOf, _ := p.Transforms(&c)
	x := xOf(v.X)
	c.StrokeLine2(v.Style, x, c.Min.Y, x, c.Max.Y)
}
