package ipd

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

// simulate draws n subjects over k studies: exponential event times with
// a study-specific baseline and log HR 0.5, uniform censoring.
func simulate(n, k int) Data {
	rng := rand.New(rand.NewPCG(1, 1))
	d := Data{Time: make([]float64, n), Event: make([]bool, n), Treated: make([]bool, n), Study: make([]int, n)}
	for s := range k {
		d.Studies = append(d.Studies, fmt.Sprintf("s%d", s))
	}
	for i := range n {
		s := i % k
		trt := rng.IntN(2) == 1
		rate := 0.1 * float64(s+1)
		if trt {
			rate *= math.Exp(0.5)
		}
		ev, cens := rng.ExpFloat64()/rate, 20*rng.Float64()
		d.Time[i], d.Event[i], d.Treated[i], d.Study[i] = math.Min(ev, cens), ev <= cens, trt, s
	}
	return d
}

func BenchmarkOneStage(b *testing.B) {
	for _, n := range []int{1e3, 1e4, 1e5, 1e6, 1e7} {
		if testing.Short() && n > 1e5 {
			continue
		}
		d := simulate(n, 5)
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
			for b.Loop() {
				if _, err := OneStage(d, Options{}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// TestRecoversHR checks on a large simulated trial that the one-stage
// estimate is near the true log HR 0.5 and that the heterogeneity test
// does not reject a common effect.
func TestRecoversHR(t *testing.T) {
	res, err := OneStage(simulate(20000, 4), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(res.Effect.LogHR-0.5) > 4*res.Effect.SE {
		t.Errorf("log HR %.4f (SE %.4f), want 0.5", res.Effect.LogHR, res.Effect.SE)
	}
	if res.Heterogeneity.DF != 3 || res.Heterogeneity.P < 0.001 {
		t.Errorf("heterogeneity %+v: want df 3 and no rejection", res.Heterogeneity)
	}
}

func TestErrors(t *testing.T) {
	d := Data{Time: []float64{1, 2, 3}, Event: []bool{true, true, false}, Treated: []bool{true, true, true}, Study: []int{0, 0, 0}, Studies: []string{"a"}}
	if _, err := OneStage(d, Options{}); err == nil {
		t.Error("one arm only: no error")
	}
	d.Treated[2], d.Event = false, []bool{false, false, false}
	if _, err := OneStage(d, Options{}); err == nil {
		t.Error("no events: no error")
	}
}
