package report

import (
	"encoding/base64"
	"fmt"
	"html/template"
	"net/url"
	"path"
	"slices"
	"strconv"
	"strings"

	"github.com/ketcurves/ketcurves/pipeline/fit"
	"github.com/ketcurves/ketcurves/pipeline/schema"
)

// document is what both renderers show: every value is already formatted
// as plain, unescaped text. The Markdown renderer escapes it with
// EscapeMarkdown, html/template escapes it for HTML.
type document struct {
	Title     string
	StudyID   string
	Design    string
	Synthetic bool
	// SyntheticNote explains the synthetic-data banner.
	SyntheticNote string
	Source        string
	Arms          []armRow
	Control       string
	ControlFrom   string
	Status        string
	StatusOK      bool
	// StatusAllowed says whether the analysis plan allows every non-ok
	// endpoint status.
	StatusAllowed string
	AllAllowed    bool
	Warnings      []string
	// Notices is the Warnings section: every non-ok status and every
	// message, of the study then of each endpoint.
	Notices []noticeGroup
	// Tables are the fit stage's tables, linked for download.
	Tables []figureLink

	Ingest     *ingestView
	Counts     []countRow
	CountNotes []string

	// Derivation is nil when no exclusions file was given.
	Derivation *derivationView

	ConfLabel string // "95% CI"
	TimeUnit  string
	Endpoints []endpointView

	Methods string
	RCode   string
	SASCode string

	Provenance provenance
}

type armRow struct {
	Name, Label, Class string
	Control            bool
}

type ingestView struct {
	File, SHA256               string
	RowsRead, Accepted, Reject string
	RejectsFile                string
	Files                      []ingestFileRow
}

type ingestFileRow struct {
	File, SHA256, RowsRead, Accepted, Rejected string
}

type countRow struct {
	Endpoint, Arm, N, Events, Censored string
}

type endpointView struct {
	Paramcd, Label, Kind string
	Anchor               string
	Status               string
	OK, Allowed          bool
	Messages             []string
	// Figures are shown at the top of the endpoint: the Kaplan–Meier
	// figure and those of kinds without a section of their own; the
	// others are in Cox.Figures and Sections[i].Figures.
	Figures    []*figureView
	FigureNote string // why there is no figure
	Arms       []epArmRow
	// QuantileUnit is the unit of the quartile table: the study's time
	// unit, or "hours" where the figure's axis is in hours.
	QuantileUnit string
	Quantiles    []quantileRow
	LogRank      []testRow
	Cox          *coxView
	Subgroups    []subgroupRow
	// Sections are the report sections of the methods that render their
	// own (fit.Method.Report), in method order.
	Sections []sectionView
}

// sectionView is a method's report section with the figures of its kind.
type sectionView struct {
	fit.Section
	Method  string
	Figures []*figureView
}

// noticeGroup is one part of the Warnings section: the study, or one
// endpoint, and what it warns of.
type noticeGroup struct {
	Scope  string // "Study" or "Endpoint TTRESP: label"
	Anchor string // link target of the endpoint, "" for the study
	Items  []string
}

// subgroupRow is one row of the subgroup table: the treatment comparison
// within one level of a subgroup column.
type subgroupRow struct {
	Subgroup, Level, Comparison, N, Events, HR, CI, P, LogRankP, Status string
}

type figureView struct {
	Number int               // figure number in the report, from 1
	Kind   string            // figure kind: km, forest, nelson_aalen …
	MDPath string            // link target for Markdown, URL-escaped
	Src    template.HTMLAttr // src="data:…;base64,…": embedded image for HTML
	// Caption is the figure's caption and its alt text.
	Caption string
	Links   []figureLink // every file of the figure
}

type figureLink struct {
	Ext, Path string // Path is URL-escaped
	Name      string // file name, for the download list of tables
}

type epArmRow struct {
	Arm, N, Events, Censored, Observed, Expected string
}

type quantileRow struct {
	Arm, Q25, Q50, Q75 string
}

type testRow struct {
	Test, Statistic, DF, P string
}

