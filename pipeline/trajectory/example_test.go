package trajectory_test

import (
	"fmt"

	"github.com/ketcurves/ketcurves/pipeline/trajectory"
)

func ExampleMeans() {
	s := trajectory.Scores{
		Subject: []string{"S1", "S2", "S3", "S1", "S2", "S3"},
		Arm:     []string{"KET", "KET", "KET", "KET", "KET", "KET"},
		Param:   []string{"MADRS", "MADRS", "MADRS", "MADRS", "MADRS", "MADRS"},
		Visit:   []string{"BASELINE", "BASELINE", "BASELINE", "4H", "4H", "4H"},
		Day:     []float64{0, 0, 0, 1.0 / 6, 1.0 / 6, 1.0 / 6},
		Value:   []float64{32, 30, 34, 18, 12, 15},
	}
	ms, err := trajectory.Means(s, 0.95)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, m := range ms {
		fmt.Printf("%s %-8s day %.3f n = %d mean %.2f (%.2f, %.2f) %s\n", m.Arm, m.Visit, m.Day, m.N, m.Mean, m.Lower, m.Upper, m.Status)
	}
	// Output:
	// KET BASELINE day 0.000 n = 3 mean 32.00 (27.03, 36.97) ok
	// KET 4H       day 0.167 n = 3 mean 15.00 (7.55, 22.45) ok
}
