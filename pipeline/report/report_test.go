package report

import (
	"bytes"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/ketcurves/ketcurves/pipeline/golden"
	"github.com/ketcurves/ketcurves/pipeline/schema"
)

const fixture = "testdata/S1"

func loadFixture(t *testing.T) *Inputs {
	t.Helper()
	in, err := Load(filepath.Join(fixture, "tables", "results.json"), filepath.Join(fixture, "figures"), filepath.Join(fixture, "ingest.json"), fixture)
	if err != nil {
		t.Fatal(err)
	}
	return in
}

func render(t *testing.T, in *Inputs) (md, html []byte) {
	t.Helper()
	var m, h bytes.Buffer
	if err := Markdown(&m, in); err != nil {
		t.Fatal(err)
	}
	if err := HTML(&h, in); err != nil {
		t.Fatal(err)
	}
	return m.Bytes(), h.Bytes()
}

func TestGolden(t *testing.T) {
	md, html := render(t, loadFixture(t))
	for _, test := range []struct {
		name string
		got  []byte
	}{
		{"report.md", md},
		{"report.html", html},
	} {
		golden.Check(t, filepath.Join("testdata", "golden", test.name), test.got)
	}
}

func trunc(s string) string {
	if len(s) > 200 {
		return s[:200] + "…"
	}
	return s
}

// TestReportContent checks, independently of the golden files, that the
// fixture's report says what the brief requires.
func TestReportContent(t *testing.T) {
	md, html := render(t, loadFixture(t))
	for _, test := range []struct {
		name string
		doc  string
		want []string
	}{
		{"md", string(md), []string{
			"Synthetic data, not patient data",
			"Control (reference) arm: Escitalopram 10-20 mg (ESCITALOPRAM)",
			"![Kaplan–Meier curves, TTRESP: Time to response (MADRS ≥ 50% reduction)](figures/TTRESP.svg)",
			"figures/TTRELAPSE.png",
			`| 3.37 | 2.10, 5.42 | \< 0.0001 |`,
			`Status: monotone\_likelihood, zero\_events\_in\_arm** (allowed by the analysis plan)`,
			// Quartiles in hours under the log axis that starts at 40 min:
			// R's quantile.survfit gives 0.02778 (0.02778, 0.1667) days
			// for the first quartile, 1 (0.1667, 2) days for the median.
			"| IV ketamine 0.5 mg/kg (KETAMINE) | 0.6667 h (0.6667 h, 4 h) | 24 h (4 h, 48 h) | 336 h (168 h, not reached) |",
			`| Log-rank | 29.42 | 1 | \< 0.0001 |`,
			"| Log-rank | 10.64 | 1 | 0.001 |",
			"did not converge after 20 iterations",
			"| TRTP:KETAMINE | IV ketamine 0.5 mg/kg (KETAMINE) vs Escitalopram 10-20 mg (ESCITALOPRAM) |  |  |  | not estimable |  |  |",
			"Rows read 242, accepted 240, rejected 2",
			"| datasets/KET-SYN-01/adtte.csv | 241 | 240 | 1 |",
			"Greenwood variance and log-log 95% confidence intervals",
			"tables/results.json",
			"| gonum.org/v1/gonum | v0.17.0 |",
			"STAR\\*D",
		}},
		{"html", string(html), []string{
			`<div class="banner" role="alert">⚠ Synthetic data, not patient data`,
			`<img src="data:image/svg+xml;base64,`,
			`<img src="data:image/png;base64,`,
			`<td class="num">3.37</td><td class="num">2.10, 5.42</td><td class="num">&lt; 0.0001</td>`,
			"not reached",
			"Greenwood variance and log-log 95% confidence intervals",
			"go1.26.8",
		}},
	} {
		for _, w := range test.want {
			if !strings.Contains(test.doc, w) {
				t.Errorf("%s report lacks %q", test.name, w)
			}
		}
		for _, bad := range []string{"NaN", "/work/", "/tmp/"} {
			if strings.Contains(test.doc, bad) {
				t.Errorf("%s report contains %q", test.name, bad)
			}
		}
	}
	// The HTML must load nothing: no external references.
	ext := regexp.MustCompile(`(?i)(src|href)="(https?:|//)|<link |<script|@import|url\(`)
	if loc := ext.FindIndex(html); loc != nil {
		t.Errorf("html is not self-contained: %q", html[loc[0]:min(loc[1]+40, len(html))])
	}
}

