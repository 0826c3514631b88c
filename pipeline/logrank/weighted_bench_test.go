package logrank

import (
	"fmt"
	"math"
	"testing"
)

// benchSizes are the benchmark sizes: 1e3 … 1e7 rows, 1e7 skipped under
// -short.
func benchSizes() []int {
	sizes := []int{1e3, 1e4, 1e5, 1e6, 1e7}
	if testing.Short() {
		sizes = sizes[:4]
	}
	return sizes
}

// benchData is simulate's data in 2 groups (MaxCombo), with delayed entry
// at a fraction of each time when entry is true.
func benchData(n int, entry bool) Data {
	time, event, group, strata := simulate(n, 1)
	for i := range group {
		group[i] %= 2
	}
	d := Data{Time: time, Event: event, Group: group, K: 2, Strata: strata}
	if entry {
		d.Entry = make([]float64, n)
		for i, t := range time {
			d.Entry[i] = math.Floor(t * float64(i%5) / 10)
		}
	}
	return d
}

func BenchmarkWeighted(b *testing.B) {
	tests := []struct {
		name    string
		weights []Weight
	}{
		{"logrank", []Weight{{}}},
		{"fh:1:1", []Weight{{Kind: FlemingHarrington, Rho: 1, Gamma: 1}}},
		{"peto_peto", []Weight{{Kind: PetoPeto}}},
		{"gehan", []Weight{{Kind: Gehan}}},
		{"tarone_ware", []Weight{{Kind: TaroneWare}}},
		{"all7", []Weight{{}, {Kind: FlemingHarrington, Rho: 1}, {Kind: FlemingHarrington, Gamma: 1},
			{Kind: FlemingHarrington, Rho: 1, Gamma: 1}, {Kind: PetoPeto}, {Kind: Gehan}, {Kind: TaroneWare}}},
	}
	for _, n := range benchSizes() {
		for _, entry := range []bool{false, true} {
			d := benchData(n, entry)
			for _, test := range tests {
				b.Run(fmt.Sprintf("n=%d/entry=%v/%s", n, entry, test.name), func(b *testing.B) {
					b.ReportAllocs()
					for b.Loop() {
						if _, err := Weighted(d, test.weights...); err != nil {
							b.Fatal(err)
						}
					}
				})
			}
		}
	}
}

func BenchmarkMaxCombo(b *testing.B) {
	for _, n := range benchSizes() {
		for _, entry := range []bool{false, true} {
			d := benchData(n, entry)
			b.Run(fmt.Sprintf("n=%d/entry=%v", n, entry), func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					if _, err := MaxCombo(d); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}
