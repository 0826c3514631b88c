package column

import "fmt"

// Text is a text column: row i holds Levels[Code(i)]. Levels are distinct
// and in order of first appearance. Codes take one byte a row while the
// column has at most 256 levels, four beyond. The zero value is an empty
// column.
type Text struct {
	Levels []string
	narrow []uint8  // the codes while len(Levels) <= 256
	wide   []uint32 // the codes beyond; narrow is then nil
}

// narrowLevels is the number of levels a one-byte code holds.
const narrowLevels = 1 << 8

// Of returns the column of the given cells.
func Of(cells []string) Text {
	var b Builder
	b.Grow(len(cells))
	for _, s := range cells {
		b.Add(s)
	}
	return b.Text()
}

// Len returns the number of rows.
func (t Text) Len() int {
	if t.wide != nil {
		return len(t.wide)
	}
	return len(t.narrow)
}

// Code returns the code of row i, the index of its level. It panics if i
// is out of range.
func (t Text) Code(i int) uint32 {
	if t.wide != nil {
		return t.wide[i]
	}
	return uint32(t.narrow[i])
}

// At returns the cell of row i. It panics if i is out of range.
func (t Text) At(i int) string { return t.Levels[t.Code(i)] }

// Strings returns the cells as a new slice of strings (sharing the level
// strings).
func (t Text) Strings() []string {
	out := make([]string, t.Len())
	for i := range out {
		out[i] = t.At(i)
	}
	return out
}

// Rows returns the rows whose code is code, in increasing order.
func (t Text) Rows(code uint32) []int {
	n := 0
	for i := range t.Len() {
		if t.Code(i) == code {
			n++
		}
	}
	rows := make([]int, 0, n)
	for i := range t.Len() {
		if t.Code(i) == code {
			rows = append(rows, i)
		}
	}
	return rows
}

// Find returns the code of level s, and whether s is a level.
func (t Text) Find(s string) (uint32, bool) {
	for k, l := range t.Levels {
		if l == s {
			return uint32(k), true
		}
	}
	return 0, false
}

// Contains reports whether s is a level (a Builder adds levels with
// rows: some row holds it).
func (t Text) Contains(s string) bool {
	_, ok := t.Find(s)
	return ok
}

// Builder builds a Text by appending cells. The zero value is ready to
// use; a cell equal to the previous one costs a comparison, not a lookup.
type Builder struct {
	index map[string]uint32
	t     Text
	last  uint32 // code of the last row added
}

// Grow reserves room for n more rows.
func (b *Builder) Grow(n int) {
	if n <= 0 {
		return
	}
	if b.t.wide != nil {
		if cap(b.t.wide)-len(b.t.wide) < n {
			b.t.wide = append(make([]uint32, 0, len(b.t.wide)+n), b.t.wide...)
		}
		return
	}
	if cap(b.t.narrow)-len(b.t.narrow) < n {
		b.t.narrow = append(make([]uint8, 0, len(b.t.narrow)+n), b.t.narrow...)
	}
}

// Add appends one cell.
func (b *Builder) Add(s string) {
	if b.t.Len() > 0 && b.t.Levels[b.last] == s {
		b.appendCode(b.last)
		return
	}
	b.appendCode(b.level(s))
}

// appendCode appends the code of one row; the level exists.
func (b *Builder) appendCode(c uint32) {
	b.last = c
	if b.t.wide != nil {
		b.t.wide = append(b.t.wide, c)
		return
	}
	b.t.narrow = append(b.t.narrow, uint8(c))
}

// level returns the code of s, adding it as a new level if needed; past
// narrowLevels levels the codes are widened to four bytes.
func (b *Builder) level(s string) uint32 {
	if b.index == nil {
		b.index = map[string]uint32{}
	}
	k, ok := b.index[s]
	if !ok {
		if len(b.t.Levels) == maxLevels {
			panic(fmt.Sprintf("column: more than %d distinct values", maxLevels))
		}
		k = uint32(len(b.t.Levels))
		b.index[s] = k
		b.t.Levels = append(b.t.Levels, s)
		if len(b.t.Levels) == narrowLevels+1 {
			b.widen()
		}
	}
	return k
}

// widen moves the codes to four bytes each.
func (b *Builder) widen() {
	wide := make([]uint32, len(b.t.narrow), cap(b.t.narrow))
	for i, c := range b.t.narrow {
		wide[i] = uint32(c)
	}
	b.t.wide = wide
	b.t.narrow = nil
}

// maxLevels bounds the number of levels to what a code holds.
const maxLevels = 1<<32 - 1

// AddCoded appends rows given as codes into levels (a block of rows coded
// against its own distinct values): each level is looked up once, the
// codes are translated in one pass. The level strings are kept as given
// when new, so callers pass strings they own.
func (b *Builder) AddCoded(codes []uint32, levels []string) {
	if len(codes) == 0 {
		return
	}
	to := make([]uint32, len(levels))
	for k, s := range levels {
		to[k] = b.level(s)
	}
	b.Grow(len(codes))
	if b.t.wide != nil {
		for _, c := range codes {
			b.t.wide = append(b.t.wide, to[c])
		}
	} else {
		for _, c := range codes {
			b.t.narrow = append(b.t.narrow, uint8(to[c]))
		}
	}
	b.last = to[codes[len(codes)-1]]
}

// Text returns the column built so far. The builder may be used further;
// the returned column then shares storage with it.
func (b *Builder) Text() Text { return b.t }
