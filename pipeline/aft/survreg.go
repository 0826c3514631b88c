package aft

import (
	"fmt"
	"math"

	"github.com/ketcurves/ketcurves/pipeline/newton"
	"gonum.org/v1/gonum/stat/distuv"
)

// scaledLikelihood evaluates a likelihood in the parametrisation survreg
// iterates on: covariates centred at their means and divided by their
// standard deviations, except 0/1 columns (survreg.fit's "rescaled"). The
// raw parameters are raw = T s, so the score is T' U and the information
// T' I T.
type scaledLikelihood struct {
	l                 *likelihood
	t                 []float64 // q x q, row-major
	raw, g, info, jj  []float64
	tmp               []float64 // q x q scratch
	center, stdev     []float64 // per location column (index 0 is the intercept: 0, 1)
	exactLogTimeTotal float64   // sum of log t over exact observations
}

func newScaledLikelihood(l *likelihood) *scaledLikelihood {
	p, q := l.p, l.q
	s := &scaledLikelihood{
		l: l, t: make([]float64, q*q),
		raw: make([]float64, q), g: make([]float64, q), info: make([]float64, q*q), jj: make([]float64, q*q),
		tmp: make([]float64, q*q), center: make([]float64, p), stdev: make([]float64, p),
	}
	s.stdev[0] = 1
	rescale := false
	for j, col := range l.cols {
		s.stdev[j+1] = 1
		if isBinary(col) {
			continue
		}
		rescale = true
		mean, sd := meanSD(col)
		s.center[j+1] = mean
		if sd > 0 {
			s.stdev[j+1] = sd
		}
	}
	if !rescale {
		clear(s.center)
	}
	for a := range q {
		s.t[a*q+a] = 1
	}
	for j := 1; j < p; j++ {
		s.t[j] = -s.center[j] / s.stdev[j]
		s.t[j*q+j] = 1 / s.stdev[j]
	}
	for i, c := range l.code {
		if c == censExact {
			s.exactLogTimeTotal += l.lo[i]
		}
	}
	return s
}

func isBinary(col []float64) bool {
	for _, v := range col {
		if v != 0 && v != 1 {
			return false
		}
	}
	return true
}

// meanSD returns the mean and the (n-1) standard deviation, R's sd().
func meanSD(col []float64) (mean, sd float64) {
	for _, v := range col {
		mean += v
	}
	mean /= float64(len(col))
	var ss float64
	for _, v := range col {
		ss += (v - mean) * (v - mean)
	}
	if len(col) > 1 {
		sd = math.Sqrt(ss / float64(len(col)-1))
	}
	return mean, sd
}

// toRaw stores T s in dst.
func (s *scaledLikelihood) toRaw(dst, theta []float64) {
	q := s.l.q
	for a := range q {
		var v float64
		for b := range q {
			v += s.t[a*q+b] * theta[b]
		}
		dst[a] = v
	}
}

// eval is a newton.Func on the scaled parameters.
func (s *scaledLikelihood) eval(theta, grad, info, jj []float64) float64 {
	s.toRaw(s.raw, theta)
	clear(s.g)
	clear(s.info)
	var rawJJ []float64
	if jj != nil {
		rawJJ = s.jj
		clear(rawJJ)
	}
	ll := s.l.eval(s.raw, s.g, s.info, rawJJ)
	q := s.l.q
	for a := range q {
		var v float64
		for b := range q {
			v += s.t[b*q+a] * s.g[b]
		}
		grad[a] = v
	}
	s.congruence(info, s.info)
	if jj != nil {
		s.congruence(jj, rawJJ)
	}
	return ll
}

// congruence stores T' m T in dst.
func (s *scaledLikelihood) congruence(dst, m []float64) {
	q := s.l.q
	for a := range q {
		for b := range q {
			var v float64
			for c := range q {
				v += m[a*q+c] * s.t[c*q+b]
			}
			s.tmp[a*q+b] = v
		}
	}
	for a := range q {
		for b := range q {
			var v float64
			for c := range q {
				v += s.t[c*q+a] * s.tmp[c*q+b]
			}
			dst[a*q+b] = v
		}
	}
}

