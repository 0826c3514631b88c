package figure

import (
	"image/color"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg/draw"
)

// CensorMarks is a plot.Plotter drawing "+" marks, in data coordinates, at
// the censoring times of one curve, on the curve.
type CensorMarks struct {
	Marks []Point
	Color color.Color
}

// Plot implements plot.Plotter.
func (m CensorMarks) Plot(c draw.Canvas, p *plot.Plot) {
	if len(m.Marks) == 0 {
		return
	}
	m.scatter().Plot(c, p)
}

func (m CensorMarks) scatter() *plotter.Scatter {
	return &plotter.Scatter{XYs: xys(m.Marks), GlyphStyle: draw.GlyphStyle{Color: m.Color, Radius: censorSize, Shape: draw.PlusGlyph{}}}
}

// GlyphBoxes implements plot.GlyphBoxer, so that marks at the axis ends
// are not clipped.
func (m CensorMarks) GlyphBoxes(p *plot.Plot) []plot.GlyphBox {
	if len(m.Marks) == 0 {
		return nil
	}
	return m.scatter().GlyphBoxes(p)
}
