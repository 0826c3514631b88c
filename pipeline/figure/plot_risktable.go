package figure

import (
	"fmt"
	"image/color"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// RiskTable is a plot.Plotter drawing a table of counts under the plot's x
// axis: a header line, then one row per arm with a count centred at each of
// Times. The x positions come from the plot's own transform, so the counts
// sit exactly under the curves' times whatever the axis scale: aligned by
// construction, not by layout arithmetic.
//
// The table is drawn outside the data area: the figure layout reserves
// Height() below the plot and LeftWidth() to the left of the data area, and
// sets Top and Left before the plot is drawn.
type RiskTable struct {
	// Header is the first line, e.g. "Number at risk" or "Cumulative
	// number of events".
	Header string
	// Times are the data x positions of the columns (days).
	Times []float64
	Rows  []RiskRow
	// Top is the canvas y of the top of the header line and Left the
	// canvas x where the header starts; set by the layout.
	Top, Left vg.Length
}

// RiskRow is one row of a RiskTable: the arm's short label, drawn in the
// arm's colour, and one count per column.
type RiskRow struct {
	Label  string
	Color  color.Color
	Counts []int
}

// LeftWidth is the room the table needs left of the data area: the widest
// row label, a gap, and half of the widest first-column count (centred on
// the data area's left edge).
func (t *RiskTable) LeftWidth() vg.Length {
	s := style(sans, textSize, color.Black)
	var labelWidth, halfNumber vg.Length
	for _, r := range t.Rows {
		labelWidth = max(labelWidth, s.Width(r.Label))
		if len(r.Counts) > 0 {
			halfNumber = max(halfNumber, s.Width(fmt.Sprint(r.Counts[0]))/2)
		}
	}
	return labelWidth + labelGap + halfNumber
}

// Height is the room the table needs below the plot.
func (t *RiskTable) Height() vg.Length {
	return vg.Length(len(t.Rows)+1)*textSize*rowSpacing + 6
}

// Plot implements plot.Plotter. It panics if a row has not one count per
// time (a programmer error).
func (t *RiskTable) Plot(c draw.Canvas, p *plot.Plot) {
	xOf, _ := p.Transforms(&c)
	line := vg.Length(textSize * rowSpacing)
	var halfNumber vg.Length
	ts := style(sans, textSize, color.Black)
	for _, r := range t.Rows {
		if len(r.Counts) != len(t.Times) {
			panic(fmt.Sprintf("figure: RiskTable row %q has %d counts for %d times", r.Label, len(r.Counts), len(t.Times)))
		}
		if len(r.Counts) > 0 {
			halfNumber = max(halfNumber, ts.Width(fmt.Sprint(r.Counts[0]))/2)
		}
	}
	y := t.Top
	head := style(sansBold, textSize, color.Black)
	head.YAlign = draw.YTop
	c.FillText(head, vg.Point{X: t.Left, Y: y}, t.Header)
	for _, r := range t.Rows {
		y -= line
		s := style(sans, textSize, r.Color)
		s.YAlign = draw.YTop
		s.XAlign = draw.XRight
		c.FillText(s, vg.Point{X: c.Min.X - labelGap - halfNumber, Y: y}, r.Label)
		s.XAlign = draw.XCenter
		for j, x := range t.Times {
			c.FillText(s, vg.Point{X: xOf(x), Y: y}, fmt.Sprint(r.Counts[j]))
		}
	}
}
