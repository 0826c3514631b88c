package icens

import (
	"errors"
	"fmt"
	"math"

	"gonum.org/v1/gonum/stat/distuv"
)

// Scores chooses the rank scores of WeightedLogrank.
type Scores int

const (
	// LogrankSun are the logrank scores of Sun (1996), the interval
	// package's scores = "logrank1" (its default): with the pooled NPMLE's
	// discrete cumulative hazard Λ_j = sum_{l<=j} p_l / S_{l-1},
	// g(S_j) = -S_j Λ_j. They are the usual logrank scores for
	// right-censored data.
	LogrankSun Scores = iota
	// LogrankFinkelstein are the scores of Finkelstein's (1986) score test
	// under grouped proportional hazards, the interval package's scores =
	// "logrank2": g(S) = S log S (0 log 0 = 0).
	LogrankFinkelstein
	// Wilcoxon are the Peto–Prentice–Wilcoxon (Mann–Whitney) scores of the
	// proportional odds model (Fay 1996), scores = "wmw": g(S) = S^2, so
	// c_i = S(L_i) + S(R_i) - 1.
	Wilcoxon
)

func (s Scores) String() string {
	switch s {
	case LogrankSun:
		return "logrank-sun"
	case LogrankFinkelstein:
		return "logrank-finkelstein"
	case Wilcoxon:
		return "wilcoxon"
	}
	return fmt.Sprintf("Scores(%d)", int(s))
}

// TestResult is a k-sample weighted logrank test for interval-censored
// data.
type TestResult struct {
	K      int    // number of groups, as passed to WeightedLogrank
	Scores Scores // the scores used
	N      []int  // subjects per group
	// Score is, per subject, the rank score c_i (input order).
	Score []float64
	// U is, per group, the sum of its subjects' scores minus n_g times the
	// mean score (0 at the exact NPMLE): like observed minus expected
	// events, positive when the group has earlier events than expected
	// (the interval package's "Score Statistic").
	U []float64
	// Var is the k x k permutation covariance of U:
	// s² (n_g δ_gh - n_g n_h / N), s² = sum_i (c_i - c̄)² / (N - 1).
	Var   [][]float64
	Chisq float64 // sum_g U_g² / n_g / s², over groups with subjects
	DF    int     // groups with subjects, minus 1
	P     float64 // upper tail of the chi-square distribution with DF degrees of freedom
	// Z is, for K == 2 with both groups non-empty, U[1] / sqrt(Var[1][1])
	// (Z² = Chisq; positive when group 1 has earlier events); it is NaN
	// otherwise. The interval package prints the Z of the first group in
	// order of appearance: -Z when that is group 0.
	Z float64
	// Fit is the pooled NPMLE from which the scores come; its Status is
	// the test's: a NotConverged fit gives a test on the last iterate.
	Fit *NPMLE
}

// WeightedLogrank tests whether k groups of interval-censored observations
// (lower[i], upper[i]] (as in Turnbull) have the same event-time
// distribution; group[i] in 0..k-1 is the group of observation i. It is
// the asymptotic permutation form of the weighted logrank tests of Fay
// (1999) and Fay & Shaw (2010), computed from the NPMLE Ŝ of all groups
// pooled: subject i, whose interval contains the Turnbull intervals a..b,
// gets the score
//
//	c_i = [g(Ŝ_{a-1}) - g(Ŝ_b)] / [Ŝ_{a-1} - Ŝ_b]      (Ŝ_{-1} = 1)
//
// with g of the chosen Scores (a mean of the per-interval scores over the
// run, weighted by the NPMLE masses), and, with N subjects, n_g in group g,
// c̄ the mean score and s² = sum_i (c_i - c̄)² / (N - 1),
//
//	U_g   = sum_{i in g} c_i - n_g c̄
//	Chisq = sum_g U_g² / n_g / s²          (= U' V⁻ U, V the permutation covariance)
//
// on DF = (groups with subjects) - 1 degrees of freedom: the permutational
// central limit theorem test (the interval package's method = "pclt",
// which is its default for more than a few dozen subjects). For
// right-censored data the Sun scores give the logrank scores and U is
// survdiff's O - E, but the variance is the permutation one.
//
// Reference: Finkelstein (1986) Biometrics 42:845–854; Sun (1996) Stat
// Med 15:1387–1395; Fay (1999) Stat Med 18:273–285; Fay & Shaw (2010) J
// Stat Softw 36(2). R equivalent: interval::ictest(Surv(lower, upper, type
// = "interval2") ~ group, scores = "logrank1" | "logrank2" | "wmw", method
// = "pclt"); SAS: PROC ICLIFETEST with TEST group / WEIGHT=SUN |
// FINKELSTEIN | FAY gives the score form of the same statistics (its
// variance differs).
//
// It returns an error for the data errors of Turnbull, a group outside
// 0..k-1, fewer than two groups with subjects, or scores that do not vary
// (no events: every subject is right-censored at the start, or the NPMLE
// gives every subject the same score). It panics if k < 2, the lengths of
// lower, upper and group differ, or opt or scores are invalid.
func WeightedLogrank(lower, upper []float64, group []int, k int, scores Scores, opt Options) (*TestResult, error) {
	if len(lower) != len(upper) || len(group) != len(lower) {
		panic(fmt.Sprintf("icens: lengths differ: lower %d, upper %d, group %d", len(lower), len(upper), len(group)))
	}
	if k < 2 {
		panic(fmt.Sprintf("icens: k = %d groups: need at least 2", k))
	}
	if scores < LogrankSun || scores > Wilcoxon {
		panic(fmt.Sprintf("icens: unknown scores %d", int(scores)))
	}
	r := &TestResult{K: k, Scores: scores, N: make([]int, k), Z: math.NaN()}
	for i, g := range group {
		if g < 0 || g >= k {
			return nil, fmt.Errorf("could not test interval-censored groups: group[%d] = %d: must be in 0..%d", i, g, k-1)
		}
		r.N[g]++
	}
	fit, err := Turnbull(lower, upper, opt)
	if err != nil {
		return nil, fmt.Errorf("could not test interval-censored groups: %w", err)
	}
	r.Fit = fit
	if fit.Status == NoEvents {
		return nil, errors.New("could not test interval-censored groups: no events (every observation is right-censored)")
	}
	r.Score = fit.scores(scores)
	if err := r.permutationTest(group); err != nil {
		return nil, fmt.Errorf("could not test interval-censored groups: %w", err)
	}
	return r, nil
}

