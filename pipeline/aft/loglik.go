package aft

import (
	"math"
	"runtime"
	"sync"
	"sync/atomic"
)

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
	return k.obsDerivsLog(code, y, yHi, eta, sigma, math.Log(sigma))
}

// obsDerivsLog is obsDerivs with log(sigma) given.
func (k kind) obsDerivsLog(code int8, y, yHi, eta, sigma, logSigma float64) (g, dg, ddg, dsig, ddsig, dsg float64) {
	sz := y - eta
	z := sz / sigma
	sig2 := 1 / (sigma * sigma)
	if code == censExact || code == censRight {
		// Fast paths: log f and log S without computing the CDF.
		if lf, r1, r2, ok := k.exactOrRight(code, z); ok {
			if code == censExact {
				dg, ddg, dsig, ddsig, dsg = chain(r1/sigma, r2*sig2, sz)
				return lf - logSigma, dg, ddg, dsig - 1, ddsig, dsg
			}
			// Right-censored: r1 = f/S, r2 = f'/S.
			dg, ddg, dsig, ddsig, dsg = chain(-r1/sigma, -r2*sig2, sz)
			return lf, dg, ddg, dsig, ddsig, dsg
		}
	}
	switch code {
	case censExact:
		_, _, f, dlf, ddf := k.densityFuns(z)
		if f <= 0 {
			return small, -z / sigma, -1 / sigma, 0, 0, 0
		}
		dg, ddg, dsig, ddsig, dsg = chain(dlf/sigma, ddf*sig2, sz)
		return math.Log(f) - logSigma, dg, ddg, dsig - 1, ddsig, dsg
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
		dg, ddg, dsig, ddsig, dsg = chain(-f/(p*sigma), -df*sig2/p, sz)
		return math.Log(p), dg, ddg, dsig, ddsig, dsg
	}
	return k.intervalDerivs(z, (yHi-eta)/sigma, sigma)
}

// chain returns survregc1's derivatives of g from the factors t = -dg/deta
// and t2 (f'/f / sigma and f”/f / sigma^2 for an exact time; -f/(S sigma)
// and -f'/(S sigma^2) for a right-censored one, F in place of S and -f for
// a left-censored one):
//
//	dg = -t, dsig = -t sz, ddg = t2 - dg^2,
//	dsg = sz t2 - dg (dsig + 1), ddsig = sz^2 t2 - dsig (1 + dsig),
//
// sz = sigma z. For an exact time the caller subtracts 1 from dsig (the
// -log sigma term).
func chain(t, t2, sz float64) (dg, ddg, dsig, ddsig, dsg float64) {
	dg = -t
	dsig = -t * sz
	ddg = t2 - dg*dg
	dsg = sz*t2 - dg*(dsig+1)
	ddsig = sz*sz*t2 - dsig*(1+dsig)
	return
}

// intervalDerivs returns g = log(F(zu) - F(z)) and its derivatives
// (survregc1's case 3).
func (k kind) intervalDerivs(z, zu, sigma float64) (g, dg, ddg, dsig, ddsig, dsg float64) {
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
	sig2 := 1 / (sigma * sigma)
	g = math.Log(p)
	dg = -(fU - f) / (p * sigma)
	ddg = (dfU-df)*sig2/p - dg*dg
	dsig = (z*f - zu*fU) / p
	ddsig = (zu*zu*dfU-z*z*df)/p - dsig*(1+dsig)
	dsg = (zu*dfU-z*df)/(p*sigma) - dg*(dsig+1)
	return
}

// chunkRows is the number of observations per chunk of an evaluation.
// Chunks are summed in order, so the result does not depend on the number of
// goroutines that evaluated them.
const chunkRows = 1 << 15

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
	// row is scratch for callers outside eval: the design row (1, x_i).
	row    []float64
	chunks []chunkSums
	// logSigma is used when the scale is fixed (q == p).
	logSigma float64
}

// chunkSums holds one chunk's sums and scratch: the design row, the score
// vector of one observation, packed lower triangles (q(q+1)/2, by rows) of
// the information and J'J.
type chunkSums struct {
	loglik               float64
	grad, infoTri, jjTri []float64
	row, score           []float64
}

// newScratch allocates the per-chunk buffers.
func (l *likelihood) newScratch() {
	l.row = make([]float64, l.p)
	nc := max(1, (l.n+chunkRows-1)/chunkRows)
	l.chunks = make([]chunkSums, nc)
	tri := l.q * (l.q + 1) / 2
	for c := range l.chunks {
		l.chunks[c] = chunkSums{
			grad: make([]float64, l.q), infoTri: make([]float64, tri), jjTri: make([]float64, tri),
			row: make([]float64, l.p), score: make([]float64, l.q),
		}
	}
}

