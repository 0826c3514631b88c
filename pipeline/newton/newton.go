package newton

import (
	"errors"
	"fmt"
	"math"
)

// Func evaluates a log-likelihood at x. It stores the gradient (score) in
// grad and the information matrix, the negative Hessian, in info (p x p,
// row-major, both triangles filled). When fallback is not nil it also stores
// there a positive semi-definite substitute for the information, used for
// the step when info is not non-negative definite; R survreg uses the outer
// product of the per-observation scores (its "JJ"). Maximize asks for the
// fallback only at such points (by evaluating again), so the usual
// evaluation need not compute it. grad, info and fallback are zeroed before
// the call. It returns the log-likelihood.
//
// A Func may return a non-finite log-likelihood (or derivatives) at a point
// where the model cannot be evaluated: Maximize then backs off towards the
// last good point. It must not retain the slices.
type Func func(x, grad, info, fallback []float64) float64

// Backtrack names how Maximize moves back when a step does not improve the
// log-likelihood.
type Backtrack int

const (
	// Halve moves to (x_new + h x_old)/(h + 1) at the h-th successive
	// failure, as R coxph (coxfit6): half way, then a third, a quarter...
	Halve Backtrack = iota
	// Third moves to (x_new + 2 x_old)/3 at every failure, as R survreg
	// (survreg6).
	Third
)

// Settings controls Maximize. The zero value gives R survreg.control's
// defaults for Eps, MaxIter and TolChol, with Halve.
type Settings struct {
	MaxIter int     // 0 means 30 (survreg.control iter.max; coxph uses 20)
	Eps     float64 // 0 means 1e-9 (rel.tolerance / eps of survreg and coxph)
	TolChol float64 // 0 means DefaultTolChol, .Machine$double.eps^0.75
	Backtrack
	// LogScale lists components that are log-scale parameters: at the
	// first failure of a step, each is kept within 1.1 below its last good
	// value (survreg6's special code for log(sigma), which a Newton step
	// can throw far down).
	LogScale []int
	// UseFallback makes Maximize ask Func for the fallback matrix, for the
	// step, where the information is not non-negative definite (survreg6);
	// when false, fallback is always nil and the step uses the generalised
	// inverse of the information regardless.
	UseFallback bool
}

// Result is the outcome of Maximize.
type Result struct {
	// X is the estimate: the point where convergence was declared or,
	// when not converged, the last point that improved the log-likelihood.
	X      []float64
	LogLik float64   // at X
	Grad   []float64 // score at X
	Info   []float64 // information at X, p x p row-major
	// Cov is the generalised inverse of Info (R survival's chinv2 after
	// cholesky2): the inverse over the non-redundant components, with zero
	// rows and columns for the redundant ones.
	Cov []float64
	// Rank is the number of non-redundant components of Info; Redundant
	// marks the others (a pivot below TolChol times the largest diagonal).
	Rank      int
	Redundant []bool
	// NonNegative is false when Info at X is not non-negative definite
	// (not a maximum).
	NonNegative bool
	// Iterations counts Newton steps tried after the first, as R's iter:
	// convergence at the first re-evaluation gives 1. It is MaxIter when
	// not converged.
	Iterations int
	Converged  bool
}

// ErrStart is returned when the log-likelihood or its derivatives are not
// finite at the starting point.
var ErrStart = errors.New("newton: log-likelihood is not finite at the starting values")

// workspace holds every buffer of one Maximize call.
type workspace struct {
	p                 int
	f                 Func
	s                 Settings
	x, newX, step     []float64
	grad, info, fall  []float64
	factor            []float64
	newLogLik, logLik float64
}

// Maximize maximises a log-likelihood by Newton–Raphson from x0, as R
// survival's survreg6 (and, with Halve, coxfit6):
//
//	x_1 = x_0 + I(x_0)^- U(x_0)
//	repeat:  evaluate l(x_new);
//	         converged if finite, not backing off, and
//	            |1 - l_old/l_new| <= Eps or |l_old - l_new| <= Eps;
//	         if l(x_new) < l_old or not finite: back off (Settings.Backtrack);
//	         else x_old = x_new, x_new += I(x_new)^- U(x_new)
//
// where I^- is the LDL' generalised inverse with redundant columns given a
// zero step (R's cholesky2/chsolve2 with toler.chol). The first step is
// never tested for convergence. When the information is not non-negative
// definite and Settings.UseFallback is set, the step uses the fallback
// matrix instead (survreg6 falls back on J'J).
//
// Reference: R survival (Therneau), src/survreg6.c and src/coxfit6.c;
// Therneau and Grambsch (2000), Modeling Survival Data, section 3.3.
//
// Maximize returns ErrStart (wrapped) when the starting point cannot be
// evaluated; non-convergence is reported in Result.Converged, not as an
// error. It panics if len(x0) == 0 or the settings are invalid (negative
// MaxIter, Eps or TolChol not a positive number, LogScale out of range).
func Maximize(f Func, x0 []float64, s Settings) (*Result, error) {
	w := newWorkspace(f, x0, s)
	w.logLik = w.eval(w.x)
	if !w.finite(w.logLik) {
		return nil, fmt.Errorf("%w (log-likelihood %v at %v)", ErrStart, w.logLik, x0)
	}
	w.solveStep(w.x)
	for j := range w.p {
		w.newX[j] = w.x[j] + w.step[j]
	}
	w.newLogLik = w.eval(w.newX)
	halving := 0
	for iter := 1; iter <= w.s.MaxIter; iter++ {
		ok := w.finite(w.newLogLik)
		if ok && halving == 0 && w.close() {
			w.logLik = w.newLogLik
			copy(w.x, w.newX)
			return w.result(iter, true, true), nil
		}
		if !ok || w.newLogLik < w.logLik {
			halving++
			w.backOff(halving)
		} else {
			halving = 0
			w.logLik = w.newLogLik
			w.solveStep(w.newX)
			for j := range w.p {
				w.x[j] = w.newX[j]
				w.newX[j] += w.step[j]
			}
		}
		w.newLogLik = w.eval(w.newX)
	}
	if halving == 0 && w.finite(w.newLogLik) && w.newLogLik >= w.logLik {
		// Accept the final step (survreg6 does too).
		w.logLik = w.newLogLik
		copy(w.x, w.newX)
		return w.result(w.s.MaxIter, false, true), nil
	}
	return w.result(w.s.MaxIter, false, false), nil
}

