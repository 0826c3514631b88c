package index

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ketcurves/ketcurves/pipeline/golden"
)

// The fixture holds the results of two studies, copied from
// pipeline/report/testdata (example: a fit of datasets/example checked
// against R there; S1: statuses monotone_likelihood, zero_events_in_arm and
// too_few_arms), and a folder without results.
const fixture = "testdata/reports"

func render(t *testing.T, ix *Index) (md, html []byte) {
	t.Helper()
	var m, h bytes.Buffer
	if err := ix.Markdown(&m); err != nil {
		t.Fatal(err)
	}
	if err := ix.HTML(&h); err != nil {
		t.Fatal(err)
	}
	return m.Bytes(), h.Bytes()
}

func TestGolden(t *testing.T) {
	ix, err := Build(fixture)
	if err != nil {
		t.Fatal(err)
	}
	md, html := render(t, ix)
	golden.Check(t, filepath.Join("testdata", "golden", MarkdownFile), md)
	golden.Check(t, filepath.Join("testdata", "golden", HTMLFile), html)
}

func TestRows(t *testing.T) {
	ix, err := Build(fixture)
	if err != nil {
		t.Fatal(err)
	}
	if len(ix.Rows) != 5 {
		t.Fatalf("%d rows, want 5 (2 endpoints of a-example, 3 of b-S1)", len(ix.Rows))
	}
	// Values from pipeline/report/testdata/example/r_reference.csv (R:
	// quantile(survfit(...)), summary(coxph(...)), survdiff(...); see
	// r_reference.R there): TTRESP ketamine median 1.5 days (1, 2),
	// shown in hours as the report's quartiles; HR 4.57 (2.05, 10.2);
	// stratified log-rank p 0.000494.
	r := ix.Rows[0]
	for _, test := range []struct{ name, got, want string }{
		{"study", r.Study, "a-example"},
		{"report link", r.Report, "a-example/report.html"},
		{"anchor", r.Anchor, "endpoint-1"},
		{"n", r.N, "60"},
		{"events", r.Events, "32"},
		{"median", strings.Join(r.Medians, "; "), "KETAMINE: 36 h (24 h, 48 h); MIDAZOLAM: not reached (168 h, not reached)"},
		{"HR", strings.Join(r.HRs, "; "), "KETAMINE vs MIDAZOLAM: 4.57 (2.05, 10.2)"},
		{"p", r.P, "0.0005"},
		{"status", r.statusText(), "ok"},
	} {
		if test.got != test.want {
			t.Errorf("%s = %q, want %q", test.name, test.got, test.want)
		}
	}
	// TTRELAPSE starts at day 7: days.
	if got := ix.Rows[1].Medians[0]; !strings.HasSuffix(got, " d)") {
		t.Errorf("TTRELAPSE median %q, want days", got)
	}
	// A non-ok status says whether the plan allows it.
	if got := ix.Rows[3].statusText(); got != "monotone_likelihood, zero_events_in_arm (allowed by the plan)" {
		t.Errorf("S1 TTRELAPSE status %q", got)
	}
}

func TestDeterministic(t *testing.T) {
	var outs [][]byte
	for range 2 {
		dir := t.TempDir()
		ix, err := Build(fixture)
		if err != nil {
			t.Fatal(err)
		}
		paths, err := ix.Write(dir)
		if err != nil {
			t.Fatal(err)
		}
		var all []byte
		for _, p := range paths {
			data, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			all = append(all, data...)
		}
		outs = append(outs, all)
	}
	if !bytes.Equal(outs[0], outs[1]) {
		t.Errorf("two runs wrote different bytes")
	}
}

func TestEscaping(t *testing.T) {
	const payload = `<script>alert(1)</script></style><img src=x onerror=alert(2)>{{.}}|*x*`
	ix, err := Build(fixture)
	if err != nil {
		t.Fatal(err)
	}
	for i := range ix.Rows {
		ix.Rows[i].StudyID, ix.Rows[i].Label = payload, payload
		ix.Rows[i].Medians = []string{payload}
	}
	md, html := render(t, ix)
	h := string(html)
	if strings.Contains(h, "<script") || strings.Count(h, "</style>") != 1 || strings.Contains(h, "<img") {
		t.Errorf("html is not inert")
	}
	if !strings.Contains(h, "&lt;script&gt;alert(1)&lt;/script&gt;&lt;/style&gt;&lt;img src=x onerror=alert(2)&gt;{{.}}") {
		t.Errorf("html lacks the escaped payload")
	}
	for _, line := range strings.Split(string(md), "\n") {
		if strings.HasPrefix(line, "| [") && strings.Count(line, "|")-strings.Count(line, `\|`) != 9 {
			t.Errorf("markdown row has a cell separator from input: %s", line)
		}
	}
	if !strings.Contains(string(md), `\<script\>alert(1)\</script\>`) {
		t.Errorf("markdown lacks the escaped payload")
	}
}

func TestBuildErrors(t *testing.T) {
	if _, err := Build("testdata/none"); err == nil || !strings.Contains(err.Error(), "testdata/none") {
		t.Errorf("missing folder: %v", err)
	}
	if _, err := Build(filepath.Join(fixture, "c-no-results")); err == nil || !strings.Contains(err.Error(), "no study results") {
		t.Errorf("no results: %v", err)
	}
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "s", "tables"), 0o755); err != nil {
		t.Fatal(err)
	}
	bad := filepath.Join(dir, "s", "tables", "results.json")
	if err := os.WriteFile(bad, []byte("{\n  \"schema\": 1\n}"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Build(dir); err == nil || !strings.Contains(err.Error(), bad) {
		t.Errorf("bad results: %v", err)
	}
}

func ExampleBuild() {
	ix, err := Build("testdata/reports")
	if err != nil {
		panic(err)
	}
	r := ix.Rows[0]
	fmt.Println(r.StudyID, r.Paramcd, r.N, r.Events)
	fmt.Println(strings.Join(r.HRs, "; "), "p =", r.P)
	// Output:
	// KET-EX TTRESP 60 32
	// KETAMINE vs MIDAZOLAM: 4.57 (2.05, 10.2) p = 0.0005
}

// BenchmarkBuild reads the fixture's results and renders both files.
func BenchmarkBuild(b *testing.B) {
	for b.Loop() {
		ix, err := Build(fixture)
		if err != nil {
			b.Fatal(err)
		}
		var buf bytes.Buffer
		if err := ix.Markdown(&buf); err != nil {
			b.Fatal(err)
		}
		if err := ix.HTML(&buf); err != nil {
			b.Fatal(err)
		}
	}
}
