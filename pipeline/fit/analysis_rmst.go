package fit

import (
	"fmt"
	"math"
	"strconv"

	"github.com/ketcurves/ketcurves/pipeline/km"
	"github.com/ketcurves/ketcurves/pipeline/rmst"
	"github.com/ketcurves/ketcurves/pipeline/schema"
)

// rmstMethod: restricted mean time to event and time lost per arm up to
// τ, and each arm versus the reference arm (difference, RMST ratio, RMTL
// ratio), as survRM2::rmst2's unadjusted results and print(survfit,
// rmean = τ).
var rmstMethod = &Method{
	RCode: func(c schema.Conventions) string {
		return "print(km, rmean = TAU)  # survRM2::rmst2(d$AVAL, 1 - d$CNSR, arm, tau = TAU) for the contrasts\n"
	},
	Name:        "rmst",
	Summary:     "restricted mean time to event (and time lost) per arm up to tau, differences and ratios (rmst.csv, rmst_contrast.csv)",
	Default:     true,
	Comparative: true,
	Options: []Option{{Name: "rmst-tau", Selects: true,
		Usage: "RMST horizon tau in days (> 0); default survRM2's rule: the smallest of the arms' largest observed times"}},
	Configure: configureRMST,
	Tables: []Table{
		{File: "rmst.csv", Header: []string{"paramcd", "arm", "tau", "rmst", "se", "lower", "upper", "rmtl", "rmtl_lower", "rmtl_upper", "status"}, Rows: rmstRows},
		{File: "rmst_contrast.csv", Header: []string{"paramcd", "tau", "arm", "reference", "contrast", "estimate", "lower", "upper", "p_value", "status"}, Rows: rmstContrastRows},
	},
	Methods: func(res *schema.Results) string {
		return "Restricted mean times to event (the area under the Kaplan–Meier curve up to τ) and restricted mean times lost were compared between arms by their difference and ratios with Greenwood plug-in variances (survRM2's rmst2, unadjusted); τ is the plan's rmst_tau, else the smallest of the arms' largest observed times."
	},
	Report: rmstReport,
}

type rmstAnalysis struct{ tau float64 }

func configureRMST(set Settings) (Analysis, error) {
	var a rmstAnalysis
	if s, ok := set["rmst-tau"]; ok {
		v, err := strconv.ParseFloat(s.Value, 64)
		if err != nil || math.IsNaN(v) || math.IsInf(v, 0) || v <= 0 {
			return nil, set.Errorf("rmst-tau", "%q is not a time in days > 0", s.Value)
		}
		a.tau = v
	}
	return a, nil
}

func (a rmstAnalysis) Run(ctx *Context, ep *schema.Endpoint) error {
	curves := make([]*km.Curve, len(ctx.Arms))
	for i := range ctx.Arms {
		c, err := ctx.curve(i)
		if err != nil {
			return err
		}
		curves[i] = c
	}
	sec := schema.RMSTSection{Tau: a.tau, TauRule: "plan"}
	if a.tau == 0 {
		sec.TauRule = "survRM2"
		sec.Tau = math.Inf(1)
		for _, c := range curves {
			sec.Tau = math.Min(sec.Tau, rmst.DefaultTau(c, c))
		}
	}
	for _, w := range rmst.CheckTau(sec.Tau, curves...) {
		ctx.Note(fmt.Sprintf("RMST: %v", w))
	}
	ref := curves[ctx.Control]
	for i, c := range curves {
		e, err := rmst.Restricted(c, sec.Tau)
		if err != nil {
			return err
		}
		sec.Arms = append(sec.Arms, schema.RMSTRow{Arm: ctx.Arms[i], Tau: sec.Tau, RMST: e.RMST, SE: e.SE, Lower: e.RMSTLower, Upper: e.RMSTUpper,
			RMTL: e.RMTL, RMTLLower: e.RMTLLower, RMTLUpper: e.RMTLUpper, Events: e.Events, LastTime: e.LastTime, Beyond: e.BeyondFollowUp, Status: e.Status})
		if i == ctx.Control {
			continue
		}
		cmp, err := rmst.Compare(ref, c, sec.Tau)
		if err != nil {
			return err
		}
		for _, k := range []struct {
			name string
			c    km.Contrast
		}{{"difference", cmp.Difference}, {"ratio", cmp.RMSTRatio}, {"rmtl_ratio", cmp.RMTLRatio}} {
			sec.Contrasts = append(sec.Contrasts, schema.RMSTContrast{Arm: ctx.Arms[i], Reference: ctx.Arms[ctx.Control], Contrast: k.name,
				Estimate: finite(k.c.Estimate), Lower: finite(k.c.Lower), Upper: finite(k.c.Upper), PValue: finite(k.c.P), Method: k.c.Method, Status: k.c.Status})
		}
	}
	ep.SetSection("rmst", sec)
	return nil
}

