package icens

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

// visitDays is the ketamine visit schedule: 40 min, 4 h, days 1, 2, 3, 7, 14.
var visitDays = []float64{0.02778, 0.1667, 1, 2, 3, 7, 14}

// simulateVisits returns n interval-censored response times: exponential
// with median 1 day (group 0) or 5 days (group 1), seen at the first
// attended visit after the response, each visit attended with probability
// 0.85; without a visit after the response the subject is right-censored
// at the last attended visit. A seeded PCG makes the data reproducible.
func simulateVisits(n int, seed uint64) (lower, upper []float64, group []int) {
	rng := rand.New(rand.NewPCG(seed, 2026))
	lower = make([]float64, n)
	upper = make([]float64, n)
	group = make([]int, n)
	for i := range n {
		group[i] = i % 2
		median := []float64{1, 5}[group[i]]
		t := rng.ExpFloat64() * median / math.Ln2
		lo, hi := 0.0, math.Inf(1)
		for _, v := range visitDays {
			if rng.Float64() >= 0.85 {
				continue
			}
			if v < t {
				lo = v
			} else if math.IsInf(hi, 1) {
				hi = v
			}
		}
		lower[i], upper[i] = lo, hi
	}
	return lower, upper, group
}

func benchSizes() []int {
	if testing.Short() {
		return []int{1e3, 1e4, 1e5, 1e6}
	}
	return []int{1e3, 1e4, 1e5, 1e6, 1e7}
}

func BenchmarkTurnbull(b *testing.B) {
	for _, n := range benchSizes() {
		lower, upper, _ := simulateVisits(n, 1)
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := Turnbull(lower, upper, Options{}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkWeightedLogrank(b *testing.B) {
	for _, n := range benchSizes() {
		lower, upper, group := simulateVisits(n, 1)
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := WeightedLogrank(lower, upper, group, 2, LogrankSun, Options{}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// Many distinct visit times (a few hundred): visits on a jittered daily
// grid over a year, so m, the number of Turnbull intervals, is large.
func BenchmarkTurnbullManyVisits(b *testing.B) {
	rng := rand.New(rand.NewPCG(5, 5))
	const n = 100000
	lower := make([]float64, n)
	upper := make([]float64, n)
	for i := range n {
		t := rng.ExpFloat64() * 120
		lo := math.Floor(t/3) * 3
		lower[i], upper[i] = lo, lo+3+3*float64(rng.IntN(2))
		if lo > 360 {
			lower[i], upper[i] = 360, math.Inf(1)
		}
	}
	f, err := Turnbull(lower, upper, Options{})
	if err != nil {
		b.Fatal(err)
	}
	b.Logf("n=%d: %d Turnbull intervals, %d iterations, %v", n, len(f.Mass), f.Iterations, f.Status)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Turnbull(lower, upper, Options{}); err != nil {
			b.Fatal(err)
		}
	}
}
