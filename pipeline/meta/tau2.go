package meta

import (
	"math"

	"gonum.org/v1/gonum/stat/distuv"
)

// weightedMean returns Σ w y / Σ w and Σ w for w = 1/(v + tau2).
func weightedMean(yi, vi []float64, tau2 float64) (mu, sw float64) {
	swy := 0.0
	for i := range yi {
		w := 1 / (vi[i] + tau2)
		sw += w
		swy += w * yi[i]
	}
	return swy / sw, sw
}

// genQ is the generalised Q statistic Σ w_i (y_i - μ(τ²))², w_i = 1/(v_i +
// τ²), which decreases in τ²; genQ(0) is Cochran's Q.
func genQ(yi, vi []float64, tau2 float64) float64 {
	mu, _ := weightedMean(yi, vi, tau2)
	q := 0.0
	for i := range yi {
		d := yi[i] - mu
		q += d * d / (vi[i] + tau2)
	}
	return q
}

// cochranQ returns Q with the fixed-effect weights (not below 0, as
// metafor) and the typical within-study variance (k-1)/tr P, tr P = Σw -
// Σw²/Σw.
func cochranQ(yi, vi []float64) (q, vTypical float64) {
	q = math.Max(0, genQ(yi, vi, 0))
	sw, sw2 := 0.0, 0.0
	for _, v := range vi {
		sw += 1 / v
		sw2 += 1 / (v * v)
	}
	return q, float64(len(yi)-1) / (sw - sw2/sw)
}

// tau2DL is the DerSimonian–Laird estimate max(0, (Q-(k-1))/(Σw - Σw²/Σw)).
func tau2DL(yi, vi []float64) float64 {
	q := genQ(yi, vi, 0)
	sw, sw2 := 0.0, 0.0
	for _, v := range vi {
		sw += 1 / v
		sw2 += 1 / (v * v)
	}
	return math.Max(0, (q-float64(len(yi)-1))/(sw-sw2/sw))
}

// tau2PM is the Paule–Mandel estimate: the root of genQ(τ²) = k-1, or 0.
func tau2PM(yi, vi []float64) float64 {
	return solveGenQ(yi, vi, float64(len(yi)-1), 100)
}

// solveGenQ returns the τ² >= 0 with genQ(τ²) = target, 0 if genQ(0) <=
// target. start is an initial upper bracket, doubled until genQ is below
// target. genQ is monotone, so bisection converges to the root; it stops
// when the bracket is a few ulps wide.
func solveGenQ(yi, vi []float64, target, start float64) float64 {
	if genQ(yi, vi, 0) <= target {
		return 0
	}
	lo, hi := 0.0, start
	for i := 0; genQ(yi, vi, hi) > target && i < 1100; i++ {
		lo, hi = hi, 2*hi
	}
	for i := 0; i < 2000 && hi-lo > 4*epsilon*hi; i++ {
		mid := lo + (hi-lo)/2
		if mid <= lo || mid >= hi {
			break
		}
		if genQ(yi, vi, mid) > target {
			lo = mid
		} else {
			hi = mid
		}
	}
	return lo + (hi-lo)/2
}

// qProfile returns the Q-profile confidence interval for τ² (Viechtbauer
// 2007): genQ(lower) = χ²_{k-1}(1-α/2) and genQ(upper) = χ²_{k-1}(α/2),
// each 0 when genQ(0) is already below its quantile (metafor's confint()).
func qProfile(yi, vi []float64, level, tau2 float64) (lower, upper float64) {
	alpha := 1 - level
	chi := distuv.ChiSquared{K: float64(len(yi) - 1)}
	start := math.Max(100, 10*tau2)
	lower = solveGenQ(yi, vi, chi.Quantile(1-alpha/2), start)
	upper = solveGenQ(yi, vi, chi.Quantile(alpha/2), start)
	return lower, upper
}

// tau2REML is metafor's Fisher scoring for the REML estimate of τ² in the
// intercept-only model. It returns the estimate, the number of iterations
// and whether the stopping rule was met.
func tau2REML(yi, vi []float64, threshold float64, maxIter int) (tau2 float64, iter int, converged bool) {
	tau2 = math.Max(0, tau2HE(yi, vi))
	for change := threshold + 1; change > threshold; {
		iter++
		old := tau2
		adj := remlStep(yi, vi, tau2)
		if math.IsNaN(adj) {
			adj = 0
		}
		for tau2+adj < 0 {
			adj /= 2
		}
		tau2 += adj
		change = math.Abs(old - tau2)
		if iter > maxIter {
			return tau2, maxIter, false
		}
	}
	if tau2 > threshold && remlLogLik(yi, vi, 0)-remlLogLik(yi, vi, tau2) > remlLL0Tol {
		tau2 = 0 // metafor's ll0check: stuck at a local maximum
	}
	return math.Max(0, tau2), iter, true
}

// tau2HE is Hedges' (unweighted method of moments) estimate, metafor's
// REML starting value: (Σ(y-ȳ)² - Σv (k-1)/k)/(k-1).
func tau2HE(yi, vi []float64) float64 {
	k := float64(len(yi))
	mean, sv := 0.0, 0.0
	for i := range yi {
		mean += yi[i]
		sv += vi[i]
	}
	mean /= k
	rss := 0.0
	for _, y := range yi {
		rss += (y - mean) * (y - mean)
	}
	return (rss - sv*(k-1)/k) / (k - 1)
}

// remlStep is the Fisher scoring step (Y'PPY - tr P)/tr(PP) at τ², with P =
// W - w w'/Σw:
//
//	Y'PPY  = Σ w²(y-μ)²
//	tr P   = Σw - Σw²/Σw
//	tr PP  = Σw² - 2Σw³/Σw + (Σw²)²/(Σw)²
func remlStep(yi, vi []float64, tau2 float64) float64 {
	mu, sw := weightedMean(yi, vi, tau2)
	ypy, sw2, sw3 := 0.0, 0.0, 0.0
	for i := range yi {
		w := 1 / (vi[i] + tau2)
		d := yi[i] - mu
		ypy += w * w * d * d
		sw2 += w * w
		sw3 += w * w * w
	}
	trP := sw - sw2/sw
	trPP := sw2 - 2*sw3/sw + sw2*sw2/(sw*sw)
	return (ypy - trP) / trPP
}

// remlLogLik is the restricted log-likelihood of the intercept-only model,
//
//	-(k-1)/2 log 2π - ½ Σ log(v+τ²) - ½ log Σw - ½ Σ w (y-μ)².
func remlLogLik(yi, vi []float64, tau2 float64) float64 {
	mu, sw := weightedMean(yi, vi, tau2)
	sl, rss := 0.0, 0.0
	for i := range yi {
		sl += math.Log(vi[i] + tau2)
		d := yi[i] - mu
		rss += d * d / (vi[i] + tau2)
	}
	return -0.5*float64(len(yi)-1)*math.Log(2*math.Pi) - 0.5*sl - 0.5*math.Log(sw) - 0.5*rss
}
