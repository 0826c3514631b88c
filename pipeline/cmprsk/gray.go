package cmprsk

import (
	"errors"
	"fmt"
	"math"
	"slices"

	"github.com/ketcurves/ketcurves/pipeline/order"
	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/stat/distuv"
)

// Statuses reported by GrayTest and FineGray.
const (
	StatusOK           = "ok"
	StatusNoEvents     = "no_events"     // no failure from the cause: nothing to test or fit
	StatusSingular     = "singular"      // the score variance (or information) is not invertible
	StatusNotConverged = "not_converged" // Newton-Raphson stopped before the gradient criterion
)

// GrayOptions configures GrayTest.
type GrayOptions struct {
	// Strata is nil (one stratum) or a stratum code per observation: the
	// scores and variances are summed over strata (cmprsk's strata=).
	Strata []int
	// Rho is the power of the weight (1 - F(t-))^Rho; 0 (the default, as
	// cmprsk) gives equal weights.
	Rho float64
}

// GrayResult is Gray's test for one cause.
type GrayResult struct {
	Cause  int       // the status code tested
	Stat   float64   // s' V⁻¹ s, chi-squared with DF degrees of freedom
	DF     int       // groups - 1
	P      float64   // upper tail probability of Stat
	Status string    // "ok", or "singular" (Stat and P NaN; cmprsk reports stat -1)
	Score  []float64 // s: the scores of the first DF groups (in ascending group code)
	Var    []float64 // V, DF×DF row-major
}

// GrayTest compares the cumulative incidence functions of each cause among
// groups by Gray's (1988) K-sample test. status[i] is 0 for a censoring and a
// positive cause code otherwise; every cause present in the data is tested,
// in ascending order. Groups are the distinct values of group, in ascending
// order; the scores are for all but the last.
//
// For cause 1 (the others together as cause 2) and group k, with F̂_k the
// cumulative incidence and Ŝ_k the Kaplan–Meier estimate of being event-free
// in group k, the score compares each group's subdistribution hazard with
// the pooled one:
//
//	s_k = ∫ W(t) { dF̂_k(t)/(1 - F̂_k(t-)) - dF̂⁰(t)/(1 - F̂⁰(t-)) },
//	R_k(t) = Y_k(t) (1 - F̂_k(t-)) / Ŝ_k(t-),
//	s_k = Σ_t (1 - F̂⁰(t-))^ρ { d_1k(t) - d_1(t) R_k(t) / Σ_r R_r(t) }
//
// and its variance is the asymptotic one of Gray (1988), section 2, as
// coded in cmprsk's Fortran subroutine crst (src/crstm.f), whose terms this
// function follows. The statistic s'V⁻¹s is referred to a chi-squared
// distribution with (groups - 1) degrees of freedom. With strata, s and V
// are sums over strata. Ties are taken as given (cuminc does not apply R's
// time tolerance). The cost is O(n log n + n g²) for g groups.
//
// R equivalent: cmprsk::cuminc(ftime, fstatus, group, strata, rho)$Tests
// (columns stat, pv, df). SAS: PROC LIFETEST ... / EVENTCODE=1 prints
// Gray's test for the CIF.
//
// Reference: Gray RJ (1988) A class of K-sample tests for comparing the
// cumulative incidence of a competing risk. Ann Statist 16:1141–1154.
//
// It returns an error for empty input, fewer than two groups, a non-finite
// or negative time or a negative status. It panics if the slices have
// different lengths or Rho is negative or not finite.
func GrayTest(time []float64, status, group []int, opt GrayOptions) ([]GrayResult, error) {
	n := len(time)
	if len(status) != n || len(group) != n || (opt.Strata != nil && len(opt.Strata) != n) {
		panic(fmt.Sprintf("cmprsk: lengths of time (%d), status (%d), group (%d) and strata differ", n, len(status), len(group)))
	}
	if !(opt.Rho >= 0) || math.IsInf(opt.Rho, 0) {
		panic(fmt.Sprintf("cmprsk: Rho = %v: it must be finite and >= 0", opt.Rho))
	}
	if n == 0 {
		return nil, errors.New("could not compute Gray's test: no observations")
	}
	for i, t := range time {
		if math.IsNaN(t) || math.IsInf(t, 0) || t < 0 {
			return nil, fmt.Errorf("could not compute Gray's test: time[%d] = %v: times must be finite and >= 0", i, t)
		}
		if status[i] < 0 {
			return nil, fmt.Errorf("could not compute Gray's test: status[%d] = %d: use 0 for a censoring and a positive code for the cause", i, status[i])
		}
	}
	groups := levels(group)
	if len(groups) < 2 {
		return nil, fmt.Errorf("could not compute Gray's test: %d group: it compares two or more", len(groups))
	}
	gidx := codes(group, groups)
	var sidx []int
	if opt.Strata != nil {
		sidx = codes(opt.Strata, levels(opt.Strata))
	}
	var causes []int
	for _, s := range status {
		if s != 0 {
			causes = append(causes, s)
		}
	}
	slices.Sort(causes)
	causes = slices.Compact(causes)
	if len(causes) == 0 {
		return []GrayResult{{Status: StatusNoEvents, DF: len(groups) - 1, Stat: math.NaN(), P: math.NaN()}}, nil
	}
	perm := order.ByStratumTime(time, sidx)
	ng := len(groups)
	out := make([]GrayResult, 0, len(causes))
	m := make([]int, n)
	for _, cause := range causes {
		s := make([]float64, ng-1)
		v := make([]float64, (ng-1)*(ng-1))
		for lo := 0; lo < n; {
			hi := lo
			for hi < n && (sidx == nil || sidx[perm[hi]] == sidx[perm[lo]]) {
				hi++
			}
			idx := perm[lo:hi]
			ys, gs := make([]float64, len(idx)), make([]int, len(idx))
			for j, i := range idx {
				ys[j], gs[j] = time[i], gidx[i]
				switch status[i] {
				case 0:
					m[j] = 0
				case cause:
					m[j] = 1
				default:
					m[j] = 2
				}
			}
			grayStratum(ys, m[:len(idx)], gs, ng, opt.Rho, s, v)
			lo = hi
		}
		out = append(out, grayResult(cause, s, v, ng-1))
	}
	return out, nil
}