type coxView struct {
	Summary string
	Warning string // non-empty when the model did not converge
	// Robust is true when some term has a robust (sandwich) SE: the
	// table then has its column.
	Robust  bool
	Terms   []coxTermRow
	Tests   []testRow
	Figures []*figureView // the forest plot
}

// coxTermRow is a row of the Cox table, as SAS PROC PHREG's "Analysis of
// Maximum Likelihood Estimates" and R's summary.coxph: coefficient, its
// standard errors, Wald z, hazard ratio with its confidence interval, p.
type coxTermRow struct {
	Term, Comparison, Coef, SE, RobustSE, Z, HR, CI, P string
}

type provenance struct {
	InputFile, InputSHA256, InputRows string
	Schema                            string
	ResultsFile, ResultsSHA256        string
	IngestFile, IngestSHA256          string
	ExclusionsFile, ExclusionsSHA256  string
	Program, GoVersion                string
	// FiguresFile, FiguresSHA256, FiguresProgram and FiguresGoVersion
	// identify figures.json and the program that drew the figures; empty
	// without a figures manifest.
	FiguresFile, FiguresSHA256       string
	FiguresProgram, FiguresGoVersion string
	// Modules are those recorded by the fit stage and, with a figures
	// manifest, by the plot stage; ModulePrograms says whether the table
	// has the Programs column (only with a figures manifest).
	Modules        []module
	ModulePrograms bool
	Citations      []string
}

// module is a row of the module table. Programs names the programs that
// recorded the module at this version ("fit", "plot" or "fit, plot").
type module struct{ Path, Version, Programs string }

// testNames are the display names of the tests of tests.csv.
var testNames = map[string]string{
	"logrank":   "Log-rank",
	"cox_wald":  "Wald (Cox)",
	"cox_lr":    "Likelihood ratio (Cox)",
	"cox_score": "Score (Cox)",
}

