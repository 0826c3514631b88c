package aft

import (
	"fmt"
	"math"

	"github.com/ketcurves/ketcurves/pipeline/newton"
	"gonum.org/v1/gonum/stat/distuv"
)

// Term names of the generalized gamma's ancillary parameters.
const (
	LogSigmaName = "log(sigma)"
	QName        = "Q"
)

// GenGammaModel is a fitted generalized gamma regression: Mu = x'beta, with
// log(sigma) and Q constant. Per-term slices are indexed like Names: the
// intercept, the caller's columns, "log(sigma)", "Q".
type GenGammaModel struct {
	Names []string
	// Coef holds beta, log(sigma) and Q; SE, Z and P are Wald statistics
	// from Var, the inverse of the numerically differentiated observed
	// information at the estimate.
	Coef, SE, Z, P []float64
	Sigma, Q       float64
	// TimeRatio[j] = exp(Coef[j]) for the location terms, with its
	// ConfLevel interval.
	TimeRatio, TRLower, TRUpper []float64
	Var                         [][]float64
	// LogLik includes the -sum log t Jacobian of the exact times (the
	// log-likelihood of T, as survreg's and flexsurvreg's).
	LogLik float64
	// WeibullLogLik and LogNormalLogLik are the nested fits (Q = 1 and
	// Q = 0), for likelihood-ratio tests of either.
	WeibullLogLik, LogNormalLogLik float64
	DF                             int // number of parameters, p + 2
	AIC                            float64
	N                              int
	Counts
	ConfLevel  float64
	Iterations int
	Converged  bool
	Status     Status
	Messages   []string
}

// At returns the fitted distribution of T for the covariate values x (one
// per covariate column given to FitGenGamma). It panics if len(x) is wrong.
func (m *GenGammaModel) At(x []float64) GenGamma {
	p := len(m.TimeRatio)
	if len(x) != p-1 {
		panic(fmt.Sprintf("aft: %d covariate values given, the model has %d (%v)", len(x), p-1, m.Names[1:p]))
	}
	mu := m.Coef[0]
	for j, v := range x {
		mu += m.Coef[j+1] * v
	}
	return GenGamma{Mu: mu, Sigma: m.Sigma, Q: m.Q}
}

// fdStep is the finite-difference step, in eta, log(sigma) and Q, of the
// per-observation derivatives: central differences are then accurate to
// about 1e-8 relative, well inside the 1e-5 the estimates are checked to.
const fdStep = 1e-4

// genGammaLikelihood evaluates the generalized gamma log-likelihood with
// derivatives from central differences of each observation's contribution
// in (eta, log sigma, Q), chained to beta: O(n p^2) per evaluation, 19
// contributions per observation.
type genGammaLikelihood struct{ l *likelihood }

func (g genGammaLikelihood) eval(theta, grad, info, jj []float64) float64 {
	l := g.l
	p, q := l.p, l.p+2
	row := l.row
	row[0] = 1
	var loglik float64
	for i := range l.n {
		eta := theta[0]
		for j, col := range l.cols {
			row[j+1] = col[i]
			eta += theta[j+1] * col[i]
		}
		var yHi float64
		if l.code[i] == censInterval {
			yHi = l.hi[i]
		}
		c, d, h := genGammaObsDerivs(l.code[i], l.lo[i], yHi, [3]float64{eta, theta[p], theta[p+1]})
		loglik += c
		// Chain rule: parameter a acts on component k(a) of (eta, log
		// sigma, Q) with coefficient c(a): x_a for beta_a, 1 otherwise.
		for a := range q {
			ka, ca := genGammaComponent(a, p, row)
			sa := d[ka] * ca
			grad[a] += sa
			for b := 0; b <= a; b++ {
				kb, cb := genGammaComponent(b, p, row)
				info[a*q+b] -= h[ka][kb] * ca * cb
				if jj != nil {
					jj[a*q+b] += sa * d[kb] * cb
				}
			}
		}
	}
	symmetrize(info, q)
	if jj != nil {
		symmetrize(jj, q)
	}
	return loglik
}

// genGammaComponent returns which of (eta, log sigma, Q) parameter a of
// (beta, log sigma, Q) moves, and by how much per unit.
func genGammaComponent(a, p int, row []float64) (int, float64) {
	switch {
	case a < p:
		return 0, row[a]
	case a == p:
		return 1, 1
	}
	return 2, 1
}

// genGammaObsDerivs returns an observation's contribution at v = (eta,
// log sigma, Q), its gradient and Hessian by central differences.
func genGammaObsDerivs(code int8, y, yHi float64, v [3]float64) (c float64, d [3]float64, h [3][3]float64) {
	f := func(dv [3]float64) float64 {
		return genGammaObs(code, y, yHi, v[0]+dv[0], v[1]+dv[1], v[2]+dv[2])
	}
	c = f([3]float64{})
	const s = fdStep
	for k := range 3 {
		var e [3]float64
		e[k] = s
		plus := f(e)
		e[k] = -s
		minus := f(e)
		d[k] = (plus - minus) / (2 * s)
		h[k][k] = (plus - 2*c + minus) / (s * s)
		for m := range k {
			var pp, pm, mp, mm [3]float64
			pp[k], pp[m] = s, s
			pm[k], pm[m] = s, -s
			mp[k], mp[m] = -s, s
			mm[k], mm[m] = -s, -s
			h[k][m] = (f(pp) - f(pm) - f(mp) + f(mm)) / (4 * s * s)
			h[m][k] = h[k][m]
		}
	}
	return c, d, h
}

