package report

import (
	"bufio"
	"fmt"
	"io"
	"strings"
)

// Markdown writes the report as Markdown (CommonMark with GitHub tables).
// Figures are images linking to the figure files, relative to the report
// folder. Every data label is escaped with EscapeMarkdown. It panics if in
// or in.Results is nil.
func Markdown(w io.Writer, in *Inputs) error {
	d, err := newDocument(in)
	if err != nil {
		return err
	}
	mw := &mdWriter{w: bufio.NewWriter(w)}
	mw.document(d)
	if mw.err != nil {
		return mw.err
	}
	return mw.w.Flush()
}

type mdWriter struct {
	w   *bufio.Writer
	err error
}

// raw writes Markdown syntax; arguments are formatted with fmt and must
// already be escaped.
func (m *mdWriter) raw(format string, args ...any) {
	if m.err != nil {
		return
	}
	_, m.err = fmt.Fprintf(m.w, format, args...)
}

// table writes a GitHub table; header and cells are escaped here.
func (m *mdWriter) table(header []string, rows [][]string) {
	esc := func(cells []string) string {
		out := make([]string, len(cells))
		for i, c := range cells {
			out[i] = EscapeMarkdown(c)
		}
		return "| " + strings.Join(out, " | ") + " |\n"
	}
	m.raw("%s", esc(header))
	sep := make([]string, len(header))
	for i := range sep {
		sep[i] = "---"
	}
	m.raw("|%s|\n", strings.Join(sep, "|"))
	for _, r := range rows {
		m.raw("%s", esc(r))
	}
	m.raw("\n")
}

func (m *mdWriter) code(lang, body string) {
	fence := codeFence(body)
	m.raw("%s%s\n%s%s\n\n", fence, lang, body, fence)
}

// e is short for EscapeMarkdown in the renderer below.
var e = EscapeMarkdown

func (m *mdWriter) document(d *document) {
	m.raw("# %s\n\n", e(d.Title))
	if d.Synthetic {
		m.raw("> **⚠ Synthetic data, not patient data.** %s\n\n", e(d.SyntheticNote))
	}
	if !d.StatusOK {
		m.raw("> **⚠ Analysis status: %s** (%s). See the endpoints below.\n\n", e(d.Status), d.StatusAllowed)
	}
	for _, w := range d.Warnings {
		m.raw("> **Warning:** %s\n\n", e(w))
	}

	m.raw("## Study\n\n")
	m.raw("- Study: %s\n", e(d.StudyID))
	if d.Design != "" {
		m.raw("- Design: %s\n", e(d.Design))
	}
	m.raw("- Control (reference) arm: %s", e(d.Control))
	if d.ControlFrom != "" {
		m.raw(" (chosen by: %s)", e(d.ControlFrom))
	}
	m.raw("\n")
	if d.Source != "" {
		m.raw("- Data source: %s\n", e(d.Source))
	}
	m.raw("\n")
	if len(d.Arms) > 0 {
		rows := make([][]string, len(d.Arms))
		for i, a := range d.Arms {
			ctl := ""
			if a.Control {
				ctl = "control"
			}
			rows[i] = []string{a.Name, a.Label, a.Class, ctl}
		}
		m.table([]string{"Arm", "Label", "Class", "Role"}, rows)
	}

	m.raw("## Data\n\n")
	if iv := d.Ingest; iv != nil {
		m.raw("Rows read %s, accepted %s, rejected %s", iv.RowsRead, iv.Accepted, iv.Reject)
		if iv.RejectsFile != "" {
			m.raw(" (rejected rows with reasons: %s)", e(iv.RejectsFile))
		}
		m.raw(".\n\n")
		rows := make([][]string, len(iv.Files))
		for i, f := range iv.Files {
			rows[i] = []string{f.File, f.RowsRead, f.Accepted, f.Rejected, f.SHA256}
		}
		m.table([]string{"File", "Rows read", "Accepted", "Rejected", "SHA-256"}, rows)
	} else {
		m.raw("No ingest summary was given: rows read and rejected are not reported.\n\n")
	}
	m.raw("Subjects and events analysed, per endpoint and arm:\n\n")
	rows := make([][]string, len(d.Counts))
	for i, c := range d.Counts {
		rows[i] = []string{c.Endpoint, c.Arm, c.N, c.Events, c.Censored}
	}
	m.table([]string{"Endpoint", "Arm", "Subjects", "Events", "Censored"}, rows)
	for _, n := range d.CountNotes {
		m.raw("> **Count mismatch:** %s\n\n", e(n))
	}

	if dv := d.Derivation; dv != nil {
		m.derivation(dv)
	}

	m.warnings(d.Notices)
	for _, ep := range d.Endpoints {
		m.endpoint(d, ep)
	}
	m.tables(d.Tables)

	m.raw("## Methods\n\n%s\n\n", e(d.Methods))
	m.raw("Equivalent R calls, for each endpoint:\n\n")
	m.code("r", d.RCode)
	m.raw("Equivalent SAS procedures:\n\n")
	m.code("sas", d.SASCode)

	p := d.Provenance
	m.raw("## Provenance\n\n")
	m.raw("- Analysed file: %s (%s data rows), SHA-256 `%s`\n", e(p.InputFile), p.InputRows, e(p.InputSHA256))
	m.raw("- Results: %s, schema %s, SHA-256 `%s`\n", e(p.ResultsFile), e(p.Schema), e(p.ResultsSHA256))
	if p.IngestFile != "" {
		m.raw("- Ingest summary: %s, SHA-256 `%s`\n", e(p.IngestFile), e(p.IngestSHA256))
	}
	if p.ExclusionsFile != "" {
		m.raw("- Derivation exclusions: %s, SHA-256 `%s`\n", e(p.ExclusionsFile), e(p.ExclusionsSHA256))
	}
	if p.Program != "" {
		m.raw("- Program: %s\n", e(p.Program))
	}
	if p.GoVersion != "" {
		m.raw("- Go: %s\n", e(p.GoVersion))
	}
	if p.FiguresFile != "" {
		m.raw("- Figures: %s", e(p.FiguresProgram))
		if p.FiguresGoVersion != "" {
			m.raw(" (Go %s)", e(p.FiguresGoVersion))
		}
		m.raw(", %s SHA-256 `%s`\n", e(p.FiguresFile), e(p.FiguresSHA256))
	}
	m.raw("\n")
	if len(p.Modules) > 0 {
		rows := make([][]string, len(p.Modules))
		for i, mod := range p.Modules {
			rows[i] = []string{mod.Path, mod.Version}
			if p.ModulePrograms {
				rows[i] = append(rows[i], mod.Programs)
			}
		}
		header := []string{"Module", "Version"}
		if p.ModulePrograms {
			header = append(header, "Program")
		}
		m.table(header, rows)
	}
	if len(p.Citations) > 0 {
		m.raw("### Citations\n\n")
		for i, c := range p.Citations {
			m.raw("%d. %s\n", i+1, e(c))
		}
		m.raw("\n")
	}
}

