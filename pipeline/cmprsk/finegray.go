package cmprsk

import (
	"errors"
	"fmt"
	"math"

	"github.com/ketcurves/ketcurves/pipeline/order"
)

// FineGrayOptions configures FineGray. The zero value is crr's defaults
// for cause 1.
type FineGrayOptions struct {
	Cause     int      // the failure code of interest (crr's failcode); 0 means 1
	Names     []string // covariate names, one per column of x; nil means "x1", "x2", …
	ConfLevel float64  // level of the hazard-ratio intervals; 0 means 0.95
	MaxIter   int      // Newton iterations (crr's maxiter); 0 means 10, < 0 means none
	GradTol   float64  // convergence tolerance on the gradient (crr's gtol); 0 means 1e-6
	Init      []float64
}

// FineGrayResult is a fitted Fine–Gray proportional subdistribution hazards
// model.
type FineGrayResult struct {
	Cause     int
	Names     []string
	N         int // observations
	Events    int // failures from Cause
	Competing int // failures from other causes
	Censored  int
	ConfLevel float64

	// Status is "ok", "not_converged" (the estimates are the last
	// iterate), "singular" (the information matrix at the estimate is not
	// invertible: SE, Z, P and the limits are NaN) or "no_events" (no
	// failure from Cause: nothing is estimated and the slices are nil).
	Status    string
	Converged bool
	Iter      int // Newton steps taken

	Coef, SE, Z, P   []float64
	HR               []float64 // exp(Coef): subdistribution hazard ratios
	HRLower, HRUpper []float64 // exp(Coef ∓ z SE)
	// Var is crr's var: the sandwich estimate I⁻¹ Σ_i (η_i+ψ_i)(η_i+ψ_i)ᵀ I⁻¹
	// of Fine & Gray (1999), which accounts for the estimated censoring
	// weights; InvInfo is the model-based I⁻¹ (crr's invinf). p×p row-major.
	Var, InvInfo []float64
	// LogLik and LogLikNull are the log pseudo-likelihood at Coef and at 0;
	// LRStat = 2 (LogLik - LogLikNull) is crr's "pseudo likelihood ratio
	// test" on len(Coef) degrees of freedom.
	LogLik, LogLikNull, LRStat float64
	Score                      []float64 // gradient of LogLik at Coef
}

// FineGray fits the proportional subdistribution hazards model of Fine &
// Gray (1999) for the failures with status opt.Cause, with status 0 a
// censoring and any other code a competing failure, and covariates x
// (column-major: x[j][i] is covariate j of observation i).
//
// With G the Kaplan–Meier estimate of the censoring distribution, a subject
// who had a competing failure at t_j < s stays in the risk set at s with
// weight G(s-)/G(t_j-); with w_j = exp(βᵀx_j) the log pseudo-likelihood is
//
//	ℓ(β) = Σ_{cause i} { βᵀx_i - log S0(t_i) },
//	S0(s) = Σ_{t_j >= s} w_j + G(s-) Σ_{t_j < s, competing} w_j / G(t_j-)
//
// Both sums are running sums over the data sorted by time (Kawaguchi, Shih,
// Suchard & Zhou 2021: the forward–backward scan), and so are S1 and S2
// (with x_j and x_j x_jᵀ), the score and information: one evaluation is
// O(n p²) after an O(n log n) sort, where cmprsk's crr loops over all
// subjects at each failure time (O(n²)). The sandwich variance, with the
// censoring-weight term ψ_i of Fine & Gray's section 4, is computed with
// running sums too.
//
// The iteration is crr's: Newton–Raphson from Init (default 0) with
// backtracking (the step is halved until ℓ increases by at least 1e-4 of
// the predicted change, at most 20 times), stopping when
// max_j |∂ℓ/∂β_j| max(|β_j|, 1) < GradTol max(|ℓ|, 1), after at most
// MaxIter steps. The numbers agree with R's
//
//	crr(ftime, fstatus, cov1, failcode = cause, cencode = 0)
//
// and summary(fit): coef, se(coef) = sqrt(diag(var)), z, p-value,
// exp(coef) and its interval, loglik, loglik.null, converged. SAS: PROC
// PHREG with EVENTCODE=cause in the MODEL statement (the Fine–Gray model).
// Time-varying covariates (crr's cov2, tf) and censoring groups (cengroup)
// are not supported. R builds G with survfit, which ties times closer than
// sqrt(machine epsilon) (survival:::aeqSurv); this function does not, so the
// two differ only for such near-ties.
//
// Reference: Fine JP, Gray RJ (1999) A proportional hazards model for the
// subdistribution of a competing risk. JASA 94:496–509. Kawaguchi ES, Shih
// JH, Suchard MA, Zhou Z (2021) Scalable algorithms for large competing
// risks data. J Comput Graph Stat 30:685–693 (R package fastcmprsk).
//
// It returns an error for empty input, no covariates, a non-finite or
// negative time, a negative status or a non-finite covariate. Numerical
// trouble is reported in Status, not as an error. It panics if the lengths
// differ, len(opt.Names) or len(opt.Init) is not the number of covariates,
// or ConfLevel is outside (0, 1).
func FineGray(time []float64, status []int, x [][]float64, opt FineGrayOptions) (*FineGrayResult, error) {
	opt = opt.withDefaults(len(x))
	for j := range x {
		if len(x[j]) != len(time) {
			panic(fmt.Sprintf("cmprsk: covariate %d has %d values for %d times", j, len(x[j]), len(time)))
		}
	}
	if len(status) != len(time) {
		panic(fmt.Sprintf("cmprsk: len(time) = %d != len(status) = %d", len(time), len(status)))
	}
	fg, err := newFGData(time, status, x, opt.Cause)
	if err != nil {
		return nil, fmt.Errorf("could not fit the Fine-Gray model: %w", err)
	}
	res := &FineGrayResult{
		Cause: opt.Cause, Names: opt.Names, N: len(time), ConfLevel: opt.ConfLevel,
		Events: fg.nCause, Competing: fg.nCompeting, Censored: fg.nCensored,
	}
	if fg.nCause == 0 {
		res.Status = StatusNoEvents
		return res, nil
	}
	fg.fit(res, opt)
	return res, nil
}

