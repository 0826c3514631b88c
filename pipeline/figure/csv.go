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
//	  median_line  (KM figure) a vertex of an arm's dashed median line:
//	               (axis start, 0.5), (median, 0.5), (median, axis bottom);
//	               value is the median time on the middle vertex
//	  hr, hr_lower, hr_upper (KM figure) the annotation's treatment hazard
//	               ratio and CI bounds for arm (value)
//	  p_value      (KM figure) the annotation's p-value; arm is the test
//	  rmst_area    (RMST figure) a vertex of the shaded area between the
//	               arm's curve and the reference arm's, closed back to the start
//	  rmst_tau     (RMST figure) the dashed line at τ
//	  rmst         (RMST figure) the arm's RMST up to τ, in value
//	  rmst_difference (RMST figure) the arm's RMST minus the reference's
//	arm          the arm (TRTP value)
//	segment      1, 2, … : the band's piece (pieces are separated where the
//	             km rows have NA bounds); 1 for the other series
//	x            time in days, as drawn (clamped to the first tick on a log axis)
//	y            display value (1 − S(t) for rising curves, H(t) for the
//	             Nelson–Aalen figure); empty for at_risk and the rmst numbers
//	value        number at risk at x (at_risk), RMST or difference in days
//	             (rmst, rmst_difference); empty otherwise
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
	if ov := f.km; ov != nil {
		for _, m := range ov.Medians {
			cw.Write([]string{"median_line", m.Arm, "1", num(f.XMin), "0.5", ""})
			cw.Write([]string{"median_line", m.Arm, "1", num(m.Time), "0.5", num(m.Time)})
			cw.Write([]string{"median_line", m.Arm, "1", num(m.Time), num(f.YMin()), ""})
		}
		for _, h := range ov.HRs {
			cw.Write([]string{"hr", h.Arm, "1", "", "", num(h.HR)})
			cw.Write([]string{"hr_lower", h.Arm, "1", "", "", num(h.Lower)})
			cw.Write([]string{"hr_upper", h.Arm, "1", "", "", num(h.Upper)})
		}
		if ov.P != nil {
			cw.Write([]string{"p_value", ov.Test, "1", "", "", num(*ov.P)})
		}
	}
	if ov := f.model; ov != nil {
		for _, c := range ov.Curves {
			for _, pt := range c.Points {
				cw.Write([]string{"model_curve", c.Arm, "1", num(pt.X), num(pt.Y), ""})
			}
			for _, b := range c.Band {
				cw.Write([]string{"model_lower", c.Arm, "1", num(b.X), num(b.Lower), ""})
			}
			for _, b := range c.Band {
				cw.Write([]string{"model_upper", c.Arm, "1", num(b.X), num(b.Upper), ""})
			}
		}
	}
	if ov := f.rmst; ov != nil {
		for _, a := range ov.Areas {
			for _, pt := range a.Ring {
				cw.Write([]string{"rmst_area", a.Arm, "1", num(pt.X), num(pt.Y), ""})
			}
		}
		cw.Write([]string{"rmst_tau", "", "1", num(ov.Tau), "", ""})
		for _, a := range ov.Arms {
			cw.Write([]string{"rmst", a.Arm, "1", num(ov.Tau), "", num(a.RMST)})
		}
		for _, d := range ov.Differences {
			v := ""
			if d.Estimate != nil {
				v = num(*d.Estimate)
			}
			cw.Write([]string{"rmst_difference", d.Arm, "1", num(ov.Tau), "", v})
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("could not write figure CSV: %w", err)
	}
	return nil
}
