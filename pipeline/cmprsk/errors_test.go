package cmprsk

import (
	"math"
	"strings"
	"testing"

	"github.com/ketcurves/ketcurves/pipeline/rtest"
)

func TestCumulativeIncidenceErrors(t *testing.T) {
	for i, test := range []struct {
		time   []float64
		status []int
		opt    IncidenceOptions
		want   string // in the error message
	}{
		{nil, nil, IncidenceOptions{}, "no rows"},
		{[]float64{1, 2}, []int{1, 3}, IncidenceOptions{Causes: 2}, "status[1] = 3"},
		{[]float64{1, 2}, []int{1, -1}, IncidenceOptions{}, "status[1] = -1"},
		{[]float64{1, math.NaN()}, []int{1, 0}, IncidenceOptions{}, "must be finite"},
		{[]float64{1, 2}, []int{1, 0}, IncidenceOptions{Entry: []float64{0, 2}}, "not before stop time"},
		{[]float64{1, 2}, []int{1, 0}, IncidenceOptions{Entry: []float64{0, 2 - 1e-10}}, "equal within R's tolerance"},
		{[]float64{1, 2}, []int{1, 0}, IncidenceOptions{Tau: []float64{-1}}, "restricted mean"},
	} {
		_, err := CumulativeIncidence(test.time, test.status, test.opt)
		if err == nil || !strings.Contains(err.Error(), test.want) {
			t.Errorf("test %d: error %v, want one containing %q", i, err, test.want)
		}
	}
}

func TestAalenJohansenErrors(t *testing.T) {
	states := []string{"a", "b", "c"}
	for i, test := range []struct {
		d    MultiStateData
		want string
	}{
		{MultiStateData{States: states, ID: []int{1, 1}, Start: []float64{0, 1}, Stop: []float64{2, 3}, From: []int{0, 0}, To: []int{Censored, 1}}, "overlap"},
		{MultiStateData{States: states, ID: []int{1, 1}, Start: []float64{0, 3}, Stop: []float64{2, 4}, From: []int{0, 0}, To: []int{Censored, 1}}, "gap"},
		{MultiStateData{States: states, ID: []int{1, 1}, Start: []float64{0, 2}, Stop: []float64{2, 4}, From: []int{0, 2}, To: []int{1, Censored}}, "moved to state 1"},
		{MultiStateData{States: states, ID: []int{1, 1}, Start: []float64{0, 2}, Stop: []float64{2, 4}, From: []int{0, 1}, To: []int{Censored, 2}}, "without a transition"},
		{MultiStateData{States: states, Stop: []float64{2}, From: []int{0}, To: []int{0}}, "use Censored"},
		{MultiStateData{States: states, Stop: []float64{2}, From: []int{3}, To: []int{1}}, "from state 3"},
		{MultiStateData{States: states, Stop: []float64{2}, From: []int{0}, To: []int{5}}, "to state 5"},
		{MultiStateData{States: states, ID: []int{1, 1}, Stop: []float64{2, 3}, From: []int{0, 0}, To: []int{1, 2}}, "give Start times"},
	} {
		_, err := AalenJohansen(test.d, MultiStateOptions{})
		if err == nil || !strings.Contains(err.Error(), test.want) {
			t.Errorf("test %d: error %v, want one containing %q", i, err, test.want)
		}
	}
}