func rmstRows(ep *schema.Endpoint, emit func(...string)) error {
	var sec schema.RMSTSection
	if ok, err := ep.Section("rmst", &sec); !ok || err != nil {
		return err
	}
	for _, r := range sec.Arms {
		emit(ep.Paramcd, r.Arm, num(r.Tau), num(r.RMST), num(r.SE), num(r.Lower), num(r.Upper), num(r.RMTL), num(r.RMTLLower), num(r.RMTLUpper), r.Status)
	}
	return nil
}

func rmstContrastRows(ep *schema.Endpoint, emit func(...string)) error {
	var sec schema.RMSTSection
	if ok, err := ep.Section("rmst", &sec); !ok || err != nil {
		return err
	}
	for _, c := range sec.Contrasts {
		emit(ep.Paramcd, num(sec.Tau), c.Arm, c.Reference, c.Contrast, optNum(c.Estimate), optNum(c.Lower), optNum(c.Upper), optNum(c.PValue), c.Status)
	}
	return nil
}

func rmstReport(ep *schema.Endpoint, res *schema.Results) (*Section, error) {
	var sec schema.RMSTSection
	if ok, err := ep.Section("rmst", &sec); !ok || err != nil {
		return nil, err
	}
	what := "restricted mean event-free time"
	if isCumulativeKind(ep.Kind) {
		what = "restricted mean time to " + eventWord(ep.Kind)
	}
	out := &Section{Title: "Restricted mean time (RMST)"}
	out.Paragraphs = append(out.Paragraphs, fmt.Sprintf("The %s up to τ = %s days (%s rule): the average time, within the first %s days, spent before the event.", what, fmtNum(sec.Tau), sec.TauRule, fmtNum(sec.Tau)))
	arms := SectionTable{Header: []string{"Arm", "RMST (days)", confLabel(res), "RMTL (days)", confLabel(res)}}
	for _, r := range sec.Arms {
		arms.Rows = append(arms.Rows, []string{r.Arm, fmtNum(r.RMST), fmtNum(r.Lower) + " to " + fmtNum(r.Upper), fmtNum(r.RMTL), fmtNum(r.RMTLLower) + " to " + fmtNum(r.RMTLUpper)})
	}
	con := SectionTable{Header: []string{"Arm", "vs", "Contrast", "Estimate", confLabel(res), "p"}}
	for _, c := range sec.Contrasts {
		con.Rows = append(con.Rows, []string{c.Arm, c.Reference, c.Contrast, fmtOpt(c.Estimate), fmtCI(c.Lower, c.Upper), fmtOpt(c.PValue)})
		if c.Contrast == "difference" && c.Estimate != nil {
			out.Paragraphs = append(out.Paragraphs, rmstSentence(ep.Kind, c, sec.Tau))
		}
	}
	out.Tables = []SectionTable{arms, con}
	return out, nil
}

// rmstSentence says in words what an RMST difference means.
func rmstSentence(kind string, c schema.RMSTContrast, tau float64) string {
	d := *c.Estimate
	if isCumulativeKind(kind) {
		dir := "later"
		if d < 0 {
			dir = "sooner"
		}
		return fmt.Sprintf("Within %s days, %s reached %s on average %s days %s than %s (difference %s days, CI %s).",
			fmtNum(tau), c.Arm, eventWord(kind), fmtNum(math.Abs(d)), dir, c.Reference, fmtNum(d), fmtCI(c.Lower, c.Upper))
	}
	dir := "longer"
	if d < 0 {
		dir = "shorter"
	}
	return fmt.Sprintf("Within %s days, %s stayed event-free on average %s days %s than %s (difference %s days, CI %s).",
		fmtNum(tau), c.Arm, fmtNum(math.Abs(d)), dir, c.Reference, fmtNum(d), fmtCI(c.Lower, c.Upper))
}

// isCumulativeKind reports whether an endpoint kind is shown as a
// cumulative proportion with the event (response-like endpoints).
func isCumulativeKind(kind string) bool {
	switch kind {
	case "response", "remission", "si-resolution":
		return true
	}
	return false
}

func eventWord(kind string) string {
	switch kind {
	case "response":
		return "response"
	case "remission":
		return "remission"
	case "si-resolution":
		return "resolution of suicidal ideation"
	}
	return "the event"
}
