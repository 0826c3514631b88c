package fit

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/ketcurves/ketcurves/pipeline/adam"
	"github.com/ketcurves/ketcurves/pipeline/cure"
	"github.com/ketcurves/ketcurves/pipeline/design"
	"github.com/ketcurves/ketcurves/pipeline/schema"
)

// cureMethod: a mixture cure model per endpoint — a logistic model of
// the fraction who ever have the event (for a response endpoint, the
// responder fraction) and a Weibull or log-normal AFT model of the time to
// it among them, on treatment and the covariates, by maximum likelihood
// (Peng & Dear 2000; Cai et al. 2012's smcure model), with the Maller–Zhou
// check that follow-up is long enough to identify the fraction. It runs by
// default on studies with a response-type endpoint, on those endpoints.
var cureMethod = &Method{
	Name:        "cure",
	Summary:     "mixture cure model: fraction with the event eventually and latency median per arm, plateau check (cure.csv, cure_terms.csv); default for response-type endpoints",
	DefaultWhen: func(t *adam.ADTTE, opt Options) bool { return t.Len() <= aftRows && hasCumulativeEndpoint(opt) },
	Options: []Option{{Name: "cure", Selects: true,
		Usage: "latency distribution of the cure model: weibull (default) or lognormal"}},
	Configure: func(set Settings) (Analysis, error) {
		a := cureAnalysis{dist: cure.Weibull, explicit: true}
		s, ok := set["cure"]
		if !ok {
			a.explicit = false
			return a, nil
		}
		d, err := cure.ParseDistribution(s.Value)
		if err != nil {
			return nil, set.Errorf("cure", "%v", err)
		}
		a.dist = d
		return a, nil
	},
	Tables: []Table{
		{File: "cure.csv", Header: []string{"paramcd", "latency", "arm", "fraction", "fraction_lower", "fraction_upper", "latency_median", "latency_median_lower", "latency_median_upper", "plateau_days", "plateau_km", "maller_zhou_p", "status"}, Rows: cureRows},
		{File: "cure_terms.csv", Header: []string{"paramcd", "latency", "component", "term", "coef", "se", "z", "p_value"}, Rows: cureTermRows},
	},
	Methods: func(res *schema.Results) string {
		return "Mixture cure models separated how many patients have the event (a logistic model of the fraction with the event eventually) from how fast (a Weibull or log-normal accelerated-failure-time model of the time to it among them), fitted by maximum likelihood with standard errors from the observed information; the fractions and latency medians per arm are at the covariates' mean, with delta-method intervals (logit and log scales). Follow-up was judged sufficient to identify the fraction by the length of the Kaplan–Meier plateau and the Maller–Zhou test (p < 0.05 per arm)."
	},
	Report: cureReport,
}

// hasCumulativeEndpoint reports whether the study has a response-type
// endpoint.
func hasCumulativeEndpoint(opt Options) bool {
	if opt.Study == nil {
		return false
	}
	for _, e := range opt.Study.Endpoints {
		if isCumulativeKind(e.Kind) {
			return true
		}
	}
	return false
}

type cureAnalysis struct {
	dist cure.Distribution
	// explicit is true when -cure was given: the model then runs on every
	// endpoint, not only the response-type ones.
	explicit bool
}

func (a cureAnalysis) Run(ctx *Context, ep *schema.Endpoint) error {
	if !a.explicit && !ctx.endpointIsCumulative() {
		return nil
	}
	m, err := ctx.Design(ctx.Options.Covariates, "", "")
	if err != nil {
		return err
	}
	var keep []int
	for k, i := range m.Rows {
		if ctx.Table.AVAL[i] > 0 {
			keep = append(keep, k)
		}
	}
	if len(keep) < len(m.Rows) {
		ctx.Note(fmt.Sprintf("cure: %d rows at time 0 were left out (the latency model is on log time)", len(m.Rows)-len(keep)))
	}
	rows := make([]int, len(keep))
	x := make([][]float64, len(m.X))
	for j := range x {
		x[j] = make([]float64, len(keep))
	}
	for n, k := range keep {
		rows[n] = m.Rows[k]
		for j := range m.X {
			x[j][n] = m.X[j][k]
		}
	}
	des := cure.Design{X: x, Names: m.Names()}
	groups := ctx.groupsOf(rows)
	fitm, err := cure.Fit(gather(ctx.Table.AVAL, rows), gather(ctx.Table.Event, rows), des, des,
		cure.Options{Latency: a.dist, ConfLevel: ctx.Options.ConfLevel, Groups: groups})
	if err != nil {
		ctx.Flag(failureStatus(gather(ctx.Table.Event, rows), groups, len(ctx.Arms)), fmt.Sprintf("cure model not fitted: %v", err))
		return nil
	}
	sec := summarizeCure(ctx, fitm, m, a.dist)
	if fitm.Status != cure.StatusOK {
		ctx.Flag(schema.Status(fitm.Status), "cure model: "+strings.Join(fitm.Messages, "; "))
	}
	ep.SetSection("cure", sec)
	return nil
}

func (c *Context) endpointIsCumulative() bool {
	if c.Options.Study == nil {
		return false
	}
	e, ok := c.Options.Study.Endpoint(c.Paramcd)
	return ok && isCumulativeKind(e.Kind)
}

