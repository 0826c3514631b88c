package trajectory

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

// BenchmarkMeans times Means on n assessments (2 parameters, 3 arms, 8
// visits, n/16 subjects); 1e7 is skipped under -short.
func BenchmarkMeans(b *testing.B) {
	for _, n := range []int{1e3, 1e4, 1e5, 1e6, 1e7} {
		b.Run(fmt.Sprintf("n=%.0e", float64(n)), func(b *testing.B) {
			if testing.Short() && n >= 1e7 {
				b.Skip("1e7 rows under -short")
			}
			s := synthetic(rand.New(rand.NewPCG(1, 1)), n)
			b.ResetTimer()
			for b.Loop() {
				if _, err := Means(s, 0.95); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
