package aft

import (
	"fmt"
	"math"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/ketcurves/ketcurves/pipeline/rtest"
	"gonum.org/v1/gonum/floats/scalar"
)

// Tolerances against R: relative 1e-6, absolute 1e-9 near zero.
const (
	relTol = 1e-6
	absTol = 1e-9
)

// dataset is a reference data set as the Go tests fit it.
type dataset struct {
	resp  Response
	x     [][]float64
	names []string
}

// loadDataset returns the data of the R call named ds in make_reference.R.
func loadDataset(t testing.TB, ds string) dataset {
	t.Helper()
	file := map[string]string{"lung": "lung.csv", "lung_null": "lung.csv", "lung_visits": "lung_visits.csv", "sim_interval": "sim_interval.csv"}[ds]
	rows := rtest.ReadCSV(t, filepath.Join("testdata", file))
	var names []string
	switch ds {
	case "lung", "lung_visits":
		names = []string{"age", "female", "ph.ecog"}
	case "sim_interval":
		names = []string{"arm", "z"}
	}
	d := dataset{names: names, x: make([][]float64, len(names))}
	var time []float64
	var event []bool
	for _, r := range rows {
		if ds == "lung" || ds == "lung_null" {
			time = append(time, r.Float(t, "time"))
			event = append(event, r["status"] == "1")
		} else {
			d.resp.Lower = append(d.resp.Lower, r.Float(t, "lower"))
			d.resp.Upper = append(d.resp.Upper, r.Float(t, "upper"))
		}
		for j, nm := range names {
			d.x[j] = append(d.x[j], r.Float(t, nm))
		}
	}
	if time != nil {
		d.resp = RightCensored(time, event)
	}
	return d
}

// fitReference fits the model of the R call
//
//	lung:         survreg(Surv(time, status) ~ age + female + ph.ecog, data = lung, dist = d)
//	lung_null:    survreg(Surv(time, status) ~ 1, data = lung, dist = d)
//	lung_visits:  survreg(Surv(lower, upper, type = "interval2") ~ age + female + ph.ecog, data = visits, dist = d)
//	sim_interval: survreg(Surv(lower, upper, type = "interval2") ~ arm + z, data = sim, dist = d)
//
// (testdata/make_reference.R; R 4.2.2, survival 3.5.3).
func fitReference(t testing.TB, ds, dist string) *Model {
	t.Helper()
	d := loadDataset(t, ds)
	m, err := Fit(d.resp, d.x, d.names, Dist(dist), Options{})
	if err != nil {
		t.Fatalf("%s %s: %v", ds, dist, err)
	}
	if m.Status != StatusOK {
		t.Fatalf("%s %s: status %s %v", ds, dist, m.Status, m.Messages)
	}
	return m
}

// maxRel tracks the largest relative error seen, for the log.
type maxRel struct{ v float64 }

func (mr *maxRel) check(t *testing.T, what string, got, want float64) {
	t.Helper()
	if !scalar.EqualWithinAbsOrRel(got, want, absTol, relTol) {
		t.Errorf("%s = %.12g, R %.12g", what, got, want)
	}
	if want != 0 {
		mr.v = math.Max(mr.v, math.Abs(got-want)/math.Abs(want))
	}
}

// TestSurvregReference compares every fit with survreg: loglik[1] and [2],
// scale, df, AIC (AIC(fit)), Chisq, iterations, summary(fit)$table and
// fit$var.
func TestSurvregReference(t *testing.T) {
	models := map[string]*Model{}
	var mr maxRel
	for _, r := range rtest.ReadCSV(t, "testdata/survreg_fit.csv") {
		ds, dist := r["dataset"], r["dist"]
		m := fitReference(t, ds, dist)
		models[ds+"/"+dist] = m
		id := ds + " " + dist
		mr.check(t, id+" loglik", m.LogLik, r.Float(t, "loglik"))
		mr.check(t, id+" loglik0", m.LogLik0, r.Float(t, "loglik0"))
		mr.check(t, id+" scale", m.Scale, r.Float(t, "scale"))
		mr.check(t, id+" AIC", m.AIC, r.Float(t, "aic"))
		if !scalar.EqualWithinAbsOrRel(m.Chisq, r.Float(t, "chisq"), 1e-6, relTol) {
			t.Errorf("%s Chisq = %v, R %v", id, m.Chisq, r["chisq"])
		}
		if strconv.Itoa(m.DF) != r["df"] {
			t.Errorf("%s df = %d, R %s", id, m.DF, r["df"])
		}
		if strconv.Itoa(m.Iterations) != r["iter"] {
			t.Errorf("%s iterations = %d, R %s", id, m.Iterations, r["iter"])
		}
	}
	for _, r := range rtest.ReadCSV(t, "testdata/survreg_coef.csv") {
		m := models[r["dataset"]+"/"+r["dist"]]
		j := termIndex(t, m, r["term"])
		id := fmt.Sprintf("%s %s %s", r["dataset"], r["dist"], r["term"])
		mr.check(t, id+" coef", m.Coef[j], r.Float(t, "coef"))
		mr.check(t, id+" se", m.SE[j], r.Float(t, "se"))
		mr.check(t, id+" z", m.Z[j], r.Float(t, "z"))
		mr.check(t, id+" p", m.P[j], r.Float(t, "p"))
	}
	for _, r := range rtest.ReadCSV(t, "testdata/survreg_var.csv") {
		m := models[r["dataset"]+"/"+r["dist"]]
		a, b := termIndex(t, m, r["row"]), termIndex(t, m, r["col"])
		mr.check(t, fmt.Sprintf("%s %s var[%s,%s]", r["dataset"], r["dist"], r["row"], r["col"]), m.Var[a][b], r.Float(t, "value"))
	}
	t.Logf("max relative error against survreg: %.2g", mr.v)
}

