package cox

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/ketcurves/ketcurves/pipeline/newton"
	"github.com/ketcurves/ketcurves/pipeline/order"
)

// Transform names the function of time g(t) against which cox.zph tests
// for a trend in the scaled Schoenfeld residuals.
type Transform string

const (
	// TransformKM is g(t) = 1 - KM(t-), one minus the left-continuous
	// Kaplan–Meier estimate of the pooled data (all strata together, with
	// delayed entry if any), R cox.zph's default.
	TransformKM Transform = "km"
	// TransformRank is the rank of t among the exit times of all rows,
	// ties averaged (R rank()).
	TransformRank Transform = "rank"
	// TransformIdentity is g(t) = t.
	TransformIdentity Transform = "identity"
)

// ParseTransform returns the Transform named by s, ignoring case and
// surrounding blanks. The empty string means TransformKM, the default.
func ParseTransform(s string) (Transform, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "", "km":
		return TransformKM, nil
	case "rank":
		return TransformRank, nil
	case "identity":
		return TransformIdentity, nil
	}
	return "", fmt.Errorf("unknown cox.zph transform %q: use %q, %q or %q", s, TransformKM, TransformRank, TransformIdentity)
}

// StatusZPHSingular is ZPHResult.Status when the 2p x 2p information
// matrix of a test is singular: the statistics of the terms concerned are
// computed on the non-redundant part and are to be treated with caution.
const StatusZPHSingular = "singular"

// ZPHResult is the test of proportional hazards of a Cox fit and the scaled
// Schoenfeld residuals to plot, as R cox.zph(fit, transform, terms = FALSE).
// Terms whose coefficient is NaN (redundant) are left out, as R does.
type ZPHResult struct {
	Transform Transform
	// Names are the tested terms; Tests[j] is the chi-square test on 1 df
	// of term Names[j] (a row of R's zph$table) and Global the joint test on
	// len(Names) df (row GLOBAL).
	Names  []string
	Tests  []Test
	Global Test
	// One element per event, in order of stratum, time and row (R orders
	// the tied events of counting-process data the other way round):
	// Time is the event time (R zph$time), X the transformed time g(t)
	// (zph$x), Strata the stratum (nil without strata; zph$strata).
	Time   []float64
	X      []float64
	Strata []int
	// Y[j][i] is the scaled Schoenfeld residual of term j at event i plus
	// the coefficient (R zph$y[i, j]): a smooth of it against X estimates
	// beta_j(t). It is NaN for a term constant within the event's stratum.
	Y [][]float64
	// Status is "ok" or "singular" (see StatusZPHSingular); Messages says
	// why.
	Status   string
	Messages []string
}

