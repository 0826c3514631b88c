package km

import (
	"fmt"
	"testing"
)

// naBenchSizes are the benchmark sizes of the Nelson–Aalen and milestone
// benchmarks; 1e7 is skipped under -short.
func naBenchSizes() []int {
	sizes := []int{1e3, 1e4, 1e5, 1e6, 1e7}
	if testing.Short() {
		sizes = sizes[:4]
	}
	return sizes
}

// BenchmarkNelsonAalen is the cost from raw data: the Kaplan–Meier fit
// (sort, risk sets) and the cumulative hazard over its rows.
func BenchmarkNelsonAalen(b *testing.B) {
	for _, n := range naBenchSizes() {
		time, event := simulate(n, 1)
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := NelsonAalen(time, event, Options{}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkCompareMilestone fits two arms of n/2 subjects and compares
// their event rates at four milestones.
func BenchmarkCompareMilestone(b *testing.B) {
	for _, n := range naBenchSizes() {
		t0, e0 := simulate(n/2, 1)
		t1, e1 := simulate(n/2, 2)
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				a0, err := KaplanMeier(t0, e0, Options{})
				if err != nil {
					b.Fatal(err)
				}
				a1, err := KaplanMeier(t1, e1, Options{})
				if err != nil {
					b.Fatal(err)
				}
				for _, t := range []float64{30, 90, 180, 270} {
					if _, err := CompareMilestone(a0, a1, t); err != nil {
						b.Fatal(err)
					}
				}
			}
		})
	}
}
