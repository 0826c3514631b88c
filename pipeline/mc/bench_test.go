package mc

import (
	"context"
	"fmt"
	"testing"
)

func benchDesign(b *testing.B) *Design {
	b.Helper()
	d, err := LoadDesign("../../cmd/power/examples/ketamine-vs-ssri.yaml")
	if err != nil {
		b.Fatal(err)
	}
	return d
}

// BenchmarkTrial times one simulated trial of n = 200 (simulation, log-rank,
// Cox, two Kaplan–Meier curves with median CIs, RMST).
func BenchmarkTrial(b *testing.B) {
	d := benchDesign(b)
	sim := newSimulator(d, d.Truth())
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		sim.simulate(1, i)
		sim.analyse()
		i++
	}
}

// BenchmarkRun times a study of 1e2 … 1e4 trials with all workers.
func BenchmarkRun(b *testing.B) {
	d := benchDesign(b)
	for _, trials := range []int{1e2, 1e3, 1e4} {
		b.Run(fmt.Sprintf("trials=%d", trials), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := Run(context.Background(), d, Options{Trials: trials, Seed: 1}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