func summarizeCure(ctx *Context, fm *cure.Model, m *design.Matrix, dist cure.Distribution) schema.CureSection {
	sec := schema.CureSection{Latency: string(dist), Status: fm.Status, Messages: fm.Messages, N: fm.N, Events: fm.Events, LogLik: finite(fm.LogLik),
		Profile: "numeric covariates and dummy-coded levels at their mean; treatment dummies set for each arm"}
	for _, t := range fm.Terms {
		sec.Terms = append(sec.Terms, schema.CureTerm{Component: string(t.Component), Term: t.Name, Coef: finite(t.Coef), SE: finite(t.SE), Z: finite(t.Z), PValue: finite(t.P)})
	}
	for _, arm := range ctx.Arms {
		pr := fm.MeanProfile()
		for j, c := range m.Columns {
			if c.Kind == design.KindArm {
				v := 0.0
				if c.Level == arm {
					v = 1
				}
				pr.Incidence[j], pr.Latency[j] = v, v
			}
		}
		s := fm.Summary(pr)
		sec.Arms = append(sec.Arms, schema.CureArm{Arm: arm, Fraction: finite(s.Fraction), FractionLower: finite(s.FractionLower), FractionUpper: finite(s.FractionUpper),
			Median: finite(s.Median), MedianLower: finite(s.MedianLower), MedianUpper: finite(s.MedianUpper)})

	}
	for _, p := range fm.Plateaus {
		arm := ""
		if p.Group >= 0 && p.Group < len(ctx.Arms) {
			arm = ctx.Arms[p.Group]
		}
		sec.Plateaus = append(sec.Plateaus, schema.CureCheck{Arm: arm, LastTime: p.LastTime, LastEvent: finite(p.LastEvent), Length: finite(p.Length), KM: p.KM, Count: p.Count, P: finite(p.P), Status: p.Status})
	}
	return sec
}

func cureRows(ep *schema.Endpoint, emit func(...string)) error {
	var sec schema.CureSection
	if ok, err := ep.Section("cure", &sec); !ok || err != nil {
		return err
	}
	check := map[string]schema.CureCheck{}
	for _, p := range sec.Plateaus {
		check[p.Arm] = p
	}
	for _, a := range sec.Arms {
		p := check[a.Arm]
		emit(ep.Paramcd, sec.Latency, a.Arm, optNum(a.Fraction), optNum(a.FractionLower), optNum(a.FractionUpper), optNum(a.Median), optNum(a.MedianLower), optNum(a.MedianUpper),
			optNum(p.Length), num(p.KM), optNum(p.P), sec.Status)
	}
	return nil
}

func cureTermRows(ep *schema.Endpoint, emit func(...string)) error {
	var sec schema.CureSection
	if ok, err := ep.Section("cure", &sec); !ok || err != nil {
		return err
	}
	for _, t := range sec.Terms {
		emit(ep.Paramcd, sec.Latency, t.Component, t.Term, optNum(t.Coef), optNum(t.SE), optNum(t.Z), optNum(t.PValue))
	}
	return nil
}

func cureReport(ep *schema.Endpoint, res *schema.Results) (*Section, error) {
	var sec schema.CureSection
	if ok, err := ep.Section("cure", &sec); !ok || err != nil {
		return nil, err
	}
	event := "the event"
	if isCumulativeKind(ep.Kind) {
		event = eventWord(ep.Kind)
	}
	out := &Section{Title: "How many, and how fast: mixture cure model"}
	pct := func(v *float64) string {
		if v == nil {
			return "NA"
		}
		return strconv.FormatFloat(100**v, 'f', 0, 64) + "%"
	}
	if sec.Status == "ok" {
		var parts []string
		var med []string
		for _, a := range sec.Arms {
			parts = append(parts, fmt.Sprintf("on %s %s (%s to %s) have %s eventually", a.Arm, pct(a.Fraction), pct(a.FractionLower), pct(a.FractionUpper), event))
			med = append(med, fmt.Sprintf("%s days (%s) on %s", fmtOpt(a.Median), fmtCI(a.MedianLower, a.MedianUpper), a.Arm))
		}
		out.Paragraphs = append(out.Paragraphs, capitalize(strings.Join(parts, "; "))+"; among them the median time to "+event+" is "+strings.Join(med, " vs ")+".")
	} else {
		out.Paragraphs = append(out.Paragraphs, fmt.Sprintf("⚠ The cure model's status is %s: %s. Its fractions are not reported as sound.", sec.Status, strings.Join(sec.Messages, "; ")))
	}
	arms := SectionTable{Header: []string{"Arm", "Fraction with " + event, confLabel(res), "Median among them (days)", confLabel(res)}}
	for _, a := range sec.Arms {
		arms.Rows = append(arms.Rows, []string{a.Arm, pct(a.Fraction), pct(a.FractionLower) + " to " + pct(a.FractionUpper), fmtOpt(a.Median), fmtCI(a.MedianLower, a.MedianUpper)})
	}
	checks := SectionTable{Caption: "Is follow-up long enough? The Kaplan–Meier plateau after the last event, and the Maller–Zhou test (sufficient when p < 0.05)", Header: []string{"Arm", "Last event (days)", "Plateau (days)", "KM on the plateau", "Maller–Zhou p", "Check"}}
	for _, p := range sec.Plateaus {
		checks.Rows = append(checks.Rows, []string{p.Arm, fmtOpt(p.LastEvent), fmtOpt(p.Length), fmtNum(p.KM), fmtOpt(p.P), p.Status})
	}
	out.Tables = []SectionTable{arms, checks}
	return out, nil
}

func capitalize(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
