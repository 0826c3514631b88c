package figure

import (
	"cmp"
	"encoding/csv"
	"fmt"
	"image/color"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/ketcurves/ketcurves/pipeline/schema"
)

// zphKind is the scaled Schoenfeld residual figure of the Cox model's
// proportional-hazards test.
var zphKind = &Kind{
	Name:    "zph",
	Summary: "scaled Schoenfeld residuals against transformed time, one panel per Cox term, with a smooth, its ±2 SE band and the cox.zph p-value",
	Suffix:  "-zph",
	Needs:   []string{"cox", "zph"},
	Applies: func(ep *schema.Endpoint) bool { _, ok := ep.Sections["zph"]; return ok && ep.Cox != nil },
	build: func(res *schema.Results, ep *schema.Endpoint, opts ...Option) (Drawing, error) {
		return NewZPH(res, ep, opts...)
	},
}

// ZPH is the drawable content of the scaled Schoenfeld residual figure:
// one panel per Cox term.
type ZPH struct {
	Paramcd, Title string
	// Transform is cox.zph's time transform (km, rank, identity).
	Transform string
	Panels    []ZPHPanel
	Notes     []string

	caption  string
	dpi      int
	svgFonts bool
}

// ZPHPanel is one term's panel: the residuals β + scaled Schoenfeld
// residual (R zph$y) at the transformed event times (zph$x), their smooth
// (LocalLinear) and band, the Cox coefficient β, and the term's test.
type ZPHPanel struct {
	Term      string
	Residuals []ZPHPoint
	Smooth    []SmoothPoint
	// Coef is the Cox coefficient (nil when not estimable).
	Coef *float64
	// Chisq and P are the term's cox.zph test (nil when undefined).
	Chisq, P *float64
	// Ticks label the x axis with event times (days) at their
	// transformed positions.
	Ticks []Tick
}

// ZPHPoint is one residual: Time the event time in days, X its transform,
// Y = β + scaled residual.
type ZPHPoint struct{ Time, X, Y float64 }

// NewZPH prepares the zph figure of ep from its zph section: a panel per
// term with residuals (rows with a null residual are left out), in the
// order of the section's tests, and the global test in the notes. It
// returns an error if the section has no residuals or a residual is not
// finite.
func NewZPH(res *schema.Results, ep *schema.Endpoint, opts ...Option) (*ZPH, error) {
	cfg := newConfig(opts)
	if cfg.dpi <= 0 {
		return nil, fmt.Errorf("could not prepare the zph figure of %s: PNG resolution %d dpi: use a positive value", ep.Paramcd, cfg.dpi)
	}
	sec, ok, err := section[schema.ZPHSection](ep, "zph")
	if err != nil {
		return nil, err
	}
	if !ok || len(sec.Residuals.Time) == 0 {
		return nil, fmt.Errorf("could not prepare the zph figure of %s: the endpoint has no scaled Schoenfeld residuals (zph status %q): run the fit stage with the zph method", ep.Paramcd, sec.Status)
	}
	z := &ZPH{Paramcd: ep.Paramcd, Title: cmp.Or(ep.Label, ep.Paramcd) + ": scaled Schoenfeld residuals", Transform: sec.Transform, dpi: cfg.dpi, svgFonts: cfg.svgFonts}
	byTerm := map[string][]ZPHPoint{}
	for _, r := range sec.Residuals.Rows() {
		if r.Residual == nil {
			continue
		}
		if v := *r.Residual; math.IsNaN(v) || math.IsInf(v, 0) || math.IsNaN(r.X) || math.IsInf(r.X, 0) {
			return nil, fmt.Errorf("could not prepare the zph figure of %s: term %s at time %v has residual %v at x %v: results.json is inconsistent, rerun the fit stage", ep.Paramcd, r.Term, r.Time, v, r.X)
		}
		byTerm[r.Term] = append(byTerm[r.Term], ZPHPoint{Time: r.Time, X: r.X, Y: *r.Residual})
	}
	var global *schema.ZPHTest
	for i, t := range sec.Tests {
		if t.Term == "GLOBAL" {
			global = &sec.Tests[i]
			continue
		}
		pts := byTerm[t.Term]
		if len(pts) == 0 {
			continue
		}
		pn := ZPHPanel{Term: t.Term, Residuals: pts, Chisq: t.Chisq, P: t.PValue, Ticks: zphTicks(pts, sec.Transform)}
		xs, ys := make([]float64, len(pts)), make([]float64, len(pts))
		for j, p := range pts {
			xs[j], ys[j] = p.X, p.Y
		}
		pn.Smooth = LocalLinear(xs, ys)
		if ep.Cox != nil {
			for _, ct := range ep.Cox.Terms {
				if ct.Term == t.Term && ct.Estimable {
					c := ct.Coef
					pn.Coef = &c
				}
			}
		}
		z.Panels = append(z.Panels, pn)
	}
	if len(z.Panels) == 0 {
		return nil, fmt.Errorf("could not prepare the zph figure of %s: no term of the zph tests has residuals: results.json is inconsistent, rerun the fit stage", ep.Paramcd)
	}
	note := "Points: β + scaled Schoenfeld residual at each event (R cox.zph, " + transformName(sec.Transform) + "); line: local linear smooth (Gaussian kernel, bandwidth a sixth of the axis) with its ±2 SE band (R's plot.cox.zph draws a natural spline, df = 4); dashed: the Cox coefficient β. A smooth that stays flat around β supports proportional hazards."
	z.Notes = append(z.Notes, note)
	if global != nil && global.PValue != nil {
		z.Notes = append(z.Notes, fmt.Sprintf("Global test: χ² = %s on %d df, p %s.", num3(*global.Chisq), global.DF, pText(*global.PValue)))
	}
	z.Notes = append(z.Notes, cfg.notes...)
	if res.Study.Synthetic {
		z.Notes = append(z.Notes, SyntheticNote)
	}
	z.caption = fmt.Sprintf("Scaled Schoenfeld residuals of the Cox model of %s (n = %d, %d events) against %s, one panel per term, with a local linear smooth and its ±2 SE band and the cox.zph test p-value in each panel. %s", cmp.Or(ep.Label, ep.Paramcd), coxN(ep), coxEvents(ep), transformName(sec.Transform), strings.Join(z.Notes[1:len(z.Notes)-len(cfg.notes)], " "))
	return z, nil
}

