package cure

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"
)

const (
	// maxCondition is the largest condition number of the observed
	// information, scaled to unit diagonal, that is taken as non-singular:
	// beyond it the standard errors carry fewer than about 4 correct digits.
	maxCondition = 1e12
	// boundaryLogit is the largest |logit π| of a subject accepted as an
	// interior estimate: π within 1/(1+e^20) ≈ 2e-9 of 0 or 1 only arises
	// when the likelihood keeps increasing towards the boundary.
	boundaryLogit = 20
)

// covariance returns the inverse of the observed information -hess (row-major,
// dim × dim) and whether it is singular: not positive definite, or with a
// condition number above maxCondition after scaling to unit diagonal. A
// singular information gives an all-NaN matrix.
func covariance(hess []float64, dim int) ([][]float64, bool) {
	out := make([][]float64, dim)
	for i := range out {
		out[i] = make([]float64, dim)
	}
	scale := make([]float64, dim)
	singular := false
	for i := range dim {
		d := -hess[i*dim+i]
		if !(d > 0) || math.IsInf(d, 0) {
			singular = true
			break
		}
		scale[i] = 1 / math.Sqrt(d)
	}
	var chol mat.Cholesky
	if !singular {
		info := mat.NewSymDense(dim, nil)
		for i := range dim {
			for j := i; j < dim; j++ {
				info.SetSym(i, j, -hess[i*dim+j]*scale[i]*scale[j])
			}
		}
		singular = !chol.Factorize(info) || chol.Cond() > maxCondition
	}
	if singular {
		for i := range out {
			for j := range out[i] {
				out[i][j] = math.NaN()
			}
		}
		return out, true
	}
	var inv mat.SymDense
	if err := chol.InverseTo(&inv); err != nil {
		panic(fmt.Sprintf("cure: inverting a well-conditioned information matrix: %v", err))
	}
	for i := range dim {
		for j := range dim {
			out[i][j] = inv.At(i, j) * scale[i] * scale[j]
		}
	}
	return out, false
}

// setStatus sets Status and Messages from the plateau checks, the
// information matrix, the fitted π and convergence, in that order of
// precedence; Messages lists every problem found.
func (m *Model) setStatus(p *problem, r newtonResult) {
	m.Status = StatusOK
	flag := func(status, msg string) {
		if m.Status == StatusOK {
			m.Status = status
		}
		m.Messages = append(m.Messages, msg)
	}
	for _, pl := range m.Plateaus {
		switch pl.Status {
		case PlateauNoEvents:
			flag(StatusNoPlateau, fmt.Sprintf("group %d has no event: its responder fraction is not identified", pl.Group))
		case PlateauNone:
			if pl.Length == 0 {
				flag(StatusNoPlateau, fmt.Sprintf("group %d: the last observation (t = %g) is an event, so the Kaplan-Meier curve has no plateau and the non-responder fraction is not identified", pl.Group, pl.LastTime))
			} else {
				flag(StatusNoPlateau, fmt.Sprintf("group %d: plateau of length %g after the last event; Maller-Zhou test p = %.3g > %g (%d of %d observations in the equally long stretch before it): follow-up is not shown to be sufficient", pl.Group, pl.Length, pl.P, pl.Alpha, pl.Count, pl.N))
			}
		}
	}
	if m.singular {
		flag(StatusNotEstimable, "the observed information matrix is singular: a covariate may be constant or collinear with others, or a parameter may be at a boundary; no standard errors")
	}
	p.predictors(r.theta)
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, a := range p.a {
		lo, hi = math.Min(lo, a), math.Max(hi, a)
	}
	if hi > boundaryLogit || lo < -boundaryLogit {
		flag(StatusNotEstimable, fmt.Sprintf("fitted logit of the responder fraction ranges over [%.3g, %.3g]: a responder fraction is at the boundary 0 or 1 (everyone or no one responds in some subgroup), so it is not estimable", lo, hi))
	}
	if !r.converged {
		flag(StatusNotConverged, fmt.Sprintf("Newton-Raphson did not converge in %d iterations (log-likelihood %g)", r.iterations, r.logLik))
	}
}