// initialValues returns survreg.fit's starting log(sigma) (from sd$init's
// variance of yy) and yy: the log time, or the mid-point of
// the log bounds for interval-censored observations.
func (l *likelihood) initialValues() (yy []float64, logSigma float64) {
	var mean float64
	yy = make([]float64, l.n)
	for i, c := range l.code {
		yy[i] = l.lo[i]
		if c == censInterval {
			yy[i] = (l.lo[i] + l.hi[i]) / 2
		}
		mean += yy[i]
	}
	mean /= float64(l.n)
	var v float64
	for _, y := range yy {
		v += (y - mean) * (y - mean)
	}
	v /= float64(l.n)
	switch l.k {
	case extreme:
		v /= 1.64
	case logistic:
		v /= 3.2
	}
	// log(2 sqrt(variance)): survreg doubles the initial sigma. (Its
	// initial mean, sd$init's first value, is replaced by the glim step.)
	return yy, math.Log(4*v) / 2
}

// glimWeights returns survreg.fit's derfun at eta = yy: dg and -ddg per
// observation, for the weighted least-squares starting values.
func (l *likelihood) glimWeights(yy []float64, sigma float64) (dg, wt []float64) {
	dg = make([]float64, l.n)
	wt = make([]float64, l.n)
	for i, c := range l.code {
		var yHi float64
		if c == censInterval {
			yHi = l.hi[i]
		}
		_, d, dd, _, _, _ := l.k.obsDerivs(c, l.lo[i], yHi, yy[i], sigma)
		dg[i], wt[i] = d, -dd
	}
	return dg, wt
}

// fit runs the intercept-only and the full fit and fills m.
func fit(l *likelihood, m *Model, opt Options) {
	yy, logSigma0 := l.initialValues()
	if l.q == l.p {
		logSigma0 = 0
	}
	settings := func(maxIter int, q, p int) newton.Settings {
		s := newton.Settings{MaxIter: maxIter, Eps: opt.Eps, TolChol: opt.TolChol, Backtrack: newton.Third, UseFallback: true}
		if q > p {
			s.LogScale = []int{p}
		}
		return s
	}
	// Intercept-only fit (survreg.fit's fit0), with the glim intercept.
	dg, wt := l.glimWeights(yy, math.Exp(logSigma0))
	var num, den float64
	for i := range yy {
		num += dg[i] + wt[i]*yy[i]
		den += wt[i]
	}
	start0 := []float64{num / den}
	if l.q > l.p {
		start0 = append(start0, logSigma0)
	}
	l0 := *l
	l0.cols, l0.p, l0.q = nil, 1, len(start0)
	l0.newScratch()
	s0 := newScaledLikelihood(&l0)
	var res0 *newton.Result
	var err error
	meanOnly := l.p == 1
	if !meanOnly {
		res0, err = newton.Maximize(s0.eval, start0, settings(20, l0.q, 1))
		if err != nil || !finiteAll(res0.X) || !finiteAll(res0.Cov) || math.IsNaN(res0.LogLik) {
			m.notEstimable(fmt.Sprintf("the intercept-only fit failed (%v): the times may be degenerate for the %s distribution", errOrNonFinite(err), m.Dist))
			return
		}
		if l.q > l.p {
			logSigma0 = res0.X[1]
		}
	}
	s := newScaledLikelihood(l)
	start := s.glimStart(yy, logSigma0, opt.TolChol)
	res, err := newton.Maximize(s.eval, start, settings(opt.MaxIter, l.q, l.p))
	if err != nil {
		m.notEstimable(fmt.Sprintf("the log-likelihood is not finite at the starting values (%v)", err))
		return
	}
	m.LogLik = res.LogLik - s.exactLogTimeTotal
	m.LogLik0 = m.LogLik
	if !meanOnly {
		m.LogLik0 = res0.LogLik - s.exactLogTimeTotal
	}
	m.fill(s, res, opt)
}

// glimStart returns survreg.fit's starting values for the full model, on the
// scaled parameters: the weighted least-squares fit of yy + dg/wt on the
// design with weights wt = -ddg (at eta = yy, sigma = exp(logSigma)), then
// logSigma.
func (s *scaledLikelihood) glimStart(yy []float64, logSigma, tolChol float64) []float64 {
	l := s.l
	p, q := l.p, l.q
	dg, wt := l.glimWeights(yy, math.Exp(logSigma))
	xtwx := make([]float64, p*p)
	xtwy := make([]float64, p)
	row := make([]float64, p)
	row[0] = 1
	for i := range l.n {
		for j, col := range l.cols {
			row[j+1] = (col[i] - s.center[j+1]) / s.stdev[j+1]
		}
		r := wt[i]*yy[i] + dg[i]
		for a := range p {
			xtwy[a] += r * row[a]
			for b := 0; b <= a; b++ {
				xtwx[a*p+b] += wt[i] * row[a] * row[b]
			}
		}
	}
	newton.LDL(xtwx, p, tolChol)
	newton.LDLSolve(xtwx, p, xtwy)
	start := make([]float64, q)
	copy(start, xtwy)
	if q > p {
		start[p] = logSigma
	}
	return start
}

