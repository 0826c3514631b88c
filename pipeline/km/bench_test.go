package km

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

// simulate returns n exponential event times (mean 100 days) rounded up to
// whole days, censored by uniform(0, 300) times, from a seeded PCG.
func simulate(n int, seed uint64) (time []float64, event []bool) {
	rng := rand.New(rand.NewPCG(seed, 2026))
	time = make([]float64, n)
	event = make([]bool, n)
	for i := range time {
		ev := math.Ceil(rng.ExpFloat64() * 100)
		cens := math.Ceil(rng.Float64() * 300)
		time[i] = math.Min(ev, cens)
		event[i] = ev <= cens
	}
	return time, event
}

func BenchmarkKaplanMeier(b *testing.B) {
	for _, n := range []int{1e2, 1e4, 1e6} {
		time, event := simulate(n, 1)
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := KaplanMeier(time, event, Options{}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// TestKaplanMeierDeterministic checks that the estimate does not depend on
// the order of the input rows.
func TestKaplanMeierDeterministic(t *testing.T) {
	time, event := simulate(2000, 7)
	a, err := KaplanMeier(time, event, Options{})
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(3, 4))
	rng.Shuffle(len(time), func(i, j int) {
		time[i], time[j] = time[j], time[i]
		event[i], event[j] = event[j], event[i]
	})
	b, _ := KaplanMeier(time, event, Options{})
	for i := range a.Time {
		if a.Time[i] != b.Time[i] || a.Surv[i] != b.Surv[i] || a.Lower[i] != b.Lower[i] {
			t.Fatalf("row %d differs after shuffling", i)
		}
	}
}
