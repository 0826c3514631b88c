package fit

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/ketcurves/ketcurves/pipeline/adam"
	"github.com/ketcurves/ketcurves/pipeline/design"
	"github.com/ketcurves/ketcurves/pipeline/icens"
	"github.com/ketcurves/ketcurves/pipeline/schema"
)

// turnbullMethod: the Turnbull NPMLE per arm from the visit intervals
// (ILOWER, IUPPER] that cmd/derive records, as survfit(Surv(L, R, type =
// "interval2") ~ TRTP), and the interval-censored log-rank test of Sun
// (1996) (ic_logrank in tests.csv). It runs by default when the table has
// ILOWER and IUPPER columns.
var turnbullMethod = &Method{
	RCode: func(c schema.Conventions) string {
		return "ic <- with(d, data.frame(L = ifelse(CNSR == 0, ifelse(is.na(ILOWER), 0, ILOWER), AVAL), R = ifelse(CNSR == 0, IUPPER, NA), TRTP))\nsurvfit(Surv(L, R, type = \"interval2\") ~ TRTP, data = ic)\n"
	},
	Name:        "turnbull",
	Summary:     "Turnbull NPMLE per arm from (ILOWER, IUPPER] and the interval-censored log-rank test (turnbull.csv; ic_logrank in tests.csv); default when the table has ILOWER and IUPPER",
	DefaultWhen: func(t *adam.ADTTE, _ Options) bool { return hasColumns(t, "ILOWER", "IUPPER") },
	Configure:   func(Settings) (Analysis, error) { return AnalysisFunc(runTurnbull), nil },
	Tables:      []Table{{File: "turnbull.csv", Header: []string{"paramcd", "arm", "lower", "upper", "mass", "surv"}, Rows: turnbullRows}},
	Methods: func(res *schema.Results) string {
		return "Because response and relapse are seen only at visits, each event time is known to lie between the last visit without and the first visit with the event (ILOWER, IUPPER]; the Turnbull nonparametric maximum-likelihood estimate (R survfit with Surv(L, R, type = \"interval2\")) and Sun's interval-censored log-rank test (the interval package's ictest, scores logrank1) use these intervals instead of treating the visit day as exact."
	},
	Report: turnbullReport,
}

func hasColumns(t *adam.ADTTE, names ...string) bool {
	for _, n := range names {
		if !t.Has(n) {
			return false
		}
	}
	return true
}

// intervals returns the (lower, upper] of the endpoint's rows from ILOWER
// and IUPPER; errors name the file, line and column.
func (c *Context) intervals() (lower, upper []float64, err error) {
	if !hasColumns(c.Table, "ILOWER", "IUPPER") {
		return nil, nil, fmt.Errorf("%s has no ILOWER and IUPPER columns: the interval-censored analyses need the visit interval of each event (cmd/derive writes them)", c.File)
	}
	n := len(c.Rows)
	lo, hi, cnsr := make([]float64, n), make([]float64, n), make([]int, n)
	for k, i := range c.Rows {
		for _, col := range []struct {
			name string
			dst  []float64
		}{{"ILOWER", lo}, {"IUPPER", hi}} {
			raw := c.Table.Extra[col.name].At(i)
			col.dst[k] = math.NaN()
			if design.IsMissing(raw) {
				continue
			}
			v, perr := strconv.ParseFloat(strings.TrimSpace(raw), 64)
			if perr != nil || math.IsInf(v, 0) || math.IsNaN(v) {
				return nil, nil, fmt.Errorf("%s: line %d, column %s: %q is not a finite number of days", c.File, c.Table.Line.At(i), col.name, raw)
			}
			col.dst[k] = v
		}
		if !c.Table.Event[i] {
			cnsr[k] = 1
		}
	}
	lower, upper, err = icens.FromADTTE(gather(c.Table.AVAL, c.Rows), lo, hi, cnsr)
	if err != nil {
		// The error names the row of the endpoint: turn it into the line.
		var row int
		if _, serr := fmt.Sscanf(err.Error(), "ADTTE row %d:", &row); serr == nil && row < n {
			return nil, nil, fmt.Errorf("%s: line %d: %w", c.File, c.Table.Line.At(c.Rows[row]), err)
		}
		return nil, nil, fmt.Errorf("%s: %w", c.File, err)
	}
	return lower, upper, nil
}

