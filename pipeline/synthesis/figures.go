package synthesis

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"image/color"
	"math"
	"slices"
	"strconv"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
	"gonum.org/v1/plot/vg/vgpdf"
	"gonum.org/v1/plot/vg/vgsvg"

	"github.com/ketcurves/ketcurves/pipeline/figure"
	"github.com/ketcurves/ketcurves/pipeline/meta"
)

// Rendered is one figure in every format, with the CSV of what it draws.
type Rendered struct {
	Name, Caption string
	// Files holds the figure by format: "svg", "png", "pdf".
	Files map[string][]byte
	CSV   []byte
}

// Formats are the formats of Rendered.Files, in order.
var Formats = []string{"svg", "png", "pdf"}

// FileNames are the figure's file names: name.svg, .png, .pdf, .csv.
func (r *Rendered) FileNames() []string {
	var out []string
	for _, f := range Formats {
		out = append(out, r.Name+"."+f)
	}
	return append(out, r.Name+".csv")
}

// The response figure's log time axis: 40 minutes to 14 weeks (days).
const (
	ResponseXMin = 40.0 / (24 * 60)
	ResponseXMax = 98.0
)

var responseTicks = []plot.Tick{
	{Value: 40.0 / 1440, Label: "40 min"}, {Value: 2.0 / 24, Label: "2 h"}, {Value: 4.0 / 24, Label: "4 h"},
	{Value: 1, Label: "1 d"}, {Value: 2, Label: "2 d"}, {Value: 7, Label: "7 d"}, {Value: 14, Label: "14 d"},
	{Value: 28, Label: "4 wk"}, {Value: 42, Label: "6 wk"}, {Value: 98, Label: "14 wk"},
}

// studyDashes tell apart the studies of one arm class.
var studyDashes = [][]vg.Length{nil, {vg.Points(6), vg.Points(3)}, {vg.Points(1.5), vg.Points(2)},
	{vg.Points(6), vg.Points(2), vg.Points(1.5), vg.Points(2)}, {vg.Points(10), vg.Points(3)}, {vg.Points(3), vg.Points(2)}}

func classColor(class string) color.Color {
	s, ok := figure.ClassStyles[class]
	if !ok {
		s = figure.ClassStyles["other"]
	}
	return s.Color
}

// Figures draws the synthesis: the response curves, the relapse-free
// curves and one forest plot per pooled contrast. It returns an error if a
// figure cannot be drawn.
func Figures(s *Synthesis) ([]*Rendered, error) {
	var out []*Rendered
	if len(s.ResponseCurves) > 0 {
		r, err := responseFigure(s)
		if err != nil {
			return nil, fmt.Errorf("could not draw the response curves: %w", err)
		}
		out = append(out, r)
	}
	if len(s.RelapseCurves) > 0 {
		r, err := relapseFigure(s)
		if err != nil {
			return nil, fmt.Errorf("could not draw the relapse-free curves: %w", err)
		}
		out = append(out, r)
	}
	for _, c := range s.Contrasts {
		if c.Pooled == nil {
			continue
		}
		r, err := forestFigure(c)
		if err != nil {
			return nil, fmt.Errorf("could not draw the forest plot of %s: %w", c.Name(), err)
		}
		out = append(out, r)
	}
	return out, nil
}

type csvTable struct{ rows [][]string }

func (t *csvTable) add(cells ...string) { t.rows = append(t.rows, cells) }

func (t *csvTable) bytes() []byte {
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	_ = w.WriteAll(t.rows) // a bytes.Buffer does not fail
	return b.Bytes()
}

func num(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }

// stepPoints are the points of a KM step curve on [from, to]: y = f(S).
func stepPoints(c Curve, from, to float64, f func(float64) float64) plotter.XYs {
	end := math.Min(c.FollowUp, to)
	if end < from {
		return nil
	}
	pts := plotter.XYs{{X: from, Y: f(c.At(from))}}
	for i, t := range c.Time {
		if t > from && t <= end {
			pts = append(pts, plotter.XY{X: t, Y: f(c.Surv[i])})
		}
	}
	if last := pts[len(pts)-1]; last.X < end {
		pts = append(pts, plotter.XY{X: end, Y: last.Y})
	}
	return pts
}