func (opt FineGrayOptions) withDefaults(p int) FineGrayOptions {
	if opt.Cause == 0 {
		opt.Cause = 1
	}
	if opt.Names == nil {
		opt.Names = make([]string, p)
		for j := range opt.Names {
			opt.Names[j] = fmt.Sprintf("x%d", j+1)
		}
	}
	if len(opt.Names) != p {
		panic(fmt.Sprintf("cmprsk: %d names for %d covariates", len(opt.Names), p))
	}
	if opt.Init != nil && len(opt.Init) != p {
		panic(fmt.Sprintf("cmprsk: %d initial values for %d covariates", len(opt.Init), p))
	}
	if opt.ConfLevel == 0 {
		opt.ConfLevel = 0.95
	}
	if !(opt.ConfLevel > 0 && opt.ConfLevel < 1) {
		panic(fmt.Sprintf("cmprsk: ConfLevel %v outside (0, 1)", opt.ConfLevel))
	}
	if opt.MaxIter == 0 {
		opt.MaxIter = 10
	}
	if opt.GradTol == 0 {
		opt.GradTol = 1e-6
	}
	return opt
}

// Event types of fgData.kind.
const (
	fgCensored = iota
	fgCause
	fgCompeting
)

// fgData is the data sorted by time, with centred covariates (row-major,
// n×p), the censoring weights G(t_i-), and the blocks of tied times.
type fgData struct {
	n, p                          int
	t                             []float64
	kind                          []int8
	x                             []float64
	g                             []float64 // G(t_i-)
	blockEnd                      []int     // for each row, one past the last row with the same time
	nCause, nCompeting, nCensored int
	failStart                     []int // first row of each distinct cause-failure time
	failCount                     []float64
}

func newFGData(time []float64, status []int, x [][]float64, cause int) (*fgData, error) {
	n, p := len(time), len(x)
	if n == 0 {
		return nil, errors.New("no observations")
	}
	if p == 0 {
		return nil, errors.New("no covariates: give at least one column")
	}
	for i, t := range time {
		if math.IsNaN(t) || math.IsInf(t, 0) || t < 0 {
			return nil, fmt.Errorf("time[%d] = %v: times must be finite and >= 0", i, t)
		}
		if status[i] < 0 {
			return nil, fmt.Errorf("status[%d] = %d: use 0 for a censoring and a positive code for a failure", i, status[i])
		}
	}
	for j := range x {
		for i, v := range x[j] {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return nil, fmt.Errorf("covariate %d, row %d: %v: covariates must be finite (drop incomplete rows first)", j, i, v)
			}
		}
	}
	perm := order.ByTime(time)
	d := &fgData{n: n, p: p, t: make([]float64, n), kind: make([]int8, n), x: make([]float64, n*p)}
	mean := make([]float64, p)
	for j := range x {
		for _, v := range x[j] {
			mean[j] += v
		}
		mean[j] /= float64(n)
	}
	for k, i := range perm {
		d.t[k] = time[i]
		switch status[i] {
		case 0:
			d.kind[k] = fgCensored
			d.nCensored++
		case cause:
			d.kind[k] = fgCause
			d.nCause++
		default:
			d.kind[k] = fgCompeting
			d.nCompeting++
		}
		for j := range x {
			d.x[k*p+j] = x[j][i] - mean[j]
		}
	}
	d.blocks()
	return d, nil
}

