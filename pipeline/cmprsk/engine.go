package cmprsk

import (
	"math"

	"github.com/ketcurves/ketcurves/pipeline/order"
)

// rebaseAt is the size of an entry of Φ⁻¹ beyond which the engine rebases
// (see engine): the base coordinates then lose at most about 4 digits.
var rebaseAt = 1e4 // a variable so that tests can force rebasing

// engine runs the Aalen–Johansen recursion with the infinitesimal-jackknife
// variance in O(n log n + m K³).
//
// Every subject at risk in state o has its influence written as
//
//	U_i(t) = y_i Φ(t) + C_o(t)
//
// where Φ(t) = H(t_b+)…H(t) is the product of the transition matrices since
// a base time t_b and C_o(t) = C_o(t-) H(t) + c_o(t) is the common drift of
// the subjects at risk in o (c_o(t) = (p_o(t-)/n_o(t)) (e_o - H(t)_o·)); y_i
// is fixed while the subject stays. A subject's own U_i is worked out only
// when it enters (y_i = (U_i - C_o) Φ⁻¹) or leaves. When Φ becomes singular
// or ill-conditioned (an entry of Φ⁻¹ beyond rebaseAt), every subject at
// risk is moved to the current time as base (O(n) once: a transient state
// emptied at once, or its occupation shrank by the factor rebaseAt).
//
// M = Σ_i U_iᵀU_i over all subjects evolves as M ← HᵀMH + HᵀY + YᵀH + A with
// Y = Σ_{at risk} U_i(t-)ᵀ a_i and A = Σ_{at risk} a_iᵀa_i, a_i the
// increment; both are sums over states plus a term per transition.
type engine struct {
	r    *msRows
	k    int
	keep bool // keep the steps and spells for restricted means

	state   []int     // per subject: current state
	y       []float64 // per subject, k values: base coordinates
	pending []float64 // per subject, k values: U_i when leaving a row that goes on
	entered []int     // per subject: number of transition steps before it entered
	atRisk  []int     // subjects at risk, unordered
	pos     []int     // per subject: index in atRisk, or -1

	ns     []int     // rows at risk per state
	nev    []int     // this time's transitions into each state
	ysum   []float64 // k×k: row o = Σ y_i over the risk set of o
	drift  []float64 // k×k: row o = C_o
	phi    []float64 // k×k
	phiInv []float64 // k×k
	m      []float64 // k×k
	p      []float64 // current occupation probabilities

	h, c, scale []float64    // this step: H (k×k), c_o rows (k×k), p_o/n_o
	scratch     [8][]float64 // k×k work matrices of step and updateM
	steps       []ajStep
	spells      []spell
}

// ajStep keeps a transition time for restricted means.
type ajStep struct {
	t       float64
	h, c, p []float64
}

// spell is a subject's stay at risk in one state, over transition steps
// first…last (1-based), ended by a transition to dest (or Censored).
type spell struct {
	subj, state, first, last, dest int
	scale                          float64
}

func newEngine(r *msRows, k int, keep bool) *engine {
	e := &engine{
		r: r, k: k, keep: keep,
		state:   make([]int, r.nSubj),
		y:       make([]float64, r.nSubj*k),
		pending: make([]float64, r.nSubj*k),
		entered: make([]int, r.nSubj),
		pos:     make([]int, r.nSubj),
		ns:      make([]int, k),
		nev:     make([]int, k),
		ysum:    make([]float64, k*k),
		drift:   make([]float64, k*k),
		phi:     identity(k),
		phiInv:  identity(k),
		m:       make([]float64, k*k),
		h:       make([]float64, k*k),
		c:       make([]float64, k*k),
		scale:   make([]float64, k),
	}
	for i := range e.pos {
		e.pos[i] = -1
	}
	for i := range e.scratch {
		e.scratch[i] = make([]float64, k*k)
	}
	e.atRisk = make([]int, 0, r.nSubj)
	if keep {
		e.spells = make([]spell, 0, len(r.stop))
	}
	return e
}