func coxN(ep *schema.Endpoint) int {
	if ep.Cox == nil {
		return 0
	}
	return ep.Cox.N
}

func coxEvents(ep *schema.Endpoint) int {
	if ep.Cox == nil {
		return 0
	}
	return ep.Cox.Events
}

func transformName(t string) string {
	switch t {
	case "km":
		return "Kaplan–Meier-transformed time"
	case "rank":
		return "rank of the event time"
	case "identity":
		return "time"
	}
	return "time (" + t + " transform)"
}

// zphTicks labels the x axis with event times: for the km and rank
// transforms, the human times of the log axis candidates within the event
// times, placed at their transformed positions by linear interpolation of
// (time, x), at least a seventh of the axis apart; for identity, the
// times themselves.
func zphTicks(pts []ZPHPoint, transform string) []Tick {
	s := slices.Clone(pts)
	slices.SortFunc(s, func(a, b ZPHPoint) int { return cmp.Or(cmp.Compare(a.Time, b.Time), cmp.Compare(a.X, b.X)) })
	x0, x1 := s[0].X, s[len(s)-1].X
	if transform == "identity" || x0 == x1 {
		return nil // automatic ticks on time
	}
	lo, hi := min(x0, x1), max(x0, x1)
	var out []Tick
	for _, c := range logCandidates {
		if c.t < s[0].Time || c.t > s[len(s)-1].Time {
			continue
		}
		i, _ := slices.BinarySearchFunc(s, c.t, func(p ZPHPoint, t float64) int { return cmp.Compare(p.Time, t) })
		x := s[i].X
		if i > 0 && s[i].Time != c.t {
			a, b := s[i-1], s[i]
			x = a.X + (b.X-a.X)*(c.t-a.Time)/(b.Time-a.Time)
		}
		if len(out) > 0 && math.Abs(x-out[len(out)-1].Time) < (hi-lo)/7 {
			continue
		}
		out = append(out, Tick{Time: x, Label: duration(c.t)})
	}
	return out
}

// Caption implements Drawing.
func (z *ZPH) Caption() string { return z.caption }

// Render implements Drawing.
func (z *ZPH) Render(out io.Writer, format string, w, h vg.Length) error {
	// Side by side, three to a row: each panel keeps the figure's height.
	ps := &panels{title: z.Title, cols: min(len(z.Panels), 3), notes: z.Notes}
	for _, pn := range z.Panels {
		ps.pages = append(ps.pages, pn.page(z.Transform))
	}
	return render(out, format, w, h, z.dpi, z.svgFonts, ps)
}

var (
	residualColor = color.NRGBA{0x55, 0x55, 0x55, 0xb0}
	smoothBand    = color.NRGBA{0x00, 0x72, 0xB2, 0x30}
)