// ZPH tests the proportional-hazards assumption of fit, the result of
// CoxPH(time, event, x, fit.Names, strata, opt) on the same data and
// options, by the score test of Grambsch and Therneau (1994, Biometrika
// 81:515-526) as R survival
// 3.x's cox.zph(fit, transform, terms = FALSE) computes it. For the model
// with time-varying coefficients beta_j + theta_j g(t), with g(t) centred at
// its mean over the events, the score at (beta-hat, theta = 0) is
//
//	U_theta = sum_events g(t_i) (x_i - xbar(t_i)),
//
// and the information is the full 2p x 2p matrix
//
//	[ sum I(t)       sum g(t) I(t)   ]
//	[ sum g(t) I(t)  sum g(t)^2 I(t) ]
//
// with I(t) the Efron or Breslow information contribution of event time t.
// The test of term j is (0, U_theta_j)' I_jj^-1 (0, U_theta_j) with I_jj the
// rows and columns of beta and theta_j (chi-square, 1 df); GLOBAL uses all
// of U_theta and the whole matrix (len(Names) df). survival 3.0 replaced the
// earlier approximation (a diagonal information per event) by this exact
// score test; R's default terms = TRUE tests the columns of a factor
// together, which coincides with terms = FALSE here, where every term is one
// column.
//
// The scaled Schoenfeld residuals are, per stratum with the terms k not
// constant in it,
//
//	y_i = beta + V_k^-1 (x_ik - xbar_k(t_i)),  V = I(beta-hat) / d,
//
// d the number of events (R divides each element of I by the events of the
// strata where both terms vary).
//
// Delayed entry (opt.Entry), strata and both ties methods are supported. It
// costs one pass over the sorted data, O(n p^2), plus O(n log n) for the
// sort and the transform.
//
// ZPH returns an error for bad data or options as CoxPH. It panics if the
// lengths of the slices do not match, or if fit is not a fit of n rows and
// len(x) terms.
func ZPH(fit *Result, time []float64, event []bool, x [][]float64, strata []int, opt Options, transform Transform) (*ZPHResult, error) {
	checkLengths(time, event, x, fit.Names, strata, opt)
	if fit.N != len(time) || len(fit.Coef) != len(x) {
		panic(fmt.Sprintf("cox: ZPH of a fit of %d rows and %d terms given %d rows and %d terms", fit.N, len(fit.Coef), len(time), len(x)))
	}
	tr, err := ParseTransform(string(transform))
	if err != nil {
		return nil, fmt.Errorf("could not test proportional hazards: %w", err)
	}
	opt, err = opt.withDefaults()
	if err != nil {
		return nil, fmt.Errorf("could not test proportional hazards: %w", err)
	}
	time, entry, err := prepareTimes(time, event, x, fit.Names, opt.Entry)
	if err != nil {
		return nil, fmt.Errorf("could not test proportional hazards: %w", err)
	}
	res := &ZPHResult{Transform: tr, Status: StatusOK}
	var keptX [][]float64
	var coef []float64
	for j, b := range fit.Coef {
		if !math.IsNaN(b) {
			keptX = append(keptX, x[j])
			coef = append(coef, b)
			res.Names = append(res.Names, fit.Names[j])
		}
	}
	if len(keptX) == 0 {
		return nil, fmt.Errorf("could not test proportional hazards: every coefficient of the fit is undefined (NaN)")
	}
	w := newWorkspace(time, entry, event, keptX, strata, false)
	p := w.p
	beta := make([]float64, p)
	for j := range p {
		beta[j] = coef[j] / w.scale[j]
	}
	g := transformTimes(time, entry, event, tr)
	gt := make([]float64, w.n) // g per sorted position, centred on the events
	var sum float64
	for k, i := range w.row {
		gt[k] = g[i]
		if w.dead[k] {
			sum += g[i]
		}
	}
	mean := sum / float64(w.events)
	for k := range gt {
		gt[k] -= mean
	}
	sw := w.zphSweep(beta, opt.Ties == Efron, gt)
	res.zphTests(sw, p)
	res.scaledResiduals(w, sw, coef, g)
	return res, nil
}

// zphSums are the results of zphSweep on the scaled covariates.
type zphSums struct {
	u2     []float64 // p: U_theta
	imat   []float64 // 2p x 2p
	schoen []float64 // events x p: x_i - xbar(t_i), in sorted order
	events []int     // sorted position of each event
}

// zphSweep is one backward pass over the risk sets at beta, as evaluate,
// accumulating the score for theta, the 2p x 2p information and the
// Schoenfeld residuals (R survival's zph1.c and zph2.c).
func (w *workspace) zphSweep(beta []float64, efron bool, gt []float64) zphSums {
	p, q := w.p, 2*w.p
	s := zphSums{u2: make([]float64, p), imat: make([]float64, q*q),
		schoen: make([]float64, w.events*p), events: make([]int, w.events)}
	rs := riskSums{a: make([]float64, p), c: make([]float64, p*p)}
	a2, c2 := make([]float64, p), make([]float64, p*p)
	ug, ig, meanE := make([]float64, p), make([]float64, p*p), make([]float64, p)
	remaining := w.events
	next := len(w.byStart) - 1
	for _, g := range w.groups {
		if g.newStratum {
			rs.reset()
		}
		if w.start != nil {
			next = w.leave(next, w.stratumOf(int(g.lo)), w.time[int(g.lo)], beta, &rs, nil)
		}
		var denomDead float64
		clear(a2)
		clear(c2)
		clear(ug)
		for k := int(g.lo); k < int(g.hi); k++ {
			z := w.z[k*p : k*p+p]
			risk := math.Exp(w.eta(k, beta))
			rs.n++
			a, c := rs.a, rs.c
			if w.dead[k] {
				denomDead += risk
				for j, zj := range z {
					ug[j] += zj
				}
				a, c = a2, c2
			} else {
				rs.denom += risk
			}
			for j, zj := range z {
				rz := risk * zj
				a[j] += rz
				row := c[j*p : j*p+j+1]
				for l := range row {
					row[l] += rz * z[l]
				}
			}
		}
		if int(g.deaths) == 0 {
			continue
		}
		parts := 1
		if efron {
			parts = int(g.deaths)
		}
		weight := float64(int(g.deaths)) / float64(parts)
		frac := 1 / float64(parts)
		clear(ig)
		clear(meanE)
		for range parts {
			rs.denom += frac * denomDead
			for j := range p {
				rs.a[j] += frac * a2[j]
			}
			for j := range p {
				mean := rs.a[j] / rs.denom
				ug[j] -= weight * mean
				meanE[j] += frac * mean
				for l := 0; l <= j; l++ {
					rs.c[j*p+l] += frac * c2[j*p+l]
					ig[j*p+l] += weight * (rs.c[j*p+l] - mean*rs.a[l]) / rs.denom
				}
			}
		}
		tw := gt[int(g.lo)]
		for j := range p {
			s.u2[j] += tw * ug[j]
			for l := 0; l <= j; l++ {
				v := ig[j*p+l]
				s.imat[j*q+l] += v
				s.imat[j*q+p+l] += tw * v
				s.imat[(p+j)*q+p+l] += tw * tw * v
				if l < j {
					s.imat[l*q+p+j] += tw * v
				}
			}
		}
		remaining -= int(g.deaths)
		e := remaining
		for k := int(g.lo); k < int(g.hi); k++ {
			if !w.dead[k] {
				continue
			}
			s.events[e] = k
			for j := range p {
				s.schoen[e*p+j] = w.z[k*p+j] - meanE[j]
			}
			e++
		}
	}
	// Fill the symmetric blocks: I11 and I22 lower to upper, I12 to I21.
	for j := range p {
		for l := range j {
			s.imat[l*q+j] = s.imat[j*q+l]
			s.imat[(p+l)*q+p+j] = s.imat[(p+j)*q+p+l]
		}
		for l := range p {
			s.imat[(p+l)*q+j] = s.imat[j*q+p+l]
		}
	}
	return s
}

