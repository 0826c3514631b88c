package cmprsk

import (
	"math"

	"github.com/ketcurves/ketcurves/pipeline/rtest"
	"gonum.org/v1/gonum/floats/scalar"
)

// nearRel is rtest.Close without the absolute tolerance, for p-values far
// in the tail.
func nearRel(got, want float64) bool {
	if math.IsNaN(want) || math.IsNaN(got) {
		return math.IsNaN(want) && math.IsNaN(got)
	}
	return scalar.EqualWithinRel(got, want, rtest.RelTol)
}
