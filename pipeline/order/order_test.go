package order

import (
	"cmp"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// reference is the definition: rows sorted by (stratum, time, row) with a
// comparison sort.
func reference(time []float64, strata []int) []int {
	p := make([]int, len(time))
	for i := range p {
		p[i] = i
	}
	slices.SortFunc(p, func(a, b int) int {
		if strata != nil && strata[a] != strata[b] {
			return cmp.Compare(strata[a], strata[b])
		}
		switch {
		case time[a] < time[b]:
			return -1
		case time[a] > time[b]:
			return 1
		}
		return cmp.Compare(a, b)
	})
	return p
}

func TestByStratumTime(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 1))
	for _, test := range []struct {
		name   string
		n      int
		time   func() float64
		strata func() int // nil: no strata
	}{
		{"small continuous", 50, func() float64 { return rng.ExpFloat64() }, nil},
		{"small tied strata", 200, func() float64 { return float64(rng.IntN(10)) }, func() int { return rng.IntN(3) }},
		{"continuous", 5000, func() float64 { return rng.ExpFloat64() * 100 }, nil},
		{"whole days", 5000, func() float64 { return float64(rng.IntN(60)) }, nil},
		{"fractions of days", 3000, func() float64 { return float64(rng.IntN(20)) / 36 }, func() int { return rng.IntN(4) }},
		{"signed with zeros", 4000, func() float64 {
			switch rng.IntN(4) {
			case 0:
				return 0
			case 1:
				return math.Copysign(0, -1)
			}
			return rng.NormFloat64() * 1e3
		}, nil},
		{"huge and tiny", 2000, func() float64 { return math.Ldexp(rng.Float64(), rng.IntN(2000)-1000) }, nil},
		{"wide strata", 1000, func() float64 { return float64(rng.IntN(5)) }, func() int { return rng.IntN(3) * 1_000_000_007 }},
		{"negative strata", 1000, func() float64 { return rng.Float64() }, func() int { return rng.IntN(7) - 3 }},
		{"one stratum value", 1000, func() float64 { return rng.Float64() }, func() int { return 5 }},
	} {
		t.Run(test.name, func(t *testing.T) {
			time := make([]float64, test.n)
			var strata []int
			if test.strata != nil {
				strata = make([]int, test.n)
			}
			for i := range time {
				time[i] = test.time()
				if strata != nil {
					strata[i] = test.strata()
				}
			}
			got := ByStratumTime(time, strata)
			want := reference(time, strata)
			if !slices.Equal(got, want) {
				t.Fatalf("ByStratumTime differs from the comparison sort by (stratum, time, row)")
			}
			if strata == nil && !slices.Equal(ByTime(time), want) {
				t.Fatalf("ByTime differs from the comparison sort by (time, row)")
			}
			u := make([]uint64, len(time))
			for i, t := range time {
				u[i] = math.Float64bits(t) * 0x9E3779B97F4A7C15 // spread over all 64 bits
			}
			v := slices.Clone(u)
			Uint64s(u)
			slices.Sort(v)
			if !slices.Equal(u, v) {
				t.Fatalf("Uint64s differs from slices.Sort")
			}
			x := slices.Clone(time)
			Float64s(x)
			y := slices.Clone(time)
			slices.Sort(y)
			for i := range x {
				if x[i] != y[i] {
					t.Fatalf("Float64s: x[%d] = %v, slices.Sort gives %v", i, x[i], y[i])
				}
			}
		})
	}
}

func TestPanics(t *testing.T) {
	for _, test := range []struct {
		name string
		f    func()
	}{
		{"NaN time", func() { ByTime([]float64{1, math.NaN()}) }},
		{"strata length", func() { ByStratumTime([]float64{1, 2}, []int{0}) }},
		{"NaN value", func() { Float64s([]float64{math.NaN()}) }},
	} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("%s: no panic", test.name)
				}
			}()
			test.f()
		}()
	}
}

func ExampleByStratumTime() {
	time := []float64{3, 1, 2, 1, 5}
	strata := []int{1, 1, 0, 0, 0}
	fmt.Println(ByStratumTime(time, strata))
	// Output: [3 2 4 1 0]
}

func BenchmarkByTime(b *testing.B) {
	for _, n := range []int{1e2, 1e4, 1e6} {
		rng := rand.New(rand.NewPCG(1, 2))
		time := make([]float64, n)
		for i := range time {
			time[i] = rng.ExpFloat64() * 100
		}
		b.Run(fmt.Sprintf("n=%d/radix", n), func(b *testing.B) {
			for b.Loop() {
				ByTime(time)
			}
		})
		b.Run(fmt.Sprintf("n=%d/slices.SortFunc", n), func(b *testing.B) {
			for b.Loop() {
				reference(time, nil)
			}
		})
	}
}
