package figure

import (
	"cmp"
	"encoding/csv"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/ketcurves/ketcurves/pipeline/schema"
)

// forestKind is the forest plot of the Cox model: the treatment hazard
// ratios, the covariate terms, and the treatment hazard ratio within every
// subgroup level.
var forestKind = &Kind{
	Name:    "forest",
	Summary: "forest plot: treatment and covariate hazard ratios of the Cox model, and the treatment HR in every subgroup level, with n, events, HR (CI) and p",
	Suffix:  "-forest",
	Needs:   []string{"cox"},
	Applies: func(ep *schema.Endpoint) bool { return ep.Cox != nil && len(ep.Cox.Terms) > 0 },
	build: func(res *schema.Results, ep *schema.Endpoint, opts ...Option) (Drawing, error) {
		return NewForest(res, ep, opts...)
	},
}

// Forest is the drawable content of a forest plot: one row per hazard
// ratio, top to bottom, with the numbers shown beside it.
type Forest struct {
	Paramcd string
	Title   string
	Rows    []ForestRow
	// XMin and XMax are the hazard-ratio axis range (log scale) and Ticks
	// its ticks (minor ticks have an empty label).
	XMin, XMax float64
	Ticks      []Tick
	// Level is the confidence level in percent, e.g. "95".
	Level string
	Notes []string

	caption  string
	dpi      int
	svgFonts bool
}

// ForestRow is one row of a forest plot: a heading (Heading true, no
// numbers), or a hazard ratio with its CI and p-value. Nil numbers are not
// estimable and drawn as text, not as a point.
type ForestRow struct {
	// Section is "treatment", "covariate" or "subgroup".
	Section string
	// Subgroup and Level name the subgroup analysis (subgroup rows).
	Subgroup, Level string
	// Term is the Cox term (TRTP:<arm>, a covariate, <column>:<level>).
	Term string
	// Label is the text of the row's first column.
	Label   string
	Heading bool
	// N and Events are the rows and events the estimate used.
	N, Events int
	HR        *float64
	Lower     *float64
	Upper     *float64
	P         *float64
	// Status is "ok" or why the estimate is missing.
	Status string
}

// NewForest prepares the forest plot of ep: the Cox model's terms (the
// treatment terms first, each "ARM vs REFERENCE", then the covariates with
// their reference levels), then for each subgroup column a heading and one
// row per level and treatment term, as subgroups.csv. It returns an error if
// ep has no Cox model or a number is inconsistent (an estimable term with a
// non-positive or non-finite HR or bound).
func NewForest(res *schema.Results, ep *schema.Endpoint, opts ...Option) (*Forest, error) {
	cfg := newConfig(opts)
	if cfg.dpi <= 0 {
		return nil, fmt.Errorf("could not prepare the forest plot of %s: PNG resolution %d dpi: use a positive value", ep.Paramcd, cfg.dpi)
	}
	if ep.Cox == nil {
		return nil, fmt.Errorf("could not prepare the forest plot of %s: the endpoint has no Cox model: run the fit stage with the cox method", ep.Paramcd)
	}
	f := &Forest{Paramcd: ep.Paramcd, Title: cmp.Or(ep.Label, ep.Paramcd) + ": hazard ratios", dpi: cfg.dpi, svgFonts: cfg.svgFonts}
	cox := ep.Cox
	var treat, covs []ForestRow
	for _, t := range cox.Terms {
		r := ForestRow{Term: t.Term, N: cox.N, Events: cox.Events, Status: cox.Status}
		r.HR, r.Lower, r.Upper, r.P = termNumbers(t)
		if arm, ok := strings.CutPrefix(t.Term, "TRTP:"); ok {
			r.Section, r.Label = "treatment", fmt.Sprintf("%s vs %s", arm, t.Reference)
			treat = append(treat, r)
			continue
		}
		r.Section, r.Label = "covariate", covariateLabel(t)
		covs = append(covs, r)
	}
	f.Rows = append(f.Rows, ForestRow{Section: "treatment", Label: "Treatment", Heading: true})
	f.Rows = append(f.Rows, treat...)
	if len(covs) > 0 {
		f.Rows = append(f.Rows, ForestRow{Section: "covariate", Label: "Covariates (same model)", Heading: true})
		f.Rows = append(f.Rows, covs...)
	}
	f.Rows = append(f.Rows, subgroupRows(ep, len(treat) > 1)...)
	for _, r := range f.Rows {
		if err := r.check(); err != nil {
			return nil, fmt.Errorf("could not prepare the forest plot of %s: %w: results.json is inconsistent, rerun the fit stage", ep.Paramcd, err)
		}
	}
	f.XMin, f.XMax, f.Ticks = hrAxis(f.Rows)
	f.Level = level(res.Conventions)
	f.Notes = forestNotes(res, ep)
	f.Notes = append(f.Notes, cfg.notes...)
	if res.Study.Synthetic {
		f.Notes = append(f.Notes, SyntheticNote)
	}
	f.caption = forestCaption(f, res, ep)
	return f, nil
}

