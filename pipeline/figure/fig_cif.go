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
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/ketcurves/ketcurves/pipeline/schema"
)

// cifKind is the cumulative incidence figure of an endpoint with competing
// events.
var cifKind = &Kind{
	Name:    "cif",
	Summary: "Aalen–Johansen cumulative incidence per arm of the event of interest (solid, with its pointwise band) and each competing event (dashed), 1 – KM for comparison, numbers at risk",
	Suffix:  "-cif",
	Needs:   []string{"km", "cif"},
	Applies: func(ep *schema.Endpoint) bool {
		_, ok := ep.Sections["cif"]
		return ok && ep.EventTypes != nil && ep.KM.Len() > 0
	},
	build: func(res *schema.Results, ep *schema.Endpoint, opts ...Option) (Drawing, error) {
		return CumulativeIncidence(res, ep, opts...)
	},
}

// CIFFigure is the drawable content of a cumulative incidence figure: per
// arm, one post-step curve per cause, the pointwise confidence band of the
// event of interest and 1 – KM of the event of interest, on the time axis
// of the KM figure, with the numbers at risk.
type CIFFigure struct {
	Paramcd, Title, YLabel string
	// EventOfInterest is cause 1; Competing the other causes, in the
	// order of ep.EventTypes.Competing.
	EventOfInterest string
	Competing       []string
	TimeAxis
	// YMax is the top of the y axis.
	YMax  float64
	Arms  []CIFArm
	Notes []string

	dpi      int
	svgFonts bool
	caption  string
}

// CIFArm is one arm of a CIFFigure.
type CIFArm struct {
	Name, Label string
	N           int
	Color       color.NRGBA
	// Causes holds one post-step curve per cause, the event of interest
	// first: Causes[k].Y holds from Causes[k].X to the next vertex.
	Causes [][]Point
	// Lower and Upper are the pointwise confidence limits of the event of
	// interest at each vertex of Causes[0] (the cif rows' lower and
	// upper), NaN where they are not defined (the first vertex, and rows
	// whose limits are NA, as at a cumulative incidence of 0). Like the
	// curve, the limits of a vertex hold until the next vertex.
	Lower, Upper []float64
	// OneMinusKM is the post-step 1 – Kaplan–Meier curve of the event of
	// interest (competing events censored), which overstates its
	// cumulative incidence.
	OneMinusKM []Point
	// AtRisk[i] is the number at risk at Ticks[i].Time (cif rows' n_risk).
	AtRisk []int
}

// CIFCSVHeader is the header of the cif figure's CSV.
var CIFCSVHeader = []string{"series", "arm", "cause", "x", "y", "value", "ci_lower", "ci_upper"}

// causeDashes are the dash patterns of the causes: solid for the event of
// interest, then one per competing event.
var causeDashes = [][]vg.Length{solid, dashed, dotted, dashDot, longDash, dashDotDot}

