package newton

import "math"

// DefaultTolChol is R survival's default toler.chol, .Machine$double.eps^0.75
// = 2^-39 (coxph.control, survreg.control): a pivot smaller than this times
// the largest diagonal element marks its column as redundant.
const DefaultTolChol = 0x1p-39

// LDL replaces the symmetric p x p matrix m (row-major; the lower triangle
// and the diagonal are read, the upper triangle is left alone) by its
// decomposition
//
//	m = L D L'
//
// with L unit lower triangular, stored in the strict lower triangle, and D on
// the diagonal. It follows R survival's cholesky2 (Therneau): a pivot that is
// not finite or is below toler times the largest positive diagonal element
// (toler itself when no diagonal element is positive) marks its column as
// redundant; its D is set to 0 and it takes no part in the elimination, so
// the factor of the other columns is that of the sub-matrix without it.
//
// LDL returns the rank (the number of non-redundant columns) and whether m is
// non-negative definite: false when a pivot is below -8 times the tolerance,
// where cholesky2 returns -rank.
//
// It panics if len(m) != p*p.
func LDL(m []float64, p int, toler float64) (rank int, nonNegative bool) {
	if len(m) != p*p {
		panic("newton: LDL: len(m) != p*p")
	}
	var largest float64
	for i := range p {
		if d := m[i*p+i]; d > largest {
			largest = d
		}
	}
	eps := toler
	if largest > 0 {
		eps = largest * toler
	}
	nonNegative = true
	for i := range p {
		pivot := m[i*p+i]
		if math.IsNaN(pivot) || math.IsInf(pivot, 0) || pivot < eps {
			if pivot < -8*eps {
				nonNegative = false
			}
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
	return rank, nonNegative
}

// LDLSolve overwrites y with the solution b of (L D L') b = y, where f holds
// the factor from LDL (R survival's chsolve2). Components of redundant
// columns (D = 0) are set to 0.
//
// It panics if len(f) != p*p or len(y) != p.
func LDLSolve(f []float64, p int, y []float64) {
	if len(f) != p*p || len(y) != p {
		panic("newton: LDLSolve: dimension mismatch")
	}
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

// LDLInverse stores in dst the generalised inverse (L D L')^- of the matrix
// whose factor f was computed by LDL: the inverse on the non-redundant
// columns, with zero rows and columns for redundant ones (R survival's
// chinv2). dst is p x p row-major with both triangles filled; scratch must
// have p*p elements too (it receives L^-1). f is not modified.
//
// It panics if a slice does not have p*p elements.
func LDLInverse(dst, f, scratch []float64, p int) {
	if len(dst) != p*p || len(f) != p*p || len(scratch) != p*p {
		panic("newton: LDLInverse: dimension mismatch")
	}
	// linv = L^-1, unit lower triangular.
	linv := scratch
	clear(linv)
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
	// dst = linv' D^-1 linv, lower triangle first.
	clear(dst)
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
				dst[i*p+j] += li * linv[k*p+j]
			}
		}
	}
	for i := range p {
		if f[i*p+i] == 0 {
			for j := range p {
				dst[i*p+j], dst[j*p+i] = 0, 0
			}
		}
	}
	for i := range p {
		for j := range i {
			dst[j*p+i] = dst[i*p+j]
		}
	}
}
