package cox

import (
	"fmt"
	"math"
	"math/rand/v2"
	"reflect"
	"runtime"
	"testing"
)

// simulate returns n subjects with p = 4 covariates (an arm indicator, two
// normals and a binary), exponential event times rounded up to whole days (so
// with many ties) and uniform censoring, from a seeded PCG.
func simulate(n int) (time []float64, event []bool, x [][]float64, names []string) {
	rng := rand.New(rand.NewPCG(2026, uint64(n)))
	time = make([]float64, n)
	event = make([]bool, n)
	x = make([][]float64, 4)
	for j := range x {
		x[j] = make([]float64, n)
	}
	for i := range n {
		x[0][i] = float64(rng.IntN(2))
		x[1][i] = rng.NormFloat64()
		x[2][i] = 45 + 12*rng.NormFloat64()
		x[3][i] = float64(rng.IntN(2))
		lin := 0.5*x[0][i] + 0.3*x[1][i] + 0.02*(x[2][i]-45) - 0.2*x[3][i]
		t := math.Ceil(rng.ExpFloat64() * 30 / math.Exp(lin))
		c := float64(1 + rng.IntN(90))
		time[i], event[i] = math.Min(t, c), t <= c
	}
	return time, event, x, []string{"ARM", "Z", "AGE", "SEX"}
}

// benchSizes are the benchmark sizes: 1e3 to 1e7 rows, without 1e7 under
// -short.
func benchSizes() []int {
	if testing.Short() {
		return []int{1e3, 1e4, 1e5, 1e6}
	}
	return []int{1e3, 1e4, 1e5, 1e6, 1e7}
}

// withEntry returns entry times for simulate's data: half the rows enter
// at a uniform fraction of their time (seeded PCG).
func withEntry(time []float64) []float64 {
	rng := rand.New(rand.NewPCG(7, uint64(len(time))))
	entry := make([]float64, len(time))
	for i, t := range time {
		if rng.IntN(2) == 1 {
			entry[i] = math.Floor(rng.Float64() * t)
		}
	}
	for i := range entry {
		if entry[i] >= time[i] {
			entry[i] = 0
		}
	}
	return entry
}

func BenchmarkCoxPH(b *testing.B) {
	for _, n := range benchSizes() {
		time, event, x, names := simulate(n)
		clusters := make([]int, n)
		for i := range clusters {
			clusters[i] = i / 4 // four rows per cluster
		}
		for _, c := range []struct {
			name string
			opt  Options
		}{
			{"", Options{}},
			{"robust", Options{Robust: true}},
			{"cluster", Options{Cluster: clusters}},
			{"entry", Options{Entry: withEntry(time)}},
		} {
			b.Run(fmt.Sprintf("%sn=%d", prefix(c.name), n), func(b *testing.B) {
				b.ReportAllocs()
				var iters int
				for b.Loop() {
					res, err := CoxPH(time, event, x, names, nil, c.opt)
					if err != nil || res.Status != StatusOK {
						b.Fatal(err, res.Status)
					}
					iters = res.Iterations
				}
				b.ReportMetric(float64(iters), "iter")
			})
		}
	}
}

func prefix(name string) string {
	if name == "" {
		return ""
	}
	return name + "/"
}

// BenchmarkZPH times cox.zph alone, after the fit.
func BenchmarkZPH(b *testing.B) {
	for _, n := range benchSizes() {
		time, event, x, names := simulate(n)
		fit, err := CoxPH(time, event, x, names, nil, Options{})
		if err != nil {
			b.Fatal(err)
		}
		for _, tr := range []Transform{TransformKM, TransformRank} {
			b.Run(fmt.Sprintf("%s/n=%d", tr, n), func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					if _, err := ZPH(fit, time, event, x, nil, Options{}, tr); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}

// BenchmarkPiecewise times the split and the fit with three intervals.
func BenchmarkPiecewise(b *testing.B) {
	for _, n := range benchSizes() {
		time, event, x, names := simulate(n)
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				res, err := Piecewise(time, event, x[0], names[0], x[1:], names[1:], nil, []float64{14, 45}, Options{})
				if err != nil || res.Fit.Status != StatusOK {
					b.Fatal(err, res.Fit.Status)
				}
			}
		})
	}
}

// TestEvaluateAllocs checks that an iteration allocates nothing.
func TestEvaluateAllocs(t *testing.T) {
	time, event, x, _ := simulate(1000)
	w := newWorkspace(time, nil, event, x, nil, false)
	beta := []float64{0.1, 0.2, 0.3, 0.4}
	if a := testing.AllocsPerRun(10, func() { w.evaluate(beta, true) }); a != 0 {
		t.Errorf("evaluate allocates %v times per call", a)
	}
}

// TestSimulatedRecovery checks, without R, that a large simulated data set
// gives estimates near the true coefficients (Breslow and Efron both, on
// coarse daily ties Efron is the closer one).
func TestSimulatedRecovery(t *testing.T) {
	if testing.Short() {
		t.Skip("slow")
	}
	time, event, x, names := simulate(20000)
	truth := []float64{0.5, 0.3, 0.02, -0.2}
	res, err := CoxPH(time, event, x, names, nil, Options{})
	if err != nil {
		t.Fatal(err)
	}
	for j := range truth {
		if math.Abs(res.Coef[j]-truth[j]) > 4*res.SE[j] {
			t.Errorf("%s: %g ± %g, true %g", names[j], res.Coef[j], res.SE[j], truth[j])
		}
	}
}

// TestCoresDoNotChangeTheFit: above parallelMin rows the risk scores and
// the scaled covariates are computed on all cores; the fit must be the
// same to the bit whatever the number of cores, with and without ties.
func TestCoresDoNotChangeTheFit(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(0))
	time, event, x, names := simulate(3 * parallelMin)
	tied := make([]float64, len(time))
	for i, v := range time {
		tied[i] = math.Round(v)
	}
	for _, tm := range [][]float64{time, tied} {
		var want *Result
		for _, procs := range []int{1, 2, 3, 8} {
			runtime.GOMAXPROCS(procs)
			res, err := CoxPH(tm, event, x, names, nil, Options{})
			if err != nil {
				t.Fatal(err)
			}
			if want == nil {
				want = res
				continue
			}
			if !reflect.DeepEqual(res.Coef, want.Coef) || !reflect.DeepEqual(res.Var, want.Var) || res.LogLik != want.LogLik {
				t.Errorf("GOMAXPROCS %d: coef %v loglik %v, want %v %v", procs, res.Coef, res.LogLik, want.Coef, want.LogLik)
			}
		}
	}
}
