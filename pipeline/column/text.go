package column

import "fmt"

// Text is a text column: row i holds Levels[Codes[i]]. Levels are distinct
// and in order of first appearance. The zero value is an empty column.
type Text struct {
	Codes  []uint32
	Levels []string
}

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
func (t Text) Len() int { return len(t.Codes) }

// At returns the cell of row i. It panics if i is out of range.
func (t Text) At(i int) string { return t.Levels[t.Codes[i]] }

// Strings returns the cells as a new slice of strings (sharing the level
// strings).
func (t Text) Strings() []string {
	out := make([]string, len(t.Codes))
	for i, c := range t.Codes {
		out[i] = t.Levels[c]
	}
	return out
}

// Code returns the code of level s, and whether s is a level.
func (t Text) Code(s string) (uint32, bool) {
	for k, l := range t.Levels {
		if l == s {
			return uint32(k), true
		}
	}
	return 0, false
}

// Contains reports whether some row holds s.
func (t Text) Contains(s string) bool {
	_, ok := t.Code(s)
	return ok && t.Len() > 0
}

// Builder builds a Text by appending cells. The zero value is ready to
// use; a cell equal to the previous one costs a comparison, not a lookup.
type Builder struct {
	index map[string]uint32
	t     Text
}

// Grow reserves room for n more rows.
func (b *Builder) Grow(n int) {
	if n > 0 && cap(b.t.Codes)-len(b.t.Codes) < n {
		codes := make([]uint32, len(b.t.Codes), len(b.t.Codes)+n)
		copy(codes, b.t.Codes)
		b.t.Codes = codes
	}
}

// Add appends one cell.
func (b *Builder) Add(s string) {
	if n := len(b.t.Codes); n > 0 && b.t.Levels[b.t.Codes[n-1]] == s {
		b.t.Codes = append(b.t.Codes, b.t.Codes[n-1])
		return
	}
	b.t.Codes = append(b.t.Codes, b.level(s))
}

// level returns the code of s, adding it as a new level if needed.
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
	}
	return k
}

// maxLevels bounds the number of levels to what a code holds.
const maxLevels = 1<<32 - 1

// AddCoded appends rows given as codes into levels (a block of rows coded
// against its own distinct values): each level is looked up once, the
// codes are translated in one pass. The level strings are kept as given
// when new, so callers pass strings they own.
func (b *Builder) AddCoded(codes []uint32, levels []string) {
	if len(levels) == 0 {
		return
	}
	to := make([]uint32, len(levels))
	for k, s := range levels {
		to[k] = b.level(s)
	}
	b.Grow(len(codes))
	for _, c := range codes {
		b.t.Codes = append(b.t.Codes, to[c])
	}
}

// Text returns the column built so far. The builder may be used further;
// the returned column then shares storage with it.
func (b *Builder) Text() Text { return b.t }