func identity(k int) []float64 {
	a := make([]float64, k*k)
	for i := range k {
		a[i*k+i] = 1
	}
	return a
}

// initialP returns R's p0: the distribution of the From states of the rows
// at risk at the first transition time (the last time if none).
func (r *msRows) initialP(k int) []float64 {
	t0 := math.Inf(1)
	for i, to := range r.to {
		if to != Censored {
			t0 = math.Min(t0, r.stop[i])
		}
	}
	if math.IsInf(t0, 1) {
		t0 = math.Inf(-1)
		for _, t := range r.stop {
			t0 = math.Max(t0, t)
		}
	}
	p0 := make([]float64, k)
	n := 0
	for i := range r.stop {
		if (r.start == nil || r.start[i] < t0) && r.stop[i] >= t0 {
			p0[r.from[i]]++
			n++
		}
	}
	for j := range p0 {
		p0[j] /= float64(n)
	}
	return p0
}

func (e *engine) run() *StateCurve {
	r, k := e.r, e.k
	n := len(r.stop)
	e.p = r.initialP(k)
	// The rows are in Stop order (sortedByStop), so the blocks of tied
	// times are runs of consecutive rows.
	byStop := make([]int, n)
	for i := range byStop {
		byStop[i] = i
	}
	var byStart []int
	if r.start != nil {
		byStart = order.ByTime(r.start)
	}
	c := &StateCurve{N: r.nSubj, Rows: n, P0: append([]float64(nil), e.p...)}
	c.allocate(k, countDistinct(r.stop, byStop))
	nsteps := 0
	for i, next := 0, 0; i < n; {
		t := r.stop[byStop[i]]
		if byStart == nil {
			for ; next < n; next++ {
				e.enter(next, nsteps)
			}
		} else {
			for ; next < n && r.start[byStart[next]] < t; next++ {
				e.enter(byStart[next], nsteps)
			}
		}
		j := i
		for j < n && r.stop[byStop[j]] == t {
			j++
		}
		block := byStop[i:j]
		moved, ncens := e.count(block)
		if moved {
			e.step(block)
			nsteps++
			if e.keep {
				e.steps = append(e.steps, ajStep{t: t, h: clone(e.h), c: clone(e.c), p: clone(e.p)})
			}
		}
		c.record(e, t, ncens)
		for _, row := range block {
			e.leave(row, moved, nsteps)
		}
		i = j
	}
	return c
}

func clone(a []float64) []float64 { return append([]float64(nil), a...) }

// sortedByStop returns the rows in ascending Stop order (ties in row order)
// with the subjects renumbered in order of their first row there, so that
// the engine reads its per-row and per-subject arrays mostly in sequence.
func (r *msRows) sortedByStop() *msRows {
	n := len(r.stop)
	p := order.ByTime(r.stop)
	s := &msRows{
		stop: make([]float64, n), subj: make([]int, n), from: make([]int, n),
		to: make([]int, n), continues: make([]bool, n), nSubj: r.nSubj,
	}
	if r.start != nil {
		s.start = make([]float64, n)
	}
	relabel := make([]int, r.nSubj)
	for i := range relabel {
		relabel[i] = -1
	}
	next := 0
	for k, i := range p {
		s.stop[k], s.from[k], s.to[k], s.continues[k] = r.stop[i], r.from[i], r.to[i], r.continues[i]
		if r.start != nil {
			s.start[k] = r.start[i]
		}
		if relabel[r.subj[i]] < 0 {
			relabel[r.subj[i]] = next
			next++
		}
		s.subj[k] = relabel[r.subj[i]]
	}
	return s
}

func countDistinct(t []float64, p []int) int {
	m := 0
	for i := range p {
		if i == 0 || t[p[i]] != t[p[i-1]] {
			m++
		}
	}
	return m
}