func (pn ZPHPanel) page(transform string) *page {
	xl := "Time"
	if transform != "identity" {
		xl = "Time (" + transform + " scale)"
	}
	p := newPlot(xl, "β(t) of "+pn.Term)
	if pn.Ticks != nil {
		var t plot.ConstantTicks
		for _, tk := range pn.Ticks {
			t = append(t, plot.Tick{Value: tk.Time, Label: tk.Label})
		}
		p.X.Tick.Marker = t
	}
	p.Add(houseGrid())
	if len(pn.Smooth) > 0 {
		ring := make(plotter.XYs, 0, 2*len(pn.Smooth))
		for _, s := range pn.Smooth {
			ring = append(ring, plotter.XY{X: s.X, Y: s.Upper})
		}
		for i := len(pn.Smooth) - 1; i >= 0; i-- {
			ring = append(ring, plotter.XY{X: pn.Smooth[i].X, Y: pn.Smooth[i].Lower})
		}
		p.Add(&plotter.Polygon{XYs: []plotter.XYs{ring}, Color: smoothBand})
	}
	pts := make(plotter.XYs, len(pn.Residuals))
	for i, r := range pn.Residuals {
		pts[i] = plotter.XY{X: r.X, Y: r.Y}
	}
	p.Add(&plotter.Scatter{XYs: pts, GlyphStyle: draw.GlyphStyle{Color: residualColor, Radius: 1.6, Shape: draw.CircleGlyph{}}})
	if pn.Coef != nil {
		p.Add(HLine{Y: *pn.Coef, Style: draw.LineStyle{Color: grey, Width: 0.8, Dashes: dashed}})
	}
	if len(pn.Smooth) > 0 {
		line := make(plotter.XYs, len(pn.Smooth))
		for i, s := range pn.Smooth {
			line[i] = plotter.XY{X: s.X, Y: s.Y}
		}
		p.Add(&plotter.Line{XYs: line, LineStyle: draw.LineStyle{Color: okabeBlue, Width: lineWidth}})
	}
	if pn.P != nil {
		p.Add(Annotation{Lines: []string{"cox.zph p " + pText(*pn.P)}, Left: false, Top: true})
	}
	return &page{plot: p, what: "panels"}
}

// HLine is a plot.Plotter drawing a horizontal reference line at Y across
// the data area.
type HLine struct {
	Y     float64
	Style draw.LineStyle
}

// Plot implements plot.Plotter.
func (h HLine) Plot(c draw.Canvas, p *plot.Plot) {
	_, yOf := p.Transforms(&c)
	y := yOf(h.Y)
	c.StrokeLine2(h.Style, c.Min.X, y, c.Max.X, y)
}

// DataRange implements plot.DataRanger, so that the line is within the y
// range.
func (h HLine) DataRange() (xmin, xmax, ymin, ymax float64) {
	return math.Inf(1), math.Inf(-1), h.Y, h.Y
}

// ZPHCSVHeader is the header of the CSV written by (*ZPH).WriteCSV.
var ZPHCSVHeader = []string{"series", "term", "x", "y", "value"}

// WriteCSV writes every drawn number, panel by panel:
//
//	residual      a point: x transformed time, y = β + scaled residual, value the event time (days)
//	smooth        a vertex of the smooth (x, y)
//	smooth_lower, smooth_upper  the ±2 SE band at x
//	coef          the dashed line: the Cox coefficient (value)
//	chisq, p_value  the term's cox.zph test (value)
//	tick          an x-axis label: x its position, value its text (the event time it marks)
func (z *ZPH) WriteCSV(w io.Writer) error {
	cw := csv.NewWriter(w)
	num := func(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }
	cw.Write(ZPHCSVHeader)
	for _, pn := range z.Panels {
		for _, r := range pn.Residuals {
			cw.Write([]string{"residual", pn.Term, num(r.X), num(r.Y), num(r.Time)})
		}
		for _, s := range pn.Smooth {
			cw.Write([]string{"smooth", pn.Term, num(s.X), num(s.Y), ""})
			cw.Write([]string{"smooth_lower", pn.Term, num(s.X), num(s.Lower), ""})
			cw.Write([]string{"smooth_upper", pn.Term, num(s.X), num(s.Upper), ""})
		}
		if pn.Coef != nil {
			cw.Write([]string{"coef", pn.Term, "", "", num(*pn.Coef)})
		}
		if pn.Chisq != nil {
			cw.Write([]string{"chisq", pn.Term, "", "", num(*pn.Chisq)})
		}
		if pn.P != nil {
			cw.Write([]string{"p_value", pn.Term, "", "", num(*pn.P)})
		}
		for _, t := range pn.Ticks {
			cw.Write([]string{"tick", pn.Term, num(t.Time), "", t.Label})
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("could not write zph figure CSV: %w", err)
	}
	return nil
}