// blocks finds the tied-time blocks, the cause-failure times and the
// censoring weights G(t-) = Π_{u < t} (1 - c_u/Y_u), the left-continuous
// Kaplan–Meier estimate of the censoring distribution (crr's uuu).
func (d *fgData) blocks() {
	n := d.n
	d.blockEnd = make([]int, n)
	d.g = make([]float64, n)
	g := 1.0
	for lo := 0; lo < n; {
		hi := lo
		var cens, fails float64
		for hi < n && d.t[hi] == d.t[lo] {
			switch d.kind[hi] {
			case fgCensored:
				cens++
			case fgCause:
				fails++
			}
			hi++
		}
		for i := lo; i < hi; i++ {
			d.blockEnd[i] = hi
			d.g[i] = g
		}
		if fails > 0 {
			d.failStart = append(d.failStart, lo)
			d.failCount = append(d.failCount, fails)
		}
		g *= 1 - cens/float64(n-lo)
		lo = hi
	}
}

// riskSums holds S0, S1 (p) and optionally S2 (p×p) at each distinct
// cause-failure time.
type riskSums struct {
	s0 []float64
	s1 [][]float64
	s2 [][]float64
}

// sums computes the risk-set sums at every cause-failure time in one
// backward and one forward scan: the subjects still event-free at s
// (t_j >= s) are a suffix sum, those with a competing failure before s a
// prefix sum of w_j x_j^r / G(t_j-), scaled by G(s-).
func (d *fgData) sums(w []float64, second bool) riskSums {
	p, m := d.p, len(d.failStart)
	rs := riskSums{s0: make([]float64, m), s1: make([][]float64, m)}
	if second {
		rs.s2 = make([][]float64, m)
	}
	// Backward: suffix sums over t_j >= s.
	b0, b1, b2 := 0.0, make([]float64, p), make([]float64, p*p)
	next := d.n
	for f := m - 1; f >= 0; f-- {
		for i := next - 1; i >= d.failStart[f]; i-- {
			d.accumulate(&b0, b1, b2, i, w[i], second)
		}
		next = d.failStart[f]
		rs.s0[f] = b0
		rs.s1[f] = clone(b1)
		if second {
			rs.s2[f] = clone(b2)
		}
	}
	// Forward: competing failures before s, weighted by 1/G(t_j-).
	f0, f1, f2 := 0.0, make([]float64, p), make([]float64, p*p)
	i := 0
	for f := range m {
		for ; i < d.failStart[f]; i++ {
			if d.kind[i] == fgCompeting {
				d.accumulate(&f0, f1, f2, i, w[i]/d.g[i], second)
			}
		}
		gs := d.g[d.failStart[f]]
		rs.s0[f] += gs * f0
		for j := range p {
			rs.s1[f][j] += gs * f1[j]
		}
		if second {
			for j := range p * p {
				rs.s2[f][j] += gs * f2[j]
			}
		}
	}
	return rs
}

// accumulate adds w x_i (and w x_i x_iᵀ) to the running sums.
func (d *fgData) accumulate(s0 *float64, s1, s2 []float64, i int, w float64, second bool) {
	p := d.p
	xi := d.x[i*p : i*p+p]
	*s0 += w
	for j := range p {
		s1[j] += w * xi[j]
	}
	if second {
		for j := range p {
			wx := w * xi[j]
			for l := range p {
				s2[j*p+l] += wx * xi[l]
			}
		}
	}
}

// weights returns w_i = exp(βᵀx_i).
func (d *fgData) weights(beta []float64) []float64 {
	p := d.p
	w := make([]float64, d.n)
	for i := range w {
		var eta float64
		for j := range p {
			eta += beta[j] * d.x[i*p+j]
		}
		w[i] = math.Exp(eta)
	}
	return w
}

