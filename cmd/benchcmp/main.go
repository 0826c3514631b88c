// Command benchcmp times the real fit program side by side with R, as whole
// processes on the same generated ADTTE files (make bench), and profiles
// fit's code path.
//
// It has three subcommands: gen writes a deterministic benchmark ADTTE file,
// compare runs fit and Rscript on each task and size and prints time, peak
// memory, their ratios and the issues' targets, and task runs fit's code
// path (read, analyse, write) in this process with phase timings and pprof
// profiles. See -h for each.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
)

const usage = `usage: benchcmp gen|compare|task [flags]

Time the fit program against R (survival, cmprsk) on large ADTTE files:
whole-process wall time, CPU time and peak resident memory, measured the
same way for both programs, with the same estimates checked to 1e-6.

  benchcmp gen -n 1000000 -out FILE [-seed 1] [-competing]
      write an n-row ADTTE CSV (two arms, AGE, SEX, BASEMADRS; about 48
      bytes a row; -competing adds EVNTTYPE), byte-identical for the same
      n and seed
  benchcmp compare [-sizes 1e3,...,1e7] [-tasks cox,kmlr,aft,finegray] [-fit build/bin/fit]
      generate the files (once), run fit with the flags a user types and,
      if Rscript is installed, "Rscript bench.R TASK FILE" on each; print
      time, memory, their ratios and the targets of issues 9, 10 and 13;
      check that both computed the same estimates; then the Monte Carlo
      comparison against testdata/mc.R
  benchcmp task -task cox|kmlr|aft|finegray -adtte FILE -out DIR [-cpuprofile F] [-memprofile F]
      run fit's code path (adam.ReadADTTE, fit.Analyze, fit.WriteOutputs)
      with the task's options in this process; print each phase's time and
      memory, and the estimates; write pprof profiles
  benchcmp task -task mc [-trials 10000] [-workers 0]
      simulate two-arm trials (cmd/power/examples/ketamine-vs-ssri.yaml)
      and analyse each with the log-rank test and a Cox model, on all cores

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

const genUsage = `usage: benchcmp gen -n N -out FILE [-seed S] [-competing]

Write an N-row benchmark ADTTE CSV: STUDYID, USUBJID, TRTP (ESCITALOPRAM or
KETAMINE), PARAMCD (TTRESP), AVAL (days, 4 decimals), CNSR, AGE, SEX,
BASEMADRS. Row i draws from rand.NewPCG(seed, i): exponential event times
with log hazard ratio -0.5 for ketamine, 0.01 per year of age, 0.2 for men
and 0.03 per MADRS point; uniform censoring on (0, 120) days. -competing
adds a competing dropout (hazard exp(0.3 ketamine)/90 a day) and the
column EVNTTYPE: RESPONSE or DROPOUT on CNSR = 0 rows, empty otherwise.

Flags:
`

func runGen(args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("benchcmp gen", genUsage, stderr)
	n := fs.Int("n", 0, "number of rows (required)")
	out := fs.String("out", "", "output CSV file (required)")
	seed := fs.Uint64("seed", 1, "PCG seed")
	competing := fs.Bool("competing", false, "add competing dropout events and the EVNTTYPE column")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *n <= 0 || *out == "" || fs.NArg() > 0 {
		fs.Usage()
		return usageError{"gen needs -n > 0 and -out"}
	}
	return generate(*out, *n, *seed, *competing)
}

const taskUsage = `usage: benchcmp task -task cox|kmlr|aft|finegray -adtte FILE -out DIR [-cpuprofile F] [-memprofile F]
       benchcmp task -task mc [-trials 10000] [-workers 0]

Run, in this process, the code path of the fit program that "benchcmp
compare" times: adam.ReadADTTE, fit.Analyze with the options of the task's
fit flags, fit.WriteOutputs into DIR. The tasks and their fit flags:
%s
It prints, one "key value..." line each, every phase (read, analyze,
write) with its wall time, the live heap after it and the peak resident
set size so far, then the estimates that compare checks against R.
-cpuprofile writes a CPU profile; -memprofile F writes F (alloc_space of
the whole run), F-read.pprof (inuse_space once the table is read) and
F-analyze.pprof (inuse_space once analysed, the table still held). Read
them with "go tool pprof -top FILE".

  mc     simulate -trials two-arm trials of 200 subjects and analyse each
         with the log-rank test and a Cox model, as testdata/mc.R does
         (package mc, -workers goroutines, 0: all cores)

Flags:
`

func runTaskCmd(args []string, stdout, stderr io.Writer) error {
	var list strings.Builder
	for _, t := range benchTasks {
		fmt.Fprintf(&list, "  %-8s %s: fit %s\n", t.Name, t.What, strings.Join(t.fitCommand("FILE", "DIR"), " "))
	}
	fs := newFlagSet("benchcmp task", fmt.Sprintf(taskUsage, list.String()), stderr)
	task := fs.String("task", "", taskNames()+" or mc (required)")
	adtte := fs.String("adtte", "", "ADTTE CSV file (required)")
	out := fs.String("out", "", "output folder (required)")
	cpuProfile := fs.String("cpuprofile", "", "write a CPU profile to this file")
	memProfile := fs.String("memprofile", "", "write heap profiles to this file, FILE-read.pprof and FILE-analyze.pprof")
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
	if *task == "" || *adtte == "" || *out == "" || fs.NArg() > 0 {
		fs.Usage()
		return usageError{"task needs -task, -adtte and -out"}
	}
	t, ok := taskNamed(*task)
	if !ok {
		return usageError{fmt.Sprintf("-task %q: use %s or mc", *task, taskNames())}
	}
	return runTask(t, *adtte, *out, profileFiles{CPU: *cpuProfile, Mem: *memProfile}, stdout)
}
