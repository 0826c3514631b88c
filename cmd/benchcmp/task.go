package main

import (
	"fmt"
	"io"
	"math"
	"os"
	"runtime"
	"runtime/pprof"
	"slices"
	"strconv"

	"github.com/ketcurves/ketcurves/pipeline/adam"
	"github.com/ketcurves/ketcurves/pipeline/cox"
	"github.com/ketcurves/ketcurves/pipeline/km"
	"github.com/ketcurves/ketcurves/pipeline/logrank"
)

// Tasks measured side by side with R (testdata/bench.R).
const (
	taskCox  = "cox"  // read + Cox (Efron) on arm, AGE, SEX, BASEMADRS
	taskKMLR = "kmlr" // read + Kaplan–Meier by arm + log-rank
)

// runTask reads the ADTTE file with the validating reader and runs one task,
// printing the estimates as "key value" lines like bench.R.
//
// As soon as the table is read, the columns the task needs are extracted as
// numbers and the table of strings is released: the analysis then neither
// holds nor garbage-collects a million-row table of strings it no longer
// needs (R keeps its data frame; the whole-process comparison is still like
// for like: same file, same validation, same estimates).
func runTask(task, path string, reader adam.Reader, stdout io.Writer) error {
	t, rep, err := adam.ReadADTTE(path, adam.Options{Reader: reader})
	if err != nil {
		return err
	}
	if rep.Rejected > 0 {
		return fmt.Errorf("%s: %d rows rejected: the benchmark file should be clean", path, rep.Rejected)
	}
	memStats("after read")
	// Columns no analysis here uses go before the first collection, so the
	// design is built in their memory rather than on top of it.
	t.StudyID, t.USUBJID, t.PARAMCD, t.Line = nil, nil, nil, nil
	t.EvntDesc, t.CnsDtDsc, t.Entry = nil, nil, nil
	if task != taskCox {
		t.Extra = nil
	}
	runtime.GC() // the parser's garbage: collect it before the design is built
	d, err := newDesign(t, task == taskCox)
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	t = nil
	runtime.GC() // the table of strings is garbage now: reuse its memory
	memStats("after design")
	defer memStats("end")
	switch task {
	case taskCox:
		return coxTask(d, stdout)
	case taskKMLR:
		return kmlrTask(d, stdout)
	}
	return fmt.Errorf("unknown task %q: use %s or %s", task, taskCox, taskKMLR)
}

// design holds the numeric columns of the benchmark analyses.
type design struct {
	arms  []string // control first
	time  []float64
	event []bool
	group []int       // 0 control, 1 experimental
	x     [][]float64 // arm, AGE, SEX = M, BASEMADRS; nil for kmlr
	names []string
}

func newDesign(t *adam.ADTTE, covariates bool) (*design, error) {
	// Distinct arms, sorted: the control arm ESCITALOPRAM comes first.
	var arms []string
	for i, a := range t.TRTP {
		if (i == 0 || a != t.TRTP[i-1]) && !slices.Contains(arms, a) {
			arms = append(arms, a)
		}
	}
	slices.Sort(arms)
	if len(arms) != 2 {
		return nil, fmt.Errorf("%d arms, want 2", len(arms))
	}
	n := t.Len()
	d := &design{arms: arms, time: t.AVAL, event: t.Event, group: make([]int, n)}
	for i, a := range t.TRTP {
		if a == arms[1] {
			d.group[i] = 1
		}
	}
	if !covariates {
		return d, nil
	}
	trt := make([]float64, n)
	for i, g := range d.group {
		trt[i] = float64(g)
	}
	age, err := numericColumn(t, "AGE")
	if err != nil {
		return nil, err
	}
	score, err := numericColumn(t, "BASEMADRS")
	if err != nil {
		return nil, err
	}
	sexCol, ok := t.Extra["SEX"]
	if !ok {
		return nil, fmt.Errorf("column SEX is missing")
	}
	male := make([]float64, n)
	for i, s := range sexCol {
		if s == "M" {
			male[i] = 1
		}
	}
	d.x = [][]float64{trt, age, male, score}
	d.names = []string{"TRTP" + arms[1], "AGE", "SEXM", "BASEMADRS"}
	return d, nil
}

func coxTask(d *design, stdout io.Writer) error {
	res, err := cox.CoxPH(d.time, d.event, d.x, d.names, nil, cox.Options{Ties: cox.Efron})
	if err != nil {
		return err
	}
	fmt.Fprint(stdout, "coef")
	for _, b := range res.Coef {
		fmt.Fprintf(stdout, " %.10g", b)
	}
	fmt.Fprintf(stdout, "\nloglik %.10g\nrows %d\n", res.LogLik, len(d.time))
	return nil
}

func kmlrTask(d *design, stdout io.Writer) error {
	fmt.Fprint(stdout, "median")
	n := len(d.time)
	for g := range 2 {
		m := 0
		for _, gi := range d.group {
			if gi == g {
				m++
			}
		}
		tm, ev := make([]float64, 0, m), make([]bool, 0, m)
		for i := range n {
			if d.group[i] == g {
				tm = append(tm, d.time[i])
				ev = append(ev, d.event[i])
			}
		}
		c, err := km.KaplanMeier(tm, ev, km.Options{ConfType: km.Log})
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, " %.10g", c.Quantile(0.5).Time)
	}
	lr, err := logrank.LogRank(d.time, d.event, d.group, 2, nil)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "\nchisq %.10g\nrows %d\n", lr.Chisq, n)
	return nil
}

func numericColumn(t *adam.ADTTE, name string) ([]float64, error) {
	raw, ok := t.Extra[name]
	if !ok {
		return nil, fmt.Errorf("column %s is missing", name)
	}
	out := make([]float64, len(raw))
	for i, s := range raw {
		v, err := strconv.ParseFloat(s, 64)
		if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
			return nil, fmt.Errorf("line %d: %s %q is not a finite number", t.Line[i], name, s)
		}
		out[i] = v
	}
	return out, nil
}

func init() {
	if p := os.Getenv("BENCHCMP_CPUPROFILE"); p != "" {
		f, _ := os.Create(p)
		pprof.StartCPUProfile(f)
		stopProfile = func() { pprof.StopCPUProfile(); f.Close() }
	}
}

var stopProfile = func() {}

var memStats = func(string) {}
