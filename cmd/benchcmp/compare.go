package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/ketcurves/ketcurves/pipeline/adam"
	"github.com/ketcurves/ketcurves/pipeline/atomicfile"
)

const compareUsage = `usage: benchcmp compare [flags]

For each size, write build/bench/adtte_<n>.csv once (benchcmp gen, seed 1),
then run, each in a fresh process,
  benchcmp task -task cox|kmlr -adtte FILE      (ketcurves)
  Rscript bench.R cox|kmlr FILE                 (R: read.csv + coxph, or
                                                 read.csv + survfit + survdiff)
and print wall time, CPU time (user+sys) and peak resident set size of each
process, and the ratios: speed-up = R wall / ketcurves wall, memory =
ketcurves peak RSS / R peak RSS. Processes are timed by /usr/bin/time when
it exists, else by the wait4 rusage of the child (the same kernel counters).
The estimates printed by both programs must agree to 1e-6 (relative); a
disagreement is an error. On a shared machine, compare the CPU columns too:
R runs on one core, so its wall time is about its CPU time.

R runs only when Rscript is on PATH with the survival package, and only up
to -r-max rows (R needs about 0.7 GB and 20-30 s a task at 1e6 rows on a
2-core machine); otherwise its columns are empty and a message says why.

The table is also written to DIR/compare.md.

Flags:
`

func runCompare(args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("benchcmp compare", compareUsage, stderr)
	sizesFlag := fs.String("sizes", "1e3,1e4,1e5,1e6,1e7", "comma-separated numbers of rows")
	rMax := fs.Float64("r-max", 1e6, "largest size R is run on")
	dir := fs.String("dir", "build/bench", "folder for the generated files and compare.md")
	script := fs.String("script", "cmd/benchcmp/testdata/bench.R", "the R script")
	rscript := fs.String("rscript", "Rscript", "the Rscript program")
	tasks := fs.String("tasks", "cox,kmlr", "tasks to compare: cox, kmlr")
	repeat := fs.Int("repeat", 3, "runs of each ketcurves measurement; the fastest is kept (the machine may be shared)")
	rRepeat := fs.Int("r-repeat", 1, "runs of each R measurement; the fastest is kept")
	seed := fs.Uint64("seed", 1, "PCG seed of the generated files")
	mcTrials := fs.Int("mc-trials", 10000, "trials of the Monte Carlo comparison; 0 skips it")
	mcScript := fs.String("mc-script", "cmd/benchcmp/testdata/mc.R", "the R script of the Monte Carlo comparison")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		fs.Usage()
		return usageError{"compare takes no arguments"}
	}
	sizes, err := parseSizes(*sizesFlag)
	if err != nil {
		return usageError{fmt.Sprintf("-sizes: %v", err)}
	}
	taskList := splitList(*tasks)
	for _, t := range taskList {
		if t != taskCox && t != taskKMLR {
			return usageError{fmt.Sprintf("-tasks: unknown task %q: use cox and/or kmlr", t)}
		}
	}
	if *repeat < 1 || *rRepeat < 1 {
		return usageError{"-repeat and -r-repeat must be at least 1"}
	}
	self, err := os.Executable()
	if err != nil {
		return fmt.Errorf("could not find this program's path to run its task subcommand: %w", err)
	}
	ctx := context.Background()
	timer := newTimer()
	rOK, rWhy := rAvailable(ctx, *rscript, *script)

	fmt.Fprintf(stdout, "machine: %s\n", machine())
	fmt.Fprintf(stdout, "timing: %s; fastest of %d ketcurves runs and %d R runs; load average at start: %s\n", timer.method(), *repeat, *rRepeat, loadAvg())
	if !rOK {
		fmt.Fprintf(stdout, "R: skipped: %s\n", rWhy)
	} else {
		fmt.Fprintf(stdout, "R: %s %s (up to %s rows)\n", *rscript, *script, fmtRows(int(*rMax)))
	}
	var rows []compareRow
	hdr := fmt.Sprintf("%-9s %-5s | %9s %9s %9s | %9s %9s %9s | %8s %8s | %s", "rows", "task", "wall_s", "cpu_s", "rss_MB", "R_wall_s", "R_cpu_s", "R_rss_MB", "speedup", "mem", "estimates")
	fmt.Fprintln(stdout, hdr)
	var problems []string
	for _, n := range sizes {
		path := filepath.Join(*dir, fmt.Sprintf("adtte_%s_seed%d.csv", fmtRows(n), *seed))
		if _, err := os.Stat(path); err != nil {
			fmt.Fprintf(stderr, "benchcmp: writing %s (%d rows)\n", path, n)
			if err := generate(path, n, *seed); err != nil {
				return err
			}
		}
		for _, task := range taskList {
			r := compareRow{Rows: n, Task: task}
			r.Go, err = best(*repeat, func() (measurement, error) {
				return timer.run(ctx, self, "task", "-task", task, "-adtte", path)
			})
			if err != nil {
				return fmt.Errorf("ketcurves %s on %s: %w", task, path, err)
			}
			if rOK && float64(n) <= *rMax {
				m, err := best(*rRepeat, func() (measurement, error) {
					return timer.run(ctx, *rscript, *script, task, path)
				})
				if err != nil {
					return fmt.Errorf("R %s on %s: %w", task, path, err)
				}
				r.R = &m
				r.Agree, r.Detail = sameEstimates(r.Go.values, m.values)
				if !r.Agree {
					problems = append(problems, fmt.Sprintf("%s at %d rows: %s", task, n, r.Detail))
				}
			}
			rows = append(rows, r)
			fmt.Fprintln(stdout, r.line())
		}
	}
	if *mcTrials > 0 {
		fmt.Fprintf(stdout, "Monte Carlo, %d two-arm trials of n = 200 (log-rank + Cox; ketcurves: all cores; R: one core, survdiff + coxph loop, testdata/mc.R):\n", *mcTrials)
		r := compareRow{Rows: *mcTrials, Task: taskMC}
		r.Go, err = best(*repeat, func() (measurement, error) {
			return timer.run(ctx, self, "task", "-task", taskMC, "-trials", strconv.Itoa(*mcTrials))
		})
		if err != nil {
			return fmt.Errorf("ketcurves mc: %w", err)
		}
		if rOK {
			m, err := best(*rRepeat, func() (measurement, error) {
				return timer.run(ctx, *rscript, *mcScript, strconv.Itoa(*mcTrials))
			})
			if err != nil {
				return fmt.Errorf("R mc: %w", err)
			}
			r.R = &m
			r.Agree, r.Detail = samePower(r.Go.values, m.values)
			if !r.Agree {
				problems = append(problems, "mc: "+r.Detail)
			}
		}
		rows = append(rows, r)
		fmt.Fprintln(stdout, r.line())
	}
	fmt.Fprintf(stdout, "load average at end: %s\n", loadAvg())
	for _, t := range targets(rows) {
		fmt.Fprintln(stdout, t)
	}
	if err := atomicfile.Write(filepath.Join(*dir, "compare.md"), func(w io.Writer) error {
		return writeMarkdown(w, rows, timer.method())
	}); err != nil {
		return err
	}
	if len(problems) > 0 {
		return fmt.Errorf("ketcurves and R estimates differ: %s", strings.Join(problems, "; "))
	}
	return nil
}

