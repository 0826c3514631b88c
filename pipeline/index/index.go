package index

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/ketcurves/ketcurves/pipeline/report"
	"github.com/ketcurves/ketcurves/pipeline/schema"
)

// Index is the project index: one row per study and endpoint.
type Index struct {
	// ConfLabel is the confidence level of the intervals, "95% CI"; when
	// the studies differ, each interval says its own level.
	ConfLabel string
	Rows      []Row
}

// Row is one endpoint of one study, every value formatted for display
// (plain, unescaped text).
type Row struct {
	// Study is the study's folder name, StudyID and Title those of
	// results.json; Synthetic is true for simulated data.
	Study, StudyID, Title string
	Synthetic             bool
	// Report and Markdown are the links to the study's report.html and
	// report.md, relative to the index's folder, URL-escaped.
	Report, Markdown string
	// Anchor is the endpoint's anchor in report.html ("endpoint-2").
	Anchor string
	// Paramcd and Label (PARAM) name the endpoint.
	Paramcd, Label string
	// N and Events count the subjects and events analysed.
	N, Events string
	// Medians are per arm: "KETAMINE: 36 h (24 h, 48 h)".
	Medians []string
	// HRs are per treatment comparison of the Cox model:
	// "KETAMINE vs MIDAZOLAM: 4.57 (2.05, 10.2)"; empty without a model.
	HRs []string
	// P is the log-rank p-value, report.NA when there is no test.
	P string
	// Status is "ok" or the non-ok statuses; OK and Allowed say whether
	// it is ok and, if not, whether the analysis plan allows it.
	Status      string
	OK, Allowed bool
}

// ResultsPath is where Build looks for the results of a study, relative to
// the reports folder: <study>/tables/results.json.
var ResultsPath = filepath.Join("tables", "results.json")

// Build reads reportsDir/*/tables/results.json, in the order of the study
// folder names, and returns the index. Links are relative to reportsDir,
// where the index is written. A folder without results.json is skipped; a
// results.json that cannot be read or decoded is an error naming the file.
// It fails when no study has results.
func Build(reportsDir string) (*Index, error) {
	entries, err := os.ReadDir(reportsDir)
	if err != nil {
		return nil, fmt.Errorf("could not read reports folder: %w (give the folder holding <study>/tables/results.json)", err)
	}
	ix := &Index{}
	var levels []string
	for _, e := range entries { // sorted by name
		if !e.IsDir() {
			continue
		}
		path := filepath.Join(reportsDir, e.Name(), ResultsPath)
		data, err := os.ReadFile(path)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("could not read results: %w", err)
		}
		res, err := schema.DecodeResults(path, data)
		if err != nil {
			return nil, err
		}
		level := confLabel(res.Conventions.ConfLevel)
		if !slices.Contains(levels, level) {
			levels = append(levels, level)
		}
		ix.Rows = append(ix.Rows, studyRows(e.Name(), res)...)
	}
	if len(levels) == 0 {
		return nil, fmt.Errorf("no study results in %s: run the fit stage first (make fit), which writes <study>/%s", reportsDir, filepath.ToSlash(ResultsPath))
	}
	ix.ConfLabel = levels[0]
	if len(levels) > 1 {
		ix.ConfLabel = "CI"
	}
	return ix, nil
}

// confLabel is "95% CI" for level 0.95, "CI" for an unrecorded level.
func confLabel(level float64) string {
	if !(level > 0 && level < 1) {
		return "CI"
	}
	return strconv.FormatFloat(level*100, 'f', -1, 64) + "% CI"
}

// studyRows are the rows of one study's results, in endpoint order.
func studyRows(folder string, res *schema.Results) []Row {
	base := urlSegment(folder) + "/"
	var rows []Row
	for i, ep := range res.Endpoints {
		r := Row{
			Study: folder, StudyID: res.Study.ID, Title: res.Study.Title, Synthetic: res.Study.Synthetic,
			Report: base + report.HTMLFile, Markdown: base + report.MarkdownFile,
			Anchor:  "endpoint-" + strconv.Itoa(i+1),
			Paramcd: ep.Paramcd, Label: ep.Label,
			P:      report.NA,
			Status: string(ep.Status), OK: ep.Status == "ok", Allowed: ep.Allowed,
		}
		if len(ep.Statuses) > 0 {
			var s []string
			for _, st := range ep.Statuses {
				s = append(s, string(st))
			}
			r.Status = strings.Join(s, ", ")
		}
		n, events := 0, 0
		for _, a := range ep.Arms {
			n += a.N
			events += a.Events
		}
		r.N, r.Events = strconv.Itoa(n), strconv.Itoa(events)
		r.Medians = medians(ep, res.Conventions.TimeUnit)
		r.HRs = hazardRatios(ep, res.Study.Control)
		for _, t := range ep.Tests {
			if t.Test == "logrank" {
				r.P = report.FormatP(t.PValue)
			}
		}
		rows = append(rows, r)
	}
	return rows
}

// medians formats each arm's median with its confidence interval, in the
// unit of the report's quartile table, every time with its unit: "36 h",
// "14 d".
func medians(ep schema.Endpoint, timeUnit string) []string {
	unit, format := report.QuantileTimes(ep, timeUnit)
	if unit != "hours" {
		plain := format
		format = func(t *float64) string {
			if t == nil {
				return plain(t)
			}
			return plain(t) + " " + shortUnit(unit)
		}
	}
	var out []string
	for _, q := range ep.Quantiles {
		if q.Quantile != 0.5 {
			continue
		}
		cell := format(q.Time) + " (" + format(q.Lower) + ", " + format(q.Upper) + ")"
		if q.Time == nil && q.Lower == nil && q.Upper == nil {
			cell = report.NotReached
		}
		out = append(out, q.Arm+": "+cell)
	}
	return out
}

// shortUnit abbreviates a time unit after a number: "d" for days.
func shortUnit(unit string) string {
	switch unit {
	case "days", "":
		return "d"
	case "weeks":
		return "wk"
	}
	return unit
}

// hazardRatios formats the hazard ratio of each treatment term of the Cox
// model against the control arm.
func hazardRatios(ep schema.Endpoint, control string) []string {
	if ep.Cox == nil {
		return nil
	}
	var out []string
	for _, t := range ep.Cox.Terms {
		arm, ok := strings.CutPrefix(t.Term, "TRTP:")
		if !ok {
			continue
		}
		ref := t.Reference
		if ref == "" {
			ref = control
		}
		cell := report.NotEstimable
		if t.Estimable {
			cell = report.FormatHR(t.HR) + " (" + report.FormatHR(t.HRLower) + ", " + report.FormatHR(t.HRUpper) + ")"
		}
		out = append(out, arm+" vs "+ref+": "+cell)
	}
	return out
}

// urlSegment escapes a folder name for a relative link.
func urlSegment(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte("-._~", c) >= 0 {
			b.WriteByte(c)
		} else {
			fmt.Fprintf(&b, "%%%02X", c)
		}
	}
	return b.String()
}
