package km

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/ketcurves/ketcurves/pipeline/order"
	"github.com/ketcurves/ketcurves/pipeline/survtime"

	"gonum.org/v1/gonum/stat/distuv"
)

// ConfType is the scale on which a pointwise confidence interval for S(t) is
// built.
type ConfType string

// Confidence interval types, with R survfit's names.
const (
	Log    ConfType = "log"     // R's default: exp(log S ± z se(log S))
	LogLog ConfType = "log-log" // SAS's default and ours: on log(-log S)
	Plain  ConfType = "plain"   // S ± z se(S), "linear" in SAS
)

// validConfTypes lists the accepted ConfType values, in the order used in
// error messages.
var validConfTypes = []ConfType{LogLog, Log, Plain}

// ParseConfType parses a confidence interval type as given on a command line
// ("log", "log-log" or "plain"). The error lists the valid values.
func ParseConfType(s string) (ConfType, error) {
	for _, ct := range validConfTypes {
		if s == string(ct) {
			return ct, nil
		}
	}
	names := make([]string, len(validConfTypes))
	for i, ct := range validConfTypes {
		names[i] = fmt.Sprintf("%q", ct)
	}
	return "", fmt.Errorf("unknown confidence interval type %q: use one of %s", s, strings.Join(names, ", "))
}

// Options configures KaplanMeier.
type Options struct {
	ConfType  ConfType // "" means LogLog
	ConfLevel float64  // 0 means 0.95; must be in (0,1) otherwise
	// Entry is nil (every subject at risk from time 0) or, for delayed
	// entry (left truncation), the time at which each subject enters the
	// risk set: subject i is at risk on (Entry[i], time[i]]. It must have
	// len(time) elements.
	Entry []float64
}

// Curve is a Kaplan–Meier estimate. The slices have one entry per distinct
// time with an event or a censoring, ascending, like R's survfit object (and
// summary(fit, censored = TRUE)).
type Curve struct {
	N, Events int      // subjects and events
	ConfType  ConfType // the CI type actually used
	ConfLevel float64  // the CI level actually used

	Time    []float64
	NRisk   []int // at risk just before Time (censorings at Time are at risk)
	NEvent  []int
	NCensor []int
	Surv    []float64 // S(Time), right-continuous
	// StdErr is the Greenwood standard error of Surv, R summary.survfit's
	// std.err: Surv * sqrt(sum d/(n(n-d))). It is NaN where Surv is 0 (the
	// sum is infinite there; R gives NaN too).
	StdErr []float64
	// Lower and Upper are the pointwise confidence limits. They are NaN
	// exactly where R's survfit gives NA: where Surv is 0 (all types) and,
	// for log-log, also where Surv is 1.
	Lower, Upper []float64
}

