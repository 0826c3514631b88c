package aft_test

import (
	"fmt"
	"math"

	"github.com/ketcurves/ketcurves/pipeline/aft"
)

// survival's aml data: maintained chemotherapy (maint = 1) or not. In R:
//
//	aml$maint <- as.integer(aml$x == "Maintained")
//	fit <- survreg(Surv(time, status) ~ maint, data = aml)        # Weibull
//	summary(fit)
//	predict(fit, data.frame(maint = c(0, 1)), type = "quantile", p = .5, se.fit = TRUE)
//
// gives coefficients 3.180 (se 0.241), 0.929 (0.383), Log(scale) -0.235
// (0.178), loglik -83.18 and -80.52, 5 iterations, exp(confint(fit))
// 1.197 to 5.360 for maint, medians 17.99 (se 4.54) and 45.57 (14.05), and
// exp(-exp((log(30) - lp)/fit$scale)) = 0.266 and 0.665.
func ExampleFit() {
	time := []float64{9, 13, 13, 18, 23, 28, 31, 34, 45, 48, 161, 5, 5, 8, 8, 12, 16, 23, 27, 30, 33, 43, 45}
	status := []int{1, 1, 0, 1, 1, 0, 1, 1, 0, 1, 0, 1, 1, 1, 1, 1, 0, 1, 1, 1, 1, 1, 1}
	maint := []float64{1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}
	event := make([]bool, len(status))
	for i, s := range status {
		event[i] = s == 1
	}
	fit, err := aft.Fit(aft.RightCensored(time, event), [][]float64{maint}, []string{"maint"}, aft.Weibull, aft.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	for j, name := range fit.Names {
		fmt.Printf("%-12s %7.3f %6.3f\n", name, fit.Coef[j], fit.SE[j])
	}
	fmt.Printf("loglik %.2f (intercept only %.2f), %d iterations, status %s\n", fit.LogLik, fit.LogLik0, fit.Iterations, fit.Status)
	fmt.Printf("time ratio %.3f (%.3f, %.3f)\n", fit.TimeRatio[1], fit.TRLower[1], fit.TRUpper[1])
	for _, m := range []float64{0, 1} {
		q := fit.PredictQuantile([]float64{m}, []float64{0.5})[0]
		fmt.Printf("maint=%g: median %.2f (se %.2f), S(30) = %.3f\n", m, q.Quantile, q.SE, fit.At([]float64{m}).Survival(30))
	}
	// Output:
	// (Intercept)    3.180  0.241
	// maint          0.929  0.383
	// Log(scale)    -0.235  0.178
	// loglik -80.52 (intercept only -83.18), 5 iterations, status ok
	// time ratio 2.533 (1.197, 5.360)
	// maint=0: median 17.99 (se 4.54), S(30) = 0.266
	// maint=1: median 45.57 (se 14.05), S(30) = 0.665
}

// Interval-censored times as R's Surv(L, R, type = "interval2"): NaN lower
// bound = left-censored, NaN (or +Inf) upper bound = right-censored. In R:
//
//	L <- c(NA, 2, 4, 6, 1, 3, 5, NA, 8, 2); R <- c(3, 5, NA, 6, 4, NA, 9, 2, NA, 7)
//	g <- c(0, 0, 0, 0, 0, 1, 1, 1, 1, 1)
//	survreg(Surv(L, R, type = "interval2") ~ g, dist = "lognormal")
//
// gives 1.260 (0.359), 0.346 (0.518), Log(scale) -0.338 (0.356), 3 iterations.
func ExampleFit_intervalCensored() {
	nan := math.NaN()
	resp := aft.Response{
		Lower: []float64{nan, 2, 4, 6, 1, 3, 5, nan, 8, 2},
		Upper: []float64{3, 5, nan, 6, 4, nan, 9, 2, nan, 7},
	}
	g := []float64{0, 0, 0, 0, 0, 1, 1, 1, 1, 1}
	fit, err := aft.Fit(resp, [][]float64{g}, []string{"g"}, aft.LogNormal, aft.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	for j, name := range fit.Names {
		fmt.Printf("%-12s %7.3f %6.3f\n", name, fit.Coef[j], fit.SE[j])
	}
	fmt.Printf("%+v, %d iterations\n", fit.Counts, fit.Iterations)
	// Output:
	// (Intercept)    1.260  0.359
	// g              0.346  0.518
	// Log(scale)    -0.338  0.356
	// {Exact:1 Right:3 Left:2 Interval:4}, 3 iterations
}

// The generalized gamma with Q = 1 is the Weibull with the same location
// and scale: S(20) = exp(-(20/e^3)^(1/0.8)), median e^3 (log 2)^0.8.
func ExampleGenGamma() {
	g := aft.GenGamma{Mu: 3, Sigma: 0.8, Q: 1}
	w := aft.Distribution{Dist: aft.Weibull, Location: 3, Scale: 0.8}
	fmt.Printf("S(20): gengamma %.6f, Weibull %.6f\n", g.Survival(20), w.Survival(20))
	fmt.Printf("median: gengamma %.4f, Weibull %.4f\n", g.Quantile(0.5), w.Quantile(0.5))
	// Output:
	// S(20): gengamma 0.369842, Weibull 0.369842
	// median: gengamma 14.9811, Weibull 14.9811
}