func (m *mdWriter) derivation(dv *derivationView) {
	m.raw("## Derivation\n\n%s\n\n", e(dv.Text))
	m.raw("%s [%s](%s).\n\n", e(dv.Summary), e(dv.File), dv.Path)
	if len(dv.Rows) > 0 {
		rows := make([][]string, len(dv.Rows))
		for i, r := range dv.Rows {
			rows[i] = []string{r.Endpoint, r.Arm, r.Reason, r.N}
		}
		m.table([]string{"Endpoint", "Arm", "Reason", "Excluded"}, rows)
	}
}

func (m *mdWriter) endpoint(d *document, ep endpointView) {
	m.raw("## Endpoint %s", e(ep.Paramcd))
	if ep.Label != "" {
		m.raw(": %s", e(ep.Label))
	}
	m.raw("\n\n")
	if ep.Kind != "" {
		m.raw("Kind: %s.\n\n", e(ep.Kind))
	}
	if ep.OK {
		m.raw("Status: ok.\n\n")
	} else {
		allowed := "**not allowed** by the analysis plan"
		if ep.Allowed {
			allowed = "allowed by the analysis plan"
		}
		m.raw("> **⚠ Status: %s** (%s).\n", e(ep.Status), allowed)
		if len(ep.Messages) > 0 {
			m.raw(">\n")
		}
		for _, msg := range ep.Messages {
			m.raw("> - %s\n", e(msg))
		}
		m.raw("\n")
	}
	if ep.OK && len(ep.Messages) > 0 {
		for _, msg := range ep.Messages {
			m.raw("- %s\n", e(msg))
		}
		m.raw("\n")
	}

	m.figures(ep.Figures)
	if len(ep.Figures) == 0 && ep.FigureNote != "" {
		m.raw("%s\n\n", e(ep.FigureNote))
	}

	m.raw("### Subjects and events\n\n")
	rows := make([][]string, len(ep.Arms))
	for i, a := range ep.Arms {
		rows[i] = []string{a.Arm, a.N, a.Events, a.Censored, a.Observed, a.Expected}
	}
	m.table([]string{"Arm", "Subjects", "Events", "Censored", "Observed (log-rank)", "Expected (log-rank)"}, rows)

	m.raw("### Median and quartiles\n\n")
	m.raw("Time (%s) by which 25%%, 50%% and 75%% of subjects had the event, with %s; \"%s\" when the curve does not get there.", e(ep.QuantileUnit), e(d.ConfLabel), NotReached)
	if ep.QuantileUnit != d.TimeUnit {
		m.raw(" %s", e(hoursNote(d.TimeUnit)))
	}
	m.raw("\n\n")
	if len(ep.Quantiles) == 0 {
		m.raw("No quantiles (see the status above).\n\n")
	} else {
		rows = make([][]string, len(ep.Quantiles))
		for i, q := range ep.Quantiles {
			rows[i] = []string{q.Arm, q.Q25, q.Q50, q.Q75}
		}
		cl := " (" + d.ConfLabel + "), " + ep.QuantileUnit
		m.table([]string{"Arm", "25%" + cl, "Median" + cl, "75%" + cl}, rows)
	}

	m.raw("### Log-rank test\n\n")
	if len(ep.LogRank) == 0 {
		m.raw("No log-rank test (see the status above).\n\n")
	} else {
		rows = make([][]string, len(ep.LogRank))
		for i, t := range ep.LogRank {
			rows[i] = []string{t.Test, t.Statistic, t.DF, t.P}
		}
		m.table([]string{"Test", "Chi-square", "df", "p"}, rows)
	}

	m.cox(d, ep.Cox)
	if len(ep.Subgroups) > 0 {
		m.raw("### Subgroup analyses\n\n")
		m.raw("The same comparison within each level of each subgroup column (unstratified when the subgroup column is the strata column).\n\n")
		rows := make([][]string, len(ep.Subgroups))
		for i, r := range ep.Subgroups {
			rows[i] = []string{r.Subgroup, r.Level, r.Comparison, r.N, r.Events, r.HR, r.CI, r.P, r.LogRankP, r.Status}
		}
		m.table([]string{"Subgroup", "Level", "Comparison", "Subjects", "Events", "HR", "HR " + d.ConfLabel, "p", "Log-rank p", "Status"}, rows)
	}
	for _, s := range ep.Sections {
		m.section(s)
	}
}

