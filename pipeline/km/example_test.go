package km_test

import (
	"fmt"

	"github.com/ketcurves/ketcurves/pipeline/km"
)

// The aml data of R's survival package, maintained arm:
//
//	fit <- survfit(Surv(time, status) ~ 1, data = subset(aml, x == "Maintained"),
//	               conf.type = "log-log")
//	summary(fit); quantile(fit, 0.5)   # R 4.2.2, survival 3.5.3 prints the same
func ExampleKaplanMeier() {
	time := []float64{9, 13, 13, 18, 23, 28, 31, 34, 45, 48, 161}
	event := []bool{true, true, false, true, true, false, true, true, false, true, false}
	c, err := km.KaplanMeier(time, event, km.Options{ConfType: km.LogLog})
	if err != nil {
		fmt.Println(err)
		return
	}
	for i := range c.Time {
		if c.NEvent[i] > 0 {
			fmt.Printf("t=%3.0f n=%2d d=%d S=%.3f se=%.3f [%.3f, %.3f]\n",
				c.Time[i], c.NRisk[i], c.NEvent[i], c.Surv[i], c.StdErr[i], c.Lower[i], c.Upper[i])
		}
	}
	q := c.Quantile(0.5)
	fmt.Printf("median %.0f [%.0f, %.0f]\n", q.Time, q.Lower, q.Upper)
	// Output:
	// t=  9 n=11 d=1 S=0.909 se=0.087 [0.508, 0.987]
	// t= 13 n=10 d=1 S=0.818 se=0.116 [0.447, 0.951]
	// t= 18 n= 8 d=1 S=0.716 se=0.140 [0.350, 0.899]
	// t= 23 n= 7 d=1 S=0.614 se=0.153 [0.266, 0.835]
	// t= 31 n= 5 d=1 S=0.491 se=0.164 [0.167, 0.753]
	// t= 34 n= 4 d=1 S=0.368 se=0.163 [0.093, 0.657]
	// t= 48 n= 2 d=1 S=0.184 se=0.153 [0.012, 0.525]
	// median 31 [13, NaN]
}

// Delayed entry: subjects 3 to 5 enter the risk set late, at days 5, 5 and
// 6; nobody is at risk between the censoring at day 4 and day 5, and S
// carries over that gap, as R gives with
//
//	fit <- survfit(Surv(c(0, 0, 5, 5, 6), c(2, 4, 8, 9, 10), c(1, 0, 1, 0, 1)) ~ 1)
//	summary(fit, censored = TRUE)
func ExampleKaplanMeier_delayedEntry() {
	time := []float64{2, 4, 8, 9, 10}
	event := []bool{true, false, true, false, true}
	entry := []float64{0, 0, 5, 5, 6}
	c, err := km.KaplanMeier(time, event, km.Options{ConfType: km.Log, Entry: entry})
	if err != nil {
		fmt.Println(err)
		return
	}
	for i := range c.Time {
		fmt.Printf("t=%2.0f n=%d d=%d S=%.3f se=%.3f\n", c.Time[i], c.NRisk[i], c.NEvent[i], c.Surv[i], c.StdErr[i])
	}
	// Output:
	// t= 2 n=2 d=1 S=0.500 se=0.354
	// t= 4 n=1 d=0 S=0.500 se=0.354
	// t= 8 n=3 d=1 S=0.333 se=0.272
	// t= 9 n=2 d=0 S=0.333 se=0.272
	// t=10 n=1 d=1 S=0.000 se=NaN
}
