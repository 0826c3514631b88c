package figure

import (
	"fmt"
	"image/color"
	"io"
	"path/filepath"
	"strings"
	"time"

	"codeberg.org/go-pdf/fpdf"
	xfont "golang.org/x/image/font"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/font/liberation"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
	"gonum.org/v1/plot/vg/vgpdf"
	"gonum.org/v1/plot/vg/vgsvg"

	"github.com/ketcurves/ketcurves/pipeline/atomicfile"
)

// pdfDate is the creation and modification date written into PDF files
// (2000-01-01 00:00:00 UTC), so that the same figure gives the same bytes.
var pdfDate = time.Date(2000, time.January, 1, 0, 0, 0, 0, time.UTC)

func init() {
	// vgpdf does not expose its fpdf document, so the package defaults are
	// fixed instead; they are read when vgpdf.New creates a document.
	fpdf.SetDefaultCreationDate(pdfDate)
	fpdf.SetDefaultModificationDate(pdfDate)
	fpdf.SetDefaultCatalogSort(true)
}

// Formats lists the file formats Save and Render write.
var Formats = []string{"svg", "png", "pdf"}

// Save writes the figure to path, in the format given by the extension
// (.svg, .png or .pdf), at width w and height h, through atomicfile.
func (f *Figure) Save(path string, w, h vg.Length) error {
	format := strings.ToLower(strings.TrimPrefix(filepath.Ext(path), "."))
	if err := checkFormat(format); err != nil {
		return fmt.Errorf("could not save figure %s: %w", path, err)
	}
	return atomicfile.Write(path, func(out io.Writer) error {
		return f.Render(out, format, w, h)
	})
}

func checkFormat(format string) error {
	for _, f := range Formats {
		if f == format {
			return nil
		}
	}
	return fmt.Errorf("unknown figure format %q: use one of %s", format, strings.Join(Formats, ", "))
}

// Render writes the figure in format ("svg", "png" or "pdf") at width w and
// height h. It returns an error for an unknown format or a size too small for
// the layout (below 6 × 5 cm).
func (f *Figure) Render(out io.Writer, format string, w, h vg.Length) error {
	if err := checkFormat(format); err != nil {
		return err
	}
	if w < 6*vg.Centimeter || h < 5*vg.Centimeter {
		return fmt.Errorf("figure size %.1f × %.1f cm is too small: use at least 6 × 5 cm", w/vg.Centimeter, h/vg.Centimeter)
	}
	var c vg.CanvasWriterTo
	switch format {
	case "svg":
		c = vgsvg.NewWith(vgsvg.UseWH(w, h), vgsvg.EmbedFonts(f.svgFonts))
	case "png":
		c = vgimg.PngCanvas{Canvas: vgimg.NewWith(vgimg.UseWH(w, h), vgimg.UseDPI(f.dpi), vgimg.UseBackgroundColor(color.White))}
	case "pdf":
		c = pdfCanvas{vgpdf.New(w, h)}
	}
	if err := f.draw(draw.New(c)); err != nil {
		return err
	}
	_, err := c.WriteTo(out)
	return err
}

// Typography and layout, in points.
var (
	sans = font.Font{Typeface: "Liberation", Variant: "Sans"}
	// sansBold is Liberation Sans Bold registered under its own variant
	// with normal weight: vgpdf (v0.17) cannot find bold-weight fonts.
	sansBold    = font.Font{Typeface: "Liberation", Variant: "SansBold"}
	grey        = color.Gray{0x55}
	textHandler = text.Plain{Fonts: fontCache()}
)

func fontCache() *font.Cache {
	coll := liberation.Collection()
	for _, f := range coll {
		if f.Font.Variant == "Sans" && f.Font.Weight == xfont.WeightBold && f.Font.Style == xfont.StyleNormal {
			coll = append(coll, font.Face{Font: sansBold, Face: f.Face})
			break
		}
	}
	return font.NewCache(coll)
}

const (
	margin     = 8  // around the figure
	titleSize  = 12 // title
	labelSize  = 10 // axis labels
	textSize   = 9  // ticks, legend, table
	noteSize   = 7.5
	rowSpacing = 1.45 // line height / font size
	labelGap   = 6    // between table labels and the data area
	thumbWidth = 22   // legend line sample
	entryGap   = 14   // between legend entries
	lineWidth  = 1.4
	bandAlpha  = 0x38
	censorSize = 3                   // radius of the + marks
	minData    = 2.5 * vg.Centimeter // smallest width and height of the curves' area
)

func style(fnt font.Font, size vg.Length, clr color.Color) text.Style {
	fnt.Size = size
	return text.Style{Color: clr, Font: fnt, Handler: textHandler}
}

func (a ArmCurve) lineStyle() draw.LineStyle {
	return draw.LineStyle{Color: a.Color, Width: lineWidth, Dashes: a.Dashes}
}

func (a ArmCurve) bandColor() color.NRGBA {
	c := a.Color
	c.A = bandAlpha
	return c
}

