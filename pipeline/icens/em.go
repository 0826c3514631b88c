package icens

import "math"

// emWork holds the scratch space of the EM iteration.
type emWork struct {
	prefix []float64 // prefix[j] = sum_{k<j} p_k
	deriv  []float64 // d_j, built from a difference array
}

// evaluation is what one pass over the runs gives at masses p.
type evaluation struct {
	loglik float64 // sum_i log P_i
	gap    float64 // max_j d_j/N - 1
	step   float64 // max_j p_j |d_j/N - 1|
}

// runMass returns P = sum of p over intervals a..b, directly for short runs
// and from the prefix sums otherwise.
func (w *emWork) runMass(p []float64, a, b int32) float64 {
	if b-a < 8 {
		s := 0.0
		for j := a; j <= b; j++ {
			s += p[j]
		}
		return s
	}
	return w.prefix[b+1] - w.prefix[a]
}

// em evaluates the log-likelihood and its derivatives at p and writes the
// EM update p_j d_j / N (renormalised) to dst, which may not be p.
func (pr *problem) em(w *emWork, dst, p []float64) evaluation {
	m := len(p)
	w.prefix[0] = 0
	for j, x := range p {
		w.prefix[j+1] = w.prefix[j] + x
	}
	clear(w.deriv)
	var ev evaluation
	for k, a := range pr.runFirst {
		b := pr.runLast[k]
		mass := w.runMass(p, a, b)
		wt := pr.runWeight[k]
		ev.loglik += wt * math.Log(mass)
		w.deriv[a] += wt / mass
		w.deriv[b+1] -= wt / mass
	}
	n := float64(pr.n)
	d, sum := 0.0, 0.0
	ev.gap = math.Inf(-1)
	for j := range m {
		d += w.deriv[j]
		r := d/n - 1
		ev.gap = max(ev.gap, r)
		ev.step = max(ev.step, p[j]*math.Abs(r))
		dst[j] = p[j] * d / n
		sum += dst[j]
	}
	for j := range dst {
		dst[j] /= sum
	}
	return ev
}

// loglik is the log-likelihood at p.
func (pr *problem) loglik(w *emWork, p []float64) float64 {
	w.prefix[0] = 0
	for j, x := range p {
		w.prefix[j+1] = w.prefix[j] + x
	}
	ll := 0.0
	for k, a := range pr.runFirst {
		ll += pr.runWeight[k] * math.Log(w.runMass(p, a, pr.runLast[k]))
	}
	return ll
}

// startMasses returns R's starting point: masses proportional to the number
// of observations containing each interval.
func (pr *problem) startMasses() []float64 {
	m := len(pr.lower)
	diff := make([]float64, m+1)
	for k, a := range pr.runFirst {
		diff[a] += pr.runWeight[k]
		diff[pr.runLast[k]+1] -= pr.runWeight[k]
	}
	p := make([]float64, m)
	c, sum := 0.0, 0.0
	for j := range p {
		c += diff[j]
		p[j] = c
		sum += c
	}
	for j := range p {
		p[j] /= sum
	}
	return p
}

// fit runs the accelerated EM iteration and returns the estimate.
func (pr *problem) fit(opt Options) *NPMLE {
	m := len(pr.lower)
	w := &emWork{prefix: make([]float64, m+1), deriv: make([]float64, m+1)}
	p0 := pr.startMasses()
	p1 := make([]float64, m)
	p2 := make([]float64, m)
	next := make([]float64, m)
	f := &NPMLE{N: pr.n, Counts: pr.counts, Lower: pr.lower, Upper: pr.upper,
		first: pr.first, last: pr.last, Status: NotConverged}
	for {
		ev0 := pr.em(w, p1, p0)
		f.Iterations++
		f.LogLik, f.Gap = ev0.loglik, ev0.gap
		if ev0.gap <= opt.Tol && ev0.step <= opt.Tol {
			f.Status = Converged
			break
		}
		if f.Iterations >= opt.MaxIter {
			break
		}
		ev1 := pr.em(w, p2, p1)
		f.Iterations++
		if f.Iterations >= opt.MaxIter {
			copy(p0, p2)
			ev := pr.em(w, p1, p0)
			f.LogLik, f.Gap = ev.loglik, ev.gap
			break
		}
		f.Iterations += pr.squarem(w, next, p0, p1, p2, ev1.loglik)
		p0, next = next, p0
	}
	f.Mass = p0
	f.Surv = survAfter(p0)
	if f.Counts.Right == pr.n {
		f.Status = NoEvents
	}
	return f
}

// squarem writes to dst the SQUAREM extrapolation from p0 and its two EM
// successors p1, p2 (Varadhan & Roland 2008, S3), falling back towards p2
// until the masses are positive and the log-likelihood is at least ll1,
// that of p1. It returns the number of log-likelihood evaluations.
func (pr *problem) squarem(w *emWork, dst, p0, p1, p2 []float64, ll1 float64) int {
	var rr, vv float64
	for j := range p0 {
		r := p1[j] - p0[j]
		v := p2[j] - 2*p1[j] + p0[j]
		rr += r * r
		vv += v * v
	}
	alpha := -1.0
	if vv > 0 {
		alpha = min(-math.Sqrt(rr/vv), -1)
	}
	evals := 0
	for alpha < -1 {
		ok, sum := true, 0.0
		for j := range p0 {
			r := p1[j] - p0[j]
			v := p2[j] - 2*p1[j] + p0[j]
			dst[j] = p0[j] - 2*alpha*r + alpha*alpha*v
			if !(dst[j] > 0) {
				ok = false
				break
			}
			sum += dst[j]
		}
		if ok {
			for j := range dst {
				dst[j] /= sum
			}
			evals++
			if pr.loglik(w, dst) >= ll1 {
				return evals
			}
		}
		alpha = (alpha - 1) / 2
		if alpha > -1.01 {
			break
		}
	}
	copy(dst, p2)
	return evals
}

// survAfter returns S after each interval, sum_{k>j} p_k, summed from the
// right so that small tail probabilities keep their precision.
func survAfter(p []float64) []float64 {
	s := make([]float64, len(p))
	acc := 0.0
	for j := len(p) - 1; j >= 0; j-- {
		s[j] = acc
		acc += p[j]
	}
	return s
}
