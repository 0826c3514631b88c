package report

import (
	"encoding/csv"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/ketcurves/ketcurves/pipeline/adam"
	"github.com/ketcurves/ketcurves/pipeline/schema"
)

// injection holds the payloads of the injection test: a script, the end of
// the inline style sheet followed by an image with an event handler, and
// Go template syntax (which must print as text, never be executed).
const injection = `<script>alert(1)</script></style><img src=x onerror=alert(2)>{{.}}{{template "figures" .}}`

// injectedInputs puts the payloads into every label, title and text taken
// from input: the study title, design and source, arm names and labels,
// PARAM (the endpoint label), messages, warnings and figure captions.
func injectedInputs(t *testing.T) *Inputs {
	t.Helper()
	in := loadFixture(t)
	res := *in.Results
	st := res.Study
	st.Title, st.Design, st.Source = injection, injection, injection
	st.Arms = []schema.ArmInfo{
		{Name: "KETAMINE", Label: "Ketamine " + injection, Class: injection},
		{Name: "ESCITALOPRAM", Label: injection, Class: "conventional"},
	}
	st.Citations = []string{injection}
	res.Study = st
	res.Warnings = []string{injection}
	eps := make([]schema.Endpoint, len(res.Endpoints))
	copy(eps, res.Endpoints)
	for i := range eps {
		eps[i].Label = injection
		eps[i].Messages = []string{injection}
		eps[i].Arms = append([]schema.ArmSummary(nil), eps[i].Arms...)
		eps[i].Arms[0].Arm = "ARM " + injection
	}
	res.Endpoints = eps
	in.Results = &res
	figs := make(map[string][]Figure, len(in.Figures))
	for k, list := range in.Figures {
		for _, f := range list {
			f.Caption = injection
			figs[k] = append(figs[k], f)
		}
	}
	in.Figures = figs
	in.Tables = []TableFile{{Name: injection + ".csv", Path: "tables/" + injection + ".csv"}}
	return in
}

// TestInjectionInert checks that payloads in labels, the title, PARAM and
// captions render as inert text: no element, attribute, style-sheet end or
// template action comes from input.
func TestInjectionInert(t *testing.T) {
	in := injectedInputs(t)
	figures := 0
	for _, list := range in.Figures {
		figures += len(list)
	}
	md, html := render(t, in)
	h := string(html)
	if n := strings.Count(strings.ToLower(h), "<script"); n != 0 {
		t.Errorf("html has %d <script elements", n)
	}
	if n := strings.Count(h, "</style>"); n != 1 {
		t.Errorf("html has %d </style>, want the one that ends the style sheet", n)
	}
	// Every image is an embedded figure.
	for _, m := range regexp.MustCompile(`<img[^>]*`).FindAllString(h, -1) {
		if !strings.HasPrefix(m, `<img src="data:image/`) || strings.Contains(m, "onerror=alert") && !strings.Contains(m, "onerror=alert(2)&gt;") {
			t.Errorf("html has an image from input: %.80q", m)
		}
	}
	if n := strings.Count(h, "<figure "); n != figures {
		t.Errorf("html has %d figures, want %d: template syntax from input was executed", n, figures)
	}
	for _, want := range []string{
		"&lt;script&gt;alert(1)&lt;/script&gt;&lt;/style&gt;&lt;img src=x onerror=alert(2)&gt;{{.}}{{template &#34;figures&#34; .}}",
		"<title>Study KET-SYN-01: &lt;script&gt;",
		`alt="&lt;script&gt;alert(1)&lt;/script&gt;`,
	} {
		if !strings.Contains(h, want) {
			t.Errorf("html lacks the escaped payload %q", want)
		}
	}
	// The hrefs from input (table file names) are URL-escaped.
	if strings.Contains(h, `href="tables/<`) {
		t.Errorf("html has an unescaped link from input")
	}

	// In Markdown, a '<' or '{' from input is preceded by a backslash.
	m := stripFences(string(md))
	if loc := regexp.MustCompile(`(?:^|[^\\])(<(?:script|img|/style)|\{\{)`).FindStringIndex(m); loc != nil {
		t.Errorf("markdown prose contains unescaped payload: %q", m[loc[0]:min(loc[1]+20, len(m))])
	}
	if !strings.Contains(m, `\<script\>alert(1)\</script\>\</style\>\<img src=x onerror=alert(2)\>\{\{.\}\}`) {
		t.Errorf("markdown lacks the escaped payload")
	}
}

