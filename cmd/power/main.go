// Command power runs Monte Carlo studies of a two-arm time-to-event trial
// design: power of the log-rank and Cox tests, and coverage of the
// confidence intervals of the hazard ratio, the medians and the RMST
// difference. Studies can be split into shards (-shard i/n) run anywhere,
// e.g. as a Slurm job array or a Kubernetes Indexed Job, and merged (power
// merge) into exactly the result of one run. See -h and cmd/power/README.md.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/ketcurves/ketcurves/pipeline/atomicfile"
	"github.com/ketcurves/ketcurves/pipeline/mc"
)

const usage = `usage: power -design FILE [-trials N] [-seed S] [-workers W] [-out result.json]
       power -design FILE -trials N -seed S -shard I/N -out part-I.json
       power merge -out result.json part-0.json part-1.json ...

Simulate N two-arm trials of the design in FILE (YAML; see
cmd/power/README.md and cmd/power/examples/), analyse each like the fit
stage (log-rank test, Cox model with Efron ties, Kaplan-Meier medians with
Brookmeyer-Crowley CIs, RMST difference) and report:
  power       rejection rate of the two-sided log-rank and Cox Wald tests
  coverage    how often the CIs of the hazard ratio, each arm's median and
              the RMST difference contain the true value of the design
  bias, SD and mean SE of the log hazard ratio and the RMST difference
with Monte Carlo standard errors. A summary goes to stdout; -out writes
the full result as JSON.

Reproducibility: trial i draws from PCG(seed, i) only, and sums are taken in
fixed blocks of 100 trials, so the result is identical, bit for bit, for any
-workers and for any split into shards merged with "power merge".

Sharding: -shard I/N (I = 0..N-1) runs the I-th of N contiguous parts of the
study and writes a partial result to -out; every shard must be given the
same -design, -trials and -seed. "power merge" checks that the parts are of
one study and cover it exactly once, and writes the result. Slurm:
-shard $SLURM_ARRAY_TASK_ID/N with --array=0-(N-1); Kubernetes Indexed Job:
-shard $JOB_COMPLETION_INDEX/N with completions: N (examples in
cmd/power/examples/).

A progress bar is drawn on stderr when stderr is a terminal, never in logs.

Coverage check: -check-coverage 0.94,0.96 exits with status 1 unless every
interval's coverage is within the range (make coverage).

Flags:
`

const mergeUsage = `usage: power merge -out result.json part.json...

Combine the partial results written by "power -shard I/N" into the result
of the whole study, identical to a run without -shard. The parts may be
given in any order; each block of trials must appear exactly once.

Flags:
`

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			os.Exit(0)
		}
		fmt.Fprintf(os.Stderr, "power: %v\n", err)
		var ue usageError
		if errors.As(err, &ue) {
			os.Exit(2)
		}
		os.Exit(1)
	}
}

type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) > 0 && args[0] == "merge" {
		return runMerge(args[1:], stdout, stderr)
	}
	fs := flag.NewFlagSet("power", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprint(stderr, usage)
		fs.PrintDefaults()
	}
	designFile := fs.String("design", "", "design YAML file (required)")
	trials := fs.Int("trials", 10000, "number of simulated trials of the whole study")
	seed := fs.Uint64("seed", 1, "master seed: trial i uses PCG(seed, i)")
	workers := fs.Int("workers", 0, "parallel workers (default: all cores); does not change the result")
	shardFlag := fs.String("shard", "", "run shard I/N only (I = 0..N-1) and write a partial result to -out")
	out := fs.String("out", "", "JSON output: the result, or with -shard the partial result")
	check := fs.String("check-coverage", "", "LO,HI: fail unless every interval's coverage is in [LO, HI], e.g. 0.94,0.96")
	progress := fs.String("progress", "auto", "progress bar on stderr: auto (only on a terminal), always or never")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *designFile == "" || fs.NArg() > 0 {
		fs.Usage()
		return usageError{"-design is required and no arguments are accepted (did you mean \"power merge\"?)"}
	}
	if *trials < 1 {
		return usageError{fmt.Sprintf("-trials %d: give at least 1", *trials)}
	}
	if *workers < 0 {
		return usageError{fmt.Sprintf("-workers %d: give 0 (all cores) or more", *workers)}
	}
	var shard mc.Shard
	if *shardFlag != "" {
		s, err := parseShard(*shardFlag)
		if err != nil {
			return usageError{err.Error()}
		}
		shard = s
		if *out == "" {
			return usageError{"-shard needs -out: the partial result is written there for \"power merge\""}
		}
		if *check != "" {
			return usageError{"-check-coverage applies to whole studies: use it with power merge's result, or without -shard"}
		}
	}
	var lo, hi float64
	if *check != "" {
		var err error
		if lo, hi, err = parseRange(*check); err != nil {
			return usageError{fmt.Sprintf("-check-coverage: %v", err)}
		}
	}
	showBar := false
	switch *progress {
	case "auto":
		showBar = isTerminal(stderr)
	case "always":
		showBar = true
	case "never":
	default:
		return usageError{fmt.Sprintf("-progress %q: use auto, always or never", *progress)}
	}
	d, err := mc.LoadDesign(*designFile)
	if err != nil {
		return err
	}
	total := mc.ShardTrials(*trials, shard)
	opt := mc.Options{Trials: *trials, Seed: *seed, Workers: *workers, Shard: shard}
	var bar *progressBar
	if showBar {
		bar = newProgressBar(stderr, total)
		opt.Progress = bar.add
	}
	p, err := mc.Run(ctx, d, opt)
	if bar != nil {
		bar.finish()
	}
	if err != nil {
		return err
	}
	if *shardFlag != "" {
		if err := atomicfile.Write(*out, func(w io.Writer) error { return mc.WriteJSON(w, p) }); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "shard %s: %d trials of %d written to %s; merge all shards with: power merge -out result.json PARTS...\n", shard, total, *trials, *out)
		return nil
	}
	r, err := mc.Merge([]*mc.Partial{p})
	if err != nil {
		return err
	}
	return report(r, *out, *check != "", lo, hi, stdout)
}

