package cox_test

import (
	"fmt"

	"github.com/ketcurves/ketcurves/pipeline/cox"
)

// The small data set "test1" of R survival's own tests. In R:
//
//	test1 <- data.frame(time = c(4, 3, 1, 1, 2, 2, 3), status = c(1, 1, 1, 0, 1, 1, 0), x = c(0, 2, 1, 1, 1, 0, 0))
//	coxph(Surv(time, status) ~ x, test1)                    # efron
//	coxph(Surv(time, status) ~ x, test1, ties = "breslow")
func ExampleCoxPH() {
	time := []float64{4, 3, 1, 1, 2, 2, 3}
	event := []bool{true, true, true, false, true, true, false}
	x := [][]float64{{0, 2, 1, 1, 1, 0, 0}}
	for _, ties := range []cox.Ties{cox.Efron, cox.Breslow} {
		fit, err := cox.CoxPH(time, event, x, []string{"x"}, nil, cox.Options{Ties: ties})
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Printf("%-7s coef %.4f  se %.4f  HR %.3f (%.3f, %.3f)  LR %.3f  status %s\n",
			ties, fit.Coef[0], fit.SE[0], fit.HR[0], fit.HRLower[0], fit.HRUpper[0], fit.LR.Statistic, fit.Status)
	}
	// Output:
	// efron   coef 0.4608  se 0.5628  HR 1.585 (0.526, 4.777)  LR 0.657  status ok
	// breslow coef 0.4839  se 0.5713  HR 1.622 (0.530, 4.971)  LR 0.703  status ok
}

// The robust variance of the same fit. In R:
//
//	summary(coxph(Surv(time, status) ~ x, test1, robust = TRUE))
//	# robust se 0.4148, z 1.111, Wald 1.234, "Robust = 2.08  p=0.1"
func ExampleCoxPH_robust() {
	time := []float64{4, 3, 1, 1, 2, 2, 3}
	event := []bool{true, true, true, false, true, true, false}
	x := [][]float64{{0, 2, 1, 1, 1, 0, 0}}
	fit, err := cox.CoxPH(time, event, x, []string{"x"}, nil, cox.Options{Robust: true})
	if err != nil {
		fmt.Println(err)
		return
	}
	r := fit.Robust
	fmt.Printf("coef %.4f  se %.4f  robust se %.4f  z %.3f  robust Wald %.3f  robust score %.3f (p %.3f)\n",
		fit.Coef[0], fit.SE[0], r.SE[0], r.Z[0], r.Wald.Statistic, r.Score.Statistic, r.Score.P)
	// Output:
	// coef 0.4608  se 0.5628  robust se 0.4148  z 1.111  robust Wald 1.234  robust score 2.078 (p 0.149)
}

// Counting-process data (R survival's test2) and the proportional-hazards
// test. In R:
//
//	test2 <- data.frame(start = c(1, 2, 5, 2, 1, 7, 3, 4, 8, 8), stop = c(2, 3, 6, 7, 8, 9, 9, 9, 14, 17),
//	                    event = c(1, 1, 1, 1, 1, 1, 1, 0, 0, 0), x = c(1, 0, 0, 1, 0, 1, 1, 1, 0, 0))
//	fit <- coxph(Surv(start, stop, event) ~ x, test2)      # coef -0.02111, se 0.7952
//	cox.zph(fit, terms = FALSE)                            # x: chisq 0.291, p 0.590
//	cox.zph(fit, transform = "identity", terms = FALSE)    # x: chisq 0.0186, p 0.891
func ExampleZPH() {
	start := []float64{1, 2, 5, 2, 1, 7, 3, 4, 8, 8}
	stop := []float64{2, 3, 6, 7, 8, 9, 9, 9, 14, 17}
	event := []bool{true, true, true, true, true, true, true, false, false, false}
	x := [][]float64{{1, 0, 0, 1, 0, 1, 1, 1, 0, 0}}
	opt := cox.Options{Entry: start}
	fit, err := cox.CoxPH(stop, event, x, []string{"x"}, nil, opt)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("coef %.5f  se %.4f\n", fit.Coef[0], fit.SE[0])
	for _, tr := range []cox.Transform{cox.TransformKM, cox.TransformIdentity} {
		z, err := cox.ZPH(fit, stop, event, x, nil, opt, tr)
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Printf("%-8s %s: chisq %.4f  p %.3f  GLOBAL %.4f on %d df  (%d residuals)\n",
			tr, z.Names[0], z.Tests[0].Statistic, z.Tests[0].P, z.Global.Statistic, z.Global.DF, len(z.Y[0]))
	}
	// Output:
	// coef -0.02111  se 0.7952
	// km       x: chisq 0.2910  p 0.590  GLOBAL 0.2910 on 1 df  (7 residuals)
	// identity x: chisq 0.0186  p 0.891  GLOBAL 0.0186 on 1 df  (7 residuals)
}

// An early and a late treatment effect, split at day 4. In R:
//
//	d <- data.frame(time = c(1, 2, 2, 3, 3, 4, 5, 5, 6, 7, 8, 9), status = c(1, 1, 0, 1, 1, 1, 0, 1, 1, 1, 0, 1),
//	                trt = c(1, 1, 0, 1, 0, 1, 0, 0, 1, 0, 1, 0))
//	sp <- survSplit(Surv(time, status) ~ ., data = d, cut = 4, episode = "tgroup")
//	coxph(Surv(tstart, time, status) ~ trt:strata(tgroup), data = sp)
//	# HR 4.846 (0.541, 43.43) in tgroup 1, 0.781 (0.0687, 8.876) in tgroup 2
func ExamplePiecewise() {
	time := []float64{1, 2, 2, 3, 3, 4, 5, 5, 6, 7, 8, 9}
	event := []bool{true, true, false, true, true, true, false, true, true, true, false, true}
	trt := []float64{1, 1, 0, 1, 0, 1, 0, 0, 1, 0, 1, 0}
	res, err := cox.Piecewise(time, event, trt, "trt", nil, nil, nil, []float64{4}, cox.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, iv := range res.Intervals {
		fmt.Printf("%-12s events %d  HR %.3f (%.3f, %.2f)\n", iv.Name, iv.Events, iv.HR, iv.HRLower, iv.HRUpper)
	}
	// Output:
	// trt:(0,4]    events 5  HR 4.846 (0.541, 43.43)
	// trt:(4,Inf)  events 4  HR 0.781 (0.069, 8.88)
}
