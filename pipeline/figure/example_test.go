package figure_test

import (
	"fmt"
	"log"
	"os"

	"github.com/ketcurves/ketcurves/pipeline/figure"
	"github.com/ketcurves/ketcurves/pipeline/schema"
)

func ptr(v float64) *float64 { return &v }

// A response endpoint is drawn as the cumulative proportion with response,
// 1 − S(t). WriteCSV lists exactly what is drawn; Save would write the
// figure itself, e.g. f.Save("RESP.svg", figure.DefaultWidth, figure.DefaultHeight).
func ExampleCurves() {
	ep := schema.Endpoint{
		Paramcd: "RESP", Label: "Time to response", Kind: "response", Status: "ok",
		Arms: []schema.ArmSummary{{Arm: "KET", N: 3, Events: 2, Censored: 1}},
		KM: schema.KMTable([]schema.KMRow{
			{Arm: "KET", Time: 1, NRisk: 3, NEvent: 1, Surv: 2.0 / 3, Lower: ptr(0.05), Upper: ptr(0.95)},
			{Arm: "KET", Time: 2, NRisk: 2, NCensor: 1, Surv: 2.0 / 3, Lower: ptr(0.05), Upper: ptr(0.95)},
			{Arm: "KET", Time: 3, NRisk: 1, NEvent: 1, Surv: 0},
		}),
	}
	study := schema.StudyInfo{ID: "DEMO", Synthetic: true, Arms: []schema.ArmInfo{{Name: "KET", Label: "Ketamine"}}}
	f, err := figure.Curves(ep, study)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(f.YLabel)
	if err := f.WriteCSV(os.Stdout); err != nil {
		log.Fatal(err)
	}
	// Output:
	// Cumulative proportion with response
	// series,arm,segment,x,y,value
	// curve,KET,1,0,0,
	// curve,KET,1,1,0.33333333333333337,
	// curve,KET,1,2,0.33333333333333337,
	// curve,KET,1,3,1,
	// ci_lower,KET,1,1,0.050000000000000044,
	// ci_lower,KET,1,2,0.050000000000000044,
	// ci_lower,KET,1,3,0.050000000000000044,
	// ci_upper,KET,1,1,0.95,
	// ci_upper,KET,1,2,0.95,
	// ci_upper,KET,1,3,0.95,
	// censor_mark,KET,1,2,0.33333333333333337,
	// at_risk,KET,1,0,,3
	// at_risk,KET,1,0.5,,3
	// at_risk,KET,1,1,,3
	// at_risk,KET,1,1.5,,2
	// at_risk,KET,1,2,,2
	// at_risk,KET,1,2.5,,1
	// at_risk,KET,1,3,,1
}

// The forest plot draws the Cox model's hazard ratios; WriteCSV lists each
// row with the numbers of cox.csv, and Caption is the figure's alt text.
func ExampleNewForest() {
	res := &schema.Results{
		Study:       schema.StudyInfo{ID: "DEMO"},
		Conventions: schema.Conventions{ConfLevel: 0.95, Methods: []string{"km", "cox"}},
	}
	ep := &schema.Endpoint{
		Paramcd: "RESP", Label: "Time to response",
		Cox: &schema.CoxResult{N: 40, Events: 25, Ties: "efron", Status: "ok", Terms: []schema.CoxTerm{
			{Term: "TRTP:KET", Reference: "SSRI", Estimable: true, HR: 2.5, HRLower: 1.2, HRUpper: 5.2, PValue: 0.014},
			{Term: "AGE", Estimable: false},
		}},
	}
	f, err := figure.NewForest(res, ep)
	if err != nil {
		log.Fatal(err)
	}
	for _, r := range f.Rows {
		fmt.Printf("%-26q heading=%v hr=%v\n", r.Label, r.Heading, r.HR != nil)
	}
	fmt.Println(f.Ticks)
	fmt.Println(f.Caption())
	// Output:
	// "Treatment"                heading=true hr=false
	// "KET vs SSRI"              heading=false hr=true
	// "Covariates (same model)"  heading=true hr=false
	// "AGE (per unit)"           heading=false hr=false
	// [{1 1} {2 2} {5 5} {10 10}]
	// Forest plot of the hazard ratios of Time to response (log scale, line at 1): Cox model on n = 40 with 25 events. Squares: hazard ratios of the Cox model (efron ties); lines: 95% Wald confidence intervals; p: Wald test.
}

// FormatDuration labels times in days as the time axes do.
func ExampleFormatDuration() {
	for _, days := range []float64{0, 40.0 / 1440, 1.0 / 6, 1, 7, 0.1234} {
		fmt.Println(figure.FormatDuration(days))
	}
	// Output:
	// 0
	// 40 min
	// 4 h
	// 1 d
	// 7 d
	// 0.123 d
}
