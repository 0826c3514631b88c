package design

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/ketcurves/ketcurves/pipeline/column"
)

func TestBuild(t *testing.T) {
	arm := []int32{0, 0, 1, 1, 1}
	rows := []int{0, 1, 2, 3, 4}
	for i, test := range []struct {
		name      string
		cov       []string
		ref       RefLevel
		wantRows  []int
		wantNames []string
		wantRefs  []string
		dropped   int
		err       string
	}{
		{name: "numeric with NA", cov: []string{"30", "NA", "50", ".", "70"}, wantRows: []int{0, 2, 4}, wantNames: []string{"TRTP:B", "C"}, wantRefs: []string{"A", ""}, dropped: 2},
		{name: "categorical first", cov: []string{"x", "y", "z", "", "x"}, wantRows: []int{0, 1, 2, 4}, wantNames: []string{"TRTP:B", "C:y", "C:z"}, wantRefs: []string{"A", "x", "x"}, dropped: 1},
		{name: "categorical last", cov: []string{"x", "y", "z", "NA", "x"}, ref: RefLast, wantRows: []int{0, 1, 2, 4}, wantNames: []string{"TRTP:B", "C:x", "C:y"}, wantRefs: []string{"A", "z", "z"}, dropped: 1},
		{name: "mostly numeric", cov: []string{"1", "2", "three", "4", "5"}, err: `value "three": 4 of 5 values`},
		{name: "single level", cov: []string{"x", "x", "x", "x", "NA"}, err: `single level "x"`},
	} {
		m, err := Build(Spec{Rows: rows, Arm: arm, Arms: []string{"A", "B"}, Control: 0, Reference: test.ref,
			Covariates: []Covariate{{Name: "C", Raw: column.Of(test.cov)}}})
		if test.err != "" {
			if err == nil || !strings.Contains(err.Error(), test.err) {
				t.Errorf("test %d (%s): error %v, want %q", i, test.name, err, test.err)
			}
			continue
		}
		if err != nil {
			t.Fatalf("test %d (%s): %v", i, test.name, err)
		}
		var refs []string
		for _, c := range m.Columns {
			refs = append(refs, c.Reference)
		}
		if !slices.Equal(m.Rows, test.wantRows) || !slices.Equal(m.Names(), test.wantNames) || !slices.Equal(refs, test.wantRefs) || m.DroppedTotal != test.dropped {
			t.Errorf("test %d (%s): rows %v names %v refs %v dropped %d; want %v %v %v %d", i, test.name, m.Rows, m.Names(), refs, m.DroppedTotal, test.wantRows, test.wantNames, test.wantRefs, test.dropped)
		}
	}
}

func TestTooManyLevels(t *testing.T) {
	n := MaxLevels + 2
	raw := make([]string, n)
	rows := make([]int, n)
	for i := range raw {
		raw[i] = fmt.Sprintf("id%d", i)
		rows[i] = i
	}
	_, err := Build(Spec{Rows: rows, Arm: make([]int32, n), Arms: []string{"A"}, Covariates: []Covariate{{Name: "ID", Raw: column.Of(raw)}}})
	if !errors.Is(err, ErrTooManyLevels) {
		t.Errorf("error %v, want ErrTooManyLevels", err)
	}
}

func TestIsMissing(t *testing.T) {
	for _, s := range []string{"", " ", "NA", ".", " NA "} {
		if !IsMissing(s) {
			t.Errorf("IsMissing(%q) = false", s)
		}
	}
	for _, s := range []string{"0", "na", "N/A", "..", "x"} {
		if IsMissing(s) {
			t.Errorf("IsMissing(%q) = true", s)
		}
	}
}

func ExampleBuild() {
	m, _ := Build(Spec{
		Rows: []int{0, 1, 2, 3}, Arm: []int32{0, 1, 0, 1}, Arms: []string{"MIDAZOLAM", "KETAMINE"}, Control: 0,
		Covariates: []Covariate{{Name: "SEX", Raw: column.Of([]string{"F", "M", "NA", "F"})}},
	})
	for _, c := range m.Columns {
		fmt.Printf("%s vs %s\n", c.Name, c.Reference)
	}
	fmt.Println(m.Rows, m.DroppedTotal)
	// Output:
	// TRTP:KETAMINE vs MIDAZOLAM
	// SEX:M vs F
	// [0 1 3] 1
}
