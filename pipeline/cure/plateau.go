package cure

import (
	"errors"
	"fmt"
	"math"

	"github.com/ketcurves/ketcurves/pipeline/order"
	"github.com/ketcurves/ketcurves/pipeline/survtime"
)

// Plateau statuses, in Plateau.Status.
const (
	PlateauOK       = "ok"            // a plateau, and the Maller–Zhou test finds follow-up sufficient
	PlateauNone     = StatusNoPlateau // no plateau, or follow-up not shown to be sufficient
	PlateauNoEvents = "no_events"     // the group has no event: no latency information
)

// DefaultPlateauAlpha is the level of the Maller–Zhou test used when
// Options.PlateauAlpha is 0.
const DefaultPlateauAlpha = 0.05

// Plateau describes the tail of the Kaplan–Meier curve of one group, the
// evidence that a cure (never-responder) fraction is identifiable from it.
type Plateau struct {
	Group     int // the group label (Options.Groups), 0 for ungrouped data
	N, Events int
	LastTime  float64 // t_(n), the largest observed time
	// LastEvent is t*_(n), the largest event time; NaN when Events is 0
	// (Status "no_events").
	LastEvent float64
	// Length is LastTime - LastEvent, the length of the final flat stretch
	// of the Kaplan–Meier curve; 0 when the last observation is an event,
	// NaN when Events is 0.
	Length float64
	// KM is the Kaplan–Meier S(LastEvent), the height of the plateau: a
	// nonparametric estimate of the fraction that never has the event. 1
	// when Events is 0.
	KM float64
	// Count is N_n = #{i : 2 t*_(n) - t_(n) < t_i <= t*_(n)}, the number of
	// observations (events or censorings) in the stretch of length Length
	// that ends at the last event.
	Count int
	// P is the Maller–Zhou p value (1 - Count/N)^N; 1 when Length is 0,
	// NaN when Events is 0.
	P      float64
	Alpha  float64 // the level P was compared with
	Status string  // PlateauOK, PlateauNone or PlateauNoEvents
}

// PlateauTest examines the tail of the Kaplan–Meier curve of one group of
// right-censored data and applies the test of sufficient follow-up of
// Maller & Zhou (1992), Biometrika 79:731–739, and Maller & Zhou (1996),
// Survival Analysis with Long-Term Survivors (Wiley). With t_(n) the largest
// observed time and t*_(n) the largest event time,
//
//	N_n = #{i : 2 t*_(n) - t_(n) < t_i <= t*_(n)}     (events and censorings)
//	p   = (1 - N_n/n)^n                             (≈ exp(-N_n))
//
// where the null hypothesis is insufficient follow-up (the support of the
// latency extends beyond that of the censoring, so a plateau is no evidence
// of a cure fraction). This is the approximation in which q_n = N_n/n, the
// proportion of observations in the interval of length t_(n) - t*_(n) that
// ends at t*_(n), estimates the chance that one observation falls in the
// equally long empty interval after t*_(n); the chance that all n miss it is
// (1 - q_n)^n. A small p is evidence of sufficient follow-up. The
// approximation is crude; treat it as a screening check, read with the
// plateau length and height.
//
// Status is PlateauOK when Length > 0 and P <= alpha, PlateauNoEvents when
// there is no event, and PlateauNone otherwise. Times closer than R's
// all.equal tolerance are tied first (survtime.Fix on a copy), so a
// censoring a rounding error after the last event is no plateau.
//
// Neither R's survival nor SAS has this test. R's npcure::testmz computes
// the same p but counts the closed interval [max(0, 2 t*_(n) - t_(n)),
// t*_(n)]; the two differ only when an observation lies exactly on the left
// end. hdcuremodels::sufficient_fu_test counts events only.
//
// alpha 0 means DefaultPlateauAlpha. It returns an error for empty input or
// a time that is NaN, infinite or negative, and panics if len(time) !=
// len(event) or alpha is not in [0, 1).
func PlateauTest(time []float64, event []bool, alpha float64) (Plateau, error) {
	if len(time) != len(event) {
		panic(fmt.Sprintf("cure: len(time) = %d != len(event) = %d", len(time), len(event)))
	}
	if !(alpha >= 0 && alpha < 1) {
		panic(fmt.Sprintf("cure: plateau test level %v not in [0, 1)", alpha))
	}
	if alpha == 0 {
		alpha = DefaultPlateauAlpha
	}
	if len(time) == 0 {
		return Plateau{}, errors.New("could not test for a plateau: no observations")
	}
	for i, t := range time {
		if math.IsNaN(t) || math.IsInf(t, 0) || t < 0 {
			return Plateau{}, fmt.Errorf("could not test for a plateau: time[%d] = %v: times must be finite and >= 0", i, t)
		}
	}
	ts := append([]float64(nil), time...)
	survtime.Fix(ts)
	return plateauOf(ts, event, alpha), nil
}

// plateauOf is PlateauTest on validated, tie-fixed times.
func plateauOf(time []float64, event []bool, alpha float64) Plateau {
	pl := Plateau{N: len(time), LastTime: math.Inf(-1), LastEvent: math.Inf(-1), Alpha: alpha}
	for i, t := range time {
		pl.LastTime = math.Max(pl.LastTime, t)
		if event[i] {
			pl.Events++
			pl.LastEvent = math.Max(pl.LastEvent, t)
		}
	}
	if pl.Events == 0 {
		pl.LastEvent, pl.Length, pl.P, pl.KM = math.NaN(), math.NaN(), math.NaN(), 1
		pl.Status = PlateauNoEvents
		return pl
	}
	pl.Length = pl.LastTime - pl.LastEvent
	lo := 2*pl.LastEvent - pl.LastTime
	for _, t := range time {
		if t > lo && t <= pl.LastEvent {
			pl.Count++
		}
	}
	n := float64(pl.N)
	pl.P = math.Pow(1-float64(pl.Count)/n, n)
	if pl.Length == 0 {
		pl.P = 1
	}
	pl.KM = kaplanMeierAt(time, event, pl.LastEvent)
	pl.Status = PlateauNone
	if pl.Length > 0 && pl.P <= alpha {
		pl.Status = PlateauOK
	}
	return pl
}

// kaplanMeierAt returns the product-limit estimate S(t0). A censoring at an
// event time is at risk at that time, as in R's survfit.
func kaplanMeierAt(time []float64, event []bool, t0 float64) float64 {
	idx := order.ByTime(time)
	surv := 1.0
	atRisk := len(time)
	for k := 0; k < len(idx) && time[idx[k]] <= t0; {
		t := time[idx[k]]
		d, m := 0, 0
		for ; k < len(idx) && time[idx[k]] == t; k++ {
			m++
			if event[idx[k]] {
				d++
			}
		}
		surv *= 1 - float64(d)/float64(atRisk)
		atRisk -= m
	}
	return surv
}
