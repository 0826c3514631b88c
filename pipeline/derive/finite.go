package derive

import (
	"cmp"
	"fmt"
	"math"
	"strconv"

	"github.com/ketcurves/ketcurves/pipeline/study"
)

// MaxAbsDay bounds the study days derive accepts: ADY of adqs.csv and
// adce.csv, RANDDY, EOSDY and RESCDY of adsl.csv, and the days of the
// plans (origin_day, relapse.anchor_day, censor.max_day, confirm
// min_days and max_days) must lie within ±MaxAbsDay (a million days,
// about 2,700 years). A day beyond it cannot be a study day; accepting it
// would give times that overflow to ±Inf or lose the 1e-9 rounding of
// the output (it needs |day| < 9e6). Every time derive writes is then a
// difference of two bounded days, hence finite; WriteADTTE checks every
// number again before writing it.
const MaxAbsDay = 1e6

// checkDays checks the days of the plans of the endpoints eps and of the
// data against MaxAbsDay. The error names the file, line and column (or
// study.yaml and the line of the key) and how to fix the value.
func checkDays(s *study.Study, eps []int, d *Data, qsFile, ceFile string) error {
	for _, i := range eps {
		if err := checkPlanDays(s.Endpoints[i]); err != nil {
			return err
		}
	}
	slFile := cmp.Or(d.ADSLFile, "adsl.csv")
	for _, sub := range d.Subjects {
		for _, c := range []struct {
			name string
			v    float64
		}{{"RANDDY", sub.RandDay}, {"EOSDY", sub.EndDay}, {"RESCDY", sub.RescueDay}} {
			if !dayInRange(c.v) {
				return dayError(slFile, sub.Line, c.name, c.v)
			}
		}
	}
	for _, a := range d.Assessments {
		if !dayInRange(a.Day) {
			return dayError(qsFile, a.Line, "ADY", a.Day)
		}
	}
	for _, ev := range d.Events {
		if !dayInRange(ev.Day) {
			return dayError(ceFile, ev.Line, "ADY", ev.Day)
		}
	}
	return nil
}

// checkPlanDays checks the days of one endpoint's derive plan.
func checkPlanDays(ep study.Endpoint) error {
	pl := ep.Derive
	type day struct {
		path []any
		v    *float64
	}
	days := []day{{[]any{"origin_day"}, pl.OriginDay}}
	if r := pl.Relapse; r != nil {
		days = append(days, day{[]any{"relapse", "anchor_day"}, r.AnchorDay})
		if c := r.Confirm; c != nil {
			days = append(days, day{[]any{"relapse", "confirm", "min_days"}, c.MinDays}, day{[]any{"relapse", "confirm", "max_days"}, c.MaxDays})
		}
	}
	days = append(days, day{[]any{"censor", "max_day"}, pl.Censor.MaxDay})
	for _, x := range days {
		if x.v == nil || dayInRange(*x.v) {
			continue
		}
		key := x.path[len(x.path)-1].(string)
		return fmt.Errorf("%s: endpoint %s: derive %s %s is beyond ±%g days: it cannot be a study day; give the day counted from the first dose (day 0)", pl.At(x.path...), ep.Paramcd, key, formatAny(*x.v), MaxAbsDay)
	}
	return nil
}

// dayInRange reports whether v is NaN (not given) or within ±MaxAbsDay.
func dayInRange(v float64) bool {
	return math.IsNaN(v) || math.Abs(v) <= MaxAbsDay
}

// dayError is the error of day v of column name at line of file.
func dayError(file string, line int, name string, v float64) error {
	place := fmt.Sprintf("%s: line %d, column %s", file, line, name)
	if c := headerColumn(file, name); c > 0 {
		place = fmt.Sprintf("%s: line %d, column %d (%s)", file, line, c, name)
	}
	return fmt.Errorf("%s: %s %s is beyond ±%g days (about 2,700 years): it cannot be a study day, and times computed from it would not be finite; fix the day (study days count from the first dose, day 0)", place, name, formatAny(v), MaxAbsDay)
}

// formatAny formats any float64 for a message, Inf included.
func formatAny(v float64) string {
	return strconv.FormatFloat(v, 'g', -1, 64)
}