func addStep(p *plot.Plot, pts plotter.XYs, col color.Color, dashes []vg.Length, legend string) error {
	l, err := plotter.NewLine(pts)
	if err != nil {
		return err
	}
	l.StepStyle = plotter.PostStep
	l.Color, l.Dashes, l.Width = col, dashes, vg.Points(1.4)
	p.Add(l)
	if legend != "" {
		p.Legend.Add(legend, l)
	}
	return nil
}

func responseFigure(s *Synthesis) (*Rendered, error) {
	p := plot.New()
	p.Title.Text = "Time to response, every arm (1 − Kaplan–Meier)"
	p.X.Label.Text = "Time since first dose (log scale)"
	p.Y.Label.Text = "Proportion responded"
	p.X.Scale = plot.LogScale{}
	p.X.Tick.Marker = plot.ConstantTicks(responseTicks)
	p.X.Min, p.X.Max, p.Y.Min, p.Y.Max = ResponseXMin, ResponseXMax, 0, 1
	p.Legend.Top, p.Legend.Left = true, true
	p.Legend.TextStyle.Font.Size = vg.Points(7)
	p.Add(plotter.NewGrid())
	t := &csvTable{}
	t.add("study", "paramcd", "arm", "class", "x", "y")
	studies := studyOrder(s.ResponseCurves)
	for _, c := range s.ResponseCurves {
		pts := stepPoints(c, ResponseXMin, ResponseXMax, func(v float64) float64 { return 1 - v })
		if pts == nil {
			continue
		}
		dash := studyDashes[slices.Index(studies, c.Study)%len(studyDashes)]
		if err := addStep(p, pts, classColor(c.Class), dash, fmt.Sprintf("%s %s (%s)", c.Study, c.ArmLabel, c.Class)); err != nil {
			return nil, err
		}
		for _, pt := range pts {
			t.add(c.Study, c.Paramcd, c.Arm, c.Class, num(pt.X), num(pt.Y))
		}
	}
	return renderPlots("response_curves", "Time to response (1 − KM) of every arm on one log-time axis, 40 minutes to 14 weeks; colour by arm class, line pattern by study",
		[]*plot.Plot{p}, 18*vg.Centimeter, 12*vg.Centimeter, t)
}

func studyOrder(curves []Curve) []string {
	var out []string
	for _, c := range curves {
		if !slices.Contains(out, c.Study) {
			out = append(out, c.Study)
		}
	}
	return out
}

func relapseFigure(s *Synthesis) (*Rendered, error) {
	type panelKey struct{ study, paramcd string }
	var keys []panelKey
	for _, c := range s.RelapseCurves {
		if k := (panelKey{c.Study, c.Paramcd}); !slices.Contains(keys, k) {
			keys = append(keys, k)
		}
	}
	t := &csvTable{}
	t.add("study", "paramcd", "arm", "class", "x", "y")
	var plots []*plot.Plot
	for _, k := range keys {
		p := plot.New()
		p.Title.Text = k.study
		p.Title.TextStyle.Font.Size = vg.Points(9)
		p.X.Label.Text = "Days from the relapse time origin"
		p.Y.Label.Text = "Relapse-free"
		p.Y.Min, p.Y.Max, p.X.Min = 0, 1, 0
		p.Legend.Top = false
		p.Legend.TextStyle.Font.Size = vg.Points(7)
		p.Add(plotter.NewGrid())
		for _, c := range s.RelapseCurves {
			if c.Study != k.study || c.Paramcd != k.paramcd {
				continue
			}
			pts := stepPoints(c, 0, math.Inf(1), func(v float64) float64 { return v })
			if pts == nil {
				continue
			}
			if err := addStep(p, pts, classColor(c.Class), figure.ClassStyles[c.Class].Dashes, c.ArmLabel); err != nil {
				return nil, err
			}
			for _, pt := range pts {
				t.add(c.Study, c.Paramcd, c.Arm, c.Class, num(pt.X), num(pt.Y))
			}
		}
		plots = append(plots, p)
	}
	return renderPlots("relapse_curves", "Relapse-free curves (Kaplan–Meier) after response, one panel per study, each from its own time origin",
		plots, vg.Length(len(plots))*9*vg.Centimeter, 9*vg.Centimeter, t)
}

