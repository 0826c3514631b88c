package fit

import (
	"fmt"
	"math"
	"strings"

	"github.com/ketcurves/ketcurves/pipeline/adam"
	"github.com/ketcurves/ketcurves/pipeline/cox"
	"github.com/ketcurves/ketcurves/pipeline/km"
	"github.com/ketcurves/ketcurves/pipeline/schema"
)

// crossConventionsMethod re-estimates the key numbers of an endpoint — each
// arm's median with its CI, the treatment hazard ratios with CIs and the
// Cox tests — under R survival's defaults (log CI, Efron ties, first
// categorical level) and SAS's (log-log CI, Breslow ties, last categorical
// level), side by side with their relative difference, and flags every
// conclusion that changes between them. The reference arm is the
// analysis's in both.
var crossConventionsMethod = &Method{
	Name:    "cross_conventions",
	Summary: "key estimates under R's and SAS's default conventions side by side, with changed conclusions flagged (cross_conventions.csv); default up to 100,000 rows",
	// It refits the Cox model under the other profile: on large tables
	// that doubles the cost of the models, so it is a default only up to
	// crossConventionsRows rows (select it with -methods on any size).
	DefaultWhen: func(t *adam.ADTTE, _ Options) bool { return t.Len() <= crossConventionsRows },
	Configure:   func(Settings) (Analysis, error) { return AnalysisFunc(runCrossConventions), nil },
	Tables: []Table{{File: "cross_conventions.csv",
		Header: []string{"paramcd", "quantity", "r", "r_lower", "r_upper", "sas", "sas_lower", "sas_upper", "rel_diff", "changes"},
		Rows:   crossConventionRows}},
	Methods: func(res *schema.Results) string {
		return "As a check on conventions, each median, hazard ratio and Cox test was also computed under R survival's defaults (log confidence intervals, Efron ties, first categorical level) and SAS's (log-log intervals, Breslow ties, last categorical level); conclusions that differ between the two are flagged."
	},
	Report: crossConventionsReport,
}

// crossConventionsRows is the largest table on which cross_conventions runs
// by default.
const crossConventionsRows = 100_000

// profileEstimates are the key estimates under one profile, by quantity.
type profileEstimates map[string][3]float64 // estimate, lower, upper

func runCrossConventions(ctx *Context, ep *schema.Endpoint) error {
	var order []string
	est := map[string]profileEstimates{}
	for _, profile := range []string{ProfileR, ProfileSAS} {
		e, names, err := estimatesUnder(ctx, profile)
		if err != nil {
			return err
		}
		est[profile] = e
		if order == nil {
			order = names
		}
	}
	var rows []schema.ConventionRow
	for _, q := range order {
		r, s := est[ProfileR][q], est[ProfileSAS][q]
		row := schema.ConventionRow{Quantity: q, R: finite(r[0]), RLower: finite(r[1]), RUpper: finite(r[2]),
			SAS: finite(s[0]), SASLower: finite(s[1]), SASUpper: finite(s[2])}
		row.RelDiff = finite(maxRelDiff(r, s))
		row.Changes = changedConclusion(q, r, s)
		rows = append(rows, row)
	}
	ep.SetSection("cross_conventions", rows)
	return nil
}

// estimatesUnder computes the key estimates of the endpoint under a
// profile's defaults, on a context of its own (nothing is shared with the
// main analyses, whose options may differ).
func estimatesUnder(ctx *Context, profile string) (profileEstimates, []string, error) {
	opt := ctx.Options
	opt.Profile = profile
	opt.ConfType, opt.Ties = km.Log, cox.Efron
	if profile == ProfileSAS {
		opt.ConfType, opt.Ties = km.LogLog, cox.Breslow
	}
	sub := &Context{Table: ctx.Table, File: ctx.File, Paramcd: ctx.Paramcd, Rows: ctx.Rows, Arms: ctx.Arms, Control: ctx.Control,
		Group: ctx.Group, Options: opt, ep: &schema.Endpoint{}, statuses: map[schema.Status]bool{}}
	e := profileEstimates{}
	var names []string
	put := func(q string, v, lo, hi float64) {
		e[q] = [3]float64{v, lo, hi}
		names = append(names, q)
	}
	for a, arm := range ctx.Arms {
		c, err := sub.curve(a)
		if err != nil {
			return nil, nil, err
		}
		q := c.Quantile(0.5)
		put("median "+arm, q.Time, q.Lower, q.Upper)
	}
	if len(ctx.Arms) < 2 {
		return e, names, nil
	}
	fc, err := sub.coxModel()
	if err != nil {
		return nil, nil, err
	}
	if r := fc.result; r != nil && r.Status == cox.StatusOK {
		for j, name := range r.Names {
			if strings.HasPrefix(name, "TRTP:") {
				put("HR "+name, r.HR[j], r.HRLower[j], r.HRUpper[j])
			}
		}
		put("p cox_wald", r.Wald.P, math.NaN(), math.NaN())
		put("p cox_score", r.Score.P, math.NaN(), math.NaN())
	}
	return e, names, nil
}

