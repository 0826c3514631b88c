package order

import (
	"cmp"
	"fmt"
	"math"
	"slices"
)

// radixMin is the length below which a comparison sort is faster.
const radixMin = 256

// key maps a float64 to a uint64 with the same order: non-negative values
// get the sign bit set, negative values are complemented. -0 is mapped like
// +0, so the two compare equal, as they do as float64.
func key(t float64) uint64 {
	if t == 0 {
		t = 0 // -0 → +0
	}
	b := math.Float64bits(t)
	if b>>63 == 1 {
		return ^b
	}
	return b | 1<<63
}

// ByTime returns the permutation p of 0, …, n-1 that sorts time in
// ascending order, equal times in row order: time[p[0]] <= time[p[1]] <= ….
//
// It panics if a time is NaN.
func ByTime(time []float64) []int {
	return ByStratumTime(time, nil)
}

// ByTime32 is ByTime with the permutation as int32.
func ByTime32(time []float64) []int32 {
	return ByStratumTime32(time, nil)
}

// ByStratumTime returns the permutation p of 0, …, n-1 that sorts the rows
// by (strata[i], time[i], i) in ascending order. A nil strata is one
// stratum.
//
// It panics if a time is NaN or if strata is not nil and its length differs
// from time's.
func ByStratumTime(time []float64, strata []int) []int {
	p := ByStratumTime32(time, strata)
	out := make([]int, len(p))
	for i, v := range p {
		out[i] = int(v)
	}
	return out
}

// ByStratumTime32 is ByStratumTime with the permutation as int32, half
// the memory of ten million rows.
func ByStratumTime32(time []float64, strata []int) []int32 {
	n := len(time)
	if strata != nil && len(strata) != n {
		panic(fmt.Sprintf("order: %d strata for %d times", len(strata), n))
	}
	if n > math.MaxInt32 {
		panic(fmt.Sprintf("order: %d rows: at most %d", n, math.MaxInt32))
	}
	for i, t := range time {
		if math.IsNaN(t) {
			panic(fmt.Sprintf("order: time[%d] is NaN", i))
		}
	}
	if n < radixMin {
		out := make([]int32, n)
		for i := range out {
			out[i] = int32(i)
		}
		slices.SortFunc(out, func(a, b int32) int {
			if strata != nil && strata[a] != strata[b] {
				return cmp.Compare(strata[a], strata[b])
			}
			if c := cmp.Compare(time[a], time[b]); c != 0 { // -0 == +0
				return c
			}
			return cmp.Compare(a, b)
		})
		return out
	}

	p := radixPerm(time)
	if strata != nil {
		p = stableByStratum(p, strata)
	}
	return p
}

// Float64s sorts x in ascending order, in place, like slices.Sort (-0 and
// +0 are equal; their relative order is kept).
//
// It panics if a value is NaN.
func Float64s(x []float64) {
	n := len(x)
	for i, t := range x {
		if math.IsNaN(t) {
			panic(fmt.Sprintf("order: x[%d] is NaN", i))
		}
	}
	if n < radixMin {
		slices.SortStableFunc(x, func(a, b float64) int { return cmp.Compare(a, b) })
		return
	}
	p := radixPerm(x)
	sorted := make([]float64, n)
	for i, j := range p {
		sorted[i] = x[j]
	}
	copy(x, sorted)
}

// radixPerm returns the permutation that sorts x stably, by radix sort of
// the order-preserving keys.
func radixPerm(x []float64) []int32 {
	keys := make([]uint64, len(x))
	for i, t := range x {
		keys[i] = key(t)
	}
	p := make([]int32, len(x))
	for i := range p {
		p[i] = int32(i)
	}
	_, p = radixSort(keys, p)
	return p
}

// Uint64s sorts x in ascending order, in place, like slices.Sort.
func Uint64s(x []uint64) {
	if len(x) < radixMin {
		slices.Sort(x)
		return
	}
	sorted, _ := radixSort(x, nil)
	if &sorted[0] != &x[0] {
		copy(x, sorted)
	}
}

// radixSort sorts keys ascending by a stable least-significant-digit radix
// sort, 8 bits a pass, carrying p along (unless p is nil), and returns the sorted keys and p
// (in the argument slices or in scratch slices of the same length). A pass
// whose digit is the same for every key is skipped.
func radixSort(keys []uint64, p []int32) ([]uint64, []int32) {
	n := len(keys)
	var counts [8][256]int
	for _, k := range keys {
		for d := range 8 {
			counts[d][byte(k>>(8*d))]++
		}
	}
	var keys2 []uint64
	var p2 []int32
	for d := range 8 {
		c := &counts[d]
		shift := 8 * d
		if c[byte(keys[0]>>shift)] == n {
			continue
		}
		if keys2 == nil {
			keys2 = make([]uint64, n)
			if p != nil {
				p2 = make([]int32, n)
			}
		}
		sum := 0
		for b := range c {
			c[b], sum = sum, sum+c[b]
		}
		for i, k := range keys {
			b := byte(k >> shift)
			j := c[b]
			c[b]++
			keys2[j] = k
			if p != nil {
				p2[j] = p[i]
			}
		}
		keys, keys2 = keys2, keys
		p, p2 = p2, p
	}
	return keys, p
}

// stableByStratum reorders p stably by strata[p[i]]: a counting sort when
// the strata span a small range, a stable comparison sort otherwise.
func stableByStratum(p []int32, strata []int) []int32 {
	lo, hi := strata[0], strata[0]
	for _, s := range strata {
		lo, hi = min(lo, s), max(hi, s)
	}
	if lo == hi {
		return p
	}
	if span := uint64(hi) - uint64(lo); span >= uint64(len(p)) {
		slices.SortStableFunc(p, func(a, b int32) int { return cmp.Compare(strata[a], strata[b]) })
		return p
	}
	counts := make([]int, hi-lo+1)
	for _, s := range strata {
		counts[s-lo]++
	}
	sum := 0
	for b := range counts {
		counts[b], sum = sum, sum+counts[b]
	}
	out := make([]int32, len(p))
	for _, i := range p {
		b := strata[i] - lo
		out[counts[b]] = i
		counts[b]++
	}
	return out
}