// termNumbers returns a Cox term's HR, CI and p-value, nil when the term is
// not estimable.
func termNumbers(t schema.CoxTerm) (hr, lo, hi, p *float64) {
	if !t.Estimable {
		return nil, nil, nil, nil
	}
	return &t.HR, &t.HRLower, &t.HRUpper, &t.PValue
}

// covariateLabel is "AGE (per unit)" for a numeric covariate and
// "SEX: M vs F" for a level of a categorical one.
func covariateLabel(t schema.CoxTerm) string {
	col, level, ok := strings.Cut(t.Term, ":")
	if !ok || t.Reference == "" {
		return t.Term + " (per unit)"
	}
	return fmt.Sprintf("%s: %s vs %s", col, level, t.Reference)
}

// subgroupRows are a heading per subgroup column and a row per level and
// treatment term, in the order of ep.Subgroups (subgroups.csv's order).
// With several treatment terms the arm is named on each row.
func subgroupRows(ep *schema.Endpoint, nameArm bool) []ForestRow {
	var out []ForestRow
	last := ""
	for _, sg := range ep.Subgroups {
		if sg.Subgroup != last {
			// The heading's p is the fit stage's treatment-by-subgroup
			// interaction test.
			head := ForestRow{Section: "subgroup", Subgroup: sg.Subgroup, Label: "Subgroup: " + sg.Subgroup, Heading: true}
			for _, tr := range ep.Tests {
				if tr.Test == "interaction:"+sg.Subgroup {
					p := tr.PValue
					head.P = &p
				}
			}
			out = append(out, head)
			last = sg.Subgroup
		}
		n, events := 0, 0
		for _, a := range sg.Arms {
			n, events = n+a.N, events+a.Events
		}
		base := ForestRow{Section: "subgroup", Subgroup: sg.Subgroup, Level: sg.Level, Label: "  " + sg.Level, N: n, Events: events, Status: string(sg.Status)}
		var terms int
		if sg.Cox != nil {
			for _, t := range sg.Cox.Terms {
				arm, ok := strings.CutPrefix(t.Term, "TRTP:")
				if !ok {
					continue
				}
				terms++
				r := base
				r.Term = t.Term
				r.HR, r.Lower, r.Upper, r.P = termNumbers(t)
				if nameArm {
					r.Label += ": " + arm
				}
				out = append(out, r)
			}
		}
		if terms == 0 {
			out = append(out, base)
		}
	}
	return out
}

func (r ForestRow) check() error {
	if r.HR == nil {
		return nil
	}
	for _, v := range []float64{*r.HR, *r.Lower, *r.Upper} {
		if !(v > 0) || math.IsInf(v, 0) {
			return fmt.Errorf("term %s%s has the hazard ratio or bound %v", r.Term, r.where(), v)
		}
	}
	return nil
}

func (r ForestRow) where() string {
	if r.Subgroup == "" {
		return ""
	}
	return fmt.Sprintf(" (subgroup %s = %s)", r.Subgroup, r.Level)
}

// hrTicks are the candidate ticks of the hazard-ratio axis.
var hrTicks = []float64{0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 50, 100}

