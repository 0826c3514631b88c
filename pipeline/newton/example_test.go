package newton_test

import (
	"fmt"
	"math"

	"github.com/ketcurves/ketcurves/pipeline/newton"
)

// Poisson regression of counts on a group indicator, log link. In R:
//
//	glm(c(2, 3, 0, 4, 7, 5, 9, 6) ~ rep(0:1, each = 4), family = poisson)
//
// gives coefficients log(9/4) = 0.8109 and log(3) = 1.0986.
func ExampleMaximize() {
	y := []float64{2, 3, 0, 4, 7, 5, 9, 6}
	group := []float64{0, 0, 0, 0, 1, 1, 1, 1}
	loglik := func(b, grad, info, _ []float64) float64 {
		var l float64
		for i := range y {
			x := [2]float64{1, group[i]}
			eta := b[0] + b[1]*group[i]
			mu := math.Exp(eta)
			l += y[i]*eta - mu
			for j := range 2 {
				grad[j] += (y[i] - mu) * x[j]
				for k := range 2 {
					info[j*2+k] += mu * x[j] * x[k]
				}
			}
		}
		return l
	}
	res, err := newton.Maximize(loglik, []float64{0, 0}, newton.Settings{})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("coef %.4f %.4f  se %.4f %.4f  converged %v in %d iterations\n",
		res.X[0], res.X[1], math.Sqrt(res.Cov[0]), math.Sqrt(res.Cov[3]), res.Converged, res.Iterations)
	// Output:
	// coef 0.8109 1.0986  se 0.3333 0.3849  converged true in 7 iterations
}
