package rmst_test

import (
	"fmt"

	"github.com/ketcurves/ketcurves/pipeline/km"
	"github.com/ketcurves/ketcurves/pipeline/rmst"
)

// The aml data of R's survival package: arm 0 maintained, arm 1
// nonmaintained chemotherapy. R 4.2.2, survival 3.5.3 prints the same
// rmean and se(rmean) with
//
//	print(survfit(Surv(time, status) ~ x, data = aml), rmean = 161)
//
// and the contrasts are those of survRM2's rmst2(time, status, arm) as
// transcribed in testdata/make_reference.R (rmst_contrasts.csv), whose
// default tau is 161: the nonmaintained arm ends with an event at 45, so
// its curve is 0 after.
func ExampleCompare() {
	maintained, _ := km.KaplanMeier(
		[]float64{9, 13, 13, 18, 23, 28, 31, 34, 45, 48, 161},
		[]bool{true, true, false, true, true, false, true, true, false, true, false}, km.Options{})
	nonmaintained, _ := km.KaplanMeier(
		[]float64{5, 5, 8, 8, 12, 16, 23, 27, 30, 33, 43, 45},
		[]bool{true, true, true, true, true, false, true, true, true, true, true, true}, km.Options{})
	tau := rmst.DefaultTau(maintained, nonmaintained)
	c, err := rmst.Compare(maintained, nonmaintained, tau)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("tau = %g\n", c.Tau)
	for i, a := range []rmst.Estimate{c.Arm0, c.Arm1} {
		fmt.Printf("arm %d: RMST %.2f (se %.2f) [%.2f, %.2f]  RMTL %.2f\n", i, a.RMST, a.SE, a.RMSTLower, a.RMSTUpper, a.RMTL)
	}
	for _, ct := range []km.Contrast{c.Difference, c.RMSTRatio, c.RMTLRatio} {
		fmt.Printf("%s: %.3f [%.3f, %.3f] p = %.3f\n", ct.Measure, ct.Estimate, ct.Lower, ct.Upper, ct.P)
	}
	fmt.Println("warnings:", len(c.Warnings))
	// Output:
	// tau = 161
	// arm 0: RMST 52.65 (se 19.83) [13.78, 91.51]  RMTL 108.35
	// arm 1: RMST 22.71 (se 4.18) [14.51, 30.90]  RMTL 138.29
	// RMST difference (arm 1 - arm 0): -29.937 [-69.655, 9.781] p = 0.140
	// RMST ratio (arm 1 / arm 0): 0.431 [0.190, 0.981] p = 0.045
	// RMTL ratio (arm 1 / arm 0): 1.276 [0.887, 1.836] p = 0.188
	// warnings: 0
}

// A horizon after the last observation of an arm whose curve has not
// reached 0 is computed, as R's survfit does, and reported as a warning.
func ExampleCheckTau() {
	arm0, _ := km.KaplanMeier([]float64{1, 3, 5}, []bool{true, true, false}, km.Options{})
	arm1, _ := km.KaplanMeier([]float64{2, 4, 9}, []bool{true, false, true}, km.Options{})
	for _, w := range rmst.CheckTau(12, arm0, arm1) {
		fmt.Println(w)
	}
	// Output:
	// tau = 12 is after the last observation of arm 0 (time 5, S = 0.3333): the RMST extends S flat over (5, 12], beyond follow-up; choose tau <= 5 or DefaultTau (survRM2 refuses this tau)
}