// FitGenGamma fits the generalized gamma AFT model of Prentice (1974),
// log T = x'beta + sigma W with W's density given at GenGamma, by maximum
// likelihood: the log-likelihood is the sum over observations of log f
// (exact), log S (right-censored), log F (left) or log(F(hi) - F(lo))
// (interval). The Weibull (Q = 1) and log-normal (Q = 0) submodels are fitted
// first with Fit; Newton–Raphson (package newton, step halving) starts from
// whichever has the larger log-likelihood. Derivatives are central
// differences of each observation's contribution in (x'beta, log sigma, Q),
// so SEs come from a numerical observed information.
//
// References: Prentice (1974), "A log gamma model and its maximum likelihood
// estimation", Biometrika 61, 539-544; Cox, Chu, Schneider and Munoz (2007),
// Statistics in Medicine 26, 4352-4374. R equivalent (flexsurv):
//
//	flexsurvreg(Surv(time, status) ~ x1 + ..., dist = "gengamma")
//
// whose coefficients are mu (our intercept), log(sigma), Q and the
// covariate effects on mu. The tests compare with an independent base-R
// optim fit of the same likelihood (testdata/make_reference.R).
//
// Statuses as Fit; Q near 0 is handled without loss of accuracy. Errors and
// panics as Fit.
func FitGenGamma(resp Response, x [][]float64, names []string, opt Options) (*GenGammaModel, error) {
	wb, err := Fit(resp, x, names, Weibull, opt)
	if err != nil {
		return nil, err
	}
	opt, _ = opt.withDefaults()
	m := &GenGammaModel{N: wb.N, Counts: wb.Counts, ConfLevel: opt.ConfLevel,
		Names: append(append([]string{InterceptName}, names...), LogSigmaName, QName)}
	if wb.Status == StatusNotEstimable {
		m.Status, m.Messages = wb.Status, wb.Messages
		return m, nil
	}
	ln, _ := Fit(resp, x, names, LogNormal, opt)
	m.WeibullLogLik, m.LogNormalLogLik = wb.LogLik, ln.LogLik
	p := wb.NumLocation()
	start := append(append([]float64(nil), wb.Coef...), 1)
	if ln.Status != StatusNotEstimable && ln.LogLik > wb.LogLik {
		start = append(append([]float64(nil), ln.Coef...), 0)
	}
	for j, v := range start {
		if math.IsNaN(v) { // redundant column of the submodel
			start[j] = 0
		}
	}
	l, _, _ := newLikelihood(resp, x, Weibull)
	var exactLogTime float64
	for i, c := range l.code {
		if c == censExact {
			exactLogTime += l.lo[i]
		}
	}
	res, err := newton.Maximize(genGammaLikelihood{l}.eval, start, newton.Settings{
		MaxIter: opt.MaxIter, Eps: opt.Eps, TolChol: opt.TolChol, LogScale: []int{p}, UseFallback: true,
	})
	if err != nil {
		m.Status = StatusNotEstimable
		m.Messages = append(m.Messages, fmt.Sprintf("the generalized gamma log-likelihood is not finite at the submodel's estimate (%v)", err))
		return m, nil
	}
	m.LogLik = res.LogLik - exactLogTime
	m.fill(res, p, opt)
	return m, nil
}

func (m *GenGammaModel) fill(res *newton.Result, p int, opt Options) {
	q := p + 2
	m.Coef, m.SE, m.Z, m.P = res.X, make([]float64, q), make([]float64, q), make([]float64, q)
	m.TimeRatio, m.TRLower, m.TRUpper = make([]float64, p), make([]float64, p), make([]float64, p)
	m.Var = make([][]float64, q)
	for a := range q {
		m.Var[a] = res.Cov[a*q : a*q+q]
	}
	m.Sigma, m.Q = math.Exp(res.X[p]), res.X[p+1]
	m.Iterations, m.Converged = res.Iterations, res.Converged
	m.DF = res.Rank
	m.AIC = -2*m.LogLik + 2*float64(m.DF)
	z := distuv.UnitNormal.Quantile((1 + opt.ConfLevel) / 2)
	var redundant, infinite []string
	for j := range q {
		if res.Redundant[j] {
			redundant = append(redundant, m.Names[j])
			nan := math.NaN()
			m.Coef[j], m.SE[j], m.Z[j], m.P[j] = nan, nan, nan, nan
			if j < p {
				m.TimeRatio[j], m.TRLower[j], m.TRUpper[j] = nan, nan, nan
			}
			for k := range q {
				m.Var[j][k], m.Var[k][j] = nan, nan
			}
			continue
		}
		se := math.Sqrt(m.Var[j][j])
		m.SE[j], m.Z[j] = se, m.Coef[j]/se
		m.P[j] = math.Erfc(math.Abs(m.Z[j]) / math.Sqrt2)
		if j < p {
			m.TimeRatio[j] = math.Exp(m.Coef[j])
			m.TRLower[j], m.TRUpper[j] = math.Exp(m.Coef[j]-z*se), math.Exp(m.Coef[j]+z*se)
		}
	}
	if !res.NonNegative || !finiteAll(m.SE) && len(redundant) == 0 {
		infinite = append(infinite, "the information matrix is not positive definite at the estimate")
	}
	tmp := &Model{Converged: m.Converged, Names: m.Names}
	tmp.status(redundant, nil, opt)
	m.Status, m.Messages = tmp.Status, tmp.Messages
	if len(infinite) > 0 && m.Status == StatusOK {
		m.Status = StatusNotConverged
		m.Messages = append(m.Messages, "not a maximum: "+infinite[0]+" (the generalized gamma is often poorly identified in small samples; report the Weibull or log-normal fit)")
	}
}