// CumulativeIncidence prepares the cif figure of ep: per arm, the
// Aalen–Johansen cumulative incidence of the event of interest (solid) and
// of each competing event (dashed, dotted, …), from the cif rows (R
// survfit(Surv(time, factor(status)) ~ arm), cmprsk cuminc), with 1 – KM of
// the event of interest as a thin line (the KM rows, competing events
// censored), and a numbers-at-risk table at the ticks from the cif rows'
// n_risk (subjects event-free and uncensored just before the tick: the
// first row at or after it, 0 after the last). The event of interest's
// curve has the pointwise confidence band of the cif rows' lower and upper
// limits (the fit stage's conf_type and conf_level applied to the
// infinitesimal-jackknife standard error, as R survfit), shaded as the KM
// bands where both limits are defined; the competing events' curves have
// none, so that the bands do not hide each other. The time axis and the
// arm styles are those of the KM figure. It returns an error when the
// section does not decode, a cif row names an unknown cause, or a value or
// limit is outside [0, 1] (limits also when lower > upper).
func CumulativeIncidence(res *schema.Results, ep *schema.Endpoint, opts ...Option) (*CIFFigure, error) {
	rows, ok, err := section[[]schema.CIFRow](ep, "cif")
	if err != nil {
		return nil, err
	}
	if !ok || len(rows) == 0 || ep.EventTypes == nil {
		return nil, fmt.Errorf("could not prepare the cif figure of %s: the endpoint has no cumulative incidence rows or event types: run the fit stage with the cif method and an event-type column", ep.Paramcd)
	}
	km, err := Curves(*ep, res.Study, opts...)
	if err != nil {
		return nil, err
	}
	et := ep.EventTypes
	causes := append([]string{et.EventOfInterest}, et.Competing...)
	f := &CIFFigure{
		Paramcd: ep.Paramcd, Title: cmp.Or(ep.Label, ep.Paramcd) + ": cumulative incidence with competing events",
		YLabel: cmp.Or(ep.YLabel, "Cumulative incidence"), EventOfInterest: et.EventOfInterest, Competing: et.Competing,
		TimeAxis: km.TimeAxis, dpi: km.dpi, svgFonts: km.svgFonts,
	}
	byArmCause := map[[2]string][]schema.CIFRow{}
	for _, r := range rows {
		if !slices.Contains(causes, r.Cause) {
			return nil, fmt.Errorf("could not prepare the cif figure of %s: a cif row has cause %q, not among %s: results.json is inconsistent, rerun the fit stage", ep.Paramcd, r.Cause, strings.Join(causes, ", "))
		}
		if !(r.CIF >= 0 && r.CIF <= 1) || math.IsNaN(r.Time) {
			return nil, fmt.Errorf("could not prepare the cif figure of %s: arm %q, cause %s at time %v has cumulative incidence %v: results.json is inconsistent, rerun the fit stage", ep.Paramcd, r.Arm, r.Cause, r.Time, r.CIF)
		}
		if r.Lower != nil && r.Upper != nil && !(*r.Lower >= 0 && *r.Lower <= *r.Upper && *r.Upper <= 1) {
			return nil, fmt.Errorf("could not prepare the cif figure of %s: arm %q, cause %s at time %v has confidence limits [%v, %v]: results.json is inconsistent, rerun the fit stage", ep.Paramcd, r.Arm, r.Cause, r.Time, *r.Lower, *r.Upper)
		}
		k := [2]string{r.Arm, r.Cause}
		byArmCause[k] = append(byArmCause[k], r)
	}
	top := 0.0
	for _, a := range km.Arms {
		ca := CIFArm{Name: a.Name, Label: a.Label, N: a.N, Color: a.Color}
		for _, c := range causes {
			rs := byArmCause[[2]string{a.Name, c}]
			slices.SortStableFunc(rs, func(x, y schema.CIFRow) int { return cmp.Compare(x.Time, y.Time) })
			curve := []Point{{f.XMin, 0}}
			for _, r := range rs {
				curve = append(curve, Point{max(r.Time, f.XMin), r.CIF})
			}
			ca.Causes = append(ca.Causes, curve)
			if c == et.EventOfInterest {
				ca.Lower, ca.Upper = cifLimits(rs)
				for i, u := range ca.Upper[:len(ca.Upper)-1] { // the last vertex's band has no width
					if !math.IsNaN(u) && curve[i+1].X > curve[i].X {
						top = max(top, u)
					}
				}
				ca.AtRisk = make([]int, len(f.Ticks))
				for j, t := range f.Ticks {
					ca.AtRisk[j] = cifAtRisk(rs, t.Time)
				}
			}
		}
		for _, p := range a.Curve {
			y := p.Y
			if !km.Rising {
				y = 1 - y
			}
			ca.OneMinusKM = append(ca.OneMinusKM, Point{p.X, y})
			top = max(top, y)
		}
		for _, c := range ca.Causes {
			for _, p := range c {
				top = max(top, p.Y)
			}
		}
		f.Arms = append(f.Arms, ca)
	}
	f.YMax = min(1, niceCeil(top))
	f.Notes = []string{fmt.Sprintf("Curves: Aalen–Johansen cumulative incidence of %s (solid) and of the competing events %s; thin line: 1 – Kaplan–Meier estimate of %s with the competing events censored, which overstates its incidence. The table gives the numbers at risk (event-free and uncensored) at the labelled times.",
		et.EventOfInterest, competingList(et.Competing), et.EventOfInterest)}
	band := cifBandNote(res.Conventions, et.EventOfInterest)
	if band != "" {
		f.Notes = append(f.Notes, band)
	}
	f.Notes = append(f.Notes, km.Notes[1:]...) // options' notes, synthetic note
	f.caption = fmt.Sprintf("Cumulative incidence of %s by arm (%s), with %s competing: %s. %s",
		et.EventOfInterest, armCounts(ep), competingList(et.Competing), eventCounts(et), f.Notes[0])
	if band != "" {
		f.caption += " " + band
	}
	f.caption += synthetic(f.Notes)
	return f, nil
}