// newDocument formats the inputs for display. It panics if in or
// in.Results is nil.
func newDocument(in *Inputs) (*document, error) {
	if in == nil || in.Results == nil {
		panic("report: Inputs.Results is nil")
	}
	res := in.Results
	st := res.Study
	d := &document{
		StudyID:     st.ID,
		Design:      st.Design,
		Synthetic:   st.Synthetic,
		Source:      st.Source,
		ControlFrom: st.ControlSource,
		Status:      string(res.Status),
		StatusOK:    res.Status == "ok",
		Warnings:    res.Warnings,
		TimeUnit:    res.Conventions.TimeUnit,
		Methods:     methodsText(res),
		RCode:       RCode(res.Conventions, sourcePath(res.Input.File)),
		SASCode:     SASCode(res.Conventions, categoricalCovariates(res)),
	}
	d.SyntheticNote = "The data of this study are simulated: no patient took part."
	if len(st.Citations) > 0 {
		d.SyntheticNote = "The data of this study are simulated, calibrated to the cited publications: no patient took part."
	}
	if d.TimeUnit == "" {
		d.TimeUnit = "days"
	}
	d.Title = "Study " + st.ID
	if st.Title != "" {
		d.Title += ": " + st.Title
	}
	d.ConfLabel = "CI"
	if p := formatPercent(res.Conventions.ConfLevel); p != "" {
		d.ConfLabel = p + " CI"
	}

	control := st.Control
	if control == "" {
		control = res.Conventions.ReferenceArm
	}
	armLabel := func(name string) string {
		for _, a := range st.Arms {
			if a.Name == name && a.Label != "" && a.Label != name {
				return a.Label + " (" + name + ")"
			}
		}
		return name
	}
	for _, a := range st.Arms {
		d.Arms = append(d.Arms, armRow{Name: a.Name, Label: a.Label, Class: a.Class, Control: a.Name == control})
	}
	d.Control = armLabel(control)

	if ing := in.Ingest; ing != nil {
		iv := &ingestView{
			File:        in.IngestFile,
			SHA256:      in.IngestSHA256,
			RowsRead:    strconv.Itoa(ing.RowsRead),
			Accepted:    strconv.Itoa(ing.Accepted),
			Reject:      strconv.Itoa(ing.Rejected),
			RejectsFile: sourcePath(ing.RejectsFile),
		}
		for _, f := range ing.Files {
			iv.Files = append(iv.Files, ingestFileRow{
				File: sourcePath(f.File), SHA256: f.SHA256,
				RowsRead: strconv.Itoa(f.RowsRead), Accepted: strconv.Itoa(f.Accepted), Rejected: strconv.Itoa(f.Rejected),
			})
		}
		d.Ingest = iv
	}

	for _, ep := range res.Endpoints {
		for _, a := range ep.Arms {
			d.Counts = append(d.Counts, countRow{
				Endpoint: ep.Paramcd, Arm: armLabel(a.Arm),
				N: strconv.Itoa(a.N), Events: strconv.Itoa(a.Events), Censored: strconv.Itoa(a.Censored),
			})
		}
	}
	d.CountNotes = compareCounts(res, in.Ingest)
	if in.Derivation != nil {
		var endpoints, arms []string
		for _, ep := range res.Endpoints {
			endpoints = append(endpoints, ep.Paramcd)
		}
		for _, a := range st.Arms {
			arms = append(arms, a.Name)
		}
		d.Derivation = newDerivationView(in.Derivation, sourcePath(res.Input.File), endpoints, arms, armLabel)
	}

	d.StatusAllowed, d.AllAllowed = "allowed by the analysis plan", true
	for _, ep := range res.Endpoints {
		if ep.Status != "ok" && !ep.Allowed {
			d.StatusAllowed, d.AllAllowed = "not allowed by the analysis plan", false
		}
	}
	next := 1
	for i, ep := range res.Endpoints {
		v := newEndpointView(i, ep, in.Figures, d.TimeUnit, control, armLabel)
		secs, err := methodSections(ep, res)
		if err != nil {
			return nil, err
		}
		v.Sections = secs
		v.placeFigures()
		next = v.numberFigures(next)
		d.Endpoints = append(d.Endpoints, v)
	}
	d.Notices = notices(res, d.CountNotes, d.Endpoints)
	for _, t := range in.Tables {
		d.Tables = append(d.Tables, figureLink{Name: t.Name, Path: urlPath(t.Path), Ext: strings.ToUpper(strings.TrimPrefix(path.Ext(t.Name), "."))})
	}

	p := provenance{
		InputFile:     sourcePath(res.Input.File),
		InputSHA256:   res.Input.SHA256,
		InputRows:     strconv.Itoa(res.Input.Rows),
		Schema:        res.Schema,
		ResultsFile:   in.ResultsFile,
		ResultsSHA256: in.ResultsSHA256,
		IngestFile:    in.IngestFile,
		IngestSHA256:  in.IngestSHA256,
		Program:       res.Software.Program,
		GoVersion:     res.Software.GoVersion,
		Citations:     st.Citations,
	}
	if dv := in.Derivation; dv != nil {
		p.ExclusionsFile, p.ExclusionsSHA256 = dv.File, dv.SHA256
	}
	if m := in.FiguresManifest; m != nil {
		p.FiguresFile, p.FiguresSHA256 = in.FiguresManifestFile, in.FiguresManifestSHA256
		p.FiguresProgram, p.FiguresGoVersion = m.Software.Program, m.Software.GoVersion
		p.Modules, p.ModulePrograms = moduleRows(res.Software, m.Software), true
	} else {
		p.Modules = moduleRows(res.Software)
	}
	d.Provenance = p
	return d, nil
}

// moduleRows lists the modules recorded by the programs, sorted by path then
// version; a module recorded at the same version by several programs has one
// row naming them all, in the order given.
func moduleRows(programs ...schema.Software) []module {
	type key struct{ path, version string }
	by := make(map[key][]string)
	for _, sw := range programs {
		name := strings.TrimPrefix(sw.Program, "ketcurves ")
		for path, v := range sw.Modules {
			k := key{path, v}
			if !slices.Contains(by[k], name) {
				by[k] = append(by[k], name)
			}
		}
	}
	rows := make([]module, 0, len(by))
	for k, names := range by {
		rows = append(rows, module{Path: k.path, Version: k.version, Programs: strings.Join(names, ", ")})
	}
	slices.SortFunc(rows, func(a, b module) int {
		if c := strings.Compare(a.Path, b.Path); c != 0 {
			return c
		}
		return strings.Compare(a.Version, b.Version)
	})
	return rows
}

