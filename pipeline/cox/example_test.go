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
