package synthesis

import (
	"math"
	"testing"

	"github.com/ketcurves/ketcurves/pipeline/schema"
)

func TestMilestones(t *testing.T) {
	res := &schema.Results{Study: schema.StudyInfo{ID: "S", Synthetic: true, Arms: []schema.ArmInfo{{Name: "K", Class: "ketamine"}}}}
	res.Endpoints = []schema.Endpoint{{Paramcd: "TTRESP", Kind: KindResponse, Label: "Time to response (MADRS ≥ 50% reduction)",
		Arms: []schema.ArmSummary{{Arm: "K", N: 10, Events: 4}},
		KM:   schema.KMTable([]schema.KMRow{{Arm: "K", Time: 0.5, NRisk: 10, NEvent: 2, Surv: 0.8}, {Arm: "K", Time: 3, NRisk: 8, NEvent: 2, Surv: 0.6}, {Arm: "K", Time: 10, NRisk: 6, NCensor: 6, Surv: 0.6}})}}
	s, err := Build([]Input{{Results: res}})
	if err != nil {
		t.Fatal(err)
	}
	m := s.Milestones[0]
	for i, want := range []float64{0.2, 0.4, math.NaN()} {
		if got := m.Rate[i]; !(math.Abs(got-want) < 1e-12 || math.IsNaN(got) && math.IsNaN(want)) || m.Observed[i] == math.IsNaN(want) {
			t.Errorf("milestone %s: rate %v observed %v, want %v", MilestoneLabels[i], got, m.Observed[i], want)
		}
	}
	if d := s.Studies[0].Endpoints[0].Definition; d != "MADRS ≥ 50% reduction" {
		t.Errorf("definition %q", d)
	}
	if _, err := Build([]Input{{Results: res}, {Results: res}}); err == nil {
		t.Error("duplicate study: no error")
	}
}