func runTurnbull(ctx *Context, ep *schema.Endpoint) error {
	lower, upper, err := ctx.intervals()
	if err != nil {
		return err
	}
	if e := ctx.Entry(); e != nil && slices.ContainsFunc(e, func(v float64) bool { return v > 0 }) {
		ctx.Note("Turnbull: delayed entry (ENTRY) is not used by the interval-censored estimate")
	}
	var sec schema.TurnbullSection
	for a, arm := range ctx.Arms {
		var lo, hi []float64
		for k := range ctx.Rows {
			if ctx.Group[k] == a {
				lo, hi = append(lo, lower[k]), append(hi, upper[k])
			}
		}
		f, err := icens.Turnbull(lo, hi, icens.Options{})
		if err != nil {
			ctx.Flag(schema.StatusNotEstimable, fmt.Sprintf("Turnbull estimate of arm %s not computed: %v", arm, err))
			continue
		}
		if f.Status == icens.NotConverged {
			ctx.Flag(schema.StatusNotConverged, fmt.Sprintf("Turnbull estimate of arm %s did not converge in %d iterations", arm, f.Iterations))
		}
		ta := schema.TurnbullArm{Arm: arm, N: f.N, Status: f.Status.String(), Iterations: f.Iterations}
		for j := range f.Mass {
			ta.Intervals = append(ta.Intervals, schema.TurnbullRow{Lower: f.Lower[j], Upper: finite(f.Upper[j]), Mass: f.Mass[j], Surv: f.Surv[j]})
		}
		for _, p := range Quantiles {
			q := f.Quantile(p)
			it := schema.IntervalTime{Prob: p}
			if q.Reached {
				it.Time, it.Lower, it.Upper = finite(q.Time), finite(q.Lower), finite(q.Upper)
			}
			ta.Quantiles = append(ta.Quantiles, it)
		}
		sec.Arms = append(sec.Arms, ta)
	}
	ep.SetSection("turnbull", sec)
	if len(ctx.Arms) >= 2 {
		tr, err := icens.WeightedLogrank(lower, upper, ctx.Group, len(ctx.Arms), icens.LogrankSun, icens.Options{})
		if err != nil || !allFinite(tr.Chisq, tr.P) {
			ctx.Flag(schema.StatusNotEstimable, fmt.Sprintf("interval-censored log-rank test not computed: %v", err))
			return nil
		}
		ep.Tests = append(ep.Tests, schema.TestRow{Test: "ic_logrank", Statistic: tr.Chisq, DF: tr.DF, PValue: tr.P, N: len(ctx.Rows)})
	}
	return nil
}

func turnbullRows(ep *schema.Endpoint, emit func(...string)) error {
	var sec schema.TurnbullSection
	if ok, err := ep.Section("turnbull", &sec); !ok || err != nil {
		return err
	}
	for _, a := range sec.Arms {
		for _, r := range a.Intervals {
			emit(ep.Paramcd, a.Arm, num(r.Lower), optNum(r.Upper), num(r.Mass), num(r.Surv))
		}
	}
	return nil
}

func turnbullReport(ep *schema.Endpoint, res *schema.Results) (*Section, error) {
	var sec schema.TurnbullSection
	if ok, err := ep.Section("turnbull", &sec); !ok || err != nil {
		return nil, err
	}
	out := &Section{Title: "Visit intervals: Turnbull estimate"}
	icMedian := map[string]string{}
	icDist := ""
	if ic, ok, _ := aftSection(ep, "ic_aft"); ok {
		for _, m := range ic.Models {
			if m.Dist != ic.Best {
				continue
			}
			icDist = m.Dist
			for _, q := range m.Quantiles {
				if q.Quantile == 0.5 {
					icMedian[q.Arm] = fmtOpt(q.Time) + " (" + fmtCI(q.Lower, q.Upper) + ")"
				}
			}
		}
	}
	header := []string{"Arm", "KM median (visit day as exact)", "Turnbull median", "Turnbull median interval"}
	if icDist != "" {
		header = append(header, "Interval-censored "+icDist+" AFT median ("+confLabel(res)+")")
	}
	t := SectionTable{Header: header}
	for _, a := range sec.Arms {
		km := "not reached"
		for _, q := range ep.Quantiles {
			if q.Arm == a.Arm && q.Quantile == 0.5 && q.Time != nil {
				km = fmtNum(*q.Time)
			}
		}
		tb, iv := "not reached", ""
		for _, q := range a.Quantiles {
			if q.Prob == 0.5 && q.Time != nil {
				tb, iv = fmtNum(*q.Time), "["+fmtOpt(q.Lower)+", "+fmtOpt(q.Upper)+"]"
			}
		}
		row := []string{a.Arm, km, tb, iv}
		if icDist != "" {
			row = append(row, icMedian[a.Arm])
		}
		t.Rows = append(t.Rows, row)
	}
	out.Paragraphs = []string{"The Kaplan–Meier curve dates each event at the visit where it was first seen; the event happened at some time since the previous visit. The Turnbull estimate uses that interval: where its median is earlier than the KM median, treating the visit day as exact made the drug look slower than it is, by up to the gap between visits."}
	for _, tr := range ep.Tests {
		if tr.Test == "ic_logrank" {
			out.Paragraphs = append(out.Paragraphs, fmt.Sprintf("Interval-censored log-rank test (Sun 1996): chi-square %s on %d df, p = %s.", fmtNum(tr.Statistic), tr.DF, fmtNum(tr.PValue)))
		}
	}
	out.Tables = []SectionTable{t}
	return out, nil
}
