package guyot_test

import (
	"fmt"

	"github.com/ketcurves/ketcurves/pipeline/guyot"
)

// A published curve of 10 subjects read corner by corner: drops at 1, 2
// and 4, a censoring mark at 3, 10 at risk at 0 and 9 at 2, 3 events in
// all.
func ExampleReconstruct() {
	in := guyot.Input{
		Time:        []float64{0, 1, 1, 2, 2, 4, 4, 6},
		Surv:        []float64{1, 1, 0.9, 0.9, 0.8, 0.8, 0.6857, 0.6857},
		CensorTime:  []float64{3},
		RiskTime:    []float64{0, 2},
		NRisk:       []int{10, 9},
		TotalEvents: 3,
	}
	r, err := guyot.Reconstruct(in)
	if err != nil {
		fmt.Println(err)
		return
	}
	for i := range r.Time {
		fmt.Printf("%g %v\n", r.Time[i], r.Event[i])
	}
	fmt.Printf("largest distance to the points read: %.1e\n", r.MaxKMDiff)
	// Output:
	// 1 true
	// 2 true
	// 3 false
	// 4 true
	// 6 false
	// 6 false
	// 6 false
	// 6 false
	// 6 false
	// 6 false
	// largest distance to the points read: 1.4e-05
}
