package cmprsk

import "math"

// residualProducts returns Σ_i (η_i + ψ_i)(η_i + ψ_i)ᵀ (p×p), the middle
// of Fine & Gray's (1999, section 4) sandwich, as cmprsk's crrvv computes
// it, with running sums instead of its nested loops. With Z̄ = S1/S0 and
// d_s failures at s,
//
//	η_i = δ1_i (x_i - Z̄(t_i)) - w_i Σ_{s <= t_i} d_s (x_i - Z̄(s))/S0(s)
//	      - δ2_i w_i/G(t_i-) Σ_{s > t_i} d_s G(s-) (x_i - Z̄(s))/S0(s)
//	ψ_i = δc_i q(t_i)/Y(t_i) - Σ_{u <= t_i} c_u q(u)/Y(u)²
//	q(u) = Σ_{s >= u} d_s G(s-)/S0(s) Σ_{t_j < u, δ2_j} w_j (x_j - Z̄(s))/G(t_j-)
//
// (δ1, δ2, δc: cause, competing failure, censoring; c_u censorings and Y(u)
// subjects with t >= u at the censoring time u).
func (d *fgData) residualProducts(beta []float64) []float64 {
	p, m := d.p, len(d.failStart)
	w := d.weights(beta)
	rs := d.sums(w, false)
	zbar := make([][]float64, m)
	// pa: prefix Σ_{f < c} d/S0 (and d Z̄/S0); sb: suffix Σ_{f >= c} d G/S0 (and d G Z̄/S0).
	pa0, pa1 := make([]float64, m+1), make([][]float64, m+1)
	sb0, sb1 := make([]float64, m+1), make([][]float64, m+1)
	pa1[0], sb1[m] = make([]float64, p), make([]float64, p)
	for f := range m {
		zbar[f] = make([]float64, p)
		for j := range p {
			zbar[f][j] = rs.s1[f][j] / rs.s0[f]
		}
		a := d.failCount[f] / rs.s0[f]
		pa0[f+1] = pa0[f] + a
		pa1[f+1] = clone(pa1[f])
		for j := range p {
			pa1[f+1][j] += a * zbar[f][j]
		}
	}
	for f := m - 1; f >= 0; f-- {
		b := d.failCount[f] * d.g[d.failStart[f]] / rs.s0[f]
		sb0[f] = sb0[f+1] + b
		sb1[f] = clone(sb1[f+1])
		for j := range p {
			sb1[f][j] += b * zbar[f][j]
		}
	}
	meat := make([]float64, p*p)
	r := make([]float64, p)
	ss2 := make([]float64, p) // Σ_{u <= t} c_u q(u)/Y(u)², with its sign
	q := make([]float64, p)
	e0, e1 := 0.0, make([]float64, p) // competing failures before the block, / G(t_j-)
	nLT := 0                          // failure times before the block
	for lo := 0; lo < d.n; {
		hi := d.blockEnd[lo]
		nLE := nLT
		if nLE < m && d.failStart[nLE] == lo {
			nLE++
		}
		var cens float64
		for i := lo; i < hi; i++ {
			if d.kind[i] == fgCensored {
				cens++
			}
		}
		y := float64(d.n - lo)
		if cens > 0 {
			for j := range p {
				q[j] = e1[j]*sb0[nLT] - e0*sb1[nLT][j]
				ss2[j] -= cens * q[j] / (y * y)
			}
		}
		for i := lo; i < hi; i++ {
			xi := d.x[i*p : i*p+p]
			for j := range p {
				r[j] = -w[i]*(xi[j]*pa0[nLE]-pa1[nLE][j]) + ss2[j]
			}
			switch d.kind[i] {
			case fgCause:
				for j := range p {
					r[j] += xi[j] - zbar[nLE-1][j]
				}
			case fgCompeting:
				wg := w[i] / d.g[i]
				for j := range p {
					r[j] -= wg * (xi[j]*sb0[nLE] - sb1[nLE][j])
				}
			case fgCensored:
				for j := range p {
					r[j] += q[j] / y
				}
			}
			addOuter(meat, r, r, 1)
		}
		for i := lo; i < hi; i++ {
			if d.kind[i] == fgCompeting {
				wg := w[i] / d.g[i]
				e0 += wg
				for j := range p {
					e1[j] += wg * d.x[i*p+j]
				}
			}
		}
		nLT = nLE
		lo = hi
	}
	return meat
}

// invertSym inverts the p×p information matrix, reporting false when a
// pivot is below 1e-12 of the largest diagonal element (not estimable).
func invertSym(a []float64, p int) ([]float64, bool) {
	scale := 0.0
	for j := range p {
		scale = math.Max(scale, math.Abs(a[j*p+j]))
	}
	if scale == 0 || math.IsNaN(scale) || math.IsInf(scale, 0) {
		return nil, false
	}
	b := make([]float64, len(a))
	for i, v := range a {
		b[i] = v / scale
	}
	inv, ok := invert(b, p)
	if !ok {
		return nil, false
	}
	for i := range inv {
		inv[i] /= scale
	}
	return inv, true
}

// solveSym returns a⁻¹ b for the information matrix a.
func solveSym(a, b []float64, p int) ([]float64, bool) {
	inv, ok := invertSym(a, p)
	if !ok {
		return nil, false
	}
	x := make([]float64, p)
	for i := range p {
		for j := range p {
			x[i] += inv[i*p+j] * b[j]
		}
	}
	return x, true
}