func newWorkspace(f Func, x0 []float64, s Settings) *workspace {
	p := len(x0)
	if p == 0 {
		panic("newton: Maximize: no parameters")
	}
	switch {
	case s.MaxIter < 0:
		panic(fmt.Sprintf("newton: MaxIter = %d is negative", s.MaxIter))
	case s.MaxIter == 0:
		s.MaxIter = 30
	}
	if s.Eps == 0 {
		s.Eps = 1e-9
	}
	if !(s.Eps > 0) || math.IsInf(s.Eps, 0) {
		panic(fmt.Sprintf("newton: Eps = %v is not a positive number", s.Eps))
	}
	if s.TolChol == 0 {
		s.TolChol = DefaultTolChol
	}
	if !(s.TolChol > 0) || math.IsInf(s.TolChol, 0) {
		panic(fmt.Sprintf("newton: TolChol = %v is not a positive number", s.TolChol))
	}
	for _, j := range s.LogScale {
		if j < 0 || j >= p {
			panic(fmt.Sprintf("newton: LogScale index %d out of range [0, %d)", j, p))
		}
	}
	w := &workspace{
		p: p, f: f, s: s,
		x: append([]float64(nil), x0...), newX: make([]float64, p), step: make([]float64, p),
		grad: make([]float64, p), info: make([]float64, p*p), factor: make([]float64, p*p),
	}
	if s.UseFallback {
		w.fall = make([]float64, p*p)
	}
	return w
}

// eval evaluates f at x into w.grad and w.info.
func (w *workspace) eval(x []float64) float64 {
	clear(w.grad)
	clear(w.info)
	return w.f(x, w.grad, w.info, nil)
}

// finite reports whether l, the gradient and the diagonal of the information
// are finite (survreg6's "bad" test).
func (w *workspace) finite(l float64) bool {
	if math.IsNaN(l) || math.IsInf(l, 0) {
		return false
	}
	for j := range w.p {
		if g, d := w.grad[j], w.info[j*w.p+j]; math.IsNaN(g) || math.IsInf(g, 0) || math.IsNaN(d) || math.IsInf(d, 0) {
			return false
		}
	}
	return true
}

// close is the convergence rule between w.logLik (old) and w.newLogLik.
func (w *workspace) close() bool {
	return math.Abs(1-w.logLik/w.newLogLik) <= w.s.Eps || math.Abs(w.logLik-w.newLogLik) <= w.s.Eps
}

// solveStep sets w.step to I^- U from the last evaluation, at x, using the
// fallback matrix (from a second evaluation at x) when I is not
// non-negative definite and UseFallback is set.
func (w *workspace) solveStep(x []float64) {
	copy(w.factor, w.info)
	_, nonNeg := LDL(w.factor, w.p, w.s.TolChol)
	if !nonNeg && w.fall != nil {
		clear(w.grad)
		clear(w.info)
		clear(w.fall)
		w.f(x, w.grad, w.info, w.fall)
		copy(w.factor, w.fall)
		LDL(w.factor, w.p, w.s.TolChol)
	}
	copy(w.step, w.grad)
	LDLSolve(w.factor, w.p, w.step)
}

// backOff moves w.newX back towards w.x after the halving-th failure.
func (w *workspace) backOff(halving int) {
	switch w.s.Backtrack {
	case Third:
		for j := range w.p {
			w.newX[j] = (w.newX[j] + 2*w.x[j]) / 3
		}
	default:
		h := float64(halving)
		for j := range w.p {
			w.newX[j] = (w.newX[j] + h*w.x[j]) / (h + 1)
		}
	}
	if halving == 1 {
		for _, j := range w.s.LogScale {
			if w.x[j]-w.newX[j] > 1.1 {
				w.newX[j] = w.x[j] - 1.1
			}
		}
	}
}

// result assembles the Result at w.x. current reports whether w.grad and
// w.info were last evaluated at w.x; if not, they are re-evaluated.
func (w *workspace) result(iter int, converged, current bool) *Result {
	p := w.p
	if !current {
		w.logLik = w.eval(w.x)
	}
	copy(w.factor, w.info)
	rank, nonNeg := LDL(w.factor, p, w.s.TolChol)
	r := &Result{
		X: w.x, LogLik: w.logLik,
		Grad: w.grad, Info: w.info,
		Cov:         make([]float64, p*p),
		Rank:        rank,
		Redundant:   make([]bool, p),
		NonNegative: nonNeg,
		Iterations:  iter,
		Converged:   converged,
	}
	LDLInverse(r.Cov, w.factor, make([]float64, p*p), p)
	for j := range p {
		r.Redundant[j] = w.factor[j*p+j] == 0
	}
	return r
}
