package column

import (
	"fmt"
	"math"
	"sort"
)

// Lines is a column of source places, one per row: the line of a CSV
// file, the observation of a SAS transport file, the row of a
// Dataset-JSON file. Places grow with the row, mostly by one, so the
// column holds runs of rows whose place is the row plus a constant: a
// file without blank lines, multi-line cells or rejected rows is one run,
// whatever its length, instead of four bytes a row. The zero value is an
// empty column.
type Lines struct {
	n      int
	starts []int32 // the first row of each run, ascending
	shifts []int32 // place − row over each run
}

// LinesOf returns the column of places.
func LinesOf(places ...int) Lines {
	var l Lines
	for _, p := range places {
		l.Add(p)
	}
	return l
}

// Len returns the number of rows.
func (l *Lines) Len() int { return l.n }

// Add appends the place of the next row. It panics if the place or the
// row is outside 0 … MaxInt32 (readers refuse such files first).
func (l *Lines) Add(place int) {
	if place < 0 || place > math.MaxInt32 || l.n >= math.MaxInt32 {
		panic(fmt.Sprintf("column: place %d of row %d outside 0..%d", place, l.n, math.MaxInt32))
	}
	shift := int32(place - l.n)
	if k := len(l.shifts); k == 0 || l.shifts[k-1] != shift {
		l.starts = append(l.starts, int32(l.n))
		l.shifts = append(l.shifts, shift)
	}
	l.n++
}

// At returns the place of row i. It panics if i is out of range.
func (l *Lines) At(i int) int {
	if i < 0 || i >= l.n {
		panic(fmt.Sprintf("column: row %d of %d", i, l.n))
	}
	r := sort.Search(len(l.starts), func(k int) bool { return int(l.starts[k]) > i }) - 1
	return i + int(l.shifts[r])
}

// Runs returns the number of runs held (one for a regular file).
func (l *Lines) Runs() int { return len(l.starts) }

// Places returns the place of every row.
func (l *Lines) Places() []int {
	out := make([]int, l.n)
	for r, start := range l.starts {
		end := l.n
		if r+1 < len(l.starts) {
			end = int(l.starts[r+1])
		}
		for i := int(start); i < end; i++ {
			out[i] = i + int(l.shifts[r])
		}
	}
	return out
}
