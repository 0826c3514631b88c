package main

import (
	"fmt"
	"slices"
	"strings"

	"github.com/ketcurves/ketcurves/pipeline/fit"
)

// benchTask is one analysis timed side by side: the real fit program with
// the flags a user would type, and testdata/bench.R with the same task name.
type benchTask struct {
	Name string // the task name, also bench.R's first argument
	What string // what is measured, for the table
	// Competing: the task reads the file with an EVNTTYPE column.
	Competing bool
	// FitArgs are fit's flags after -adtte FILE -out DIR.
	FitArgs []string
	// Options are fit.Options equal to FitArgs, for benchcmp task (the same
	// code path as fit, in this process, with profiles). TestTaskIsFit
	// checks that both write the same tables.
	Options fit.Options
	// Estimates reads the estimates compared with R's from fit's output
	// folder, under the keys bench.R prints.
	Estimates func(dir string) (map[string][]float64, error)
	// Targets of the issues (13, 9, 10) at TargetRows rows: speed-up
	// (R wall / fit wall) at least Speed; fit's peak RSS at most Memory of
	// R's (0: no memory target).
	TargetRows int
	Speed      float64
	Memory     float64
}

// The covariates of every regression task besides treatment: with TRTP,
// the "4 covariates" of the issues.
var benchCovariates = []string{"AGE", "SEX", "BASEMADRS"}

const (
	taskCox      = "cox"      // read + Cox (Efron) on arm, AGE, SEX, BASEMADRS
	taskKMLR     = "kmlr"     // read + Kaplan–Meier by arm + log-rank
	taskAFT      = "aft"      // read + Weibull AFT on arm, AGE, SEX, BASEMADRS
	taskFineGray = "finegray" // read + Fine–Gray for RESPONSE with DROPOUT competing
)

var benchTasks = []benchTask{
	{
		Name:    taskCox,
		What:    "read + Cox (Efron, 4 covariates)",
		FitArgs: []string{"-covariates", strings.Join(benchCovariates, ","), "-methods", "cox"},
		Options: fit.Options{Covariates: benchCovariates, Methods: []string{"cox"}, MethodsOrigin: "flag -methods"},
		Estimates: func(dir string) (map[string][]float64, error) {
			v, err := readEstimates(dir, csvColumn{"cox.csv", "coef", "coef", nil})
			if err != nil {
				return nil, err
			}
			// Without the tests method the Cox model's tests are in
			// results.json only.
			if v["lr"], err = resultsTest(dir, "cox_lr"); err != nil {
				return nil, err
			}
			return v, nil
		},
		TargetRows: 1e6, Speed: 10, Memory: 1.0 / 3,
	},
	{
		Name:    taskKMLR,
		What:    "read + KM + log-rank",
		FitArgs: []string{"-methods", "km,tests"},
		Options: fit.Options{Methods: []string{"km", "tests"}, MethodsOrigin: "flag -methods"},
		Estimates: func(dir string) (map[string][]float64, error) {
			v, err := readEstimates(dir, csvColumn{"tests.csv", "statistic", "chisq", map[string]string{"test": "logrank"}})
			if err != nil {
				return nil, err
			}
			if v["median"], err = kmMedians(dir); err != nil {
				return nil, err
			}
			return v, nil
		},
		TargetRows: 1e6, Speed: 12, Memory: 1.0 / 3,
	},
	{
		Name:    taskAFT,
		What:    "read + Weibull AFT (4 covariates)",
		FitArgs: []string{"-covariates", strings.Join(benchCovariates, ","), "-methods", "aft", "-aft", "weibull"},
		Options: fit.Options{Covariates: benchCovariates, Methods: []string{"aft"}, MethodsOrigin: "flag -methods",
			Settings: fit.Settings{"aft": {Value: "weibull", Origin: "flag -aft"}}},
		Estimates: func(dir string) (map[string][]float64, error) {
			// aft.csv ends with the Log(scale) row, as coef(survreg) then log(scale).
			return readEstimates(dir,
				csvColumn{"aft.csv", "coef", "coef", map[string]string{"dist": "weibull"}},
				csvColumn{"aft_models.csv", "loglik", "loglik", map[string]string{"dist": "weibull"}},
			)
		},
		TargetRows: 1e6, Speed: 10,
	},
	{
		Name:      taskFineGray,
		What:      "read + Fine-Gray (4 covariates)",
		Competing: true,
		FitArgs: []string{"-covariates", strings.Join(benchCovariates, ","), "-methods", "finegray",
			"-event-column", "EVNTTYPE", "-event-of-interest", eventResponse},
		Options: fit.Options{Covariates: benchCovariates, Methods: []string{"finegray"}, MethodsOrigin: "flag -methods",
			EventColumn: "EVNTTYPE", EventOfInterest: eventResponse},
		Estimates: func(dir string) (map[string][]float64, error) {
			return readEstimates(dir,
				csvColumn{"finegray.csv", "coef", "coef", map[string]string{"cause": eventResponse}},
				csvColumn{"finegray.csv", "se", "se", map[string]string{"cause": eventResponse}},
			)
		},
		TargetRows: 5e4, Speed: 50,
	},
}

func taskNamed(name string) (benchTask, bool) {
	i := slices.IndexFunc(benchTasks, func(t benchTask) bool { return t.Name == name })
	if i < 0 {
		return benchTask{}, false
	}
	return benchTasks[i], true
}

func taskNames() string {
	var names []string
	for _, t := range benchTasks {
		names = append(names, t.Name)
	}
	return strings.Join(names, ", ")
}

// fitCommand is the fit command line of task t on file, writing into out.
func (t benchTask) fitCommand(file, out string) []string {
	return append([]string{"-adtte", file, "-out", out}, t.FitArgs...)
}

// describe writes the commands of both sides, for the report.
func (t benchTask) describe(rscript, script string) string {
	return fmt.Sprintf("%s: fit %s  vs  %s %s %s FILE", t.Name, strings.Join(t.fitCommand("FILE", "DIR"), " "), rscript, script, t.Name)
}
