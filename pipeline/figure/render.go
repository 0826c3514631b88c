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
func (f *Figure) Save(path string, w, h vg.Length) error { return save(f, path, w, h) }

// Render writes the figure in format ("svg", "png" or "pdf") at width w and
// height h. It returns an error for an unknown format or a size too small for
// the layout (below 6 × 5 cm).
func (f *Figure) Render(out io.Writer, format string, w, h vg.Length) error {
	return render(out, format, w, h, f.dpi, f.svgFonts, f.page())
}

// save writes d to path through atomicfile, in the format of the extension.
func save(d Drawing, path string, w, h vg.Length) error {
	format := strings.ToLower(strings.TrimPrefix(filepath.Ext(path), "."))
	if err := checkFormat(format); err != nil {
		return fmt.Errorf("could not save figure %s: %w", path, err)
	}
	return atomicfile.Write(path, func(out io.Writer) error {
		return d.Render(out, format, w, h)
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

// render draws the page pg in format at width w and height h; PNG at dpi,
// SVG with the fonts embedded when svgFonts.
func render(out io.Writer, format string, w, h vg.Length, dpi int, svgFonts bool, pg canvasDrawer) error {
	if err := checkFormat(format); err != nil {
		return err
	}
	if w < 6*vg.Centimeter || h < 5*vg.Centimeter {
		return fmt.Errorf("figure size %.1f × %.1f cm is too small: use at least 6 × 5 cm", w/vg.Centimeter, h/vg.Centimeter)
	}
	var c vg.CanvasWriterTo
	switch format {
	case "svg":
		c = vgsvg.NewWith(vgsvg.UseWH(w, h), vgsvg.EmbedFonts(svgFonts))
	case "png":
		c = pngCanvas{Canvas: vgimg.NewWith(vgimg.UseWH(w, h), vgimg.UseDPI(dpi), vgimg.UseBackgroundColor(color.White)), dpi: dpi}
	case "pdf":
		c = pdfCanvas{vgpdf.New(w, h)}
	}
	if err := pg.draw(draw.New(c)); err != nil {
		return err
	}
	_, err := c.WriteTo(out)
	return err
}

// canvasDrawer is a figure layout: a page, or panels of pages.
type canvasDrawer interface {
	draw(c draw.Canvas) error
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

// Style is the arm's house style.
func (a ArmCurve) Style() ArmStyle { return ArmStyle{Color: a.Color, Dashes: a.Dashes} }

func (a ArmCurve) lineStyle() draw.LineStyle { return lineStyle(a.Style()) }

func (a ArmCurve) bandColor() color.NRGBA { return bandColor(a.Color) }

// legend is the legend entry: "CODE: label (n = N)", so that the short
// arm codes of the numbers-at-risk table can be read against it.
func (a ArmCurve) legend() string { return armLegend(a.Name, a.Label, a.N) }

func armLegend(name, label string, n int) string {
	if label == "" || label == name {
		return fmt.Sprintf("%s (n = %d)", name, n)
	}
	return fmt.Sprintf("%s: %s (n = %d)", name, label, n)
}

// page lays the figure out: title, legend, plot, numbers-at-risk table,
// notes. The table names arms by their short TRTP code (the legend carries
// the full labels), so that long labels do not squeeze the data area.
func (f *Figure) page() *page {
	pg := &page{title: f.Title, notes: f.Notes}
	for _, a := range f.Arms {
		pg.legend = append(pg.legend, legendEntry{text: a.legend(), style: a.Style(), band: len(a.Band) > 0})
	}
	if f.model != nil {
		pg.legend = append(pg.legend, f.model.legend())
	}
	p := f.TimeAxis.plot(f.YLabel)
	p.Y.Min, p.Y.Max = 0, 1
	p.Y.Tick.Marker = proportionTicks
	if f.YMax > 0 || f.yFree {
		p.Y.Min, p.Y.Max = f.yMin, f.YMax
		p.Y.Tick.Marker = plot.DefaultTicks{}
	}
	p.Add(houseGrid())
	if f.rmst != nil {
		f.rmst.add(p)
	}
	if f.km != nil {
		f.km.add(p, f.Rising)
	}
	if f.model != nil {
		f.model.add(p)
	}
	p.Add(f.stepCurves())
	for _, a := range f.Arms {
		p.Add(CensorMarks{Marks: a.Censor, Color: a.Color})
	}
	pg.table = f.riskTable()
	p.Add(pg.table)
	f.TimeAxis.clip(p)
	pg.plot, pg.left = p, pg.table.LeftWidth()
	return pg
}

func (f *Figure) stepCurves() StepCurves {
	var s StepCurves
	for _, a := range f.Arms {
		s = append(s, StepCurve{Curve: a.Curve, Band: a.Band, Line: a.lineStyle(), Fill: a.bandColor()})
	}
	return s
}

// proportionTicks are the y ticks of a proportion axis from 0 to 1.
var proportionTicks = plot.ConstantTicks{{Value: 0, Label: "0.00"}, {Value: 0.25, Label: "0.25"}, {Value: 0.5, Label: "0.50"}, {Value: 0.75, Label: "0.75"}, {Value: 1, Label: "1.00"}}

// riskTable is the numbers-at-risk table at the labelled ticks.
func (f *Figure) riskTable() *RiskTable {
	t := &RiskTable{Header: "Number at risk"}
	for _, tk := range f.Ticks {
		t.Times = append(t.Times, tk.Time)
	}
	for _, a := range f.Arms {
		t.Rows = append(t.Rows, RiskRow{Label: a.Name, Color: a.Color, Counts: a.AtRisk})
	}
	return t
}

// plot returns a house-style plot on the time axis: range, scale, labelled
// and minor ticks, and the axis label; yLabel labels the y axis.
func (ax TimeAxis) plot(yLabel string) *plot.Plot {
	p := newPlot(ax.XLabel, yLabel)
	p.X.Min, p.X.Max = ax.XMin, ax.XMax
	if ax.Log {
		p.X.Scale = plot.LogScale{}
	}
	var xt plot.ConstantTicks
	for _, t := range ax.Ticks {
		xt = append(xt, plot.Tick{Value: t.Time, Label: t.Label})
	}
	for _, t := range ax.MinorTicks {
		xt = append(xt, plot.Tick{Value: t})
	}
	p.X.Tick.Marker = xt
	return p
}

// clip restores the axis range after plotters were added (p.Add widens
// the axes to their data range), so that a plan's x range clips the
// curves at the axis rather than stretching it; lines, polygons and marks
// outside are clipped by the canvas.
func (ax TimeAxis) clip(p *plot.Plot) {
	p.X.Min, p.X.Max = ax.XMin, ax.XMax
}

// houseGrid is the light grid at the ticks of every figure.
func houseGrid() *plotter.Grid {
	grid := plotter.NewGrid()
	grid.Vertical.Color = color.Gray{0xe4}
	grid.Horizontal.Color = color.Gray{0xe4}
	grid.Vertical.Width, grid.Horizontal.Width = 0.5, 0.5
	return grid
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
