package cure_test

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/ketcurves/ketcurves/pipeline/cure"
)

// simulate draws a two-arm trial: responder fractions 0.4 (arm 0) and
// 0.7 (arm 1), Weibull latency among responders, censoring at 20-150 days.
func simulate(n int) (time []float64, event []bool, arm []int, dummy []float64) {
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range n {
		a := i % 2
		pi := []float64{0.4, 0.7}[a]
		c := 20 + 130*rng.Float64()
		t, e := c, false
		if rng.Float64() < pi {
			if r := math.Exp(3 + 0.3*float64(a) + 0.5*math.Log(rng.ExpFloat64())); r <= c {
				t, e = r, true
			}
		}
		time, event = append(time, t), append(event, e)
		arm, dummy = append(arm, a), append(dummy, float64(a))
	}
	return time, event, arm, dummy
}

func ExampleFit() {
	time, event, arm, dummy := simulate(2000)
	design := cure.Design{X: [][]float64{dummy}, Names: []string{"arm=1"}}
	m, err := cure.Fit(time, event, design, design, cure.Options{Latency: cure.Weibull, Groups: arm})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("status:", m.Status)
	for _, t := range m.Terms {
		fmt.Printf("%-9s %-11s %6.3f (SE %.3f)\n", t.Component, t.Name, t.Coef, t.SE)
	}
	for a := range 2 {
		s := m.Summary(cure.Profile{Incidence: []float64{float64(a)}, Latency: []float64{float64(a)}})
		fmt.Printf("arm %d: responders %.2f [%.2f, %.2f], median latency %.1f [%.1f, %.1f] days\n",
			a, s.Fraction, s.FractionLower, s.FractionUpper, s.Median, s.MedianLower, s.MedianUpper)
	}
	// Output:
	// status: ok
	// incidence (Intercept) -0.374 (SE 0.065)
	// incidence arm=1        1.209 (SE 0.098)
	// latency   (Intercept)  3.018 (SE 0.026)
	// latency   arm=1        0.287 (SE 0.033)
	// latency   log(scale)  -0.709 (SE 0.025)
	// arm 0: responders 0.41 [0.38, 0.44], median latency 17.1 [16.2, 18.0] days
	// arm 1: responders 0.70 [0.67, 0.73], median latency 22.8 [21.8, 23.7] days
}

func ExamplePlateauTest() {
	time := []float64{3, 5, 8, 12, 15, 21, 30, 38, 40, 42, 50, 55, 60, 60}
	event := []bool{true, true, true, true, true, true, true, true, true, false, false, false, false, false}
	pl, err := cure.PlateauTest(time, event, 0.05)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("plateau from %g to %g (length %g) at S = %.2f\n", pl.LastEvent, pl.LastTime, pl.Length, pl.KM)
	fmt.Printf("Maller-Zhou: %d of %d observations in (%g, %g], p = %.4f: %s\n",
		pl.Count, pl.N, 2*pl.LastEvent-pl.LastTime, pl.LastEvent, pl.P, pl.Status)
	// Output:
	// plateau from 40 to 60 (length 20) at S = 0.36
	// Maller-Zhou: 4 of 14 observations in (20, 40], p = 0.0090: ok
}

func ExampleCurve() {
	c := cure.Curve{Fraction: 0.7, Latency: cure.Weibull, Mu: 3, Sigma: 0.5}
	fmt.Printf("S(30) = %.3f, plateau 1 - π = %.3f\n", c.Survival(30), c.Survival(math.Inf(1)))
	fmt.Printf("median time to response %.1f days; 80th percentile: %v (never reached)\n", c.Quantile(0.5), c.Quantile(0.8))
	// Output:
	// S(30) = 0.375, plateau 1 - π = 0.300
	// median time to response 22.5 days; 80th percentile: +Inf (never reached)
}
