package logrank

import (
	"math"
	"strings"
	"testing"

	"github.com/ketcurves/ketcurves/pipeline/rtest"
)

// TestLogRankEdgeCases checks cases R cannot show directly or where the
// result is known by construction.
func TestLogRankEdgeCases(t *testing.T) {
	aml := []struct {
		time  float64
		event bool
		group int
	}{
		{9, true, 0}, {13, true, 0}, {13, false, 0}, {18, true, 0}, {23, true, 0}, {28, false, 0},
		{31, true, 0}, {34, true, 0}, {45, false, 0}, {48, true, 0}, {161, false, 0},
		{5, true, 1}, {5, true, 1}, {8, true, 1}, {8, true, 1}, {12, true, 1}, {16, false, 1},
		{23, true, 1}, {27, true, 1}, {30, true, 1}, {33, true, 1}, {43, true, 1}, {45, true, 1},
	}
	var time []float64
	var event []bool
	var group []int
	for _, o := range aml {
		time = append(time, o.time)
		event = append(event, o.event)
		group = append(group, o.group)
	}
	// survdiff(Surv(time, status) ~ x, data = aml)$chisq
	const amlChisq = 3.3963886989776011

	t.Run("group without subjects is ignored", func(t *testing.T) {
		g := make([]int, len(group))
		for i, v := range group {
			g[i] = 2 * v // groups 0 and 2 of 0..3
		}
		res, err := LogRank(time, event, g, 4, nil)
		if err != nil {
			t.Fatal(err)
		}
		if !rtest.Close(res.Chisq, amlChisq) || res.DF != 1 || res.N[1] != 0 || res.N[3] != 0 {
			t.Errorf("chisq %v df %d N %v; want %v 1 [11 0 12 0]", res.Chisq, res.DF, res.N, amlChisq)
		}
		for _, row := range res.Var {
			if row[1] != 0 || row[3] != 0 {
				t.Errorf("Var %v has non-zero entries for empty groups", res.Var)
			}
		}
	})
	t.Run("one stratum equals no strata", func(t *testing.T) {
		s := make([]int, len(time))
		for i := range s {
			s[i] = 7
		}
		res, err := LogRank(time, event, group, 2, s)
		if err != nil {
			t.Fatal(err)
		}
		if !rtest.Close(res.Chisq, amlChisq) {
			t.Errorf("chisq %v, want %v", res.Chisq, amlChisq)
		}
	})
	t.Run("group order does not matter", func(t *testing.T) {
		g := make([]int, len(group))
		for i, v := range group {
			g[i] = 1 - v
		}
		res, err := LogRank(time, event, g, 2, nil)
		if err != nil {
			t.Fatal(err)
		}
		if !rtest.Close(res.Chisq, amlChisq) || res.Observed[0] != 11 || res.Observed[1] != 7 {
			t.Errorf("chisq %v observed %v, want %v [11 7]", res.Chisq, res.Observed, amlChisq)
		}
	})
	t.Run("singular variance uses generalized inverse", func(t *testing.T) {
		// A third group only in a second stratum where every subject at
		// risk dies at once: O = E and V = 0 there, so the test equals the
		// two-group test, with DF 1 (survdiff's solve would fail).
		tm := append(append([]float64{}, time...), 3, 3, 3)
		ev := append(append([]bool{}, event...), true, true, true)
		g := append(append([]int{}, group...), 2, 2, 0)
		s := make([]int, len(tm))
		s[len(s)-1], s[len(s)-2], s[len(s)-3] = 1, 1, 1
		res, err := LogRank(tm, ev, g, 3, s)
		if err != nil {
			t.Fatal(err)
		}
		if !rtest.Close(res.Chisq, amlChisq) || res.DF != 1 {
			t.Errorf("chisq %v df %d, want %v 1", res.Chisq, res.DF, amlChisq)
		}
	})
	t.Run("identical groups give chisq 0", func(t *testing.T) {
		res, err := LogRank([]float64{1, 1, 2, 2, 3, 3}, []bool{true, true, false, false, true, true}, []int{0, 1, 0, 1, 0, 1}, 2, nil)
		if err != nil {
			t.Fatal(err)
		}
		if math.Abs(res.Chisq) > 1e-12 || res.P < 1-1e-9 || res.DF != 1 {
			t.Errorf("chisq %v p %v df %d, want 0 1 1", res.Chisq, res.P, res.DF)
		}
		// Hand computation at t=1: n=6, d=2, n_0=3: E_0 = 1,
		// V_00 = 2*4/(6*5) * 3*(1-3/6) = 0.4; at t=3: n=2, d=2: E_0 = 1, V = 0.
		if !rtest.Close(res.Expected[0], 2) || !rtest.Close(res.Var[0][0], 0.4) || !rtest.Close(res.Var[0][1], -0.4) {
			t.Errorf("E %v V %v, want E_0 2, V [[0.4 -0.4] ...]", res.Expected, res.Var)
		}
	})
}

