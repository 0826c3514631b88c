package figure

import (
	"cmp"
	"fmt"
	"image/color"
	"math"
	"slices"
	"strings"

	"gonum.org/v1/plot/vg"

	"github.com/ketcurves/ketcurves/pipeline/schema"
	"github.com/ketcurves/ketcurves/pipeline/study"
)

// Time axis scales accepted by WithTimeScale.
const (
	TimeAuto   = "auto"   // the endpoint's time_scale; linear when it is empty
	TimeLinear = "linear" // linear axis in days from 0
	TimeLog    = "log"    // log axis with human tick labels
)

// Default figure size, used by the plot program.
const (
	DefaultWidth  = 16 * vg.Centimeter
	DefaultHeight = 12 * vg.Centimeter
)

// DefaultDPI is the resolution of PNG files.
const DefaultDPI = 300

// SyntheticNote is the footnote of figures of synthetic studies.
const SyntheticNote = "Synthetic data — not patient data"

// Option configures a Figure.
type Option func(*config)

type config struct {
	timeScale string
	dpi       int
	notes     []string
	svgFonts  bool
	axis      axisConfig
	// annotate and medians are the KM figure's in-panel HR and p-value
	// annotation and its median lines; test names the test whose p-value
	// is shown ("" for the first test of the endpoint).
	annotate, medians bool
	test              string
	// spaghettiMax is the largest number of subjects of the spaghetti
	// and swimmer figures.
	spaghettiMax int
}

// newConfig applies opts to the defaults.
func newConfig(opts []Option) config {
	cfg := config{timeScale: TimeAuto, dpi: DefaultDPI, svgFonts: true, annotate: true, medians: true, spaghettiMax: DefaultSmallStudy}
	for _, o := range opts {
		o(&cfg)
	}
	return cfg
}

// WithTimeScale sets the time axis scale: TimeAuto (the default), TimeLinear
// or TimeLog. Curves returns an error for any other value.
func WithTimeScale(scale string) Option {
	return func(c *config) { c.timeScale = scale }
}

// WithLogTime(true) is WithTimeScale(TimeLog); WithLogTime(false) is
// WithTimeScale(TimeLinear).
func WithLogTime(log bool) Option {
	if log {
		return WithTimeScale(TimeLog)
	}
	return WithTimeScale(TimeLinear)
}

// WithDPI sets the resolution of PNG output (default DefaultDPI).
// Curves returns an error if dpi is not positive.
func WithDPI(dpi int) Option {
	return func(c *config) { c.dpi = dpi }
}

// WithSVGFonts sets whether SVG files embed the Liberation fonts (default
// true: about 1 MB per file, displayed identically everywhere). Without them
// viewers substitute their own fonts for "Liberation Sans".
func WithSVGFonts(embed bool) Option {
	return func(c *config) { c.svgFonts = embed }
}

// WithNotes adds footnote lines below the numbers-at-risk table, after the
// built-in note on the curves and before the synthetic-data note.
func WithNotes(notes ...string) Option {
	return func(c *config) { c.notes = append(c.notes, notes...) }
}

// Figure is the drawable content of one endpoint's figure: every point is
// already on the display scale and clamped to the axis range, so that what
// WriteCSV writes is exactly what Save draws.
type Figure struct {
	Paramcd string
	Title   string
	YLabel  string
	// Rising is true when y = 1 − S(t) (cumulative proportion with event).
	Rising bool
	// YMax is the top of the y axis; 0 for a proportion (0 to 1 with
	// ticks every 0.25). The Nelson–Aalen figure sets it.
	YMax float64
	// TimeAxis is the x axis; the numbers at risk are given at its
	// labelled ticks.
	TimeAxis
	Arms  []ArmCurve
	Notes []string

	dpi      int
	svgFonts bool
	caption  string
	rmst     *rmstOverlay
	km       *kmOverlay
	// model is a fitted model's curves over the steps (aft and cure
	// figures).
	model *modelOverlay
	// yFree is set when the y axis runs from yMin to YMax (the
	// log(−log S) figure).
	yFree bool
	yMin  float64
}

// Tick is a labelled time axis tick.
type Tick struct {
	Time  float64 // days
	Label string
}

// Point is a drawn point in data coordinates (x in days, y on the display
// scale, 0–1).
type Point struct{ X, Y float64 }

// BandPoint is a vertex of a step confidence band: the band spans
// [Lower, Upper] from X to the next vertex's X.
type BandPoint struct{ X, Lower, Upper float64 }

// ArmCurve is the drawn content of one arm.
type ArmCurve struct {
	Name  string // TRTP value
	Label string // display label (study arm label, or Name)
	N     int    // subjects in the arm
	Color color.NRGBA
	// Dashes is the line dash pattern; nil is a solid line.
	Dashes []vg.Length
	// Curve is the post-step function: the value at Curve[i].Y holds
	// from Curve[i].X to Curve[i+1].X. It starts at the axis start with
	// y = 1 − S = 0 (rising) or S = 1.
	Curve []Point
	// Band is the confidence band as runs of consecutive defined
	// intervals; a gap separates runs where the km rows have NA bounds.
	Band [][]BandPoint
	// Censor are the censoring marks: at times with n_censor > 0, on the curve.
	Censor []Point
	// AtRisk[i] is the number at risk at Ticks[i].Time.
	AtRisk []int
}

