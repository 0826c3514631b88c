package newton

import (
	"errors"
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/floats/scalar"
	"gonum.org/v1/gonum/mat"
)

// poisson returns the log-likelihood of a Poisson regression of counts y on
// the design x (column-major), with log link: l = sum y eta - exp(eta).
func poisson(y []float64, x [][]float64) Func {
	return func(b, grad, info, _ []float64) float64 {
		p := len(b)
		var l float64
		for i := range y {
			var eta float64
			for j := range p {
				eta += b[j] * x[j][i]
			}
			mu := math.Exp(eta)
			l += y[i]*eta - mu
			for j := range p {
				grad[j] += (y[i] - mu) * x[j][i]
				for k := range p {
					info[j*p+k] += mu * x[j][i] * x[k][i]
				}
			}
		}
		return l
	}
}

// TestPoissonClosedForm checks the estimate against the closed form of a
// two-group Poisson regression: intercept log(mean of group 0), slope
// log(mean1/mean0); variances 1/sum(y0) and 1/sum(y0) + 1/sum(y1).
func TestPoissonClosedForm(t *testing.T) {
	y := []float64{2, 3, 0, 4, 7, 5, 9, 6}
	g := []float64{0, 0, 0, 0, 1, 1, 1, 1}
	one := []float64{1, 1, 1, 1, 1, 1, 1, 1}
	sum0, sum1 := 9.0, 27.0
	want := []float64{math.Log(sum0 / 4), math.Log(sum1 / sum0)}
	wantVar := []float64{1 / sum0, -1 / sum0, -1 / sum0, 1/sum0 + 1/sum1}
	for _, bt := range []Backtrack{Halve, Third} {
		res, err := Maximize(poisson(y, [][]float64{one, g}), []float64{0, 0}, Settings{Backtrack: bt, Eps: 1e-12})
		if err != nil {
			t.Fatal(err)
		}
		if !res.Converged || res.Rank != 2 || !res.NonNegative {
			t.Fatalf("backtrack %d: converged %v rank %d nonneg %v", bt, res.Converged, res.Rank, res.NonNegative)
		}
		for j := range want {
			if !scalar.EqualWithinAbsOrRel(res.X[j], want[j], 1e-10, 1e-10) {
				t.Errorf("backtrack %d: coef %d = %v, want %v", bt, j, res.X[j], want[j])
			}
		}
		for k := range wantVar {
			if !scalar.EqualWithinAbsOrRel(res.Cov[k], wantVar[k], 1e-8, 1e-8) {
				t.Errorf("backtrack %d: cov[%d] = %v, want %v", bt, k, res.Cov[k], wantVar[k])
			}
		}
		if math.Abs(res.Grad[0]) > 1e-6 || math.Abs(res.Grad[1]) > 1e-6 {
			t.Errorf("gradient at estimate %v", res.Grad)
		}
	}
}

// TestRedundant duplicates a column: its step and variance are zero, the rank
// drops, and the fit of the other columns is unchanged.
func TestRedundant(t *testing.T) {
	y := []float64{2, 3, 0, 4, 7, 5, 9, 6}
	g := []float64{0, 0, 0, 0, 1, 1, 1, 1}
	one := []float64{1, 1, 1, 1, 1, 1, 1, 1}
	res, err := Maximize(poisson(y, [][]float64{one, g, g}), []float64{0, 0, 0}, Settings{})
	if err != nil {
		t.Fatal(err)
	}
	if res.Rank != 2 || res.Redundant[0] || res.Redundant[1] || !res.Redundant[2] {
		t.Fatalf("rank %d redundant %v", res.Rank, res.Redundant)
	}
	if res.X[2] != 0 {
		t.Errorf("redundant coefficient moved: %v", res.X[2])
	}
	for j := range 3 {
		if res.Cov[2*3+j] != 0 || res.Cov[j*3+2] != 0 {
			t.Errorf("cov row/column of redundant term not zero: %v", res.Cov)
		}
	}
	if !scalar.EqualWithinAbsOrRel(res.X[1], math.Log(3), 1e-8, 1e-8) {
		t.Errorf("slope %v, want log 3", res.X[1])
	}
}

