package survtime

import (
	"fmt"
	"slices"
	"testing"
)

func TestFix(t *testing.T) {
	for i, test := range []struct {
		in, want []float64
		changed  bool
	}{
		{in: nil, want: nil},
		{in: []float64{3}, want: []float64{3}},
		{in: []float64{1, 2, 3}, want: []float64{1, 2, 3}},
		// Absolute tolerance: 1 and 1+1e-9 are tied; the run takes its first value.
		{in: []float64{1 + 1e-9, 1, 2}, want: []float64{1, 1, 2}, changed: true},
		// A chain: each step within tolerance, so all take the first value.
		{in: []float64{5, 5 + 1e-8, 5 + 2e-8}, want: []float64{5, 5, 5}, changed: true},
		// Relative tolerance: large values tied relative to their mean.
		{in: []float64{1e9, 1e9 + 1}, want: []float64{1e9, 1e9}, changed: true},
		// Just beyond both tolerances.
		{in: []float64{1, 1 + 3e-8}, want: []float64{1, 1 + 3e-8}},
	} {
		got := slices.Clone(test.in)
		changed := Fix(got)
		if !slices.Equal(got, test.want) || changed != test.changed {
			t.Errorf("test %d: Fix(%v) = %v, %v; want %v, %v", i, test.in, got, changed, test.want, test.changed)
		}
	}
}

// Entry and exit times are tied together, as aeqSurv does for Surv(start, stop, event).
func TestFixJoint(t *testing.T) {
	entry := []float64{0, 2 + 1e-10}
	exit := []float64{2, 4}
	if !Fix(entry, exit) {
		t.Fatal("Fix reported no change")
	}
	if entry[1] != 2 || exit[0] != 2 {
		t.Errorf("entry %v exit %v: 2 and 2+1e-10 must both become 2", entry, exit)
	}
}

func ExampleFix() {
	aval := []float64{0.1 + 0.2, 0.3, 7}
	Fix(aval)
	fmt.Println(aval[0] == aval[1])
	// Output: true
}

// FixSorted gives the same values as Fix on sorted input.
func TestFixSortedEqualsFix(t *testing.T) {
	for _, in := range [][]float64{
		{1, 1 + 1e-9, 2, 2, 3},
		{5, 5 + 1e-8, 5 + 2e-8, 6},
		{1e9, 1e9 + 1, 1e9 + 5},
		{0, 0, 0},
		{0.1, 0.2, 0.30000000000000004, 0.3},
	} {
		in = slices.Clone(in)
		slices.Sort(in)
		a, b := slices.Clone(in), slices.Clone(in)
		ca, cb := Fix(a), FixSorted(b)
		if !slices.Equal(a, b) || ca != cb {
			t.Errorf("%v: Fix %v %v, FixSorted %v %v", in, a, ca, b, cb)
		}
	}
}
