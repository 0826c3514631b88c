package cox

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"
)

func TestEntryAndZPHErrors(t *testing.T) {
	time := []float64{1, 2, 3, 4}
	event := []bool{true, false, true, true}
	x := [][]float64{{0, 1, 1, 0}}
	names := []string{"x"}
	for _, tc := range []struct {
		name  string
		entry []float64
		want  string
	}{
		{"entry equals time", []float64{0, 2, 0, 0}, "row 2 enters at 2, not before"},
		{"entry after time", []float64{0, 0, 5, 0}, "row 3 enters at 5"},
		{"NaN entry", []float64{0, math.NaN(), 0, 0}, "entry time of row 2 is NaN"},
		{"Inf entry", []float64{math.Inf(-1), 0, 0, 0}, "entry time of row 1 is -Inf"},
		{"tied by aeqSurv", []float64{0, 2 - 1e-10, 0, 0}, "effective length 0"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := CoxPH(time, event, x, names, nil, Options{Entry: tc.entry})
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v, want one containing %q", err, tc.want)
			}
		})
	}
	fit, err := CoxPH(time, event, x, names, nil, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ZPH(fit, time, event, x, nil, Options{}, "log"); err == nil || !strings.Contains(err.Error(), "unknown cox.zph transform") {
		t.Errorf("ZPH with transform log: error %v", err)
	}
	if _, err := ParseTransform(" KM "); err != nil {
		t.Errorf("ParseTransform(KM): %v", err)
	}
	for _, fn := range []func(){
		func() { CoxPH(time, event, x, names, nil, Options{Entry: []float64{0}}) },
		func() { CoxPH(time, event, x, names, nil, Options{Cluster: []int{1, 2}}) },
		func() { ZPH(fit, time[:3], event[:3], [][]float64{x[0][:3]}, nil, Options{}, TransformKM) },
		func() { SplitAt(nil, time, event[:2], []float64{1}) },
	} {
		func() {
			defer func() {
				if recover() == nil {
					t.Error("no panic for mismatched lengths")
				}
			}()
			fn()
		}()
	}
}

// TestRobustProperties checks, without R, that the robust variance does not
// depend on how cluster ids are numbered or on the order of the rows, that
// one cluster per row equals Robust, and that entry times before every
// event change nothing.
func TestRobustProperties(t *testing.T) {
	d := loadLungInst(t)
	x := [][]float64{d.cols["age"], d.cols["sex"], d.cols["ph.ecog"]}
	names := []string{"age", "sex", "ph.ecog"}
	base, err := CoxPH(d.time, d.event, x, names, nil, Options{Cluster: d.cluster["inst"]})
	if err != nil {
		t.Fatal(err)
	}
	// Renumber clusters and permute rows.
	rng := rand.New(rand.NewPCG(3, 4))
	perm := rng.Perm(len(d.time))
	n := len(d.time)
	pt, pe, pc := make([]float64, n), make([]bool, n), make([]int, n)
	px := [][]float64{make([]float64, n), make([]float64, n), make([]float64, n)}
	for k, i := range perm {
		pt[k], pe[k], pc[k] = d.time[i], d.event[i], 1000-7*d.cluster["inst"][i]
		for j := range px {
			px[j][k] = x[j][i]
		}
	}
	got, err := CoxPH(pt, pe, px, names, nil, Options{Cluster: pc})
	if err != nil {
		t.Fatal(err)
	}
	for j := range names {
		if !closeRel(got.Robust.SE[j], base.Robust.SE[j], 1e-9) {
			t.Errorf("%s: robust SE %g after renumbering and permuting, %g before", names[j], got.Robust.SE[j], base.Robust.SE[j])
		}
	}
	if got.Robust.Clusters != base.Robust.Clusters || !closeRel(got.Robust.Score.Statistic, base.Robust.Score.Statistic, 1e-9) {
		t.Errorf("clusters %d vs %d, robust score %g vs %g", got.Robust.Clusters, base.Robust.Clusters, got.Robust.Score.Statistic, base.Robust.Score.Statistic)
	}
	rows, err := CoxPH(d.time, d.event, x, names, nil, Options{Cluster: d.cluster["row"]})
	if err != nil {
		t.Fatal(err)
	}
	robust, err := CoxPH(d.time, d.event, x, names, nil, Options{Robust: true})
	if err != nil {
		t.Fatal(err)
	}
	early := make([]float64, n)
	for i := range early {
		early[i] = -1
	}
	entered, err := CoxPH(d.time, d.event, x, names, nil, Options{Robust: true, Entry: early})
	if err != nil {
		t.Fatal(err)
	}
	for j := range names {
		if !closeRel(rows.Robust.SE[j], robust.Robust.SE[j], 1e-12) || !closeRel(entered.Robust.SE[j], robust.Robust.SE[j], 1e-9) ||
			!closeRel(entered.Coef[j], robust.Coef[j], 1e-9) {
			t.Errorf("%s: robust SE per-row clusters %g, Robust %g, with entry -1 %g", names[j], rows.Robust.SE[j], robust.Robust.SE[j], entered.Robust.SE[j])
		}
	}
}
