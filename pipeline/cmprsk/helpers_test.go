package cmprsk

import (
	"encoding/csv"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"gonum.org/v1/gonum/floats/scalar"
)

// Tolerances against R: relative 1e-6, absolute 1e-12 near zero.
const (
	relTol = 1e-6
	absTol = 1e-12
)

// near reports whether got matches R's want within absTol/relTol; NaN
// matches only NaN (R's NA).
func near(got, want float64) bool {
	if math.IsNaN(want) || math.IsNaN(got) {
		return math.IsNaN(want) && math.IsNaN(got)
	}
	return scalar.EqualWithinAbsOrRel(got, want, absTol, relTol)
}

// relErr is |got - want| / |want| for reporting; 0 when both are within
// absTol of zero (R's rounding residue, such as a standard error of 1e-17
// for a state nobody can be in yet).
func relErr(got, want float64) float64 {
	if math.IsNaN(got) && math.IsNaN(want) || got == want {
		return 0
	}
	if math.Abs(want) <= absTol && math.Abs(got) <= absTol {
		return 0
	}
	return math.Abs(got-want) / math.Abs(want)
}

// readCSV reads testdata/name with a header into a slice of maps.
func readCSV(t testing.TB, name string) []map[string]string {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	rows := make([]map[string]string, 0, len(recs)-1)
	for _, r := range recs[1:] {
		m := make(map[string]string, len(r))
		for j, h := range recs[0] {
			m[h] = r[j]
		}
		rows = append(rows, m)
	}
	return rows
}

func num(t testing.TB, s string) float64 {
	t.Helper()
	if s == "NA" {
		return math.NaN()
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		t.Fatalf("bad number %q: %v", s, err)
	}
	return v
}

func integer(t testing.TB, s string) int {
	t.Helper()
	v, err := strconv.Atoi(s)
	if err != nil {
		t.Fatalf("bad integer %q: %v", s, err)
	}
	return v
}

// nearRel is near without the absolute tolerance, for p-values far in the
// tail.
func nearRel(got, want float64) bool {
	if math.IsNaN(want) || math.IsNaN(got) {
		return math.IsNaN(want) && math.IsNaN(got)
	}
	return scalar.EqualWithinRel(got, want, relTol)
}
