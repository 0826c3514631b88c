package cure

import "math"

// problem holds the data of a fit in the layout the likelihood needs and the
// buffers reused by every evaluation. The parameter vector is
//
//	θ = (γ_0, γ_1, …, γ_pz, β_0, β_1, …, β_px, log σ)
//
// with γ_0 and β_0 the intercepts; z[0] and x[0] are columns of ones.
type problem struct {
	dist  Distribution
	logt  []float64
	event []bool
	z, x  [][]float64 // column-major designs, intercept first

	// Per-subject buffers: linear predictors and derivative weights.
	a, eta                  []float64
	wa, we, ws              []float64
	waa, wae, was, wee, wes []float64
	wss                     []float64
}

func newProblem(dist Distribution, time []float64, event []bool, z, x [][]float64) *problem {
	n := len(time)
	p := &problem{dist: dist, logt: make([]float64, n), event: event}
	for i, t := range time {
		p.logt[i] = math.Log(t)
	}
	ones := make([]float64, n)
	for i := range ones {
		ones[i] = 1
	}
	p.z = append([][]float64{ones}, z...)
	p.x = append([][]float64{ones}, x...)
	bufs := []*[]float64{&p.a, &p.eta, &p.wa, &p.we, &p.ws, &p.waa, &p.wae, &p.was, &p.wee, &p.wes, &p.wss}
	for _, b := range bufs {
		*b = make([]float64, n)
	}
	return p
}

// dim returns the number of parameters.
func (p *problem) dim() int { return len(p.z) + len(p.x) + 1 }

// predictors fills p.a and p.eta from θ and returns log σ.
func (p *problem) predictors(theta []float64) float64 {
	pz := len(p.z)
	linear(p.a, p.z, theta[:pz])
	linear(p.eta, p.x, theta[pz:pz+len(p.x)])
	return theta[len(theta)-1]
}

// linear sets dst = sum_j coef[j] cols[j].
func linear(dst []float64, cols [][]float64, coef []float64) {
	clear(dst)
	for j, col := range cols {
		c := coef[j]
		for i, v := range col {
			dst[i] += c * v
		}
	}
}

// logLik returns the log-likelihood at θ.
func (p *problem) logLik(theta []float64) float64 {
	s := p.predictors(theta)
	sigma := math.Exp(s)
	var ll sum
	for i, lt := range p.logt {
		ll.add(subject(p.dist, p.event[i], lt, p.a[i], p.eta[i], s, sigma, false, false).l)
	}
	return ll.value()
}

// derivatives returns the log-likelihood at θ and writes its gradient to
// grad and, when hess is not nil, its Hessian (row-major, dim × dim) to
// hess. It costs O(n dim²).
func (p *problem) derivatives(theta, grad, hess []float64) float64 {
	s := p.predictors(theta)
	sigma := math.Exp(s)
	second := hess != nil
	var ll sum
	var gs, hss float64
	for i, lt := range p.logt {
		d := subject(p.dist, p.event[i], lt, p.a[i], p.eta[i], s, sigma, true, second)
		ll.add(d.l)
		p.wa[i], p.we[i] = d.a, d.e
		gs += d.s
		if second {
			p.waa[i], p.wae[i], p.was[i] = d.aa, d.ae, d.as
			p.wee[i], p.wes[i] = d.ee, d.es
			hss += d.ss
		}
	}
	pz, px := len(p.z), len(p.x)
	last := pz + px
	for j, col := range p.z {
		grad[j] = dot(p.wa, col)
	}
	for j, col := range p.x {
		grad[pz+j] = dot(p.we, col)
	}
	grad[last] = gs
	if !second {
		return ll.value()
	}
	dim := last + 1
	set := func(i, j int, v float64) { hess[i*dim+j], hess[j*dim+i] = v, v }
	for j := range p.z {
		for k := j; k < pz; k++ {
			set(j, k, dot3(p.waa, p.z[j], p.z[k]))
		}
		for k := range p.x {
			set(j, pz+k, dot3(p.wae, p.z[j], p.x[k]))
		}
		set(j, last, dot(p.was, p.z[j]))
	}
	for j := range p.x {
		for k := j; k < px; k++ {
			set(pz+j, pz+k, dot3(p.wee, p.x[j], p.x[k]))
		}
		set(pz+j, last, dot(p.wes, p.x[j]))
	}
	hess[last*dim+last] = hss
	return ll.value()
}

// sum is a compensated (Kahan–Babuška–Neumaier) sum: the log-likelihood of
// a million subjects is exact to a few ulps of |ℓ| rather than to about
// sqrt(n) of them, which the step acceptance in maximise relies on.
type sum struct{ s, c float64 }

func (k *sum) add(x float64) {
	t := k.s + x
	if math.Abs(k.s) >= math.Abs(x) {
		k.c += (k.s - t) + x
	} else {
		k.c += (x - t) + k.s
	}
	k.s = t
}

func (k *sum) value() float64 { return k.s + k.c }

func dot(a, b []float64) float64 {
	var s float64
	for i, v := range a {
		s += v * b[i]
	}
	return s
}

func dot3(w, a, b []float64) float64 {
	var s float64
	for i, v := range w {
		s += v * a[i] * b[i]
	}
	return s
}