// Curves prepares the figure of one endpoint from its Kaplan–Meier rows
// (ep.KM), arm sizes (ep.Arms) and the study's arm labels and order
// (study.Arms; arms unknown to the study follow in order of appearance).
// Arms without km rows are not drawn. It returns an error if the endpoint has
// no km rows, an option is invalid, or a km row is inconsistent (time not
// finite or negative, repeated time within an arm, surv or a bound outside
// [0, 1] or NaN).
func Curves(ep schema.Endpoint, info schema.StudyInfo, opts ...Option) (*Figure, error) {
	cfg := newConfig(opts)
	name := ep.Paramcd
	if name == "" {
		name = "(no paramcd)"
	}
	if cfg.dpi <= 0 {
		return nil, fmt.Errorf("could not prepare figure of %s: PNG resolution %d dpi: use a positive value", name, cfg.dpi)
	}
	var log bool
	switch cfg.timeScale {
	case TimeAuto, "":
		switch ep.TimeScale {
		case "", TimeLinear:
		case TimeLog:
			log = true
		default:
			return nil, fmt.Errorf("could not prepare figure of %s: endpoint time_scale %q: use linear or log", name, ep.TimeScale)
		}
	case TimeLinear:
	case TimeLog:
		log = true
	default:
		return nil, fmt.Errorf("could not prepare figure of %s: time scale %q: use auto, linear or log", name, cfg.timeScale)
	}
	if ep.KM.Len() == 0 {
		return nil, fmt.Errorf("could not prepare figure of %s: the endpoint has no Kaplan–Meier rows (status %q)", name, ep.Status)
	}

	f := &Figure{Paramcd: ep.Paramcd, Title: ep.Label, dpi: cfg.dpi, svgFonts: cfg.svgFonts}
	if f.Title == "" {
		f.Title = ep.Paramcd
	}
	var event string
	switch ep.Kind {
	case study.KindResponse:
		f.Rising, event = true, "response"
	case study.KindRemission:
		f.Rising, event = true, "remission"
	case study.KindSIResolution:
		f.Rising, event = true, "resolution of suicidal ideation"
	case study.KindRelapse:
		f.YLabel = "Relapse-free proportion"
	case study.KindOther, "":
		f.YLabel = "Event-free proportion"
	case study.KindSurvival:
		f.YLabel = "Survival probability"
	default:
		return nil, fmt.Errorf("could not prepare figure of %s: endpoint kind %q: use one of %s", name, ep.Kind, strings.Join(study.EndpointKinds, ", "))
	}
	if f.Rising {
		f.YLabel = "Cumulative proportion with " + event
		if ep.Kind == study.KindSIResolution {
			f.YLabel = "Cumulative proportion with SI resolution"
		}
	}

	rows, order, err := armRows(ep, info)
	if err != nil {
		return nil, fmt.Errorf("could not prepare figure of %s: %w", name, err)
	}

	minPos, maxTime := math.Inf(1), 0.0
	for _, arm := range order {
		for _, r := range rows[arm] {
			if r.Time > 0 && r.Time < minPos {
				minPos = r.Time
			}
			maxTime = max(maxTime, r.Time)
		}
	}
	f.TimeAxis = newTimeAxis(log, minPos, maxTime)
	if err := cfg.axis.apply(&f.TimeAxis); err != nil {
		return nil, fmt.Errorf("could not prepare figure of %s: %w", name, err)
	}
	f.YLabel = cmp.Or(cfg.axis.yLabel, ep.YLabel, f.YLabel)

	n := make(map[string]int)
	for _, a := range ep.Arms {
		n[a.Arm] = a.N
	}
	labels := make(map[string]string)
	for _, a := range info.Arms {
		if a.Label != "" {
			labels[a.Name] = a.Label
		}
	}
	styles := ArmStyles(info, order...)
	for _, arm := range order {
		rs := rows[arm]
		c := ArmCurve{
			Name:   arm,
			Label:  cmp.Or(labels[arm], arm),
			Color:  styles[arm].Color,
			Dashes: styles[arm].Dashes,
		}
		if nn, ok := n[arm]; ok {
			c.N = nn
		} else {
			c.N = rs[0].NRisk
		}
		c.Curve, c.Band, c.Censor = f.drawn(rs)
		c.AtRisk = make([]int, len(f.Ticks))
		for j, t := range f.Ticks {
			c.AtRisk[j] = atRisk(rs, t.Time)
		}
		f.Arms = append(f.Arms, c)
	}

	if f.Rising {
		f.Notes = append(f.Notes, "Curves: 1 – Kaplan–Meier estimate (cumulative proportion with "+event+"); + censored; shaded: pointwise confidence band.")
	} else {
		f.Notes = append(f.Notes, "Curves: Kaplan–Meier estimate; + censored; shaded: pointwise confidence band.")
	}
	f.Notes = append(f.Notes, cfg.notes...)
	if info.Synthetic {
		f.Notes = append(f.Notes, SyntheticNote)
	}
	return f, nil
}