// figures writes figures as images linking to their files, each with its
// number and caption.
func (m *mdWriter) figures(figs []*figureView) {
	for _, f := range figs {
		m.raw("![%s](%s)\n\n", e(f.Caption), f.MDPath)
		var links []string
		for _, l := range f.Links {
			links = append(links, fmt.Sprintf("[%s](%s)", l.Ext, l.Path))
		}
		m.raw("*Figure %d.* %s Files: %s.\n\n", f.Number, e(f.Caption), strings.Join(links, ", "))
	}
}

// section writes a method's report section, then its figures.
func (m *mdWriter) section(s sectionView) {
	e := EscapeMarkdown
	m.raw("### %s\n\n", e(s.Title))
	defer m.figures(s.Figures)
	for _, p := range s.Paragraphs {
		m.raw("%s\n\n", e(p))
	}
	for _, t := range s.Tables {
		if t.Caption != "" {
			m.raw("%s\n\n", e(t.Caption))
		}
		m.table(t.Header, t.Rows)
		for _, n := range t.Notes {
			m.raw("%s\n\n", e(n))
		}
	}
}

func (m *mdWriter) cox(d *document, c *coxView) {
	e := EscapeMarkdown
	m.raw("### Cox regression\n\n")
	if c == nil {
		m.raw("No Cox model (see the status above).\n\n")
		return
	}
	var rows [][]string
	if c.Warning != "" {
		m.raw("> **⚠ %s**\n\n", e(c.Warning))
	}
	if c.Summary != "" {
		m.raw("%s\n\n", e(c.Summary))
	}
	if len(c.Terms) > 0 {
		rows = make([][]string, len(c.Terms))
		for i, t := range c.Terms {
			rows[i] = t.cells(c.Robust)
		}
		m.table(coxHeader(d.ConfLabel, c.Robust), rows)
	}
	if len(c.Tests) > 0 {
		rows = make([][]string, len(c.Tests))
		for i, t := range c.Tests {
			rows[i] = []string{t.Test, t.Statistic, t.DF, t.P}
		}
		m.table([]string{"Model test", "Chi-square", "df", "p"}, rows)
	}
	m.figures(c.Figures)
}

// warnings writes the Warnings section.
func (m *mdWriter) warnings(groups []noticeGroup) {
	m.raw("## Warnings\n\n")
	if len(groups) == 0 {
		m.raw("%s\n\n", noWarnings)
		return
	}
	for _, g := range groups {
		m.raw("**%s**\n\n", e(g.Scope))
		for _, it := range g.Items {
			m.raw("- %s\n", e(it))
		}
		m.raw("\n")
	}
}

// tables writes the download list of the fit stage's tables.
func (m *mdWriter) tables(tables []figureLink) {
	m.raw("## Tables\n\n")
	if len(tables) == 0 {
		m.raw("%s\n\n", noTables)
		return
	}
	m.raw("%s\n\n", tablesIntro)
	for _, t := range tables {
		m.raw("- [%s](%s)\n", e(t.Name), t.Path)
	}
	m.raw("\n")
}
