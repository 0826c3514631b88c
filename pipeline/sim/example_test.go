package sim_test

import (
	"fmt"
	"os"

	"github.com/ketcurves/ketcurves/pipeline/sim"
)

func Example() {
	sc, err := sim.ParseScenario("example.yaml", []byte(`study_id: EX
seed: 1
scale: {paramcd: MADRS, max: 60, remission_max: 10, relapse_min: 22, noise_sd: 2}
demographics: {age: {mean: 45, sd: 10, min: 18, max: 80}, female_fraction: 0.5}
visits:
  - {name: BASELINE, days: 0}
  - {name: 4H, hours: 4}
  - {name: DAY1, days: 1}
followup: {fixed: {days: 1}}
endpoints: [TTRESP]
cohorts:
  - arm: KETAMINE
    n: 2
    baseline: {mean: 32, sd: 5, min: 24, max: 50}
    response: {fraction: 0.7, time: {lognormal: {median_days: 0.0833, sdlog: 1}}}
`))
	if err != nil {
		fmt.Println(err)
		return
	}
	res := sim.Simulate(sc)
	if err := res.WriteLatent(os.Stdout); err != nil {
		fmt.Println(err)
	}
	fmt.Println(sim.FormatDay(40.0 / 1440))
	// Output:
	// STUDYID,USUBJID,TRTP,PARAMCD,STARTDY,AVAL,CNSR,EVNTDESC,CNSDTDSC
	// EX,EX-0001,KETAMINE,TTRESP,0,1,1,,END OF FOLLOW-UP
	// EX,EX-0002,KETAMINE,TTRESP,0,0.163529,0,LATENT RESPONSE,
	// 0.027778
}
