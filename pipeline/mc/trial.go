package mc

import (
	"math"
	"math/rand/v2"

	"gonum.org/v1/gonum/stat/distuv"

	"github.com/ketcurves/ketcurves/pipeline/cox"
	"github.com/ketcurves/ketcurves/pipeline/km"
	"github.com/ketcurves/ketcurves/pipeline/logrank"
)

// trialOutcome is what one simulated trial contributes to the sums.
type trialOutcome struct {
	events int

	lrOK, lrReject, lrDirectional bool

	coxOK, coxReject, hrCover bool
	logHR, seLogHR            float64

	medianOK                   bool
	medianReached, medianCover [2]bool
	median                     [2]float64

	rmstOK, rmstCover bool
	rmstDiff, rmstSE  float64
}

// simulator holds one worker's buffers: a trial allocates only inside the
// estimators it calls.
type simulator struct {
	d     *Design
	truth Truth
	w     [2]weibull
	z     float64 // normal quantile of the CI level
	n0, n int

	pcg   *rand.PCG
	rng   *rand.Rand
	time  []float64
	event []bool
	group []int
	x     [][]float64
	names []string
}

func newSimulator(d *Design, truth Truth) *simulator {
	n0, n1 := d.Control.N, d.Experimental.N
	n := n0 + n1
	s := &simulator{
		d: d, truth: truth, w: d.arms(), n0: n0, n: n,
		z:     distuv.UnitNormal.Quantile(1 - (1-d.ConfLevel)/2),
		pcg:   rand.NewPCG(0, 0),
		time:  make([]float64, n),
		event: make([]bool, n),
		group: make([]int, n),
		x:     [][]float64{make([]float64, n)},
		names: []string{"TRTP:" + d.Experimental.Name},
	}
	s.rng = rand.New(s.pcg)
	for i := n0; i < n; i++ {
		s.group[i] = 1
		s.x[0][i] = 1
	}
	return s
}

// simulate draws trial i: control subjects first, then experimental. Each
// subject draws, in order, an exponential variate E (event time
// scale·E^(1/shape)), a uniform follow-up and an exponential dropout time.
func (s *simulator) simulate(seed uint64, trial int) {
	s.pcg.Seed(seed, uint64(trial))
	d := s.d
	span := d.Followup.Max - d.Followup.Min
	for i := range s.n {
		w := s.w[s.group[i]]
		t := w.scale * math.Pow(s.rng.ExpFloat64(), 1/w.shape)
		c := d.Followup.Min + span*s.rng.Float64()
		drop := s.rng.ExpFloat64()
		if d.DropoutRate > 0 {
			c = math.Min(c, drop/d.DropoutRate)
		}
		s.time[i] = math.Min(t, c)
		s.event[i] = t <= c
	}
}

// analyse runs the analyses of the fit stage on the simulated trial.
func (s *simulator) analyse() trialOutcome {
	var o trialOutcome
	d := s.d
	for _, e := range s.event {
		if e {
			o.events++
		}
	}
	if d.runs(AnalysisLogrank) {
		s.logrank(&o)
	}
	if d.runs(AnalysisCox) {
		s.cox(&o)
	}
	if d.runs(AnalysisMedian) || d.runs(AnalysisRMST) {
		s.kaplanMeier(&o)
	}
	return o
}

func (s *simulator) logrank(o *trialOutcome) {
	d := s.d
	if lr, err := logrank.LogRank(s.time, s.event, s.group, 2, nil); err == nil {
		o.lrOK = true
		o.lrReject = lr.P < d.Alpha
		more := lr.Observed[1] > lr.Expected[1] // experimental arm has more events than expected
		o.lrDirectional = o.lrReject && more == (s.truth.HR > 1)
	}
}

func (s *simulator) cox(o *trialOutcome) {
	d := s.d
	if fit, err := cox.CoxPH(s.time, s.event, s.x, s.names, nil, cox.Options{Ties: d.Ties, ConfLevel: d.ConfLevel}); err == nil && fit.Status == cox.StatusOK {
		o.coxOK = true
		o.logHR, o.seLogHR = fit.Coef[0], fit.SE[0]
		o.coxReject = fit.P[0] < d.Alpha
		o.hrCover = fit.HRLower[0] <= s.truth.HR && s.truth.HR <= fit.HRUpper[0]
	}
}

func (s *simulator) kaplanMeier(o *trialOutcome) {
	d := s.d
	var rm [2]RMST
	for a, arm := range [2][2]int{{0, s.n0}, {s.n0, s.n}} {
		c, err := km.KaplanMeier(s.time[arm[0]:arm[1]], s.event[arm[0]:arm[1]], km.Options{ConfType: d.ConfType, ConfLevel: d.ConfLevel})
		if err != nil {
			panic("mc: Kaplan-Meier of simulated data: " + err.Error()) // n >= 2 finite times: cannot fail
		}
		if d.runs(AnalysisMedian) {
			o.medianOK = true
			q := c.Quantile(0.5)
			truth := s.truth.Median[a]
			if !math.IsNaN(q.Time) {
				o.medianReached[a] = true
				o.median[a] = q.Time
			}
			// A limit that is not reached (NaN) lies beyond follow-up: a
			// NaN upper limit is +Inf; a NaN lower limit excludes every
			// truth within follow-up.
			o.medianCover[a] = !math.IsNaN(q.Lower) && q.Lower <= truth && (math.IsNaN(q.Upper) || truth <= q.Upper)
		}
		rm[a] = RestrictedMean(c, d.RMSTTau)
	}
	if d.runs(AnalysisRMST) {
		o.rmstOK = true
		o.rmstDiff = rm[1].Estimate - rm[0].Estimate
		o.rmstSE = math.Hypot(rm[0].SE, rm[1].SE)
		o.rmstCover = math.Abs(o.rmstDiff-s.truth.RMSTDiff) <= s.z*o.rmstSE
	}
}