// legend is the legend entry: "CODE: label (n = N)", so that the short
// arm codes of the numbers-at-risk table can be read against it.
func (a ArmCurve) legend() string {
	if a.Label == "" || a.Label == a.Name {
		return fmt.Sprintf("%s (n = %d)", a.Name, a.N)
	}
	return fmt.Sprintf("%s: %s (n = %d)", a.Name, a.Label, a.N)
}

// draw lays the figure out from top to bottom: title, legend, plot,
// numbers-at-risk table, notes.
func (f *Figure) draw(c draw.Canvas) error {
	c.SetColor(color.White)
	c.Fill(c.Rectangle.Path())
	c = draw.Crop(c, margin, -margin, margin, -margin)

	titleStyle := style(sansBold, titleSize, color.Black)
	titleStyle.XAlign = draw.XCenter
	titleStyle.YAlign = draw.YTop
	textStyle := style(sans, textSize, color.Black)
	noteStyle := style(sans, noteSize, grey)
	noteStyle.YAlign = draw.YTop
	line := func(s text.Style) vg.Length { return s.Font.Size * rowSpacing }

	// Left space the table's arm labels need between the figure edge and
	// the data area. The table names arms by their short TRTP code (the
	// legend carries the full labels), so that long labels do not squeeze
	// the data area.
	// The numbers at the first tick are centred on the data area's left
	// edge, so half of the widest number is added.
	var armLabelWidth, halfNumber vg.Length
	for _, a := range f.Arms {
		armLabelWidth = max(armLabelWidth, textStyle.Width(a.Name))
		if len(a.AtRisk) > 0 {
			halfNumber = max(halfNumber, textStyle.Width(fmt.Sprint(a.AtRisk[0]))/2)
		}
	}
	tableLeft := armLabelWidth + labelGap + halfNumber

	// Vertical budget.
	titleLines := wrap(titleStyle, f.Title, c.Size().X)
	titleH := vg.Length(len(titleLines))*line(titleStyle) + 2
	legendRows, legendWidth := f.legendRows(textStyle, c.Size().X)
	if legendWidth > c.Size().X {
		return fmt.Errorf("a legend entry is %.1f cm wide, wider than the figure: use a wider figure or shorter arm labels", legendWidth/vg.Centimeter)
	}
	legendH := vg.Length(len(legendRows))*line(textStyle) + 4
	tableH := vg.Length(len(f.Arms)+1)*line(textStyle) + 6
	type noteLine struct {
		text  string
		style text.Style
	}
	var notes []noteLine
	for _, n := range f.Notes {
		s := noteStyle
		if n == SyntheticNote {
			s.Font = sansBold
			s.Font.Size = noteSize
			s.Color = color.Black
		}
		for _, l := range wrap(s, n, c.Size().X) {
			notes = append(notes, noteLine{l, s})
		}
	}
	notesH := vg.Length(len(notes))*line(noteStyle) + 2
	plotTop := c.Max.Y - titleH - legendH
	plotBottom := c.Min.Y + notesH + tableH
	if plotTop-plotBottom < minData {
		return fmt.Errorf("figure height %.1f cm leaves %.1f cm for the plot (%d arms in the legend and table): use a taller figure", (c.Size().Y+2*margin)/vg.Centimeter, (plotTop-plotBottom)/vg.Centimeter, len(f.Arms))
	}

	// Title.
	for i, l := range titleLines {
		c.FillText(titleStyle, vg.Point{X: (c.Min.X + c.Max.X) / 2, Y: c.Max.Y - vg.Length(i)*line(titleStyle)}, l)
	}

	// Plot, widened on the left if the table labels need more room than
	// the y axis.
	p := f.plot()
	plotCanvas := draw.Canvas{Canvas: c.Canvas, Rectangle: vg.Rectangle{
		Min: vg.Point{X: c.Min.X, Y: plotBottom},
		Max: vg.Point{X: c.Max.X, Y: plotTop},
	}}
	if dc := p.DataCanvas(plotCanvas); dc.Min.X-c.Min.X < tableLeft {
		plotCanvas = draw.Crop(plotCanvas, tableLeft-(dc.Min.X-c.Min.X), 0, 0, 0)
	}
	p.Draw(plotCanvas)
	dc := p.DataCanvas(plotCanvas)
	if dc.Size().X < minData {
		return fmt.Errorf("figure width %.1f cm leaves %.1f cm for the curves: use a wider figure or shorter arm labels", (c.Size().X+2*margin)/vg.Centimeter, dc.Size().X/vg.Centimeter)
	}
	if dc.Size().Y < minData {
		return fmt.Errorf("figure height %.1f cm leaves %.1f cm for the curves (%d arms in the legend and table): use a taller figure", (c.Size().Y+2*margin)/vg.Centimeter, dc.Size().Y/vg.Centimeter, len(f.Arms))
	}
	xOf, _ := p.Transforms(&dc)

	// Legend, above the plot, aligned with the data area when it fits.
	legendLeft := dc.Min.X
	if legendLeft+legendWidth > c.Max.X {
		legendLeft = c.Min.X
	}
	y := plotTop + legendH - 2
	for _, row := range legendRows {
		x := legendLeft
		mid := y - line(textStyle)/2
		for _, i := range row {
			a := f.Arms[i]
			c.FillPolygon(a.bandColor(), []vg.Point{{X: x, Y: mid - 4}, {X: x + thumbWidth, Y: mid - 4}, {X: x + thumbWidth, Y: mid + 4}, {X: x, Y: mid + 4}})
			c.StrokeLine2(a.lineStyle(), x, mid, x+thumbWidth, mid)
			s := textStyle
			s.YAlign = draw.YCenter
			c.FillText(s, vg.Point{X: x + thumbWidth + 4, Y: mid}, a.legend())
			x += thumbWidth + 4 + textStyle.Width(a.legend()) + entryGap
		}
		y -= line(textStyle)
	}

	// Numbers at risk, at the x positions of the labelled ticks.
	y = plotBottom - 4
	head := style(sansBold, textSize, color.Black)
	head.YAlign = draw.YTop
	c.FillText(head, vg.Point{X: c.Min.X, Y: y}, "Number at risk")
	for _, a := range f.Arms {
		y -= line(textStyle)
		s := style(sans, textSize, a.Color)
		s.YAlign = draw.YTop
		s.XAlign = draw.XRight
		c.FillText(s, vg.Point{X: dc.Min.X - labelGap - halfNumber, Y: y}, a.Name)
		s.XAlign = draw.XCenter
		for j, t := range f.Ticks {
			c.FillText(s, vg.Point{X: xOf(t.Time), Y: y}, fmt.Sprint(a.AtRisk[j]))
		}
	}

	// Notes.
	y = c.Min.Y + notesH - 1
	for _, n := range notes {
		c.FillText(n.style, vg.Point{X: c.Min.X, Y: y}, n.text)
		y -= line(noteStyle)
	}
	return nil
}

