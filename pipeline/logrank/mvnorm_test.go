package logrank

import (
	"math"
	"testing"

	"gonum.org/v1/gonum/floats/scalar"
)

// TestGK21 checks the Gauss–Kronrod constants: the Kronrod rule integrates
// x^p exactly over [-1, 1] for p <= 31 and the Gauss rule for p <= 19.
func TestGK21(t *testing.T) {
	for p := 0; p <= 31; p++ {
		want := 0.0
		if p%2 == 0 {
			want = 2 / float64(p+1)
		}
		// Shift to [0, 2] so that odd powers are tested too.
		f := func(x float64) float64 { return math.Pow(x-1, float64(p)) }
		k, diff := gk21(f, 0, 2)
		if !scalar.EqualWithinAbs(k, want, 1e-14) {
			t.Errorf("Kronrod ∫x^%d = %.17g, want %.17g", p, k, want)
		}
		if p <= 19 && diff > 1e-14 {
			t.Errorf("Gauss ∫x^%d differs from Kronrod by %g", p, diff)
		}
	}
}

// TestRectangleProbMatchesR compares with testdata/mvnorm_reference.csv:
//
//	pmvnorm(lower, upper, corr = R, algorithm = Miwa(steps = 4096))
//
// (mvtnorm 1.1.3; checked there against GenzBretz with abseps 1e-9) for
// independent, equicorrelated (0.6, 0.999, 0.7 with bounds ±4.5), one-sided
// and mixed cases. Absolute tolerance 1e-9.
func TestRectangleProbMatchesR(t *testing.T) {
	keys, ref := referenceGroups(t, "mvnorm_reference.csv", "case")
	if len(keys) != 6 {
		t.Fatalf("%d cases, want 6", len(keys))
	}
	for _, key := range keys {
		t.Run(key, func(t *testing.T) {
			corr := [][]float64{make([]float64, 4), make([]float64, 4), make([]float64, 4), make([]float64, 4)}
			lower, upper := make([]float64, 4), make([]float64, 4)
			var want float64
			for _, r := range ref[key] {
				v := math.Inf(1)
				switch r["value"] {
				case "-Inf":
					v = math.Inf(-1)
				case "Inf":
				default:
					v = r.Float(t, "value")
				}
				switch r["quantity"] {
				case "corr":
					corr[r.Int(t, "i")][r.Int(t, "j")] = v
				case "lower":
					lower[r.Int(t, "i")] = v
				case "upper":
					upper[r.Int(t, "i")] = v
				case "p":
					want = v
				}
			}
			got, est, ok := rectangleProb(corr, lower, upper)
			if !ok {
				t.Errorf("not converged (error estimate %g)", est)
			}
			if !scalar.EqualWithinAbs(got, want, 1e-9) {
				t.Errorf("P = %.15g, R %.15g (difference %.2g, error estimate %.2g)", got, want, got-want, est)
			}
			t.Logf("P = %.15g, R %.15g, difference %.2g, error estimate %.2g", got, want, got-want, est)
		})
	}
}

// TestRectangleProbSingular checks degenerate variables: a duplicated
// variable and an exact linear combination do not change a probability
// known in closed form.
func TestRectangleProbSingular(t *testing.T) {
	phi := func(x float64) float64 { return math.Erfc(-x/math.Sqrt2) / 2 }
	for i, test := range []struct {
		corr         [][]float64
		lower, upper []float64
		want         float64
	}{
		// Z2 = Z1: P(|Z1| < 1.5).
		{[][]float64{{1, 1}, {1, 1}}, []float64{-1.5, -1.5}, []float64{1.5, 1.5}, phi(1.5) - phi(-1.5)},
		// Z2 = -Z1 one-sided: P(Z1 < 1, -Z1 < 2) = Φ(1) − Φ(−2).
		{[][]float64{{1, -1}, {-1, 1}}, []float64{math.Inf(-1), math.Inf(-1)}, []float64{1, 2}, phi(1) - phi(-2)},
		// Z1, Z2 independent, Z3 = (Z1+Z2)/√2 unconstrained: Φ(1)².
		{[][]float64{{1, 0, 1 / math.Sqrt2}, {0, 1, 1 / math.Sqrt2}, {1 / math.Sqrt2, 1 / math.Sqrt2, 1}},
			[]float64{math.Inf(-1), math.Inf(-1), math.Inf(-1)}, []float64{1, 1, math.Inf(1)}, phi(1) * phi(1)},
		// Z1, Z2 independent, Z3 = (Z1-Z2)/√2 <= 0 and Z1, Z2 <= 0: by
		// symmetry half of the negative quadrant, 1/8.
		{[][]float64{{1, 0, 1 / math.Sqrt2}, {0, 1, -1 / math.Sqrt2}, {1 / math.Sqrt2, -1 / math.Sqrt2, 1}},
			[]float64{math.Inf(-1), math.Inf(-1), math.Inf(-1)}, []float64{0, 0, 0}, 0.125},
	} {
		got, _, ok := rectangleProb(test.corr, test.lower, test.upper)
		if !ok || !scalar.EqualWithinAbs(got, test.want, 1e-10) {
			t.Errorf("case %d: P = %.15g (converged %v), want %.15g", i, got, ok, test.want)
		}
	}
}