// scores returns the score of each observation from the NPMLE.
func (f *NPMLE) scores(s Scores) []float64 {
	m := len(f.Mass)
	// g[j+1] = g(S after interval j), g[0] = g(1).
	g := make([]float64, m+1)
	surv := func(j int) float64 { // S after interval j-1, S_{-1} = 1
		if j == 0 {
			return 1
		}
		return f.Surv[j-1]
	}
	cumHaz := 0.0
	for j := 0; j <= m; j++ {
		sj := surv(j)
		switch s {
		case LogrankSun:
			if j > 0 && surv(j-1) > 0 {
				cumHaz += f.Mass[j-1] / surv(j-1)
			}
			g[j] = -sj * cumHaz
		case LogrankFinkelstein:
			if sj > 0 {
				g[j] = sj * math.Log(sj)
			}
		case Wilcoxon:
			g[j] = sj * sj
		}
	}
	prefix := make([]float64, m+1)
	for j, p := range f.Mass {
		prefix[j+1] = prefix[j] + p
	}
	c := make([]float64, len(f.first))
	for i := range c {
		a, b := int(f.first[i]), int(f.last[i])
		if s == Wilcoxon {
			c[i] = surv(a) + surv(b+1) - 1
			continue
		}
		mass := prefix[b+1] - prefix[a]
		if b-a < 8 {
			mass = 0
			for j := a; j <= b; j++ {
				mass += f.Mass[j]
			}
		}
		c[i] = (g[a] - g[b+1]) / mass
	}
	return c
}

// permutationTest fills U, Var, Chisq, DF, P and Z from the scores.
func (r *TestResult) permutationTest(group []int) error {
	n := float64(len(r.Score))
	mean := 0.0
	for _, c := range r.Score {
		mean += c
	}
	mean /= n
	ss := 0.0
	r.U = make([]float64, r.K)
	for i, c := range r.Score {
		ss += (c - mean) * (c - mean)
		r.U[group[i]] += c
	}
	used := 0
	for g := range r.U {
		r.U[g] -= float64(r.N[g]) * mean
		if r.N[g] > 0 {
			used++
		}
	}
	if used < 2 {
		return fmt.Errorf("only %d group(s) have subjects, need at least 2", used)
	}
	s2 := ss / (n - 1)
	if !(s2 > 1e-300) {
		return errors.New("the scores do not vary: every subject has the same score (no events that separate subjects)")
	}
	r.Var = make([][]float64, r.K)
	for g := range r.Var {
		r.Var[g] = make([]float64, r.K)
		for h := range r.Var[g] {
			v := -float64(r.N[g]) * float64(r.N[h]) / n
			if g == h {
				v += float64(r.N[g])
			}
			r.Var[g][h] = s2 * v
		}
	}
	for g, u := range r.U {
		if r.N[g] > 0 {
			r.Chisq += u * u / float64(r.N[g])
		}
	}
	r.Chisq /= s2
	r.DF = used - 1
	r.P = distuv.ChiSquared{K: float64(r.DF)}.Survival(r.Chisq)
	if r.K == 2 {
		r.Z = r.U[1] / math.Sqrt(r.Var[1][1])
	}
	return nil
}
