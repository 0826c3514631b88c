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

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/ketcurves/ketcurves/pipeline/schema"
	"github.com/ketcurves/ketcurves/pipeline/trajectory"
)

// Trajectory is the figure of one score (PARAMCD of adqs.csv) by visit:
// per arm the mean with its t interval (the trajectory figure, file
// PARAMCD-trajectory.*), or each subject's scores with the arm means over
// them (the spaghetti figure, PARAMCD-spaghetti.*, for small studies).
// These figures are drawn from adqs.csv through package trajectory, not
// from results.json.
type Trajectory struct {
	Param, Title, YLabel string
	TimeAxis
	// Baseline is true when visits at day ≤ 0 are drawn at the axis start
	// (a log axis), labelled "Baseline".
	Baseline bool
	Arms     []TrajectoryArm
	// Spaghetti is true for the individual-trajectory figure.
	Spaghetti bool
	Notes     []string

	level    string
	caption  string
	dpi      int
	svgFonts bool
}

// TrajectoryArm is one arm's drawn content.
type TrajectoryArm struct {
	Name, Label string
	Style       ArmStyle
	// Means are the arm's visit means, in day order, X the drawn time.
	Means []TrajectoryPoint
	// Subjects are the individual trajectories (spaghetti figure only).
	Subjects []trajectory.Subject
}

// TrajectoryPoint is one drawn visit mean; Lower and Upper are NaN when
// not estimable (one subject).
type TrajectoryPoint struct {
	X float64
	trajectory.VisitMean
}

// NewTrajectory prepares the trajectory figure of param from Means rows
// (other parameters are ignored), on a log time axis when logTime (the
// study's own axis: log when its endpoints are drawn on log time) or a
// linear one; with subjects (trajectory.Individuals) it is the spaghetti
// figure. level is the intervals' confidence level (e.g. 0.95). It returns
// an error when param has no rows or a spaghetti figure has more subjects
// than WithSmallStudy allows.
func NewTrajectory(info schema.StudyInfo, param string, means []trajectory.VisitMean, subjects []trajectory.Subject, level float64, logTime bool, opts ...Option) (*Trajectory, error) {
	cfg := newConfig(opts)
	if cfg.dpi <= 0 {
		return nil, fmt.Errorf("could not prepare the trajectory figure of %s: PNG resolution %d dpi: use a positive value", param, cfg.dpi)
	}
	var rows []trajectory.VisitMean
	for _, m := range means {
		if m.Param == param {
			rows = append(rows, m)
		}
	}
	if len(rows) == 0 {
		return nil, fmt.Errorf("could not prepare the trajectory figure of %s: adqs.csv has no %s scores", param, param)
	}
	if subjects != nil && len(subjects) > cfg.spaghettiMax {
		return nil, fmt.Errorf("could not prepare the spaghetti figure of %s: %d subjects, more than %d: the figure is for small studies", param, len(subjects), cfg.spaghettiMax)
	}
	tr := &Trajectory{Param: param, Title: param + ": mean score by visit", YLabel: cmp.Or(cfg.axis.yLabel, param+" score"), Spaghetti: subjects != nil, level: strconv.FormatFloat(100*level, 'f', -1, 64), dpi: cfg.dpi, svgFonts: cfg.svgFonts}
	if tr.Spaghetti {
		tr.Title = param + ": individual trajectories"
	}
	minPos, maxDay := math.Inf(1), 0.0
	for _, m := range rows {
		if m.Day > 0 {
			minPos = min(minPos, m.Day)
		}
		maxDay = max(maxDay, m.Day)
	}
	tr.TimeAxis = newTimeAxis(logTime, minPos/2, maxDay)
	if err := cfg.axis.apply(&tr.TimeAxis); err != nil {
		return nil, fmt.Errorf("could not prepare the trajectory figure of %s: %w", param, err)
	}
	if logTime && slices.ContainsFunc(rows, func(m trajectory.VisitMean) bool { return m.Day <= 0 }) {
		tr.Baseline = true
		if len(tr.Ticks) > 0 && tr.Ticks[0].Time == tr.XMin {
			tr.Ticks[0].Label = "Baseline"
		} else {
			tr.Ticks = append([]Tick{{Time: tr.XMin, Label: "Baseline"}}, tr.Ticks...)
		}
	}
	tr.XLabel = "Time from first dose"
	if logTime {
		tr.XLabel += " (log scale)"
	} else if tr.XMax > 2 {
		tr.XLabel += " (days)"
	}
	tr.Arms = trajectoryArms(info, rows, subjects, tr.TimeAxis)
	tr.notes(cfg, info)
	return tr, nil
}