// TestContentSecurityPolicy checks the meta tag of the report: the policy
// forbids every request except the embedded data: images and the inline
// style sheet.
func TestContentSecurityPolicy(t *testing.T) {
	_, html := render(t, loadFixture(t))
	tag := `<meta http-equiv="Content-Security-Policy" content="` + ContentSecurityPolicy + `">`
	if !strings.Contains(string(html), tag) {
		t.Fatalf("html lacks %s", tag)
	}
	for _, directive := range []string{"default-src 'none'", "img-src data:", "style-src 'unsafe-inline'"} {
		if !strings.Contains(ContentSecurityPolicy, directive) {
			t.Errorf("policy lacks %q", directive)
		}
	}
	if strings.Contains(ContentSecurityPolicy, "script-src") || strings.Contains(ContentSecurityPolicy, "http") {
		t.Errorf("policy allows scripts or remote hosts: %s", ContentSecurityPolicy)
	}
	if !strings.Contains(string(html), "@media print {") {
		t.Errorf("html lacks the print style sheet")
	}
}

// TestNoSubjectID renders the report of every bundled study (reports/*/)
// from its results, ingest summary and derivation exclusions, and checks
// that no subject ID (USUBJID) of its analysed ADTTE file, nor of its
// exclusions file, appears in report.md or report.html: the reports are
// aggregate. (derive_exclusions.csv, the derivation audit file, is meant to
// hold them and is only linked.)
func TestNoSubjectID(t *testing.T) {
	studies, err := filepath.Glob("../../reports/*/tables/results.json")
	if err != nil || len(studies) == 0 {
		t.Skipf("no bundled study reports found (%v)", err)
	}
	for _, results := range studies {
		dir := filepath.Dir(filepath.Dir(results))
		name := filepath.Base(dir)
		ids := subjectIDs(t, filepath.Join(dir, "adtte.csv"), filepath.Join("../../datasets", name, "adtte.csv"), filepath.Join(dir, "derive_exclusions.csv"))
		// The analysed file in any format (adtte.xpt, Dataset-JSON).
		if data, err := os.ReadFile(results); err == nil {
			if res, err := schema.DecodeResults(results, data); err == nil {
				if tab, _, err := adam.ReadADTTE(filepath.Join("../..", res.Input.File), adam.Options{}); err == nil {
					for _, id := range tab.USUBJID {
						ids[id] = true
					}
				}
			}
		}
		if len(ids) == 0 {
			t.Errorf("%s: no subject IDs found to check", name)
			continue
		}
		ingest := filepath.Join(dir, "ingest.json")
		if _, err := os.Stat(ingest); err != nil {
			ingest = ""
		}
		in, err := Load(results, "", ingest, dir)
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if excl := filepath.Join(dir, "derive_exclusions.csv"); fileExists(excl) {
			if err := in.LoadExclusions(excl, dir); err != nil {
				t.Errorf("%s: %v", name, err)
				continue
			}
		}
		md, html := render(t, in)
		for _, doc := range []struct {
			name string
			text string
		}{{"report.md", string(md)}, {"report.html", string(html)}} {
			for id := range ids {
				if containsWord(doc.text, id) {
					t.Errorf("%s: %s shows subject ID %q", name, doc.name, id)
					break
				}
			}
		}
	}
}

// subjectIDs reads the USUBJID column of the CSV files that exist among
// paths.
func subjectIDs(t *testing.T, paths ...string) map[string]bool {
	t.Helper()
	ids := map[string]bool{}
	for _, p := range paths {
		f, err := os.Open(p)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		rows, err := csv.NewReader(f).ReadAll()
		f.Close()
		if err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		if len(rows) == 0 {
			continue
		}
		col := -1
		for i, h := range rows[0] {
			if h == "USUBJID" {
				col = i
			}
		}
		if col < 0 {
			t.Fatalf("%s has no USUBJID column", p)
		}
		for _, r := range rows[1:] {
			ids[r[col]] = true
		}
	}
	return ids
}

func fileExists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}

// containsWord reports whether id occurs in text not as part of a longer
// run of letters, digits, '-' or '_' (so that EX-001 is not found inside
// EX-0010 or a hash).
func containsWord(text, id string) bool {
	isWord := func(b byte) bool {
		return b == '-' || b == '_' || b >= '0' && b <= '9' || b >= 'A' && b <= 'Z' || b >= 'a' && b <= 'z'
	}
	for i := 0; ; {
		j := strings.Index(text[i:], id)
		if j < 0 {
			return false
		}
		start, end := i+j, i+j+len(id)
		if (start == 0 || !isWord(text[start-1])) && (end == len(text) || !isWord(text[end])) {
			return true
		}
		i = start + 1
	}
}
