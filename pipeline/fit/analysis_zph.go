package fit

import (
	"fmt"
	"math"
	"slices"
	"strconv"

	"github.com/ketcurves/ketcurves/pipeline/cox"
	"github.com/ketcurves/ketcurves/pipeline/schema"
)

// zphMethod: the proportional-hazards test of R survival 3.x cox.zph on
// the endpoint's Cox model, per term and GLOBAL, with the scaled
// Schoenfeld residuals for plotting.
var zphMethod = &Method{
	RCode: func(c schema.Conventions) string {
		return "cox.zph(fit, transform = \"" + orDefault(c.Options["zph"], "km") + "\", terms = FALSE)\n"
	},
	Name:        "zph",
	Summary:     "proportional-hazards test of the Cox model, as cox.zph (zph.csv, schoenfeld.csv)",
	Comparative: true,
	Options: []Option{{Name: "zph", Selects: true,
		Usage: "cox.zph time transform: km (default), rank or identity"}},
	Configure: func(set Settings) (Analysis, error) {
		tr := cox.TransformKM
		if s, ok := set["zph"]; ok {
			t, err := cox.ParseTransform(s.Value)
			if err != nil {
				return nil, set.Errorf("zph", "%v", err)
			}
			tr = t
		}
		return zphAnalysis{transform: tr}, nil
	},
	Tables: []Table{
		{File: "zph.csv", Header: []string{"paramcd", "transform", "term", "chisq", "df", "p_value"}, Rows: zphRows},
		{File: "schoenfeld.csv", Header: []string{"paramcd", "transform", "time", "x", "term", "residual"}, Rows: schoenfeldRows},
	},
	Methods: func(res *schema.Results) string {
		return "Proportional hazards were checked by the score test of survival 3 cox.zph (per term and global) on the scaled Schoenfeld residuals against transformed time."
	},
	Report: zphReport,
}

type zphAnalysis struct{ transform cox.Transform }

func (a zphAnalysis) Run(ctx *Context, ep *schema.Endpoint) error {
	fc, err := ctx.coxModel()
	if err != nil || fc.result == nil || fc.result.Status != cox.StatusOK {
		if err == nil {
			ctx.Note("cox.zph not computed: the Cox model has no usable fit")
		}
		return err
	}
	m := fc.design
	time, event := gather(ctx.Table.AVAL, m.Rows), gather(ctx.Table.Event, m.Rows)
	z, err := cox.ZPH(fc.result, time, event, m.X, m.Strata, ctx.coxOptions(m), a.transform)
	if err != nil {
		ctx.Flag(schema.StatusNotEstimable, fmt.Sprintf("cox.zph not computed: %v", err))
		return nil
	}
	sec := schema.ZPHSection{Transform: string(a.transform), Status: z.Status}
	if z.Status != "ok" {
		ctx.Flag(schema.StatusSingular, fmt.Sprintf("cox.zph: %v", z.Messages))
	}
	for j, name := range z.Names {
		sec.Tests = append(sec.Tests, schema.ZPHTest{Term: name, Chisq: finite(z.Tests[j].Statistic), DF: z.Tests[j].DF, PValue: finite(z.Tests[j].P)})
	}
	sec.Tests = append(sec.Tests, schema.ZPHTest{Term: "GLOBAL", Chisq: finite(z.Global.Statistic), DF: z.Global.DF, PValue: finite(z.Global.P)})
	sec.Residuals = schema.SchoenfeldResiduals{Time: z.Time, X: z.X, Terms: z.Names, Y: make([]schema.Floats, len(z.Y))}
	for j := range z.Y {
		sec.Residuals.Y[j] = z.Y[j]
	}
	ep.SetSection("zph", sec)
	return nil
}

func zphRows(ep *schema.Endpoint, emit func(...string)) error {
	var sec schema.ZPHSection
	if ok, err := ep.Section("zph", &sec); !ok || err != nil {
		return err
	}
	for _, t := range sec.Tests {
		emit(ep.Paramcd, sec.Transform, t.Term, optNum(t.Chisq), strconv.Itoa(t.DF), optNum(t.PValue))
	}
	return nil
}

func schoenfeldRows(ep *schema.Endpoint, emit func(...string)) error {
	var sec schema.ZPHSection
	if ok, err := ep.Section("zph", &sec); !ok || err != nil {
		return err
	}
	for _, r := range sec.Residuals.Rows() {
		emit(ep.Paramcd, sec.Transform, num(r.Time), num(r.X), r.Term, optNum(r.Residual))
	}
	return nil
}

func zphReport(ep *schema.Endpoint, res *schema.Results) (*Section, error) {
	var sec schema.ZPHSection
	if ok, err := ep.Section("zph", &sec); !ok || err != nil {
		return nil, err
	}
	t := SectionTable{Header: []string{"Term", "Chi-square", "df", "p"}}
	for _, r := range sec.Tests {
		t.Rows = append(t.Rows, []string{r.Term, fmtOpt(r.Chisq), strconv.Itoa(r.DF), fmtOpt(r.PValue)})
	}
	return &Section{Title: "Proportional-hazards check (cox.zph)",
		Paragraphs: []string{fmt.Sprintf("Score test of a time-varying coefficient on %s-transformed time for each term and jointly (GLOBAL); a small p-value says the hazard ratio changes over time. Residuals: schoenfeld.csv.", sec.Transform)},
		Tables:     []SectionTable{t}}, nil
}

