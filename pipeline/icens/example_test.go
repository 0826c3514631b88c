package icens_test

import (
	"fmt"
	"math"

	"github.com/ketcurves/ketcurves/pipeline/icens"
)

// Time to response seen at visits on days 1, 2, 3, 7 and 14: a response
// first seen at day 3 after a day-2 visit without it is in (2, 3]; a
// subject still without response at day 14 is (14, +Inf).
func ExampleTurnbull() {
	inf := math.Inf(1)
	lower := []float64{0, 0, 1, 2, 2, 3, 3, 7, 14, 14}
	upper := []float64{1, 1, 2, 3, 3, 7, 7, 14, inf, inf}
	f, err := icens.Turnbull(lower, upper, icens.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	for j := range f.Mass {
		fmt.Printf("(%v, %v] mass %.3f S %.3f\n", f.Lower[j], f.Upper[j], f.Mass[j], f.Surv[j])
	}
	q := f.Quantile(0.5)
	fmt.Printf("median in [%v, %v], reported %v (%v)\n", q.Lower, q.Upper, q.Time, f.Status)
	// Output:
	// (0, 1] mass 0.200 S 0.800
	// (1, 2] mass 0.100 S 0.700
	// (2, 3] mass 0.200 S 0.500
	// (3, 7] mass 0.200 S 0.300
	// (7, 14] mass 0.100 S 0.200
	// (14, +Inf] mass 0.200 S 0.000
	// median in [3, 3], reported 3 (converged)
}

// A small made-up trial in which group 1 responds earlier. The same numbers
// come from the base-R re-implementation of interval::ictest(...,
// method = "pclt") in testdata/make_reference.R (turnbull, scores_from_fit,
// pclt): U = -2.437157, 2.437157, chisq = 2.269956, p = 0.1319036, z =
// 1.506637.
func ExampleWeightedLogrank() {
	inf := math.Inf(1)
	lower := []float64{0, 0, 1, 1, 2, 3, 7, 7, 14, 14, 0, 0, 0, 1, 1, 2, 3, 7}
	upper := []float64{1, 2, 3, 7, 7, 14, 14, inf, inf, inf, 1, 1, 1, 2, 2, 3, 7, inf}
	group := []int{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1}
	r, err := icens.WeightedLogrank(lower, upper, group, 2, icens.LogrankSun, icens.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("U = %.3f, %.3f  Z = %.3f  chisq = %.3f on %d df, p = %.4f\n",
		r.U[0], r.U[1], r.Z, r.Chisq, r.DF, r.P)
	// Output:
	// U = -2.437, 2.437  Z = 1.507  chisq = 2.270 on 1 df, p = 0.1319
}
