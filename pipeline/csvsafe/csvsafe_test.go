package csvsafe

import (
	"fmt"
	"testing"
)

func TestCell(t *testing.T) {
	for i, test := range []struct {
		in      string
		numeric bool
		want    string
	}{
		{"=HYPERLINK(\"http://x\",\"y\")", false, "'=HYPERLINK(\"http://x\",\"y\")"},
		{"+1+cmd|' /C calc'!A0", false, "'+1+cmd|' /C calc'!A0"},
		{"-2+3", false, "'-2+3"},
		{"@SUM(A1)", false, "'@SUM(A1)"},
		{"\t=1", false, "'\t=1"},
		{"\r=1", false, "'\r=1"},
		{"-", false, "'-"},
		{"-Inf", false, "'-Inf"},
		{"-0x1p3", false, "'-0x1p3"},
		{"-1e", false, "'-1e"},
		{"--5", false, "'--5"},
		{"- 5", false, "'- 5"},
		// Numbers are never prefixed.
		{"-0.5", false, "-0.5"},
		{"+3", false, "+3"},
		{"-5", false, "-5"},
		{"-.5", false, "-.5"},
		{"-1e-9", false, "-1e-9"},
		{"-2.5E+10", false, "-2.5E+10"},
		{"-2+3", true, "-2+3"}, // a numeric column is written as it is
		{"=1", true, "=1"},
		// Other text is unchanged.
		{"", false, ""},
		{"KETAMINE", false, "KETAMINE"},
		{"a=b", false, "a=b"},
		{" =1", false, " =1"},
		{"'=1", false, "''=1"}, // quoted once more, so that Raw gives it back
		{"'x", false, "'x"},
	} {
		if got := Cell(test.in, test.numeric); got != test.want {
			t.Errorf("test %d: Cell(%q, %v) = %q, want %q", i, test.in, test.numeric, got, test.want)
		}
		if !test.numeric {
			if back := Raw(Cell(test.in, false)); back != test.in {
				t.Errorf("test %d: Raw(Cell(%q)) = %q", i, test.in, back)
			}
		}
	}
}

func TestRow(t *testing.T) {
	rec := []string{"=1", "-0.5", "-x", "@y"}
	got := Row(append([]string{}, rec...), []bool{false, true, true}, false)
	want := []string{"'=1", "-0.5", "-x", "'@y"}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("Row = %q, want %q", got, want)
	}
	if got := Row(append([]string{}, rec...), nil, true); fmt.Sprint(got) != fmt.Sprint(rec) {
		t.Errorf("Row raw = %q, want %q", got, rec)
	}
}

func ExampleCell() {
	fmt.Println(Cell("=HYPERLINK(\"http://evil\")", false))
	fmt.Println(Cell("-0.5", false))
	fmt.Println(Cell("KETAMINE", false))
	// Output:
	// '=HYPERLINK("http://evil")
	// -0.5
	// KETAMINE
}