// maxRelDiff is the largest relative difference between a and b over the
// defined elements; NaN when none is defined in both.
func maxRelDiff(a, b [3]float64) float64 {
	d := math.NaN()
	for i := range a {
		if math.IsNaN(a[i]) || math.IsNaN(b[i]) || math.IsInf(a[i], 0) || math.IsInf(b[i], 0) {
			continue
		}
		den := math.Max(math.Abs(a[i]), math.Abs(b[i]))
		r := 0.0
		if den > 0 {
			r = math.Abs(a[i]-b[i]) / den
		}
		if math.IsNaN(d) || r > d {
			d = r
		}
	}
	return d
}

// changedConclusion says which conclusion differs between the profiles.
func changedConclusion(q string, r, s [3]float64) string {
	switch {
	case strings.HasPrefix(q, "HR "):
		ex := func(v [3]float64) bool { return v[1] > 1 || v[2] < 1 }
		if ex(r) != ex(s) {
			return "CI excludes 1 under one profile only"
		}
	case strings.HasPrefix(q, "p "):
		if (r[0] < 0.05) != (s[0] < 0.05) {
			return "p on opposite sides of 0.05"
		}
	case strings.HasPrefix(q, "median "):
		if math.IsNaN(r[2]) != math.IsNaN(s[2]) {
			return "upper CI limit reached under one profile only"
		}
	}
	return ""
}

func crossConventionRows(ep *schema.Endpoint, emit func(...string)) error {
	var rows []schema.ConventionRow
	if ok, err := ep.Section("cross_conventions", &rows); !ok || err != nil {
		return err
	}
	for _, r := range rows {
		emit(ep.Paramcd, r.Quantity, optNum(r.R), optNum(r.RLower), optNum(r.RUpper), optNum(r.SAS), optNum(r.SASLower), optNum(r.SASUpper), optNum(r.RelDiff), r.Changes)
	}
	return nil
}

func crossConventionsReport(ep *schema.Endpoint, res *schema.Results) (*Section, error) {
	var rows []schema.ConventionRow
	if ok, err := ep.Section("cross_conventions", &rows); !ok || err != nil {
		return nil, err
	}
	t := SectionTable{Header: []string{"Estimate", "R defaults", "SAS defaults", "Relative difference", "Conclusion"}}
	changed := 0
	for _, r := range rows {
		with := func(v, lo, hi *float64) string {
			if lo == nil && hi == nil {
				return fmtOpt(v)
			}
			return fmtOpt(v) + " (" + fmtCI(lo, hi) + ")"
		}
		concl := "same"
		if r.Changes != "" {
			concl = "⚠ " + r.Changes
			changed++
		}
		t.Rows = append(t.Rows, []string{r.Quantity, with(r.R, r.RLower, r.RUpper), with(r.SAS, r.SASLower, r.SASUpper), fmtOpt(r.RelDiff), concl})
	}
	summary := "No conclusion changes between R's and SAS's default conventions."
	if changed > 0 {
		summary = fmt.Sprintf("⚠ %d conclusion(s) change between R's and SAS's default conventions: read them with the convention the analysis plan pre-specified.", changed)
	}
	return &Section{Title: "Cross-convention check: R versus SAS defaults",
		Paragraphs: []string{"R defaults: log CI, Efron ties, first categorical level; SAS defaults: log-log CI, Breslow ties, last categorical level. The reference arm is the analysis's in both.", summary},
		Tables:     []SectionTable{t}}, nil
}
