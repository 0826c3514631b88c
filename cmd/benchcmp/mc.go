package main

import (
	"context"
	"fmt"
	"io"
	"math"

	"github.com/ketcurves/ketcurves/pipeline/mc"
)

// taskMC simulates two-arm trials and analyses each with the log-rank test
// and a Cox model, like testdata/mc.R, on all cores.
const taskMC = "mc"

// mcDesign is cmd/power/examples/ketamine-vs-ssri.yaml, the design that
// testdata/mc.R simulates, with the tests only (R's loop runs survdiff and
// coxph); "power -design" on the example file runs every analysis.
const mcDesign = `name: ketamine-vs-ssri-ttresp
control: {name: SSRI, n: 100, median: 35}
experimental: {name: KETAMINE, n: 100, hr: 1.8}
shape: 1
followup: {min: 42, max: 56}
dropout_rate: 0.004
rmst_tau: 42
analyses: [logrank, cox]
`

func runMC(trials, workers int, stdout io.Writer) error {
	d, err := mc.ParseDesign("mcDesign", []byte(mcDesign))
	if err != nil {
		return err
	}
	p, err := mc.Run(context.Background(), d, mc.Options{Trials: trials, Seed: 1, Workers: workers})
	if err != nil {
		return err
	}
	r, err := mc.Merge([]*mc.Partial{p})
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(stdout, "trials %d\npower_logrank %.10g\npower_cox %.10g\n", trials, *r.Power.Logrank.Estimate, *r.Power.CoxWald.Estimate)
	return err
}

// samePower checks that two Monte Carlo powers from independent random
// numbers agree within 4 standard errors of their difference.
func samePower(ours, theirs map[string][]float64) (bool, string) {
	for _, k := range []string{"power_logrank", "power_cox"} {
		a, b, n := ours[k], theirs[k], ours["trials"]
		if len(a) != 1 || len(b) != 1 || len(n) != 1 {
			return false, fmt.Sprintf("%s missing: %v vs R %v", k, a, b)
		}
		p := (a[0] + b[0]) / 2
		se := math.Sqrt(2 * p * (1 - p) / n[0])
		if math.Abs(a[0]-b[0]) > 4*se+1e-12 {
			return false, fmt.Sprintf("%s %.4f vs R %.4f (more than 4 MC s.e. %.4f apart)", k, a[0], b[0], se)
		}
	}
	return true, ""
}
