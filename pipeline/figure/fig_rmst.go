package figure

import (
	"cmp"
	"fmt"
	"image/color"
	"strconv"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg/draw"

	"github.com/ketcurves/ketcurves/pipeline/schema"
)

// rmstKind is the RMST figure: the Kaplan–Meier curves on a linear time
// axis with the area between each arm's curve and the reference arm's
// shaded up to τ.
var rmstKind = &Kind{
	Name:    "rmst",
	Summary: "restricted mean time: the area between each arm's and the reference arm's Kaplan–Meier curves shaded up to tau, with the RMST difference",
	Suffix:  "-rmst",
	Needs:   []string{"km", "rmst"},
	Applies: func(ep *schema.Endpoint) bool { _, ok := ep.Sections["rmst"]; return ok && ep.KM.Len() > 0 },
	build: func(res *schema.Results, ep *schema.Endpoint, opts ...Option) (Drawing, error) {
		return RMSTArea(res, ep, opts...)
	},
}

// rmstOverlay is what the RMST figure adds to the Kaplan–Meier curves.
type rmstOverlay struct {
	Tau float64
	// Areas are the shaded regions, one per compared arm: the closed
	// polygon along the arm's curve from the axis start to τ and back
	// along the reference arm's curve.
	Areas []rmstArea
	// Rows are the RMST of each arm and the differences, as written to
	// the CSV.
	Arms        []schema.RMSTRow
	Differences []schema.RMSTContrast
}

type rmstArea struct {
	Arm, Reference string
	Ring           []Point
	Color          color.NRGBA
}

// RMSTArea prepares the RMST figure of ep: the Kaplan–Meier curves (on the
// display scale of the KM figure, always on a linear time axis, where the
// area between two curves is the difference of their restricted means) with
// the region between each arm and the reference arm shaded from 0 to τ of
// the rmst section, a dashed line at τ, and the RMST per arm and the
// differences (survRM2 rmst2) in the notes and the CSV. It returns an error
// if the rmst section does not decode or has no reference arm in the km
// rows.
func RMSTArea(res *schema.Results, ep *schema.Endpoint, opts ...Option) (*Figure, error) {
	sec, ok, err := section[schema.RMSTSection](ep, "rmst")
	if err != nil {
		return nil, err
	}
	if !ok || !(sec.Tau > 0) {
		return nil, fmt.Errorf("could not prepare the rmst figure of %s: the endpoint has no RMST section with a positive tau: run the fit stage with the rmst method", ep.Paramcd)
	}
	f, err := Curves(*ep, res.Study, append(opts, WithTimeScale(TimeLinear))...)
	if err != nil {
		return nil, err
	}
	f.Title = cmp.Or(ep.Label, ep.Paramcd) + ": RMST up to τ = " + num3(sec.Tau) + " d"
	ref := res.Conventions.ReferenceArm
	refArm := f.arm(ref)
	if refArm == nil {
		return nil, fmt.Errorf("could not prepare the rmst figure of %s: the reference arm %q has no km rows", ep.Paramcd, ref)
	}
	ov := &rmstOverlay{Tau: sec.Tau, Arms: sec.Arms}
	for _, c := range sec.Contrasts {
		if c.Contrast == "difference" {
			ov.Differences = append(ov.Differences, c)
		}
	}
	for _, a := range f.Arms {
		if a.Name == ref {
			continue
		}
		ring := stepUpTo(a.Curve, f.XMin, sec.Tau)
		back := stepUpTo(refArm.Curve, f.XMin, sec.Tau)
		for i := len(back) - 1; i >= 0; i-- {
			ring = append(ring, back[i])
		}
		ov.Areas = append(ov.Areas, rmstArea{Arm: a.Name, Reference: ref, Ring: ring, Color: a.Color})
	}
	f.rmst = ov
	for i := range f.Arms {
		f.Arms[i].Band = nil // the shaded area is the RMST difference, not a band
	}
	// The built-in note, the RMST numbers, then the options' notes and
	// the synthetic-data note of Curves.
	notes := []string{"Curves: Kaplan–Meier estimate; + censored; shaded: the area between the curves up to τ (dashed line), the difference in restricted mean time."}
	notes = append(notes, ov.notes(res.Conventions)...)
	f.Notes = append(notes, f.Notes[1:]...)
	f.caption = fmt.Sprintf("Restricted mean time of %s up to τ = %s days (%s): Kaplan–Meier curves by arm (%s) with the area between them shaded up to τ. %s", cmp.Or(ep.Label, ep.Paramcd), num3(sec.Tau), tauRule(sec.TauRule), armCounts(ep), joinNotes(ov.notes(res.Conventions))) + synthetic(f.Notes)
	return f, nil
}

