package report_test

import (
	"fmt"

	"github.com/ketcurves/ketcurves/pipeline/report"
	"github.com/ketcurves/ketcurves/pipeline/schema"
)

func ExampleMethods() {
	c := schema.Conventions{
		TimeUnit:       "days",
		ConfType:       "log-log",
		ConfLevel:      0.95,
		Variance:       "Greenwood",
		QuantileMethod: "Brookmeyer-Crowley, as R quantile.survfit",
		Ties:           "breslow",
		ReferenceArm:   "PLACEBO",
		Covariates:     []string{"AGE", "BMADRS"},
		Strata:         "SITEGR1",
	}
	fmt.Println(report.Methods(c))
	// Output:
	// Times are in days. Survival curves were estimated by Kaplan–Meier with Greenwood variance and log-log 95% confidence intervals (SAS PROC LIFETEST default, CONFTYPE=LOGLOG; R survfit default is log). Medians and quartiles (the times by which 25%, 50% and 75% of subjects had the event) are given with 95% confidence intervals by Brookmeyer-Crowley, as R quantile.survfit; a quantile the curve does not reach is reported as not reached. Arms were compared by the log-rank test stratified by SITEGR1. Hazard ratios were estimated by Cox regression with Breslow ties (SAS PHREG default; R coxph default is Efron), reference arm PLACEBO, adjusted for AGE and BMADRS, stratified by SITEGR1; the Wald, likelihood-ratio and score tests of the model are reported.
}

func ExampleFormatP() {
	for _, p := range []float64{5.8e-8, 0.00047, 0.0312, 0.5} {
		fmt.Println(report.FormatP(p))
	}
	fmt.Println(report.FormatHR(3.37366), report.FormatHR(0.5))
	fmt.Println(report.EscapeMarkdown("<script>alert(1)</script>|x*y_"))
	// Output:
	// < 0.0001
	// 0.0005
	// 0.031
	// 0.500
	// 3.37 0.500
	// \<script\>alert(1)\</script\>\|x\*y\_
}
