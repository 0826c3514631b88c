package logrank

import (
	"fmt"
	"math"
	"slices"

	"github.com/ketcurves/ketcurves/pipeline/order"
	"github.com/ketcurves/ketcurves/pipeline/survtime"
)

// exit is a row at its exit time: its group and whether it is an event.
type exit struct {
	group int32
	event bool
}

// entering is a subject's delayed entry.
type entering struct {
	t     float64
	group int32
}

// prepared is validated data in (stratum, time) order, by column.
type prepared struct {
	n     []int     // subjects per group
	time  []float64 // exit times by (stratum, time, row), tied as aeqSurv ties them
	exits []exit    // the rows in the order of time
	// starts are the first index of each stratum in exits (and in
	// entries), then len(exits): a subject is in both, so a stratum's
	// rows are at the same indices.
	starts  []int
	entries []entering // by (stratum, entry, row); nil without delayed entry
}

// stratumStarts returns the starts of the runs of equal strata[perm[j]]
// over j, then len(perm); nil strata is one stratum.
func stratumStarts(perm []int32, strata []int) []int {
	starts := []int{0}
	for j := 1; strata != nil && j < len(perm); j++ {
		if strata[perm[j]] != strata[perm[j-1]] {
			starts = append(starts, j)
		}
	}
	return append(starts, len(perm))
}

// prepare validates d, applies R's time fix to Time and Entry jointly, and
// sorts. It panics on programmer errors (lengths, K) and returns an error
// for bad data, for too few groups with subjects and for no events.
func prepare(d Data, what string) (*prepared, error) {
	n := len(d.Time)
	if len(d.Event) != n || len(d.Group) != n || (d.Strata != nil && len(d.Strata) != n) || (d.Entry != nil && len(d.Entry) != n) {
		panic(fmt.Sprintf("logrank: lengths differ: time %d, event %d, group %d, strata %d, entry %d",
			n, len(d.Event), len(d.Group), len(d.Strata), len(d.Entry)))
	}
	if d.K < 1 || d.K > math.MaxInt32 {
		panic(fmt.Sprintf("logrank: k = %d outside 1..%d", d.K, math.MaxInt32))
	}
	for i, t := range d.Time {
		if math.IsNaN(t) || math.IsInf(t, 0) || t < 0 {
			return nil, fmt.Errorf("could not compute %s: time[%d] = %v: times must be finite and >= 0", what, i, t)
		}
		if g := d.Group[i]; g < 0 || g >= d.K {
			return nil, fmt.Errorf("could not compute %s: group[%d] = %d outside 0..%d", what, i, g, d.K-1)
		}
		if d.Entry != nil {
			if e := d.Entry[i]; math.IsNaN(e) || math.IsInf(e, 0) || !(e < t) {
				return nil, fmt.Errorf("could not compute %s: entry[%d] = %v, time[%d] = %v: a subject must enter before its event or censoring time", what, i, e, i, t)
			}
		}
	}
	if d.Strata == nil && d.Entry == nil {
		return prepareSorted(d, what)
	}
	time, entry := fixTimes(d.Time, d.Entry)
	if entry != nil {
		for i := range time {
			if !(entry[i] < time[i]) {
				return nil, fmt.Errorf("could not compute %s: entry[%d] = %v and time[%d] = %v are equal within R's tolerance (sqrt of machine epsilon): the interval at risk is empty", what, i, d.Entry[i], i, d.Time[i])
			}
		}
	}

	perm := order.ByStratumTime32(time, d.Strata)
	p := &prepared{n: make([]int, d.K), time: make([]float64, n), exits: make([]exit, n), starts: stratumStarts(perm, d.Strata)}
	events := 0
	for j, i := range perm {
		p.time[j], p.exits[j] = time[i], exit{group: int32(d.Group[i]), event: d.Event[i]}
		p.n[d.Group[i]]++
		if d.Event[i] {
			events++
		}
	}
	if entry != nil {
		p.entries = make([]entering, n)
		for j, i := range order.ByStratumTime32(entry, d.Strata) {
			p.entries[j] = entering{t: entry[i], group: int32(d.Group[i])}
		}
	}

	if err := p.check(events, what); err != nil {
		return nil, err
	}
	return p, nil
}

// prepareSorted is prepare without strata and delayed entry: one sort of
// the times, then survtime.FixSorted on the sorted times. The order is
// that of prepare's up to the order of rows within a time that the fix
// merges, which the sweep's integer counts do not see.
func prepareSorted(d Data, what string) (*prepared, error) {
	n := len(d.Time)
	perm := order.ByTime32(d.Time)
	p := &prepared{n: make([]int, d.K), time: make([]float64, n), exits: make([]exit, n), starts: []int{0, n}}
	events := 0
	for j, i := range perm {
		p.time[j], p.exits[j] = d.Time[i], exit{group: int32(d.Group[i]), event: d.Event[i]}
		p.n[d.Group[i]]++
		if d.Event[i] {
			events++
		}
	}
	survtime.FixSorted(p.time)
	if err := p.check(events, what); err != nil {
		return nil, err
	}
	return p, nil
}

// check returns the error of data with fewer than two groups with
// subjects or no events, or nil.
func (p *prepared) check(events int, what string) error {
	withSubjects := 0
	for _, c := range p.n {
		if c > 0 {
			withSubjects++
		}
	}
	if withSubjects < 2 {
		return reasonf(ErrTooFewGroups, "could not compute %s: %d of %d groups have subjects, need at least 2", what, withSubjects, len(p.n))
	}
	if events == 0 {
		return reasonf(ErrNoEvents, "could not compute %s: there are no events (all subjects censored)", what)
	}
	return nil
}

// fixTimes returns copies of time and entry (nil stays nil) with the values
// that R's survival:::aeqSurv treats as tied made equal, over both slices
// jointly (survtime.Fix), using a radix sort for the distinct values.
func fixTimes(time, entry []float64) (fixedTime, fixedEntry []float64) {
	fixedTime = slices.Clone(time)
	if entry != nil {
		fixedEntry = slices.Clone(entry)
	}
	all := make([]float64, 0, len(time)+len(entry))
	all = append(append(all, time...), entry...)
	order.Float64s(all)
	cuts, tied := survtime.Cuts(slices.Compact(all))
	if !tied {
		return fixedTime, fixedEntry
	}
	for _, v := range [][]float64{fixedTime, fixedEntry} {
		for i, x := range v {
			v[i] = survtime.CutOf(cuts, x)
		}
	}
	return fixedTime, fixedEntry
}
