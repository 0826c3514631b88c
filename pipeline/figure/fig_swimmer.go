package figure

import (
	"cmp"
	"encoding/csv"
	"fmt"
	"image/color"
	"io"
	"slices"
	"strconv"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/ketcurves/ketcurves/pipeline/schema"
	"github.com/ketcurves/ketcurves/pipeline/study"
)

// SubjectEvent is one ADTTE row as the swimmer plot reads it: subject,
// arm, endpoint, the study day of the endpoint's time origin (ADTTE ORIGDY;
// 0 when absent) and the time from it (AVAL), whether it is an event
// (CNSR = 0), and whether the subject discontinued (CNSDTDSC starting
// "DISCONTINUED").
type SubjectEvent struct {
	Subject, Arm, Paramcd string
	Origin, Time          float64
	Event, Dropout        bool
}

// Swimmer marks.
const (
	MarkResponse = "response" // an event of a response, remission or si-resolution endpoint
	MarkRelapse  = "relapse"  // an event of a relapse endpoint
	MarkEvent    = "event"    // an event of another endpoint
	MarkDropout  = "dropout"  // end of follow-up by discontinuation
	MarkCensored = "censored" // end of follow-up without discontinuation
)

// SwimmerLane is one subject's lane: follow-up from day 0 to End (the
// latest study day over its endpoints) and its marks.
type SwimmerLane struct {
	Subject, Arm string
	End          float64
	Marks        []SwimmerMark
}

// SwimmerMark is one mark on a lane at study day Day.
type SwimmerMark struct {
	Day     float64
	Kind    string // Mark*
	Paramcd string // the endpoint, empty for the end of follow-up
}

// Swimmer is the swimmer plot of a small study: one lane per subject,
// grouped by arm, longest follow-up first.
type Swimmer struct {
	Title string
	Lanes []SwimmerLane
	Notes []string
	TimeAxis
	styles   map[string]ArmStyle
	labels   map[string]string
	caption  string
	dpi      int
	svgFonts bool
}

// NewSwimmer prepares the swimmer plot from the ADTTE rows of every
// endpoint of res (endpoints not in res are ignored): for each subject a
// lane from day 0 to the latest Origin + Time, with a mark at each event
// (response or relapse by the endpoint's kind) and the end of follow-up
// marked as dropout or censored. It returns an error with more subjects
// than WithSmallStudy allows (default DefaultSmallStudy) or a time that is
// not finite.
func NewSwimmer(res *schema.Results, rows []SubjectEvent, opts ...Option) (*Swimmer, error) {
	cfg := newConfig(opts)
	if cfg.dpi <= 0 {
		return nil, fmt.Errorf("could not prepare the swimmer plot: PNG resolution %d dpi: use a positive value", cfg.dpi)
	}
	kind := map[string]string{}
	for _, ep := range res.Endpoints {
		kind[ep.Paramcd] = ep.Kind
	}
	index := map[string]int{}
	var lanes []SwimmerLane
	dropout := map[string]bool{}
	for i, r := range rows {
		k, ok := kind[r.Paramcd]
		if !ok {
			continue
		}
		day := r.Origin + r.Time
		if day != day || day-day != 0 {
			return nil, fmt.Errorf("could not prepare the swimmer plot: row %d (subject %s, %s): day %v is not finite", i+1, r.Subject, r.Paramcd, day)
		}
		j, seen := index[r.Subject]
		if !seen {
			j = len(lanes)
			index[r.Subject] = j
			lanes = append(lanes, SwimmerLane{Subject: r.Subject, Arm: r.Arm})
		}
		lanes[j].End = max(lanes[j].End, day)
		dropout[r.Subject] = dropout[r.Subject] || r.Dropout
		if r.Event {
			lanes[j].Marks = append(lanes[j].Marks, SwimmerMark{Day: day, Kind: eventMark(k), Paramcd: r.Paramcd})
		}
	}
	if len(lanes) == 0 {
		return nil, fmt.Errorf("could not prepare the swimmer plot: the ADTTE file has no row of the endpoints of results.json")
	}
	if len(lanes) > cfg.spaghettiMax {
		return nil, fmt.Errorf("could not prepare the swimmer plot: %d subjects, more than %d: the figure is for small studies", len(lanes), cfg.spaghettiMax)
	}
	armOrder := func(a string) int {
		i := slices.IndexFunc(res.Study.Arms, func(x schema.ArmInfo) bool { return x.Name == a })
		return cmp.Or(i+1, len(res.Study.Arms)+1)
	}
	for j := range lanes {
		l := &lanes[j]
		end := SwimmerMark{Day: l.End, Kind: MarkCensored}
		if dropout[l.Subject] {
			end.Kind = MarkDropout
		}
		l.Marks = append(l.Marks, end)
		slices.SortStableFunc(l.Marks, func(a, b SwimmerMark) int { return cmp.Compare(a.Day, b.Day) })
	}
	slices.SortStableFunc(lanes, func(a, b SwimmerLane) int {
		return cmp.Or(cmp.Compare(armOrder(a.Arm), armOrder(b.Arm)), strings.Compare(a.Arm, b.Arm), cmp.Compare(b.End, a.End), strings.Compare(a.Subject, b.Subject))
	})
	sw := &Swimmer{Title: cmp.Or(res.Study.ID, "Study") + ": follow-up, response and relapse by subject", Lanes: lanes, dpi: cfg.dpi, svgFonts: cfg.svgFonts, labels: map[string]string{}}
	maxEnd := 0.0
	var arms []string
	for _, l := range lanes {
		maxEnd = max(maxEnd, l.End)
		if !slices.Contains(arms, l.Arm) {
			arms = append(arms, l.Arm)
		}
	}
	sw.TimeAxis = newTimeAxis(false, 0, maxEnd)
	if err := cfg.axis.apply(&sw.TimeAxis); err != nil {
		return nil, fmt.Errorf("could not prepare the swimmer plot: %w", err)
	}
	sw.styles = ArmStyles(res.Study, arms...)
	for _, a := range res.Study.Arms {
		sw.labels[a.Name] = a.Label
	}
	sw.Notes = []string{"Bars: follow-up from day 0 to the last assessment of any endpoint (study days; a relapse endpoint's time is counted from its origin, ADTTE ORIGDY). ● response (or remission, SI resolution); ▲ relapse; ■ other event; × discontinued; | end of follow-up without discontinuation."}
	sw.Notes = append(sw.Notes, cfg.notes...)
	if res.Study.Synthetic {
		sw.Notes = append(sw.Notes, SyntheticNote)
	}
	counts := map[string]int{}
	for _, l := range lanes {
		for _, m := range l.Marks {
			counts[m.Kind]++
		}
	}
	sw.caption = fmt.Sprintf("Swimmer plot of %d subjects (%s): %d responses, %d relapses, %d other events, %d discontinued, %d followed to the end. %s", len(lanes), strings.Join(arms, ", "), counts[MarkResponse], counts[MarkRelapse], counts[MarkEvent], counts[MarkDropout], counts[MarkCensored], sw.Notes[0]) + synthetic(sw.Notes)
	return sw, nil
}