// eval is a newton.Func on the raw parameters theta = (beta, log sigma):
// it returns the log-likelihood (without the -sum log t Jacobian) and
// stores the score in grad, the information in info and, when jj is not
// nil, J'J (survreg's JJ, the sum of the outer products of the
// observations' scores) in jj. It costs O(n q^2); chunks of chunkRows
// observations are evaluated by up to GOMAXPROCS goroutines and summed in
// order. With a single chunk it allocates nothing.
func (l *likelihood) eval(theta, grad, info, jj []float64) float64 {
	p, q := l.p, l.q
	logSigma := l.logSigma
	if q > p {
		logSigma = theta[p]
	}
	wantJJ := jj != nil
	nc := len(l.chunks)
	workers := min(nc, runtime.GOMAXPROCS(0))
	if workers <= 1 {
		for c := range l.chunks {
			l.evalChunk(c, theta[:p], logSigma, wantJJ)
		}
	} else {
		l.evalParallel(workers, theta[:p], logSigma, wantJJ)
	}
	var loglik float64
	tri := q * (q + 1) / 2
	clear(grad)
	for c := range l.chunks {
		cs := &l.chunks[c]
		loglik += cs.loglik
		for a := range q {
			grad[a] += cs.grad[a]
		}
		if c > 0 {
			first := &l.chunks[0]
			for k := range tri {
				first.infoTri[k] += cs.infoTri[k]
				if wantJJ {
					first.jjTri[k] += cs.jjTri[k]
				}
			}
		}
	}
	unpack(info, l.chunks[0].infoTri, q)
	if wantJJ {
		unpack(jj, l.chunks[0].jjTri, q)
	}
	return loglik
}

// evalParallel evaluates every chunk with the given number of goroutines.
func (l *likelihood) evalParallel(workers int, beta []float64, logSigma float64, wantJJ bool) {
	nc := len(l.chunks)
	var next atomic.Int64
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for c := int(next.Add(1)) - 1; c < nc; c = int(next.Add(1)) - 1 {
				l.evalChunk(c, beta, logSigma, wantJJ)
			}
		}()
	}
	wg.Wait()
}

// evalChunk accumulates chunk c's sums into l.chunks[c].
func (l *likelihood) evalChunk(c int, beta []float64, logSigma float64, wantJJ bool) {
	p, q := l.p, l.q
	cs := &l.chunks[c]
	sigma := math.Exp(logSigma)
	row, score, grad, it, jt := cs.row, cs.score[:q], cs.grad[:q], cs.infoTri, cs.jjTri
	clear(grad)
	clear(it)
	clear(jt)
	row[0] = 1
	var loglik float64
	lo, hi := c*chunkRows, min(l.n, (c+1)*chunkRows)
	for i := lo; i < hi; i++ {
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
		g, dg, ddg, dsig, ddsig, dsg := l.k.obsDerivsLog(l.code[i], l.lo[i], yHi, eta, sigma, logSigma)
		loglik += g
		for a, ra := range row {
			score[a] = dg * ra
		}
		if q > p {
			score[p] = dsig
		}
		for a, sa := range score {
			grad[a] += sa
		}
		// Information: -(ddg x x', dsg x; dsg x', ddsig), packed by rows.
		k := 0
		for a, ra := range row {
			s := ddg * ra
			for _, rb := range row[:a+1] {
				it[k] -= s * rb
				k++
			}
		}
		if q > p {
			for _, rb := range row {
				it[k] -= dsg * rb
				k++
			}
			it[k] -= ddsig
		}
		if wantJJ {
			k = 0
			for a, sa := range score {
				for _, sb := range score[:a+1] {
					jt[k] += sa * sb
					k++
				}
			}
		}
	}
	cs.loglik = loglik
}

// unpack stores the packed lower triangle t (by rows) in the full q x q
// matrix m.
func unpack(m, t []float64, q int) {
	k := 0
	for a := range q {
		for b := 0; b <= a; b++ {
			m[a*q+b], m[b*q+a] = t[k], t[k]
			k++
		}
	}
}

// symmetrize copies the lower triangle of the q x q matrix m to the upper.
func symmetrize(m []float64, q int) {
	for a := range q {
		for b := range a {
			m[b*q+a] = m[a*q+b]
		}
	}
}

// exactOrRight returns, for an exact observation, log f(z), f'/f and f”/f,
// and for a right-censored one log S(z), f/S and f'/S, in closed forms that
// need at most one exp (R's survregc1 gets the same values from the
// five-number summary). ok is false where survregc1 would find the
// probability 0 (its SMALL branch); the caller then takes the general path.
func (k kind) exactOrRight(code int8, z float64) (lf, r1, r2 float64, ok bool) {
	switch k {
	case extreme:
		zc := z // clamped to [-200, 200] as survregc1's exvalue_d
		if zc < small {
			zc = small
		} else if zc > -small {
			zc = -small
		}
		w := math.Exp(zc)
		if w > maxExpArg {
			return 0, 0, 0, false
		}
		if code == censExact {
			return zc - w, 1 - w, w*(w-3) + 1, true
		}
		return -w, w, w * (1 - w), true
	case gaussian:
		if code == censExact {
			if z*z/2 > maxExpArg {
				return 0, 0, 0, false
			}
			return -z*z/2 - logSqrt2Pi, -z, z*z - 1, true
		}
	case logistic:
		a := math.Abs(z)
		e := math.Exp(-a)
		if code == censExact {
			t := 1 + e
			sign := 1.0
			if z > 0 {
				sign = -1
			}
			return -a - 2*math.Log1p(e), sign * (1 - e) / t, (e*e - 4*e + 1) / (t * t), true
		}
		// S = 1/(1+e^z); f/S = F = e^z/(1+e^z); f'/S = F (1 - e^z)/(1 + e^z).
		var logS, cdf, m float64
		if z > 0 {
			logS, cdf, m = -z-math.Log1p(e), 1/(1+e), (e-1)/(e+1)
		} else {
			logS, cdf, m = -math.Log1p(e), e/(1+e), (1-e)/(1+e)
		}
		return logS, cdf, cdf * m, true
	}
	return 0, 0, 0, false
}

// maxExpArg is about the largest w with exp(-w) > 0 in float64: beyond it
// survregc1's density or survival underflows to 0.
const maxExpArg = 745

var logSqrt2Pi = 0.5 * math.Log(2*math.Pi)
