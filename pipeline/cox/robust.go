package cox

import (
	"math"

	"github.com/ketcurves/ketcurves/pipeline/newton"
	"gonum.org/v1/gonum/stat/distuv"
)

// Robust is the robust (sandwich, "infinitesimal jackknife") variance of a
// Cox fit and the tests based on it, as R coxph(..., cluster = id) or
// coxph(..., robust = TRUE) reports them. Slices are indexed like
// Result.Coef; NaN for a redundant term.
//
// The variance is D'D with D the dfbeta residuals (score residuals times
// the model-based variance) summed within clusters (Lin and Wei 1989, JASA
// 84:1074-1078; Therneau and Grambsch 2000, section 7.2). SAS PROC PHREG
// gives it with COVS(AGGREGATE) and an ID statement.
type Robust struct {
	// Clusters is the number of distinct clusters (the number of rows
	// when every row is its own cluster).
	Clusters int
	// SE, Z and P are R's "robust se" column, z = coef / robust se and its
	// two-sided p value; HRLower and HRUpper are the hazard-ratio interval
	// exp(b ± z_{(1+ConfLevel)/2} robust se), as R's summary(fit)$conf.int
	// with a cluster.
	SE, Z, P, HRLower, HRUpper []float64
	// Var is the robust variance, R's fit$var (fit$naive.var is
	// Result.Var).
	Var [][]float64
	// Wald is b' Var^-1 b with the robust variance, R's summary(fit)$waldtest
	// with a cluster.
	Wald Test
	// Score is the robust score test of beta = 0, R's summary(fit)$robscore
	// (printed "Robust = ..." beside the score test).
	Score Test
}

// robust computes res.Robust: with D the n x p matrix of dfbeta residuals
// (score residuals times the model-based variance) summed within clusters,
//
//	V_robust = D'D = Var (sum_c U_c U_c') Var,
//
// where U_c is the sum of the score residuals of cluster c at the estimate
// (Lin and Wei 1989; Therneau and Grambsch 2000, section 7.2). The robust
// score test is U0' (sum_c U0_c U0_c')^- U0 with the score residuals at
// beta = 0 and U0 their total, the score. Both tests have DF equal to the
// number of non-redundant terms, as R.
func (w *workspace) robust(res *Result, opt Options) {
	p := w.p
	efron := opt.Ties == Efron
	cluster, nc := w.clusterIndex(opt.Cluster)
	singular := make([]bool, p)
	rank := 0
	for j := range p {
		singular[j] = w.chol[j*p+j] == 0
		if !singular[j] {
			rank++
		}
	}

	u := make([]float64, nc*p)
	w.scoreResiduals(w.beta, efron, cluster, u)
	meat := clusterCrossProduct(u, p, singular, nil)
	vr := sandwich(w.varScaled, meat, p)

	clear(u)
	w.scoreResiduals(make([]float64, p), efron, cluster, u)
	u0 := make([]float64, p)
	meat0 := clusterCrossProduct(u, p, singular, u0)

	rob := &Robust{
		Clusters: nc,
		SE:       make([]float64, p),
		Z:        make([]float64, p),
		P:        make([]float64, p),
		HRLower:  make([]float64, p),
		HRUpper:  make([]float64, p),
		Var:      make([][]float64, p),
		Wald:     chiSquareTest(quadraticForm(vr, w.beta, p), rank),
		Score:    chiSquareTest(quadraticForm(meat0, u0, p), rank),
	}
	z := distuv.UnitNormal.Quantile((1 + opt.ConfLevel) / 2)
	nan := math.NaN()
	for j := range p {
		rob.Var[j] = make([]float64, p)
		for l := range p {
			rob.Var[j][l] = vr[j*p+l] * w.scale[j] * w.scale[l]
			if singular[j] || singular[l] {
				rob.Var[j][l] = nan
			}
		}
		if singular[j] {
			rob.SE[j], rob.Z[j], rob.P[j], rob.HRLower[j], rob.HRUpper[j] = nan, nan, nan, nan, nan
			continue
		}
		b, se := res.Coef[j], math.Sqrt(rob.Var[j][j])
		rob.SE[j] = se
		rob.Z[j] = b / se
		rob.P[j] = math.Erfc(math.Abs(rob.Z[j]) / math.Sqrt2)
		rob.HRLower[j] = math.Exp(b - z*se)
		rob.HRUpper[j] = math.Exp(b + z*se)
	}
	res.Robust = rob
}