func eventMark(kind string) string {
	switch kind {
	case study.KindResponse, study.KindRemission, study.KindSIResolution:
		return MarkResponse
	case study.KindRelapse:
		return MarkRelapse
	}
	return MarkEvent
}

// Caption implements Drawing.
func (sw *Swimmer) Caption() string { return sw.caption }

// Render implements Drawing.
func (sw *Swimmer) Render(out io.Writer, format string, w, h vg.Length) error {
	return render(out, format, w, h, sw.dpi, sw.svgFonts, sw.page())
}

func (sw *Swimmer) page() *page {
	pg := &page{title: sw.Title, notes: sw.Notes, what: "lanes"}
	p := sw.TimeAxis.plot("Subject")
	n := len(sw.Lanes)
	p.Y.Min, p.Y.Max = 0.3, float64(n)+0.7
	p.Y.Tick.Marker = plot.ConstantTicks{}
	p.Add(houseGrid())
	var seen []string
	for _, l := range sw.Lanes {
		if !slices.Contains(seen, l.Arm) {
			seen = append(seen, l.Arm)
			pg.legend = append(pg.legend, legendEntry{text: armLegend(l.Arm, sw.labels[l.Arm], countArm(sw.Lanes, l.Arm)), style: sw.styles[l.Arm], fill: bandColor(sw.styles[l.Arm].Color)})
		}
	}
	p.Add(swimLanes{sw})
	pg.plot = p
	return pg
}

func countArm(lanes []SwimmerLane, arm string) int {
	n := 0
	for _, l := range lanes {
		if l.Arm == arm {
			n++
		}
	}
	return n
}

// swimLanes draws the lanes top to bottom: lane i at y = n − i.
type swimLanes struct{ sw *Swimmer }

func (s swimLanes) Plot(c draw.Canvas, p *plot.Plot) {
	xOf, yOf := p.Transforms(&c)
	n := len(s.sw.Lanes)
	half := min((yOf(1)-yOf(0))*0.32, 5)
	for i, l := range s.sw.Lanes {
		y := yOf(float64(n - i))
		st := s.sw.styles[l.Arm]
		fill := st.Color
		fill.A = 0x90
		c.FillPolygon(fill, []vg.Point{{X: xOf(0), Y: y - half}, {X: xOf(l.End), Y: y - half}, {X: xOf(l.End), Y: y + half}, {X: xOf(0), Y: y + half}})
		for _, m := range l.Marks {
			pt := vg.Point{X: xOf(m.Day), Y: y}
			g := draw.GlyphStyle{Color: color.Black, Radius: max(half, 2)}
			switch m.Kind {
			case MarkResponse:
				g.Shape = draw.CircleGlyph{}
			case MarkRelapse:
				g.Shape = draw.TriangleGlyph{}
			case MarkEvent:
				g.Shape = draw.SquareGlyph{}
			case MarkDropout:
				g.Shape, g.Color = draw.CrossGlyph{}, okabeVermillion
			case MarkCensored:
				c.StrokeLine2(draw.LineStyle{Color: color.Black, Width: 1.2}, pt.X, y-half-1, pt.X, y+half+1)
				continue
			}
			c.DrawGlyph(g, pt)
		}
	}
}

// SwimmerCSVHeader is the header of the CSV written by (*Swimmer).WriteCSV.
var SwimmerCSVHeader = []string{"lane", "subject", "arm", "series", "paramcd", "day"}

// WriteCSV writes each lane top to bottom: a follow_up row (day = End),
// then one row per mark (series the mark kind, paramcd its endpoint).
func (sw *Swimmer) WriteCSV(w io.Writer) error {
	cw := csv.NewWriter(w)
	num := func(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }
	cw.Write(SwimmerCSVHeader)
	for i, l := range sw.Lanes {
		lane := strconv.Itoa(i + 1)
		cw.Write([]string{lane, l.Subject, l.Arm, "follow_up", "", num(l.End)})
		for _, m := range l.Marks {
			cw.Write([]string{lane, l.Subject, l.Arm, m.Kind, m.Paramcd, num(m.Day)})
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("could not write swimmer plot CSV: %w", err)
	}
	return nil
}
