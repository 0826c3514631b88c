package guyot

import (
	"math"
	"math/rand/v2"
	"slices"
	"sort"
	"testing"

	"github.com/ketcurves/ketcurves/pipeline/cox"
)

// trial is one simulated arm: individual data sorted by time, events first
// at ties.
type trial struct {
	time  []float64
	event []bool
}

// simulateArm draws n Weibull(shape 1.3) event times with hazard ratio hr
// against a control median of 10 months, uniform(0, 30) dropout and
// administrative censoring at 24 months.
func simulateArm(rng *rand.Rand, n int, hr float64) trial {
	const shape, median, tmax = 1.3, 10.0, 24.0
	scale := median / math.Pow(math.Ln2, 1/shape) * math.Pow(hr, -1/shape)
	a := trial{}
	type row struct {
		t float64
		e bool
	}
	rows := make([]row, n)
	for i := range rows {
		ev := scale * math.Pow(-math.Log(1-rng.Float64()), 1/shape)
		c := math.Min(30*rng.Float64(), tmax)
		rows[i] = row{math.Min(ev, c), ev <= c}
	}
	sort.Slice(rows, func(i, j int) bool { return rows[i].t < rows[j].t })
	for _, r := range rows {
		a.time, a.event = append(a.time, r.t), append(a.event, r.e)
	}
	return a
}

// Reader noise: SD 0.05% of the 24-month axis in time, 0.003 in survival;
// a digitization grid every 0.2 months.
var noiseT, noiseS, gridStep = 0.012, 0.003, 0.2

// digitize reads the arm's KM curve as a reader with a digitizer would: at
// a grid of times every 0.2 months up to the end of follow-up (120 points
// on a 24-month axis), with reader noise of SD noiseT in time and noiseS in
// survival, in reading order; and the at-risk table every 3 months with
// the total events.
func digitize(rng *rand.Rand, a trial) Input {
	times, surv := stepKM(a.time, a.event)
	var in Input
	end := a.time[len(a.time)-1]
	for t := 0.0; t < end+gridStep; t += gridStep {
		t = math.Min(t, end)
		s, _ := survAt(times, surv, t)
		in.Time = append(in.Time, t+noiseT*rng.NormFloat64())
		in.Surv = append(in.Surv, s+noiseS*rng.NormFloat64())
	}
	for t := 0.0; t < 24; t += 3 {
		in.RiskTime = append(in.RiskTime, t)
		at := len(a.time) - sort.SearchFloat64s(a.time, t)
		in.NRisk = append(in.NRisk, at)
	}
	for _, e := range a.event {
		if e {
			in.TotalEvents++
		}
	}
	return in
}

// gridDistance is max |KM_rec(t) - KM_true(t)| over the midpoints t <=
// until of the digitization grid: the reconstruction places each drop at
// the (noisy) grid time where the reader saw it, so it cannot be compared
// more finely than the grid the reader used.
func gridDistance(r *Result, a trial, until float64) float64 {
	ta, sa := stepKM(a.time, a.event)
	tb, sb := stepKM(r.Time, r.Event)
	m := 0.0
	for t := gridStep / 2; t <= until; t += gridStep {
		x, _ := survAt(ta, sa, t)
		y, _ := survAt(tb, sb, t)
		m = math.Max(m, math.Abs(x-y))
	}
	return m
}

func coxHR(t testing.TB, control, treated trial) float64 {
	t.Helper()
	time := append(slices.Clone(control.time), treated.time...)
	event := append(slices.Clone(control.event), treated.event...)
	arm := make([]float64, len(time))
	for i := len(control.time); i < len(time); i++ {
		arm[i] = 1
	}
	fit, err := cox.CoxPH(time, event, [][]float64{arm}, []string{"arm"}, nil, cox.Options{})
	if err != nil || fit.Status != cox.StatusOK {
		t.Fatalf("cox: %v %v", err, fit.Status)
	}
	return fit.HR[0]
}

