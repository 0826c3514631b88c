package cmprsk

import "math"

// Small dense matrices, row-major k×k in a []float64.

// matMul returns a b.
func matMul(a, b []float64, k int) []float64 {
	return matMulTo(make([]float64, k*k), a, b, k)
}

// matMulTo sets dst = a b and returns it; dst must not alias a or b.
func matMulTo(dst, a, b []float64, k int) []float64 {
	out := dst
	clear(out)
	for i := range k {
		for l := range k {
			ail := a[i*k+l]
			if ail == 0 {
				continue
			}
			for j := range k {
				out[i*k+j] += ail * b[l*k+j]
			}
		}
	}
	return out
}

// vecMat returns the row vector v a.
func vecMat(v, a []float64, k int) []float64 {
	return vecMatTo(make([]float64, k), v, a, k)
}

// vecMatTo sets dst = v a and returns it; dst must not alias v.
func vecMatTo(dst, v, a []float64, k int) []float64 {
	out := dst
	clear(out)
	for l := range k {
		if v[l] == 0 {
			continue
		}
		for j := range k {
			out[j] += v[l] * a[l*k+j]
		}
	}
	return out
}

// addOuter adds w uᵀv to the k×k matrix dst.
func addOuter(dst, u, v []float64, w float64) {
	k := len(u)
	for i := range k {
		wu := w * u[i]
		if wu == 0 {
			continue
		}
		for j := range k {
			dst[i*k+j] += wu * v[j]
		}
	}
}

func maxAbs(a []float64) float64 {
	var m float64
	for _, v := range a {
		m = math.Max(m, math.Abs(v))
	}
	return m
}

// invert returns the inverse of the k×k matrix a by Gauss–Jordan
// elimination with partial pivoting, and false if a pivot is below 1e-12
// (a singular or nearly singular transition matrix).
func invert(a []float64, k int) ([]float64, bool) {
	w := clone(a)
	inv := identity(k)
	for col := range k {
		piv := col
		for r := col + 1; r < k; r++ {
			if math.Abs(w[r*k+col]) > math.Abs(w[piv*k+col]) {
				piv = r
			}
		}
		if math.Abs(w[piv*k+col]) < 1e-12 {
			return nil, false
		}
		if piv != col {
			for j := range k {
				w[col*k+j], w[piv*k+j] = w[piv*k+j], w[col*k+j]
				inv[col*k+j], inv[piv*k+j] = inv[piv*k+j], inv[col*k+j]
			}
		}
		d := w[col*k+col]
		for j := range k {
			w[col*k+j] /= d
			inv[col*k+j] /= d
		}
		for r := range k {
			if r == col || w[r*k+col] == 0 {
				continue
			}
			f := w[r*k+col]
			for j := range k {
				w[r*k+j] -= f * w[col*k+j]
				inv[r*k+j] -= f * inv[col*k+j]
			}
		}
	}
	return inv, true
}