// fill sets the estimates, tests and statuses of m from the Newton result
// on the scaled parameters.
func (m *Model) fill(s *scaledLikelihood, res *newton.Result, opt Options) {
	l := s.l
	p, q := l.p, l.q
	raw := make([]float64, q)
	s.toRaw(raw, res.X)
	// Var = T Cov T'.
	m.Var = make([][]float64, q)
	for a := range q {
		m.Var[a] = make([]float64, q)
		for b := range q {
			var v float64
			for c := range q {
				for d := range q {
					v += s.t[a*q+c] * res.Cov[c*q+d] * s.t[b*q+d]
				}
			}
			m.Var[a][b] = v
		}
	}
	m.Coef, m.SE, m.Z, m.P = raw, make([]float64, q), make([]float64, q), make([]float64, q)
	m.TimeRatio, m.TRLower, m.TRUpper = make([]float64, p), make([]float64, p), make([]float64, p)
	m.Scale = 1
	if q > p {
		m.Scale = math.Exp(raw[p])
	}
	m.Iterations, m.Converged = res.Iterations, res.Converged
	m.DF = res.Rank
	m.AIC = -2*m.LogLik + 2*float64(m.DF)
	idf := 1
	if q > p {
		idf = 2
	}
	m.Chisq, m.ChisqP = 2*(m.LogLik-m.LogLik0), math.NaN()
	if df := m.DF - idf; df > 0 {
		m.ChisqP = distuv.ChiSquared{K: float64(df)}.Survival(math.Max(m.Chisq, 0))
	}
	z := distuv.UnitNormal.Quantile((1 + opt.ConfLevel) / 2)
	var redundant, infinite []string
	for j := range q {
		if res.Redundant[j] {
			redundant = append(redundant, m.Names[j])
			m.setNaN(j)
			continue
		}
		se := math.Sqrt(m.Var[j][j])
		m.SE[j], m.Z[j] = se, raw[j]/se
		m.P[j] = math.Erfc(math.Abs(m.Z[j]) / math.Sqrt2)
		if j < p {
			m.TimeRatio[j] = math.Exp(raw[j])
			m.TRLower[j], m.TRUpper[j] = math.Exp(raw[j]-z*se), math.Exp(raw[j]+z*se)
			if j > 0 && !(math.Abs(res.X[j])/m.Scale <= blowUp) {
				infinite = append(infinite, m.Names[j])
			}
		}
	}
	m.status(redundant, infinite, opt)
}

func (m *Model) setNaN(j int) {
	nan := math.NaN()
	m.Coef[j], m.SE[j], m.Z[j], m.P[j] = nan, nan, nan, nan
	if j < len(m.TimeRatio) {
		m.TimeRatio[j], m.TRLower[j], m.TRUpper[j] = nan, nan, nan
	}
	for k := range m.Var {
		m.Var[j][k], m.Var[k][j] = nan, nan
	}
}

func (m *Model) status(redundant, infinite []string, opt Options) {
	m.Status = StatusOK
	if len(infinite) > 0 {
		m.Status = StatusMonotone
		m.Messages = append(m.Messages, fmt.Sprintf(
			"monotone likelihood: the coefficient of %s may be infinite (the log-likelihood levels off while the estimate diverges; typically an arm or level with no events); do not report its estimate, merge levels or use a penalised fit",
			quoteList(infinite)))
	}
	if len(redundant) > 0 {
		if m.Status == StatusOK {
			m.Status = StatusSingular
		}
		m.Messages = append(m.Messages, fmt.Sprintf(
			"singular information matrix: %s redundant (collinear with other terms); its coefficient is undefined and it was left out of the fit",
			quoteList(redundant)))
	}
	if !m.Converged {
		if m.Status == StatusOK {
			m.Status = StatusNotConverged
		}
		m.Messages = append(m.Messages, fmt.Sprintf(
			"did not converge in %d iterations (relative change in log-likelihood still above %g); estimates are from the last improving iteration",
			opt.MaxIter, opt.Eps))
	}
}

func finiteAll(v []float64) bool {
	for _, x := range v {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return false
		}
	}
	return true
}

func errOrNonFinite(err error) string {
	if err != nil {
		return err.Error()
	}
	return "non-finite estimate or variance"
}