// competingList names the competing events with their dash patterns.
func competingList(competing []string) string {
	names := []string{"dashed", "dotted", "dash-dot", "long dash", "dash-dot-dot"}
	var parts []string
	for i, c := range competing {
		parts = append(parts, c+" ("+names[i%len(names)]+")")
	}
	if len(parts) == 0 {
		return "none"
	}
	return strings.Join(parts, ", ")
}

// eventCounts lists the subjects of each outcome per arm, e.g. "ESKETAMINE
// RELAPSE 41, ADVERSE_EVENT 13, censored 98".
func eventCounts(et *schema.EventTypes) string {
	var arms []string
	per := map[string][]string{}
	for _, c := range et.Counts {
		if _, ok := per[c.Arm]; !ok {
			arms = append(arms, c.Arm)
		}
		per[c.Arm] = append(per[c.Arm], fmt.Sprintf("%s %d", c.Type, c.Subjects))
	}
	var out []string
	for _, a := range arms {
		out = append(out, a+" "+strings.Join(per[a], ", "))
	}
	return strings.Join(out, "; ")
}

// cifLimits returns the confidence limits of the vertices of the curve of
// the time-sorted rows rs (the axis-start vertex, then one per row), NaN
// where a row's limit is NA.
func cifLimits(rs []schema.CIFRow) (lower, upper []float64) {
	lower, upper = []float64{math.NaN()}, []float64{math.NaN()}
	for _, r := range rs {
		lo, hi := math.NaN(), math.NaN()
		if r.Lower != nil && r.Upper != nil {
			lo, hi = *r.Lower, *r.Upper
		}
		lower, upper = append(lower, lo), append(upper, hi)
	}
	return lower, upper
}

// cifBand is the band of a post-step curve with limits lower and upper at
// its vertices, as runs of vertices whose limits are defined: a run closes
// at the next vertex (with the last limits, so that the step reaches it)
// or ends at the curve's last vertex, as the KM bands.
func cifBand(curve []Point, lower, upper []float64) [][]BandPoint {
	var band [][]BandPoint
	var run []BandPoint
	for i, p := range curve {
		if math.IsNaN(lower[i]) || math.IsNaN(upper[i]) {
			if run != nil {
				last := run[len(run)-1]
				band = append(band, append(run, BandPoint{p.X, last.Lower, last.Upper}))
				run = nil
			}
			continue
		}
		run = append(run, BandPoint{p.X, lower[i], upper[i]})
	}
	if run != nil {
		band = append(band, run)
	}
	return band
}

// cifBandNote describes the band of the event of interest from the fit
// conventions, e.g. "Shaded bands: pointwise 95% confidence intervals of
// the cumulative incidence of RELAPSE (log-log transform,
// infinitesimal-jackknife variance)."; "" without a valid confidence
// level.
func cifBandNote(c schema.Conventions, event string) string {
	if c.ConfLevel <= 0 || c.ConfLevel >= 1 {
		return ""
	}
	how := "infinitesimal-jackknife variance"
	if c.ConfType != "" {
		how = c.ConfType + " transform, " + how
	}
	return "Shaded bands: pointwise " + level(c) + "% confidence intervals of the cumulative incidence of " + event + " (" + how + ")."
}

// cifAtRisk is the n_risk of the first row at or after t, 0 after the
// last row.
func cifAtRisk(rs []schema.CIFRow, t float64) int {
	i, _ := slices.BinarySearchFunc(rs, t, func(r schema.CIFRow, t float64) int { return cmp.Compare(r.Time, t) })
	if i == len(rs) {
		return 0
	}
	return rs[i].NRisk
}

// Caption implements Drawing.
func (f *CIFFigure) Caption() string { return f.caption }

// Render implements Drawing.
func (f *CIFFigure) Render(out io.Writer, format string, w, h vg.Length) error {
	return render(out, format, w, h, f.dpi, f.svgFonts, f.page())
}

