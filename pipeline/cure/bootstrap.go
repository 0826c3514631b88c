package cure

import (
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"slices"
	"sync"
)

// BootstrapOptions configures Bootstrap.
type BootstrapOptions struct {
	Replicates int    // number of resamples, > 0 (e.g. 1000)
	Seed       uint64 // replicate b resamples with rand.New(rand.NewPCG(Seed, b))
	Workers    int    // parallel fits; 0 means runtime.GOMAXPROCS(0). The results do not depend on it.
	// Profiles are the covariate profiles whose responder fraction and
	// latency median are bootstrapped too (for example one per arm).
	Profiles []Profile
}

// BootstrapResult holds the bootstrap distribution of a cure model fit.
// Per-term slices are indexed like Model.Terms, per-profile ones like
// BootstrapOptions.Profiles.
type BootstrapResult struct {
	Replicates int // requested
	// Used is the number of replicates whose fit converged with a
	// non-singular information and no π at the boundary (Status "ok" or
	// "no_plateau": a resample's tail may lack a plateau that the data
	// have). The others are left out of every summary below; report
	// Replicates - Used.
	Used      int
	ConfLevel float64
	// Coef[b] holds the estimates of replicate b, nil for a replicate not
	// used.
	Coef [][]float64
	// SE is the bootstrap standard deviation of each estimate; Lower and
	// Upper are its percentile limits at ConfLevel (R's quantile type 7).
	SE, Lower, Upper []float64
	// Fraction and Median are the per-profile summaries: Fraction[k][b] is
	// π at profile k in replicate b (NaN for a replicate not used).
	Fraction, Median [][]float64
	// FractionLower, FractionUpper, MedianLower and MedianUpper are the
	// percentile limits of the per-profile summaries.
	FractionLower, FractionUpper, MedianLower, MedianUpper []float64
}

// Bootstrap refits the model of Fit to Replicates nonparametric bootstrap
// resamples of the subjects (Efron & Tibshirani 1993, chapter 6), drawn
// within each group of opt.Groups when it is given (so every resample has
// the trial's arm sizes), and summarises the estimates and the per-profile
// responder fractions and latency medians by their standard deviations and
// percentile intervals. smcure's standard errors are such a bootstrap
// (smcure(..., Var = TRUE, nboot = 100), without stratification).
//
// Replicate b draws its resample from rand.New(rand.NewPCG(Seed, b)) and is
// stored at index b, so the result is the same for every Workers.
//
// It returns an error if the data cannot be fitted (see Fit) or
// Replicates <= 0, and panics as Fit does or if a profile has the wrong
// length.
func Bootstrap(time []float64, event []bool, incidence, latency Design, opt Options, bo BootstrapOptions) (*BootstrapResult, error) {
	base, err := Fit(time, event, incidence, latency, opt)
	if err != nil {
		return nil, err
	}
	if bo.Replicates <= 0 {
		return nil, fmt.Errorf("could not bootstrap cure model: Replicates = %d: use a positive number such as 1000", bo.Replicates)
	}
	for _, pr := range bo.Profiles {
		base.gradients(pr) // panics on a wrong length
	}
	workers := bo.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	res := &BootstrapResult{
		Replicates: bo.Replicates,
		ConfLevel:  base.ConfLevel,
		Coef:       make([][]float64, bo.Replicates),
		Fraction:   nanMatrix(len(bo.Profiles), bo.Replicates),
		Median:     nanMatrix(len(bo.Profiles), bo.Replicates),
	}
	strata := groupIndices(len(time), opt.Groups)
	next := make(chan int)
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for b := range next {
				res.replicate(b, time, event, incidence, latency, opt, bo, strata)
			}
		}()
	}
	for b := range bo.Replicates {
		next <- b
	}
	close(next)
	wg.Wait()
	res.summarise(len(base.Terms), len(bo.Profiles))
	return res, nil
}

