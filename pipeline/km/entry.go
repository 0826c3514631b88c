package km

import (
	"errors"
	"fmt"
	"math"
	"slices"

	"github.com/ketcurves/ketcurves/pipeline/survtime"

	"gonum.org/v1/gonum/stat/distuv"
)

// kaplanMeierEntry is KaplanMeier with delayed entry (left truncation):
// subject i is at risk on (entry[i], time[i]]. See KaplanMeier.
func kaplanMeierEntry(time []float64, event []bool, entry []float64, opt Options) (*Curve, error) {
	if len(time) == 0 {
		return nil, errors.New("could not estimate Kaplan-Meier curve: no observations")
	}
	for i, t := range time {
		if math.IsNaN(t) || math.IsInf(t, 0) || t < 0 {
			return nil, fmt.Errorf("could not estimate Kaplan-Meier curve: time[%d] = %v: times must be finite and >= 0", i, t)
		}
		if e := entry[i]; math.IsNaN(e) || math.IsInf(e, 0) || !(e < t) {
			return nil, fmt.Errorf("could not estimate Kaplan-Meier curve: entry[%d] = %v, time[%d] = %v: a subject must enter before its event or censoring time", i, e, i, t)
		}
	}
	obs := make([]observation, len(time))
	entries := make([]float64, len(time))
	for i, t := range time {
		obs[i] = observation{t: t, event: event[i]}
		entries[i] = entry[i]
	}
	if i, ok := tieTimesEntry(obs, entries); !ok {
		return nil, fmt.Errorf("could not estimate Kaplan-Meier curve: entry[%d] = %v and time[%d] = %v are equal within R's tolerance (sqrt of machine epsilon): the interval at risk is empty", i, entry[i], i, time[i])
	}
	slices.SortFunc(obs, func(a, b observation) int {
		switch {
		case a.t < b.t:
			return -1
		case a.t > b.t:
			return 1
		}
		return 0
	})
	slices.Sort(entries)

	nDistinct := 0
	for i := range obs {
		if i == 0 || obs[i].t != obs[i-1].t {
			nDistinct++
		}
	}
	c := &Curve{
		N:         len(obs),
		ConfType:  opt.ConfType,
		ConfLevel: opt.ConfLevel,
		Time:      make([]float64, 0, nDistinct),
		NRisk:     make([]int, 0, nDistinct),
		NEvent:    make([]int, 0, nDistinct),
		NCensor:   make([]int, 0, nDistinct),
		Surv:      make([]float64, 0, nDistinct),
		StdErr:    make([]float64, 0, nDistinct),
		Lower:     make([]float64, 0, nDistinct),
		Upper:     make([]float64, 0, nDistinct),
	}
	z := distuv.UnitNormal.Quantile(1 - (1-opt.ConfLevel)/2)
	surv, greenwood := 1.0, 0.0
	entered := 0 // subjects with entry < t
	for i := 0; i < len(obs); {
		t := obs[i].t
		for entered < len(entries) && entries[entered] < t {
			entered++
		}
		atRisk := entered - i // i subjects left before t
		d, cens := 0, 0
		for ; i < len(obs) && obs[i].t == t; i++ {
			if obs[i].event {
				d++
			} else {
				cens++
			}
		}
		if d > 0 {
			n := float64(atRisk)
			surv *= (n - float64(d)) / n
			greenwood += float64(d) / (n * (n - float64(d))) // +Inf when d == n
		}
		seLog := math.Sqrt(greenwood)
		se := surv * seLog
		if surv == 0 {
			se = math.NaN()
		}
		lo, hi := confLimits(opt.ConfType, z, surv, seLog)
		c.Time = append(c.Time, t)
		c.NRisk = append(c.NRisk, atRisk)
		c.NEvent = append(c.NEvent, d)
		c.NCensor = append(c.NCensor, cens)
		c.Surv = append(c.Surv, surv)
		c.StdErr = append(c.StdErr, se)
		c.Lower = append(c.Lower, lo)
		c.Upper = append(c.Upper, hi)
		c.Events += d
	}
	return c, nil
}

// tieTimesEntry makes entry and event/censoring times that R's
// survival:::aeqSurv would treat as tied equal, in place, jointly (as for a
// Surv(entry, time, status) object; survtime.Fix). obs[i].t and entry[i]
// belong to the same subject. It returns the index of a subject and false
// if its entry and time became equal (R stops with "aeqSurv exception, an
// interval has effective length 0").
func tieTimesEntry(obs []observation, entry []float64) (int, bool) {
	ts := make([]float64, len(obs))
	for i := range obs {
		ts[i] = obs[i].t
	}
	if !survtime.Fix(ts, entry) {
		return 0, true
	}
	for i := range obs {
		obs[i].t = ts[i]
		if entry[i] == ts[i] {
			return i, false
		}
	}
	return 0, true
}