func (f *CIFFigure) page() *page {
	pg := &page{title: f.Title, notes: f.Notes}
	greyStyle := color.NRGBA{0x55, 0x55, 0x55, 0xff}
	for _, a := range f.Arms {
		pg.legend = append(pg.legend, legendEntry{text: armLegend(a.Name, a.Label, a.N), style: ArmStyle{Color: a.Color}, band: len(a.band()) > 0})
	}
	causes := append([]string{f.EventOfInterest}, f.Competing...)
	for k, c := range causes {
		pg.legend = append(pg.legend, legendEntry{text: c, style: ArmStyle{Color: greyStyle, Dashes: causeDashes[k%len(causeDashes)]}})
	}
	pg.legend = append(pg.legend, legendEntry{text: "1 – KM of " + f.EventOfInterest, style: ArmStyle{Color: greyStyle}})
	p := f.TimeAxis.plot(f.YLabel)
	p.Y.Min, p.Y.Max = 0, f.YMax
	if f.YMax == 1 {
		p.Y.Tick.Marker = proportionTicks
	}
	p.Add(houseGrid())
	var curves StepCurves
	for _, a := range f.Arms {
		curves = append(curves, StepCurve{Curve: a.OneMinusKM, Line: draw.LineStyle{Color: a.Color, Width: 0.6}})
	}
	for _, a := range f.Arms {
		for k, c := range a.Causes {
			sc := StepCurve{Curve: c, Line: draw.LineStyle{Color: a.Color, Width: lineWidth, Dashes: causeDashes[k%len(causeDashes)]}}
			if k == 0 {
				sc.Band, sc.Fill = a.band(), bandColor(a.Color)
			}
			curves = append(curves, sc)
		}
	}
	p.Add(curves)
	t := &RiskTable{Header: "Number at risk"}
	for _, tk := range f.Ticks {
		t.Times = append(t.Times, tk.Time)
	}
	for _, a := range f.Arms {
		t.Rows = append(t.Rows, RiskRow{Label: a.Name, Color: a.Color, Counts: a.AtRisk})
	}
	p.Add(t)
	f.TimeAxis.clip(p)
	pg.table, pg.plot, pg.left = t, p, t.LeftWidth()
	pg.what = "arms and causes"
	return pg
}

var _ plot.Plotter = StepCurves(nil)

// band is the drawn band of the arm's event of interest.
func (a CIFArm) band() [][]BandPoint {
	if len(a.Causes) == 0 {
		return nil
	}
	return cifBand(a.Causes[0], a.Lower, a.Upper)
}

// WriteCSV implements Drawing: every drawn vertex and number,
//
//	series        cif (a vertex of a cause's post-step curve),
//	              one_minus_km (a vertex of 1 – KM of the event of
//	              interest), at_risk (a number of the table, in value)
//	arm           the arm (TRTP value)
//	cause         the cause of a cif row; the event of interest for
//	              one_minus_km; empty for at_risk
//	x             time in days, as drawn
//	y             the drawn value; empty for at_risk
//	value         the number at risk (at_risk); empty otherwise
//	ci_lower,     the pointwise confidence limits of the vertex (cif rows
//	ci_upper      of the event of interest), shaded from x to the next
//	              vertex's x; empty where not defined (first vertex, NA
//	              limits) and for the competing events, which have no band
func (f *CIFFigure) WriteCSV(w io.Writer) error {
	cw := csv.NewWriter(w)
	num := func(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }
	cw.Write(CIFCSVHeader)
	causes := append([]string{f.EventOfInterest}, f.Competing...)
	for _, a := range f.Arms {
		limit := func(k, i int, v []float64) string {
			if k > 0 || math.IsNaN(v[i]) {
				return ""
			}
			return num(v[i])
		}
		for k, c := range a.Causes {
			for i, p := range c {
				cw.Write([]string{"cif", a.Name, causes[k], num(p.X), num(p.Y), "", limit(k, i, a.Lower), limit(k, i, a.Upper)})
			}
		}
		for _, p := range a.OneMinusKM {
			cw.Write([]string{"one_minus_km", a.Name, f.EventOfInterest, num(p.X), num(p.Y), "", "", ""})
		}
		for j, t := range f.Ticks {
			cw.Write([]string{"at_risk", a.Name, "", num(t.Time), "", strconv.Itoa(a.AtRisk[j]), "", ""})
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("could not write figure CSV: %w", err)
	}
	return nil
}
