package rtest

import (
	"encoding/csv"
	"math"
	"os"
	"strconv"
	"testing"

	"gonum.org/v1/gonum/floats/scalar"
)

// The tolerances of the comparisons with R: relative, and absolute near
// zero (where R's own rounding residue, e.g. 1e-17, has no relative
// meaning).
const (
	RelTol = 1e-6
	AbsTol = 1e-12
)

// Row is one CSV record by column name.
type Row map[string]string

// ReadCSV reads the CSV file at path, whose first record is the header,
// into rows. It fails the test on a read error, a ragged record or a file
// without a header.
func ReadCSV(t testing.TB, path string) []Row {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	if len(recs) == 0 {
		t.Fatalf("%s: no header", path)
	}
	rows := make([]Row, 0, len(recs)-1)
	for _, r := range recs[1:] {
		m := make(Row, len(r))
		for j, h := range recs[0] {
			m[h] = r[j]
		}
		rows = append(rows, m)
	}
	return rows
}

// Float returns column col as a number; NA and the empty cell are NaN. It
// fails the test for a column the row lacks or a cell that is not a number.
func (r Row) Float(t testing.TB, col string) float64 {
	t.Helper()
	s, ok := r[col]
	if !ok {
		t.Fatalf("no column %q", col)
	}
	return Num(t, s)
}

// Int returns column col as an integer.
func (r Row) Int(t testing.TB, col string) int {
	t.Helper()
	v, err := strconv.Atoi(r[col])
	if err != nil {
		t.Fatalf("column %s: bad integer %q", col, r[col])
	}
	return v
}

// Num parses a number written by R: NA, NaN and the empty cell are NaN,
// Inf and -Inf infinities.
func Num(t testing.TB, s string) float64 {
	t.Helper()
	switch s {
	case "NA", "", "NaN":
		return math.NaN()
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		t.Fatalf("bad number %q: %v", s, err)
	}
	return v
}

// Close reports whether got equals R's want within AbsTol or RelTol; NaN
// (R's NA) matches only NaN, an infinity only the same infinity.
func Close(got, want float64) bool {
	if math.IsNaN(want) || math.IsNaN(got) {
		return math.IsNaN(want) && math.IsNaN(got)
	}
	if math.IsInf(want, 0) || math.IsInf(got, 0) {
		return got == want
	}
	return scalar.EqualWithinAbsOrRel(got, want, AbsTol, RelTol)
}

// RelErr is |got − want| / |want|, for reporting the largest error of a
// comparison: 0 when both are NaN or equal, or both within AbsTol of zero.
func RelErr(got, want float64) float64 {
	switch {
	case math.IsNaN(got) && math.IsNaN(want), got == want:
		return 0
	case math.Abs(want) <= AbsTol && math.Abs(got) <= AbsTol:
		return 0
	}
	return math.Abs(got-want) / math.Abs(want)
}
