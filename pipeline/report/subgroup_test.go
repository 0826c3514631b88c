package report

import (
	"strings"
	"testing"

	"github.com/ketcurves/ketcurves/pipeline/schema"
)

// TestSubgroupTable checks that subgroup analyses appear in both reports,
// one row per level, with estimable and non-estimable hazard ratios.
func TestSubgroupTable(t *testing.T) {
	in := loadFixture(t)
	res := *in.Results
	res.Endpoints = append([]schema.Endpoint(nil), res.Endpoints...)
	ep := &res.Endpoints[0]
	arm := ep.Cox.Terms[0].Term
	ep.Subgroups = []schema.Endpoint{
		{Subgroup: "STRATUM", Level: "REMITTER", Status: "ok",
			Arms:  []schema.ArmSummary{{Arm: "A", N: 10, Events: 4}, {Arm: "B", N: 12, Events: 7}},
			Tests: []schema.TestRow{{Test: "logrank", Statistic: 5.4, DF: 1, PValue: 0.0202}},
			Cox:   &schema.CoxResult{Status: "ok", Terms: []schema.CoxTerm{{Term: arm, Estimable: true, HR: 0.5509, HRLower: 0.3319, HRUpper: 0.9145, PValue: 0.0211}}}},
		{Subgroup: "STRATUM", Level: "RESPONDER", Status: "monotone_likelihood",
			Arms: []schema.ArmSummary{{Arm: "A", N: 5, Events: 0}, {Arm: "B", N: 6, Events: 3}},
			Cox:  &schema.CoxResult{Status: "monotone_likelihood", Terms: []schema.CoxTerm{{Term: arm}}}},
	}
	in.Results = &res
	md, html := render(t, in)
	for _, want := range []string{"### Subgroup analyses", "| STRATUM | REMITTER |", "| 22 | 11 | 0.551 | 0.332, 0.914 | 0.021 | 0.020 | ok |", "| STRATUM | RESPONDER |", NotEstimable, "monotone\\_likelihood"} {
		if !strings.Contains(string(md), want) {
			t.Errorf("report.md lacks %q", want)
		}
	}
	for _, want := range []string{"<h3>Subgroup analyses</h3>", "<td>REMITTER</td>", "<td class=\"num\">0.551</td>", "<td>monotone_likelihood</td>"} {
		if !strings.Contains(string(html), want) {
			t.Errorf("report.html lacks %q", want)
		}
	}
}
