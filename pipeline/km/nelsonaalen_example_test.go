package km_test

import (
	"fmt"

	"github.com/ketcurves/ketcurves/pipeline/km"
)

// The maintained arm of R's aml data:
//
//	fit <- survfit(Surv(time, status) ~ 1, data = subset(aml, x == "Maintained"))
//	fit$cumhaz; fit$std.chaz   # R 4.2.2, survival 3.5.3 prints the same
func ExampleNelsonAalen() {
	time := []float64{9, 13, 13, 18, 23, 28, 31, 34, 45, 48, 161}
	event := []bool{true, true, false, true, true, false, true, true, false, true, false}
	h, err := km.NelsonAalen(time, event, km.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	for i := range h.Time {
		if h.NEvent[i] > 0 {
			fmt.Printf("t=%3.0f n=%2d d=%d H=%.3f se=%.3f [%.3f, %.3f]\n",
				h.Time[i], h.NRisk[i], h.NEvent[i], h.CumHaz[i], h.StdErr[i], h.Lower[i], h.Upper[i])
		}
	}
	// Output:
	// t=  9 n=11 d=1 H=0.091 se=0.091 [0.013, 0.645]
	// t= 13 n=10 d=1 H=0.191 se=0.135 [0.048, 0.765]
	// t= 18 n= 8 d=1 H=0.316 se=0.184 [0.101, 0.990]
	// t= 23 n= 7 d=1 H=0.459 se=0.233 [0.170, 1.241]
	// t= 31 n= 5 d=1 H=0.659 se=0.307 [0.264, 1.643]
	// t= 34 n= 4 d=1 H=0.909 se=0.396 [0.387, 2.135]
	// t= 48 n= 2 d=1 H=1.409 se=0.638 [0.580, 3.421]
}

// Proportions with the event by 12 and 36 weeks in R's aml data, and the
// nonmaintained (arm 1) versus maintained (arm 0) contrasts; at 50 weeks
// the nonmaintained arm (last observed at 45) is beyond follow-up:
//
//	s <- summary(survfit(Surv(time, status) ~ x, data = aml, conf.type = "log-log"), times = c(12, 36))
//	1 - s$surv; s$std.err
func ExampleCompareMilestone() {
	opt := km.Options{ConfType: km.LogLog}
	maintained, _ := km.KaplanMeier(
		[]float64{9, 13, 13, 18, 23, 28, 31, 34, 45, 48, 161},
		[]bool{true, true, false, true, true, false, true, true, false, true, false}, opt)
	nonmaintained, _ := km.KaplanMeier(
		[]float64{5, 5, 8, 8, 12, 16, 23, 27, 30, 33, 43, 45},
		[]bool{true, true, true, true, true, false, true, true, true, true, true, true}, opt)
	for _, t := range []float64{12, 36, 50} {
		mc, err := km.CompareMilestone(maintained, nonmaintained, t)
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Printf("t=%g: F0 %.3f [%.3f, %.3f], F1 %.3f [%.3f, %.3f]\n", t,
			mc.Arm0.Rate, mc.Arm0.Lower, mc.Arm0.Upper, mc.Arm1.Rate, mc.Arm1.Lower, mc.Arm1.Upper)
		d, r := mc.Difference, mc.Ratio
		fmt.Printf("  difference %.3f [%.3f, %.3f] p=%.3f (%s); ratio %.2f [%.2f, %.2f] (%s)\n",
			d.Estimate, d.Lower, d.Upper, d.P, d.Status, r.Estimate, r.Lower, r.Upper, r.Status)
	}
	// Output:
	// t=12: F0 0.091 [0.013, 0.492], F1 0.417 [0.199, 0.730]
	//   difference 0.326 [-0.001, 0.652] p=0.051 (ok); ratio 4.58 [0.63, 33.36] (ok)
	// t=36: F0 0.632 [0.343, 0.907], F1 0.806 [0.539, 0.969]
	//   difference 0.174 [-0.225, 0.572] p=0.393 (ok); ratio 1.27 [0.71, 2.29] (ok)
	// t=50: F0 0.816 [0.475, 0.988], F1 NaN [NaN, NaN]
	//   difference NaN [NaN, NaN] p=NaN (beyond_follow_up); ratio NaN [NaN, NaN] (beyond_follow_up)
}