// zphTests fills Tests and Global from the sweep's sums.
func (res *ZPHResult) zphTests(s zphSums, p int) {
	q := 2 * p
	var singular []string
	res.Tests = make([]Test, p)
	sub := make([]float64, (p+1)*(p+1))
	v := make([]float64, p+1)
	for j := range p {
		idx := make([]int, 0, p+1)
		for l := range p {
			idx = append(idx, l)
		}
		idx = append(idx, p+j)
		for a, ia := range idx {
			for b, ib := range idx {
				sub[a*(p+1)+b] = s.imat[ia*q+ib]
			}
		}
		clear(v)
		v[p] = s.u2[j]
		stat, rank := quadraticFormRank(sub, v, p+1)
		if rank < p+1 {
			singular = append(singular, res.Names[j])
		}
		res.Tests[j] = chiSquareTest(stat, 1)
	}
	u := make([]float64, q)
	copy(u[p:], s.u2)
	stat, rank := quadraticFormRank(s.imat, u, q)
	if rank < q {
		singular = append(singular, "GLOBAL")
	}
	res.Global = chiSquareTest(stat, p)
	if len(singular) > 0 {
		res.Status = StatusZPHSingular
		res.Messages = append(res.Messages, fmt.Sprintf(
			"singular information matrix in the proportional-hazards test of %s (a term nearly collinear with its interaction with g(t)): the statistic uses the non-redundant part only",
			quoteList(singular)))
	}
}

// quadraticFormRank is quadraticForm that also returns the rank of m.
func quadraticFormRank(m, b []float64, p int) (float64, int) {
	f := slices.Clone(m)
	rank, _ := newton.LDL(f, p, cholTolerance)
	y := slices.Clone(b)
	newton.LDLSolve(f, p, y)
	var q float64
	for j := range p {
		q += b[j] * y[j]
	}
	return q, rank
}