// l(x) = -sqrt(1 + x^2): a pure Newton step from |x| > 1 overshoots
// (x - x(1+x^2)), so the maximum at 0 is reached only by backing off.
func overshoot(x, grad, info, _ []float64) float64 {
	r := math.Sqrt(1 + x[0]*x[0])
	grad[0] = -x[0] / r
	info[0] = 1 / (r * r * r)
	return -r
}

func TestBacktrack(t *testing.T) {
	for _, test := range []struct {
		bt  Backtrack
		x0  float64
		max int
	}{
		{Halve, 2, 30}, {Third, 2, 30}, {Halve, 5, 50}, {Third, -5, 50},
	} {
		res, err := Maximize(overshoot, []float64{test.x0}, Settings{Backtrack: test.bt, MaxIter: test.max, Eps: 1e-14})
		if err != nil {
			t.Fatal(err)
		}
		if !res.Converged || math.Abs(res.X[0]) > 1e-6 || res.LogLik != -math.Sqrt(1+res.X[0]*res.X[0]) {
			t.Errorf("%+v: converged %v x %v loglik %v after %d", test, res.Converged, res.X[0], res.LogLik, res.Iterations)
		}
	}
}

// TestNotConverged stops after one iteration of the overshooting problem:
// the estimate is the last improving point, not the failed trial.
func TestNotConverged(t *testing.T) {
	res, err := Maximize(overshoot, []float64{2}, Settings{MaxIter: 1})
	if err != nil {
		t.Fatal(err)
	}
	if res.Converged || res.Iterations != 1 {
		t.Fatalf("converged %v iterations %d", res.Converged, res.Iterations)
	}
	if res.X[0] != 2 || res.LogLik != -math.Sqrt(5) {
		t.Errorf("x %v loglik %v, want the start 2, -sqrt(5)", res.X[0], res.LogLik)
	}
	if !scalar.EqualWithinAbsOrRel(res.Grad[0], -2/math.Sqrt(5), 1e-15, 1e-15) {
		t.Errorf("gradient %v not re-evaluated at the estimate", res.Grad[0])
	}
}

// TestLogScale: at the first failure a log-scale component drops at most 1.1
// below its last good value.
func TestLogScale(t *testing.T) {
	var tried []float64
	f := func(x, grad, info, _ []float64) float64 {
		tried = append(tried, x[0])
		// Newton from 0 jumps to -10; the maximum is at -1.
		if x[0] < -3 {
			return math.Inf(-1)
		}
		grad[0] = -(x[0] + 1)
		info[0] = 0.1
		return -(x[0] + 1) * (x[0] + 1) / 2
	}
	_, err := Maximize(f, []float64{0}, Settings{Backtrack: Third, LogScale: []int{0}})
	if err != nil {
		t.Fatal(err)
	}
	if len(tried) < 3 || tried[1] != -10 || tried[2] != -1.1 {
		t.Errorf("trial points %v, want 0, -10, -1.1, ...", tried[:min(len(tried), 3)])
	}
}

// TestFallback: with an indefinite information the step uses the fallback.
func TestFallback(t *testing.T) {
	var fallbackUsed bool
	f := func(x, grad, info, fallback []float64) float64 {
		// A deliberately wrong (negative) information far from the
		// maximum of -(x-1)^2.
		d := x[0] - 1
		grad[0] = -2 * d
		info[0] = 2
		if math.Abs(d) > 0.5 {
			info[0] = -2
		}
		if fallback != nil {
			if math.Abs(d) <= 0.5 {
				t.Errorf("fallback requested at x = %v, where the information is positive", x[0])
			}
			fallback[0] = 2
			fallbackUsed = true
		}
		return -d * d
	}
	res, err := Maximize(f, []float64{-3}, Settings{UseFallback: true})
	if err != nil {
		t.Fatal(err)
	}
	if !fallbackUsed || !res.Converged || math.Abs(res.X[0]-1) > 1e-9 {
		t.Errorf("fallback %v converged %v x %v", fallbackUsed, res.Converged, res.X[0])
	}
}

