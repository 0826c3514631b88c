package figure

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/ketcurves/ketcurves/pipeline/schema"
)

// kmKind is the Kaplan–Meier figure with its numbers-at-risk table
// (Curves). Its files keep the name PARAMCD.svg, which the report embeds.
var kmKind = &Kind{
	Name:    "km",
	Summary: "Kaplan–Meier curves per arm with pointwise band, censoring marks and numbers at risk",
	Suffix:  "",
	Needs:   []string{"km"},
	Applies: func(ep *schema.Endpoint) bool { return ep.KM.Len() > 0 },
	build: func(res *schema.Results, ep *schema.Endpoint, opts ...Option) (Drawing, error) {
		if note := BandNote(res.Conventions); note != "" {
			opts = append([]Option{WithNotes(note)}, opts...)
		}
		f, err := Curves(*ep, res.Study, opts...)
		if err != nil {
			return nil, err
		}
		if f.km, err = newKMOverlay(f, res, ep, newConfig(opts)); err != nil {
			return nil, err
		}
		f.caption = kmCaption(f, ep, res.Conventions)
		return f, nil
	},
}

var _ Drawing = (*Figure)(nil)

// Caption implements Drawing: what the curves are, n and events per arm,
// the band's conventions and the synthetic-data note.
func (f *Figure) Caption() string {
	if f.caption != "" {
		return f.caption
	}
	return strings.Join(f.Notes, " ")
}

func kmCaption(f *Figure, ep *schema.Endpoint, c schema.Conventions) string {
	what := "Kaplan–Meier estimate"
	if f.Rising {
		what = "Cumulative proportion with the event (1 – Kaplan–Meier estimate)"
	}
	s := fmt.Sprintf("%s of %s by arm: %s.", what, strings.TrimSpace(f.Title), armCounts(ep))
	if note := BandNote(c); note != "" {
		s += " " + note
	}
	s += " + marks censored times; the table gives the numbers at risk at the labelled times."
	if ov := f.km; ov != nil {
		if len(ov.Medians) > 0 {
			s += " Dashed lines: each arm's median time (Brookmeyer–Crowley quantile)."
		}
		if len(ov.Lines) > 0 {
			s += " In the panel: " + strings.Join(ov.Lines, "; ") + " (hazard ratio of the Cox model; " + testName(ov.Test) + " test)."
		}
	}
	return s + synthetic(f.Notes)
}

// armCounts lists "ARM n = N, E events" for each arm summary of ep.
func armCounts(ep *schema.Endpoint) string {
	var parts []string
	for _, a := range ep.Arms {
		parts = append(parts, fmt.Sprintf("%s n = %d, %d events", a.Arm, a.N, a.Events))
	}
	if len(parts) == 0 {
		return "no arm summary"
	}
	return strings.Join(parts, "; ")
}

// synthetic returns " " + SyntheticNote when notes hold it.
func synthetic(notes []string) string {
	for _, n := range notes {
		if n == SyntheticNote {
			return " " + SyntheticNote + "."
		}
	}
	return ""
}

// BandNote describes pointwise confidence bands from the fit conventions,
// e.g. "Shaded bands: pointwise 95% confidence intervals (log-log
// transform, Greenwood variance)."; "" without a valid confidence level.
func BandNote(c schema.Conventions) string {
	if c.ConfLevel <= 0 || c.ConfLevel >= 1 {
		return ""
	}
	var how []string
	if c.ConfType != "" {
		how = append(how, c.ConfType+" transform")
	}
	if c.Variance != "" {
		how = append(how, c.Variance+" variance")
	}
	note := "Shaded bands: pointwise " + level(c) + "% confidence intervals"
	if len(how) > 0 {
		note += " (" + strings.Join(how, ", ") + ")"
	}
	return note + "."
}

// level is the confidence level in percent, e.g. "95".
func level(c schema.Conventions) string {
	return strconv.FormatFloat(100*c.ConfLevel, 'f', -1, 64)
}