func trajectoryArms(info schema.StudyInfo, rows []trajectory.VisitMean, subjects []trajectory.Subject, ax TimeAxis) []TrajectoryArm {
	var order []string
	for _, a := range info.Arms {
		if slices.ContainsFunc(rows, func(m trajectory.VisitMean) bool { return m.Arm == a.Name }) {
			order = append(order, a.Name)
		}
	}
	for _, m := range rows {
		if !slices.Contains(order, m.Arm) {
			order = append(order, m.Arm)
		}
	}
	styles := ArmStyles(info, order...)
	labels := map[string]string{}
	for _, a := range info.Arms {
		labels[a.Name] = a.Label
	}
	var out []TrajectoryArm
	for _, arm := range order {
		ta := TrajectoryArm{Name: arm, Label: cmp.Or(labels[arm], arm), Style: styles[arm]}
		for _, m := range rows {
			if m.Arm == arm {
				ta.Means = append(ta.Means, TrajectoryPoint{X: max(m.Day, ax.XMin), VisitMean: m})
			}
		}
		for _, s := range subjects {
			if s.Arm == arm {
				ta.Subjects = append(ta.Subjects, s)
			}
		}
		out = append(out, ta)
	}
	return out
}

func (tr *Trajectory) notes(cfg config, info schema.StudyInfo) {
	note := "Points: mean score of the subjects assessed at each visit (observed cases, no imputation); bars: " + tr.level + "% t confidence intervals (none with one subject)."
	if tr.Spaghetti {
		note = "Thin lines: each subject's scores; thick lines: the arm's mean score at each visit (observed cases)."
	}
	tr.Notes = append(tr.Notes, note)
	if tr.Baseline {
		tr.Notes = append(tr.Notes, "Baseline (day 0) is drawn at the start of the log time axis.")
	}
	tr.Notes = append(tr.Notes, cfg.notes...)
	if info.Synthetic {
		tr.Notes = append(tr.Notes, SyntheticNote)
	}
	var counts string
	for i, a := range tr.Arms {
		if i > 0 {
			counts += "; "
		}
		counts += fmt.Sprintf("%s n = %d at %s", a.Name, a.Means[0].N, cmp.Or(a.Means[0].Visit, duration(a.Means[0].Day)))
	}
	what := "Mean " + tr.Param + " score by visit and arm with " + tr.level + "% confidence intervals"
	if tr.Spaghetti {
		what = "Individual " + tr.Param + " trajectories by arm with the arm means"
	}
	tr.caption = fmt.Sprintf("%s, from adqs.csv (%s). %s", what, counts, note) + synthetic(tr.Notes)
}

// Caption implements Drawing.
func (tr *Trajectory) Caption() string { return tr.caption }

// Render implements Drawing.
func (tr *Trajectory) Render(out io.Writer, format string, w, h vg.Length) error {
	return render(out, format, w, h, tr.dpi, tr.svgFonts, tr.page())
}

