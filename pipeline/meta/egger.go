package meta

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/stat/distuv"
)

// EggerMinStudies is the smallest number of studies for which Egger's test
// is computed: with fewer the test has too little power to be meaningful
// (Sterne et al. 2011, BMJ 343:d4002, recommend at least 10).
const EggerMinStudies = 10

// EggerResult is Egger's regression test for funnel-plot asymmetry.
type EggerResult struct {
	K, DF int     // studies and residual degrees of freedom K-2
	Stat  float64 // t statistic of the slope on sei
	P     float64 // two-sided p value on Student's t with DF degrees of freedom
	// Limit is the intercept: the estimate as sei → 0 (the "limit
	// estimate"), with its confidence interval LimitLower, LimitUpper.
	Limit, LimitLower, LimitUpper float64
	// Status is StatusOK, or StatusTooFewStudies when K < EggerMinStudies:
	// then the other fields are NaN.
	Status string
}

// Egger regresses yi on sei by weighted least squares with weights 1/sei²,
//
//	y_i = b0 + b1 sei_i + e_i,  Var e_i = σ² sei_i²,
//
// and tests b1 = 0 with t = b1/se(b1) on k-2 degrees of freedom, σ²
// estimated by the weighted residual mean square. This is Egger's test
// (Egger, Davey Smith, Schneider & Minder 1997, BMJ 315:629–634): the
// regression of y/sei on 1/sei, whose intercept is b1 here. The limit
// estimate b0 has the interval b0 ± t_{k-2, 1-α/2} se(b0) with α = 0.05.
// R equivalent: metafor's regtest(yi, vi, model = "lm", predictor =
// "sei"). (regtest(fit) on a fitted model defaults to model = "rma", a
// meta-regression with the model's τ² method, which this package does not
// provide.)
//
// With fewer than EggerMinStudies studies it returns a result with Status
// StatusTooFewStudies and NaN values. It returns an error for invalid data,
// as Pool, and panics if len(yi) != len(sei).
func Egger(yi, sei []float64) (*EggerResult, error) {
	if len(yi) != len(sei) {
		panic(fmt.Sprintf("meta: len(yi) = %d != len(sei) = %d", len(yi), len(sei)))
	}
	if err := checkStudies(yi, sei); err != nil {
		return nil, fmt.Errorf("could not run Egger's test: %w", err)
	}
	k := len(yi)
	if k < EggerMinStudies {
		nan := math.NaN()
		return &EggerResult{K: k, DF: k - 2, Stat: nan, P: nan, Limit: nan, LimitLower: nan, LimitUpper: nan, Status: StatusTooFewStudies}, nil
	}
	// Weighted normal equations for X = [1, s], W = diag(1/s²).
	var s0, s1, s2, t0, t1 float64
	for i := range yi {
		w := 1 / (sei[i] * sei[i])
		s0 += w
		s1 += w * sei[i]
		s2 += w * sei[i] * sei[i]
		t0 += w * yi[i]
		t1 += w * sei[i] * yi[i]
	}
	det := s0*s2 - s1*s1
	b0 := (s2*t0 - s1*t1) / det
	b1 := (s0*t1 - s1*t0) / det
	rss := 0.0
	for i := range yi {
		e := yi[i] - b0 - b1*sei[i]
		rss += e * e / (sei[i] * sei[i])
	}
	df := k - 2
	sigma2 := rss / float64(df)
	se0 := math.Sqrt(sigma2 * s2 / det)
	se1 := math.Sqrt(sigma2 * s0 / det)
	t := distuv.StudentsT{Mu: 0, Sigma: 1, Nu: float64(df)}
	stat := b1 / se1
	crit := t.Quantile(0.975)
	return &EggerResult{
		K: k, DF: df, Stat: stat, P: 2 * t.Survival(math.Abs(stat)),
		Limit: b0, LimitLower: b0 - crit*se0, LimitUpper: b0 + crit*se0,
		Status: StatusOK,
	}, nil
}
