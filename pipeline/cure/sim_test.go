package cure

import (
	"math"
	"math/rand/v2"
)

// trueModel is the model simulateTrial draws from: two arms with
// responder fractions 0.4 (arm 0) and 0.7 (arm 1), Weibull latency with
// log T = 3 + 0.3 arm + 0.5 W among responders (median about 16 and 22
// days), and administrative censoring uniform on (20, 150) days.
var trueModel = struct {
	pi0, pi1             float64
	mu, armEffect, sigma float64
	censorLo, censorHi   float64
}{0.4, 0.7, 3, 0.3, 0.5, 20, 150}

// simulateTrial draws n subjects (alternating arms) from trueModel with a
// seeded PCG. It returns times, events, and the arm dummy as a design.
func simulateTrial(n int, seed uint64) (time []float64, event []bool, arm []int, design Design) {
	rng := rand.New(rand.NewPCG(seed, 2026))
	tm := trueModel
	time, event, arm = make([]float64, n), make([]bool, n), make([]int, n)
	dummy := make([]float64, n)
	for i := range n {
		arm[i] = i % 2
		dummy[i] = float64(arm[i])
		pi := tm.pi0
		if arm[i] == 1 {
			pi = tm.pi1
		}
		c := tm.censorLo + (tm.censorHi-tm.censorLo)*rng.Float64()
		time[i] = c
		if rng.Float64() < pi {
			w := math.Log(rng.ExpFloat64()) // standard minimum extreme value
			t := math.Exp(tm.mu + tm.armEffect*dummy[i] + tm.sigma*w)
			if t <= c {
				time[i], event[i] = t, true
			}
		}
	}
	return time, event, arm, Design{X: [][]float64{dummy}, Names: []string{"arm"}}
}
