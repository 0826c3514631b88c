package aft

import "math"

// obsDerivs returns the log-likelihood contribution g of one observation
// and its derivatives with respect to the linear predictor eta and to
// log(sigma), as R survival's survregc1.c (Therneau, Mayo Biostatistics
// technical report 53):
//
//	dg = dg/deta, ddg = d2g/deta2, dsig = dg/dlog(sigma),
//	ddsig = d2g/dlog(sigma)2, dsg = d2g/deta dlog(sigma).
//
// y is the log time (the lower log bound for interval-censored data, whose
// upper log bound is yHi). For exact observations g is the log-density of
// log T (the -log t Jacobian is added by the caller). Where the probability
// underflows, g is survregc1's SMALL (-200) with Gaussian-limit derivatives:
// the loglik then falls and the Newton driver backs off.
func (k kind) obsDerivs(code int8, y, yHi, eta, sigma float64) (g, dg, ddg, dsig, ddsig, dsg float64) {
	sz := y - eta
	z := sz / sigma
	sig2 := 1 / (sigma * sigma)
	switch code {
	case censExact:
		_, _, f, dlf, ddf := k.densityFuns(z)
		if f <= 0 {
			return small, -z / sigma, -1 / sigma, 0, 0, 0
		}
		g = math.Log(f) - math.Log(sigma)
		t := dlf / sigma
		t2 := ddf * sig2
		dg = -t
		dsig = -t * sz
		ddg = t2 - dg*dg
		dsg = sz*t2 - dg*(dsig+1)
		ddsig = sz*sz*t2 - dsig*(1+dsig)
		dsig--
		return
	case censRight, censLeft:
		cdf, sf, f, dlf, _ := k.densityFuns(z)
		df := f * dlf
		p := sf
		if code == censLeft {
			p, f, df = cdf, -f, -df
		}
		if p <= 0 {
			if code == censLeft {
				return small, -z / sigma, 0, 0, 0, 0
			}
			return small, z / sigma, 0, 0, 0, 0
		}
		g = math.Log(p)
		t := -f / (p * sigma)
		t2 := -df * sig2 / p
		dg = -t
		dsig = -t * sz
		ddg = t2 - dg*dg
		dsg = sz*t2 - dg*(dsig+1)
		ddsig = sz*sz*t2 - dsig*(1+dsig)
		return
	default: // interval
		zu := (yHi - eta) / sigma
		cdf, sf, f, dlf, _ := k.densityFuns(z)
		cdfU, sfU, fU, dlfU, _ := k.densityFuns(zu)
		df, dfU := f*dlf, fU*dlfU
		var p float64
		if z > 0 {
			p = sf - sfU // avoid round-off in the upper tail
		} else {
			p = cdfU - cdf
		}
		if p <= 0 {
			return small, 1, 0, 0, 0, 0
		}
		g = math.Log(p)
		dg = -(fU - f) / (p * sigma)
		ddg = (dfU-df)*sig2/p - dg*dg
		dsig = (z*f - zu*fU) / p
		ddsig = (zu*zu*dfU-z*z*df)/p - dsig*(1+dsig)
		dsg = (zu*dfU-z*df)/(p*sigma) - dg*(dsig+1)
		return
	}
}

// likelihood is the survreg log-likelihood of a Response on the raw design
// (an implicit intercept column then cols), with every buffer an evaluation
// needs.
type likelihood struct {
	k      kind
	n, p   int         // observations; location coefficients, intercept included
	q      int         // parameters: p, plus 1 when the scale is estimated
	cols   [][]float64 // covariate columns (caller's), without the intercept
	code   []int8
	lo, hi []float64 // log bounds; hi only for interval-censored rows
	row    []float64 // scratch: (1, x_i)
	// logSigma is used when the scale is fixed (q == p).
	logSigma float64
}

// eval is a newton.Func on the raw parameters theta = (beta, log sigma):
// it returns the log-likelihood (without the -sum log t Jacobian) and
// accumulates the score in grad, the information (lower triangle) in info
// and, when jj is not nil, J'J (survreg's JJ) in jj. The upper triangles are
// filled at the end. It allocates nothing.
func (l *likelihood) eval(theta, grad, info, jj []float64) float64 {
	p, q := l.p, l.q
	beta := theta[:p]
	logSigma := l.logSigma
	if q > p {
		logSigma = theta[p]
	}
	sigma := math.Exp(logSigma)
	row := l.row
	row[0] = 1
	var loglik float64
	for i := range l.n {
		eta := beta[0]
		for j, col := range l.cols {
			v := col[i]
			row[j+1] = v
			eta += beta[j+1] * v
		}
		var yHi float64
		if l.code[i] == censInterval {
			yHi = l.hi[i]
		}
		g, dg, ddg, dsig, ddsig, dsg := l.k.obsDerivs(l.code[i], l.lo[i], yHi, eta, sigma)
		loglik += g
		for a := range p {
			ra := row[a]
			grad[a] += dg * ra
			ia := info[a*q : a*q+a+1]
			s := ddg * ra
			for b, rb := range row[:a+1] {
				ia[b] -= s * rb
			}
		}
		if jj != nil {
			for a := range p {
				ja := jj[a*q : a*q+a+1]
				s := dg * dg * row[a]
				for b, rb := range row[:a+1] {
					ja[b] += s * rb
				}
			}
		}
		if q > p {
			grad[p] += dsig
			ip := info[p*q : p*q+p+1]
			for b, rb := range row {
				ip[b] -= dsg * rb
			}
			ip[p] -= ddsig
			if jj != nil {
				jp := jj[p*q : p*q+p+1]
				for b, rb := range row {
					jp[b] += dsig * dg * rb
				}
				jp[p] += dsig * dsig
			}
		}
	}
	symmetrize(info, q)
	if jj != nil {
		symmetrize(jj, q)
	}
	return loglik
}

// symmetrize copies the lower triangle of the q x q matrix m to the upper.
func symmetrize(m []float64, q int) {
	for a := range q {
		for b := range a {
			m[b*q+a] = m[a*q+b]
		}
	}
}