// CountMismatches returns one note per endpoint and arm whose subjects,
// events or censored observations differ between ingest.json and
// results.json; it returns nil when there is no ingest summary. The notes
// are also shown in the report.
func (in *Inputs) CountMismatches() []string {
	return compareCounts(in.Results, in.Ingest)
}

// compareCounts checks the subjects and events analysed by the fit stage
// against those accepted by the ingest stage, and returns one note per
// disagreement.
func compareCounts(res *schema.Results, ing *schema.Ingest) []string {
	if ing == nil {
		return nil
	}
	type key struct{ paramcd, arm string }
	analysed := make(map[key]schema.ArmSummary)
	for _, ep := range res.Endpoints {
		// Ingest counts every CNSR = 0 row as an event; the fit stage
		// censors the competing ones for the event of interest.
		competing := map[string]int{}
		if et := ep.EventTypes; et != nil {
			for _, c := range et.Counts {
				if c.Type != et.EventOfInterest && c.Type != "censored" {
					competing[c.Arm] += c.Subjects
				}
			}
		}
		for _, a := range ep.Arms {
			a.Events += competing[a.Arm]
			a.Censored -= competing[a.Arm]
			analysed[key{ep.Paramcd, a.Arm}] = a
		}
	}
	var notes []string
	for _, c := range ing.Counts {
		a, ok := analysed[key{c.Paramcd, c.Arm}]
		if !ok {
			notes = append(notes, fmt.Sprintf("%s, arm %s: ingest accepted %d subjects (%d events) that the fit stage did not analyse.", c.Paramcd, c.Arm, c.N, c.Events))
			continue
		}
		if a.N != c.N || a.Events != c.Events || a.Censored != c.Censored {
			notes = append(notes, fmt.Sprintf("%s, arm %s: ingest accepted n = %d, events = %d, censored = %d; the fit stage analysed n = %d, events = %d, censored = %d.",
				c.Paramcd, c.Arm, c.N, c.Events, c.Censored, a.N, a.Events, a.Censored))
		}
	}
	return notes
}