// clusterIndex returns the dense cluster number (0, 1, … in order of first
// appearance in the rows) of every sorted position, and the number of
// clusters. A nil cluster makes every row its own cluster.
func (w *workspace) clusterIndex(cluster []int) ([]int32, int) {
	idx := make([]int32, w.n)
	if cluster == nil {
		for k := range idx {
			idx[k] = int32(k)
		}
		return idx, w.n
	}
	ids := make(map[int]int32)
	byRow := make([]int32, w.n)
	for i, c := range cluster {
		id, ok := ids[c]
		if !ok {
			id = int32(len(ids))
			ids[c] = id
		}
		byRow[i] = id
	}
	for k, i := range w.row {
		idx[k] = byRow[i]
	}
	return idx, len(ids)
}

// clusterCrossProduct returns sum_c u_c u_c' (p*p) over the rows u_c of u
// (len(u)/p rows of p), ignoring the singular columns. If total is not nil
// it receives sum_c u_c.
func clusterCrossProduct(u []float64, p int, singular []bool, total []float64) []float64 {
	m := make([]float64, p*p)
	for c := 0; c < len(u); c += p {
		uc := u[c : c+p]
		for j, v := range uc {
			if singular[j] {
				continue
			}
			if total != nil {
				total[j] += v
			}
			row := m[j*p : j*p+j+1]
			for l := range row {
				if !singular[l] {
					row[l] += v * uc[l]
				}
			}
		}
	}
	for j := range p {
		for l := range j {
			m[l*p+j] = m[j*p+l]
		}
	}
	return m
}

// sandwich returns v m v for symmetric p x p matrices.
func sandwich(v, m []float64, p int) []float64 {
	vm := make([]float64, p*p)
	for i := range p {
		for k := range p {
			if x := v[i*p+k]; x != 0 {
				for j := range p {
					vm[i*p+j] += x * m[k*p+j]
				}
			}
		}
	}
	out := make([]float64, p*p)
	for i := range p {
		for k := range p {
			if x := vm[i*p+k]; x != 0 {
				for j := range p {
					out[i*p+j] += x * v[k*p+j]
				}
			}
		}
	}
	return out
}

// quadraticForm returns b' m^- b, with the generalised inverse of the
// symmetric p x p matrix m from the LDL' decomposition with R's toler.chol
// (components of redundant columns dropped), as R's coxph.wtest.
func quadraticForm(m, b []float64, p int) float64 {
	f := make([]float64, p*p)
	copy(f, m)
	newton.LDL(f, p, cholTolerance)
	y := make([]float64, p)
	copy(y, b)
	newton.LDLSolve(f, p, y)
	var q float64
	for j := range p {
		q += b[j] * y[j]
	}
	return q
}