// TestCumulativeIncidenceNoEvents checks a cause without events (a zero
// curve, NaN log-scale limits as R's NA) and a single cause, whose
// event-free curve is the Kaplan–Meier estimate, computed here directly.
func TestCumulativeIncidenceNoEvents(t *testing.T) {
	time := []float64{2, 3, 3, 5, 8, 8, 9, 12}
	status := []int{1, 0, 1, 1, 0, 1, 0, 1}
	c, err := CumulativeIncidence(time, status, IncidenceOptions{Causes: 2})
	if err != nil {
		t.Fatal(err)
	}
	km, atRisk := 1.0, float64(len(time))
	for i, tt := range c.Time {
		var d, n float64
		for j, x := range time {
			if x == tt {
				n++
				if status[j] == 1 {
					d++
				}
			}
		}
		km *= 1 - d/atRisk
		atRisk -= n
		if !rtest.Close(c.PState[0][i], km) || !rtest.Close(c.PState[1][i], 1-km) {
			t.Errorf("time %v: S %v F1 %v; Kaplan-Meier %v", tt, c.PState[0][i], c.PState[1][i], km)
		}
		if c.PState[2][i] != 0 || c.StdErr[2][i] != 0 || !math.IsNaN(c.Lower[2][i]) {
			t.Errorf("time %v: cause 2 without events: p %v se %v lower %v; want 0, 0, NaN", tt, c.PState[2][i], c.StdErr[2][i], c.Lower[2][i])
		}
	}
}

func TestFineGrayStatus(t *testing.T) {
	time, status, x := simCompeting(300, 9)
	// No failure from the cause.
	res, err := FineGray(time, status, x, FineGrayOptions{Cause: 7})
	if err != nil || res.Status != StatusNoEvents || res.Coef != nil {
		t.Errorf("cause without events: %v, status %q coef %v; want %q and no estimates", err, res.Status, res.Coef, StatusNoEvents)
	}
	// A constant covariate is not estimable.
	flat := [][]float64{x[0], make([]float64, len(time))}
	res, err = FineGray(time, status, flat, FineGrayOptions{})
	if err != nil || res.Status != StatusSingular || !math.IsNaN(res.SE[1]) {
		t.Errorf("constant covariate: %v, status %q SE %v; want %q and NaN SE", err, res.Status, res.SE, StatusSingular)
	}
	// No Newton step allowed.
	res, err = FineGray(time, status, x, FineGrayOptions{MaxIter: -1})
	if err != nil || res.Status != StatusNotConverged || res.Converged || res.Iter != 0 {
		t.Errorf("MaxIter -1: %v, status %q converged %v iter %d", err, res.Status, res.Converged, res.Iter)
	}
	for i, test := range []struct {
		time   []float64
		status []int
		x      [][]float64
		want   string
	}{
		{nil, nil, [][]float64{{}}, "no observations"},
		{[]float64{1, 2}, []int{1, 0}, nil, "no covariates"},
		{[]float64{-1, 2}, []int{1, 0}, [][]float64{{0, 1}}, "time[0] = -1"},
		{[]float64{1, 2}, []int{1, -2}, [][]float64{{0, 1}}, "status[1] = -2"},
		{[]float64{1, 2}, []int{1, 0}, [][]float64{{0, math.NaN()}}, "covariate 0, row 1"},
	} {
		_, err := FineGray(test.time, test.status, test.x, FineGrayOptions{})
		if err == nil || !strings.Contains(err.Error(), test.want) {
			t.Errorf("test %d: error %v, want one containing %q", i, err, test.want)
		}
	}
}

// TestFineGrayRowOrder checks that the fit does not depend on the order of
// the rows (ties included).
func TestFineGrayRowOrder(t *testing.T) {
	time, status, x := simCompeting(500, 11)
	a, _ := FineGray(time, status, x, FineGrayOptions{})
	n := len(time)
	rt, rs := make([]float64, n), make([]int, n)
	rx := [][]float64{make([]float64, n), make([]float64, n)}
	for i := range n {
		j := n - 1 - i
		rt[i], rs[i], rx[0][i], rx[1][i] = time[j], status[j], x[0][j], x[1][j]
	}
	b, _ := FineGray(rt, rs, rx, FineGrayOptions{})
	for j := range a.Coef {
		if !scalarNear(a.Coef[j], b.Coef[j], 1e-10) || !scalarNear(a.SE[j], b.SE[j], 1e-10) {
			t.Errorf("term %d: coef %v / %v, se %v / %v after reversing the rows", j, a.Coef[j], b.Coef[j], a.SE[j], b.SE[j])
		}
	}
}