// measurement is one process run.
type measurement struct {
	Wall, CPU float64 // seconds; CPU is user + system
	RSS       int64   // peak resident set size, bytes
	values    map[string][]float64
}

type compareRow struct {
	Rows   int
	Task   string
	Go     measurement
	R      *measurement
	Agree  bool
	Detail string
}

func (r compareRow) line() string {
	s := fmt.Sprintf("%-9s %-5s | %9.3f %9.3f %9.1f |", fmtRows(r.Rows), r.Task, r.Go.Wall, r.Go.CPU, mb(r.Go.RSS))
	if r.R == nil {
		return s + fmt.Sprintf(" %9s %9s %9s | %8s %8s | %s", "-", "-", "-", "-", "-", "-")
	}
	agree := "same"
	if !r.Agree {
		agree = "DIFFER: " + r.Detail
	}
	return s + fmt.Sprintf(" %9.3f %9.3f %9.1f | %7.1fx %8.2f | %s", r.R.Wall, r.R.CPU, mb(r.R.RSS), r.R.Wall/r.Go.Wall, float64(r.Go.RSS)/float64(r.R.RSS), agree)
}

// targets checks the targets at 1e6 rows.
func targets(rows []compareRow) []string {
	var out []string
	for _, r := range rows {
		if r.Rows != 1e6 || r.R == nil || r.Task == taskMC {
			continue
		}
		speed := r.R.Wall / r.Go.Wall
		mem := float64(r.Go.RSS) / float64(r.R.RSS)
		switch r.Task {
		case taskCox:
			out = append(out, fmt.Sprintf("target read+Cox at 1e6 rows: speed-up %.1fx (want >= 10x) %s; memory %.2f of R's (want <= 0.33) %s", speed, verdict(speed >= 10), mem, verdict(mem <= 1.0/3)))
		case taskKMLR:
			out = append(out, fmt.Sprintf("target read+KM+log-rank at 1e6 rows: speed-up %.1fx (want >= 10x) %s", speed, verdict(speed >= 10)))
		}
	}
	for _, r := range rows {
		if r.Task == taskMC && r.Rows == 10000 {
			out = append(out, fmt.Sprintf("target 10,000 trials (n = 200, log-rank + Cox) under 2 s on %d cores: %.2f s %s", runtime.NumCPU(), r.Go.Wall, verdict(r.Go.Wall < 2)))
		}
	}
	return out
}

