package rmst

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/ketcurves/ketcurves/pipeline/km"
)

// simulateArm returns n exponential event times with the given mean, in
// whole days, censored by uniform(0, 300) times, from a seeded PCG.
func simulateArm(n int, mean float64, seed uint64) (time []float64, event []bool) {
	rng := rand.New(rand.NewPCG(seed, 2026))
	time = make([]float64, n)
	event = make([]bool, n)
	for i := range time {
		ev := math.Ceil(rng.ExpFloat64() * mean)
		cens := math.Ceil(rng.Float64() * 300)
		time[i] = math.Min(ev, cens)
		event[i] = ev <= cens
	}
	return time, event
}

// benchSizes are the total numbers of subjects (two arms of half each);
// 1e7 is skipped, and 1e6 too, under -short.
func benchSizes(b *testing.B) []int {
	sizes := []int{1e3, 1e4, 1e5, 1e6, 1e7}
	if testing.Short() {
		sizes = sizes[:4]
	}
	return sizes
}

// BenchmarkCompare fits both arms' Kaplan–Meier curves and compares their
// RMST at the default tau: the cost from raw data.
func BenchmarkCompare(b *testing.B) {
	for _, n := range benchSizes(b) {
		t0, e0 := simulateArm(n/2, 100, 1)
		t1, e1 := simulateArm(n/2, 140, 2)
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				a0, err := km.KaplanMeier(t0, e0, km.Options{})
				if err != nil {
					b.Fatal(err)
				}
				a1, err := km.KaplanMeier(t1, e1, km.Options{})
				if err != nil {
					b.Fatal(err)
				}
				if _, err := Compare(a0, a1, DefaultTau(a0, a1)); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkRestricted is the RMST of a fitted curve alone: linear in the
// number of distinct times (here at most 300 days), whatever n.
func BenchmarkRestricted(b *testing.B) {
	for _, n := range benchSizes(b) {
		time, event := simulateArm(n, 100, 1)
		c, err := km.KaplanMeier(time, event, km.Options{})
		if err != nil {
			b.Fatal(err)
		}
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := Restricted(c, 250); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