func TestLogRankErrors(t *testing.T) {
	tests := []struct {
		name   string
		time   []float64
		event  []bool
		group  []int
		k      int
		strata []int
		want   string
	}{
		{"one group", []float64{1, 2}, []bool{true, true}, []int{1, 1}, 2, nil, "1 of 2 groups have subjects"},
		{"no events", []float64{1, 2}, []bool{false, false}, []int{0, 1}, 2, nil, "no events"},
		{"no subjects at risk at events", []float64{1, 2}, []bool{false, true}, []int{0, 1}, 2, nil, "only 1 group(s)"},
		{"zero variance", []float64{4, 4, 4}, []bool{true, true, true}, []int{0, 1, 1}, 2, nil, "variance of O-E is zero"},
		{"negative time", []float64{1, -2}, []bool{true, true}, []int{0, 1}, 2, nil, "time[1] = -2"},
		{"NaN time", []float64{math.NaN(), 2}, []bool{true, true}, []int{0, 1}, 2, nil, "time[0] = NaN"},
		{"group out of range", []float64{1, 2}, []bool{true, true}, []int{0, 2}, 2, nil, "group[1] = 2 outside 0..1"},
		{"empty", nil, nil, nil, 2, nil, "0 of 2 groups"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := LogRank(tc.time, tc.event, tc.group, tc.k, tc.strata)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v, want one containing %q", err, tc.want)
			}
		})
	}
}

func TestLogRankPanics(t *testing.T) {
	for _, tc := range []struct {
		name string
		call func()
	}{
		{"event length", func() { LogRank([]float64{1, 2}, []bool{true}, []int{0, 1}, 2, nil) }},
		{"group length", func() { LogRank([]float64{1, 2}, []bool{true, true}, []int{0}, 2, nil) }},
		{"strata length", func() { LogRank([]float64{1, 2}, []bool{true, true}, []int{0, 1}, 2, []int{0}) }},
		{"k = 0", func() { LogRank([]float64{1, 2}, []bool{true, true}, []int{0, 1}, 0, nil) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			defer func() {
				if recover() == nil {
					t.Error("no panic")
				}
			}()
			tc.call()
		})
	}
}

// TestTimeFix checks that times within R's all.equal tolerance are tied,
// as survdiff(timefix = TRUE) ties them: the result equals the one with
// exactly equal times.
func TestTimeFix(t *testing.T) {
	exact := []float64{10, 10, 20, 20, 30, 30.5}
	near := []float64{10, 10 * (1 + 1e-10), 20 + 1e-9, 20, 30, 30.5}
	event := []bool{true, true, true, false, true, true}
	group := []int{0, 1, 1, 0, 0, 1}
	a, err := LogRank(exact, event, group, 2, nil)
	if err != nil {
		t.Fatal(err)
	}
	b, err := LogRank(near, event, group, 2, nil)
	if err != nil {
		t.Fatal(err)
	}
	if a.Chisq != b.Chisq || a.Expected[0] != b.Expected[0] {
		t.Errorf("near-tied times: chisq %v E %v; exact ties: %v %v", b.Chisq, b.Expected, a.Chisq, a.Expected)
	}
	// 30 and 30.5 are not tied: separating them changes the test.
	c, _ := LogRank([]float64{10, 10, 20, 20, 30, 30}, event, group, 2, nil)
	if c.Chisq == a.Chisq {
		t.Errorf("tying 30 and 30.5 did not change chisq %v", a.Chisq)
	}
}