// scaledResiduals fills Time, X, Strata and Y. g is the uncentred transform
// per row.
func (res *ZPHResult) scaledResiduals(w *workspace, s zphSums, coef, g []float64) {
	p, q, ne := w.p, 2*w.p, w.events
	res.Time = make([]float64, ne)
	res.X = make([]float64, ne)
	if w.stratum != nil {
		res.Strata = make([]int, ne)
	}
	for e, k := range s.events {
		res.Time[e] = w.time[k]
		res.X[e] = g[int(w.row[k])]
		if res.Strata != nil {
			res.Strata[e] = w.stratum[k]
		}
	}
	res.Y = make([][]float64, p)
	for j := range res.Y {
		res.Y[j] = make([]float64, ne)
	}
	// used[s][j]: the events of stratum block s if term j varies in it, else 0.
	type block struct{ lo, hi, elo, ehi int } // sorted positions and events
	var blocks []block
	for lo, e := 0, 0; lo < w.n; {
		hi := lo
		for hi < w.n && w.stratumOf(hi) == w.stratumOf(lo) {
			hi++
		}
		elo := e
		for e < ne && s.events[e] < hi {
			e++
		}
		blocks = append(blocks, block{lo, hi, elo, e})
		lo = hi
	}
	used := make([][]int, len(blocks))
	wt := make([]float64, p*p)
	for b, bl := range blocks {
		used[b] = make([]int, p)
		for j := range p {
			first := w.z[bl.lo*p+j]
			for k := bl.lo + 1; k < bl.hi; k++ {
				if w.z[k*p+j] != first {
					used[b][j] = bl.ehi - bl.elo
					break
				}
			}
		}
		for j := range p {
			for l := range p {
				wt[j*p+l] += float64(min(used[b][j], used[b][l]))
			}
		}
	}
	// vmean = I / wt on the original scale.
	vmean := make([]float64, p*p)
	for j := range p {
		for l := range p {
			d := wt[j*p+l]
			if d == 0 {
				d = 1
			}
			vmean[j*p+l] = s.imat[j*q+l] / (w.scale[j] * w.scale[l] * d)
		}
	}
	r := make([]float64, p)
	for b, bl := range blocks {
		var k []int
		for j := range p {
			if used[b][j] > 0 {
				k = append(k, j)
			}
		}
		m := len(k)
		f := make([]float64, m*m)
		for a, ja := range k {
			for c, jc := range k {
				f[a*m+c] = vmean[ja*p+jc]
			}
		}
		newton.LDL(f, m, cholTolerance)
		y := make([]float64, m)
		for e := bl.elo; e < bl.ehi; e++ {
			for j := range p {
				r[j] = s.schoen[e*p+j] / w.scale[j] // original scale
			}
			if m == 0 {
				for j := range p {
					res.Y[j][e] = r[j] + coef[j]
				}
				continue
			}
			for a, j := range k {
				y[a] = r[j]
			}
			newton.LDLSolve(f, m, y)
			for j := range p {
				res.Y[j][e] = math.NaN()
			}
			for a, j := range k {
				res.Y[j][e] = y[a] + coef[j]
			}
		}
	}
}

// transformTimes returns g(time[i]) for every row.
func transformTimes(time, entry []float64, event []bool, tr Transform) []float64 {
	switch tr {
	case TransformIdentity:
		return slices.Clone(time)
	case TransformRank:
		return averageRanks(time)
	case TransformKM:
		return oneMinusLeftKM(time, entry, event)
	}
	panic(fmt.Sprintf("cox: unknown transform %q", tr))
}

// averageRanks returns the rank of each value among all, ties averaged, as
// R rank(x).
func averageRanks(x []float64) []float64 {
	ord := order.ByTime(x)
	out := make([]float64, len(x))
	for lo := 0; lo < len(ord); {
		hi := lo + 1
		for hi < len(ord) && x[ord[hi]] == x[ord[lo]] {
			hi++
		}
		r := float64(lo+1+hi) / 2
		for _, i := range ord[lo:hi] {
			out[i] = r
		}
		lo = hi
	}
	return out
}

// oneMinusLeftKM returns 1 - S(time[i]-) for every row, with S the
// Kaplan–Meier estimate of all rows pooled, a row at risk on (entry, time]
// (entry nil: from the start):
//
//	S(t-) = prod_{event times s < t} (1 - d(s)/n(s)).
func oneMinusLeftKM(time, entry []float64, event []bool) []float64 {
	n := len(time)
	ord := order.ByTime(time)
	var starts []float64
	if entry != nil {
		starts = slices.Clone(entry)
		order.Float64s(starts)
	}
	out := make([]float64, n)
	surv := 1.0
	si := 0 // starts[:si] are below the current time
	for lo := 0; lo < n; {
		t := time[ord[lo]]
		hi, d := lo, 0
		for hi < n && time[ord[hi]] == t {
			if event[ord[hi]] {
				d++
			}
			hi++
		}
		for si < len(starts) && starts[si] < t {
			si++
		}
		atRisk := (n - lo) - (len(starts) - si)
		for _, i := range ord[lo:hi] {
			out[i] = 1 - surv
		}
		if d > 0 {
			surv *= 1 - float64(d)/float64(atRisk)
		}
		lo = hi
	}
	return out
}