// enter puts row into the risk set of its From state.
func (e *engine) enter(row, nsteps int) {
	k := e.k
	s, o := e.r.subj[row], e.r.from[row]
	e.state[s] = o
	e.entered[s] = nsteps
	e.pos[s] = len(e.atRisk)
	e.atRisk = append(e.atRisk, s)
	e.ns[o]++
	ys := e.y[s*k : s*k+k]
	u := e.pending[s*k : s*k+k] // zero before the subject's first row
	for col := range k {
		var v float64
		for l := range k {
			v += (u[l] - e.drift[o*k+l]) * e.phiInv[l*k+col]
		}
		ys[col] = v
		e.ysum[o*k+col] += v
	}
}

// influence writes the subject's current U_i (without a pending transition
// term) to dst.
func (e *engine) influence(dst []float64, s int) {
	k := e.k
	o := e.state[s]
	ys := e.y[s*k : s*k+k]
	for col := range k {
		v := e.drift[o*k+col]
		for l := range k {
			v += ys[l] * e.phi[l*k+col]
		}
		dst[col] = v
	}
}

// leave takes row out of the risk set after the time's step.
func (e *engine) leave(row int, moved bool, nsteps int) {
	k := e.k
	s, o, to := e.r.subj[row], e.r.from[row], e.r.to[row]
	u := e.pending[s*k : s*k+k]
	e.influence(u, s)
	if to != Censored {
		u[to] += e.scale[o]
		u[o] -= e.scale[o]
	}
	if e.keep {
		sc := 0.0
		if to != Censored {
			sc = e.scale[o]
		}
		e.spells = append(e.spells, spell{subj: s, state: o, first: e.entered[s] + 1, last: nsteps, dest: to, scale: sc})
	}
	e.ns[o]--
	for col := range k {
		e.ysum[o*k+col] -= e.y[s*k+col]
	}
	last := e.atRisk[len(e.atRisk)-1]
	e.atRisk[e.pos[s]] = last
	e.pos[last] = e.pos[s]
	e.atRisk = e.atRisk[:len(e.atRisk)-1]
	e.pos[s] = -1
	if to != Censored {
		e.state[s] = to
	}
}

// count fills e.h with the transition counts of the rows ending in block
// and reports whether any row has a transition, and the censorings.
func (e *engine) count(block []int) (moved bool, ncens int) {
	clear(e.h)
	clear(e.nev)
	for _, row := range block {
		if to := e.r.to[row]; to != Censored {
			e.h[e.r.from[row]*e.k+to]++
			e.nev[to]++
			moved = true
		} else if !e.r.continues[row] {
			ncens++
		}
	}
	return moved, ncens
}

// step applies the transition matrix of one time: H from the counts in e.h,
// then M, Φ, the drifts and p.
func (e *engine) step(block []int) {
	k := e.k
	h, c := e.h, e.c
	for o := range k {
		row := h[o*k : o*k+k]
		if e.ns[o] == 0 {
			clear(row)
			row[o] = 1
			e.scale[o] = 0
			clear(c[o*k : o*k+k])
			continue
		}
		nj := float64(e.ns[o])
		var tot float64
		for l := range k {
			tot += row[l]
			row[l] /= nj
		}
		row[o] = 1 - tot/nj
		e.scale[o] = e.p[o] / nj
		for l := range k {
			c[o*k+l] = -e.scale[o] * row[l]
		}
		c[o*k+o] += e.scale[o]
	}
	e.updateM(block)
	tmp := e.scratch[0]
	matMulTo(tmp, e.phi, h, k)
	e.phi, e.scratch[0] = tmp, e.phi
	for o := range k {
		d := vecMatTo(e.scratch[1][:k], e.drift[o*k:o*k+k], h, k)
		for l := range k {
			e.drift[o*k+l] = d[l] + c[o*k+l]
		}
	}
	copy(e.p, vecMatTo(e.scratch[1][:k], e.p, h, k))
	hinv, ok := invert(h, k)
	if ok {
		tmp := e.scratch[0]
		matMulTo(tmp, hinv, e.phiInv, k)
		e.phiInv, e.scratch[0] = tmp, e.phiInv
	}
	if !ok || maxAbs(e.phiInv) > rebaseAt {
		e.rebase()
	}
}

