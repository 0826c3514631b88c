package figure

import (
	"fmt"
	"image/color"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// page is the layout every figure shares, from top to bottom: the title,
// the legend, the plot (with room beside its data area for text columns),
// an optional table under the x axis, and the notes.
type page struct {
	title  string
	legend []legendEntry
	plot   *plot.Plot
	// table, when set, is drawn under the plot's x axis; it must also be
	// one of the plot's plotters.
	table *RiskTable
	// left and right are the room needed beside the data area (text
	// columns, table labels); the plot is narrowed to make it.
	left, right vg.Length
	notes       []string
	// what names the legend's entries in size errors, e.g. "arms".
	what string
}

// legendEntry is a legend sample (line over a band swatch) and its text.
type legendEntry struct {
	text  string
	style ArmStyle
	// band draws the translucent band swatch behind the line.
	band bool
	// fill, when set, draws a filled swatch instead of a line.
	fill color.Color
}

func (e legendEntry) width(s text.Style) vg.Length { return thumbWidth + 4 + s.Width(e.text) }

// draw lays the page out on c. It returns an error when c is too small
// for the content, saying what to change.
func (pg *page) draw(c draw.Canvas) error {
	c.SetColor(color.White)
	c.Fill(c.Rectangle.Path())
	c = draw.Crop(c, margin, -margin, margin, -margin)

	titleStyle := style(sansBold, titleSize, color.Black)
	titleStyle.XAlign = draw.XCenter
	titleStyle.YAlign = draw.YTop
	textStyle := style(sans, textSize, color.Black)
	line := func(s text.Style) vg.Length { return s.Font.Size * rowSpacing }

	// Vertical budget.
	var titleLines []string
	var titleH vg.Length
	if pg.title != "" {
		titleLines = wrap(titleStyle, pg.title, c.Size().X)
		titleH = vg.Length(len(titleLines))*line(titleStyle) + 2
	}
	legendRows, legendWidth := pg.legendRows(textStyle, c.Size().X)
	if legendWidth > c.Size().X {
		return fmt.Errorf("a legend entry is %.1f cm wide, wider than the figure: use a wider figure or shorter arm labels", legendWidth/vg.Centimeter)
	}
	var legendH vg.Length
	if len(pg.legend) > 0 {
		legendH = vg.Length(len(legendRows))*line(textStyle) + 4
	}
	var tableH vg.Length
	if pg.table != nil {
		tableH = pg.table.Height()
	}
	notes := pg.noteLines(c.Size().X)
	notesH := vg.Length(len(notes))*noteSize*rowSpacing + 2
	plotTop := c.Max.Y - titleH - legendH
	plotBottom := c.Min.Y + notesH + tableH
	if plotTop-plotBottom < minData {
		return fmt.Errorf("figure height %.1f cm leaves %.1f cm for the plot (%s): use a taller figure", (c.Size().Y+2*margin)/vg.Centimeter, (plotTop-plotBottom)/vg.Centimeter, pg.counted())
	}

	if room := c.Size().X - pg.left - pg.right; room < minData {
		return fmt.Errorf("figure width %.1f cm leaves %.1f cm for the data beside the text columns: use a wider figure or shorter labels", (c.Size().X+2*margin)/vg.Centimeter, room/vg.Centimeter)
	}

	for i, l := range titleLines {
		c.FillText(titleStyle, vg.Point{X: (c.Min.X + c.Max.X) / 2, Y: c.Max.Y - vg.Length(i)*line(titleStyle)}, l)
	}

	// Plot, narrowed on the left if the table labels or text columns need
	// more room than the y axis, and on the right for text columns.
	p := pg.plot
	plotCanvas := draw.Canvas{Canvas: c.Canvas, Rectangle: vg.Rectangle{
		Min: vg.Point{X: c.Min.X, Y: plotBottom},
		Max: vg.Point{X: c.Max.X, Y: plotTop},
	}}
	if dc := p.DataCanvas(plotCanvas); dc.Min.X-c.Min.X < pg.left {
		plotCanvas = draw.Crop(plotCanvas, pg.left-(dc.Min.X-c.Min.X), 0, 0, 0)
	}
	if pg.right > 0 {
		plotCanvas = draw.Crop(plotCanvas, 0, -pg.right, 0, 0)
	}
	dc := p.DataCanvas(plotCanvas)
	if dc.Size().X < minData {
		return fmt.Errorf("figure width %.1f cm leaves %.1f cm for the data: use a wider figure or shorter labels", (c.Size().X+2*margin)/vg.Centimeter, dc.Size().X/vg.Centimeter)
	}
	if dc.Size().Y < minData {
		return fmt.Errorf("figure height %.1f cm leaves %.1f cm for the data (%s): use a taller figure", (c.Size().Y+2*margin)/vg.Centimeter, dc.Size().Y/vg.Centimeter, pg.counted())
	}
	if pg.table != nil {
		pg.table.Top, pg.table.Left = plotBottom-4, c.Min.X
	}
	p.Draw(plotCanvas)

	// Legend, above the plot, aligned with the data area when it fits.
	legendLeft := dc.Min.X
	if legendLeft+legendWidth > c.Max.X {
		legendLeft = c.Min.X
	}
	y := plotTop + legendH - 2
	for _, row := range legendRows {
		pg.drawLegendRow(c, row, legendLeft, y-line(textStyle)/2, textStyle)
		y -= line(textStyle)
	}

	y = c.Min.Y + notesH - 1
	for _, n := range notes {
		c.FillText(n.style, vg.Point{X: c.Min.X, Y: y}, n.text)
		y -= noteSize * rowSpacing
	}
	return nil
}

func (pg *page) counted() string {
	what := pg.what
	if what == "" {
		what = "arms"
	}
	n := len(pg.legend)
	if pg.table != nil {
		return fmt.Sprintf("%d %s in the legend and table", n, what)
	}
	return fmt.Sprintf("%d %s", n, what)
}

func (pg *page) drawLegendRow(c draw.Canvas, row []int, x, mid vg.Length, ts text.Style) {
	for _, i := range row {
		e := pg.legend[i]
		swatch := []vg.Point{{X: x, Y: mid - 4}, {X: x + thumbWidth, Y: mid - 4}, {X: x + thumbWidth, Y: mid + 4}, {X: x, Y: mid + 4}}
		switch {
		case e.fill != nil:
			c.FillPolygon(e.fill, swatch)
		default:
			if e.band {
				c.FillPolygon(bandColor(e.style.Color), swatch)
			}
			c.StrokeLine2(lineStyle(e.style), x, mid, x+thumbWidth, mid)
		}
		s := ts
		s.YAlign = draw.YCenter
		c.FillText(s, vg.Point{X: x + thumbWidth + 4, Y: mid}, e.text)
		x += e.width(ts) + entryGap
	}
}

type noteLine struct {
	text  string
	style text.Style
}

// noteLines wraps the notes to width; the synthetic-data note is bold black.
func (pg *page) noteLines(width vg.Length) []noteLine {
	noteStyle := style(sans, noteSize, grey)
	noteStyle.YAlign = draw.YTop
	var out []noteLine
	for _, n := range pg.notes {
		s := noteStyle
		if n == SyntheticNote {
			s.Font = sansBold
			s.Font.Size = noteSize
			s.Color = color.Black
		}
		for _, l := range wrap(s, n, width) {
			out = append(out, noteLine{l, s})
		}
	}
	return out
}

// legendRows packs the legend entries into rows no wider than width, and
// returns the width of the widest row.
func (pg *page) legendRows(s text.Style, width vg.Length) (rows [][]int, widest vg.Length) {
	var row []int
	var x vg.Length
	for i, e := range pg.legend {
		w := e.width(s)
		if len(row) > 0 && x+entryGap+w > width {
			rows = append(rows, row)
			row, x = nil, 0
		}
		if len(row) > 0 {
			x += entryGap
		}
		row = append(row, i)
		x += w
		widest = max(widest, x)
	}
	return append(rows, row), widest
}

// newPlot returns a plot in the house style: transparent background, the
// Liberation fonts at the house sizes, no axis padding, thin axes.
func newPlot(xLabel, yLabel string) *plot.Plot {
	p := plot.New()
	p.TextHandler = textHandler
	p.BackgroundColor = color.Transparent
	p.X.Label.Text, p.Y.Label.Text = xLabel, yLabel
	for _, ax := range []*plot.Axis{&p.X, &p.Y} {
		ax.Label.TextStyle.Font = sans
		ax.Label.TextStyle.Font.Size = labelSize
		ax.Label.TextStyle.Handler = textHandler
		ax.Tick.Label.Font = sans
		ax.Tick.Label.Font.Size = textSize
		ax.Tick.Label.Handler = textHandler
		ax.Padding = 0
		ax.LineStyle.Width = 0.8
		ax.Tick.LineStyle.Width = 0.8
	}
	return p
}

func lineStyle(s ArmStyle) draw.LineStyle {
	return draw.LineStyle{Color: s.Color, Width: lineWidth, Dashes: s.Dashes}
}

func bandColor(c color.NRGBA) color.NRGBA {
	c.A = bandAlpha
	return c
}
