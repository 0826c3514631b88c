package ipd

import (
	"errors"
	"fmt"
	"math"

	"gonum.org/v1/gonum/stat/distuv"

	"github.com/ketcurves/ketcurves/pipeline/cox"
	"github.com/ketcurves/ketcurves/pipeline/meta"
)

// Data is the pooled individual data of several studies, one row per
// subject.
type Data struct {
	// Time is the event or censoring time; Event is true for an event.
	Time  []float64
	Event []bool
	// Treated is true for a subject of the treated arm (e.g. the
	// ketamine class), false for the control arm.
	Treated []bool
	// Study is the study index of each row, in [0, len(Studies)).
	Study []int
	// Studies names the studies; every study must have rows.
	Studies []string
}

// Statuses of a Result. Anything else is a cox status of one of the fits
// (cox.StatusMonotone, cox.StatusSingular, cox.StatusNotConverged).
const (
	StatusOK = "ok"
	// StatusOneStudy: a single study was given; there is nothing to
	// pool and no heterogeneity test.
	StatusOneStudy = "one_study"
)

// Effect is a treatment log hazard ratio (treated vs control) with its
// standard error and confidence interval, on the hazard-ratio scale for
// HR, Lower and Upper.
type Effect struct {
	LogHR, SE    float64
	HR           float64
	Lower, Upper float64 // confidence interval of HR
	P            float64 // two-sided Wald p value
	// Status is "ok" or the cox status of the fit the effect comes from;
	// the numbers are not to be reported as finite unless it is "ok".
	Status string
}

// Options controls the fits.
type Options struct {
	// Cox are the options of every Cox fit (ties, iterations, confidence
	// level). Entry and Cluster must be nil.
	Cox cox.Options
	// Pool are the two-stage pooling options; the zero value is REML
	// without adjustment, metafor's default.
	Pool meta.Options
}

// ErrNoEvents is wrapped by the error for a study without any event.
var ErrNoEvents = errors.New("study has no events")

// check validates d; it panics on mismatched lengths or a study index out
// of range (programmer error) and returns an error for data that cannot
// be fitted.
func (d Data) check() error {
	n := len(d.Time)
	if len(d.Event) != n || len(d.Treated) != n || len(d.Study) != n {
		panic(fmt.Sprintf("ipd: %d times, %d events, %d treatment flags, %d study indices", n, len(d.Event), len(d.Treated), len(d.Study)))
	}
	if len(d.Studies) == 0 {
		return errors.New("no studies: give at least one study with rows")
	}
	rows := make([]int, len(d.Studies))
	events := make([]int, len(d.Studies))
	treated := make([]int, len(d.Studies))
	for i, s := range d.Study {
		if s < 0 || s >= len(d.Studies) {
			panic(fmt.Sprintf("ipd: row %d has study index %d, want [0, %d)", i, s, len(d.Studies)))
		}
		rows[s]++
		if d.Event[i] {
			events[s]++
		}
		if d.Treated[i] {
			treated[s]++
		}
	}
	for s, name := range d.Studies {
		switch {
		case rows[s] == 0:
			return fmt.Errorf("study %q has no rows: remove it from Studies", name)
		case treated[s] == 0 || treated[s] == rows[s]:
			return fmt.Errorf("study %q has rows of one arm only (%d treated of %d): a study needs both arms for a within-study comparison", name, treated[s], rows[s])
		case events[s] == 0:
			return fmt.Errorf("study %q: %w: it adds nothing to the partial likelihood; remove it", name, ErrNoEvents)
		}
	}
	return nil
}

func effect(fit *cox.Result, j int) Effect {
	return Effect{LogHR: fit.Coef[j], SE: fit.SE[j], HR: fit.HR[j], Lower: fit.HRLower[j], Upper: fit.HRUpper[j], P: fit.P[j], Status: fit.Status}
}

func treatedColumn(d Data) []float64 {
	x := make([]float64, len(d.Time))
	for i, t := range d.Treated {
		if t {
			x[i] = 1
		}
	}
	return x
}

// worst is the first non-ok status of the fits, or "ok".
func worst(fits ...*cox.Result) string {
	for _, f := range fits {
		if f != nil && f.Status != cox.StatusOK {
			return f.Status
		}
	}
	return StatusOK
}

func chiSquareP(stat float64, df int) float64 {
	if df <= 0 || math.IsNaN(stat) {
		return math.NaN()
	}
	return distuv.ChiSquared{K: float64(df)}.Survival(math.Max(stat, 0))
}
