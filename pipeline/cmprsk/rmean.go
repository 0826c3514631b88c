package cmprsk

import "math"

// restrictedMean integrates the occupation probabilities and the subjects'
// influence over [0, tau], from the steps and spells kept by the run.
//
// With transition times t_1 < … < t_m, ℓ_k the length of [t_k, t_{k+1})
// inside [0, tau] and W_k = ∫_{t_k}^{tau} P(t_k, t) dt (P the product of the
// transition matrices after t_k), computed backwards as
//
//	W_m = ℓ_m I,   W_k = ℓ_k I + H(t_{k+1}) W_{k+1},
//
// a subject's integrated influence is Σ_k a_i(t_k) W_k: a prefix sum per
// state over each stay, plus the transition term of its last step.
func (e *engine) restrictedMean(c *StateCurve, tau float64) RestrictedMean {
	k, m := e.k, len(e.steps)
	mean := make([]float64, k)
	first := tau
	if m > 0 {
		first = math.Min(e.steps[0].t, tau)
	}
	for j := range k {
		mean[j] = c.P0[j] * math.Max(first, 0)
	}
	lens := make([]float64, m)
	for s, st := range e.steps {
		next := math.Inf(1)
		if s+1 < m {
			next = e.steps[s+1].t
		}
		lens[s] = math.Max(math.Min(next, tau)-math.Max(st.t, 0), 0)
		for j := range k {
			mean[j] += lens[s] * st.p[j]
		}
	}
	w := make([][]float64, m)
	for s := m - 1; s >= 0; s-- {
		if s == m-1 {
			w[s] = make([]float64, k*k)
		} else {
			w[s] = matMul(e.steps[s+1].h, w[s+1], k)
		}
		for j := range k {
			w[s][j*k+j] += lens[s]
		}
	}
	// cum[s][o*k:o*k+k] = Σ_{r <= s} c_o(t_r) W_r, s = 0 … m (1-based steps).
	cum := make([][]float64, m+1)
	cum[0] = make([]float64, k*k)
	for s := 1; s <= m; s++ {
		cum[s] = clone(cum[s-1])
		for o := range k {
			add := vecMat(e.steps[s-1].c[o*k:o*k+k], w[s-1], k)
			for l := range k {
				cum[s][o*k+l] += add[l]
			}
		}
	}
	z := make([]float64, e.r.nSubj*k)
	delta := make([]float64, k)
	for _, sp := range e.spells {
		if sp.last < sp.first {
			continue
		}
		zs := z[sp.subj*k : sp.subj*k+k]
		o := sp.state
		for l := range k {
			zs[l] += cum[sp.last][o*k+l] - cum[sp.first-1][o*k+l]
		}
		if sp.dest != Censored {
			clear(delta)
			delta[sp.dest], delta[o] = sp.scale, -sp.scale
			add := vecMat(delta, w[sp.last-1], k)
			for l := range k {
				zs[l] += add[l]
			}
		}
	}
	se := make([]float64, k)
	for s := range e.r.nSubj {
		for l := range k {
			se[l] += z[s*k+l] * z[s*k+l]
		}
	}
	for l := range se {
		se[l] = math.Sqrt(se[l])
	}
	return RestrictedMean{Tau: tau, Mean: mean, SE: se}
}
