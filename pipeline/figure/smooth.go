package figure

import (
	"cmp"
	"math"
	"slices"
)

// SmoothPoint is the smooth and its band at X.
type SmoothPoint struct{ X, Y, Lower, Upper float64 }

// smoothBandwidth is the Gaussian kernel's standard deviation as a
// fraction of the range of x.
const smoothBandwidth = 1.0 / 6

// smoothGrid is the number of points the smooth is evaluated at.
const smoothGrid = 60

// LocalLinear is the smooth of the zph figure: a local linear regression
// with Gaussian kernel weights of bandwidth h = (max x − min x)/6 (a
// Nadaraya–Watson-type kernel smoother of degree 1; Fan & Gijbels 1996,
// Local Polynomial Modelling, §3.1), evaluated at smoothGrid points evenly
// spaced over [min x, max x]. At x0,
//
//	w_i = exp(−((x_i − x0)/h)²/2),   ŝ(x0) = Σ l_i(x0) y_i,
//	l(x0) = e₁ᵀ (XᵀWX)⁻¹ XᵀW,   X = [1, x_i − x0]
//
// and the band is ŝ(x0) ± 2 σ̂ ‖l(x0)‖, σ̂² = Σ (y_i − ŝ(x_i))² / (n − 2)
// with ŝ(x_i) interpolated linearly on the grid: the pointwise ±2 SE band
// of a linear smoother. A fixed bandwidth keeps the smooth stable where
// event times cluster at a few scheduled visits (a nearest-neighbour span,
// as in loess, then jumps between clusters).
//
// R's plot.cox.zph fits a natural cubic spline with df = 4 (ns(x, df = 4))
// by least squares and draws its fit ± 2 SE; this local fit follows the
// residuals' trend as closely but is not identical to it, in particular
// near the ends, where a natural spline is forced linear. The CSV gives the
// smooth's numbers so that a reviewer can compare. It returns nil for fewer
// than 3 distinct x values. It is O(n) per grid point after the sort.
func LocalLinear(x, y []float64) []SmoothPoint {
	n := len(x)
	idx := make([]int, n)
	for i := range idx {
		idx[i] = i
	}
	slices.SortStableFunc(idx, func(a, b int) int { return cmp.Compare(x[a], x[b]) })
	xs, ys := make([]float64, n), make([]float64, n)
	for j, i := range idx {
		xs[j], ys[j] = x[i], y[i]
	}
	if n < 3 || xs[0] == xs[n-1] {
		return nil
	}
	distinct := 1
	for i := 1; i < n; i++ {
		if xs[i] != xs[i-1] {
			distinct++
		}
	}
	if distinct < 3 {
		return nil
	}
	h := (xs[n-1] - xs[0]) * smoothBandwidth
	out := make([]SmoothPoint, smoothGrid)
	norms := make([]float64, smoothGrid)
	for g := range out {
		x0 := xs[0] + (xs[n-1]-xs[0])*float64(g)/float64(smoothGrid-1)
		out[g].X = x0
		out[g].Y, norms[g] = localFit(xs, ys, x0, h)
	}
	// Residual variance around the smooth.
	var rss float64
	for i := range xs {
		d := ys[i] - interpolate(out, xs[i])
		rss += d * d
	}
	sigma := math.Sqrt(rss / float64(n-2))
	for g := range out {
		out[g].Lower, out[g].Upper = out[g].Y-2*sigma*norms[g], out[g].Y+2*sigma*norms[g]
	}
	return out
}

// localFit is the Gaussian-weighted local linear fit at x0 with bandwidth
// h, and the norm of its weights l(x0).
func localFit(xs, ys []float64, x0, h float64) (fit, norm float64) {
	var s0, s1, s2 float64
	w := make([]float64, len(xs))
	for i, x := range xs {
		u := (x - x0) / h
		w[i] = math.Exp(-u * u / 2)
		dx := x - x0
		s0 += w[i]
		s1 += w[i] * dx
		s2 += w[i] * dx * dx
	}
	det := s0*s2 - s1*s1
	var ss float64
	for i, x := range xs {
		l := w[i] * (s2 - s1*(x-x0)) / det
		fit += l * ys[i]
		ss += l * l
	}
	return fit, math.Sqrt(ss)
}

// interpolate is the smooth at x, linear between grid points.
func interpolate(s []SmoothPoint, x float64) float64 {
	i, _ := slices.BinarySearchFunc(s, x, func(p SmoothPoint, x float64) int { return cmp.Compare(p.X, x) })
	switch {
	case i == 0:
		return s[0].Y
	case i == len(s):
		return s[len(s)-1].Y
	}
	a, b := s[i-1], s[i]
	return a.Y + (b.Y-a.Y)*(x-a.X)/(b.X-a.X)
}
