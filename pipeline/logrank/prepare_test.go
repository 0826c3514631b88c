package logrank

import (
	"math/rand/v2"
	"reflect"
	"testing"
)

// TestPrepareSortedMatchesGeneral: the one-sort preparation of data without
// strata gives the results of the general one (a single stratum), bit for
// bit, including times that aeqSurv merges (t and t·(1 + 1e-12)) and
// exact ties, for every weight family.
func TestPrepareSortedMatchesGeneral(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 7))
	for _, n := range []int{2, 50, 3000} {
		d := Data{Time: make([]float64, n), Event: make([]bool, n), Group: make([]int, n), K: 3}
		for i := range n {
			v := float64(1 + rng.IntN(n/2+1))
			switch rng.IntN(3) {
			case 0:
				v *= 1 + 1e-12 // merged with v by aeqSurv
			case 1:
				v += rng.Float64()
			}
			d.Time[i], d.Event[i], d.Group[i] = v, rng.IntN(3) > 0, i%3
		}
		d.Event[0] = true
		general := d
		general.Strata = make([]int, n)
		weights := []Weight{{}, {Kind: FlemingHarrington, Rho: 1}, {Kind: FlemingHarrington, Rho: 0.5, Gamma: 2}, {Kind: PetoPeto}, {Kind: Gehan}, {Kind: TaroneWare}}
		got, err1 := Weighted(d, weights...)
		want, err2 := Weighted(general, weights...)
		if (err1 == nil) != (err2 == nil) {
			t.Fatalf("n = %d: errors %v, %v", n, err1, err2)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("n = %d: the one-sort results differ from the general preparation's", n)
		}
	}
}
