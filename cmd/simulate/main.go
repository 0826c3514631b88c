// Command simulate writes a synthetic study from its scenario file.
//
//	simulate -scenario datasets/<study>/scenario.yaml -out datasets/<study>
//
// It writes adsl.csv, adqs.csv, adce.csv (when the scenario simulates clinical
// events) and adtte_latent.csv (the true latent event times). The output is
// a deterministic function of the scenario file (the seed is inside it): the
// same scenario gives byte-identical CSVs.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/ketcurves/ketcurves/pipeline/sim"
)

const usage = `usage: simulate -scenario FILE [-out DIR] [-seed N]

simulate draws a synthetic clinical-trial data set from a scenario file
(datasets/<study>/scenario.yaml) and writes, into DIR:

  adsl.csv          one row per subject (arm, stratum, age, sex, baseline
                    score, randomization day, end-of-study day, reason)
  adqs.csv          visit-level scores (primary scale, MADRS item 10,
                    C-SSRS ideation, SSI, BSL-23, HAM-D17 as configured)
  adce.csv          qualifying clinical events (hospitalization, suicide
                    attempt) at relapse, when the scenario has relapse_events
  adtte_latent.csv  the TRUE latent event and censoring times per endpoint
                    (never analyse it as observed data: derive ADTTE from
                    adqs.csv; this file is the truth to check against)

Every number is drawn from PCG generators seeded by the scenario's seed and
the subject's index, so the output does not depend on the machine.
This is synthetic data, not patient data.

Flags:
`

func main() {
	if err := run(os.Args[1:], os.Stdout, os.Stderr); err != nil {
		if errors.Is(err, errUsage) {
			os.Exit(2)
		}
		fmt.Fprintf(os.Stderr, "simulate: %v\n", err)
		os.Exit(1)
	}
}

var errUsage = errors.New("usage error")

func run(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("simulate", flag.ContinueOnError)
	fs.SetOutput(stderr)
	scenario := fs.String("scenario", "", "scenario file (required), e.g. datasets/sustain1/scenario.yaml")
	out := fs.String("out", "", "output directory (default: the scenario's directory)")
	seed := fs.Uint64("seed", 0, "override the scenario's seed (0: use the scenario's seed)")
	fs.Usage = func() {
		fmt.Fprint(stderr, usage)
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return errUsage
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "simulate: unexpected argument %q: all inputs are flags\n", fs.Arg(0))
		fs.Usage()
		return errUsage
	}
	if *scenario == "" {
		fmt.Fprintln(stderr, "simulate: -scenario is required")
		fs.Usage()
		return errUsage
	}
	sc, err := sim.LoadScenario(*scenario)
	if err != nil {
		return err
	}
	if *seed != 0 {
		sc.Seed = *seed
	}
	dir := *out
	if dir == "" {
		dir = filepath.Dir(*scenario)
	}
	res := sim.Simulate(sc)
	if err := res.WriteFiles(dir); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "simulate: %s: %d subjects, %d scores, seed %d -> %s (synthetic data, not patient data)\n",
		sc.StudyID, len(res.Subjects), len(res.Records), sc.Seed, dir)
	return nil
}