// logLik returns ℓ(β) and, with deriv, its gradient and the information
// matrix -∂²ℓ (p×p).
func (d *fgData) logLik(beta []float64, deriv bool) (ll float64, grad, info []float64) {
	p := d.p
	w := d.weights(beta)
	rs := d.sums(w, deriv)
	if deriv {
		grad, info = make([]float64, p), make([]float64, p*p)
	}
	for i := range d.n {
		if d.kind[i] == fgCause {
			for j := range p {
				ll += beta[j] * d.x[i*p+j]
				if deriv {
					grad[j] += d.x[i*p+j]
				}
			}
		}
	}
	for f, s0 := range rs.s0 {
		df := d.failCount[f]
		ll -= df * math.Log(s0)
		if !deriv {
			continue
		}
		for j := range p {
			zj := rs.s1[f][j] / s0
			grad[j] -= df * zj
			for l := range p {
				info[j*p+l] += df * (rs.s2[f][j*p+l]/s0 - zj*rs.s1[f][l]/s0)
			}
		}
	}
	return ll, grad, info
}

// fit runs crr's Newton–Raphson iteration and fills res.
func (d *fgData) fit(res *FineGrayResult, opt FineGrayOptions) {
	p := d.p
	beta := make([]float64, p)
	copy(beta, opt.Init)
	maxIter := max(opt.MaxIter, 0)
	var ll float64
	var grad, info []float64
	converged := false
	for it := 0; ; it++ {
		ll, grad, info = d.logLik(beta, true)
		crit := 0.0
		for j := range p {
			crit = math.Max(crit, math.Abs(grad[j])*math.Max(math.Abs(beta[j]), 1))
		}
		if crit < math.Max(math.Abs(ll), 1)*opt.GradTol {
			converged = true
			break
		}
		if it == maxIter {
			break
		}
		step, ok := solveSym(info, grad, p)
		if !ok {
			break
		}
		next, ok := d.lineSearch(beta, step, ll, grad)
		if !ok {
			break
		}
		beta = next
		res.Iter++
	}
	res.Converged = converged
	res.Status = StatusOK
	if !converged {
		res.Status = StatusNotConverged
	}
	res.Coef, res.LogLik, res.Score = beta, ll, grad
	res.LogLikNull, _, _ = d.logLik(make([]float64, p), false)
	res.LRStat = 2 * (res.LogLik - res.LogLikNull)
	d.variance(res, info)
}

// lineSearch halves the Newton step until the log pseudo-likelihood
// increases by at least 1e-4 of the predicted change (crr's backtracking),
// at most 20 times.
func (d *fgData) lineSearch(beta, step []float64, ll float64, grad []float64) ([]float64, bool) {
	p := len(beta)
	next := make([]float64, p)
	for halvings := 0; halvings <= 20; halvings++ {
		var pred float64
		for j := range p {
			next[j] = beta[j] + step[j]
			pred += step[j] * grad[j]
		}
		lln, _, _ := d.logLik(next, false)
		if !math.IsNaN(lln) && -lln <= -ll-1e-4*pred {
			return next, true
		}
		for j := range step {
			step[j] *= 0.5
		}
	}
	return nil, false
}

// variance fills the sandwich and model-based variances and the derived
// columns of res, from the information matrix at the estimate.
func (d *fgData) variance(res *FineGrayResult, info []float64) {
	p := d.p
	nan := func() []float64 {
		v := make([]float64, p)
		for j := range v {
			v[j] = math.NaN()
		}
		return v
	}
	inv, ok := invertSym(info, p)
	res.HR = make([]float64, p)
	for j, b := range res.Coef {
		res.HR[j] = math.Exp(b)
	}
	if !ok {
		res.Status = StatusSingular
		res.SE, res.Z, res.P, res.HRLower, res.HRUpper = nan(), nan(), nan(), nan(), nan()
		return
	}
	meat := d.residualProducts(res.Coef)
	res.InvInfo = inv
	res.Var = matMul(matMul(inv, meat, p), inv, p)
	z := zQuantile(res.ConfLevel)
	res.SE, res.Z, res.P = make([]float64, p), make([]float64, p), make([]float64, p)
	res.HRLower, res.HRUpper = make([]float64, p), make([]float64, p)
	for j, b := range res.Coef {
		se := math.Sqrt(res.Var[j*p+j])
		res.SE[j], res.Z[j] = se, b/se
		res.P[j] = math.Erfc(math.Abs(b) / se / math.Sqrt2) // 2(1 - Φ(|z|)), accurate far in the tail
		res.HRLower[j], res.HRUpper[j] = math.Exp(b-z*se), math.Exp(b+z*se)
	}
}
