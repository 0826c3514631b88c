package logrank

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

// simulate returns n subjects in 3 groups with exponential event times
// (means 80, 100, 120 days) rounded up to whole days and uniform(0, 300)
// censoring, in 4 strata, from a seeded PCG.
func simulate(n int, seed uint64) (time []float64, event []bool, group, strata []int) {
	rng := rand.New(rand.NewPCG(seed, 2026))
	time = make([]float64, n)
	event = make([]bool, n)
	group = make([]int, n)
	strata = make([]int, n)
	for i := range time {
		group[i] = i % 3
		strata[i] = rng.IntN(4)
		ev := math.Ceil(rng.ExpFloat64() * float64(80+20*group[i]))
		cens := math.Ceil(rng.Float64() * 300)
		time[i] = math.Min(ev, cens)
		event[i] = ev <= cens
	}
	return time, event, group, strata
}

func BenchmarkLogRank(b *testing.B) {
	for _, n := range []int{1e2, 1e4, 1e6} {
		time, event, group, strata := simulate(n, 1)
		for _, stratified := range []bool{false, true} {
			s := strata
			if !stratified {
				s = nil
			}
			b.Run(fmt.Sprintf("n=%d/strata=%v", n, stratified), func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					if _, err := LogRank(time, event, group, 3, s); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}

// TestLogRankDeterministic checks that the result does not depend on the
// order of the input rows.
func TestLogRankDeterministic(t *testing.T) {
	time, event, group, strata := simulate(3000, 7)
	a, err := LogRank(time, event, group, 3, strata)
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(3, 4))
	rng.Shuffle(len(time), func(i, j int) {
		time[i], time[j] = time[j], time[i]
		event[i], event[j] = event[j], event[i]
		group[i], group[j] = group[j], group[i]
		strata[i], strata[j] = strata[j], strata[i]
	})
	b, _ := LogRank(time, event, group, 3, strata)
	if a.Chisq != b.Chisq || a.Expected[1] != b.Expected[1] || a.Var[0][2] != b.Var[0][2] {
		t.Errorf("result differs after shuffling: %v vs %v", a.Chisq, b.Chisq)
	}
}