// legendRows packs the legend entries into rows no wider than width, and
// returns the width of the widest row.
func (f *Figure) legendRows(s text.Style, width vg.Length) (rows [][]int, widest vg.Length) {
	var row []int
	var x vg.Length
	for i, a := range f.Arms {
		w := thumbWidth + 4 + s.Width(a.legend())
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

// plot builds the gonum plot of the curves: bands, then step lines, then
// censoring marks.
func (f *Figure) plot() *plot.Plot {
	p := plot.New()
	p.TextHandler = textHandler
	p.BackgroundColor = color.Transparent
	p.X.Min, p.X.Max = f.XMin, f.XMax
	p.Y.Min, p.Y.Max = 0, 1
	if f.Log {
		p.X.Scale = plot.LogScale{}
	}
	p.X.Label.Text, p.Y.Label.Text = f.XLabel, f.YLabel
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
	var xt plot.ConstantTicks
	for _, t := range f.Ticks {
		xt = append(xt, plot.Tick{Value: t.Time, Label: t.Label})
	}
	for _, t := range f.MinorTicks {
		xt = append(xt, plot.Tick{Value: t})
	}
	p.X.Tick.Marker = xt
	p.Y.Tick.Marker = plot.ConstantTicks{{Value: 0, Label: "0.00"}, {Value: 0.25, Label: "0.25"}, {Value: 0.5, Label: "0.50"}, {Value: 0.75, Label: "0.75"}, {Value: 1, Label: "1.00"}}

	grid := plotter.NewGrid()
	grid.Vertical.Color = color.Gray{0xe4}
	grid.Horizontal.Color = color.Gray{0xe4}
	grid.Vertical.Width, grid.Horizontal.Width = 0.5, 0.5
	p.Add(grid)
	for _, a := range f.Arms {
		for _, run := range a.Band {
			p.Add(bandPolygon(run, a.bandColor()))
		}
	}
	for _, a := range f.Arms {
		l := &plotter.Line{XYs: xys(a.Curve), StepStyle: plotter.PostStep, LineStyle: a.lineStyle()}
		p.Add(l)
	}
	for _, a := range f.Arms {
		if len(a.Censor) == 0 {
			continue
		}
		s := &plotter.Scatter{XYs: xys(a.Censor), GlyphStyle: draw.GlyphStyle{Color: a.Color, Radius: censorSize, Shape: draw.PlusGlyph{}}}
		p.Add(s)
	}
	return p
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

// wrap breaks txt at spaces into lines no wider than width (a single word
// wider than width gets a line of its own).
func wrap(s text.Style, txt string, width vg.Length) []string {
	var lines []string
	var cur string
	for _, w := range strings.Fields(txt) {
		if cur != "" && s.Width(cur+" "+w) > width {
			lines = append(lines, cur)
			cur = ""
		}
		if cur != "" {
			cur += " "
		}
		cur += w
	}
	return append(lines, cur)
}
