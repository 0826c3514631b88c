package main

import (
	"fmt"
	"io"
	"os"
	"runtime"
	"runtime/pprof"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/ketcurves/ketcurves/pipeline/adam"
	"github.com/ketcurves/ketcurves/pipeline/fit"
)

// profileFiles are the optional pprof outputs of a task.
type profileFiles struct {
	CPU, Mem string
}

// runTask runs task t on file in this process by the code path of cmd/fit
// (adam.ReadADTTE, fit.Analyze, fit.WriteOutputs into out), and prints for
// each phase its wall time, the live heap after it and the process's peak
// resident set size so far, then the estimates, as "key value" lines.
//
// It is the profiling twin of the fit program that "benchcmp compare"
// times: the same calls with the same options (TestTaskIsFit), so a CPU or
// heap profile of it is a profile of fit.
func runTask(t benchTask, file, out string, prof profileFiles, stdout io.Writer) (err error) {
	if prof.CPU != "" {
		f, err := os.Create(prof.CPU)
		if err != nil {
			return fmt.Errorf("could not create the CPU profile: %w", err)
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return fmt.Errorf("could not start the CPU profile: %w", err)
		}
		defer pprof.StopCPUProfile()
	}
	if prof.Mem != "" {
		runtime.MemProfileRate = 64 << 10
		defer func() {
			if werr := writeHeapProfile(prof.Mem, "allocs"); err == nil {
				err = werr
			}
		}()
	}
	ph := newPhases(stdout)
	tab, rep, err := adam.ReadADTTE(file, adam.Options{KeepColumn: fit.KeepColumn(t.Options), DropSubjects: !fit.KeepSubjects(t.Options)})
	if err != nil {
		return err
	}
	if rep.Rejected > 0 {
		return fmt.Errorf("%s: %d rows rejected: the benchmark file should be clean", file, rep.Rejected)
	}
	ph.done("read")
	if prof.Mem != "" {
		// What is live once the table is read: the table itself.
		if err := writeHeapProfile(strings.TrimSuffix(prof.Mem, ".pprof")+"-read.pprof", "heap"); err != nil {
			return err
		}
	}
	opt := t.Options
	opt.Program = "ketcurves fit"
	res, err := fit.Analyze(tab, rep, opt)
	if err != nil {
		return err
	}
	ph.done("analyze")
	if prof.Mem != "" {
		// What is live once analysed: the table and the results.
		if err := writeHeapProfile(strings.TrimSuffix(prof.Mem, ".pprof")+"-analyze.pprof", "heap"); err != nil {
			return err
		}
	}
	tab = nil
	if err := fit.WriteOutputs(out, res); err != nil {
		return err
	}
	ph.done("write")
	if err := fit.Err(res); err != nil {
		return err
	}
	v, err := t.Estimates(out)
	if err != nil {
		return err
	}
	printValues(stdout, v)
	return nil
}

// writeHeapProfile writes the named pprof profile: "heap" (inuse_space:
// what is live now, after a collection) or "allocs" (alloc_space: every
// allocation so far).
func writeHeapProfile(path, name string) error {
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("could not create the heap profile: %w", err)
	}
	defer f.Close()
	if name == "heap" {
		runtime.GC()
	}
	if err := pprof.Lookup(name).WriteTo(f, 0); err != nil {
		return fmt.Errorf("could not write the heap profile: %w", err)
	}
	return f.Close()
}

// phases prints "phase NAME wall_s W heap_MB H peak_rss_MB R" lines.
type phases struct {
	w    io.Writer
	last time.Time
}

func newPhases(w io.Writer) *phases { return &phases{w: w, last: time.Now()} }

func (p *phases) done(name string) {
	now := time.Now()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	fmt.Fprintf(p.w, "phase %s wall_s %.3f heap_MB %.1f heap_sys_MB %.1f peak_rss_MB %.1f\n", name, now.Sub(p.last).Seconds(), mb(int64(m.HeapAlloc)), mb(int64(m.HeapSys-m.HeapReleased)), mb(peakRSS()))
	p.last = now
}

// peakRSS is VmHWM of /proc/self/status (0 where there is none).
func peakRSS() int64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			f := strings.Fields(rest)
			if len(f) > 0 {
				kb, _ := strconv.ParseInt(f[0], 10, 64)
				return kb << 10
			}
		}
	}
	return 0
}

// printValues writes "key v1 v2 ..." lines, sorted by key.
func printValues(w io.Writer, v map[string][]float64) {
	keys := make([]string, 0, len(v))
	for k := range v {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		fmt.Fprint(w, k)
		for _, x := range v[k] {
			fmt.Fprintf(w, " %.10g", x)
		}
		fmt.Fprintln(w)
	}
}
