package figure

import (
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
)

// CSVHeader is the header of the CSV written by WriteCSV.
var CSVHeader = []string{"series", "arm", "segment", "x", "y", "value"}

// WriteCSV writes every drawn point, one row per point, arms in drawing order:
//
//	series       what the row is
//	  curve        a vertex of the post-step curve (holds until the next x)
//	  ci_lower     a vertex of the lower bound of the post-step band
//	  ci_upper     a vertex of the upper bound of the post-step band
//	  censor_mark  a "+" mark
//	  at_risk      a number in the numbers-at-risk table
//	arm          the arm (TRTP value)
//	segment      1, 2, … : the band's piece (pieces are separated where the
//	             km rows have NA bounds); 1 for the other series
//	x            time in days, as drawn (clamped to the first tick on a log axis)
//	y            display value in [0, 1] (1 − S(t) for rising curves); empty for at_risk
//	value        number at risk at x (at_risk only); empty otherwise
//
// Numbers are written with the shortest representation that reads back to
// the same float64.
func (f *Figure) WriteCSV(w io.Writer) error {
	cw := csv.NewWriter(w)
	num := func(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }
	if err := cw.Write(CSVHeader); err != nil {
		return err
	}
	for _, a := range f.Arms {
		for _, pt := range a.Curve {
			cw.Write([]string{"curve", a.Name, "1", num(pt.X), num(pt.Y), ""})
		}
		for s, run := range a.Band {
			seg := strconv.Itoa(s + 1)
			for _, b := range run {
				cw.Write([]string{"ci_lower", a.Name, seg, num(b.X), num(b.Lower), ""})
			}
			for _, b := range run {
				cw.Write([]string{"ci_upper", a.Name, seg, num(b.X), num(b.Upper), ""})
			}
		}
		for _, pt := range a.Censor {
			cw.Write([]string{"censor_mark", a.Name, "1", num(pt.X), num(pt.Y), ""})
		}
		for j, t := range f.Ticks {
			cw.Write([]string{"at_risk", a.Name, "1", num(t.Time), "", strconv.Itoa(a.AtRisk[j])})
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("could not write figure CSV: %w", err)
	}
	return nil
}
