package cox

import (
	"math"
	"runtime"
	"slices"
	"sync"

	"github.com/ketcurves/ketcurves/pipeline/order"
	"github.com/ketcurves/ketcurves/pipeline/survtime"
)

// tieGroup is a run of rows of one stratum sharing one exit time, in sorted
// order: positions lo..hi-1. newStratum is true for the last group (largest
// time) of a stratum, where the backward accumulation over risk sets restarts.
type tieGroup struct {
	lo, hi     int32 // int32: ten million rows have millions of groups
	deaths     int32
	newStratum bool
}

// workspace holds the sorted, centred and scaled data and every buffer the
// iterations need, so that an iteration allocates nothing.
type workspace struct {
	n, p    int
	z       []float64 // n*p, row-major, sorted by (stratum, time), centred and scaled
	dead    []bool    // sorted
	time    []float64 // exit times, sorted
	row     []int32   // original row of each sorted position
	stratum []int     // stratum of each sorted position; nil for a single stratum
	// With delayed entry: start holds the entry time of each sorted
	// position and byStart the sorted positions ordered by (stratum,
	// entry time); both are nil without entry.
	start   []float64
	byStart []int32
	groups  []tieGroup
	events  int
	means   []float64 // column means
	scale   []float64 // multiplier applied after centring: 1/mean absolute deviation

	// Per-evaluation outputs: score and information (p*p, symmetric).
	u, imat []float64
	// Scratch for evaluate: exp(eta) of each sorted row, the risk-set sums
	// and those of the deaths of one tie group.
	risk   []float64
	rs     riskSums
	a2, c2 []float64
	// Scratch for fit.
	beta, newBeta, step []float64
	chol                []float64 // LDL' factor of the information matrix
	// varScaled is the inverse information at the estimate, on the scaled
	// covariates (zero rows and columns for redundant terms), set by fit.
	varScaled []float64
}

// riskSums are the sums over the current risk set of exp(eta) (denom),
// exp(eta) z (a, p elements) and exp(eta) z z' (c, lower triangle of p*p;
// nil when not needed), and the number of rows in it.
type riskSums struct {
	denom float64
	a, c  []float64
	n     int
}

func (r *riskSums) reset() {
	r.denom, r.n = 0, 0
	clear(r.a)
	clear(r.c)
}

// newWorkspace sorts the rows by (stratum, time, row), centres and scales the
// covariates and finds the tie groups. entry is nil without delayed entry.
// With tie true (no strata, no entry), time is not yet tied as aeqSurv
// ties it: the sorted times are tied in place (tieSorted), which spares
// prepareTimes' copy and sort.
func newWorkspace(time, entry []float64, event []bool, x [][]float64, strata []int, tie bool) *workspace {
	n, p := len(time), len(x)
	// One sort by (stratum, time); ties broken by row so that the order,
	// and hence every floating-point sum, is deterministic.
	order := order.ByStratumTime32(time, strata)

	w := &workspace{
		n: n, p: p,
		z:     make([]float64, n*p),
		dead:  make([]bool, n),
		time:  make([]float64, n),
		row:   order,
		means: make([]float64, p),
		scale: make([]float64, p),
		u:     make([]float64, p), imat: make([]float64, p*p),
		rs: riskSums{a: make([]float64, p), c: make([]float64, p*p)},
		a2: make([]float64, p), c2: make([]float64, p*p),
		beta: make([]float64, p), newBeta: make([]float64, p), step: make([]float64, p),
		chol: make([]float64, p*p),
	}
	for j, col := range x {
		var sum float64
		for _, v := range col {
			sum += v
		}
		mean := sum / float64(n)
		var mad float64
		for _, v := range col {
			mad += math.Abs(v - mean)
		}
		scale := 1.0
		if mad > 0 {
			scale = float64(n) / mad
		}
		w.means[j], w.scale[j] = mean, scale
	}
	eachRange(n, func(lo, hi int) {
		for k, i := range order[lo:hi] {
			k += lo
			z := w.z[k*p : k*p+p]
			for j, col := range x {
				z[j] = (col[i] - w.means[j]) * w.scale[j]
			}
			w.time[k] = time[i]
			w.dead[k] = event[i]
		}
	})
	for _, d := range w.dead {
		if d {
			w.events++
		}
	}
	if strata != nil {
		w.stratum = make([]int, n)
		for k, i := range order {
			w.stratum[k] = strata[i]
		}
	}
	if entry != nil {
		w.sortEntries(entry)
	}
	if tie {
		w.tieSorted()
	}
	w.findGroups()
	return w
}