func TestWriteDeterministic(t *testing.T) {
	// Copy the fixture so that the report folder is a temporary one laid
	// out like reports/<study>/.
	var outputs [2]map[string][]byte
	for run := range outputs {
		dir := filepath.Join(t.TempDir(), "S1")
		copyTree(t, fixture, dir)
		in, err := Load(filepath.Join(dir, "tables", "results.json"), filepath.Join(dir, "figures"), filepath.Join(dir, "ingest.json"), dir)
		if err != nil {
			t.Fatal(err)
		}
		paths, err := Write(dir, in)
		if err != nil {
			t.Fatal(err)
		}
		outputs[run] = make(map[string][]byte)
		for _, p := range paths {
			data, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			outputs[run][filepath.Base(p)] = data
		}
	}
	if len(outputs[0]) != 2 {
		t.Fatalf("Write wrote %d files, want 2", len(outputs[0]))
	}
	md, html := render(t, loadFixture(t))
	for name, want := range map[string][]byte{MarkdownFile: md, HTMLFile: html} {
		if !bytes.Equal(outputs[0][name], outputs[1][name]) {
			t.Errorf("%s differs between two runs", name)
		}
		// Paths are relative to the report folder, so a report written in
		// another folder of the same layout is identical.
		if !bytes.Equal(outputs[0][name], want) {
			t.Errorf("%s written in a temporary folder differs from the one rendered in testdata:\n%s", name, golden.FirstDiff(outputs[0][name], want))
		}
	}
}

