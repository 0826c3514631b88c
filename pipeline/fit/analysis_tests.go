package fit

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/ketcurves/ketcurves/pipeline/design"
	"github.com/ketcurves/ketcurves/pipeline/logrank"
	"github.com/ketcurves/ketcurves/pipeline/schema"
)

// testsMethod: the k-sample log-rank test (stratified with strata) on
// every row of the endpoint, as survdiff(Surv(AVAL, 1 - CNSR) ~ TRTP +
// strata(S)); rows with a missing stratum are left out of a stratified
// test and counted.
var testsMethod = &Method{
	Name:        "tests",
	Summary:     "k-sample log-rank test, stratified with strata (tests.csv)",
	Default:     true,
	Comparative: true,
	Options: []Option{{Name: "tests", Selects: true,
		Usage: "comma-separated tests: logrank (default)"}},
	Configure: configureTests,
	Tables:    []Table{{File: TestsFile, Header: TestsHeader, Rows: testRows}},
}

// TestsFile and TestsHeader name and head tests.csv. The Cox tests
// (cox_wald, cox_lr, cox_score) are written here too, by the cox method.
const TestsFile = "tests.csv"

var TestsHeader = []string{"paramcd", "test", "statistic", "df", "p_value"}

type testsAnalysis struct{ names []string }

func configureTests(set Settings) (Analysis, error) {
	a := testsAnalysis{names: []string{"logrank"}}
	if s, ok := set["tests"]; ok {
		a.names = splitList(s.Value)
		if len(a.names) == 0 {
			return nil, set.Errorf("tests", "no test named: use logrank")
		}
		for _, n := range a.names {
			if n != "logrank" {
				return nil, set.Errorf("tests", "unknown test %q: use logrank", n)
			}
		}
	}
	return a, nil
}

func (a testsAnalysis) Run(ctx *Context, ep *schema.Endpoint) error {
	rows := ctx.Rows
	var strata []int
	if s := ctx.Options.Strata; s != "" {
		m, err := ctx.Design(nil, s, "")
		if err != nil {
			return err
		}
		if m.DroppedTotal > 0 {
			ctx.Note(droppedMessage(m, "the stratified tests"))
		}
		rows, strata = m.Rows, m.Strata
	}
	group := ctx.groupsOf(rows)
	time, event := gather(ctx.Table.AVAL, rows), gather(ctx.Table.Event, rows)
	lr, err := logrank.LogRank(time, event, group, len(ctx.Arms), strata)
	switch {
	case err != nil:
		ctx.Flag(failureStatus(event, group, len(ctx.Arms)), fmt.Sprintf("log-rank test not computed: %v", err))
		return nil
	case !finiteLogRank(lr):
		ctx.Flag(schema.StatusNotEstimable, fmt.Sprintf("log-rank test not reported: chi-square %v, p-value %v, observed %v, expected %v: not all finite", lr.Chisq, lr.P, lr.Observed, lr.Expected))
		return nil
	}
	for g := range ep.Arms {
		ep.Arms[g].Observed = lr.Observed[g]
		ep.Arms[g].Expected = lr.Expected[g]
	}
	ep.Tests = append(ep.Tests, schema.TestRow{Test: "logrank", Statistic: lr.Chisq, DF: lr.DF, PValue: lr.P, N: len(rows)})
	return nil
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

var _ = design.IsMissing