// levels returns the sorted distinct values.
func levels(x []int) []int {
	l := slices.Clone(x)
	slices.Sort(l)
	return slices.Compact(l)
}

// codes maps each value to its index in the sorted levels.
func codes(x, lev []int) []int {
	c := make([]int, len(x))
	for i, v := range x {
		c[i], _ = slices.BinarySearch(lev, v)
	}
	return c
}

func grayResult(cause int, s, v []float64, df int) GrayResult {
	r := GrayResult{Cause: cause, DF: df, Score: s, Var: v, Status: StatusOK}
	var chol mat.Cholesky
	sym := mat.NewSymDense(df, slices.Clone(v))
	if !chol.Factorize(sym) || chol.Cond() > 1e12 {
		r.Status, r.Stat, r.P = StatusSingular, math.NaN(), math.NaN()
		return r
	}
	var x mat.VecDense
	if err := chol.SolveVecTo(&x, mat.NewVecDense(df, slices.Clone(s))); err != nil {
		r.Status, r.Stat, r.P = StatusSingular, math.NaN(), math.NaN()
		return r
	}
	r.Stat = mat.Dot(&x, mat.NewVecDense(df, s))
	r.P = distuv.ChiSquared{K: float64(df)}.Survival(r.Stat)
	return r
}

// grayStratum adds one stratum's scores s (ng-1) and variance v
// ((ng-1)×(ng-1), row-major) for times y sorted ascending, m coded 0
// censored, 1 the cause, 2 another cause, and groups g in 0…ng-1. It follows
// subroutine crst of cmprsk's src/crstm.f.
func grayStratum(y []float64, m, g []int, ng int, rho float64, s, v []float64) {
	ng1 := ng - 1
	n := len(y)
	rs := make([]float64, ng)
	for _, j := range g {
		rs[j]++
	}
	f1m, f1 := make([]float64, ng), make([]float64, ng)
	skmm, skm := make([]float64, ng), make([]float64, ng)
	for i := range ng {
		skmm[i], skm[i] = 1, 1
	}
	v3 := make([]float64, ng)
	v2 := make([]float64, ng1*ng)
	c := make([]float64, ng*ng)
	a := make([]float64, ng*ng)
	d := make([][3]float64, ng)
	vs := make([]float64, ng1*ng1)
	fm, f := 0.0, 0.0
	for lo := 0; lo < n; {
		hi := lo
		for hi < n && y[hi] == y[lo] {
			hi++
		}
		clear(d)
		for i := lo; i < hi; i++ {
			d[g[i]][m[i]]++
		}
		var nd1, nd2 float64
		for i := range ng {
			nd1 += d[i][1]
			nd2 += d[i][2]
		}
		if nd1 > 0 || nd2 > 0 {
			f = grayTime(d, rs, f1m, f1, skmm, skm, a, c, fm, nd1, rho)
			fb, tq := math.Pow(1-fm, rho), grayTq(rs, f1m, skmm)
			for i := range ng1 {
				if rs[i] > 0 {
					s[i] += fb * (d[i][1] - nd1*rs[i]*(1-f1m[i])/(skmm[i]*tq))
				}
			}
			grayVar(d, rs, skmm, skm, a, c, v3, v2, vs, f, nd1, nd2, ng)
		}
		if hi >= n {
			break
		}
		for i := lo; i < hi; i++ {
			rs[g[i]]--
		}
		fm = f
		copy(f1m, f1)
		copy(skmm, skm)
		lo = hi
	}
	for i := range ng1 {
		for j := 0; j <= i; j++ {
			for k := range ng {
				vs[i*ng1+j] += c[i*ng+k]*c[j*ng+k]*v3[k] + c[i*ng+k]*v2[j*ng+k] + c[j*ng+k]*v2[i*ng+k]
			}
		}
	}
	for i := range ng1 {
		for j := 0; j <= i; j++ {
			v[i*ng1+j] += vs[i*ng1+j]
			if j != i {
				v[j*ng1+i] += vs[i*ng1+j]
			}
		}
	}
}

