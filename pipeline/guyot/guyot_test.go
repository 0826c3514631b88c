package guyot

import (
	"errors"
	"strings"
	"testing"
)

// TestHandWorked reconstructs a 10-subject curve without censoring: the
// drops 1 → 0.9 → 0.7 → 0.4 at t = 1, 2, 3 mean 1, 2 and 3 events, and
// the 4 left at 4 are censored there.
func TestHandWorked(t *testing.T) {
	in := Input{
		Time:     []float64{0, 1, 1, 2, 2, 3, 3, 4},
		Surv:     []float64{1, 1, 0.9, 0.9, 0.7, 0.7, 0.4, 0.4},
		RiskTime: []float64{0, 2},
		NRisk:    []int{10, 9},
	}
	r, err := Reconstruct(in)
	if err != nil {
		t.Fatal(err)
	}
	want := []struct {
		t float64
		e bool
	}{{1, true}, {2, true}, {2, true}, {3, true}, {3, true}, {3, true}, {4, false}, {4, false}, {4, false}, {4, false}}
	if len(r.Time) != len(want) {
		t.Fatalf("%d rows, want %d: %v %v", len(r.Time), len(want), r.Time, r.Event)
	}
	for i, w := range want {
		if r.Time[i] != w.t || r.Event[i] != w.e {
			t.Errorf("row %d = (%v, %v), want (%v, %v)", i, r.Time[i], r.Event[i], w.t, w.e)
		}
	}
	if r.MaxKMDiff > 1e-12 {
		t.Errorf("MaxKMDiff = %v, want 0", r.MaxKMDiff)
	}
}

func TestCleaning(t *testing.T) {
	in := Input{
		Time:     []float64{0, 2, 1, 1, 3, 3.5, -0.01},
		Surv:     []float64{1, 0.72, 1.01, 0.9, 0.75, 0.5, 1},
		RiskTime: []float64{0},
		NRisk:    []int{10},
	}
	r, err := Reconstruct(in)
	if err != nil {
		t.Fatal(err)
	}
	if r.Clean.Reordered != 3 || r.Clean.Clipped != 2 || r.Clean.Smoothed == 0 {
		t.Errorf("clean report %+v: want 3 reordered (1, 1 and -0.01 read after 2), 2 clipped, some smoothed", r.Clean)
	}
}

func TestBadAtRisk(t *testing.T) {
	curve := Input{Time: []float64{0, 1, 1, 2, 2, 3}, Surv: []float64{1, 1, 0.5, 0.5, 0.4, 0.4}}
	for _, test := range []struct {
		name     string
		riskTime []float64
		nRisk    []int
		want     string
		contra   bool
	}{
		{"more at risk later", []float64{0, 1.5}, []int{10, 12}, "at-risk interval 1 [0, 1.5): numbers at risk contradict the curve: 10 at risk at 0 but 12 at 1.5", true},
		{"curve falls too far", []float64{0, 1.5}, []int{100, 90}, "at-risk interval 1 [0, 1.5): numbers at risk contradict the curve: the curve falls from 1 to 0.5, which means 50 events among the 100 at risk, but 90 are at risk at 1.5", true},
		{"not from 0", []float64{1}, []int{10}, "the first at-risk time is 1", false},
		{"times decrease", []float64{0, 2, 1}, []int{10, 5, 4}, "at-risk time 3 (1) is not after the previous one (2)", false},
	} {
		in := curve
		in.RiskTime, in.NRisk = test.riskTime, test.nRisk
		_, err := Reconstruct(in)
		if err == nil || !strings.Contains(err.Error(), test.want) {
			t.Errorf("%s: error %v, want %q", test.name, err, test.want)
		}
		if errors.Is(err, ErrContradiction) != test.contra {
			t.Errorf("%s: errors.Is(ErrContradiction) = %v", test.name, !test.contra)
		}
	}
}
