package cox

import (
	"reflect"
	"testing"
)

// TestTieSortedMatchesPrepared: without strata the sorted times are tied
// in place (tieSorted); the fit equals, bit for bit, the one of the
// general path (times tied by prepareTimes before the sort, here forced
// by a single stratum), with times that aeqSurv merges (t and
// t·(1 + 1e-12), in rows out of order) and exact ties, Efron and Breslow.
func TestTieSortedMatchesPrepared(t *testing.T) {
	time, event, x, names := simulate(2000)
	for i := range time {
		time[i] = float64(int(time[i]*10)+1) / 10 // exact ties
		if i%3 == 0 {
			time[i] *= 1 + 1e-12 // merged with its neighbours by aeqSurv
		}
	}
	for _, ties := range []Ties{Efron, Breslow} {
		got, err := CoxPH(time, event, x, names, nil, Options{Ties: ties})
		if err != nil {
			t.Fatal(err)
		}
		want, err := CoxPH(time, event, x, names, make([]int, len(time)), Options{Ties: ties})
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got.Coef, want.Coef) || !reflect.DeepEqual(got.Var, want.Var) || got.LogLik != want.LogLik || got.LogLik0 != want.LogLik0 {
			t.Errorf("%s: one-sort fit %v (loglik %v), general %v (%v)", ties, got.Coef, got.LogLik, want.Coef, want.LogLik)
		}
	}
}
