package cox

import (
	"math"
	"slices"
	"strings"
	"testing"
)

func TestPiecewiseAgainstR(t *testing.T) {
	lung := loadLungInst(t)
	sim := loadSimEntry(t)
	lungR := []string{"sex:strata(tgroup)tgroup=1", "sex:strata(tgroup)tgroup=2", "sex:strata(tgroup)tgroup=3", "age", "ph.ecog"}
	simR := []string{"KET:strata(tgroup)tgroup=1", "KET:strata(tgroup)tgroup=2", "KET:strata(tgroup)tgroup=3", "ESK", "AGE", "SEXM"}
	tests := []struct {
		extCase
		treatment string
		cuts      []float64
		names     []string // our names of the terms, in R's order rTerms
	}{
		{extCase{name: "lung_piecewise_efron",
			rCall: `lung_split <- survSplit(Surv(time, status == 2) ~ ., data = lung_inst, cut = c(180, 365), episode = "tgroup"); coxph(Surv(tstart, time, event) ~ sex:strata(tgroup) + age + ph.ecog, data = lung_split)`,
			data:  lung, terms: []string{"age", "ph.ecog"}, rTerms: lungR}, "sex", []float64{180, 365},
			[]string{"sex:(0,180]", "sex:(180,365]", "sex:(365,Inf)", "age", "ph.ecog"}},
		{extCase{name: "lung_piecewise_cluster_breslow",
			rCall: `coxph(Surv(tstart, time, event) ~ sex:strata(tgroup) + age + ph.ecog, data = lung_split, cluster = inst, ties = "breslow")`,
			data:  lung, terms: []string{"age", "ph.ecog"}, rTerms: lungR, cluster: "inst", opt: Options{Ties: Breslow}}, "sex", []float64{180, 365}, nil},
		{extCase{name: "sim_piecewise_strata_efron",
			rCall: `sim_split <- survSplit(Surv(AVAL, 1 - CNSR) ~ ., data = sim, cut = c(7, 21), episode = "tgroup"); coxph(Surv(tstart, AVAL, event) ~ KET:strata(tgroup) + ESK + AGE + SEX + strata(STRATUM), data = sim_split)`,
			data:  sim, terms: []string{"ARMEsketamine", "AGE", "SEXM"}, rTerms: simR, strata: "STRATUM"}, "ARMKetamine", []float64{7, 21}, nil},
		{extCase{name: "sim_piecewise_entry_efron",
			rCall: `sim_split_entry <- survSplit(Surv(ENTRY, AVAL, 1 - CNSR) ~ ., data = sim, cut = c(7, 21), episode = "tgroup"); coxph(Surv(ENTRY, AVAL, event) ~ KET:strata(tgroup) + ESK + AGE + SEX, data = sim_split_entry)`,
			data:  sim, terms: []string{"ARMEsketamine", "AGE", "SEXM"}, rTerms: simR, entry: true}, "ARMKetamine", []float64{7, 21}, nil},
	}
	ref := loadReferenceFile(t, "reference_ext.csv")
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			x := make([][]float64, len(tc.terms))
			for j, term := range tc.terms {
				x[j] = tc.data.cols[term]
			}
			var strata []int
			if tc.strata != "" {
				strata = tc.data.strata[tc.strata]
			}
			opt := tc.opt
			if tc.entry {
				opt.Entry = tc.data.entry
			}
			if tc.cluster != "" {
				opt.Cluster = tc.data.cluster[tc.cluster]
			}
			res, err := Piecewise(tc.data.time, tc.data.event, tc.data.cols[tc.treatment], tc.treatment, x, tc.terms, strata, tc.cuts, opt)
			if err != nil {
				t.Fatal(err)
			}
			if res.Fit.Status != StatusOK {
				t.Errorf("Status %q: %q", res.Fit.Status, res.Fit.Messages)
			}
			if tc.names != nil && !slices.Equal(res.Fit.Names, tc.names) {
				t.Errorf("Names = %q, want %q", res.Fit.Names, tc.names)
			}
			checkAgainstR(t, ref, tc.name, tc.rCall, res.Fit.Names, tc.rTerms, res.Fit, tc.cluster != "")
			events := 0
			for k, iv := range res.Intervals {
				events += iv.Events
				se := res.Fit.SE[k]
				if res.Robust {
					se = res.Fit.Robust.SE[k]
				}
				if iv.Coef != res.Fit.Coef[k] || iv.SE != se || iv.Name != res.Fit.Names[k] {
					t.Errorf("interval %d: %+v does not match the fit's term %d", k, iv, k)
				}
				rTerm := tc.rTerms[k]
				if !closeRel(iv.HRLower, ref.get(t, tc.name, "lower", rTerm), relTol) || !closeRel(iv.HRUpper, ref.get(t, tc.name, "upper", rTerm), relTol) {
					t.Errorf("interval %d: HR CI (%g, %g), want R's (%g, %g)", k, iv.HRLower, iv.HRUpper,
						ref.get(t, tc.name, "lower", rTerm), ref.get(t, tc.name, "upper", rTerm))
				}
			}
			if events != res.Fit.Events {
				t.Errorf("interval events sum to %d, fit has %d", events, res.Fit.Events)
			}
		})
	}
}

func TestSplitAt(t *testing.T) {
	// Row 1 (0, 5] crosses both cuts; row 2 (2, 3] crosses none; row 3
	// (0, 2] ends on a cut; row 4 (2, 6] starts on one.
	entry := []float64{0, 2, 0, 2}
	time := []float64{5, 3, 2, 6}
	event := []bool{true, false, true, true}
	s, err := SplitAt(entry, time, event, []float64{2, 4})
	if err != nil {
		t.Fatal(err)
	}
	want := Split{
		Entry:    []float64{0, 2, 4, 2, 0, 2, 4},
		Time:     []float64{2, 4, 5, 3, 2, 4, 6},
		Event:    []bool{false, false, true, false, true, false, true},
		Row:      []int{0, 0, 0, 1, 2, 3, 3},
		Interval: []int{0, 1, 2, 1, 0, 1, 2},
	}
	if !slices.Equal(s.Entry, want.Entry) || !slices.Equal(s.Time, want.Time) || !slices.Equal(s.Event, want.Event) ||
		!slices.Equal(s.Row, want.Row) || !slices.Equal(s.Interval, want.Interval) {
		t.Errorf("SplitAt =\n%+v, want\n%+v", *s, want)
	}
}

func TestPiecewiseErrors(t *testing.T) {
	time := []float64{1, 2, 3, 4}
	event := []bool{true, true, false, true}
	trt := []float64{0, 1, 0, 1}
	for _, tc := range []struct {
		name string
		time []float64
		cuts []float64
		want string
	}{
		{"no cuts", time, nil, "no cut points"},
		{"zero cut", time, []float64{0, 2}, "positive"},
		{"negative cut", time, []float64{-1}, "positive"},
		{"NaN cut", time, []float64{math.NaN()}, "positive"},
		{"Inf cut", time, []float64{math.Inf(1)}, "positive"},
		{"decreasing", time, []float64{3, 2}, "increasing"},
		{"repeated", time, []float64{2, 2}, "increasing"},
		{"time zero", []float64{0, 2, 3, 4}, []float64{2}, "row 1: time 0 is not after"},
		{"NaN time", []float64{1, math.NaN(), 3, 4}, []float64{2}, "row 2"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Piecewise(tc.time, event, trt, "TRT", nil, nil, nil, tc.cuts, Options{})
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v, want one containing %q", err, tc.want)
			}
		})
	}
}
