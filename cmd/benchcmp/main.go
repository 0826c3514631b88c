// Command benchcmp compares the whole-process time and peak memory of
// ketcurves with R survival on the same large ADTTE files (make bench).
//
// It has three subcommands: gen writes a deterministic benchmark ADTTE file,
// task runs one measured task (read + Cox, or read + Kaplan–Meier +
// log-rank) in this process, and compare runs both programs side by side at
// several sizes and prints the ratios. See -h for each.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
)

const usage = `usage: benchcmp gen|task|compare [flags]

Compare ketcurves with R survival on large ADTTE files: whole-process wall
time and peak resident memory, measured the same way for both programs.

  benchcmp gen -n 1000000 -out FILE [-seed 1]
      write an n-row ADTTE CSV (two arms, AGE, SEX, BASEMADRS; about 48
      bytes a row), byte-identical for the same n and seed
  benchcmp task -task cox|kmlr -adtte FILE [-reader stream|gota]
      read and validate FILE, then fit a Cox model (Efron ties; arm, AGE,
      SEX, BASEMADRS) or Kaplan-Meier curves by arm and the log-rank test;
      print the estimates as "key value" lines
  benchcmp task -task mc [-trials 10000] [-workers 0]
      simulate two-arm trials (cmd/power/examples/ketamine-vs-ssri.yaml)
      and analyse each with the log-rank test and a Cox model, on all cores
  benchcmp compare [-sizes 1e3,1e4,1e5,1e6,1e7] [-r-max 1e6] [-dir build/bench]
      generate the files (once), run "benchcmp task" and, if Rscript with
      survival is installed, "Rscript bench.R" on each, and print time,
      memory and their ratios; check that both computed the same estimates;
      then the same for the Monte Carlo task against testdata/mc.R

Run "benchcmp SUBCOMMAND -h" for the flags of a subcommand.
`

func main() {
	if err := run(os.Args[1:], os.Stdout, os.Stderr); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			os.Exit(0)
		}
		fmt.Fprintf(os.Stderr, "benchcmp: %v\n", err)
		var ue usageError
		if errors.As(err, &ue) {
			os.Exit(2)
		}
		os.Exit(1)
	}
}

type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

func run(args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return usageError{"a subcommand is required: gen, task or compare"}
	}
	switch args[0] {
	case "gen":
		return runGen(args[1:], stdout, stderr)
	case "task":
		return runTaskCmd(args[1:], stdout, stderr)
	case "compare":
		return runCompare(args[1:], stdout, stderr)
	case "-h", "-help", "--help", "help":
		fmt.Fprint(stderr, usage)
		return flag.ErrHelp
	}
	fmt.Fprint(stderr, usage)
	return usageError{fmt.Sprintf("unknown subcommand %q: use gen, task or compare", args[0])}
}

// newFlagSet returns a flag set printing the given usage text.
func newFlagSet(name, text string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprint(stderr, text)
		fs.PrintDefaults()
	}
	return fs
}

const genUsage = `usage: benchcmp gen -n N -out FILE [-seed S]

Write an N-row benchmark ADTTE CSV: STUDYID, USUBJID, TRTP (ESCITALOPRAM or
KETAMINE), PARAMCD (TTRESP), AVAL (days, 4 decimals), CNSR, AGE, SEX,
BASEMADRS. Row i draws from rand.NewPCG(seed, i): exponential event times
with log hazard ratio -0.5 for ketamine, 0.01 per year of age, 0.2 for men
and 0.03 per MADRS point; uniform censoring on (0, 120) days.

Flags:
`

func runGen(args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("benchcmp gen", genUsage, stderr)
	n := fs.Int("n", 0, "number of rows (required)")
	out := fs.String("out", "", "output CSV file (required)")
	seed := fs.Uint64("seed", 1, "PCG seed")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *n <= 0 || *out == "" || fs.NArg() > 0 {
		fs.Usage()
		return usageError{"gen needs -n > 0 and -out"}
	}
	return generate(*out, *n, *seed)
}

const taskUsage = `usage: benchcmp task -task cox|kmlr -adtte FILE [-reader stream|gota]
       benchcmp task -task mc [-trials 10000] [-workers 0]

Read and validate an ADTTE file (adam.ReadADTTE), then
  cox    fit coxph(Surv(AVAL, 1-CNSR) ~ TRTP + AGE + SEX + BASEMADRS, ties = "efron")
  kmlr   Kaplan-Meier by TRTP (median of each arm) and the log-rank test
or
  mc     simulate -trials two-arm trials of 200 subjects and analyse each
         with the log-rank test and a Cox model, as testdata/mc.R does
         (package mc, -workers goroutines, 0: all cores)
and print the estimates, one "key value..." line each, as bench.R and mc.R
do. This is the process that "benchcmp compare" measures.

Flags:
`

func runTaskCmd(args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("benchcmp task", taskUsage, stderr)
	task := fs.String("task", "", "cox, kmlr or mc (required)")
	adtte := fs.String("adtte", "", "ADTTE CSV file (required)")
	reader := fs.String("reader", "stream", "CSV reader: stream or gota")
	trials := fs.Int("trials", 10000, "mc: number of trials")
	workers := fs.Int("workers", 0, "mc: number of workers (0: all cores)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *task == taskMC && fs.NArg() == 0 {
		if *trials < 1 || *workers < 0 {
			return usageError{"-trials must be at least 1 and -workers at least 0"}
		}
		return runMC(*trials, *workers, stdout)
	}
	if *adtte == "" || fs.NArg() > 0 {
		fs.Usage()
		return usageError{"task needs -task and -adtte"}
	}
	if *task != taskCox && *task != taskKMLR {
		return usageError{fmt.Sprintf("-task %q: use cox or kmlr", *task)}
	}
	if *reader != "stream" && *reader != "gota" {
		return usageError{fmt.Sprintf("-reader %q: use stream or gota", *reader)}
	}
	defer stopProfile()
	return runTask(*task, *adtte, adamReader(*reader), stdout)
}
