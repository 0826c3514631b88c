package fit

import (
	"fmt"
	"strconv"

	"github.com/ketcurves/ketcurves/pipeline/adam"
	"github.com/ketcurves/ketcurves/pipeline/cmprsk"
	"github.com/ketcurves/ketcurves/pipeline/schema"
)

// hasEventTypes reports whether the analysis has an event-type column.
func hasEventTypes(t *adam.ADTTE, opt Options) bool {
	col, err := eventColumn(t, opt)
	return err == nil && col != ""
}

// cifMethod: the Aalen–Johansen cumulative incidence of every cause per
// arm, as survfit(Surv(AVAL, factor(cause)) ~ TRTP) on the multi-state
// Surv, and Gray's test per cause (gray:<cause> in tests.csv), as
// cmprsk::cuminc(ftime, fstatus, group)$Tests. It runs by default with an
// event-type column.
var cifMethod = &Method{
	Name:        "cif",
	Summary:     "cumulative incidence per arm and cause (Aalen-Johansen, cif.csv) and Gray's test per cause (tests.csv); default with an event-type column",
	DefaultWhen: hasEventTypes,
	Configure:   func(Settings) (Analysis, error) { return AnalysisFunc(runCIF), nil },
	Tables:      []Table{{File: "cif.csv", Header: []string{"paramcd", "arm", "cause", "time", "n_risk", "cif", "std_err", "lower", "upper"}, Rows: cifRows}},
	Methods: func(res *schema.Results) string {
		return "With competing events, the cumulative incidence of each event type was estimated per arm by Aalen–Johansen (R survfit on a multi-state Surv, infinitesimal-jackknife standard errors) and compared between arms by Gray's test (cmprsk cuminc); 1 − Kaplan–Meier, which treats competing events as censoring, overstates the incidence of the event of interest."
	},
	RCode: func(c schema.Conventions) string {
		return "d$cause <- factor(ifelse(d$CNSR == 1, \"censored\", d$EVNTTYPE)); d$cause <- relevel(d$cause, \"censored\")\nsurvfit(Surv(AVAL, cause) ~ TRTP, data = d)\ncmprsk::cuminc(d$AVAL, as.character(d$cause), d$TRTP, cencode = \"censored\")$Tests\n"
	},
	Report: cifReport,
}

func runCIF(ctx *Context, ep *schema.Endpoint) error {
	cause, names := ctx.Causes()
	if cause == nil {
		return fmt.Errorf("%s: method cif needs an event-type column: give -event-column (and -event-of-interest)", ctx.File)
	}
	status := make([]int, len(cause))
	copy(status, cause)
	time := ctx.Time()
	ct, err := cmprsk.ParseConfType(string(ctx.Options.ConfType))
	if err != nil {
		ct = cmprsk.Log
	}
	var rows []schema.CIFRow
	for a, arm := range ctx.Arms {
		var t []float64
		var s []int
		for k := range ctx.Rows {
			if ctx.Group[k] == a {
				t, s = append(t, time[k]), append(s, status[k])
			}
		}
		c, err := cmprsk.CumulativeIncidence(t, s, cmprsk.IncidenceOptions{Causes: len(names) - 1, ConfType: ct, ConfLevel: ctx.Options.ConfLevel})
		if err != nil {
			ctx.Flag(schema.StatusNotEstimable, fmt.Sprintf("cumulative incidence of arm %s not computed: %v", arm, err))
			continue
		}
		for k := 1; k < len(names); k++ {
			for j, tm := range c.Time {
				rows = append(rows, schema.CIFRow{Arm: arm, Cause: names[k], Time: tm, NRisk: c.NRisk[0][j], CIF: c.PState[k][j],
					StdErr: finite(c.StdErr[k][j]), Lower: finite(c.Lower[k][j]), Upper: finite(c.Upper[k][j])})
			}
		}
	}
	ep.SetSection("cif", rows)
	if len(ctx.Arms) < 2 {
		return nil
	}
	gray, err := cmprsk.GrayTest(time, status, ctx.Group, cmprsk.GrayOptions{})
	if err != nil {
		ctx.Flag(schema.StatusNotEstimable, fmt.Sprintf("Gray's test not computed: %v", err))
		return nil
	}
	for _, g := range gray {
		if g.Status != cmprsk.StatusOK || !allFinite(g.Stat, g.P) {
			ctx.Note(fmt.Sprintf("Gray's test for %s: %s", names[g.Cause], g.Status))
			continue
		}
		ep.Tests = append(ep.Tests, schema.TestRow{Test: "gray:" + names[g.Cause], Statistic: g.Stat, DF: g.DF, PValue: g.P, N: len(time)})
	}
	return nil
}