// tieSorted ties the sorted times (one stratum, no entry) as
// survtime.Fix would have tied them before the sort. Tying maps values to
// cuts in order, so the order stays sorted; only rows whose distinct
// values became one time may now be out of row order, which a sort of the
// tied times would give. Those runs are put in row order, so the rows are
// in exactly the order of prepareTimes then newWorkspace.
func (w *workspace) tieSorted() {
	if !survtime.FixSorted(w.time) {
		return
	}
	for lo := 0; lo < w.n; {
		hi := lo + 1
		for hi < w.n && w.time[hi] == w.time[lo] {
			hi++
		}
		if !slices.IsSorted(w.row[lo:hi]) {
			w.sortRun(lo, hi)
		}
		lo = hi
	}
}

// sortRun puts sorted positions lo … hi-1, of one time, in row order.
func (w *workspace) sortRun(lo, hi int) {
	p := w.p
	idx := make([]int, hi-lo)
	for k := range idx {
		idx[k] = lo + k
	}
	slices.SortFunc(idx, func(a, b int) int { return int(w.row[a]) - int(w.row[b]) })
	z := make([]float64, 0, (hi-lo)*p)
	row, dead := make([]int32, 0, hi-lo), make([]bool, 0, hi-lo)
	for _, k := range idx {
		z = append(z, w.z[k*p:k*p+p]...)
		row, dead = append(row, w.row[k]), append(dead, w.dead[k])
	}
	copy(w.z[lo*p:hi*p], z)
	copy(w.row[lo:hi], row)
	copy(w.dead[lo:hi], dead)
}

// sortEntries fills w.start and w.byStart.
func (w *workspace) sortEntries(entry []float64) {
	w.start = make([]float64, w.n)
	for k, i := range w.row {
		w.start[k] = entry[i]
	}
	w.byStart = order.ByStratumTime32(w.start, w.stratum)
}

// findGroups finds the tie groups, in processing order: strata one after the
// other, times descending within a stratum.
func (w *workspace) findGroups() {
	n := w.n
	// Counted first, so that the groups (millions at ten million rows)
	// are allocated once, not grown by append.
	count := 0
	for k := range n {
		if k == 0 || w.time[k] != w.time[k-1] || w.stratumOf(k) != w.stratumOf(k-1) {
			count++
		}
	}
	w.groups = slices.Grow(w.groups[:0], count)
	for hi := n; hi > 0; {
		lo := hi - 1
		s, t := w.stratumOf(lo), w.time[lo]
		for lo > 0 && w.stratumOf(lo-1) == s && w.time[lo-1] == t {
			lo--
		}
		g := tieGroup{lo: int32(lo), hi: int32(hi), newStratum: hi == n || w.stratumOf(hi) != s}
		for k := lo; k < hi; k++ {
			if w.dead[k] {
				g.deaths++
			}
		}
		w.groups = append(w.groups, g)
		hi = lo
	}
}

// stratumOf returns the stratum of sorted position k (0 for a single stratum).
func (w *workspace) stratumOf(k int) int {
	if w.stratum == nil {
		return 0
	}
	return w.stratum[k]
}

// eta returns the linear predictor of sorted position k.
func (w *workspace) eta(k int, beta []float64) float64 {
	z := w.z[k*w.p : k*w.p+w.p]
	var eta float64
	for j, b := range beta {
		eta += b * z[j]
	}
	return eta
}

// leave removes from rs the rows of stratum s whose entry time is at or
// after t: with delayed entry, the risk set at t holds the rows with
// entry < t <= time. Rows are taken from w.byStart backwards from next, which
// it returns updated for the next (earlier) time; rows of a later stratum,
// still there when the backward pass moved on, are skipped. onLeave, if not
// nil, is called with each row that leaves and its risk exp(eta). When the
// risk set empties its sums are set to exactly 0, against round-off.
func (w *workspace) leave(next, s int, t float64, beta []float64, rs *riskSums, onLeave func(k int, risk float64)) int {
	p := w.p
	for ; next >= 0; next-- {
		k := int(w.byStart[next])
		if ks := w.stratumOf(k); ks > s {
			continue
		} else if ks < s || w.start[k] < t {
			break
		}
		risk := math.Exp(w.eta(k, beta))
		if onLeave != nil {
			onLeave(k, risk)
		}
		rs.n--
		if rs.n == 0 {
			rs.reset()
			continue
		}
		rs.denom -= risk
		z := w.z[k*p : k*p+p]
		for j, zj := range z {
			rz := risk * zj
			rs.a[j] -= rz
			if rs.c != nil {
				row := rs.c[j*p : j*p+j+1]
				for l := range row {
					row[l] -= rz * z[l]
				}
			}
		}
	}
	return next
}

// evaluate returns the partial log-likelihood at beta (on the scaled
// covariates) and stores the score in w.u and the information matrix in
// w.imat. It allocates nothing.
// linearPredictor returns z'beta, summed in term order.
func linearPredictor(z, beta []float64) float64 {
	var eta float64
	for j, b := range beta {
		eta += b * z[j]
	}
	return eta
}