// hrAxis returns the log hazard-ratio axis: from the largest candidate tick
// at or below every lower bound to the smallest at or above every upper
// bound, 1 always included, within [0.01, 100] (intervals beyond are cut,
// with an arrowhead).
func hrAxis(rows []ForestRow) (lo, hi float64, ticks []Tick) {
	lo, hi = 1.0, 1.0
	for _, r := range rows {
		if r.HR != nil {
			lo, hi = min(lo, *r.Lower), max(hi, *r.Upper)
		}
	}
	axLo, axHi := hrTicks[0], hrTicks[len(hrTicks)-1]
	for _, t := range hrTicks {
		if t <= lo*(1+1e-12) {
			axLo = t
		}
	}
	for i := len(hrTicks) - 1; i >= 0; i-- {
		if hrTicks[i] >= hi*(1-1e-12) {
			axHi = hrTicks[i]
		}
	}
	if axLo == axHi { // every HR is 1: one step each way
		axLo, axHi = 0.5, 2
	}
	// Over more than two decades only the powers of ten and the axis ends
	// are labelled; the other ticks are minor (no label).
	wide := axHi/axLo > 100*(1+1e-9)
	for _, t := range hrTicks {
		if t < axLo || t > axHi {
			continue
		}
		tk := Tick{Time: t, Label: strconv.FormatFloat(t, 'f', -1, 64)}
		if decade := math.Log10(t); wide && t != axLo && t != axHi && math.Abs(decade-math.Round(decade)) > 1e-9 {
			tk.Label = ""
		}
		ticks = append(ticks, tk)
	}
	return axLo, axHi, ticks
}

func forestNotes(res *schema.Results, ep *schema.Endpoint) []string {
	c := ep.Cox
	var how []string
	if c.Ties != "" {
		how = append(how, c.Ties+" ties")
	}
	if c.Strata != "" {
		how = append(how, "stratified by "+c.Strata)
	}
	note := "Squares: hazard ratios of the Cox model"
	if len(how) > 0 {
		note += " (" + strings.Join(how, ", ") + ")"
	}
	note += fmt.Sprintf("; lines: %s%% Wald confidence intervals; p: Wald test.", level(res.Conventions))
	if len(ep.Subgroups) > 0 {
		note += " Subgroups: the treatment hazard ratio of the same model fitted within each level; p on a subgroup's heading: likelihood-ratio test of the treatment-by-subgroup interaction."
	}
	return []string{note}
}

func forestCaption(f *Forest, res *schema.Results, ep *schema.Endpoint) string {
	s := fmt.Sprintf("Forest plot of the hazard ratios of %s (log scale, line at 1): Cox model on n = %d with %d events", strings.TrimSuffix(f.Title, ": hazard ratios"), ep.Cox.N, ep.Cox.Events)
	if len(ep.Subgroups) > 0 {
		var cols []string
		for _, r := range f.Rows {
			if r.Heading && r.Section == "subgroup" {
				cols = append(cols, r.Subgroup)
			}
		}
		s += ", and within the levels of " + strings.Join(cols, ", ")
	}
	s += ". " + strings.Join(f.Notes[:1], " ")
	return s + synthetic(f.Notes)
}

// Caption implements Drawing.
func (f *Forest) Caption() string { return f.caption }

// Save writes the figure to path in the format of its extension.
func (f *Forest) Save(path string, w, h vg.Length) error { return save(f, path, w, h) }

// Render implements Drawing.
func (f *Forest) Render(out io.Writer, format string, w, h vg.Length) error {
	return render(out, format, w, h, f.dpi, f.svgFonts, f.page())
}

