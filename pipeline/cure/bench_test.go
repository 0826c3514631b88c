package cure

import (
	"fmt"
	"testing"
)

// BenchmarkFit fits a Weibull-latency cure model with an arm dummy in both
// components to trials simulated from trueModel. The cost is O(n p²) per
// Newton iteration (no sort; the plateau check sorts once per arm).
func BenchmarkFit(b *testing.B) {
	for _, n := range []int{1e3, 1e4, 1e5, 1e6} {
		if n >= 1e6 && testing.Short() {
			continue
		}
		time, event, arm, design := simulateTrial(n, 1)
		for _, dist := range []Distribution{Weibull, LogNormal} {
			b.Run(fmt.Sprintf("%s/n=%d", dist, n), func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					m, err := Fit(time, event, design, design, Options{Latency: dist, Groups: arm})
					if err != nil || m.Status != StatusOK {
						b.Fatal(err, m.Status, m.Messages)
					}
				}
			})
		}
	}
}