// fillRisks sets w.risk[k] = exp(z_k'beta) for every sorted row, on all
// cores: each value is the one a single loop computes, so the sums of
// evaluate, made in row order, are unchanged to the bit.
func (w *workspace) fillRisks(beta []float64) {
	if w.risk == nil {
		w.risk = make([]float64, w.n)
	}
	if w.n < parallelMin {
		w.fillRiskRange(beta, 0, w.n) // no closure: evaluate allocates nothing
		return
	}
	eachRange(w.n, func(lo, hi int) { w.fillRiskRange(beta, lo, hi) })
}

func (w *workspace) fillRiskRange(beta []float64, lo, hi int) {
	p := w.p
	for k := lo; k < hi; k++ {
		w.risk[k] = math.Exp(linearPredictor(w.z[k*p:k*p+p], beta))
	}
}

// parallelMin is the number of rows below which eachRange runs on the
// caller's goroutine.
const parallelMin = 1 << 15

// eachRange calls f on contiguous ranges [lo, hi) that cover 0..n-1, one
// per core when n is large, and waits for them.
func eachRange(n int, f func(lo, hi int)) {
	parts := runtime.GOMAXPROCS(0)
	if n < parallelMin || parts == 1 {
		f(0, n)
		return
	}
	var wg sync.WaitGroup
	for i := range parts {
		lo, hi := i*n/parts, (i+1)*n/parts
		wg.Go(func() { f(lo, hi) })
	}
	wg.Wait()
}

func (w *workspace) evaluate(beta []float64, efron bool) float64 {
	p := w.p
	clear(w.u)
	clear(w.imat)
	rs := &w.rs
	var loglik float64
	w.fillRisks(beta)
	next := len(w.byStart) - 1
	for _, g := range w.groups {
		if g.newStratum {
			rs.reset()
		}
		if w.start != nil {
			next = w.leave(next, w.stratumOf(int(g.lo)), w.time[int(g.lo)], beta, rs, nil)
		}
		if int(g.hi)-int(g.lo) == 1 {
			// A time of one row (continuous times: nearly all): the same
			// sums without the scratch of tied deaths, bit for bit.
			loglik = w.addSingle(int(g.lo), beta, loglik)
			continue
		}
		var denomDead float64
		clear(w.a2)
		clear(w.c2)
		for k := int(g.lo); k < int(g.hi); k++ {
			z := w.z[k*p : k*p+p]
			risk := w.risk[k]
			rs.n++
			a, c := rs.a, rs.c
			if w.dead[k] {
				denomDead += risk
				loglik += linearPredictor(z, beta)
				for j, zj := range z {
					w.u[j] += zj
				}
				a, c = w.a2, w.c2
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
		// With Breslow, or a single death, all deaths enter at once;
		// with Efron, each death adds 1/d of the deaths' sums.
		parts := 1
		if efron {
			parts = int(g.deaths)
		}
		weight := float64(int(g.deaths)) / float64(parts)
		frac := 1 / float64(parts)
		for range parts {
			rs.denom += frac * denomDead
			loglik -= weight * math.Log(rs.denom)
			for j := range p {
				rs.a[j] += frac * w.a2[j]
			}
			for j := range p {
				mean := rs.a[j] / rs.denom
				w.u[j] -= weight * mean
				for l := 0; l <= j; l++ {
					rs.c[j*p+l] += frac * w.c2[j*p+l]
					w.imat[j*p+l] += weight * (rs.c[j*p+l] - mean*rs.a[l]) / rs.denom
				}
			}
		}
	}
	for j := range p {
		for l := 0; l < j; l++ {
			w.imat[l*p+j] = w.imat[j*p+l]
		}
	}
	return loglik
}

// addSingle adds row k, alone at its time, to the risk sums and, if it is
// a death, its terms to the score and information and to loglik, the log
// partial likelihood so far, which it returns. The operations are those
// of evaluate for
// a group of one row (one death: weight and fraction 1, the scratch sums
// equal to the row's own terms), so the sums are the same bits.
func (w *workspace) addSingle(k int, beta []float64, loglik float64) float64 {
	p, rs := w.p, &w.rs
	z := w.z[k*p : k*p+p]
	risk := w.risk[k]
	rs.n++
	if !w.dead[k] {
		rs.denom += risk
		for j, zj := range z {
			rz := risk * zj
			rs.a[j] += rz
			row := rs.c[j*p : j*p+j+1]
			for l := range row {
				row[l] += rz * z[l]
			}
		}
		return loglik
	}
	loglik += linearPredictor(z, beta)
	for j, zj := range z {
		w.u[j] += zj
	}
	rs.denom += risk
	loglik -= math.Log(rs.denom)
	for j, zj := range z {
		rs.a[j] += risk * zj
	}
	for j, zj := range z {
		rz := risk * zj
		mean := rs.a[j] / rs.denom
		w.u[j] -= mean
		for l := 0; l <= j; l++ {
			rs.c[j*p+l] += rz * z[l]
			w.imat[j*p+l] += (rs.c[j*p+l] - mean*rs.a[l]) / rs.denom
		}
	}
	return loglik
}