func quantiles(x []float64) (q50, q90, q95, q99, max float64) {
	s := slices.Clone(x)
	slices.Sort(s)
	q := func(p float64) float64 { return s[int(math.Ceil(p*float64(len(s))))-1] }
	return q(0.5), q(0.9), q(0.95), q(0.99), s[len(s)-1]
}

// TestRoundTrip simulates two-arm trials of the bundled sizes (50, 100,
// 200 or 300 per arm; hazard ratio 0.5, 0.65 or 0.8), digitizes their KM
// curves with reader noise, reconstructs them and compares: the hazard
// ratio of the reconstructed data with that of the simulated data
// (relative error), and each reconstructed KM with the true one (sup
// distance). 200 seeded replications (40 under -short); the error
// quantiles are logged and quoted in doc.go.
func TestRoundTrip(t *testing.T) {
	reps := 200
	if testing.Short() {
		reps = 40
	}
	sizes := []int{50, 100, 200, 300}
	hrs := []float64{0.5, 0.65, 0.8}
	var hrErr, kmErr, kmAll, ptErr []float64
	cleaned := 0
	for rep := range reps {
		rng := rand.New(rand.NewPCG(12, uint64(rep)))
		n, hr := sizes[rep%len(sizes)], hrs[rep%len(hrs)]
		control, treated := simulateArm(rng, n, 1), simulateArm(rng, n, hr)
		var rec [2]*Result
		for i, a := range []trial{control, treated} {
			r, err := Reconstruct(digitize(rng, a))
			if err != nil {
				t.Fatalf("replication %d arm %d: %v", rep, i, err)
			}
			if len(r.Time) != len(a.time) {
				t.Fatalf("replication %d arm %d: %d rows, want %d", rep, i, len(r.Time), len(a.time))
			}
			kmAll = append(kmAll, SupDistance(r.Time, r.Event, a.time, a.event))
			// At the grid times read, up to the time when 20% of the
			// arm is still at risk (20%).
			until := a.time[len(a.time)-len(a.time)/5]
			kmErr = append(kmErr, gridDistance(r, a, until))
			ptErr = append(ptErr, r.MaxKMDiff)
			cleaned += r.Clean.Total()
			rec[i] = r
		}
		cmp, err := Compare(rec[0], rec[1])
		if err != nil {
			t.Fatal(err)
		}
		hrErr = append(hrErr, math.Abs(cmp.HR/coxHR(t, control, treated)-1))
	}
	h50, h90, h95, h99, hmax := quantiles(hrErr)
	k50, k90, k95, k99, kmax := quantiles(kmErr)
	p50, _, p95, _, pmax := quantiles(ptErr)
	a50, a90, a95, a99, amax := quantiles(kmAll)
	t.Logf("KM sup distance over the whole curve: median %.4f, 90%% %.4f, 95%% %.4f, 99%% %.4f, max %.4f", a50, a90, a95, a99, amax)
	t.Logf("%d replications: |HR_rec/HR_true - 1| median %.4f, 90%% %.4f, 95%% %.4f, 99%% %.4f, max %.4f", reps, h50, h90, h95, h99, hmax)
	t.Logf("KM sup distance at the grid times while >= 20%% at risk: median %.4f, 90%% %.4f, 95%% %.4f, 99%% %.4f, max %.4f", k50, k90, k95, k99, kmax)
	t.Logf("reconstructed KM vs digitized points: median %.4f, 95%% %.4f, max %.4f; %d points cleaned", p50, p95, pmax, cleaned)
	// Not yet the target of issue 12 (every replication within 5% in HR
	// and 0.02 in KM sup distance): see doc.go. These bounds guard the
	// achieved accuracy against regressions.
	if h95 > 0.05 {
		t.Errorf("95%% quantile of the HR relative error %.4f, want <= 0.05", h95)
	}
	if k50 > 0.03 || k95 > 0.07 {
		t.Errorf("KM sup distance median %.4f, 95%% %.4f: want <= 0.03 and <= 0.07", k50, k95)
	}
}
