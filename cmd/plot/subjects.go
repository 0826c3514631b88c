package main

import (
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/ketcurves/ketcurves/pipeline/adam"
	"github.com/ketcurves/ketcurves/pipeline/figure"
	"github.com/ketcurves/ketcurves/pipeline/schema"
	"github.com/ketcurves/ketcurves/pipeline/trajectory"
)

// subjectInputs are the optional subject-level files.
type subjectInputs struct {
	adqs, adsl, adtte string
	timeScale         string
}

// extraFigure is a figure drawn from subject-level data: file base name,
// kind and parameter for figures.json.
type extraFigure struct {
	base, kind, paramcd string
	drawing             figure.Drawing
}

// subjectFigures builds the trajectory, spaghetti and swimmer figures the
// inputs allow, each with the plan's axes of its name (results.json
// figures, see planned) before opts. It says on stderr which planned
// figures are not drawn.
func subjectFigures(res *schema.Results, in subjectInputs, opts []figure.Option, stderr io.Writer) ([]extraFigure, error) {
	out, err := buildSubjectFigures(res, in, opts, stderr)
	if err != nil {
		return nil, err
	}
	names := make([]string, 0, len(res.Figures))
	for name := range res.Figures {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		if !slices.ContainsFunc(out, func(x extraFigure) bool { return x.base == name }) {
			fmt.Fprintf(stderr, "plot: study.yaml figures: no %s figure is drawn, so its settings are not used (drawn: %s)\n", name, drawnNames(out))
		}
	}
	return out, nil
}

// drawnNames lists the names of figs, "none" without any.
func drawnNames(figs []extraFigure) string {
	var names []string
	for _, x := range figs {
		names = append(names, x.base)
	}
	if len(names) == 0 {
		return "none"
	}
	return strings.Join(names, ", ")
}

// planned returns the plan's options of the figure called name, then opts.
func planned(res *schema.Results, name string, opts []figure.Option) ([]figure.Option, error) {
	plan, err := figure.FigureOptions(res, name)
	if err != nil {
		return nil, err
	}
	return append(plan, opts...), nil
}

func buildSubjectFigures(res *schema.Results, in subjectInputs, opts []figure.Option, stderr io.Writer) ([]extraFigure, error) {
	if in.adqs == "" && in.adtte == "" {
		return nil, nil
	}
	small := smallStudyOf(opts)
	var tte *adam.ADTTE
	if in.adtte != "" {
		t, _, err := adam.ReadADTTE(in.adtte, adam.Options{})
		if err != nil {
			return nil, fmt.Errorf("could not read -adtte: %w", err)
		}
		tte = t
	}
	var out []extraFigure
	if in.adqs != "" {
		figs, err := trajectoryFigures(res, in, tte, opts, small, stderr)
		if err != nil {
			return nil, err
		}
		out = append(out, figs...)
	}
	if tte != nil {
		rows := swimmerRows(tte)
		n := len(distinct(tte.USUBJID))
		if n > small {
			fmt.Fprintf(stderr, "plot: no swimmer plot: %d subjects, more than -small-study %d\n", n, small)
			return out, nil
		}
		swOpts, err := planned(res, "swimmer", opts)
		if err != nil {
			return nil, err
		}
		sw, err := figure.NewSwimmer(res, rows, swOpts...)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", in.adtte, err)
		}
		out = append(out, extraFigure{base: "swimmer", kind: "swimmer", drawing: sw})
	}
	return out, nil
}

