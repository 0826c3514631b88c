package survtime

import (
	"github.com/ketcurves/ketcurves/pipeline/order"
	"math"
	"slices"
)

// Tolerance is survival:::aeqSurv's tolerance, sqrt(.Machine$double.eps).
const Tolerance = 1.4901161193847656e-08

// Fix makes the values that R survival's aeqSurv treats as tied equal, in
// place, over every slice given together (for example the entry and exit
// times of counting-process data, which R ties jointly). It reports whether
// any value changed.
//
// The rule, as aeqSurv: let u_1 < … < u_m be the distinct values of all the
// slices and μ = mean_k |u_k|. Consecutive distinct values are tied when
//
//	u_{k+1} - u_k <= tol   or   (u_{k+1} - u_k) / μ <= tol,   tol = Tolerance.
//
// A run of tied values is replaced by its first (smallest) value: each value
// maps to the largest cut point at or below it. With fewer than two distinct
// values nothing changes. NaN values are left as they are; callers reject
// them first.
//
// Cost: O(N log N) for N values in all; nothing is allocated beyond the
// sorted copy when no value is tied.
func Fix(values ...[]float64) bool {
	n := 0
	for _, v := range values {
		n += len(v)
	}
	ts := make([]float64, 0, n)
	for _, v := range values {
		for _, x := range v {
			if !math.IsNaN(x) {
				ts = append(ts, x)
			}
		}
	}
	order.Float64s(ts) // radix sort: several times faster than slices.Sort on a million times
	ts = slices.Compact(ts)
	cuts, tied := Cuts(ts)
	if !tied {
		return false
	}
	changed := false
	for _, v := range values {
		for i, x := range v {
			if math.IsNaN(x) {
				continue
			}
			if c := CutOf(cuts, x); c != x {
				v[i] = c
				changed = true
			}
		}
	}
	return changed
}

// Cuts returns, for the sorted distinct values ts, the values that start a
// run of tied values (see Fix), and whether any two values are tied. When
// nothing is tied, cuts is ts itself.
func Cuts(ts []float64) (cuts []float64, tied bool) {
	if len(ts) < 2 {
		return ts, false
	}
	var sum float64
	for _, t := range ts {
		sum += math.Abs(t)
	}
	mean := sum / float64(len(ts))
	cuts = make([]float64, 1, len(ts))
	cuts[0] = ts[0]
	for i := 1; i < len(ts); i++ {
		dy := ts[i] - ts[i-1]
		if dy <= Tolerance || dy/mean <= Tolerance {
			tied = true
			continue
		}
		cuts = append(cuts, ts[i])
	}
	if !tied {
		return ts, false
	}
	return cuts, true
}

// CutOf returns the largest cut at or below x. It panics if x is below
// the first cut (a programmer error: cuts come from values including x).
func CutOf(cuts []float64, x float64) float64 {
	j, found := slices.BinarySearch(cuts, x)
	if !found {
		j--
	}
	if j < 0 {
		panic("survtime: value below the first cut")
	}
	return cuts[j]
}

// FixSorted is Fix for one slice already sorted ascending, in O(n) and
// without allocating: the estimators that sort their data first (the
// Kaplan–Meier curve, the log-rank test) call it on the sorted times.
// It panics if ts is not sorted (a programmer error).
func FixSorted(ts []float64) bool {
	if len(ts) < 2 {
		return false
	}
	var sum float64
	nd := 0
	for i, t := range ts {
		if i > 0 && t < ts[i-1] {
			panic("survtime: FixSorted of unsorted values")
		}
		if i == 0 || t != ts[i-1] {
			sum += math.Abs(t)
			nd++
		}
	}
	if nd < 2 {
		return false
	}
	mean := sum / float64(nd)
	changed := false
	cut, prev := ts[0], ts[0] // value of the current run; previous distinct original value
	for i := 1; i < len(ts); i++ {
		t := ts[i]
		if t == prev {
			if t != cut {
				ts[i], changed = cut, true
			}
			continue
		}
		dy := t - prev
		prev = t
		if dy <= Tolerance || dy/mean <= Tolerance {
			ts[i], changed = cut, true
		} else {
			cut = t
		}
	}
	return changed
}