// page lays the forest plot out: label, n and events columns on the left,
// HR (CI) and p on the right, the points and intervals between, on a log
// axis with a dashed line at 1. Row i is drawn at y = len(Rows) − i, the
// column headers one row above.
func (f *Forest) page() *page {
	p := newPlot("Hazard ratio (log scale)", "")
	p.HideY()
	p.X.Scale = plot.LogScale{}
	p.X.Min, p.X.Max = f.XMin, f.XMax
	n := len(f.Rows)
	p.Y.Min, p.Y.Max = 0.4, float64(n)+1.6
	var xt plot.ConstantTicks
	for _, t := range f.Ticks {
		xt = append(xt, plot.Tick{Value: t.Time, Label: t.Label})
	}
	p.X.Tick.Marker = xt
	p.Add(VLine{X: 1, Style: draw.LineStyle{Color: grey, Width: 0.8, Dashes: dashed}})

	left := TextColumns{HeaderY: float64(n) + 1, Columns: []TextColumn{{Header: ""}, {Header: "n", AlignRight: true}, {Header: "Events", AlignRight: true}}}
	right := TextColumns{Right: true, HeaderY: float64(n) + 1, Columns: []TextColumn{{Header: "HR (" + f.Level + "% CI)"}, {Header: "p", AlignRight: true}}}
	pts := PointCIs{Color: color0, Radius: 3}
	for i, r := range f.Rows {
		y := float64(n - i)
		left.Y, right.Y = append(left.Y, y), append(right.Y, y)
		left.Bold, right.Bold = append(left.Bold, r.Heading), append(right.Bold, r.Heading)
		cells := r.cells()
		left.Columns[0].Cells = append(left.Columns[0].Cells, r.Label)
		left.Columns[1].Cells = append(left.Columns[1].Cells, cells.n)
		left.Columns[2].Cells = append(left.Columns[2].Cells, cells.events)
		right.Columns[0].Cells = append(right.Columns[0].Cells, cells.hr)
		right.Columns[1].Cells = append(right.Columns[1].Cells, cells.p)
		if r.HR != nil {
			pts.Points = append(pts.Points, PointCI{Y: y, X: *r.HR, Lower: *r.Lower, Upper: *r.Upper})
		}
	}
	p.Add(pts, left, right)
	return &page{title: f.Title, plot: p, left: left.Width(), right: right.Width(), notes: f.Notes, what: "rows"}
}

// color0 is the colour of forest-plot points: black, for rows of no arm.
var color0 = okabeBlack

type forestCells struct{ n, events, hr, p string }

// cells is the text of a row: counts, "HR (lower–upper)" and p at 2 and 3
// significant decimals, or why the estimate is missing.
func (r ForestRow) cells() forestCells {
	if r.Heading {
		if r.P != nil { // a subgroup's interaction test
			return forestCells{p: formatP(*r.P)}
		}
		return forestCells{}
	}
	c := forestCells{n: strconv.Itoa(r.N), events: strconv.Itoa(r.Events)}
	if r.HR == nil {
		c.hr = "not estimable"
		if r.Status != "" && r.Status != "ok" {
			c.hr += " (" + r.Status + ")"
		}
		return c
	}
	c.hr = fmt.Sprintf("%.2f (%.2f–%.2f)", *r.HR, *r.Lower, *r.Upper)
	c.p = formatP(*r.P)
	return c
}

// formatP writes a p-value with 3 decimals, or "<0.001".
func formatP(p float64) string {
	if p < 0.001 {
		return "<0.001"
	}
	return strconv.FormatFloat(p, 'f', 3, 64)
}

// ForestCSVHeader is the header of the CSV written by (*Forest).WriteCSV.
var ForestCSVHeader = []string{"row", "section", "subgroup", "level", "term", "label", "n", "events", "hr", "hr_lower", "hr_upper", "p_value", "status"}

// WriteCSV writes one line per row, top to bottom (headings included, with
// empty numbers): row is the row number from the top, the numbers as in
// cox.csv and subgroups.csv (the shortest representation that reads back to
// the same float64; empty when not estimable). The drawn text (2 decimals)
// is rounded from these.
func (f *Forest) WriteCSV(w io.Writer) error {
	cw := csv.NewWriter(w)
	cw.Write(ForestCSVHeader)
	for i, r := range f.Rows {
		n, ev := "", ""
		if !r.Heading {
			n, ev = strconv.Itoa(r.N), strconv.Itoa(r.Events)
		}
		cw.Write([]string{strconv.Itoa(i + 1), r.Section, r.Subgroup, r.Level, r.Term, strings.TrimSpace(r.Label), n, ev, optG(r.HR), optG(r.Lower), optG(r.Upper), optG(r.P), r.Status})
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("could not write forest plot CSV: %w", err)
	}
	return nil
}

func optG(v *float64) string {
	if v == nil {
		return ""
	}
	return strconv.FormatFloat(*v, 'g', -1, 64)
}
