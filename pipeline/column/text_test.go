package column

import (
	"fmt"
	"reflect"
	"testing"
)

func TestOf(t *testing.T) {
	for _, test := range []struct {
		cells  []string
		codes  []uint32
		levels []string
	}{
		{cells: nil, codes: nil, levels: nil},
		{cells: []string{"B", "B", "A", "B", "C", "A"}, codes: []uint32{0, 0, 1, 0, 2, 1}, levels: []string{"B", "A", "C"}},
		{cells: []string{"", "x", ""}, codes: []uint32{0, 1, 0}, levels: []string{"", "x"}},
	} {
		got := Of(test.cells)
		if !reflect.DeepEqual(got.Levels, test.levels) || got.Len() != len(test.cells) {
			t.Errorf("Of(%q): levels %q, len %d; want %q, %d", test.cells, got.Levels, got.Len(), test.levels, len(test.cells))
		}
		if codes := codesOf(got); len(test.cells) > 0 && !reflect.DeepEqual(codes, test.codes) {
			t.Errorf("Of(%q): codes %v, want %v", test.cells, codes, test.codes)
		}
		for i, s := range test.cells {
			if got.At(i) != s {
				t.Errorf("Of(%q).At(%d) = %q, want %q", test.cells, i, got.At(i), s)
			}
		}
		if s := got.Strings(); len(test.cells) > 0 && !reflect.DeepEqual(s, test.cells) {
			t.Errorf("Of(%q).Strings() = %q", test.cells, s)
		}
	}
}

// TestAddCoded: rows added as blocks coded against their own levels give
// the column of the same cells added one by one.
func TestAddCoded(t *testing.T) {
	cells := []string{"K", "M", "K", "P", "M", "M", "Q", "K"}
	var b Builder
	for _, block := range [][]string{cells[:3], cells[3:3], cells[3:7], cells[7:]} {
		c := Of(block)
		b.AddCoded(codesOf(c), c.Levels)
	}
	if got, want := b.Text(), Of(cells); !reflect.DeepEqual(got.Strings(), want.Strings()) || !reflect.DeepEqual(got.Levels, want.Levels) || !reflect.DeepEqual(codesOf(got), codesOf(want)) {
		t.Errorf("AddCoded: %v %q, want %v %q", codesOf(got), got.Levels, codesOf(want), want.Levels)
	}
}

func TestCode(t *testing.T) {
	c := Of([]string{"A", "B"})
	if k, ok := c.Find("B"); !ok || k != 1 {
		t.Errorf("Find(B) = %d, %v", k, ok)
	}
	if _, ok := c.Find("C"); ok || c.Contains("C") || !c.Contains("A") {
		t.Errorf("C is not a level")
	}
}

func ExampleText() {
	arm := Of([]string{"KETAMINE", "MIDAZOLAM", "KETAMINE", "KETAMINE"})
	fmt.Println(arm.Levels, codesOf(arm), arm.At(1), arm.Rows(0))
	// Output: [KETAMINE MIDAZOLAM] [0 1 0 0] MIDAZOLAM [0 2 3]
}

func codesOf(t Text) []uint32 {
	out := make([]uint32, t.Len())
	for i := range out {
		out[i] = t.Code(i)
	}
	return out
}

// TestWiden: past 256 levels the codes widen, added one by one or in
// coded blocks, and every row keeps its cell.
func TestWiden(t *testing.T) {
	var cells []string
	for i := range 1000 {
		cells = append(cells, fmt.Sprintf("L%d", (i*7)%600))
	}
	one := Of(cells)
	var blocks Builder
	for lo := 0; lo < len(cells); lo += 97 {
		c := Of(cells[lo:min(lo+97, len(cells))])
		blocks.AddCoded(codesOf(c), c.Levels)
	}
	for name, got := range map[string]Text{"Add": one, "AddCoded": blocks.Text()} {
		if got.wide == nil || got.narrow != nil || len(got.Levels) != 600 || !reflect.DeepEqual(got.Strings(), cells) {
			t.Errorf("%s: %d levels, wide %v; the cells differ: %v", name, len(got.Levels), got.wide != nil, !reflect.DeepEqual(got.Strings(), cells))
		}
	}
	if few := Of(cells[:10]); few.narrow == nil || few.wide != nil {
		t.Errorf("10 levels: codes not one byte")
	}
}

// TestLines: places read back as added, whatever their runs; a regular
// file is one run.
func TestLines(t *testing.T) {
	tests := []struct {
		name   string
		places []int
		runs   int
	}{
		{"empty", nil, 0},
		{"regular", []int{2, 3, 4, 5, 6}, 1},
		{"blank line and multi-line cell", []int{2, 3, 5, 6, 9, 10}, 3},
		{"every row its own run", []int{2, 4, 6, 8}, 4},
		{"first row at 0", []int{0, 1, 7}, 2},
	}
	for _, tt := range tests {
		l := LinesOf(tt.places...)
		if l.Len() != len(tt.places) || l.Runs() != tt.runs {
			t.Errorf("%s: %d rows in %d runs, want %d in %d", tt.name, l.Len(), l.Runs(), len(tt.places), tt.runs)
		}
		for i, p := range tt.places {
			if got := l.At(i); got != p {
				t.Errorf("%s: At(%d) = %d, want %d", tt.name, i, got, p)
			}
		}
		if got := l.Places(); len(tt.places) > 0 && !reflect.DeepEqual(got, tt.places) {
			t.Errorf("%s: Places() = %v, want %v", tt.name, got, tt.places)
		}
	}
}

func ExampleLines() {
	// Lines 2–4, a blank line, then lines 6–7.
	l := LinesOf(2, 3, 4, 6, 7)
	fmt.Println(l.Len(), l.Runs(), l.At(2), l.At(3))
	// Output: 5 2 4 6
}
