package cmprsk

import (
	"fmt"
	"math"
	"path/filepath"
	"testing"

	"github.com/ketcurves/ketcurves/pipeline/rtest"
)

// TestFineGrayReference compares fg_reference.csv, written by
// testdata/make_fg_reference.R with
//
//	crr(cr$etime, cr$event, cbind(age = cr$age, sex = cr$sex), failcode = cause, cencode = 0)     # mgus2
//	crr(sim$time, sim$status, cbind(trt = sim$trt, score = sim$score), failcode = cause, cencode = 0) # ties
//
// for cause 1 and 2, and summary() of each fit: coef, se(coef), z, p,
// exp(coef) with its 95% interval, loglik, loglik.null, converged, and the
// var (sandwich) and invinf matrices.
func TestFineGrayReference(t *testing.T) {
	type data struct {
		time   []float64
		status []int
		x      [][]float64
		names  []string
	}
	load := func(file, tcol, scol string, cols ...string) data {
		d := data{x: make([][]float64, len(cols)), names: cols}
		for _, r := range rtest.ReadCSV(t, filepath.Join("testdata", file)) {
			d.time = append(d.time, r.Float(t, tcol))
			d.status = append(d.status, r.Int(t, scol))
			for j, c := range cols {
				d.x[j] = append(d.x[j], r.Float(t, c))
			}
		}
		return d
	}
	sets := map[string]data{
		"mgus2_cr": load("mgus2_cr.csv", "etime", "event", "age", "sex"),
		"fg_sim":   load("fg_sim.csv", "time", "status", "trt", "score"),
	}
	type key struct {
		dataset string
		cause   int
	}
	fits := map[key]*FineGrayResult{}
	worst := 0.0
	rows := rtest.ReadCSV(t, "testdata/fg_reference.csv")
	for _, r := range rows {
		k := key{r["dataset"], r.Int(t, "cause")}
		if fits[k] == nil {
			d := sets[k.dataset]
			res, err := FineGray(d.time, d.status, d.x, FineGrayOptions{Cause: k.cause, Names: d.names})
			if err != nil {
				t.Fatal(err)
			}
			fits[k] = res
		}
		res := fits[k]
		j := 0
		for res.Names[j] != r["term"] {
			j++
		}
		p := len(res.Coef)
		name := fmt.Sprintf("%v %s", k, r["term"])
		if res.Status != StatusOK || (r["converged"] == "TRUE") != res.Converged {
			t.Errorf("%s: status %s converged %v; R converged %s", name, res.Status, res.Converged, r["converged"])
		}
		checks := []struct {
			what      string
			got, want float64
		}{
			{"coef", res.Coef[j], r.Float(t, "coef")},
			{"se", res.SE[j], r.Float(t, "se")},
			{"z", res.Z[j], r.Float(t, "z")},
			{"p", res.P[j], r.Float(t, "p")},
			{"exp(coef)", res.HR[j], r.Float(t, "hr")},
			{"lower", res.HRLower[j], r.Float(t, "lower")},
			{"upper", res.HRUpper[j], r.Float(t, "upper")},
			{"loglik", res.LogLik, r.Float(t, "loglik")},
			{"loglik.null", res.LogLikNull, r.Float(t, "loglik.null")},
		}
		for l := range p {
			checks = append(checks,
				struct {
					what      string
					got, want float64
				}{fmt.Sprintf("var[%d,%d]", j, l), res.Var[j*p+l], r.Float(t, fmt.Sprintf("var_%d", l+1))},
				struct {
					what      string
					got, want float64
				}{fmt.Sprintf("invinf[%d,%d]", j, l), res.InvInfo[j*p+l], r.Float(t, fmt.Sprintf("invinf_%d", l+1))})
		}
		for _, c := range checks {
			ok := rtest.Close(c.got, c.want)
			if c.what == "p" {
				ok = nearRel(c.got, c.want)
			}
			if !ok {
				t.Errorf("%s %s = %v, R %v", name, c.what, c.got, c.want)
			}
			if e := rtest.RelErr(c.got, c.want); e > 1e-9 {
				t.Logf("%s %s: relative error %.3g", name, c.what, e)
			}
			worst = math.Max(worst, rtest.RelErr(c.got, c.want))
		}
	}
	t.Logf("max relative error against R: %v", worst)
}