// armRows groups and checks the km rows by arm and orders the arms: study
// arms first, then unknown arms in order of appearance.
func armRows(ep schema.Endpoint, info schema.StudyInfo) (map[string][]schema.KMRow, []string, error) {
	count := make(map[string]int)
	var seen []string
	for _, r := range ep.KM.All() {
		if count[r.Arm] == 0 {
			seen = append(seen, r.Arm)
		}
		count[r.Arm]++
	}
	rows := make(map[string][]schema.KMRow, len(count))
	for arm, n := range count {
		rows[arm] = make([]schema.KMRow, 0, n)
	}
	bad := func(i int, what string, v float64) error {
		r := ep.KM.Row(i)
		return fmt.Errorf("km row %d (arm %q, time %v): %s %v: results.json is inconsistent, rerun the fit stage", i+1, r.Arm, r.Time, what, v)
	}
	for i, r := range ep.KM.All() {
		rows[r.Arm] = append(rows[r.Arm], r)
		if math.IsNaN(r.Time) || math.IsInf(r.Time, 0) || r.Time < 0 {
			return nil, nil, bad(i, "time", r.Time)
		}
		if !(r.Surv >= 0 && r.Surv <= 1) {
			return nil, nil, bad(i, "surv", r.Surv)
		}
		if r.Lower != nil && !(*r.Lower >= 0 && *r.Lower <= 1) {
			return nil, nil, bad(i, "lower", *r.Lower)
		}
		if r.Upper != nil && !(*r.Upper >= 0 && *r.Upper <= 1) {
			return nil, nil, bad(i, "upper", *r.Upper)
		}
		if r.NRisk < 0 {
			return nil, nil, bad(i, "n_risk", float64(r.NRisk))
		}
	}
	var order []string
	for _, a := range info.Arms {
		if _, ok := rows[a.Name]; ok && !slices.Contains(order, a.Name) {
			order = append(order, a.Name)
		}
	}
	for _, a := range seen {
		if !slices.Contains(order, a) {
			order = append(order, a)
		}
	}
	for _, arm := range order {
		rs := rows[arm]
		byTime := func(a, b schema.KMRow) int { return cmp.Compare(a.Time, b.Time) }
		if !slices.IsSortedFunc(rs, byTime) {
			slices.SortStableFunc(rs, byTime)
		}
		for i := 1; i < len(rs); i++ {
			if rs[i].Time == rs[i-1].Time {
				return nil, nil, fmt.Errorf("arm %q has two km rows at time %v: results.json is inconsistent, rerun the fit stage", arm, rs[i].Time)
			}
		}
	}
	return rows, order, nil
}

// y is the display transform of a survival probability.
func (f *Figure) y(s float64) float64 {
	if f.Rising {
		return 1 - s
	}
	return s
}

// x clamps a time to the axis start (log axes cannot show t = 0).
func (f *Figure) x(t float64) float64 { return max(t, f.XMin) }

// drawn returns the step curve, the band runs and the censoring marks of one
// arm's time-sorted km rows.
func (f *Figure) drawn(rs []schema.KMRow) (curve []Point, band [][]BandPoint, censor []Point) {
	curve = make([]Point, 0, len(rs)+1)
	curve = append(curve, Point{f.XMin, f.y(1)})
	for _, r := range rs {
		curve = append(curve, Point{f.x(r.Time), f.y(r.Surv)})
		if r.NCensor > 0 {
			censor = append(censor, Point{f.x(r.Time), f.y(r.Surv)})
		}
	}
	// Row i's interval [t_i, t_{i+1}) is shaded when both of its bounds
	// are defined; a run of such rows closes at the next row's time.
	var run []BandPoint
	for i, r := range rs {
		if r.Lower == nil || r.Upper == nil {
			if run != nil {
				run = append(run, BandPoint{f.x(r.Time), run[len(run)-1].Lower, run[len(run)-1].Upper})
				band = append(band, run)
				run = nil
			}
			continue
		}
		lo, hi := *r.Lower, *r.Upper
		if f.Rising {
			lo, hi = 1-hi, 1-lo
		}
		run = append(run, BandPoint{f.x(r.Time), lo, hi})
		if i == len(rs)-1 {
			band = append(band, run)
		}
	}
	return curve, band, censor
}

// atRisk returns the number of subjects with time ≥ t: the n_risk of the
// first row at or after t, or 0 after the last row.
func atRisk(rs []schema.KMRow, t float64) int {
	i, _ := slices.BinarySearchFunc(rs, t, func(r schema.KMRow, t float64) int { return cmp.Compare(r.Time, t) })
	if i == len(rs) {
		return 0
	}
	return rs[i].NRisk
}
