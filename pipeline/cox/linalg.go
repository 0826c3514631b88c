package cox

import "math"

// ldl replaces the symmetric p x p matrix m (row-major, both triangles
// filled) by its decomposition m = L D L', L unit lower triangular, stored in
// the strict lower triangle, and D on the diagonal. It follows R survival's
// cholesky2: a pivot that is not finite or is below toler times the largest
// diagonal element marks its column as redundant; its D is set to 0 and it
// takes no part in the elimination (so the factor of the remaining columns is
// that of the sub-matrix without it). It returns the rank.
func ldl(m []float64, p int, toler float64) int {
	var largest float64
	for i := range p {
		largest = math.Max(largest, m[i*p+i])
	}
	if !(largest > 0) {
		clear(m)
		return 0
	}
	eps := largest * toler
	rank := 0
	for i := range p {
		pivot := m[i*p+i]
		if math.IsNaN(pivot) || math.IsInf(pivot, 0) || pivot < eps {
			m[i*p+i] = 0
			for j := i + 1; j < p; j++ {
				m[j*p+i] = 0
			}
			continue
		}
		rank++
		for j := i + 1; j < p; j++ {
			l := m[j*p+i] / pivot
			m[j*p+i] = l
			m[j*p+j] -= l * l * pivot
			for k := j + 1; k < p; k++ {
				m[k*p+j] -= l * m[k*p+i]
			}
		}
	}
	return rank
}

// ldlSolve overwrites y with the solution b of (L D L') b = y, where f holds
// the factor from ldl. Components of redundant columns (D = 0) are set to 0.
func ldlSolve(f []float64, p int, y []float64) {
	for i := range p {
		for j := range i {
			y[i] -= f[i*p+j] * y[j]
		}
	}
	for i := p - 1; i >= 0; i-- {
		d := f[i*p+i]
		if d == 0 {
			y[i] = 0
			continue
		}
		v := y[i] / d
		for j := i + 1; j < p; j++ {
			v -= f[j*p+i] * y[j]
		}
		y[i] = v
	}
}

// ldlInverse returns (L D L')^- as a new p x p row-major matrix: the inverse
// on the non-redundant columns, with zero rows and columns for redundant ones
// (R survival's chinv2).
func ldlInverse(f []float64, p int) []float64 {
	// Linv = L^-1, unit lower triangular; redundant columns of L are zero.
	linv := make([]float64, p*p)
	for i := range p {
		linv[i*p+i] = 1
		for j := range i {
			var s float64
			for k := j; k < i; k++ {
				s += f[i*p+k] * linv[k*p+j]
			}
			linv[i*p+j] = -s
		}
	}
	// Inverse = Linv' Dinv Linv.
	inv := make([]float64, p*p)
	for k := range p {
		d := f[k*p+k]
		if d == 0 {
			continue
		}
		dinv := 1 / d
		for i := 0; i <= k; i++ {
			li := linv[k*p+i] * dinv
			if li == 0 {
				continue
			}
			for j := 0; j <= i; j++ {
				inv[i*p+j] += li * linv[k*p+j]
			}
		}
	}
	for i := range p {
		if f[i*p+i] == 0 {
			for j := range p {
				inv[i*p+j], inv[j*p+i] = 0, 0
			}
		}
	}
	for i := range p {
		for j := range i {
			inv[j*p+i] = inv[i*p+j]
		}
	}
	return inv
}