func (f *Figure) arm(name string) *ArmCurve {
	for i := range f.Arms {
		if f.Arms[i].Name == name {
			return &f.Arms[i]
		}
	}
	return nil
}

// stepUpTo returns the vertices of a post-step curve from x0 to tau, drawn
// as a polyline: a horizontal then a vertical segment at each step, ending
// at (tau, value at tau).
func stepUpTo(curve []Point, x0, tau float64) []Point {
	var out []Point
	y := curve[0].Y
	out = append(out, Point{x0, y})
	for _, p := range curve[1:] {
		if p.X > tau {
			break
		}
		out = append(out, Point{p.X, y}, Point{p.X, p.Y})
		y = p.Y
	}
	return append(out, Point{tau, y})
}

func (ov *rmstOverlay) notes(c schema.Conventions) []string {
	var s string
	for i, a := range ov.Arms {
		if i > 0 {
			s += "; "
		}
		s += fmt.Sprintf("%s %s %s", a.Arm, num3(a.RMST), ciText(a.Lower, a.Upper))
	}
	out := []string{fmt.Sprintf("RMST up to τ, days (%s%% CI): %s.", level(c), s)}
	for _, d := range ov.Differences {
		if d.Estimate == nil || d.Lower == nil || d.Upper == nil {
			out = append(out, fmt.Sprintf("Difference %s − %s: not estimable (%s).", d.Arm, d.Reference, d.Status))
			continue
		}
		p := ""
		if d.PValue != nil {
			p = ", p " + pText(*d.PValue)
		}
		out = append(out, fmt.Sprintf("Difference %s − %s: %s days %s%s (survRM2 rmst2).", d.Arm, d.Reference, num3(*d.Estimate), ciText(*d.Lower, *d.Upper), p))
	}
	return out
}

func pText(p float64) string {
	if p < 0.001 {
		return "< 0.001"
	}
	return "= " + formatP(p)
}

func tauRule(rule string) string {
	switch rule {
	case "plan":
		return "τ set in the plan"
	case "survRM2":
		return "τ by survRM2's rule: the smallest of the arms' largest observed times"
	}
	return "τ rule " + strconv.Quote(rule)
}

func joinNotes(ns []string) string {
	s := ""
	for i, n := range ns {
		if i > 0 {
			s += " "
		}
		s += n
	}
	return s
}

// num3 writes v with up to 3 decimals, trailing zeros dropped.
func num3(v float64) string {
	return trimZeros(strconv.FormatFloat(v, 'f', 3, 64))
}

func trimZeros(s string) string {
	for len(s) > 1 && s[len(s)-1] == '0' {
		s = s[:len(s)-1]
	}
	if s[len(s)-1] == '.' {
		s = s[:len(s)-1]
	}
	return s
}

// add puts the shaded areas and the τ line on the plot, under the curves.
func (ov *rmstOverlay) add(p *plot.Plot) {
	for _, a := range ov.Areas {
		c := a.Color
		c.A = 0x55
		p.Add(&plotter.Polygon{XYs: []plotter.XYs{xys(a.Ring)}, Color: c})
	}
	p.Add(VLine{X: ov.Tau, Style: draw.LineStyle{Color: grey, Width: 0.8, Dashes: dashed}})
}

// ciText writes a confidence interval "(lo–hi)", or "(lo to hi)" when a
// bound is negative, so that a minus sign is never read as a dash.
func ciText(lo, hi float64) string {
	if lo < 0 || hi < 0 {
		return "(" + num3(lo) + " to " + num3(hi) + ")"
	}
	return "(" + num3(lo) + "–" + num3(hi) + ")"
}
