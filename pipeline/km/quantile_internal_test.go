package km

import (
	"math"
	"math/rand/v2"
	"sort"
	"testing"
)

// findQuantileSlow is survival:::findq written out literally, with a set of
// the values seen and a sort in every approx call: the reference for the
// one-pass path of findQuantile.
func findQuantileSlow(times, s []float64, p float64) float64 {
	x := append([]float64{0}, times...)
	y := []float64{0}
	for _, v := range s {
		y = append(y, 1-v)
	}
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
	seen := map[float64]bool{}
	seenNaN := false
	var xs, ys []float64
	for i, v := range y {
		if math.IsNaN(v) {
			if seenNaN {
				continue
			}
			seenNaN = true
		} else {
			if seen[v] {
				continue
			}
			seen[v] = true
		}
		xs, ys = append(xs, x[i]), append(ys, v)
	}
	approx := func(shift float64) int {
		type pt struct {
			v   float64
			idx int
		}
		var pts []pt
		for i, v := range ys {
			if !math.IsNaN(v) {
				pts = append(pts, pt{v + shift, i})
			}
		}
		if len(pts) == 0 {
			return -1
		}
		sort.SliceStable(pts, func(a, b int) bool { return pts[a].v < pts[b].v })
		if p < pts[0].v || p > pts[len(pts)-1].v {
			return -1
		}
		j := sort.Search(len(pts), func(j int) bool { return pts[j].v >= p })
		return pts[j].idx
	}
	i1, i2 := approx(quantileTol), approx(-quantileTol)
	q := math.NaN()
	if i1 >= 0 && i2 >= 0 {
		q = (xs[i1] + xs[i2]) / 2
	}
	if p == 0 {
		q = xs[0]
	}
	if last := ys[len(ys)-1]; !math.IsNaN(last) && math.Abs(p-last) < quantileTol {
		q = math.NaN()
		if i1 >= 0 {
			q = (xs[i1] + xmax) / 2
		}
	}
	return q
}

// TestFindQuantileMatchesLiteral checks findQuantile against the literal
// transcription of findq on monotone curves (the one-pass path), on curves
// that go up and down (the general path), with NaN points, repeated values
// and flat segments at exactly 1-p.
func TestFindQuantileMatchesLiteral(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	for trial := range 3000 {
		n := 1 + rng.IntN(40)
		times := make([]float64, n)
		s := make([]float64, n)
		tm, sv := 0.0, 1.0
		monotone := trial%2 == 0
		for i := range n {
			tm += float64(1 + rng.IntN(3))
			times[i] = tm
			switch r := rng.Float64(); {
			case r < 0.1:
				s[i] = math.NaN()
				continue
			case r < 0.35: // a censoring: same value again
			case monotone:
				sv -= float64(rng.IntN(5)) / 20 // multiples of 0.05: hits 0.5 and 0.25 exactly
				sv = math.Max(sv, 0)
			default:
				sv = float64(rng.IntN(21)) / 20
			}
			s[i] = sv
		}
		c := &Curve{Time: times}
		for _, p := range []float64{0, 0.25, 0.5, 0.75, 1} {
			got := c.findQuantile(s, p)
			want := findQuantileSlow(times, s, p)
			if !(got == want || math.IsNaN(got) && math.IsNaN(want)) {
				t.Fatalf("trial %d p=%v: findQuantile = %v, literal findq = %v\ntimes %v\ns %v", trial, p, got, want, times, s)
			}
		}
	}
}
