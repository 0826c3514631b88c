package cmprsk

import (
	"math"
	"math/rand/v2"
)

// simMultiState returns counting-process rows of nSubj subjects in the
// chain 0 = not responding → 1 = response ⇄ 2 = relapse, with 3 = dropout
// absorbing from every state, whole-day times (so transitions and
// censorings tie) and, when entry is true, delayed entry for a third of the
// subjects. Seeded PCG.
func simMultiState(nSubj int, seed uint64, entry bool) MultiStateData {
	rng := rand.New(rand.NewPCG(seed, 2026))
	rates := [][]float64{
		{0, 1.0 / 30, 0, 1.0 / 150},
		{0, 0, 1.0 / 60, 1.0 / 200},
		{0, 1.0 / 40, 0, 1.0 / 100},
	}
	d := MultiStateData{States: []string{"nonresp", "response", "relapse", "dropout"}}
	for i := range nSubj {
		t := 0.0
		if entry && rng.IntN(3) == 0 {
			t = math.Floor(rng.Float64() * 20)
		}
		fu := t + math.Ceil(10+rng.Float64()*300)
		s := 0
		for {
			best, to := math.Inf(1), -1
			for k, r := range rates[s] {
				if r > 0 {
					if w := rng.ExpFloat64() / r; w < best {
						best, to = w, k
					}
				}
			}
			tn := math.Max(math.Ceil(t+best), t+1)
			d.ID = append(d.ID, i)
			d.Start = append(d.Start, t)
			if tn >= fu {
				d.Stop, d.From, d.To = append(d.Stop, fu), append(d.From, s), append(d.To, Censored)
				break
			}
			d.Stop, d.From, d.To = append(d.Stop, tn), append(d.From, s), append(d.To, to)
			t, s = tn, to
			if s == 3 {
				break
			}
		}
	}
	return d
}

// simCompeting returns n competing-risks observations with two causes,
// whole-day times and uniform censoring, and a binary and a continuous
// covariate that act on cause 1. Seeded PCG.
func simCompeting(n int, seed uint64) (time []float64, status []int, x [][]float64) {
	rng := rand.New(rand.NewPCG(seed, 7))
	time, status = make([]float64, n), make([]int, n)
	x = [][]float64{make([]float64, n), make([]float64, n)}
	for i := range n {
		x[0][i] = float64(rng.IntN(2))
		x[1][i] = rng.NormFloat64()
		t1 := rng.ExpFloat64() * 100 / math.Exp(0.5*x[0][i]-0.3*x[1][i])
		t2 := rng.ExpFloat64() * 150
		c := rng.Float64() * 300
		time[i] = math.Ceil(math.Min(math.Min(t1, t2), c))
		switch {
		case c < t1 && c < t2:
			status[i] = 0
		case t1 < t2:
			status[i] = 1
		default:
			status[i] = 2
		}
	}
	return time, status, x
}