// updateM carries M = Σ_i U_iᵀU_i over one step (before Φ and the drifts
// move on).
func (e *engine) updateM(block []int) {
	k := e.k
	y, a := e.scratch[2], e.scratch[3] // Σ U_i(t-)ᵀ a_i, Σ a_iᵀ a_i
	clear(y)
	clear(a)
	g, u, delta, gv := e.scratch[4][:k], e.scratch[5][:k], e.scratch[6][:k], e.scratch[7][:k]
	for o := range k {
		if e.ns[o] == 0 {
			continue
		}
		co := e.c[o*k : o*k+k]
		no := float64(e.ns[o])
		vecMatTo(gv, e.ysum[o*k:o*k+k], e.phi, k)
		for l := range k {
			g[l] = gv[l] + no*e.drift[o*k+l]
		}
		addOuter(y, g, co, 1)
		addOuter(a, co, co, no)
	}
	for _, row := range block {
		to := e.r.to[row]
		if to == Censored {
			continue
		}
		s, o := e.r.subj[row], e.r.from[row]
		e.influence(u, s)
		clear(delta)
		delta[to], delta[o] = e.scale[o], -e.scale[o]
		co := e.c[o*k : o*k+k]
		addOuter(y, u, delta, 1)
		addOuter(a, co, delta, 1)
		addOuter(a, delta, co, 1)
		addOuter(a, delta, delta, 1)
	}
	// M ← Hᵀ M H + Hᵀ Y + Yᵀ H + A, with (HᵀX)_ij = Σ_l H_li X_lj.
	h := e.h
	mh := matMulTo(e.scratch[4], e.m, h, k) // g, u, delta, gv are done with
	for i := range k {
		for j := range k {
			var hmh, hy float64
			for l := range k {
				hmh += h[l*k+i] * mh[l*k+j]
				hy += h[l*k+i]*y[l*k+j] + y[l*k+i]*h[l*k+j]
			}
			e.m[i*k+j] = hmh + hy + a[i*k+j]
		}
	}
}

// rebase makes the current time the base: y_i = U_i, Φ = I, C_o = 0.
func (e *engine) rebase() {
	k := e.k
	u := make([]float64, k)
	clear(e.ysum)
	for _, s := range e.atRisk {
		e.influence(u, s)
		copy(e.y[s*k:s*k+k], u)
		o := e.state[s]
		for l := range k {
			e.ysum[o*k+l] += u[l]
		}
	}
	e.phi, e.phiInv = identity(k), identity(k)
	clear(e.drift)
}

func (c *StateCurve) allocate(k, m int) {
	c.Time = make([]float64, 0, m)
	c.NCensor = make([]int, 0, m)
	c.NRisk, c.NEvent = make([][]int, k), make([][]int, k)
	c.PState, c.StdErr = make([][]float64, k), make([][]float64, k)
	for j := range k {
		c.NRisk[j] = make([]int, 0, m)
		c.NEvent[j] = make([]int, 0, m)
		c.PState[j] = make([]float64, 0, m)
		c.StdErr[j] = make([]float64, 0, m)
	}
}

// record appends the estimate at time t.
func (c *StateCurve) record(e *engine, t float64, ncens int) {
	k := e.k
	c.Time = append(c.Time, t)
	c.NCensor = append(c.NCensor, ncens)
	for j := range k {
		c.NRisk[j] = append(c.NRisk[j], e.ns[j])
		c.PState[j] = append(c.PState[j], e.p[j])
		c.StdErr[j] = append(c.StdErr[j], math.Sqrt(math.Max(e.m[j*k+j], 0)))
	}
	for j := range k {
		c.NEvent[j] = append(c.NEvent[j], e.nev[j])
	}
}

func (c *StateCurve) setLimits(z float64) {
	k := len(c.PState)
	c.Lower, c.Upper = make([][]float64, k), make([][]float64, k)
	for j := range k {
		c.Lower[j] = make([]float64, len(c.Time))
		c.Upper[j] = make([]float64, len(c.Time))
		for i, p := range c.PState[j] {
			c.Lower[j][i], c.Upper[j][i] = confLimits(c.ConfType, z, p, c.StdErr[j][i])
		}
	}
}