func verdict(ok bool) string {
	if ok {
		return "met"
	}
	return "NOT MET"
}

func writeMarkdown(w io.Writer, rows []compareRow, method string) error {
	fmt.Fprintf(w, "# ketcurves vs R survival, whole process\n\nMachine: %s. Timing: %s.\n\n", machine(), method)
	fmt.Fprintln(w, "| rows | task | wall (s) | CPU (s) | peak RSS (MB) | R wall (s) | R CPU (s) | R peak RSS (MB) | speed-up | memory ratio |")
	fmt.Fprintln(w, "|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|")
	for _, r := range rows {
		fmt.Fprintf(w, "| %s | %s | %.3f | %.3f | %.1f |", fmtRows(r.Rows), r.Task, r.Go.Wall, r.Go.CPU, mb(r.Go.RSS))
		if r.R == nil {
			fmt.Fprintln(w, " | | | | |")
			continue
		}
		fmt.Fprintf(w, " %.3f | %.3f | %.1f | %.1fx | %.2f |\n", r.R.Wall, r.R.CPU, mb(r.R.RSS), r.R.Wall/r.Go.Wall, float64(r.Go.RSS)/float64(r.R.RSS))
	}
	_, err := fmt.Fprintln(w)
	return err
}

// best runs f n times and keeps the fastest run.
func best(n int, f func() (measurement, error)) (measurement, error) {
	var out measurement
	for i := range n {
		m, err := f()
		if err != nil {
			return m, err
		}
		if i == 0 || m.Wall < out.Wall {
			out = m
		}
	}
	return out, nil
}

// timer runs a process and measures it, with /usr/bin/time if present.
type timer struct{ gnuTime string }

func newTimer() timer {
	const gnu = "/usr/bin/time"
	if st, err := os.Stat(gnu); err == nil && st.Mode()&0o111 != 0 {
		return timer{gnuTime: gnu}
	}
	return timer{}
}

func (t timer) method() string {
	if t.gnuTime != "" {
		return t.gnuTime + ` -f "%e %U %S %M" (wall clock, user and system CPU, maximum resident set size)`
	}
	return "wait4 rusage of the child process (wall clock measured around it, ru_utime+ru_stime, ru_maxrss)"
}

func (t timer) run(ctx context.Context, name string, args ...string) (measurement, error) {
	var out, errb bytes.Buffer
	var cmd *exec.Cmd
	var report string
	if t.gnuTime != "" {
		f, err := os.CreateTemp("", "benchcmp-time-*")
		if err != nil {
			return measurement{}, fmt.Errorf("could not create a file for /usr/bin/time's report: %w", err)
		}
		report = f.Name()
		f.Close()
		defer os.Remove(report)
		cmd = exec.CommandContext(ctx, t.gnuTime, append([]string{"-f", "%e %U %S %M", "-o", report, name}, args...)...)
	} else {
		cmd = exec.CommandContext(ctx, name, args...)
	}
	cmd.Stdout, cmd.Stderr = &out, &errb
	start := time.Now()
	err := cmd.Run()
	wall := time.Since(start).Seconds()
	if err != nil {
		return measurement{}, fmt.Errorf("%s %s: %w: %s", name, strings.Join(args, " "), err, strings.TrimSpace(errb.String()))
	}
	m := measurement{Wall: wall, values: parseValues(out.String())}
	if t.gnuTime != "" {
		b, err := os.ReadFile(report)
		if err != nil {
			return m, fmt.Errorf("could not read /usr/bin/time's report: %w", err)
		}
		f := strings.Fields(string(b))
		if len(f) < 4 {
			return m, fmt.Errorf("unexpected /usr/bin/time report %q", b)
		}
		v := make([]float64, 4)
		for i := range v {
			if v[i], err = strconv.ParseFloat(f[len(f)-4+i], 64); err != nil {
				return m, fmt.Errorf("unexpected /usr/bin/time report %q", b)
			}
		}
		m.Wall, m.CPU, m.RSS = v[0], v[1]+v[2], int64(v[3])*1024
		return m, nil
	}
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		m.CPU = tv(ru.Utime) + tv(ru.Stime)
		m.RSS = ru.Maxrss * 1024 // kilobytes on Linux
	}
	return m, nil
}