// In R 4.2.2: sprintf("%.17g", .Machine$double.eps^0.75) is
// "1.8189894035458565e-12" and .Machine$double.eps^0.75 == 2^-39 is TRUE
// (Go's math.Pow is one ulp off).
func TestDefaultTolChol(t *testing.T) {
	var got, want float64 = DefaultTolChol, 1.8189894035458565e-12
	if got != want {
		t.Errorf("DefaultTolChol = %.17g, want R's .Machine$double.eps^0.75 = 1.8189894035458565e-12", DefaultTolChol)
	}
}

func TestErrStart(t *testing.T) {
	f := func(x, grad, info, _ []float64) float64 { return math.NaN() }
	if _, err := Maximize(f, []float64{1}, Settings{}); !errors.Is(err, ErrStart) {
		t.Errorf("err = %v, want ErrStart", err)
	}
}

func TestPanics(t *testing.T) {
	for _, test := range []struct {
		name string
		x0   []float64
		s    Settings
	}{
		{"no parameters", nil, Settings{}},
		{"negative MaxIter", []float64{0}, Settings{MaxIter: -1}},
		{"negative Eps", []float64{0}, Settings{Eps: -1}},
		{"NaN TolChol", []float64{0}, Settings{TolChol: math.NaN()}},
		{"LogScale range", []float64{0}, Settings{LogScale: []int{1}}},
	} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("%s: no panic", test.name)
				}
			}()
			Maximize(overshoot, test.x0, test.s)
		}()
	}
}

// TestLDLInverse compares LDLInverse with gonum's inverse on random
// positive definite matrices, and LDLSolve with the solution of the system.
func TestLDLInverse(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 1))
	for _, p := range []int{1, 2, 5, 9} {
		a := mat.NewDense(p+3, p, nil)
		for i := range p + 3 {
			for j := range p {
				a.Set(i, j, rng.NormFloat64())
			}
		}
		var m mat.SymDense
		m.SymOuterK(1, a.T())
		flat := make([]float64, p*p)
		for i := range p {
			for j := range p {
				flat[i*p+j] = m.At(i, j)
			}
		}
		var want mat.Dense
		if err := want.Inverse(&m); err != nil {
			t.Fatal(err)
		}
		f := append([]float64(nil), flat...)
		rank, nonNeg := LDL(f, p, DefaultTolChol)
		if rank != p || !nonNeg {
			t.Fatalf("p=%d: rank %d nonneg %v", p, rank, nonNeg)
		}
		inv := make([]float64, p*p)
		LDLInverse(inv, f, make([]float64, p*p), p)
		y := make([]float64, p)
		for i := range y {
			y[i] = rng.NormFloat64()
		}
		b := append([]float64(nil), y...)
		LDLSolve(f, p, b)
		for i := range p {
			var s float64
			for j := range p {
				if !scalar.EqualWithinAbsOrRel(inv[i*p+j], want.At(i, j), 1e-9, 1e-9) {
					t.Errorf("p=%d: inv[%d,%d] = %v, want %v", p, i, j, inv[i*p+j], want.At(i, j))
				}
				s += flat[i*p+j] * b[j]
			}
			if !scalar.EqualWithinAbsOrRel(s, y[i], 1e-9, 1e-9) {
				t.Errorf("p=%d: (A b)[%d] = %v, want %v", p, i, s, y[i])
			}
		}
	}
}

// TestLDLIndefinite: a clearly negative pivot is reported, as cholesky2's
// negative rank.
func TestLDLIndefinite(t *testing.T) {
	m := []float64{1, 2, 2, 1} // eigenvalues 3 and -1
	rank, nonNeg := LDL(m, 2, DefaultTolChol)
	if nonNeg || rank != 1 {
		t.Errorf("rank %d nonneg %v, want 1 false", rank, nonNeg)
	}
}

// TestMaximizeAllocs: the iterations allocate nothing; the allocations are
// the fixed set-up and result buffers, whatever the number of iterations.
func TestMaximizeAllocs(t *testing.T) {
	few := testing.AllocsPerRun(10, func() { Maximize(overshoot, []float64{0.5}, Settings{Eps: 1e-14}) })
	many := testing.AllocsPerRun(10, func() { Maximize(overshoot, []float64{5}, Settings{Eps: 1e-14, MaxIter: 50}) })
	if few != many {
		t.Errorf("allocations depend on the iterations: %v vs %v", few, many)
	}
}