func copyTree(t *testing.T, src, dst string) {
	t.Helper()
	err := filepath.WalkDir(src, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, path)
		target := filepath.Join(dst, rel)
		if d.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		return os.WriteFile(target, data, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
}

const hostile = "<script>alert(1)</script>|x*y_\n`code` [link](http://evil) &amp; $x$"

func hostileInputs(t *testing.T) *Inputs {
	t.Helper()
	in := loadFixture(t)
	res := *in.Results
	st := res.Study
	st.Arms = []schema.ArmInfo{{Name: "KETAMINE", Label: hostile, Class: hostile}, {Name: hostile, Label: "", Class: "conventional"}}
	st.Title, st.Design, st.Source = hostile, hostile, hostile
	st.Control = hostile
	st.Citations = []string{hostile}
	res.Study = st
	res.Warnings = []string{hostile}
	res.Conventions.ReferenceArm = hostile
	res.Conventions.Covariates = []string{hostile}
	res.Conventions.Strata = hostile
	eps := make([]schema.Endpoint, len(res.Endpoints))
	copy(eps, res.Endpoints)
	ep := eps[0]
	ep.Label = hostile
	ep.Messages = []string{hostile}
	ep.Arms = append([]schema.ArmSummary(nil), ep.Arms...)
	ep.Arms[0].Arm = hostile
	ep.Quantiles = append([]schema.QuantileRow(nil), ep.Quantiles...)
	for i := range ep.Quantiles {
		if ep.Quantiles[i].Arm == "ESCITALOPRAM" {
			ep.Quantiles[i].Arm = hostile
		}
	}
	cox := *ep.Cox
	cox.Terms = []schema.CoxTerm{{Term: "TRTP:" + hostile, Estimable: true, HR: 2, HRLower: 1, HRUpper: 4, PValue: 0.04}}
	ep.Cox = &cox
	eps[0] = ep
	res.Endpoints = eps
	in.Results = &res
	in.Derivation = &Derivation{File: hostile, SHA256: hostile, Exclusions: []Exclusion{
		{StudyID: "KET-SYN-01", USUBJID: hostile, Arm: hostile, Paramcd: hostile, Reason: hostile},
		{StudyID: "KET-SYN-01", USUBJID: "U", Arm: "KETAMINE", Paramcd: "TTRESP", Reason: hostile + ": detail"},
	}}
	return in
}

func TestEscaping(t *testing.T) {
	md, html := render(t, hostileInputs(t))

	h := string(html)
	for _, bad := range []string{"<script>alert", "</script>|", "href=\"http://evil"} {
		if strings.Contains(h, bad) {
			t.Errorf("html contains unescaped %q", bad)
		}
	}
	if !strings.Contains(h, "&lt;script&gt;alert(1)&lt;/script&gt;|x*y_") {
		t.Errorf("html lacks the escaped hostile label")
	}

	m := string(md)
	// Outside fenced code blocks (where text is literal), no raw HTML and
	// no line started by a label.
	prose := stripFences(m)
	if strings.Contains(prose, "<script>") {
		t.Errorf("markdown contains an unescaped <script>")
	}
	for _, l := range strings.Split(prose, "\n") {
		if strings.HasPrefix(l, "`code`") {
			t.Errorf("a label starts a line in markdown: %q", l)
		}
	}
	if !strings.Contains(m, `\<script\>alert(1)\</script\>\|x\*y\_ \`+"`code\\` "+`\[link\](http://evil) \&amp; \$x\$`) {
		t.Errorf("markdown lacks the escaped hostile label")
	}
	// Every row of a table has as many unescaped '|' as its header.
	var want int
	for i, line := range strings.Split(prose, "\n") {
		if !strings.HasPrefix(line, "|") {
			want = 0
			continue
		}
		n := countPipes(line)
		if want == 0 {
			want = n
			continue
		}
		if n != want {
			t.Errorf("markdown line %d has %d cell separators, its table %d: %s", i+1, n, want, line)
		}
	}
}

// stripFences removes fenced code blocks from Markdown. A fence closes only
// with a line of at least as many backticks as it opened with.
func stripFences(md string) string {
	var out []string
	fence := ""
	for _, line := range strings.Split(md, "\n") {
		if fence == "" {
			if strings.HasPrefix(line, "```") {
				fence = line[:len(line)-len(strings.TrimLeft(line, "`"))]
				continue
			}
			out = append(out, line)
			continue
		}
		if strings.HasPrefix(line, fence) && strings.Trim(line, "`") == "" {
			fence = ""
		}
	}
	return strings.Join(out, "\n")
}

func countPipes(line string) int {
	n := 0
	escaped := false
	for _, r := range line {
		switch {
		case escaped:
			escaped = false
		case r == '\\':
			escaped = true
		case r == '|':
			n++
		}
	}
	return n
}

func TestEscapeMarkdown(t *testing.T) {
	for _, test := range []struct{ in, want string }{
		{"KETAMINE", "KETAMINE"},
		{"a|b", `a\|b`},
		{"x*y_z", `x\*y\_z`},
		{"<b>", `\<b\>`},
		{"line1\nline2\r\n", "line1 line2  "},
		{"`x`", "\\`x\\`"},
		{`back\slash`, `back\\slash`},
		{"[a](b)", `\[a\](b)`},
		{"&amp;", `\&amp;`},
		{"≥ 50%", "≥ 50%"},
		{"10-20 mg", "10-20 mg"},
	} {
		if got := EscapeMarkdown(test.in); got != test.want {
			t.Errorf("EscapeMarkdown(%q) = %q, want %q", test.in, got, test.want)
		}
	}
}

func TestMethods(t *testing.T) {
	base := schema.Conventions{
		TimeUnit: "days", Censoring: "CNSR: 0 = event, 1 = censored (ADaM)",
		ConfType: "log-log", ConfLevel: 0.95, Variance: "Greenwood",
		QuantileMethod: "Brookmeyer-Crowley, as R quantile.survfit",
		Ties:           "efron", ReferenceArm: "ESCITALOPRAM",
	}
	with := func(f func(*schema.Conventions)) schema.Conventions {
		c := base
		f(&c)
		return c
	}
	for _, test := range []struct {
		name    string
		c       schema.Conventions
		want    []string
		notWant []string
	}{
		{"defaults", base, []string{
			"Times are in days (CNSR: 0 = event, 1 = censored (ADaM)).",
			"Kaplan–Meier with Greenwood variance and log-log 95% confidence intervals (SAS PROC LIFETEST default, CONFTYPE=LOGLOG; R survfit default is log)",
			"95% confidence intervals by Brookmeyer-Crowley, as R quantile.survfit",
			"Arms were compared by the log-rank test.",
			"Efron ties (R coxph default; SAS PHREG default is Breslow), reference arm ESCITALOPRAM, with the arm as the only covariate, without strata",
		}, []string{"allows", "adjusted", "stratified"}},
		{"subgroups", with(func(c *schema.Conventions) { c.Subgroups = []string{"STRATUM", "SEX"} }), []string{
			"Subgroup analyses repeated the log-rank test and the Cox model within each level of STRATUM and SEX",
		}, nil},
		{"log 90%", with(func(c *schema.Conventions) { c.ConfType, c.ConfLevel = "log", 0.9 }), []string{
			"log 90% confidence intervals (R survfit default; SAS PROC LIFETEST default is log-log)",
			"with 90% confidence intervals by",
		}, []string{"log-log 95%"}},
		{"plain", with(func(c *schema.Conventions) { c.ConfType = "plain" }), []string{
			"plain (linear) 95% confidence intervals",
		}, nil},
		{"breslow", with(func(c *schema.Conventions) { c.Ties = "breslow" }), []string{
			"Breslow ties (SAS PHREG default; R coxph default is Efron)",
		}, []string{"Efron ties"}},
		{"covariates strata", with(func(c *schema.Conventions) {
			c.Covariates, c.Strata = []string{"AGE", "SEX", "BMADRS"}, "SITEGR1"
		}), []string{
			"log-rank test stratified by SITEGR1.",
			"adjusted for AGE, SEX and BMADRS, stratified by SITEGR1",
		}, []string{"only covariate", "without strata"}},
		{"reference", with(func(c *schema.Conventions) { c.ReferenceArm = "PLACEBO" }), []string{"reference arm PLACEBO"}, []string{"ESCITALOPRAM"}},
		{"allow", with(func(c *schema.Conventions) { c.Allow = []string{"monotone_likelihood", "zero_events_in_arm"} }), []string{
			"The analysis plan allows the statuses monotone_likelihood and zero_events_in_arm",
		}, nil},
		{"empty", schema.Conventions{}, []string{"(unrecorded)", "(level unrecorded)"}, []string{"NaN", "%!"}},
	} {
		got := Methods(test.c)
		for _, w := range test.want {
			if !strings.Contains(got, w) {
				t.Errorf("%s: Methods lacks %q:\n%s", test.name, w, got)
			}
		}
		for _, w := range test.notWant {
			if strings.Contains(got, w) {
				t.Errorf("%s: Methods contains %q:\n%s", test.name, w, got)
			}
		}
		if test.name != "defaults" && got == Methods(base) {
			t.Errorf("%s: Methods did not change with the conventions", test.name)
		}
	}
}

func TestMethodsInReport(t *testing.T) {
	in := loadFixture(t)
	md1, html1 := render(t, in)
	res := *in.Results
	res.Conventions.Ties = "breslow"
	res.Conventions.ConfType = "log"
	in.Results = &res
	md2, html2 := render(t, in)
	for _, test := range []struct {
		name          string
		before, after []byte
		want          string
	}{
		{"md", md1, md2, "Breslow ties (SAS PHREG default"},
		{"html", html1, html2, "Breslow ties (SAS PHREG default"},
		{"md R", md1, md2, `ties = "breslow"`},
		{"md SAS", md1, md2, "conftype=log "},
	} {
		if bytes.Contains(test.before, []byte(test.want)) || !bytes.Contains(test.after, []byte(test.want)) {
			t.Errorf("%s: the report does not follow the conventions (%q)", test.name, test.want)
		}
	}
}

func TestRAndSASCode(t *testing.T) {
	c := schema.Conventions{ConfType: "plain", ConfLevel: 0.9, Ties: "breslow", ReferenceArm: "PLACEBO", Covariates: []string{"AGE", "AGE GROUP"}, Strata: "SITE"}
	r := RCode(c, "datasets/x/adtte.csv")
	for _, w := range []string{
		`read.csv("datasets/x/adtte.csv", na.strings = c("", "NA", "."))`,
		`relevel(factor(d$TRTP), ref = "PLACEBO")`,
		`conf.type = "plain", conf.int = 0.9)`,
		`survdiff(Surv(AVAL, CNSR == 0) ~ TRTP + strata(SITE), data = d)`,
		"coxph(Surv(AVAL, CNSR == 0) ~ TRTP + AGE + `AGE GROUP` + strata(SITE), data = d, ties = \"breslow\")",
	} {
		if !strings.Contains(r, w) {
			t.Errorf("RCode lacks %q:\n%s", w, r)
		}
	}
	sas := SASCode(c, []string{"AGE GROUP"})
	for _, w := range []string{
		"conftype=linear alpha=0.1;",
		"strata trtp / notest;",
		"strata SITE / group=trtp test=logrank;",
		"class trtp(ref='PLACEBO') 'AGE GROUP'n(ref=first);",
		"model aval*cnsr(1) = trtp AGE 'AGE GROUP'n / ties=breslow risklimits alpha=0.1;",
	} {
		if !strings.Contains(sas, w) {
			t.Errorf("SASCode lacks %q:\n%s", w, sas)
		}
	}
}

func TestFormat(t *testing.T) {
	for _, test := range []struct {
		name string
		f    func(float64) string
		in   float64
		want string
	}{
		{"p", FormatP, 5.8e-08, "< 0.0001"},
		{"p", FormatP, 0.0001, "0.0001"},
		{"p", FormatP, 0.000127, "0.0001"},
		{"p", FormatP, 0.00047, "0.0005"},
		{"p", FormatP, 0.0011, "0.001"},
		{"p", FormatP, 0.04999, "0.050"},
		{"p", FormatP, 0.9985, "0.999"},
		{"p", FormatP, 1, "1.000"},
		{"p", FormatP, math.NaN(), "NA"},
		{"p", FormatP, -0.1, "NA"},
		{"hr", FormatHR, 3.37366, "3.37"},
		{"hr", FormatHR, 1.5, "1.50"},
		{"hr", FormatHR, 0.0123456, "0.0123"},
		{"hr", FormatHR, 9.996, "10.0"},
		{"hr", FormatHR, 123.6, "124"},
		{"hr", FormatHR, 5.63e-10, "5.63e-10"},
		{"hr", FormatHR, 1e300, "1.00e+300"},
		{"hr", FormatHR, 999999, "1.00e+06"},
		{"hr", FormatHR, 0.0001, "0.000100"},
		{"hr", FormatHR, 0, "0.00"},
		{"hr", FormatHR, math.Inf(1), "Inf"},
		{"hr", FormatHR, math.NaN(), "NA"},
		{"time", FormatTime, 0.027777777, "0.02778"},
		{"time", FormatTime, 84, "84"},
		{"time", FormatTime, 35.5, "35.5"},
		{"time", FormatTime, 1234.56, "1235"},
		{"time", FormatTime, 12345.6, "12346"},
		{"time", FormatTime, math.NaN(), "NA"},
		{"stat", formatStat, 29.42163, "29.42"},
		{"stat", formatStat, 0.001234, "0.00123"},
		{"stat", formatStat, -306.4465, "-306.45"},
		{"stat", formatStat, math.NaN(), "NA"},
	} {
		if got := test.f(test.in); got != test.want {
			t.Errorf("%s(%v) = %q, want %q", test.name, test.in, got, test.want)
		}
	}
}

// TestNoNaN checks that undefined values from a fit done in memory (JSON
// cannot hold NaN) are shown as NA, never as NaN.
func TestNoNaN(t *testing.T) {
	in := loadFixture(t)
	res := *in.Results
	eps := append([]schema.Endpoint(nil), res.Endpoints...)
	nan := math.NaN()
	ep := eps[0]
	ep.Tests = []schema.TestRow{{Test: "logrank", Statistic: nan, DF: 1, PValue: nan}}
	ep.Arms = []schema.ArmSummary{{Arm: "KETAMINE", Observed: nan, Expected: math.Inf(1)}}
	cox := *ep.Cox
	cox.LogLik, cox.LogLik0 = nan, nan
	cox.Terms = []schema.CoxTerm{{Term: "TRTP:KETAMINE", Estimable: true, HR: nan, HRLower: nan, HRUpper: math.Inf(1), PValue: nan}}
	ep.Cox = &cox
	eps[0] = ep
	res.Endpoints = eps
	res.Conventions.ConfLevel = nan
	in.Results = &res
	md, html := render(t, in)
	for name, doc := range map[string][]byte{"md": md, "html": html} {
		if bytes.Contains(doc, []byte("NaN")) {
			t.Errorf("%s report contains NaN", name)
		}
		if !bytes.Contains(doc, []byte("| NA |")) && !bytes.Contains(doc, []byte(">NA<")) {
			t.Errorf("%s report does not show NA", name)
		}
	}
}

func TestCountMismatch(t *testing.T) {
	in := loadFixture(t)
	ing := *in.Ingest
	ing.Counts = append([]schema.IngestCount(nil), ing.Counts...)
	ing.Counts[1].Events = 43
	ing.Counts = append(ing.Counts, schema.IngestCount{Paramcd: "TTREM", Arm: "KETAMINE", N: 60, Events: 30})
	in.Ingest = &ing
	notes := compareCounts(in.Results, in.Ingest)
	if len(notes) != 2 {
		t.Fatalf("got %d notes, want 2: %q", len(notes), notes)
	}
	if !strings.Contains(notes[0], "TTRESP, arm KETAMINE: ingest accepted n = 60, events = 43") ||
		!strings.Contains(notes[1], "TTREM, arm KETAMINE") {
		t.Errorf("unexpected notes %q", notes)
	}
	md, _ := render(t, in)
	if !bytes.Contains(md, []byte("Count mismatch:")) {
		t.Errorf("report does not show the count mismatch")
	}
}

func TestStandalone(t *testing.T) {
	// No ingest summary and no figures: a standalone user's report.
	in, err := Load(filepath.Join(fixture, "tables", "results.json"), "", "", fixture)
	if err != nil {
		t.Fatal(err)
	}
	md, html := render(t, in)
	for name, doc := range map[string][]byte{"md": md, "html": html} {
		if !bytes.Contains(doc, []byte("No ingest summary was given")) {
			t.Errorf("%s report does not say the ingest summary is missing", name)
		}
		if bytes.Contains(doc, []byte("data:image")) || bytes.Contains(doc, []byte("![")) {
			t.Errorf("%s report shows a figure although none was given", name)
		}
	}
}

func TestLoadErrors(t *testing.T) {
	dir := t.TempDir()
	results := filepath.Join(fixture, "tables", "results.json")
	figures := filepath.Join(fixture, "figures")
	ingest := filepath.Join(fixture, "ingest.json")
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	good, err := os.ReadFile(results)
	if err != nil {
		t.Fatal(err)
	}
	hostileParamcd := strings.Replace(string(good), `"paramcd": "TTRESP"`, `"paramcd": "../TTRESP"`, 1)
	for _, test := range []struct {
		name                     string
		results, figures, ingest string
		want                     []string
	}{
		{"missing results", filepath.Join(dir, "nope.json"), figures, "", []string{"nope.json", "run the fit stage"}},
		{"missing ingest", results, figures, filepath.Join(dir, "ingest.json"), []string{filepath.Join(dir, "ingest.json"), "omit -ingest"}},
		{"missing figures", results, filepath.Join(dir, "figs"), "", []string{filepath.Join(dir, "figs"), "run the plot stage"}},
		{"figures is a file", results, results, "", []string{results, "is not a folder"}},
		{"missing figure", results, dir, "", []string{filepath.Join(dir, "TTRESP.svg"), filepath.Join(dir, "TTRESP.png")}},
		{"bad json", write("bad.json", "{\n  \"schema\": \"ketcurves.results/v1\",\n  \"study\": [1]\n}"), figures, "", []string{"bad.json", "line 3, column"}},
		{"schema", write("old.json", `{"schema":"ketcurves.results/v0","study":{"id":"X"}}`), figures, "", []string{"old.json", `"ketcurves.results/v0"`, "ketcurves.results/v1"}},
		{"no study", write("nostudy.json", `{"schema":"ketcurves.results/v1"}`), figures, "", []string{"nostudy.json", "no study id"}},
		{"ingest schema", results, figures, write("ing.json", `{"schema":"x","study":"KET-SYN-01"}`), []string{"ing.json", `"x"`}},
		{"other study", results, figures, write("other.json", `{"schema":"ketcurves.ingest/v1","study":"OTHER"}`), []string{"other.json", `"OTHER"`, "KET-SYN-01"}},
		{"hostile paramcd", write("hostile.json", hostileParamcd), figures, ingest, []string{`"../TTRESP"`, "cannot name a figure file"}},
	} {
		_, err := Load(test.results, test.figures, test.ingest, fixture)
		if err == nil {
			t.Errorf("%s: Load succeeded", test.name)
			continue
		}
		for _, w := range test.want {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("%s: error %q lacks %q", test.name, err, w)
			}
		}
	}
}

func TestDisplayPath(t *testing.T) {
	for _, test := range []struct{ out, path, want string }{
		{"reports/S", "reports/S/tables/results.json", "tables/results.json"},
		{"reports/S", "reports/S/figures/A B(1).svg", "figures/A B(1).svg"},
		{"out", "reports/S/ingest.json", "../reports/S/ingest.json"},
		{"", "/abs/path/results.json", "results.json"},
	} {
		if got := displayPath(test.out, test.path); got != test.want {
			t.Errorf("displayPath(%q, %q) = %q, want %q", test.out, test.path, got, test.want)
		}
	}
	if got := urlPath("figures/A B(1).svg"); got != "figures/A%20B%281%29.svg" {
		t.Errorf("urlPath = %q", got)
	}
}

func TestFigureChoice(t *testing.T) {
	svg := []byte("<svg/>")
	png := []byte("\x89PNG")
	big := bytes.Repeat([]byte("x"), MaxInlineSVG+1)
	files := map[string]string{"svg": "figures/A.svg", "png": "figures/A.png"}
	for _, test := range []struct {
		name             string
		fig              Figure
		wantMD, wantMIME string
	}{
		{"svg and png", Figure{SVG: svg, PNG: png, Files: files}, "figures/A.svg", "image/svg+xml"},
		{"large svg and png", Figure{SVG: big, PNG: png, Files: files}, "figures/A.svg", "image/png"},
		{"large svg alone", Figure{SVG: big, Files: map[string]string{"svg": "figures/A.svg"}}, "figures/A.svg", "image/svg+xml"},
		{"png alone", Figure{PNG: png, Files: map[string]string{"png": "figures/A.png"}}, "figures/A.png", "image/png"},
	} {
		v := newEndpointView(0, schema.Endpoint{Paramcd: "A", Status: "ok"}, map[string][]Figure{"A": {test.fig}}, "days", "B", func(s string) string { return s })
		if len(v.Figures) != 1 {
			t.Fatalf("%s: %d figures, want 1", test.name, len(v.Figures))
		}
		f := v.Figures[0]
		if f.MDPath != test.wantMD {
			t.Errorf("%s: Markdown links %q, want %q", test.name, f.MDPath, test.wantMD)
		}
		if !strings.HasPrefix(string(f.Src), `src="data:`+test.wantMIME+";base64,") {
			t.Errorf("%s: HTML embeds %.40q, want %s", test.name, f.Src, test.wantMIME)
		}
	}
}

func TestTermComparison(t *testing.T) {
	label := func(s string) string { return "<" + s + ">" }
	for _, test := range []struct{ term, want string }{
		{"TRTP:KETAMINE", "<KETAMINE> vs <PLACEBO>"},
		{"SEX:M", "SEX = M vs the reference level"},
		{"AGE", "per unit increase of AGE"},
	} {
		if got := termComparison(test.term, label, "PLACEBO"); got != test.want {
			t.Errorf("termComparison(%q) = %q, want %q", test.term, got, test.want)
		}
	}
	res := &schema.Results{
		Conventions: schema.Conventions{Covariates: []string{"AGE", "SEX", "SITE"}},
		Endpoints: []schema.Endpoint{
			{Cox: nil},
			{Cox: &schema.CoxResult{Terms: []schema.CoxTerm{{Term: "TRTP:K"}, {Term: "AGE"}, {Term: "SEX:M"}}}},
			{Cox: &schema.CoxResult{Terms: []schema.CoxTerm{{Term: "SITE:B"}, {Term: "SEX:M"}}}},
		},
	}
	if got, want := strings.Join(categoricalCovariates(res), ","), "SEX,SITE"; got != want {
		t.Errorf("categoricalCovariates = %q, want %q", got, want)
	}
}

func TestSyntheticBanner(t *testing.T) {
	in := loadFixture(t)
	for _, test := range []struct {
		name      string
		synthetic bool
		citations []string
		want      string
	}{
		{"cited", true, []string{"A"}, "calibrated to the cited publications"},
		{"uncited", true, nil, "The data of this study are simulated: no patient took part."},
		{"patient data", false, []string{"A"}, ""},
	} {
		res := *in.Results
		res.Study.Synthetic = test.synthetic
		res.Study.Citations = test.citations
		in.Results = &res
		md, html := render(t, in)
		for name, doc := range map[string][]byte{"md": md, "html": html} {
			has := bytes.Contains(doc, []byte("Synthetic data, not patient data"))
			if has != test.synthetic {
				t.Errorf("%s %s: banner shown = %v, want %v", test.name, name, has, test.synthetic)
			}
			if test.want != "" && !bytes.Contains(doc, []byte(test.want)) {
				t.Errorf("%s %s: lacks %q", test.name, name, test.want)
			}
		}
	}
}
