package index

import (
	"bufio"
	_ "embed"
	"fmt"
	"html/template"
	"io"
	"path/filepath"
	"strings"

	"github.com/ketcurves/ketcurves/pipeline/atomicfile"
	"github.com/ketcurves/ketcurves/pipeline/report"
)

// Output file names in the reports folder.
const (
	MarkdownFile = "index.md"
	HTMLFile     = "index.html"
)

// Title is the heading of the index.
const Title = "ketcurves: studies and endpoints"

// intro is the paragraph under the heading.
const intro = "One row per study and endpoint: subjects and events analysed, the median time to the event per arm, the hazard ratio of each treatment arm against the control arm (Cox model), the log-rank p-value and the status of the analysis. Each study links to its report, which gives the conventions, quartiles, model tests and figures."

//go:embed index.html.tmpl
var htmlSource string

var htmlTemplate = template.Must(template.New("index.html").Parse(htmlSource))

// header is the table header, shared by both renderers.
func (ix *Index) header() []string {
	return []string{"Study", "Endpoint", "Subjects", "Events", "Median (" + ix.ConfLabel + ") per arm", "HR (" + ix.ConfLabel + ")", "Log-rank p", "Status"}
}

// statusText is a row's status with what the plan says of it.
func (r Row) statusText() string {
	switch {
	case r.OK:
		return "ok"
	case r.Allowed:
		return r.Status + " (allowed by the plan)"
	}
	return r.Status + " (not allowed by the plan)"
}

// StatusText is statusText, for the HTML template.
func (r Row) StatusText() string { return r.statusText() }

// Markdown writes the index as Markdown (CommonMark with GitHub tables);
// every label is escaped with report.EscapeMarkdown.
func (ix *Index) Markdown(w io.Writer) error {
	e := report.EscapeMarkdown
	bw := bufio.NewWriter(w)
	fmt.Fprintf(bw, "# %s\n\n%s\n\n", e(Title), e(intro))
	h := ix.header()
	fmt.Fprintf(bw, "| %s |\n|%s|\n", strings.Join(h, " | "), strings.TrimSuffix(strings.Repeat("---|", len(h)), "|"))
	for _, r := range ix.Rows {
		study := fmt.Sprintf("[%s](%s)", e(r.StudyID), r.Markdown)
		if r.Synthetic {
			study += " (synthetic)"
		}
		endpoint := fmt.Sprintf("[%s](%s#%s)", e(r.Paramcd), r.Report, r.Anchor)
		if r.Label != "" {
			endpoint += ": " + e(r.Label)
		}
		cells := []string{study, endpoint, r.N, r.Events, joinEscaped(r.Medians), joinEscaped(r.HRs), e(r.P), e(r.statusText())}
		fmt.Fprintf(bw, "| %s |\n", strings.Join(cells, " | "))
	}
	fmt.Fprintf(bw, "\n%s\n", e(footnote))
	return bw.Flush()
}

// footnote explains the cells of the table.
const footnote = "Medians are Kaplan–Meier medians with Brookmeyer–Crowley intervals, in hours where the endpoint's figure axis is in hours (h), else in days (d); \"not reached\" when the curve does not get there. HR is the treatment hazard ratio of the Cox model as specified in the study's plan (covariates, strata, ties). Synthetic studies are simulated: no patient took part."

func joinEscaped(cells []string) string {
	if len(cells) == 0 {
		return report.NA
	}
	out := make([]string, len(cells))
	for i, c := range cells {
		out[i] = report.EscapeMarkdown(c)
	}
	return strings.Join(out, "<br>")
}

// HTML writes the index as one self-contained HTML page (inline style, no
// request: the Content-Security-Policy of the reports); every label is
// escaped by html/template.
func (ix *Index) HTML(w io.Writer) error {
	return htmlTemplate.Execute(w, struct {
		*Index
		Title, Intro, Footnote string
		Header                 []string
	}{ix, Title, intro, footnote, ix.header()})
}

// Write writes index.md and index.html into dir, each through atomicfile,
// and returns their paths.
func (ix *Index) Write(dir string) ([]string, error) {
	var paths []string
	for _, o := range []struct {
		name   string
		render func(io.Writer) error
	}{{MarkdownFile, ix.Markdown}, {HTMLFile, ix.HTML}} {
		path := filepath.Join(dir, o.name)
		if err := atomicfile.Write(path, o.render); err != nil {
			return paths, err
		}
		paths = append(paths, path)
	}
	return paths, nil
}
