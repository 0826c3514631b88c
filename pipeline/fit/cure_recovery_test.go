package fit

import (
	"fmt"
	"math"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/ketcurves/ketcurves/pipeline/adam"
	"github.com/ketcurves/ketcurves/pipeline/column"
	"github.com/ketcurves/ketcurves/pipeline/schema"
	"github.com/ketcurves/ketcurves/pipeline/sim"
)

// The cure model recovers the simulator's truth on the bundled studies at
// 100 times their size. The simulator's latent response model is itself a
// mixture cure model (scenario.yaml, per cohort):
//
//	response.fraction              the fraction who ever respond: the cure model's π
//	response.time.lognormal        the latency among responders: median_days = exp(μ), sdlog = σ
//
// so the truth of each arm is read from its cohort. The fit is on the
// latent times (adtte_latent.csv's TTRESP), censored by dropout and the end
// of follow-up as the simulator censors them; the tolerance is 3.5 of the
// fit's own standard errors (on the logit scale for π, the log scale for
// the median).
func TestCureRecoversScenarioTruth(t *testing.T) {
	if testing.Short() {
		t.Skip("simulates 100 times each study")
	}
	for _, study := range []string{"murrough2013-ajp", "su2023-si", "fineberg2023-bpd", "murrough2013-relapse", "stard-level1"} {
		t.Run(study, func(t *testing.T) {
			sc, err := sim.LoadScenario(filepath.Join("..", "..", "datasets", study, "scenario.yaml"))
			if err != nil {
				t.Fatal(err)
			}
			type truth struct{ fraction, median float64 }
			want := map[string]truth{}
			for i := range sc.Cohorts {
				c := &sc.Cohorts[i]
				c.N *= 100
				ln := c.Response.Time.LogNormal
				if ln == nil {
					t.Fatalf("cohort %s: the response latency is not log-normal", c.Arm)
				}
				f := 1.0
				if c.Response.Fraction != nil {
					f = *c.Response.Fraction
				}
				if w, seen := want[c.Arm]; seen && (w.fraction != f || w.median != ln.Median) {
					t.Skipf("arm %s has strata with different truths", c.Arm)
				}
				want[c.Arm] = truth{f, ln.Median}
			}
			tab, rep := latentTable(sim.Simulate(sc), sim.TTRESP)
			res, err := Analyze(tab, rep, Options{Methods: []string{"km", "cure"}, Settings: Settings{"cure": {Value: "lognormal", Origin: "test"}}})
			if err != nil {
				t.Fatal(err)
			}
			var sec schema.CureSection
			if ok, err := res.Endpoints[0].Section("cure", &sec); !ok || err != nil {
				t.Fatalf("no cure section: %v", err)
			}
			if sec.Status != "ok" {
				t.Logf("status %s: %v (the truth must still be recovered)", sec.Status, sec.Messages)
			}
			const k = 3.5
			z := 1.959963984540054
			logit := func(p float64) float64 { return math.Log(p / (1 - p)) }
			for _, a := range sec.Arms {
				w := want[a.Arm]
				seF := (logit(*a.FractionUpper) - logit(*a.FractionLower)) / (2 * z)
				if d := math.Abs(logit(*a.Fraction) - logit(w.fraction)); d > k*seF {
					t.Errorf("%s: fraction %.4f, truth %.4f: %.1f SE away", a.Arm, *a.Fraction, w.fraction, d/seF)
				}
				seM := (math.Log(*a.MedianUpper) - math.Log(*a.MedianLower)) / (2 * z)
				if d := math.Abs(math.Log(*a.Median) - math.Log(w.median)); d > k*seM {
					t.Errorf("%s: latency median %.4g, truth %.4g: %.1f SE away", a.Arm, *a.Median, w.median, d/seM)
				}
				t.Logf("%s: fraction %.4f (truth %.4f), median %.4g days (truth %.4g)", a.Arm, *a.Fraction, w.fraction, *a.Median, w.median)
			}
		})
	}
}

// latentTable is the ADTTE table of the simulator's latent times of one
// endpoint.
func latentTable(r *sim.Result, paramcd string) (*adam.ADTTE, *adam.Report) {
	t := &adam.ADTTE{Extra: map[string]column.Text{}}
	var study, arms, params column.Builder
	defer func() { t.StudyID, t.TRTP, t.PARAMCD = study.Text(), arms.Text(), params.Text() }()
	for _, l := range r.Latent() {
		if l.Paramcd != paramcd {
			continue
		}
		s := &r.Subjects[l.Subject]
		study.Add(r.Scenario.StudyID)
		t.USUBJID = append(t.USUBJID, s.USUBJID)
		arms.Add(s.Arm)
		params.Add(paramcd)
		t.AVAL = append(t.AVAL, l.AVAL)
		t.Event = append(t.Event, l.CNSR == 0)
		t.Line.Add(t.Line.Len() + 2)
	}
	n := strconv.Itoa(len(t.AVAL))
	return t, &adam.Report{File: fmt.Sprintf("latent %s (%s rows)", paramcd, n), RowsRead: len(t.AVAL), Accepted: len(t.AVAL)}
}
