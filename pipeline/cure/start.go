package cure

import (
	"math"

	"gonum.org/v1/gonum/mat"
)

// eulerGamma is the Euler–Mascheroni constant: E[W] = -eulerGamma for the
// standard minimum extreme value distribution.
const eulerGamma = 0.57721566490153286061

// start returns the starting parameters of the Newton iterations:
//   - incidence: γ_0 = logit of 1 - S_KM(last event), the complement of the
//     pooled Kaplan–Meier plateau, kept in [0.02, 0.98]; other γ = 0;
//   - latency: least squares of log t on the latency design over the events,
//     σ from the residual standard deviation (times sqrt(6)/π for the
//     Weibull, whose W has variance π²/6, with the intercept shifted by
//     eulerGamma σ); β = 0 and the mean if the least squares are singular.
func (p *problem) start(time []float64, event []bool) []float64 {
	theta := make([]float64, p.dim())
	var lastEvent float64
	for i, t := range time {
		if event[i] {
			lastEvent = math.Max(lastEvent, t)
		}
	}
	pi := 1 - kaplanMeierAt(time, event, lastEvent)
	pi = math.Min(math.Max(pi, 0.02), 0.98)
	theta[0] = math.Log(pi / (1 - pi))

	beta, sd := eventLeastSquares(p.logt, event, p.x)
	sigma := math.Max(sd, 1e-3)
	if p.dist == Weibull {
		sigma *= math.Sqrt(6) / math.Pi
		beta[0] += eulerGamma * sigma
	}
	copy(theta[len(p.z):], beta)
	theta[len(theta)-1] = math.Log(sigma)
	return theta
}

// eventLeastSquares regresses y on the columns x (intercept first) over the
// rows with event true and returns the coefficients and the residual
// standard deviation (1 with a single event). When the normal equations are
// singular it returns the intercept-only fit.
func eventLeastSquares(y []float64, event []bool, x [][]float64) (beta []float64, sd float64) {
	px := len(x)
	var xtx mat.SymDense
	xtx.ReuseAsSym(px)
	xty := make([]float64, px)
	var n, sum float64
	for i, e := range event {
		if !e {
			continue
		}
		n++
		sum += y[i]
		for j := range px {
			xty[j] += x[j][i] * y[i]
			for k := j; k < px; k++ {
				xtx.SetSym(j, k, xtx.At(j, k)+x[j][i]*x[k][i])
			}
		}
	}
	beta = make([]float64, px)
	var chol mat.Cholesky
	if px > 1 && chol.Factorize(&xtx) && chol.Cond() < 1e10 {
		_ = chol.SolveVecTo(mat.NewVecDense(px, beta), mat.NewVecDense(px, xty))
	} else {
		clear(beta)
		beta[0] = sum / n
	}
	var rss float64
	for i, e := range event {
		if !e {
			continue
		}
		r := y[i]
		for j := range px {
			r -= beta[j] * x[j][i]
		}
		rss += r * r
	}
	if n < 2 {
		return beta, 1
	}
	return beta, math.Sqrt(rss / math.Max(n-float64(px), 1))
}