func newEndpointView(i int, ep schema.Endpoint, figs map[string][]Figure, timeUnit, control string, armLabel func(string) string) endpointView {
	v := endpointView{
		Paramcd:  ep.Paramcd,
		Label:    ep.Label,
		Kind:     ep.Kind,
		Anchor:   "endpoint-" + strconv.Itoa(i+1),
		Status:   string(ep.Status),
		OK:       ep.Status == "ok",
		Allowed:  ep.Allowed,
		Messages: ep.Messages,
	}
	if len(ep.Statuses) > 0 {
		v.Status = strings.Join(statusNames(ep.Statuses), ", ")
	}
	if v.Status == "" {
		v.Status = "(unrecorded)"
	}
	if list, ok := figs[ep.Paramcd]; ok {
		for _, fig := range list {
			v.Figures = append(v.Figures, newFigureView(fig, ep))
		}
	} else if figs != nil {
		v.FigureNote = "No figure: the endpoint has no Kaplan–Meier rows (status " + v.Status + ")."
	}

	hasLogrank := slices.ContainsFunc(ep.Tests, func(t schema.TestRow) bool { return t.Test == "logrank" })
	var arms []string
	for _, a := range ep.Arms {
		arms = append(arms, a.Arm)
		row := epArmRow{Arm: armLabel(a.Arm), N: strconv.Itoa(a.N), Events: strconv.Itoa(a.Events), Censored: strconv.Itoa(a.Censored)}
		if hasLogrank {
			// Observed and expected are those of the log-rank test.
			row.Observed, row.Expected = formatStat(a.Observed), formatStat(a.Expected)
		}
		v.Arms = append(v.Arms, row)
	}
	for _, q := range ep.Quantiles {
		if !slices.Contains(arms, q.Arm) {
			arms = append(arms, q.Arm)
		}
	}
	if len(ep.Quantiles) == 0 {
		arms = nil // no quantiles were estimated: no table
	}
	var formatQ func(*float64) string
	v.QuantileUnit, formatQ = QuantileTimes(ep, timeUnit)
	for _, arm := range arms {
		row := quantileRow{Arm: armLabel(arm), Q25: NA, Q50: NA, Q75: NA}
		for _, q := range ep.Quantiles {
			if q.Arm != arm {
				continue
			}
			cell := formatQ(q.Time) + " (" + formatQ(q.Lower) + ", " + formatQ(q.Upper) + ")"
			if q.Time == nil && q.Lower == nil && q.Upper == nil {
				cell = NotReached
			}
			switch q.Quantile {
			case 0.25:
				row.Q25 = cell
			case 0.5:
				row.Q50 = cell
			case 0.75:
				row.Q75 = cell
			}
		}
		v.Quantiles = append(v.Quantiles, row)
	}

	var coxTests []testRow
	for _, t := range ep.Tests {
		name, ok := testNames[t.Test]
		if !ok {
			name = t.Test
		}
		row := testRow{Test: name, Statistic: formatStat(t.Statistic), DF: strconv.Itoa(t.DF), P: FormatP(t.PValue)}
		if strings.HasPrefix(t.Test, "cox_") {
			coxTests = append(coxTests, row)
		} else {
			v.LogRank = append(v.LogRank, row)
		}
	}

	if c := ep.Cox; c != nil {
		cv := &coxView{Tests: coxTests}
		ties := c.Ties
		if ties == "" {
			ties = "(unrecorded)"
		}
		cv.Summary = fmt.Sprintf("n = %d, events = %d, ties = %s", c.N, c.Events, ties)
		if c.Strata != "" {
			cv.Summary += ", strata = " + c.Strata
		}
		cv.Summary += fmt.Sprintf("; log-likelihood %s (null model %s)", formatStat(c.LogLik), formatStat(c.LogLik0))
		var warn []string
		if c.Status != "" && c.Status != "ok" {
			warn = append(warn, "Cox model status: "+c.Status+"; terms marked "+NotEstimable+" have no trustworthy estimate.")
		}
		if c.Converged {
			cv.Summary += fmt.Sprintf("; converged in %d iterations.", c.Iterations)
		} else {
			warn = append(warn, fmt.Sprintf("The Cox model did not converge after %d iterations: hazard ratios and Wald tests are not reliable; the likelihood-ratio test is preferred.", c.Iterations))
			cv.Summary += "."
		}
		cv.Warning = strings.Join(warn, " ")
		for _, t := range c.Terms {
			row := coxTermRow{Term: t.Term, HR: NotEstimable}
			if t.Estimable {
				row.Coef, row.SE, row.Z = formatCoef(t.Coef), formatCoef(t.SE), formatStat(t.Z)
				row.HR = FormatHR(t.HR)
				row.CI = FormatHR(t.HRLower) + ", " + FormatHR(t.HRUpper)
				row.P = FormatP(t.PValue)
				if t.RobustSE != nil {
					row.RobustSE, cv.Robust = formatCoef(*t.RobustSE), true
				}
			}
			row.Comparison = termComparison(t.Term, armLabel, control)
			cv.Terms = append(cv.Terms, row)
		}
		v.Cox = cv
	} else if len(coxTests) > 0 {
		v.Cox = &coxView{Tests: coxTests}
	}
	v.Subgroups = subgroupRows(ep, armLabel, control)
	return v
}

// newFigureView prepares one figure of endpoint ep for display: Markdown
// links the SVG whenever there is one; HTML embeds it unless it is large and
// a PNG exists. A figure without a caption (found without a manifest
// listing figures) gets a generic one.
func newFigureView(fig Figure, ep schema.Endpoint) *figureView {
	fv := &figureView{Kind: fig.Kind, Caption: fig.Caption}
	if fv.Caption == "" {
		fv.Caption = "Kaplan–Meier curves, " + ep.Paramcd
		if ep.Label != "" {
			fv.Caption += ": " + ep.Label
		}
	}
	if fig.SVG != nil {
		fv.MDPath = urlPath(fig.Files["svg"])
	} else {
		fv.MDPath = urlPath(fig.Files["png"])
	}
	if fig.SVG != nil && (fig.PNG == nil || len(fig.SVG) <= MaxInlineSVG) {
		fv.Src = dataSrc("image/svg+xml", fig.SVG)
	} else {
		fv.Src = dataSrc("image/png", fig.PNG)
	}
	for _, ext := range figureExts {
		if p, ok := fig.Files[ext]; ok {
			fv.Links = append(fv.Links, figureLink{Ext: strings.ToUpper(ext), Path: urlPath(p)})
		}
	}
	return fv
}