func forestFigure(c *Contrast) (*Rendered, error) {
	yi, sei := c.LogHRs()
	var labels []string
	for _, s := range c.Studies {
		labels = append(labels, s.Study)
	}
	p, err := meta.Forest(yi, sei, c.Pooled, meta.ForestOptions{Labels: labels, Ratio: true,
		Title: fmt.Sprintf("%s: %s vs %s", c.Kind, c.Treated, c.Control), XLabel: "Hazard ratio (95% CI)"})
	if err != nil {
		return nil, err
	}
	t := &csvTable{}
	t.add("row", "label", "hr", "lower", "upper", "weight", "pi_lower", "pi_upper")
	for i := range yi {
		t.add("study", labels[i], num(math.Exp(yi[i])), num(math.Exp(yi[i]-meta.Z975*sei[i])), num(math.Exp(yi[i]+meta.Z975*sei[i])), num(c.Pooled[0].Weights[i]), "", "")
	}
	for _, r := range c.Pooled {
		rr := r.Ratio()
		t.add("pooled", poolLabel(r), num(rr.Estimate), num(rr.Lower), num(rr.Upper), "100", optNum(math.Exp(r.PILower)), optNum(math.Exp(r.PIUpper)))
	}
	name := fmt.Sprintf("forest_%s_%s_vs_%s", c.Kind, c.Treated, c.Control)
	caption := fmt.Sprintf("Forest plot, %s: each study's Cox hazard ratio, the pooled diamonds (%s) and the prediction interval (dashed)", c.Name(), poolList(c.Pooled))
	return renderPlots(name, caption, []*plot.Plot{p}, 18*vg.Centimeter, meta.ForestHeight(len(yi), len(c.Pooled)), t)
}

// optNum is num, or "" for NaN (R's NA).
func optNum(v float64) string {
	if math.IsNaN(v) {
		return ""
	}
	return num(v)
}

func poolLabel(r *meta.Result) string {
	l := string(r.Method)
	if r.Adjustment == meta.HKSJ {
		l += " (HKSJ)"
	}
	return l
}

func poolList(rs []*meta.Result) string {
	var s string
	for i, r := range rs {
		if i > 0 {
			s += ", "
		}
		s += poolLabel(r)
	}
	return s
}

// renderPlots draws the plots side by side in every format.
func renderPlots(name, caption string, plots []*plot.Plot, w, h vg.Length, t *csvTable) (*Rendered, error) {
	r := &Rendered{Name: name, Caption: caption, Files: map[string][]byte{}, CSV: t.bytes()}
	for _, format := range Formats {
		var c vg.CanvasWriterTo
		switch format {
		case "svg":
			c = vgsvg.NewWith(vgsvg.UseWH(w, h))
		case "png":
			c = vgimg.PngCanvas{Canvas: vgimg.NewWith(vgimg.UseWH(w, h), vgimg.UseDPI(150), vgimg.UseBackgroundColor(color.White))}
		case "pdf":
			c = vgpdf.New(w, h)
		}
		dc := draw.New(c)
		if len(plots) == 1 {
			plots[0].Draw(dc)
		} else {
			tiles := draw.Tiles{Rows: 1, Cols: len(plots), PadX: vg.Millimeter * 4}
			canvases := plot.Align([][]*plot.Plot{plots}, tiles, dc)
			for j, p := range plots {
				p.Draw(canvases[0][j])
			}
		}
		var b bytes.Buffer
		if _, err := c.WriteTo(&b); err != nil {
			return nil, fmt.Errorf("could not write %s.%s: %w", name, format, err)
		}
		r.Files[format] = b.Bytes()
	}
	return r, nil
}
