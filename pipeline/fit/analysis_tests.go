package fit

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/ketcurves/ketcurves/pipeline/logrank"
	"github.com/ketcurves/ketcurves/pipeline/schema"
)

// testsMethod: the k-sample log-rank test and the weighted tests of its
// family (stratified with strata, with delayed entry when the table has
// ENTRY) on every row of the endpoint, as survdiff(Surv(AVAL, 1 - CNSR) ~
// TRTP + strata(S), rho = ρ); rows with a missing stratum are left out of
// a stratified test and counted. MaxCombo (two arms) takes the largest of
// the standardized G(0,0), G(1,0), G(0,1) and G(1,1) statistics.
var testsMethod = &Method{
	Name:        "tests",
	Summary:     "log-rank and weighted log-rank tests (Fleming-Harrington, Peto-Peto, Gehan, Tarone-Ware, MaxCombo), stratified with strata (tests.csv)",
	Default:     true,
	Comparative: true,
	Options: []Option{{Name: "tests", Selects: true,
		Usage: "comma-separated tests: " + logrank.TestNames + " (default logrank)"}},
	Configure: configureTests,
	Tables:    []Table{{File: TestsFile, Header: TestsHeader, Rows: testRows}},
	Methods: func(res *schema.Results) string {
		names := res.Conventions.Options["tests"]
		if names == "" || names == "logrank" {
			return ""
		}
		return "Besides the log-rank test, the weighted tests " + names + " were computed (Fleming–Harrington G(ρ,γ) with weight S(t−)^ρ(1−S(t−))^γ of the pooled Kaplan–Meier curve, as survdiff's rho; peto_peto is SAS's TEST=PETO, Gehan's weight n, Tarone–Ware's √n; MaxCombo takes the largest |Z| of G(0,0), G(1,0), G(0,1), G(1,1) with its p-value from their joint normal distribution, Lin et al. 2020)."
	},
	RCode: func(c schema.Conventions) string {
		return "survdiff(Surv(AVAL, CNSR == 0) ~ TRTP, data = d, rho = 1)  # fh:1:0; other weights: see pipeline/logrank/testdata/make_weighted_reference.R\n"
	},
}

// TestsFile and TestsHeader name and head tests.csv. The Cox tests
// (cox_wald, cox_lr, cox_score) are written here too, by the cox method.
const TestsFile = "tests.csv"

var TestsHeader = []string{"paramcd", "test", "statistic", "df", "p_value"}

type testsAnalysis struct{ tests []logrank.Test }

func configureTests(set Settings) (Analysis, error) {
	a := testsAnalysis{tests: []logrank.Test{{}}}
	if s, ok := set["tests"]; ok {
		a.tests = nil
		for _, n := range splitList(s.Value) {
			t, err := logrank.ParseTest(n)
			if err != nil {
				return nil, set.Errorf("tests", "%v", err)
			}
			a.tests = append(a.tests, t)
		}
		if len(a.tests) == 0 {
			return nil, set.Errorf("tests", "no test named: use %s", logrank.TestNames)
		}
	}
	return a, nil
}

// Prepare computes the tests ahead when they need no design (no strata):
// the sort of the pooled times then runs while the curves are fitted.
func (a testsAnalysis) Prepare(ctx *Context) {
	if ctx.Options.Strata == "" {
		_, _ = a.weighted(ctx, a.data(ctx, ctx.Rows, ctx.Group, nil))
	}
}

// data returns the test data of the given rows, their arms and strata.
func (a testsAnalysis) data(ctx *Context, rows, group, strata []int) logrank.Data {
	d := logrank.Data{Time: gather(ctx.Table.AVAL, rows), Event: gather(ctx.Table.Event, rows), Group: group, K: len(ctx.Arms), Strata: strata}
	if ctx.Table.Entry != nil {
		if e := gather(ctx.Table.Entry, rows); slices.ContainsFunc(e, func(v float64) bool { return v > 0 }) {
			d.Entry = e
		}
	}
	return d
}

// weights returns the weights of the tests, the log-rank test first: it
// always runs, its observed and expected counts being the arms' (the
// report's Subjects and events table).
func (a testsAnalysis) weights() []logrank.Weight {
	weights := []logrank.Weight{{}}
	for _, t := range a.tests {
		if !t.MaxCombo && t.Weight != (logrank.Weight{}) {
			weights = append(weights, t.Weight)
		}
	}
	return weights
}

// weighted returns the weighted tests of d, computed once per endpoint.
func (a testsAnalysis) weighted(ctx *Context, d logrank.Data) ([]*logrank.Result, error) {
	return Shared(ctx, "tests:weighted", func() ([]*logrank.Result, error) { return logrank.Weighted(d, a.weights()...) })
}