// KaplanMeier estimates the survival function S(t) from right-censored data.
// event[i] is true for an event (ADaM CNSR = 0) and false for a censoring
// at time[i]. A subject censored at a time with events is counted at risk at
// that time.
//
// With n_j at risk and d_j events at the distinct event times t_j:
//
//	S(t)       = prod_{t_j <= t} (1 - d_j/n_j)
//	se(log S)  = sqrt( sum_{t_j <= t} d_j / (n_j (n_j - d_j)) )     (Greenwood)
//	StdErr     = S(t) se(log S)
//	log:       S exp(∓ z se(log S)), upper clipped at 1
//	log-log:   S^exp(∓ z se(log S)/log S)  (lower with -, upper with +)
//	plain:     S ∓ z S se(log S), clipped to [0, 1]
//
// with z = Φ⁻¹(1 - (1-ConfLevel)/2). The CI is NaN where S = 0, and for
// log-log also where S = 1, as R gives NA there.
//
// Times closer than R's all.equal tolerance (sqrt of machine epsilon,
// absolute or relative to the mean absolute distinct time) are treated as
// tied and take the smallest value of their run, as R's survfit does with
// timefix = TRUE (survival:::aeqSurv). R applies this to all the data of
// a survfit(... ~ arm) call at once and this function to the times it is
// given; the two differ only if near-equal times fall in different arms.
//
// Delayed entry (left truncation): with opt.Entry, subject i is at risk
// on (Entry[i], time[i]], and n_j above is
//
//	n_j = #{i : Entry[i] < t_j <= time[i]}
//
// (a subject entering at t_j is not at risk at t_j); NRisk is that count and
// the formulas are otherwise unchanged (Lai & Ying 1991; Klein &
// Moeschberger 2003, section 4.6). As R, the curve lists the distinct event
// and censoring times only, not entry times. Special cases, all as R's
// survfit: entry and time are tied together (aeqSurv over both, as for a
// Surv(entry, time, status) object); Entry[i] >= time[i], or the two equal
// within that tolerance, is an error (R drops the row with a warning, or
// stops, respectively); an event time cannot have an empty risk set, as the
// subject with the event is at risk; when the risk set empties and later
// refills (a gap with nobody at risk), S carries over the gap unchanged, and
// once S reaches 0 (every subject at risk had the event) it stays 0, with
// NaN StdErr and limits, even though later entrants are at risk.
// R equivalent: survfit(Surv(entry, time, status) ~ 1, conf.type = ...).
//
// Reference: Kaplan & Meier (1958) JASA 53:457–481; Greenwood (1926). R
// equivalent: survfit(Surv(time, status) ~ 1, conf.type = "log-log",
// conf.int = 0.95); SAS: PROC LIFETEST METHOD=KM CONFTYPE=LOGLOG. SAS has
// no product-limit estimate with delayed entry (PROC PHREG's ENTRY= option
// turns a BASELINE METHOD=PL request into the Breslow estimate).
//
// It returns an error for empty input, a negative, NaN or infinite time, or
// an entry that is NaN, infinite or not before its time. It panics if
// len(time) != len(event), if opt.Entry is not nil and len(opt.Entry) !=
// len(time), if opt.ConfLevel is not 0 and not in (0, 1), or if
// opt.ConfType is not one of the defined values.
func KaplanMeier(time []float64, event []bool, opt Options) (*Curve, error) {
	if len(time) != len(event) {
		panic(fmt.Sprintf("km: len(time) = %d != len(event) = %d", len(time), len(event)))
	}
	if opt.Entry != nil && len(opt.Entry) != len(time) {
		panic(fmt.Sprintf("km: len(Entry) = %d != len(time) = %d", len(opt.Entry), len(time)))
	}
	opt = opt.withDefaults()
	if opt.Entry != nil {
		return kaplanMeierEntry(time, event, opt.Entry, opt)
	}
	if len(time) == 0 {
		return nil, errors.New("could not estimate Kaplan-Meier curve: no observations")
	}
	for i, t := range time {
		if math.IsNaN(t) || math.IsInf(t, 0) || t < 0 {
			return nil, fmt.Errorf("could not estimate Kaplan-Meier curve: time[%d] = %v: times must be finite and >= 0", i, t)
		}
	}

	// The times and events in time order, by column, the times tied in
	// place as aeqSurv ties them.
	ts, events := make([]float64, len(time)), make([]bool, len(time))
	for k, i := range order.ByTime32(time) {
		ts[k], events[k] = time[i], event[i]
	}
	survtime.FixSorted(ts)

	nDistinct := 0
	for i := range ts {
		if i == 0 || ts[i] != ts[i-1] {
			nDistinct++
		}
	}
	c := &Curve{
		N:         len(ts),
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
	atRisk := len(ts)
	for i := 0; i < len(ts); {
		t := ts[i]
		d, cens := 0, 0
		for ; i < len(ts) && ts[i] == t; i++ {
			if events[i] {
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
		atRisk -= d + cens
	}
	return c, nil
}

func (opt Options) withDefaults() Options {
	if opt.ConfType == "" {
		opt.ConfType = LogLog
	}
	if !slices.Contains(validConfTypes, opt.ConfType) {
		panic(fmt.Sprintf("km: invalid ConfType %q", opt.ConfType))
	}
	if opt.ConfLevel == 0 {
		opt.ConfLevel = 0.95
	}
	if !(opt.ConfLevel > 0 && opt.ConfLevel < 1) {
		panic(fmt.Sprintf("km: ConfLevel %v outside (0, 1)", opt.ConfLevel))
	}
	return opt
}

// confLimits returns the pointwise confidence limits for S = surv, given
// seLog = se(log S) (Greenwood) and the normal quantile z, as R's
// survival:::survfit_confint with conf.lower = "usual".
func confLimits(ct ConfType, z, surv, seLog float64) (lower, upper float64) {
	if surv == 0 {
		return math.NaN(), math.NaN()
	}
	switch ct {
	case Plain:
		w := z * seLog * surv
		return math.Max(surv-w, 0), math.Min(surv+w, 1)
	case Log:
		w := z * seLog
		return math.Exp(math.Log(surv) - w), math.Min(math.Exp(math.Log(surv)+w), 1)
	case LogLog:
		if surv == 1 {
			return math.NaN(), math.NaN()
		}
		w := z * seLog / math.Log(surv)
		ll := math.Log(-math.Log(surv))
		return math.Exp(-math.Exp(ll - w)), math.Exp(-math.Exp(ll + w))
	}
	panic(fmt.Sprintf("km: invalid ConfType %q", ct))
}

// SurvivalAt returns the estimate S(t) of the right-continuous step
// function: 1 before the first time, Surv[j] for Time[j] <= t < Time[j+1].
// It returns NaN if t is NaN.
func (c *Curve) SurvivalAt(t float64) float64 {
	if math.IsNaN(t) {
		return math.NaN()
	}
	// Number of times <= t.
	j, found := slices.BinarySearch(c.Time, t)
	if found {
		j++
	}
	if j == 0 {
		return 1
	}
	return c.Surv[j-1]
}

type observation struct {
	t     float64
	event bool
}