// replicate fits resample b and stores its estimates; it writes only index b.
func (res *BootstrapResult) replicate(b int, time []float64, event []bool, incidence, latency Design, opt Options, bo BootstrapOptions, strata [][]int) {
	rng := rand.New(rand.NewPCG(bo.Seed, uint64(b)))
	idx := make([]int, 0, len(time))
	for _, rows := range strata {
		for range rows {
			idx = append(idx, rows[rng.IntN(len(rows))])
		}
	}
	ts, ev := make([]float64, len(idx)), make([]bool, len(idx))
	var groups []int
	if opt.Groups != nil {
		groups = make([]int, len(idx))
	}
	for k, i := range idx {
		ts[k], ev[k] = time[i], event[i]
		if groups != nil {
			groups[k] = opt.Groups[i]
		}
	}
	o := opt
	o.Groups = groups
	m, err := Fit(ts, ev, resampleDesign(incidence, idx), resampleDesign(latency, idx), o)
	if err != nil || (m.Status != StatusOK && m.Status != StatusNoPlateau) {
		return
	}
	coef := make([]float64, len(m.Terms))
	for j, t := range m.Terms {
		coef[j] = t.Coef
	}
	res.Coef[b] = coef
	for k, pr := range bo.Profiles {
		c := m.Curve(pr)
		res.Fraction[k][b] = c.Fraction
		res.Median[k][b] = c.LatencyQuantile(0.5)
	}
}

// groupIndices returns the row indices of each group (ascending label), or
// all rows as one group when groups is nil.
func groupIndices(n int, groups []int) [][]int {
	if groups == nil {
		all := make([]int, n)
		for i := range all {
			all[i] = i
		}
		return [][]int{all}
	}
	labels := slices.Clone(groups)
	slices.Sort(labels)
	labels = slices.Compact(labels)
	out := make([][]int, len(labels))
	for i, g := range groups {
		k, _ := slices.BinarySearch(labels, g)
		out[k] = append(out[k], i)
	}
	return out
}

func resampleDesign(d Design, idx []int) Design {
	out := Design{Names: d.Names, X: make([][]float64, len(d.X))}
	for j, col := range d.X {
		c := make([]float64, len(idx))
		for k, i := range idx {
			c[k] = col[i]
		}
		out.X[j] = c
	}
	return out
}

func nanMatrix(rows, cols int) [][]float64 {
	m := make([][]float64, rows)
	for i := range m {
		m[i] = make([]float64, cols)
		for j := range m[i] {
			m[i][j] = math.NaN()
		}
	}
	return m
}

// summarise fills Used, SE and the percentile limits. With fewer than two
// replicates used, every summary is NaN.
func (res *BootstrapResult) summarise(dim, profiles int) {
	lo, hi := (1-res.ConfLevel)/2, (1+res.ConfLevel)/2
	res.SE, res.Lower, res.Upper = make([]float64, dim), make([]float64, dim), make([]float64, dim)
	for _, c := range res.Coef {
		if c != nil {
			res.Used++
		}
	}
	col := make([]float64, 0, res.Replicates)
	for j := range dim {
		col = col[:0]
		for _, c := range res.Coef {
			if c != nil {
				col = append(col, c[j])
			}
		}
		res.SE[j], res.Lower[j], res.Upper[j] = spread(col, lo, hi)
	}
	res.FractionLower, res.FractionUpper = make([]float64, profiles), make([]float64, profiles)
	res.MedianLower, res.MedianUpper = make([]float64, profiles), make([]float64, profiles)
	for k := range profiles {
		_, res.FractionLower[k], res.FractionUpper[k] = spread(withoutNaN(res.Fraction[k]), lo, hi)
		_, res.MedianLower[k], res.MedianUpper[k] = spread(withoutNaN(res.Median[k]), lo, hi)
	}
}

func withoutNaN(x []float64) []float64 {
	out := make([]float64, 0, len(x))
	for _, v := range x {
		if !math.IsNaN(v) {
			out = append(out, v)
		}
	}
	return out
}

// spread returns the standard deviation (denominator n-1) and the lo and hi
// quantiles (R's type 7) of x, which it sorts; NaN for fewer than two values.
func spread(x []float64, lo, hi float64) (sd, qlo, qhi float64) {
	if len(x) < 2 {
		return math.NaN(), math.NaN(), math.NaN()
	}
	var mean float64
	for _, v := range x {
		mean += v
	}
	mean /= float64(len(x))
	var ss float64
	for _, v := range x {
		ss += (v - mean) * (v - mean)
	}
	slices.Sort(x)
	return math.Sqrt(ss / float64(len(x)-1)), quantile7(x, lo), quantile7(x, hi)
}

// quantile7 is R's quantile(x, p, type = 7) of the sorted x.
func quantile7(x []float64, p float64) float64 {
	h := float64(len(x)-1) * p
	j := int(math.Floor(h))
	if j+1 >= len(x) {
		return x[len(x)-1]
	}
	return x[j] + (h-float64(j))*(x[j+1]-x[j])
}