func (a testsAnalysis) Run(ctx *Context, ep *schema.Endpoint) error {
	rows, group := ctx.Rows, ctx.Group
	var strata []int
	if s := ctx.Options.Strata; s != "" {
		m, err := ctx.Design(nil, s, "")
		if err != nil {
			return err
		}
		if m.DroppedTotal > 0 {
			ctx.Note(droppedMessage(m, "the stratified tests"))
		}
		rows, group, strata = m.Rows, ctx.groupsOf(m.Rows), m.Strata
	}
	d := a.data(ctx, rows, group, strata)
	weights := a.weights()
	results, err := a.weighted(ctx, d)
	switch {
	case err != nil:
		ctx.Flag(failureStatus(d.Event, d.Group, d.K), fmt.Sprintf("log-rank test not computed: %v", err))
		return nil
	case !finiteLogRank(results[0]):
		lr := results[0]
		ctx.Flag(schema.StatusNotEstimable, fmt.Sprintf("log-rank test not reported: chi-square %v, p-value %v, observed %v, expected %v: not all finite", lr.Chisq, lr.P, lr.Observed, lr.Expected))
		return nil
	}
	for g := range ep.Arms {
		ep.Arms[g].Observed = results[0].Observed[g]
		ep.Arms[g].Expected = results[0].Expected[g]
	}
	byWeight := map[logrank.Weight]*logrank.Result{}
	for i, w := range weights {
		byWeight[w] = results[i]
	}
	for _, t := range a.tests {
		if t.MaxCombo {
			ctx.maxCombo(d, ep)
			continue
		}
		r := byWeight[t.Weight]
		if !allFinite(r.Chisq, r.P) {
			ctx.Flag(schema.StatusNotEstimable, fmt.Sprintf("%s test not reported: chi-square %v, p-value %v", t, r.Chisq, r.P))
			continue
		}
		ep.Tests = append(ep.Tests, schema.TestRow{Test: t.String(), Statistic: r.Chisq, DF: r.DF, PValue: r.P, N: len(rows)})
	}
	return nil
}

// maxCombo adds the MaxCombo test: statistic max |Z|, df the number of
// component tests used, two-sided p-value.
func (c *Context) maxCombo(d logrank.Data, ep *schema.Endpoint) {
	if d.K != 2 {
		c.Flag(schema.StatusNotEstimable, fmt.Sprintf("MaxCombo compares two arms; %s has %d", c.Paramcd, d.K))
		return
	}
	mc, err := logrank.MaxCombo(d)
	if err != nil || mc.Status == "not_converged" || !allFinite(mc.MaxAbsZ, mc.P) {
		c.Flag(schema.StatusNotEstimable, fmt.Sprintf("MaxCombo test not computed: %v (status %v)", err, statusOf(mc)))
		return
	}
	used := 0
	for _, t := range mc.Tests {
		if t != nil {
			used++
		}
	}
	if mc.Status != "ok" {
		c.Note("MaxCombo: " + mc.Status + ": a component with zero variance was left out")
	}
	ep.Tests = append(ep.Tests, schema.TestRow{Test: "maxcombo", Statistic: mc.MaxAbsZ, DF: used, PValue: mc.P, N: len(d.Time)})
}

func statusOf(mc *logrank.MaxComboResult) string {
	if mc == nil {
		return "none"
	}
	return mc.Status
}

func testRows(ep *schema.Endpoint, emit func(...string)) error {
	for _, t := range ep.Tests {
		emit(ep.Paramcd, t.Test, num(t.Statistic), strconv.Itoa(t.DF), num(t.PValue))
	}
	return nil
}

// failureStatus is the status of a test or model that could not be
// computed on rows with the given events and arms (group[k] of k arms).
// The statistical packages report such failures as errors; the status is
// derived from the data, in the order of their documented causes:
//
//   - fewer than two arms have rows (e.g. every row of an arm has a
//     missing covariate or stratum): too_few_arms;
//   - an arm with rows has no events (this includes no events at all, and
//     an arm never at risk at an event time, whose expected count is 0):
//     zero_events_in_arm;
//   - anything else (e.g. a log-rank variance of zero, when every subject at
//     risk has the event at each event time): not_estimable.
func failureStatus(event []bool, group []int, k int) schema.Status {
	rows := make([]int, k)
	events := make([]int, k)
	for i, g := range group {
		rows[g]++
		if event[i] {
			events[g]++
		}
	}
	withRows := 0
	for g := range k {
		if rows[g] > 0 {
			withRows++
		}
	}
	if withRows < 2 {
		return schema.StatusTooFewArms
	}
	for g := range k {
		if rows[g] > 0 && events[g] == 0 {
			return schema.StatusZeroEvents
		}
	}
	return schema.StatusNotEstimable
}

// finiteLogRank reports whether every number of lr that is written is
// finite.
func finiteLogRank(lr *logrank.Result) bool {
	return allFinite(lr.Chisq, lr.P) && allFinite(lr.Observed...) && allFinite(lr.Expected...)
}

// splitList splits a comma-separated list, dropping empty elements.
func splitList(s string) []string {
	var out []string
	for _, f := range strings.Split(s, ",") {
		if f = strings.TrimSpace(f); f != "" {
			out = append(out, f)
		}
	}
	return out
}