// figureHome maps a figure kind to the method whose section it belongs
// next to, where the two names differ; any other kind goes next to the
// section of the method of its own name, or to the top of the endpoint when
// there is none (km, and kinds whose method renders no section).
var figureHome = map[string]string{"forest": "cox"}

// placeFigures moves the figures of v.Figures next to the sections of
// their methods: a forest plot into the Cox regression, a Nelson–Aalen
// figure into the Nelson–Aalen section, and so on.
func (v *endpointView) placeFigures() {
	var top []*figureView
	for _, fv := range v.Figures {
		home := fv.Kind
		if h, ok := figureHome[fv.Kind]; ok {
			home = h
		}
		switch i := slices.IndexFunc(v.Sections, func(s sectionView) bool { return s.Method == home }); {
		case home == "cox" && v.Cox != nil:
			v.Cox.Figures = append(v.Cox.Figures, fv)
		case i >= 0 && fv.Kind != KindKM:
			v.Sections[i].Figures = append(v.Sections[i].Figures, fv)
		default:
			top = append(top, fv)
		}
	}
	v.Figures = top
}

// numberFigures numbers the figures in the order the report shows them,
// from next, and returns the next number.
func (v *endpointView) numberFigures(next int) int {
	number := func(figs []*figureView) {
		for _, f := range figs {
			f.Number = next
			next++
		}
	}
	number(v.Figures)
	if v.Cox != nil {
		number(v.Cox.Figures)
	}
	for _, s := range v.Sections {
		number(s.Figures)
	}
	return next
}

// axisInHours reports whether the endpoint's figure has its time axis in
// hours: a log time axis (time_scale log) whose first positive time is
// below one day, in a study whose time unit is days. Its quartiles are then
// shown in hours, as the axis.
func axisInHours(ep schema.Endpoint, timeUnit string) bool {
	if ep.TimeScale != "log" || (timeUnit != "days" && timeUnit != "") {
		return false
	}
	for _, r := range ep.KM.All() {
		if r.Time > 0 && r.Time < 1 {
			return true
		}
	}
	return false
}

// subgroupRows lists, per subgroup level, each treatment comparison of the
// subgroup's Cox model with its log-rank p-value and status.
func subgroupRows(ep schema.Endpoint, armLabel func(string) string, control string) []subgroupRow {
	var rows []subgroupRow
	for _, sg := range ep.Subgroups {
		n, events := 0, 0
		for _, a := range sg.Arms {
			n += a.N
			events += a.Events
		}
		base := subgroupRow{Subgroup: sg.Subgroup, Level: sg.Level, N: strconv.Itoa(n), Events: strconv.Itoa(events), HR: NotEstimable, LogRankP: NA, Status: string(sg.Status)}
		for _, t := range sg.Tests {
			if t.Test == "logrank" {
				base.LogRankP = FormatP(t.PValue)
			}
		}
		added := false
		if sg.Cox != nil {
			for _, t := range sg.Cox.Terms {
				if !strings.HasPrefix(t.Term, "TRTP:") {
					continue
				}
				r := base
				r.Comparison = termComparison(t.Term, armLabel, control)
				if t.Estimable {
					r.HR, r.CI, r.P = FormatHR(t.HR), FormatHR(t.HRLower)+", "+FormatHR(t.HRUpper), FormatP(t.PValue)
				}
				rows = append(rows, r)
				added = true
			}
		}
		if !added {
			rows = append(rows, base)
		}
	}
	return rows
}

