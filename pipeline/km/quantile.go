package km

import (
	"fmt"
	"math"
	"sort"
)

// Quantile is a quantile of the event-time distribution with its
// confidence interval. Time, Lower and Upper are NaN where the curve (or
// the confidence limit curve) does not reach 1-P: R's NA, "not reached".
type Quantile struct {
	P, Time, Lower, Upper float64
}

// quantileTol is R's default tolerance in quantile.survfit,
// sqrt(.Machine$double.eps).
const quantileTol = 1.4901161193847656e-08

// Quantile returns the p-th quantile of the event-time distribution, the
// time at which the estimated distribution function 1-S(t) reaches p
// (p = 0.5: median; p = 0.25: first quartile, S crosses 0.75), with the
// Brookmeyer–Crowley confidence interval, read off the pointwise confidence
// limit curves at the same level:
//
//	Time  = min{ t : 1 - S(t)     >= p }
//	Lower = min{ t : 1 - Lower(t) >= p }
//	Upper = min{ t : 1 - Upper(t) >= p }
//
// As R's quantile.survfit: where a curve has a flat segment at exactly
// 1-p (within tolerance sqrt(machine epsilon)) the quantile is the midpoint
// of that segment, or of the segment's start and the last time when the
// flat runs to the end of the curve; p = 0 gives time 0; limit curve points
// that are NA in R (NaN here) are skipped. A curve that never reaches 1-p
// gives NaN (R's NA): typically Upper for the median when S(t) stays high.
//
// Reference: Brookmeyer & Crowley (1982) Biometrics 38:29–41. R equivalent:
// quantile(survfit(...), probs = p, conf.int = TRUE); SAS: the quartile
// table of PROC LIFETEST.
//
// It panics if p is outside [0, 1].
func (c *Curve) Quantile(p float64) Quantile {
	if !(p >= 0 && p <= 1) {
		panic(fmt.Sprintf("km: quantile probability %v outside [0, 1]", p))
	}
	return Quantile{
		P:     p,
		Time:  c.findQuantile(c.Surv, p),
		Lower: c.findQuantile(c.Lower, p),
		Upper: c.findQuantile(c.Upper, p),
	}
}

// findQuantile follows survival:::findq applied to x = c(0, Time) and
// y = c(0, 1 - s).
func (c *Curve) findQuantile(s []float64, p float64) float64 {
	n := len(s) + 1
	x := make([]float64, 0, n)
	y := make([]float64, 0, n)
	x = append(x, 0)
	y = append(y, 0)
	for i, v := range s {
		x = append(x, c.Time[i])
		y = append(y, 1-v)
	}

	// max(y, na.rm = TRUE) < p: never reached.
	maxY := math.Inf(-1)
	for _, v := range y {
		if !math.IsNaN(v) && v > maxY {
			maxY = v
		}
	}
	if maxY < p {
		return math.NaN()
	}
	xmax := x[len(x)-1]

	// Drop duplicated y values (censorings; NA counts as a value), keeping
	// the first occurrence. 1 - S(t) never decreases, nor do the limit
	// curves in practice: then a duplicate is equal to the last value kept
	// and one pass does it; otherwise a set of the values seen.
	monotone := isNondecreasing(y)
	var seen map[float64]bool
	if !monotone {
		seen = make(map[float64]bool, len(y))
	}
	seenNaN := false
	last := math.NaN()
	k := 0
	for i, v := range y {
		switch {
		case math.IsNaN(v):
			if seenNaN {
				continue
			}
			seenNaN = true
		case monotone:
			if v == last {
				continue
			}
			last = v
		default:
			if seen[v] {
				continue
			}
			seen[v] = true
		}
		x[k], y[k] = x[i], y[i]
		k++
	}
	x, y = x[:k], y[:k]

	i1 := approxIndex(y, +quantileTol, p)
	i2 := approxIndex(y, -quantileTol, p)
	quant := math.NaN()
	if i1 >= 0 && i2 >= 0 {
		quant = (x[i1] + x[i2]) / 2
	}
	if p == 0 {
		quant = x[0]
	}
	if last := y[len(y)-1]; !math.IsNaN(last) && math.Abs(p-last) < quantileTol {
		quant = math.NaN()
		if i1 >= 0 {
			quant = (x[i1] + xmax) / 2
		}
	}
	return quant
}

// approxIndex returns R's approx(y + shift, seq_along(y), p,
// method = "constant", f = 1)$y - 1, or -1 for NA: the index of the
// smallest y+shift that is >= p among the non-NaN y (the first such index
// among equal values), or -1 if p lies outside their range.
func approxIndex(y []float64, shift, p float64) int {
	idx := make([]int, 0, len(y))
	for i, v := range y {
		if !math.IsNaN(v) {
			idx = append(idx, i)
		}
	}
	if len(idx) == 0 {
		return -1
	}
	key := func(j int) float64 { return y[idx[j]] + shift }
	// Adding a constant keeps the order (rounding is monotone), so the
	// usual non-decreasing y needs no sort; a stable sort keeps the first
	// index first among equal values either way.
	if !sort.SliceIsSorted(idx, func(a, b int) bool { return key(a) < key(b) }) {
		sort.SliceStable(idx, func(a, b int) bool { return y[idx[a]]+shift < y[idx[b]]+shift })
	}
	if p < key(0) || p > key(len(idx)-1) {
		return -1
	}
	j := sort.Search(len(idx), func(j int) bool { return key(j) >= p })
	return idx[j]
}

// isNondecreasing reports whether the non-NaN values of y never decrease.
func isNondecreasing(y []float64) bool {
	prev := math.Inf(-1)
	for _, v := range y {
		if math.IsNaN(v) {
			continue
		}
		if v < prev {
			return false
		}
		prev = v
	}
	return true
}