func cifRows(ep *schema.Endpoint, emit func(...string)) error {
	var rows []schema.CIFRow
	if ok, err := ep.Section("cif", &rows); !ok || err != nil {
		return err
	}
	for _, r := range rows {
		emit(ep.Paramcd, r.Arm, r.Cause, num(r.Time), strconv.Itoa(r.NRisk), num(r.CIF), optNum(r.StdErr), optNum(r.Lower), optNum(r.Upper))
	}
	return nil
}

func cifReport(ep *schema.Endpoint, res *schema.Results) (*Section, error) {
	var rows []schema.CIFRow
	if ok, err := ep.Section("cif", &rows); !ok || err != nil || ep.EventTypes == nil {
		return nil, err
	}
	et := ep.EventTypes
	out := &Section{Title: "Competing events: cumulative incidence"}
	counts := SectionTable{Caption: "Outcomes per arm", Header: []string{"Arm", "Outcome", "Subjects"}}
	for _, c := range et.Counts {
		counts.Rows = append(counts.Rows, []string{c.Arm, c.Type, strconv.Itoa(c.Subjects)})
	}
	out.Paragraphs = append(out.Paragraphs, fmt.Sprintf("The event of interest is %s; %s compete with it (column %s). The Kaplan–Meier analyses above censor the competing events; the cumulative incidence counts them as outcomes of their own.", et.EventOfInterest, joinList(et.Competing), et.Column))
	last := map[[2]string]schema.CIFRow{}
	var order [][2]string
	for _, r := range rows {
		k := [2]string{r.Arm, r.Cause}
		if _, ok := last[k]; !ok {
			order = append(order, k)
		}
		last[k] = r
	}
	t := SectionTable{Caption: "Cumulative incidence at the end of follow-up, with 1 − Kaplan–Meier for the event of interest", Header: []string{"Arm", "Cause", "Time (days)", "Cumulative incidence", confLabel(res), "1 − KM"}}
	for _, k := range order {
		r := last[k]
		km := ""
		if r.Cause == et.EventOfInterest {
			km = fmtNum(1 - survAt(ep.KM, r.Arm, r.Time))
		}
		t.Rows = append(t.Rows, []string{r.Arm, r.Cause, fmtNum(r.Time), fmtNum(r.CIF), fmtCI(r.Lower, r.Upper), km})
	}
	for _, tr := range ep.Tests {
		if len(tr.Test) > 5 && tr.Test[:5] == "gray:" {
			out.Paragraphs = append(out.Paragraphs, fmt.Sprintf("Gray's test for %s: chi-square %s on %d df, p = %s.", tr.Test[5:], fmtNum(tr.Statistic), tr.DF, fmtNum(tr.PValue)))
		}
	}
	out.Tables = []SectionTable{counts, t}
	return out, nil
}

// survAt is an arm's Kaplan–Meier estimate at t from the KM rows.
func survAt(rows schema.KMRows, arm string, t float64) float64 {
	s := 1.0
	for _, r := range rows.All() {
		if r.Arm == arm && r.Time <= t {
			s = r.Surv
		}
	}
	return s
}

func joinList(s []string) string {
	switch len(s) {
	case 0:
		return "no other events"
	case 1:
		return s[0]
	}
	out := s[0]
	for i := 1; i < len(s)-1; i++ {
		out += ", " + s[i]
	}
	return out + " and " + s[len(s)-1]
}

// fineGrayMethod: the Fine–Gray subdistribution hazard model of each cause
// on treatment and the covariates, as cmprsk::crr(ftime, fstatus, cov1,
// failcode, cencode = 0), in O(n log n) (Kawaguchi et al. 2021). It runs by
// default with an event-type column and two or more arms.
var fineGrayMethod = &Method{
	Name:        "finegray",
	Summary:     "Fine-Gray subdistribution hazard model per cause (finegray.csv); default with an event-type column",
	Comparative: true,
	DefaultWhen: hasEventTypes,
	Configure:   func(Settings) (Analysis, error) { return AnalysisFunc(runFineGray), nil },
	Tables:      []Table{{File: "finegray.csv", Header: []string{"paramcd", "cause", "term", "coef", "se", "hr", "hr_lower", "hr_upper", "p_value"}, Rows: fineGrayRows}},
	Methods: func(res *schema.Results) string {
		return "Subdistribution hazard ratios of each event type were estimated by the Fine–Gray model (cmprsk crr, with its sandwich variance) on treatment and the covariates; the Cox model of the event of interest, with competing events censored, is its cause-specific hazard model."
	},
	RCode: func(c schema.Conventions) string {
		return "cmprsk::crr(d$AVAL, as.character(d$cause), model.matrix(~ TRTP + covariates, d)[, -1], failcode = \"<EVENT>\", cencode = \"censored\")\n"
	},
	Report: fineGrayReport,
}