// piecewiseMethod: a separate treatment hazard ratio within each interval
// between the plan's cut points, as survSplit + coxph(... +
// TRTP:strata(tgroup)).
var piecewiseMethod = &Method{
	RCode: func(c schema.Conventions) string {
		return "s <- survSplit(Surv(AVAL, CNSR == 0) ~ ., data = d, cut = c(" + c.Options["piecewise"] + "), episode = \"tgroup\")\ncoxph(Surv(tstart, AVAL, event) ~ TRTP:strata(tgroup), data = s)\n"
	},
	Name:        "piecewise",
	Summary:     "treatment hazard ratio within time intervals (piecewise.csv)",
	Comparative: true,
	Options: []Option{{Name: "piecewise", Selects: true,
		Usage: "comma-separated increasing cut points in days, e.g. 1,7 for (0,1], (1,7], (7,inf)"}},
	Configure: func(set Settings) (Analysis, error) {
		s, ok := set["piecewise"]
		if !ok {
			return nil, fmt.Errorf("piecewise needs its cut points: give -piecewise or analysis.piecewise, e.g. 1,7")
		}
		var cuts []float64
		for _, f := range splitList(s.Value) {
			v, err := strconv.ParseFloat(f, 64)
			if err != nil || math.IsNaN(v) || math.IsInf(v, 0) || v <= 0 {
				return nil, set.Errorf("piecewise", "%q is not a time in days > 0", f)
			}
			cuts = append(cuts, v)
		}
		if len(cuts) == 0 || !slices.IsSorted(cuts) || len(slices.Compact(slices.Clone(cuts))) != len(cuts) {
			return nil, set.Errorf("piecewise", "the cut points must be strictly increasing")
		}
		return piecewiseAnalysis{cuts: cuts}, nil
	},
	Tables: []Table{{File: "piecewise.csv", Header: []string{"paramcd", "arm", "reference", "lower", "upper", "events", "coef", "se", "hr", "hr_lower", "hr_upper", "p_value"}, Rows: piecewiseRows}},
	Methods: func(res *schema.Results) string {
		return "Hazard ratios within time intervals were estimated by splitting follow-up at the plan's cut points and fitting a Cox model with a treatment effect per interval (R survSplit and coxph with TRTP:strata(tgroup))."
	},
	Report: piecewiseReport,
}

type piecewiseAnalysis struct{ cuts []float64 }

func (a piecewiseAnalysis) Run(ctx *Context, ep *schema.Endpoint) error {
	if len(ctx.Arms) != 2 {
		ctx.Flag(schema.StatusNotEstimable, fmt.Sprintf("piecewise hazard ratios compare two arms; %s has %d", ctx.Paramcd, len(ctx.Arms)))
		return nil
	}
	opt := ctx.Options
	m, err := ctx.Design(opt.Covariates, opt.Strata, opt.Settings["cluster"].Value)
	if err != nil {
		return err
	}
	time, event := gather(ctx.Table.AVAL, m.Rows), gather(ctx.Table.Event, m.Rows)
	// m.X[0] is the treatment dummy (two arms); the rest are covariates.
	pw, err := cox.Piecewise(time, event, m.X[0], m.Columns[0].Name, m.X[1:], m.Names()[1:], m.Strata, a.cuts, ctx.coxOptions(m))
	if err != nil {
		ctx.Flag(schema.StatusNotEstimable, fmt.Sprintf("piecewise Cox model not fitted: %v", err))
		return nil
	}
	sec := schema.PiecewiseSection{Cuts: a.cuts, Arm: m.Columns[0].Level, Reference: m.Columns[0].Reference, Status: pw.Fit.Status}
	if pw.Fit.Status != cox.StatusOK {
		ctx.Flag(schema.Status(pw.Fit.Status), fmt.Sprintf("piecewise Cox model: %v", pw.Fit.Messages))
	}
	for _, iv := range pw.Intervals {
		sec.Intervals = append(sec.Intervals, schema.PiecewiseRow{Lower: iv.Lower, Upper: finite(iv.Upper), Events: iv.Events, Coef: finite(iv.Coef), SE: finite(iv.SE),
			HR: finite(iv.HR), HRLower: finite(iv.HRLower), HRUpper: finite(iv.HRUpper), PValue: finite(iv.P)})
	}
	ep.SetSection("piecewise", sec)
	return nil
}

func piecewiseRows(ep *schema.Endpoint, emit func(...string)) error {
	var sec schema.PiecewiseSection
	if ok, err := ep.Section("piecewise", &sec); !ok || err != nil {
		return err
	}
	for _, r := range sec.Intervals {
		emit(ep.Paramcd, sec.Arm, sec.Reference, num(r.Lower), optNum(r.Upper), strconv.Itoa(r.Events), optNum(r.Coef), optNum(r.SE), optNum(r.HR), optNum(r.HRLower), optNum(r.HRUpper), optNum(r.PValue))
	}
	return nil
}

func piecewiseReport(ep *schema.Endpoint, res *schema.Results) (*Section, error) {
	var sec schema.PiecewiseSection
	if ok, err := ep.Section("piecewise", &sec); !ok || err != nil {
		return nil, err
	}
	t := SectionTable{Header: []string{"Interval (days)", "Events", "HR " + sec.Arm + " vs " + sec.Reference, confLabel(res), "p"}}
	for _, r := range sec.Intervals {
		hi := "∞"
		if r.Upper != nil {
			hi = fmtNum(*r.Upper)
		}
		t.Rows = append(t.Rows, []string{"(" + fmtNum(r.Lower) + ", " + hi + "]", strconv.Itoa(r.Events), fmtOpt(r.HR), fmtCI(r.HRLower, r.HRUpper), fmtOpt(r.PValue)})
	}
	return &Section{Title: "Piecewise hazard ratios", Paragraphs: []string{"A separate treatment hazard ratio within each interval of follow-up: an early effect of a fast-acting drug shows as a hazard ratio that changes between intervals."}, Tables: []SectionTable{t}}, nil
}

// orDefault returns s, or def when s is empty.
func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}
