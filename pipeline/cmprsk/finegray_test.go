package cmprsk

import (
	"fmt"
	"math"
	"testing"
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
		for _, r := range readCSV(t, file) {
			d.time = append(d.time, num(t, r[tcol]))
			d.status = append(d.status, integer(t, r[scol]))
			for j, c := range cols {
				d.x[j] = append(d.x[j], num(t, r[c]))
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
	rows := readCSV(t, "fg_reference.csv")
	for _, r := range rows {
		k := key{r["dataset"], integer(t, r["cause"])}
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
			{"coef", res.Coef[j], num(t, r["coef"])},
			{"se", res.SE[j], num(t, r["se"])},
			{"z", res.Z[j], num(t, r["z"])},
			{"p", res.P[j], num(t, r["p"])},
			{"exp(coef)", res.HR[j], num(t, r["hr"])},
			{"lower", res.HRLower[j], num(t, r["lower"])},
			{"upper", res.HRUpper[j], num(t, r["upper"])},
			{"loglik", res.LogLik, num(t, r["loglik"])},
			{"loglik.null", res.LogLikNull, num(t, r["loglik.null"])},
		}
		for l := range p {
			checks = append(checks,
				struct {
					what      string
					got, want float64
				}{fmt.Sprintf("var[%d,%d]", j, l), res.Var[j*p+l], num(t, r[fmt.Sprintf("var_%d", l+1)])},
				struct {
					what      string
					got, want float64
				}{fmt.Sprintf("invinf[%d,%d]", j, l), res.InvInfo[j*p+l], num(t, r[fmt.Sprintf("invinf_%d", l+1)])})
		}
		for _, c := range checks {
			ok := near(c.got, c.want)
			if c.what == "p" {
				ok = nearRel(c.got, c.want)
			}
			if !ok {
				t.Errorf("%s %s = %v, R %v", name, c.what, c.got, c.want)
			}
			if e := relErr(c.got, c.want); e > 1e-9 {
				t.Logf("%s %s: relative error %.3g", name, c.what, e)
			}
			worst = math.Max(worst, relErr(c.got, c.want))
		}
	}
	t.Logf("max relative error against R: %v", worst)
}
