package fit

import (
	"fmt"
	"math"
	"slices"
	"strconv"

	"github.com/ketcurves/ketcurves/pipeline/km"
	"github.com/ketcurves/ketcurves/pipeline/schema"
)

// milestonesMethod: the proportion with the event by given times per arm
// (1 − KM, with the CI of the analysis's transform), and each arm versus
// the reference arm by difference and ratio (Wald, Greenwood variances).
var milestonesMethod = &Method{
	RCode: func(c schema.Conventions) string {
		return "summary(km, times = c(" + c.Options["milestones"] + "))  # 1 - surv is the milestone rate\n"
	},
	Name:        "milestones",
	Summary:     "proportion with the event by given times per arm, differences and ratios (milestones.csv)",
	Comparative: false,
	Options: []Option{{Name: "milestones", Selects: true,
		Usage: "comma-separated milestone times in days, e.g. 0.1667,1,7,42 (4 h, 24 h, day 7, week 6)"}},
	Configure: configureMilestones,
	Tables:    []Table{{File: "milestones.csv", Header: []string{"paramcd", "time", "arm", "reference", "measure", "n_risk", "estimate", "std_err", "lower", "upper", "p_value", "method", "status"}, Rows: milestoneRows}},
	Methods: func(res *schema.Results) string {
		return "Milestone rates (the proportion with the event by each milestone time, 1 − S(t) from Kaplan–Meier) were compared between arms by their difference and ratio, with Greenwood variances and Wald intervals (the ratio on the log scale)."
	},
	Report: milestonesReport,
}

type milestonesAnalysis struct{ times []float64 }

func configureMilestones(set Settings) (Analysis, error) {
	s, ok := set["milestones"]
	if !ok {
		return nil, fmt.Errorf("milestones needs its times: give -milestones or analysis.milestones, e.g. 0.1667,1,7,42")
	}
	var a milestonesAnalysis
	for _, f := range splitList(s.Value) {
		v, err := strconv.ParseFloat(f, 64)
		if err != nil || math.IsNaN(v) || math.IsInf(v, 0) || v <= 0 {
			return nil, set.Errorf("milestones", "%q is not a time in days > 0", f)
		}
		a.times = append(a.times, v)
	}
	if len(a.times) == 0 || !slices.IsSorted(a.times) {
		return nil, set.Errorf("milestones", "give one or more increasing times in days")
	}
	return a, nil
}

func (a milestonesAnalysis) Run(ctx *Context, ep *schema.Endpoint) error {
	var rows []schema.MilestoneRow
	for _, t := range a.times {
		for i, arm := range ctx.Arms {
			c, err := ctx.curve(i)
			if err != nil {
				return err
			}
			m, err := c.Milestone(t)
			if err != nil {
				return err
			}
			if m.Status == km.StatusBeyondFollowUp {
				ctx.Flag(schema.StatusBeyondFollowUp, fmt.Sprintf("milestone %s days is after the last observation of arm %s: no rate is reported", fmtNum(t), arm))
			}
			rows = append(rows, schema.MilestoneRow{Time: t, Arm: arm, Measure: "rate", NRisk: m.NRisk, Estimate: finite(m.Rate), StdErr: finite(m.StdErr),
				Lower: finite(m.Lower), Upper: finite(m.Upper), Method: "1 - Kaplan-Meier, " + string(ctx.Options.ConfType) + " CI", Status: m.Status})
			if i == ctx.Control || len(ctx.Arms) < 2 {
				continue
			}
			ref, _ := ctx.curve(ctx.Control)
			cmp, err := km.CompareMilestone(ref, c, t)
			if err != nil {
				return err
			}
			for _, k := range []struct {
				name string
				c    km.Contrast
			}{{"difference", cmp.Difference}, {"ratio", cmp.Ratio}} {
				rows = append(rows, schema.MilestoneRow{Time: t, Arm: arm, Reference: ctx.Arms[ctx.Control], Measure: k.name, Estimate: finite(k.c.Estimate),
					StdErr: finite(k.c.SE), Lower: finite(k.c.Lower), Upper: finite(k.c.Upper), PValue: finite(k.c.P), Method: k.c.Method, Status: k.c.Status})
			}
		}
	}
	ep.SetSection("milestones", rows)
	return nil
}

func milestoneRows(ep *schema.Endpoint, emit func(...string)) error {
	var rows []schema.MilestoneRow
	if ok, err := ep.Section("milestones", &rows); !ok || err != nil {
		return err
	}
	for _, r := range rows {
		emit(ep.Paramcd, num(r.Time), r.Arm, r.Reference, r.Measure, strconv.Itoa(r.NRisk), optNum(r.Estimate), optNum(r.StdErr), optNum(r.Lower), optNum(r.Upper), optNum(r.PValue), r.Method, r.Status)
	}
	return nil
}

func milestonesReport(ep *schema.Endpoint, res *schema.Results) (*Section, error) {
	var rows []schema.MilestoneRow
	if ok, err := ep.Section("milestones", &rows); !ok || err != nil {
		return nil, err
	}
	t := SectionTable{Header: []string{"Time (days)", "Arm", "Measure", "vs", "Estimate", confLabel(res), "p", "Status"}}
	for _, r := range rows {
		t.Rows = append(t.Rows, []string{fmtNum(r.Time), r.Arm, r.Measure, r.Reference, fmtOpt(r.Estimate), fmtCI(r.Lower, r.Upper), fmtOpt(r.PValue), r.Status})
	}
	return &Section{Title: "Milestone rates", Paragraphs: []string{"Proportion with the event by each milestone time (1 − Kaplan–Meier), and each arm against the reference arm."}, Tables: []SectionTable{t}}, nil
}
