package aft

import (
	"fmt"
	"testing"
)

// BenchmarkFitWeibull fits the Weibull AFT model with 4 covariates to
// simulated right-censored data (see simulated) at 1e3 ... 1e7 rows; 1e7
// is skipped under -short.
func BenchmarkFitWeibull(b *testing.B) {
	for _, n := range []int{1e3, 1e4, 1e5, 1e6, 1e7} {
		if testing.Short() && n > 1e6 {
			continue
		}
		resp, x, names := simulated(n, 2026)
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			var iters int
			for b.Loop() {
				m, err := Fit(resp, x, names, Weibull, Options{})
				if err != nil || m.Status != StatusOK {
					b.Fatal(err, m.Status)
				}
				iters = m.Iterations
			}
			b.ReportMetric(float64(iters), "iter")
		})
	}
}

// BenchmarkEvalWeibull is one evaluation of the log-likelihood, score and
// information (one Newton iteration's pass over the data).
func BenchmarkEvalWeibull(b *testing.B) {
	for _, n := range []int{1e3, 1e6} {
		resp, x, _ := simulated(n, 2026)
		l, _, _ := newLikelihood(resp, x, Weibull)
		s := newScaledLikelihood(l)
		theta := []float64{2.4, 0.4, -0.2, 0.1, 0.1, -0.2}
		grad, info := make([]float64, 6), make([]float64, 36)
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				s.eval(theta, grad, info, nil)
			}
		})
	}
}
