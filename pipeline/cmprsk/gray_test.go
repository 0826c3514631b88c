package cmprsk

import (
	"fmt"
	"math"
	"path/filepath"
	"testing"

	"github.com/ketcurves/ketcurves/pipeline/rtest"
)

// grayData reads the columns of a competing-risks CSV in testdata.
func grayData(t *testing.T, file, tcol, scol string, ints ...string) (time []float64, status []int, cols map[string][]int) {
	t.Helper()
	cols = map[string][]int{}
	for _, r := range rtest.ReadCSV(t, filepath.Join("testdata", file)) {
		time = append(time, r.Float(t, tcol))
		status = append(status, r.Int(t, scol))
		for _, c := range ints {
			if c == "old" {
				age := r.Float(t, "age")
				v := 0
				if age >= 70 {
					v = 1
				}
				cols[c] = append(cols[c], v)
				continue
			}
			cols[c] = append(cols[c], r.Int(t, c))
		}
	}
	return time, status, cols
}

// TestGrayReference compares gray_reference.csv, written by
// testdata/make_gray_reference.R with
//
//	cuminc(cr$etime, cr$event, cr$sex, rho = rho)$Tests                     # mgus2, by sex
//	cuminc(cr$etime, cr$event, cr$sex, strata = cr$old, rho = rho)$Tests    # old = age >= 70
//	cuminc(sim$time, sim$status, sim$arm, rho = rho)$Tests                  # 3 arms, 3 causes, ties
//	cuminc(sim$time, sim$status, sim$arm, strata = sim$site, rho = rho)$Tests
//
// for rho = 0 and 1: statistic, p-value and df per cause.
func TestGrayReference(t *testing.T) {
	crT, crS, crC := grayData(t, "mgus2_cr.csv", "etime", "event", "sex", "old")
	simT, simS, simC := grayData(t, "gray_sim.csv", "time", "status", "arm", "site")
	worst := 0.0
	for _, r := range rtest.ReadCSV(t, "testdata/gray_reference.csv") {
		time, status, cols := crT, crS, crC
		if r["dataset"] == "gray_sim" {
			time, status, cols = simT, simS, simC
		}
		opt := GrayOptions{Rho: r.Float(t, "rho")}
		if r["strata"] != "none" {
			opt.Strata = cols[r["strata"]]
		}
		res, err := GrayTest(time, status, cols[r["group"]], opt)
		if err != nil {
			t.Fatal(err)
		}
		cause := r.Int(t, "cause")
		name := fmt.Sprintf("%s by %s strata %s rho %s cause %d", r["dataset"], r["group"], r["strata"], r["rho"], cause)
		var got *GrayResult
		for i := range res {
			if res[i].Cause == cause {
				got = &res[i]
			}
		}
		if got == nil {
			t.Fatalf("%s: no result", name)
		}
		stat, pv, df := r.Float(t, "stat"), r.Float(t, "pv"), r.Int(t, "df")
		if got.Status != StatusOK || !rtest.Close(got.Stat, stat) || !nearRel(got.P, pv) || got.DF != df {
			t.Errorf("%s: %s stat %v p %v df %d; R %v %v %d", name, got.Status, got.Stat, got.P, got.DF, stat, pv, df)
		}
		worst = math.Max(worst, math.Max(rtest.RelErr(got.Stat, stat), rtest.RelErr(got.P, pv)))
	}
	t.Logf("max relative error against R: %v", worst)
}

func TestGrayErrors(t *testing.T) {
	time := []float64{1, 2, 3, 4}
	for i, test := range []struct {
		time   []float64
		status []int
		group  []int
	}{
		{nil, nil, nil},
		{time, []int{0, 1, 1, 2}, []int{1, 1, 1, 1}},
		{[]float64{1, -2, 3, 4}, []int{0, 1, 1, 2}, []int{0, 1, 0, 1}},
		{time, []int{0, -1, 1, 2}, []int{0, 1, 0, 1}},
	} {
		if _, err := GrayTest(test.time, test.status, test.group, GrayOptions{}); err == nil {
			t.Errorf("test %d: no error", i)
		}
	}
	res, err := GrayTest(time, []int{0, 0, 0, 0}, []int{0, 1, 0, 1}, GrayOptions{})
	if err != nil || len(res) != 1 || res[0].Status != StatusNoEvents {
		t.Errorf("no events: %+v, %v; want status %q", res, err, StatusNoEvents)
	}
}
