package cmprsk

import (
	"math"
	"slices"
	"testing"

	"github.com/ketcurves/ketcurves/pipeline/rtest"
)

// naiveAJ follows R survival's survfitci.c step by step: every subject's
// influence row is updated at every transition time (O(n m)). It is the
// check on the engine's shortcut, and on its rebasing.
func naiveAJ(d MultiStateData) (time []float64, p, se [][]float64) {
	r, err := prepareRows(d)
	if err != nil {
		panic(err)
	}
	k, n := len(d.States), len(r.stop)
	cur := r.initialP(k)
	u := make([][]float64, r.nSubj)
	for i := range u {
		u[i] = make([]float64, k)
	}
	state := make([]int, r.nSubj)
	atRisk := make([]bool, r.nSubj)
	dest := make([]int, r.nSubj)
	entered := make([]bool, n)
	times := slices.Clone(r.stop)
	slices.Sort(times)
	times = slices.Compact(times)
	p, se = make([][]float64, k), make([][]float64, k)
	for _, t := range times {
		ns := make([]float64, k)
		for i := range n {
			if !entered[i] && (r.start == nil || r.start[i] < t) {
				entered[i] = true
				s := r.subj[i]
				state[s], atRisk[s] = r.from[i], true
			}
		}
		for s := range atRisk {
			if atRisk[s] {
				ns[state[s]]++
				dest[s] = state[s]
			}
		}
		h := make([]float64, k*k)
		moved := false
		for i := range n {
			if r.stop[i] == t && r.to[i] != Censored {
				h[r.from[i]*k+r.to[i]]++
				dest[r.subj[i]] = r.to[i]
				moved = true
			}
		}
		if moved {
			for o := range k {
				if ns[o] == 0 {
					clear(h[o*k : o*k+k])
					h[o*k+o] = 1
					continue
				}
				var tot float64
				for l := range k {
					tot += h[o*k+l]
					h[o*k+l] /= ns[o]
				}
				h[o*k+o] = 1 - tot/ns[o]
			}
			for s := range u {
				u[s] = vecMat(u[s], h, k)
			}
			for s := range u {
				if atRisk[s] {
					o := state[s]
					for l := range k {
						u[s][l] -= h[o*k+l] * cur[o] / ns[o]
					}
					u[s][dest[s]] += cur[o] / ns[o]
				}
			}
			cur = vecMat(cur, h, k)
		}
		time = append(time, t)
		for j := range k {
			var v float64
			for s := range u {
				v += u[s][j] * u[s][j]
			}
			p[j] = append(p[j], cur[j])
			se[j] = append(se[j], math.Sqrt(v))
		}
		for i := range n {
			if r.stop[i] == t {
				s := r.subj[i]
				atRisk[s] = false
				if r.to[i] != Censored {
					state[s] = r.to[i]
				}
			}
		}
	}
	return time, p, se
}

// TestEngineAgainstNaive compares the engine with the step-by-step
// algorithm of survfitci.c on simulated data with cycles, ties and delayed
// entry, with the usual rebasing rule and with a rebase at every step.
func TestEngineAgainstNaive(t *testing.T) {
	defer func(v float64) { rebaseAt = v }(rebaseAt)
	for _, test := range []struct {
		n     int
		seed  uint64
		entry bool
	}{{60, 1, false}, {200, 2, true}, {400, 3, true}} {
		d := simMultiState(test.n, test.seed, test.entry)
		wantT, wantP, wantSE := naiveAJ(d)
		for _, at := range []float64{1e4, 0.5} {
			rebaseAt = at
			c, err := AalenJohansen(d, MultiStateOptions{})
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(c.Time, wantT) {
				t.Fatalf("n=%d: times differ", test.n)
			}
			for j := range c.PState {
				for i := range c.Time {
					if !rtest.Close(c.PState[j][i], wantP[j][i]) || !scalarNear(c.StdErr[j][i], wantSE[j][i], 1e-9) {
						t.Fatalf("n=%d rebaseAt=%v state %d time %v: p %v se %v, naive %v %v",
							test.n, at, j, c.Time[i], c.PState[j][i], c.StdErr[j][i], wantP[j][i], wantSE[j][i])
					}
				}
			}
		}
	}
}

func scalarNear(got, want, rel float64) bool {
	return math.Abs(got-want) <= 1e-14 || math.Abs(got-want) <= rel*math.Abs(want)
}