func tv(t syscall.Timeval) float64 { return float64(t.Sec) + float64(t.Usec)/1e6 }

// rAvailable reports whether Rscript runs and has survival.
func rAvailable(ctx context.Context, rscript, script string) (bool, string) {
	if _, err := exec.LookPath(rscript); err != nil {
		return false, fmt.Sprintf("%s is not installed (on Debian: apt-get install r-base-core r-cran-survival)", rscript)
	}
	if _, err := os.Stat(script); err != nil {
		return false, fmt.Sprintf("the R script %s is missing (run from the repository root, or pass -script)", script)
	}
	cmd := exec.CommandContext(ctx, rscript, "-e", "library(survival)")
	if out, err := cmd.CombinedOutput(); err != nil {
		return false, fmt.Sprintf("R's survival package is not installed (apt-get install r-cran-survival): %s", strings.TrimSpace(string(out)))
	}
	return true, ""
}

// parseValues reads "key v1 v2 ..." lines; non-numeric tokens are skipped.
func parseValues(s string) map[string][]float64 {
	out := map[string][]float64{}
	for _, line := range strings.Split(s, "\n") {
		f := strings.Fields(line)
		if len(f) < 2 {
			continue
		}
		for _, tok := range f[1:] {
			if v, err := strconv.ParseFloat(tok, 64); err == nil {
				out[f[0]] = append(out[f[0]], v)
			}
		}
	}
	return out
}

// compared are the estimates both programs print.
var compared = []string{"rows", "coef", "loglik", "median", "chisq"}

// sameEstimates checks the estimates to 1e-6 relative.
func sameEstimates(ours, theirs map[string][]float64) (bool, string) {
	for _, k := range compared {
		a, b := ours[k], theirs[k]
		if len(a) == 0 && len(b) == 0 {
			continue
		}
		if len(a) != len(b) {
			return false, fmt.Sprintf("%s: %v vs R %v", k, a, b)
		}
		for i := range a {
			if math.Abs(a[i]-b[i]) > 1e-6*math.Max(math.Abs(b[i]), 1e-300) {
				return false, fmt.Sprintf("%s: %v vs R %v", k, a, b)
			}
		}
	}
	return true, ""
}

func parseSizes(s string) ([]int, error) {
	var out []int
	for _, f := range splitList(s) {
		v, err := strconv.ParseFloat(f, 64)
		if err != nil || v < 1 || v > 1e9 || v != math.Trunc(v) {
			return nil, fmt.Errorf("%q is not a number of rows between 1 and 1e9 (e.g. 1e6)", f)
		}
		out = append(out, int(v))
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("no sizes given")
	}
	return out, nil
}

// fmtRows writes 1000000 as 1e6 and other numbers as they are.
func fmtRows(n int) string {
	e := 0
	for m := n; m >= 10 && m%10 == 0; m /= 10 {
		e++
	}
	if e >= 3 && n == int(math.Pow10(e)) {
		return fmt.Sprintf("1e%d", e)
	}
	return strconv.Itoa(n)
}

func mb(b int64) float64 { return float64(b) / (1 << 20) }

func splitList(s string) []string {
	var out []string
	for _, f := range strings.Split(s, ",") {
		if f = strings.TrimSpace(f); f != "" {
			out = append(out, f)
		}
	}
	return out
}

func machine() string {
	model := "unknown CPU"
	if b, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for _, line := range strings.Split(string(b), "\n") {
			if k, v, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(k) == "model name" {
				model = strings.TrimSpace(v)
				break
			}
		}
	}
	mem := ""
	if b, err := os.ReadFile("/proc/meminfo"); err == nil {
		if f := strings.Fields(string(b)); len(f) > 1 && f[0] == "MemTotal:" {
			if kb, err := strconv.ParseFloat(f[1], 64); err == nil {
				mem = fmt.Sprintf(", %.0f GB RAM", kb/(1<<20))
			}
		}
	}
	return fmt.Sprintf("%d CPUs (%s)%s, %s/%s, %s", runtime.NumCPU(), model, mem, runtime.GOOS, runtime.GOARCH, runtime.Version())
}

func loadAvg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return "unknown"
	}
	return strings.Join(f[:3], " ")
}

func adamReader(s string) adam.Reader {
	if s == "gota" {
		return adam.ReaderGota
	}
	return adam.ReaderStream
}
