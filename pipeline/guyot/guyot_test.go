package guyot

import (
	"errors"
	"math"
	"slices"
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

// corners reads the exact corners of a KM curve: (0, 1), the top and
// bottom corner of each step, the end of follow-up.
func corners(time []float64, event []bool) (ts, ss []float64) {
	times, surv := stepKM(time, event)
	ts, ss = []float64{0}, []float64{1}
	level := 1.0
	for i, t := range times {
		ts, ss = append(ts, t, t), append(ss, level, surv[i])
		level = surv[i]
	}
	return append(ts, time[len(time)-1]), append(ss, level)
}

// TestStepsPlaceCensoring checks the second pass: 10 subjects, events at
// 1, 2 and 4, censored at 1.2 and 3.7 and 5 still at risk at 6. The drops
// 9/10, 7/8 and 5/6 say that one subject left between 1 and 2 and one
// between 2 and 4, which Guyot's even spread over [0, 6] does not see;
// the censoring marks then give their times.
func TestStepsPlaceCensoring(t *testing.T) {
	time := []float64{1, 1.2, 2, 3.7, 4, 6, 6, 6, 6, 6}
	event := []bool{true, false, true, false, true, false, false, false, false, false}
	for _, test := range []struct {
		name  string
		marks []float64
		want  []float64 // censoring times before the end
	}{
		{"no marks: evenly in the gap", nil, []float64{1.5, 3}},
		{"marks", []float64{1.2, 3.7, 6}, []float64{1.2, 3.7}},
	} {
		in := Input{RiskTime: []float64{0}, NRisk: []int{10}, TotalEvents: 3, CensorTime: test.marks}
		in.Time, in.Surv = corners(time, event)
		r, err := Reconstruct(in)
		if err != nil {
			t.Fatalf("%s: %v", test.name, err)
		}
		var events, cens []float64
		for i, tt := range r.Time {
			switch {
			case r.Event[i]:
				events = append(events, tt)
			case tt < 6:
				cens = append(cens, tt)
			}
		}
		if !slices.Equal(events, []float64{1, 2, 4}) || !slices.EqualFunc(cens, test.want, func(a, b float64) bool { return math.Abs(a-b) < 1e-12 }) {
			t.Errorf("%s: events at %v, censored at %v before the end; want [1 2 4] and %v", test.name, events, cens, test.want)
		}
		if r.MaxKMDiff > 1e-12 {
			t.Errorf("%s: MaxKMDiff = %v, want 0", test.name, r.MaxKMDiff)
		}
	}
}

// TestStepAcrossAtRiskTime: the step at 0.99 (1 event among 5) is read at
// 1.01, after the at-risk time 1, but the numbers at risk (5 at 0, 4 at 1)
// and the drop to 0.8 say it came before: it is counted in the first
// interval, with no censoring invented there.
func TestStepAcrossAtRiskTime(t *testing.T) {
	in := Input{
		Time:     []float64{0, 1.01, 1.01, 3},
		Surv:     []float64{1, 1, 0.8, 0.8},
		RiskTime: []float64{0, 1},
		NRisk:    []int{5, 4},
	}
	r, err := Reconstruct(in)
	if err != nil {
		t.Fatal(err)
	}
	if iv := r.Intervals[0]; iv.Events != 1 || iv.Censored != 0 {
		t.Errorf("first interval %+v: want 1 event, 0 censored", iv)
	}
	if r.MaxKMDiff > 1e-12 {
		t.Errorf("MaxKMDiff = %v, want 0", r.MaxKMDiff)
	}
}

// TestSwappedCorners: the reader's noise puts the bottom corner of the
// step at 2 before its top corner; ordering along the curve and isotonic
// time make it one vertical step again.
func TestSwappedCorners(t *testing.T) {
	in := Input{
		Time:     []float64{0, 1, 0.999, 2.001, 1.998, 3},
		Surv:     []float64{1, 1, 0.9, 0.9, 0.7, 0.7},
		RiskTime: []float64{0},
		NRisk:    []int{10},
	}
	r, err := Reconstruct(in)
	if err != nil {
		t.Fatal(err)
	}
	if r.Clean.Retimed != 4 {
		t.Errorf("Retimed = %d, want 4 (both corners of both steps)", r.Clean.Retimed)
	}
	var events []float64
	for i, tt := range r.Time {
		if r.Event[i] {
			events = append(events, tt)
		}
	}
	if want := []float64{0.9995, 1.9995, 1.9995}; !slices.EqualFunc(events, want, func(a, b float64) bool { return math.Abs(a-b) < 1e-12 }) {
		t.Errorf("events at %v, want %v", events, want)
	}
}

func TestBadReaderInput(t *testing.T) {
	curve := Input{Time: []float64{0, 1, 1, 2}, Surv: []float64{1, 1, 0.5, 0.5}, RiskTime: []float64{0}, NRisk: []int{10}}
	for _, test := range []struct {
		name string
		edit func(*Input)
		want string
	}{
		{"mark not a number", func(in *Input) { in.CensorTime = []float64{1.5, math.NaN()} }, "censoring mark 2 (NaN): time must be a finite number"},
		{"negative SurvSD", func(in *Input) { in.SurvSD = -0.01 }, "SurvSD -0.01 must be a positive number"},
		{"infinite TimeSD", func(in *Input) { in.TimeSD = math.Inf(1) }, "TimeSD +Inf must be a positive number"},
	} {
		in := curve
		test.edit(&in)
		if _, err := Reconstruct(in); err == nil || !strings.Contains(err.Error(), test.want) {
			t.Errorf("%s: error %v, want %q", test.name, err, test.want)
		}
	}
}
