package fit

import (
	"fmt"
	"strconv"

	"github.com/ketcurves/ketcurves/pipeline/schema"
)

// nelsonAalenMethod: the Nelson–Aalen cumulative hazard per arm with the
// Aalen standard error, as survfit(..., ctype = 1)'s cumhaz and std.chaz;
// the CI is log-transformed (H exp(±z se/H)), plain with conf_type plain.
var nelsonAalenMethod = &Method{
	RCode: func(c schema.Conventions) string {
		return "na <- survfit(Surv(AVAL, CNSR == 0) ~ TRTP, data = d, ctype = 1)\nsummary(na)$cumhaz; summary(na)$std.chaz\n"
	},
	Name:      "nelson_aalen",
	Summary:   "Nelson-Aalen cumulative hazard per arm, Aalen SE and CI (nelson_aalen.csv)",
	Default:   true,
	Configure: func(Settings) (Analysis, error) { return AnalysisFunc(runNelsonAalen), nil },
	Tables:    []Table{{File: "nelson_aalen.csv", Header: []string{"paramcd", "arm", "time", "n_risk", "n_event", "cumhaz", "std_err", "lower", "upper"}, Rows: nelsonAalenRows}},
	Methods: func(res *schema.Results) string {
		return "Cumulative hazards were estimated by Nelson–Aalen with the Aalen variance (R survfit with ctype = 1), with log-transformed confidence intervals (plain with conf_type plain)."
	},
	Report: nelsonAalenReport,
}

func runNelsonAalen(ctx *Context, ep *schema.Endpoint) error {
	var rows schema.CumHazRows
	for a, arm := range ctx.Arms {
		c, err := ctx.curve(a)
		if err != nil {
			return fmt.Errorf("could not estimate the Kaplan-Meier curve of arm %s: %w", arm, err)
		}
		h := c.NelsonAalen()
		for j := range h.Time {
			rows = append(rows, schema.CumHazRow{Arm: arm, Time: h.Time[j], NRisk: h.NRisk[j], NEvent: h.NEvent[j],
				CumHaz: h.CumHaz[j], StdErr: h.StdErr[j], Lower: finite(h.Lower[j]), Upper: finite(h.Upper[j])})
		}
	}
	ep.SetSection("nelson_aalen", rows)
	return nil
}

func nelsonAalenRows(ep *schema.Endpoint, emit func(...string)) error {
	var rows schema.CumHazRows
	if _, err := ep.Section("nelson_aalen", &rows); err != nil {
		return err
	}
	for _, r := range rows {
		emit(ep.Paramcd, r.Arm, num(r.Time), strconv.Itoa(r.NRisk), strconv.Itoa(r.NEvent), num(r.CumHaz), num(r.StdErr), optNum(r.Lower), optNum(r.Upper))
	}
	return nil
}

// nelsonAalenReport shows each arm's cumulative hazard at its last time.
func nelsonAalenReport(ep *schema.Endpoint, res *schema.Results) (*Section, error) {
	var rows schema.CumHazRows
	if ok, err := ep.Section("nelson_aalen", &rows); !ok || err != nil {
		return nil, err
	}
	last := map[string]schema.CumHazRow{}
	var order []string
	for _, r := range rows {
		if _, ok := last[r.Arm]; !ok {
			order = append(order, r.Arm)
		}
		last[r.Arm] = r
	}
	sec := &Section{Title: "Nelson–Aalen cumulative hazard",
		Paragraphs: []string{"Cumulative hazard H(t) at each arm's last observed time; the whole curve is in nelson_aalen.csv."}}
	t := SectionTable{Header: []string{"Arm", "Last time (days)", "H(t)", "SE", confLabel(res)}}
	for _, a := range order {
		r := last[a]
		t.Rows = append(t.Rows, []string{a, fmtNum(r.Time), fmtNum(r.CumHaz), fmtNum(r.StdErr), fmtCI(r.Lower, r.Upper)})
	}
	sec.Tables = []SectionTable{t}
	return sec, nil
}

// fmtNum formats a number for a report table with 4 significant digits.
func fmtNum(v float64) string { return strconv.FormatFloat(v, 'g', 4, 64) }

// fmtOpt formats an optional number; nil is "NA".
func fmtOpt(v *float64) string {
	if v == nil {
		return "NA"
	}
	return fmtNum(*v)
}

// fmtCI formats an interval "lower–upper", "NA" when undefined.
func fmtCI(lo, hi *float64) string { return fmtOpt(lo) + " to " + fmtOpt(hi) }

func confLabel(res *schema.Results) string {
	return strconv.FormatFloat(100*res.Conventions.ConfLevel, 'g', -1, 64) + "% CI"
}
