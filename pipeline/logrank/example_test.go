package logrank_test

import (
	"fmt"

	"github.com/ketcurves/ketcurves/pipeline/logrank"
)

// The aml data of R's survival package (group 0 = maintained chemotherapy):
//
//	survdiff(Surv(time, status) ~ x, data = aml)
//	# Chisq= 3.4  on 1 degrees of freedom, p= 0.07  (R 4.2.2, survival 3.5.3)
func ExampleLogRank() {
	time := []float64{9, 13, 13, 18, 23, 28, 31, 34, 45, 48, 161,
		5, 5, 8, 8, 12, 16, 23, 27, 30, 33, 43, 45}
	event := []bool{true, true, false, true, true, false, true, true, false, true, false,
		true, true, true, true, true, false, true, true, true, true, true, true}
	group := []int{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
		1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1}
	res, err := logrank.LogRank(time, event, group, 2, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	for g := range res.K {
		fmt.Printf("group %d: N=%d O=%.0f E=%.2f\n", g, res.N[g], res.Observed[g], res.Expected[g])
	}
	fmt.Printf("chisq=%.3f df=%d p=%.4f\n", res.Chisq, res.DF, res.P)
	// Output:
	// group 0: N=11 O=7 E=10.69
	// group 1: N=12 O=11 E=7.31
	// chisq=3.396 df=1 p=0.0653
}

// The weighted tests of a study plan, by name, on the aml data, and the
// MaxCombo test:
//
//	survdiff(Surv(time, status) ~ x, data = aml, rho = 1)
//	# Chisq= 2.8  on 1 degrees of freedom, p= 0.09  (R 4.2.2, survival 3.5.3)
func ExampleWeighted() {
	d := logrank.Data{
		Time: []float64{9, 13, 13, 18, 23, 28, 31, 34, 45, 48, 161,
			5, 5, 8, 8, 12, 16, 23, 27, 30, 33, 43, 45},
		Event: []bool{true, true, false, true, true, false, true, true, false, true, false,
			true, true, true, true, true, false, true, true, true, true, true, true},
		Group: []int{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1},
		K:     2,
	}
	var weights []logrank.Weight
	for _, name := range []string{"logrank", "fh:1:0", "fh:0:1", "peto_peto", "gehan", "tarone_ware"} {
		test, err := logrank.ParseTest(name)
		if err != nil {
			fmt.Println(err)
			return
		}
		weights = append(weights, test.Weight)
	}
	results, err := logrank.Weighted(d, weights...)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, r := range results {
		fmt.Printf("%-12s chisq=%.3f p=%.4f\n", r.Weight, r.Chisq, r.P)
	}
	mc, err := logrank.MaxCombo(d)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("maxcombo     max|Z|=%.3f p=%.4f (%s)\n", mc.MaxAbsZ, mc.P, mc.Status)
	// Output:
	// logrank      chisq=3.396 p=0.0653
	// fh:1:0       chisq=2.779 p=0.0955
	// fh:0:1       chisq=2.630 p=0.1049
	// peto_peto    chisq=2.708 p=0.0998
	// gehan        chisq=2.723 p=0.0989
	// tarone_ware  chisq=2.982 p=0.0842
	// maxcombo     max|Z|=1.843 p=0.1287 (ok)
}
