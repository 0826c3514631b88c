package derive_test

import (
	"fmt"
	"log"
	"math"

	"github.com/ketcurves/ketcurves/pipeline/derive"
	"github.com/ketcurves/ketcurves/pipeline/study"
)

// A SUSTAIN-1-like relapse: MADRS ≥ 22 at two consecutive visits 5–15 days
// apart, timed from randomization on day 28.
func ExampleDerive() {
	s, err := study.Parse("study.yaml", []byte(`
id: EX
time_unit: days
arms: [{name: ESK, class: esketamine}, {name: PBO, class: placebo}]
control: PBO
endpoints:
  - paramcd: TTRELAPSE
    kind: relapse
    derive:
      source: MADRS
      relapse:
        anchor: randomization
        at_least: 22
        confirm: {min_days: 5, max_days: 15}
`))
	if err != nil {
		log.Fatal(err)
	}
	nan := math.NaN()
	d := &derive.Data{
		StudyID:  "EX",
		Subjects: []derive.Subject{{USUBJID: "EX-01", Arm: "ESK", RandDay: 28, EndDay: nan, RescueDay: nan, Line: 2}},
		Assessments: []derive.Assessment{
			{USUBJID: "EX-01", Param: "MADRS", Visit: "BASELINE", Day: -1, Value: 34, Line: 2},
			{USUBJID: "EX-01", Param: "MADRS", Visit: "WEEK5", Day: 35, Value: 23, Line: 3}, // not confirmed: next is 12
			{USUBJID: "EX-01", Param: "MADRS", Visit: "WEEK6", Day: 42, Value: 12, Line: 4},
			{USUBJID: "EX-01", Param: "MADRS", Visit: "WEEK8", Day: 56, Value: 24, Line: 5}, // confirmed 14 days later
			{USUBJID: "EX-01", Param: "MADRS", Visit: "WEEK10", Day: 70, Value: 26, Line: 6},
		},
	}
	r, err := derive.Derive(s, d)
	if err != nil {
		log.Fatal(err)
	}
	x := r.Rows[0]
	fmt.Printf("%s %s AVAL=%g CNSR=%v %s\n", x.USUBJID, x.Paramcd, x.Time, x.Censored, x.EventDesc)
	fmt.Printf("set by %s line %d (day %g), confirmed on day %g; event in (%g, %g]\n", x.SourceVisit, x.SourceLine, x.SourceDay, x.ConfirmDay, x.Lower, x.Upper)
	// Output:
	// EX-01 TTRELAPSE AVAL=28 CNSR=false MADRS >= 22 CONFIRMED 5-15 DAYS LATER
	// set by WEEK8 line 5 (day 56), confirmed on day 70; event in (14, 28]
}
