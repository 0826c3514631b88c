package aft

import (
	"math"
	"testing"

	"github.com/ketcurves/ketcurves/pipeline/rtest"
	"gonum.org/v1/gonum/floats/scalar"
)

// TestGenGammaReference compares FitGenGamma with the independent base-R fit
// of testdata/make_reference.R: optim(start, gg_nll, gg_grad, method =
// "BFGS", control = list(reltol = 1e-12)) from the Weibull survreg fit, five
// Newton steps with the central-difference Hessian gg_hess, SEs from
// solve(gg_hess(...)), on
//
//	lung:        Surv(time, status) ~ age + female + ph.ecog
//	lung_null:   Surv(time, status) ~ 1
//	lung_visits: Surv(lower, upper, type = "interval2") ~ age + female + ph.ecog
//
// Agreement is required to 1e-5 relative (estimates, SEs, loglik).
func TestGenGammaReference(t *testing.T) {
	const tol = 1e-5
	models := map[string]*GenGammaModel{}
	var worst float64
	for _, r := range rtest.ReadCSV(t, "testdata/gengamma.csv") {
		ds := r["dataset"]
		m := models[ds]
		if m == nil {
			d := loadDataset(t, ds)
			var err error
			m, err = FitGenGamma(d.resp, d.x, d.names, Options{})
			if err != nil {
				t.Fatal(err)
			}
			if m.Status != StatusOK {
				t.Fatalf("%s: status %s %v", ds, m.Status, m.Messages)
			}
			models[ds] = m
			if want := r.Float(t, "loglik"); !scalar.EqualWithinAbsOrRel(m.LogLik, want, tol, tol) {
				t.Errorf("%s loglik = %.10g, R %.10g", ds, m.LogLik, want)
			}
			worst = math.Max(worst, math.Abs(m.LogLik/r.Float(t, "loglik")-1))
			if !(m.LogLik >= m.WeibullLogLik-1e-9 && m.LogLik >= m.LogNormalLogLik-1e-9) {
				t.Errorf("%s: loglik %v below a nested model's (Weibull %v, lognormal %v)", ds, m.LogLik, m.WeibullLogLik, m.LogNormalLogLik)
			}
		}
		j := -1
		for k, n := range m.Names {
			if n == r["term"] {
				j = k
			}
		}
		if j < 0 {
			t.Fatalf("%s: term %q not in %v", ds, r["term"], m.Names)
		}
		est, se := r.Float(t, "est"), r.Float(t, "se")
		if !scalar.EqualWithinAbsOrRel(m.Coef[j], est, tol, tol) {
			t.Errorf("%s %s = %.10g, R %.10g", ds, r["term"], m.Coef[j], est)
		}
		if !scalar.EqualWithinAbsOrRel(m.SE[j], se, tol, tol) {
			t.Errorf("%s se(%s) = %.10g, R %.10g", ds, r["term"], m.SE[j], se)
		}
		worst = math.Max(worst, math.Max(math.Abs(m.Coef[j]/est-1), math.Abs(m.SE[j]/se-1)))
	}
	t.Logf("max relative error against the R optim fit: %.2g", worst)
}