// termComparison describes what the hazard ratio of a Cox term compares.
// Terms are named TRTP:<arm>, <column>:<level> or <column> (numeric).
func termComparison(term string, armLabel func(string) string, control string) string {
	if arm, ok := strings.CutPrefix(term, "TRTP:"); ok {
		return armLabel(arm) + " vs " + armLabel(control)
	}
	if col, level, ok := strings.Cut(term, ":"); ok {
		return col + " = " + level + " vs the reference level"
	}
	return "per unit increase of " + term
}

// categoricalCovariates returns the covariates that have level terms
// (<column>:<level>) in some Cox model, in the order of the conventions.
func categoricalCovariates(res *schema.Results) []string {
	var cat []string
	for _, cv := range res.Conventions.Covariates {
	search:
		for _, ep := range res.Endpoints {
			if ep.Cox == nil {
				continue
			}
			for _, t := range ep.Cox.Terms {
				if strings.HasPrefix(t.Term, cv+":") {
					cat = append(cat, cv)
					break search
				}
			}
		}
	}
	return cat
}

// dataSrc returns the src attribute of an image embedded as a base64 data
// URI. The base64 alphabet needs no escaping in an HTML attribute, which is
// why the attribute can be trusted as a whole (html/template would
// otherwise write each '+' as an entity).
func dataSrc(mime string, data []byte) template.HTMLAttr {
	return template.HTMLAttr(`src="data:` + mime + ";base64," + base64.StdEncoding.EncodeToString(data) + `"`)
}

// urlPath escapes each segment of a slash-separated relative path for use
// as a link target.
func urlPath(p string) string {
	seg := strings.Split(p, "/")
	for i, s := range seg {
		seg[i] = url.PathEscape(s)
	}
	return strings.Join(seg, "/")
}

func statusNames(st []schema.Status) []string {
	out := make([]string, len(st))
	for i, s := range st {
		out[i] = string(s)
	}
	return out
}

// methodSections returns the report sections of the methods run that
// render their own.
func methodSections(ep schema.Endpoint, res *schema.Results) ([]sectionView, error) {
	var out []sectionView
	for _, name := range res.Conventions.Methods {
		m, ok := fit.Lookup(name)
		if !ok || m.Report == nil {
			continue
		}
		sec, err := m.Report(&ep, res)
		if err != nil {
			return nil, fmt.Errorf("endpoint %s, method %s: %w", ep.Paramcd, name, err)
		}
		if sec != nil {
			out = append(out, sectionView{Section: *sec, Method: name})
		}
	}
	return out, nil
}

// methodsText is the Methods paragraph: the conventions, then one sentence
// per method run that has one.
func methodsText(res *schema.Results) string {
	parts := []string{Methods(res.Conventions)}
	for _, name := range res.Conventions.Methods {
		if m, ok := fit.Lookup(name); ok && m.Methods != nil {
			if s := m.Methods(res); s != "" {
				parts = append(parts, s)
			}
		}
	}
	return strings.Join(parts, " ")
}

// Texts shared by the Markdown and HTML renderers.
const (
	noWarnings  = "None: every status is ok and no message was recorded."
	noTables    = "The tables folder of the fit stage could not be listed."
	tablesIntro = "The tables written by the fit stage, as CSV (one file per analysis; columns documented in reports/README.md), and every result in results.json:"
)

// hoursNote explains quartiles shown in hours in a study timed in unit.
func hoursNote(unit string) string {
	return "Shown in hours, as the figure's time axis (the study's time unit is " + unit + "; 24 h = 1 day)."
}

// coxHeader is the header of the Cox table; robust adds the robust SE.
func coxHeader(confLabel string, robust bool) []string {
	h := []string{"Term", "Comparison", "Coefficient", "SE"}
	if robust {
		h = append(h, "Robust SE")
	}
	return append(h, "z", "HR", "HR "+confLabel, "p")
}

// cells are the row's cells under coxHeader.
func (t coxTermRow) cells(robust bool) []string {
	c := []string{t.Term, t.Comparison, t.Coef, t.SE}
	if robust {
		c = append(c, t.RobustSE)
	}
	return append(c, t.Z, t.HR, t.CI, t.P)
}

// Cells is cells, for the HTML template.
func (t coxTermRow) Cells(robust bool) []string { return t.cells(robust) }
