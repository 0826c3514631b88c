package mc_test

import (
	"context"
	"fmt"
	"log"

	"github.com/ketcurves/ketcurves/pipeline/mc"
)

// A study of 500 trials of a small design: the log-rank test's power and
// the coverage of the 95% hazard ratio interval, with Monte Carlo standard
// errors. The numbers are the same for any number of workers.
func ExampleRun() {
	d, err := mc.ParseDesign("design.yaml", []byte(`
name: example
control: {name: SSRI, n: 50, median: 35}
experimental: {name: KETAMINE, n: 50, hr: 2}
shape: 1
followup: {min: 42, max: 56}
rmst_tau: 42
`))
	if err != nil {
		log.Fatal(err)
	}
	p, err := mc.Run(context.Background(), d, mc.Options{Trials: 500, Seed: 1})
	if err != nil {
		log.Fatal(err)
	}
	r, err := mc.Merge([]*mc.Partial{p})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("power %.2f (MC s.e. %.2f)\n", *r.Power.Logrank.Estimate, *r.Power.Logrank.MCSE)
	fmt.Printf("HR coverage %.2f\n", *r.HazardRatio.Coverage.Estimate)
	// Output:
	// power 0.83 (MC s.e. 0.02)
	// HR coverage 0.95
}