// scoreResiduals adds the score residual of every row at beta (on the scaled
// covariates) to its cluster's sum, dst[cluster[k]*p : cluster[k]*p+p] for
// sorted position k. The score residual of row i is
//
//	U_i = int (z_i - zbar(t)) (dN_i(t) - Y_i(t) exp(eta_i) dLambda0(t)),
//
// with Y_i(t) = 1 on (entry_i, time_i]; with Efron's approximation a death
// tied with d - 1 others enters the m-th of the d fractional risk sets with
// weight m/d, and its event term uses the mean of the d fractional means
// (R survival's coxscore2 and agscore3). The pass is backward in time, as
// R's O(np) coxscore2: a row entering the risk set (at its exit time) is
// credited exp(eta_i) (z_i H - Hz) with the cumulative hazard H and its
// z-weighted sum Hz so far, and charged the same at its entry time (or at
// the end of its stratum), leaving -exp(eta_i) int (z_i - zbar) dLambda0 over
// its time at risk. It costs O(n p) after the sort.
func (w *workspace) scoreResiduals(beta []float64, efron bool, cluster []int32, dst []float64) {
	p := w.p
	rs := riskSums{a: make([]float64, p)} // c not needed
	a2 := make([]float64, p)
	xhaz := make([]float64, p) // sum of zbar dLambda0 so far, this stratum
	dH1 := make([]float64, p)
	charge1 := make([]float64, p)
	meanE := make([]float64, p)
	var cumhaz float64 // sum of dLambda0 so far, this stratum
	risk := make([]float64, w.n)
	for k := range risk {
		risk[k] = math.Exp(w.eta(k, beta))
	}
	// credit adds sign * exp(eta) (z H - Hz) to the cluster of row k.
	credit := func(k int, r, sign float64) {
		d := dst[int(cluster[k])*p : int(cluster[k])*p+p]
		z := w.z[k*p : k*p+p]
		for j := range p {
			d[j] += sign * r * (z[j]*cumhaz - xhaz[j])
		}
	}
	charge := func(k int, r float64) { credit(k, r, -1) }
	next := len(w.byStart) - 1
	stratumHi := 0
	for gi, g := range w.groups {
		if g.newStratum {
			rs.reset()
			cumhaz = 0
			clear(xhaz)
			stratumHi = int(g.hi)
		}
		s := w.stratumOf(int(g.lo))
		if w.start != nil {
			next = w.leave(next, s, w.time[int(g.lo)], beta, &rs, charge)
		}
		var denomDead float64
		clear(a2)
		for k := int(g.lo); k < int(g.hi); k++ {
			r := risk[k]
			credit(k, r, 1)
			rs.n++
			a := rs.a
			if w.dead[k] {
				denomDead += r
				a = a2
			} else {
				rs.denom += r
			}
			for j, zj := range w.z[k*p : k*p+p] {
				a[j] += r * zj
			}
		}
		if int(g.deaths) > 0 {
			parts := 1
			if efron {
				parts = int(g.deaths)
			}
			weight := float64(int(g.deaths)) / float64(parts)
			frac := 1 / float64(parts)
			var dH0, charge0 float64
			clear(dH1)
			clear(charge1)
			clear(meanE)
			for m := 1; m <= parts; m++ {
				rs.denom += frac * denomDead
				h := weight / rs.denom
				share := float64(m) / float64(parts) // of each death in this risk set
				dH0 += h
				charge0 += share * h
				for j := range p {
					rs.a[j] += frac * a2[j]
					zbar := rs.a[j] / rs.denom
					dH1[j] += zbar * h
					charge1[j] += share * zbar * h
					meanE[j] += zbar * frac
				}
			}
			cumhaz += dH0
			for j := range p {
				xhaz[j] += dH1[j]
			}
			for k := int(g.lo); k < int(g.hi); k++ {
				if !w.dead[k] {
					continue
				}
				d := dst[int(cluster[k])*p : int(cluster[k])*p+p]
				z := w.z[k*p : k*p+p]
				for j := range p {
					d[j] += z[j] - meanE[j] + risk[k]*(z[j]*(dH0-charge0)-(dH1[j]-charge1[j]))
				}
			}
		}
		if gi+1 == len(w.groups) || w.groups[gi+1].newStratum {
			// End of the stratum: charge every row still at risk.
			if w.start != nil {
				next = w.leave(next, s, math.Inf(-1), beta, &rs, charge)
			} else {
				for k := int(g.lo); k < stratumHi; k++ {
					charge(k, risk[k])
				}
			}
		}
	}
}