// grayTq is Σ_r R_r of the paper: Σ_r rs_r (1 - F_r(t-)) / S_r(t-).
func grayTq(rs, f1m, skmm []float64) float64 {
	var tq float64
	for i := range rs {
		if rs[i] > 0 {
			tq += rs[i] * (1 - f1m[i]) / skmm[i]
		}
	}
	return tq
}

// grayTime updates the per-group estimates at one failure time, fills a
// (the weight matrix of this time) and accumulates c, and returns the
// pooled F(t).
func grayTime(d [][3]float64, rs, f1m, f1, skmm, skm, a, c []float64, fm, nd1, rho float64) float64 {
	ng := len(rs)
	var tr float64
	for i := range ng {
		if rs[i] <= 0 {
			continue
		}
		skm[i] = skmm[i] * (rs[i] - d[i][1] - d[i][2]) / rs[i]
		f1[i] = f1m[i] + skmm[i]*d[i][1]/rs[i]
		tr += rs[i] / skmm[i]
	}
	f := fm + nd1/tr
	fb := math.Pow(1-fm, rho)
	for i := range ng {
		for j := i; j < ng; j++ {
			a[i*ng+j] = 0
		}
		if rs[i] <= 0 {
			continue
		}
		t1 := rs[i] / skmm[i]
		a[i*ng+i] = fb * t1 * (1 - t1/tr)
		c[i*ng+i] += a[i*ng+i] * nd1 / (tr * (1 - fm))
		for j := i + 1; j < ng; j++ {
			if rs[j] <= 0 {
				continue
			}
			a[i*ng+j] = -fb * t1 * rs[j] / (skmm[j] * tr)
			c[i*ng+j] += a[i*ng+j] * nd1 / (tr * (1 - fm))
		}
	}
	for i := 1; i < ng; i++ {
		for j := range i {
			a[i*ng+j] = a[j*ng+i]
			c[i*ng+j] = c[j*ng+i]
		}
	}
	return f
}

// grayVar accumulates the variance terms v3, v2 and vs of one failure time.
func grayVar(d [][3]float64, rs, skmm, skm, a, c, v3, v2, vs []float64, f, nd1, nd2 float64, ng int) {
	ng1 := ng - 1
	var tr float64
	for i := range ng {
		if rs[i] > 0 {
			tr += rs[i] / skmm[i]
		}
	}
	if nd1 > 0 {
		for k := range ng {
			if rs[k] <= 0 {
				continue
			}
			t4 := 1.0
			if skm[k] > 0 {
				t4 = 1 - (1-f)/skm[k]
			}
			t5 := 1.0
			if nd1 > 1 {
				t5 = 1 - (nd1-1)/(tr*skmm[k]-1)
			}
			t3 := t5 * skmm[k] * nd1 / (tr * rs[k])
			v3[k] += t4 * t4 * t3
			for i := range ng1 {
				t1 := a[i*ng+k] - t4*c[i*ng+k]
				v2[i*ng+k] += t1 * t4 * t3
				for j := 0; j <= i; j++ {
					t2 := a[j*ng+k] - t4*c[j*ng+k]
					vs[i*ng1+j] += t1 * t2 * t3
				}
			}
		}
	}
	if nd2 == 0 {
		return
	}
	for k := range ng {
		if skm[k] <= 0 || d[k][2] <= 0 {
			continue
		}
		t4 := (1 - f) / skm[k]
		t5 := 1.0
		if d[k][2] > 1 {
			t5 = 1 - (d[k][2]-1)/(rs[k]-1)
		}
		t3 := t5 * skmm[k] * skmm[k] * d[k][2] / (rs[k] * rs[k])
		v3[k] += t4 * t4 * t3
		for i := range ng1 {
			t1 := t4 * c[i*ng+k]
			v2[i*ng+k] -= t1 * t4 * t3
			for j := 0; j <= i; j++ {
				t2 := t4 * c[j*ng+k]
				vs[i*ng1+j] += t1 * t2 * t3
			}
		}
	}
}