func termIndex(t testing.TB, m *Model, name string) int {
	t.Helper()
	for j, n := range m.Names {
		if n == name {
			return j
		}
	}
	t.Fatalf("term %q not in %v", name, m.Names)
	return -1
}

// newdata are the rows of make_reference.R's newdata per data set.
var newdata = map[string][][]float64{
	"lung":         {{50, 0, 0}, {62, 1, 1}, {75, 0, 2}},
	"lung_visits":  {{50, 0, 0}, {62, 1, 1}, {75, 0, 2}},
	"sim_interval": {{0, 0}, {1, 0}, {1, 1.5}},
	"lung_null":    {{}, {}},
}

// TestPredictQuantileReference compares PredictQuantile with
//
//	predict(fit, newdata, type = "quantile", p = c(.25, .5, .75), se.fit = TRUE)
func TestPredictQuantileReference(t *testing.T) {
	var mr maxRel
	models := map[string]*Model{}
	for _, r := range rtest.ReadCSV(t, "testdata/survreg_quantile.csv") {
		key := r["dataset"] + "/" + r["dist"]
		m := models[key]
		if m == nil {
			m = fitReference(t, r["dataset"], r["dist"])
			models[key] = m
		}
		row, _ := strconv.Atoi(r["newrow"])
		p := r.Float(t, "p")
		got := m.PredictQuantile(newdata[r["dataset"]][row], []float64{p})[0]
		id := fmt.Sprintf("%s row %d p %v", key, row, p)
		mr.check(t, id+" quantile", got.Quantile, r.Float(t, "quantile"))
		mr.check(t, id+" se", got.SE, r.Float(t, "se"))
		if q := m.At(newdata[r["dataset"]][row]).Quantile(p); !scalar.EqualWithinAbsOrRel(q, got.Quantile, 1e-12, 1e-12) {
			t.Errorf("%s: Distribution.Quantile %v, PredictQuantile %v", id, q, got.Quantile)
		}
	}
	t.Logf("max relative error against predict.survreg: %.2g", mr.v)
}

// TestSurvivalCurveReference compares SurvivalCurve with the delta-method
// interval on z = (log t - lp)/scale computed from fit$var in
// make_reference.R (no R function gives it).
func TestSurvivalCurveReference(t *testing.T) {
	var mr maxRel
	models := map[string]*Model{}
	for _, r := range rtest.ReadCSV(t, "testdata/survreg_survci.csv") {
		key := r["dataset"] + "/" + r["dist"]
		m := models[key]
		if m == nil {
			m = fitReference(t, r["dataset"], r["dist"])
			models[key] = m
		}
		row, _ := strconv.Atoi(r["newrow"])
		tm := r.Float(t, "time")
		got := m.SurvivalCurve(newdata[r["dataset"]][row], []float64{tm})[0]
		id := fmt.Sprintf("%s row %d t %v", key, row, tm)
		mr.check(t, id+" surv", got.Surv, r.Float(t, "surv"))
		mr.check(t, id+" lower", got.Lower, r.Float(t, "lower"))
		mr.check(t, id+" upper", got.Upper, r.Float(t, "upper"))
		mr.check(t, id+" se(z)", got.SEZ, r.Float(t, "se.z"))
		if s := m.At(newdata[r["dataset"]][row]).Survival(tm); !scalar.EqualWithinAbsOrRel(s, got.Surv, 1e-14, 1e-12) {
			t.Errorf("%s: Distribution.Survival %v, SurvivalCurve %v", id, s, got.Surv)
		}
	}
	t.Logf("max relative error against the R delta method: %.2g", mr.v)
}