func runFineGray(ctx *Context, ep *schema.Endpoint) error {
	cause, names := ctx.Causes()
	if cause == nil {
		return fmt.Errorf("%s: method finegray needs an event-type column: give -event-column (and -event-of-interest)", ctx.File)
	}
	m, err := ctx.Design(ctx.Options.Covariates, "", "")
	if err != nil {
		return err
	}
	pos := make(map[int]int, len(ctx.Rows))
	for k, i := range ctx.Rows {
		pos[i] = k
	}
	status := make([]int, len(m.Rows))
	for k, i := range m.Rows {
		status[k] = cause[pos[i]]
	}
	time := gather(ctx.Table.AVAL, m.Rows)
	var sec schema.FineGraySection
	for c := 1; c < len(names); c++ {
		fg, err := cmprsk.FineGray(time, status, m.X, cmprsk.FineGrayOptions{Cause: c, Names: m.Names(), ConfLevel: ctx.Options.ConfLevel})
		if err != nil {
			ctx.Flag(schema.StatusNotEstimable, fmt.Sprintf("Fine-Gray model of %s not fitted: %v", names[c], err))
			continue
		}
		mod := schema.FineGrayModel{Cause: names[c], N: fg.N, Events: fg.Events, Competing: fg.Competing, Status: fg.Status, Iterations: fg.Iter, LogLik: finite(fg.LogLik)}
		if fg.Status != cmprsk.StatusOK {
			st := schema.StatusNotEstimable
			switch fg.Status {
			case cmprsk.StatusSingular:
				st = schema.StatusSingular
			case cmprsk.StatusNotConverged:
				st = schema.StatusNotConverged
			}
			if c == 1 {
				ctx.Flag(st, fmt.Sprintf("Fine-Gray model of %s: %s", names[c], fg.Status))
			} else {
				ctx.Note(fmt.Sprintf("Fine-Gray model of the competing event %s: %s", names[c], fg.Status))
			}
		}
		for j, n := range fg.Names {
			t := schema.FineGrayTerm{Cause: names[c], Term: n, Reference: m.Columns[j].Reference}
			if fg.Status == cmprsk.StatusOK {
				t.Coef, t.SE, t.HR, t.HRLower, t.HRUpper, t.PValue = finite(fg.Coef[j]), finite(fg.SE[j]), finite(fg.HR[j]), finite(fg.HRLower[j]), finite(fg.HRUpper[j]), finite(fg.P[j])
			}
			mod.Terms = append(mod.Terms, t)
		}
		sec.Models = append(sec.Models, mod)
	}
	ep.SetSection("finegray", sec)
	return nil
}

func fineGrayRows(ep *schema.Endpoint, emit func(...string)) error {
	var sec schema.FineGraySection
	if ok, err := ep.Section("finegray", &sec); !ok || err != nil {
		return err
	}
	for _, m := range sec.Models {
		for _, t := range m.Terms {
			emit(ep.Paramcd, t.Cause, t.Term, optNum(t.Coef), optNum(t.SE), optNum(t.HR), optNum(t.HRLower), optNum(t.HRUpper), optNum(t.PValue))
		}
	}
	return nil
}

func fineGrayReport(ep *schema.Endpoint, res *schema.Results) (*Section, error) {
	var sec schema.FineGraySection
	if ok, err := ep.Section("finegray", &sec); !ok || err != nil {
		return nil, err
	}
	t := SectionTable{Header: []string{"Cause", "Term", "vs", "Subdistribution HR", confLabel(res), "p"}}
	for _, m := range sec.Models {
		for _, x := range m.Terms {
			t.Rows = append(t.Rows, []string{m.Cause, x.Term, x.Reference, fmtOpt(x.HR), fmtCI(x.HRLower, x.HRUpper), fmtOpt(x.PValue)})
		}
	}
	return &Section{Title: "Competing events: Fine–Gray model", Paragraphs: []string{"The subdistribution hazard ratio compares how fast the cumulative incidence of each event type rises between arms, counting the subjects who had a competing event as still in the risk set (with inverse-probability-of-censoring weights)."}, Tables: []SectionTable{t}}, nil
}
