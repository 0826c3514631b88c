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
		if len(test.cells) > 0 && !reflect.DeepEqual(got.Codes, test.codes) {
			t.Errorf("Of(%q): codes %v, want %v", test.cells, got.Codes, test.codes)
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
		b.AddCoded(c.Codes, c.Levels)
	}
	if got, want := b.Text(), Of(cells); !reflect.DeepEqual(got.Strings(), want.Strings()) || !reflect.DeepEqual(got.Levels, want.Levels) || !reflect.DeepEqual(got.Codes, want.Codes) {
		t.Errorf("AddCoded: %v %q, want %v %q", got.Codes, got.Levels, want.Codes, want.Levels)
	}
}

func TestCode(t *testing.T) {
	c := Of([]string{"A", "B"})
	if k, ok := c.Code("B"); !ok || k != 1 {
		t.Errorf("Code(B) = %d, %v", k, ok)
	}
	if _, ok := c.Code("C"); ok || c.Contains("C") || !c.Contains("A") {
		t.Errorf("C is not a level")
	}
}

func ExampleText() {
	arm := Of([]string{"KETAMINE", "MIDAZOLAM", "KETAMINE", "KETAMINE"})
	fmt.Println(arm.Levels, arm.Codes, arm.At(1))
	// Output: [KETAMINE MIDAZOLAM] [0 1 0 0] MIDAZOLAM
}