func trajectoryFigures(res *schema.Results, in subjectInputs, tte *adam.ADTTE, opts []figure.Option, small int, stderr io.Writer) ([]extraFigure, error) {
	arms := map[string]string{}
	if in.adsl != "" {
		sl, _, err := adam.ReadADSL(in.adsl, nil)
		if err != nil {
			return nil, fmt.Errorf("could not read -adsl: %w", err)
		}
		for i, s := range sl.USUBJID {
			arms[s] = sl.TRT01P[i]
		}
	} else {
		for i, s := range tte.USUBJID {
			arms[s] = tte.TRTP.At(i)
		}
	}
	q, _, err := adam.ReadADQS(in.adqs, nil, nil)
	if err != nil {
		return nil, fmt.Errorf("could not read -adqs: %w", err)
	}
	sc := trajectory.Scores{Subject: q.USUBJID, Param: q.PARAMCD, Visit: q.AVISIT, Day: q.ADY, Value: q.AVAL, Arm: make([]string, q.Len())}
	for i, s := range q.USUBJID {
		a, ok := arms[s]
		if !ok {
			return nil, fmt.Errorf("%s:%d: subject %s has no arm in %s: give the adsl.csv (or ADTTE) of the same study", in.adqs, q.Line[i], s, cmpOr(in.adsl, in.adtte))
		}
		sc.Arm[i] = a
	}
	level := res.Conventions.ConfLevel
	if !(level > 0 && level < 1) {
		level = 0.95
	}
	means, err := trajectory.Means(sc, level)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", in.adqs, err)
	}
	logTime := in.timeScale == figure.TimeLog
	if in.timeScale == figure.TimeAuto || in.timeScale == "" {
		logTime = slices.ContainsFunc(res.Endpoints, func(ep schema.Endpoint) bool { return ep.TimeScale == figure.TimeLog })
	}
	var out []extraFigure
	for _, p := range distinct(q.PARAMCD) {
		trOpts, err := planned(res, p+"-trajectory", opts)
		if err != nil {
			return nil, err
		}
		tr, err := figure.NewTrajectory(res.Study, p, means, nil, level, logTime, trOpts...)
		if err != nil {
			return nil, err
		}
		out = append(out, extraFigure{base: p + "-trajectory", kind: "trajectory", paramcd: p, drawing: tr})
		subj := trajectory.Individuals(sc, p)
		if len(subj) > small {
			fmt.Fprintf(stderr, "plot: %s: no spaghetti figure: %d subjects, more than -small-study %d\n", p, len(subj), small)
			continue
		}
		spOpts, err := planned(res, p+"-spaghetti", opts)
		if err != nil {
			return nil, err
		}
		sp, err := figure.NewTrajectory(res.Study, p, means, subj, level, logTime, spOpts...)
		if err != nil {
			return nil, err
		}
		out = append(out, extraFigure{base: p + "-spaghetti", kind: "spaghetti", paramcd: p, drawing: sp})
	}
	return out, nil
}

// swimmerRows converts ADTTE rows: the origin is ORIGDY when the file has
// it (relapse endpoints count from the response), 0 otherwise.
func swimmerRows(t *adam.ADTTE) []figure.SubjectEvent {
	orig, hasOrig := t.Extra["ORIGDY"]
	rows := make([]figure.SubjectEvent, t.Len())
	for i := range rows {
		r := figure.SubjectEvent{Subject: t.USUBJID[i], Arm: t.TRTP.At(i), Paramcd: t.PARAMCD.At(i), Time: t.AVAL[i], Event: t.Event[i]}
		if hasOrig {
			if v, err := strconv.ParseFloat(strings.TrimSpace(orig.At(i)), 64); err == nil {
				r.Origin = v
			}
		}
		if t.CnsDtDsc.Len() > 0 {
			r.Dropout = strings.HasPrefix(strings.ToUpper(t.CnsDtDsc.At(i)), "DISCONTINUED")
		}
		rows[i] = r
	}
	return rows
}

func distinct(xs []string) []string {
	var out []string
	seen := map[string]bool{}
	for _, x := range xs {
		if !seen[x] {
			seen[x] = true
			out = append(out, x)
		}
	}
	return out
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// smallStudyOf is the -small-study value carried by opts.
func smallStudyOf(opts []figure.Option) int { return figure.SmallStudy(opts...) }

// axisOptions parses -x-ticks, -x-range and -y-label.
func axisOptions(ticks, xrange, ylabel string) ([]figure.Option, error) {
	var opts []figure.Option
	if ticks != "" {
		v, err := parseFloats(ticks)
		if err != nil {
			return nil, fmt.Errorf("-x-ticks %q: %w", ticks, err)
		}
		opts = append(opts, figure.WithXTicks(v...))
	}
	if xrange != "" {
		v, err := parseFloats(xrange)
		if err != nil || len(v) != 2 || !(v[0] >= 0 && v[1] > v[0]) {
			return nil, fmt.Errorf("-x-range %q: give FROM,TO in days with 0 <= FROM < TO, e.g. 0,28", xrange)
		}
		opts = append(opts, figure.WithXRange(v[0], v[1]))
	}
	if ylabel != "" {
		opts = append(opts, figure.WithYLabel(ylabel))
	}
	return opts, nil
}

func parseFloats(s string) ([]float64, error) {
	var out []float64
	for _, f := range strings.Split(s, ",") {
		v, err := strconv.ParseFloat(strings.TrimSpace(f), 64)
		if err != nil || v != v || v < 0 {
			return nil, fmt.Errorf("%q is not a time >= 0 in days: give comma-separated numbers of days", f)
		}
		if len(out) > 0 && v <= out[len(out)-1] {
			return nil, fmt.Errorf("give the times in increasing order")
		}
		out = append(out, v)
	}
	return out, nil
}