func (tr *Trajectory) page() *page {
	pg := &page{title: tr.Title, notes: tr.Notes}
	p := tr.TimeAxis.plot(tr.YLabel)
	p.Add(houseGrid())
	for _, a := range tr.Arms {
		pg.legend = append(pg.legend, legendEntry{text: armLegend(a.Name, a.Label, a.Means[0].N), style: a.Style})
		for _, s := range a.Subjects {
			line := make(plotter.XYs, len(s.Day))
			for i := range s.Day {
				line[i] = plotter.XY{X: max(s.Day[i], tr.XMin), Y: s.Value[i]}
			}
			c := a.Style.Color
			c.A = 0x60
			p.Add(&plotter.Line{XYs: line, LineStyle: draw.LineStyle{Color: c, Width: 0.6}})
		}
	}
	for _, a := range tr.Arms {
		line := make(plotter.XYs, len(a.Means))
		for i, m := range a.Means {
			line[i] = plotter.XY{X: m.X, Y: m.Mean}
		}
		ls := lineStyle(a.Style)
		if tr.Spaghetti {
			ls.Width = 2.2
		}
		p.Add(&plotter.Line{XYs: line, LineStyle: ls})
		p.Add(&plotter.Scatter{XYs: line, GlyphStyle: draw.GlyphStyle{Color: a.Style.Color, Radius: 2.2, Shape: draw.CircleGlyph{}}})
		if !tr.Spaghetti {
			p.Add(ErrorBars{Points: a.Means, Color: a.Style.Color})
		}
	}
	pg.plot = p
	return pg
}

// ErrorBars is a plot.Plotter drawing vertical interval bars with caps at
// the visit means; intervals that are NaN are not drawn.
type ErrorBars struct {
	Points []TrajectoryPoint
	Color  color.Color
}

// Plot implements plot.Plotter.
func (e ErrorBars) Plot(c draw.Canvas, p *plot.Plot) {
	xOf, yOf := p.Transforms(&c)
	ls := draw.LineStyle{Color: e.Color, Width: 1}
	const cap = 2.5
	for _, m := range e.Points {
		if math.IsNaN(m.Lower) || math.IsNaN(m.Upper) {
			continue
		}
		x, lo, hi := xOf(m.X), yOf(m.Lower), yOf(m.Upper)
		c.StrokeLine2(ls, x, lo, x, hi)
		c.StrokeLine2(ls, x-cap, lo, x+cap, lo)
		c.StrokeLine2(ls, x-cap, hi, x+cap, hi)
	}
}

// DataRange implements plot.DataRanger: the intervals' extent.
func (e ErrorBars) DataRange() (xmin, xmax, ymin, ymax float64) {
	xmin, ymin, xmax, ymax = math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)
	for _, m := range e.Points {
		xmin, xmax = min(xmin, m.X), max(xmax, m.X)
		for _, v := range []float64{m.Mean, m.Lower, m.Upper} {
			if !math.IsNaN(v) {
				ymin, ymax = min(ymin, v), max(ymax, v)
			}
		}
	}
	return
}

// TrajectoryCSVHeader is the header of the CSV written by
// (*Trajectory).WriteCSV.
var TrajectoryCSVHeader = []string{"series", "arm", "subject", "visit", "day", "x", "y", "lower", "upper", "n", "status"}

// WriteCSV writes one row per drawn point: series mean (y the mean, lower
// and upper its interval, empty when not estimable, n the subjects
// assessed) or subject (spaghetti figure: y the subject's score); day is
// the visit's study day, x where it is drawn (day ≤ 0 at the log axis
// start).
func (tr *Trajectory) WriteCSV(w io.Writer) error {
	cw := csv.NewWriter(w)
	num := func(v float64) string {
		if math.IsNaN(v) {
			return ""
		}
		return strconv.FormatFloat(v, 'g', -1, 64)
	}
	cw.Write(TrajectoryCSVHeader)
	for _, a := range tr.Arms {
		for _, m := range a.Means {
			cw.Write([]string{"mean", a.Name, "", m.Visit, num(m.Day), num(m.X), num(m.Mean), num(m.Lower), num(m.Upper), strconv.Itoa(m.N), m.Status})
		}
		for _, s := range a.Subjects {
			for i := range s.Day {
				cw.Write([]string{"subject", a.Name, s.ID, "", num(s.Day[i]), num(max(s.Day[i], tr.XMin)), num(s.Value[i]), "", "", "", ""})
			}
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("could not write trajectory figure CSV: %w", err)
	}
	return nil
}
