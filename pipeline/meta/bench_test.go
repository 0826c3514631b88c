package meta

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

// BenchmarkPool pools k simulated studies (yi ~ N(-0.3, 0.1 + sei²), sei
// uniform on (0.1, 0.5)) by each method; 1e6 and 1e7 are skipped under
// -short. Every method is O(k) per iteration or bisection step.
func BenchmarkPool(b *testing.B) {
	for _, k := range []int{1e3, 1e4, 1e5, 1e6, 1e7} {
		if testing.Short() && k >= 1e6 {
			continue
		}
		rng := rand.New(rand.NewPCG(1, 1))
		yi, sei := make([]float64, k), make([]float64, k)
		for i := range yi {
			sei[i] = 0.1 + 0.4*rng.Float64()
			yi[i] = -0.3 + rng.NormFloat64()*(0.3+sei[i])
		}
		for _, m := range Methods {
			b.Run(fmt.Sprintf("%s/k=%d", m, k), func(b *testing.B) {
				for b.Loop() {
					if _, err := Pool(yi, sei, Options{Method: m}); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}
