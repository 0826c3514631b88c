package cure

import (
	"math"

	"gonum.org/v1/gonum/mat"
)

// maxHalvings bounds the step halvings of one Newton iteration: 2^-40 of a
// Newton step is below the rounding of any parameter.
const maxHalvings = 40

// roundingSlack, times |ℓ|, is the loss of log-likelihood a step may show
// and still be accepted: above the rounding of a sum of up to 1e8 terms.
const roundingSlack = 1e-12

// newtonResult is the outcome of maximise.
type newtonResult struct {
	theta      []float64
	logLik     float64
	grad, hess []float64 // at theta
	iterations int
	converged  bool
}

// maximise maximises the log-likelihood from theta0 by damped
// Newton–Raphson: the step solves (-H + τI) d = g, with τ = 0 when -H is
// positive definite and otherwise increased tenfold from 1e-3 times the
// largest |diagonal| until it is (the modification of gonum's
// optimize.Newton; Nocedal & Wright 2006, section 3.4), and is halved until
// the log-likelihood does not decrease (by more than its rounding,
// roundingSlack |ℓ|). It converges when -H is positive
// definite and the Newton decrement satisfies
//
//	g' (-H)^-1 g / 2 <= eps
//
// (the log-likelihood gain the quadratic model predicts; Boyd &
// Vandenberghe 2004, section 9.5.1); that last step is taken too, so the
// estimate is about quadratically closer than eps suggests.
func (p *problem) maximise(theta0 []float64, maxIter int, eps float64) newtonResult {
	dim := p.dim()
	r := newtonResult{theta: append([]float64(nil), theta0...), grad: make([]float64, dim), hess: make([]float64, dim*dim)}
	trial := make([]float64, dim)
	step := make([]float64, dim)
	r.logLik = p.derivatives(r.theta, r.grad, r.hess)
	for r.iterations < maxIter {
		if math.IsNaN(r.logLik) || math.IsInf(r.logLik, 0) {
			return r
		}
		decrement, modified := newtonStep(step, r.grad, r.hess)
		r.iterations++
		done := !modified && decrement/2 <= eps
		// The log-likelihood is a sum of n terms, exact to about
		// 1e-16 sqrt(n) |ℓ|: a step is accepted when it does not lose
		// more than that rounding, so that near the optimum the full
		// Newton step is taken even when its gain is below the noise.
		slack := roundingSlack * math.Max(1, math.Abs(r.logLik))
		accepted := false
		for alpha, k := 1.0, 0; k < maxHalvings; alpha, k = alpha/2, k+1 {
			for j := range trial {
				trial[j] = r.theta[j] + alpha*step[j]
			}
			if ll := p.logLik(trial); ll >= r.logLik-slack {
				accepted = true
				break
			}
		}
		if accepted {
			copy(r.theta, trial)
			r.logLik = p.derivatives(r.theta, r.grad, r.hess)
		}
		if done {
			r.converged = true
			return r
		}
		if !accepted {
			return r
		}
	}
	return r
}

// newtonStep writes to step the solution d of (-H + τI) d = g and returns
// the Newton decrement g'd and whether τ > 0 was needed.
func newtonStep(step, grad, hess []float64) (decrement float64, modified bool) {
	dim := len(grad)
	neg := mat.NewSymDense(dim, nil)
	var largest float64
	for i := range dim {
		for j := i; j < dim; j++ {
			neg.SetSym(i, j, -hess[i*dim+j])
		}
		largest = math.Max(largest, math.Abs(hess[i*dim+i]))
	}
	var chol mat.Cholesky
	tau := 0.0
	for k := 0; !chol.Factorize(neg); k++ {
		if k == 60 || !(largest > 0) {
			// No usable curvature: fall back to a short gradient step.
			scale := 1 / math.Max(1, floatsNorm(grad))
			for i, g := range grad {
				step[i] = g * scale
			}
			return math.Inf(1), true
		}
		next := 1e-3 * largest
		if tau > 0 {
			next = 10 * tau
		}
		for i := range dim {
			neg.SetSym(i, i, -hess[i*dim+i]+next)
		}
		tau = next
	}
	// SolveVecTo reports a nearly singular factor with a Condition error
	// but still solves: the direction is usable, the halving safeguards the
	// step, and the information check of the fit reports the trouble.
	_ = chol.SolveVecTo(mat.NewVecDense(dim, step), mat.NewVecDense(dim, grad))
	return dot(grad, step), tau > 0
}

func floatsNorm(v []float64) float64 {
	var s float64
	for _, x := range v {
		s += x * x
	}
	return math.Sqrt(s)
}