func report(r *mc.Result, out string, check bool, lo, hi float64, stdout io.Writer) error {
	if out != "" {
		if err := atomicfile.Write(out, func(w io.Writer) error { return mc.WriteJSON(w, r) }); err != nil {
			return err
		}
	}
	if err := r.WriteSummary(stdout); err != nil {
		return err
	}
	if !check {
		return nil
	}
	var bad []string
	for _, c := range r.CheckCoverage(lo, hi) {
		verdict := "ok"
		if !c.OK {
			verdict = "OUTSIDE"
			bad = append(bad, c.Interval)
		}
		est := "undefined"
		if c.Coverage.Estimate != nil {
			est = fmt.Sprintf("%.2f%%", 100**c.Coverage.Estimate)
		}
		fmt.Fprintf(stdout, "coverage check [%g, %g]: %-45s %s (%d/%d) %s\n", lo, hi, c.Interval, est, c.Coverage.Count, c.Coverage.N, verdict)
	}
	if len(bad) > 0 {
		return fmt.Errorf("coverage outside [%g, %g] for %s", lo, hi, strings.Join(bad, "; "))
	}
	return nil
}

func runMerge(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("power merge", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprint(stderr, mergeUsage)
		fs.PrintDefaults()
	}
	out := fs.String("out", "", "result JSON file (required)")
	check := fs.String("check-coverage", "", "LO,HI: fail unless every interval's coverage is in [LO, HI]")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *out == "" || fs.NArg() == 0 {
		fs.Usage()
		return usageError{"merge needs -out and at least one partial result file"}
	}
	var lo, hi float64
	if *check != "" {
		var err error
		if lo, hi, err = parseRange(*check); err != nil {
			return usageError{fmt.Sprintf("-check-coverage: %v", err)}
		}
	}
	var parts []*mc.Partial
	for _, name := range fs.Args() {
		data, err := os.ReadFile(name)
		if err != nil {
			return fmt.Errorf("could not read partial result: %w", err)
		}
		p, err := mc.ReadPartial(name, data)
		if err != nil {
			return err
		}
		parts = append(parts, p)
	}
	r, err := mc.Merge(parts)
	if err != nil {
		return err
	}
	return report(r, *out, *check != "", lo, hi, stdout)
}

// parseShard parses "I/N" with 0 <= I < N.
func parseShard(s string) (mc.Shard, error) {
	a, b, ok := strings.Cut(s, "/")
	i, err1 := strconv.Atoi(strings.TrimSpace(a))
	n, err2 := strconv.Atoi(strings.TrimSpace(b))
	if !ok || err1 != nil || err2 != nil || n < 1 || i < 0 || i >= n {
		return mc.Shard{}, fmt.Errorf("-shard %q: give I/N with N >= 1 and I in 0..N-1 (0-based, like $SLURM_ARRAY_TASK_ID with --array=0-(N-1) or $JOB_COMPLETION_INDEX)", s)
	}
	return mc.Shard{Index: i, Count: n}, nil
}

func parseRange(s string) (lo, hi float64, err error) {
	a, b, ok := strings.Cut(s, ",")
	lo, err1 := strconv.ParseFloat(strings.TrimSpace(a), 64)
	hi, err2 := strconv.ParseFloat(strings.TrimSpace(b), 64)
	if !ok || err1 != nil || err2 != nil || !(0 <= lo && lo <= hi && hi <= 1) {
		return 0, 0, fmt.Errorf("%q: give LO,HI with 0 <= LO <= HI <= 1, e.g. 0.94,0.96", s)
	}
	return lo, hi, nil
}

// isTerminal reports whether w is a character device (a terminal), not a
// file or a pipe such as a CI log.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

// progressBar redraws one line on a terminal at most every 100 ms.
type progressBar struct {
	w     io.Writer
	total int
	done  atomic.Int64
	start time.Time
	mu    sync.Mutex
	last  time.Time
}

func newProgressBar(w io.Writer, total int) *progressBar {
	b := &progressBar{w: w, total: total, start: time.Now()}
	b.draw(true)
	return b
}

func (b *progressBar) add(n int) {
	b.done.Add(int64(n))
	b.draw(false)
}

func (b *progressBar) draw(force bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	now := time.Now()
	if !force && now.Sub(b.last) < 100*time.Millisecond {
		return
	}
	b.last = now
	done := int(b.done.Load())
	frac := float64(done) / float64(b.total)
	const width = 30
	filled := int(frac * width)
	elapsed := now.Sub(b.start).Seconds()
	eta := ""
	if done > 0 && done < b.total {
		eta = fmt.Sprintf(", %.0f s left", elapsed/frac-elapsed)
	}
	fmt.Fprintf(b.w, "\r[%s%s] %3.0f%% %d/%d trials, %.1f s%s   ", strings.Repeat("#", filled), strings.Repeat(".", width-filled), 100*frac, done, b.total, elapsed, eta)
}

func (b *progressBar) finish() {
	b.draw(true)
	fmt.Fprintln(b.w)
}
