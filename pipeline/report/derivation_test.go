package report

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/ketcurves/ketcurves/pipeline/derive"
	"github.com/ketcurves/ketcurves/pipeline/golden"
)

const fixtureExclusions = "testdata/S1/derive_exclusions.csv"

func TestExclusionColumnsMatchDerive(t *testing.T) {
	if !slices.Equal(ExclusionColumns, derive.ExclusionColumns) {
		t.Errorf("ExclusionColumns = %q, derive writes %q", ExclusionColumns, derive.ExclusionColumns)
	}
}

func loadDerivedFixture(t *testing.T) *Inputs {
	t.Helper()
	in := loadFixture(t)
	if err := in.LoadExclusions(fixtureExclusions, fixture); err != nil {
		t.Fatal(err)
	}
	return in
}

// TestDerivationGolden compares the whole report of the fixture with its
// exclusions file with testdata/golden/report_derivation.{md,html}.
func TestDerivationGolden(t *testing.T) {
	md, html := render(t, loadDerivedFixture(t))
	for _, test := range []struct {
		name string
		got  []byte
	}{
		{"report_derivation.md", md},
		{"report_derivation.html", html},
	} {
		golden.Check(t, filepath.Join("testdata", "golden", test.name), test.got)
	}
}

// TestDerivationSection checks the section with exclusions, with a header
// alone, and without an exclusions file.
func TestDerivationSection(t *testing.T) {
	dir := t.TempDir()
	none := filepath.Join(dir, "derive_exclusions.csv")
	if err := os.WriteFile(none, []byte("STUDYID,USUBJID,TRTP,PARAMCD,REASON\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	const audit = "records the assessment that set its time (SRCADY, SRCLINE), the interval that contains the event (ILOWER, IUPPER)"
	for _, test := range []struct {
		name, file, outDir     string
		wantMD, wantHTML, lack []string
	}{
		{"exclusions", fixtureExclusions, fixture,
			[]string{
				"## Derivation\n\nThe time-to-event endpoints were derived from visit-level scores by the derivation plan in study.yaml (cmd/derive). Every row of the analysed ADTTE file (datasets/KET-SYN-01/adtte.csv) " + audit,
				"(RSPADY, RSPAVAL, RSPLINE), so that any subject can be audited",
				"8 subject-endpoint pairs were excluded by the derivation",
				"listed with the full reason in [derive\\_exclusions.csv](derive_exclusions.csv).",
				"| Endpoint | Arm | Reason | Excluded |\n|---|---|---|---|\n" +
					"| TTRESP | IV ketamine 0.5 mg/kg (KETAMINE) | no baseline | 1 |\n" +
					"| TTRESP | Escitalopram 10-20 mg (ESCITALOPRAM) | baseline MADRS is 0 (adqs.csv line 120) | 1 |\n" +
					"| TTRELAPSE | IV ketamine 0.5 mg/kg (KETAMINE) | excluded from TTRESP (no baseline: no adequate MADRS assessment at or before day 0) | 1 |\n" +
					"| TTRELAPSE | IV ketamine 0.5 mg/kg (KETAMINE) | not in response at the anchor | 2 |\n" +
					"| TTRELAPSE | Escitalopram 10-20 mg (ESCITALOPRAM) | no TTRESP event | 2 |\n" +
					"| TTRELAPSE | Escitalopram 10-20 mg (ESCITALOPRAM) | not in response at the anchor | 1 |\n\n## Warnings",
				"- Derivation exclusions: derive\\_exclusions.csv, SHA-256 `",
			},
			[]string{
				`<li><a href="#data">Data</a></li>` + "\n" + `<li><a href="#derivation">Derivation</a></li>`,
				`<h2 id="derivation">Derivation</h2>`,
				audit,
				`listed with the full reason in <a href="derive_exclusions.csv">derive_exclusions.csv</a>.</p>`,
				`<tr><td>TTRELAPSE</td><td>IV ketamine 0.5 mg/kg (KETAMINE)</td><td>not in response at the anchor</td><td class="num">2</td></tr>`,
				`<li>Derivation exclusions: derive_exclusions.csv, SHA-256 <code class="hash">`,
			},
			[]string{NoExclusions, "MADRS 24 on day 12"}},
		{"none", none, dir,
			[]string{"## Derivation\n\n", audit, NoExclusions + " The exclusions file of the derivation is [derive\\_exclusions.csv](derive_exclusions.csv).\n\n## Warnings",
				"- Derivation exclusions: derive\\_exclusions.csv, SHA-256 `" + sha256Hex([]byte("STUDYID,USUBJID,TRTP,PARAMCD,REASON\n")) + "`"},
			[]string{`<h2 id="derivation">Derivation</h2>`, NoExclusions + ` The exclusions file of the derivation is <a href="derive_exclusions.csv">derive_exclusions.csv</a>.</p>`},
			[]string{"| Endpoint | Arm | Reason |", "<th>Reason</th>", "subject-endpoint pair"}},
		{"not given", "", "",
			nil, nil,
			[]string{"Derivation", "derive_exclusions", "SRCLINE", NoExclusions}},
	} {
		in := loadFixture(t)
		if test.file != "" {
			if err := in.LoadExclusions(test.file, test.outDir); err != nil {
				t.Fatalf("%s: %v", test.name, err)
			}
		}
		md, html := render(t, in)
		for _, w := range test.wantMD {
			if !bytes.Contains(md, []byte(w)) {
				t.Errorf("%s: markdown lacks %q", test.name, w)
			}
		}
		for _, w := range test.wantHTML {
			if !bytes.Contains(html, []byte(w)) {
				t.Errorf("%s: html lacks %q", test.name, w)
			}
		}
		for _, w := range test.lack {
			if bytes.Contains(md, []byte(w)) || bytes.Contains(html, []byte(w)) {
				t.Errorf("%s: report contains %q", test.name, w)
			}
		}
	}
}

// TestDerivationOrder checks that the counts do not depend on the order of
// the rows in the file, and that unknown endpoints and arms come last,
// sorted.
func TestDerivationOrder(t *testing.T) {
	in := loadDerivedFixture(t)
	md1, html1 := render(t, in)
	dv := *in.Derivation
	dv.Exclusions = slices.Clone(dv.Exclusions)
	slices.Reverse(dv.Exclusions)
	in.Derivation = &dv
	md2, html2 := render(t, in)
	if !bytes.Equal(md1, md2) || !bytes.Equal(html1, html2) {
		t.Errorf("the report depends on the order of the exclusions")
	}

	x := func(paramcd, arm, reason string) Exclusion {
		return Exclusion{StudyID: "S", USUBJID: "U", Arm: arm, Paramcd: paramcd, Reason: reason}
	}
	v := newDerivationView(&Derivation{File: "d.csv", Exclusions: []Exclusion{
		x("ZZ", "B", "r"), x("AA", "B", "r"), x("E2", "Z", "r"), x("E2", "", "r"), x("E2", "A2", "b: 1"),
		x("E2", "A2", "a: 1"), x("E2", "A2", "b: 2"), x("E1", "A1", ": only"), x("E2", "A1", "r"),
	}}, "adtte.csv", []string{"E1", "E2"}, []string{"A1", "A2"}, func(s string) string { return s })
	var got []string
	for _, r := range v.Rows {
		got = append(got, strings.Join([]string{r.Endpoint, r.Arm, r.Reason, r.N}, "/"))
	}
	want := []string{
		"E1/A1/: only/1",
		"E2/A1/r/1", "E2/A2/a/1", "E2/A2/b/2", "E2/(no TRTP)/r/1", "E2/Z/r/1",
		"AA/B/r/1", "ZZ/B/r/1",
	}
	if !slices.Equal(got, want) {
		t.Errorf("rows\n got %q\nwant %q", got, want)
	}
}

func TestExclusionCategory(t *testing.T) {
	for _, test := range []struct{ reason, want string }{
		{"not in response at the anchor: MADRS 24 on day 12 (adqs.csv line 11) does not meet MADRS >= 50% REDUCTION FROM BASELINE", "not in response at the anchor"},
		{"no baseline: no adequate MADRS assessment at or before day 0", "no baseline"},
		{"excluded from TTRESP (no baseline: no adequate MADRS assessment at or before day 0): no relapse anchor", "excluded from TTRESP (no baseline: no adequate MADRS assessment at or before day 0)"},
		{"not randomized (RANDDY empty): no time origin", "not randomized (RANDDY empty)"},
		{"no colon at all", "no colon at all"},
		{"  padded  : x", "padded"},
		{": nothing before", ": nothing before"},
		{"unbalanced) paren: x", "unbalanced) paren"},
	} {
		if got := (Exclusion{Reason: test.reason}).Category(); got != test.want {
			t.Errorf("Category(%q) = %q, want %q", test.reason, got, test.want)
		}
	}
}

func TestDecodeExclusions(t *testing.T) {
	data, err := os.ReadFile(fixtureExclusions)
	if err != nil {
		t.Fatal(err)
	}
	excl, err := DecodeExclusions("x.csv", data)
	if err != nil {
		t.Fatal(err)
	}
	if len(excl) != 8 {
		t.Fatalf("got %d exclusions, want 8", len(excl))
	}
	last := excl[7]
	if last.Line != 9 || last.USUBJID != "KET-SYN-01-0021" || !strings.HasSuffix(last.Reason, `BASELINE, "quoted"`) {
		t.Errorf("last exclusion = %+v", last)
	}
	// CRLF line ends and a header alone are accepted.
	if excl, err := DecodeExclusions("x.csv", []byte("STUDYID,USUBJID,TRTP,PARAMCD,REASON\r\nS,U,,P,r\r\n")); err != nil || len(excl) != 1 || excl[0].Arm != "" {
		t.Errorf("CRLF: %v, %+v", err, excl)
	}
	if excl, err := DecodeExclusions("x.csv", []byte("STUDYID,USUBJID,TRTP,PARAMCD,REASON")); err != nil || len(excl) != 0 {
		t.Errorf("header alone: %v, %+v", err, excl)
	}
}

func TestDecodeExclusionsErrors(t *testing.T) {
	const header = "STUDYID,USUBJID,TRTP,PARAMCD,REASON\n"
	for _, test := range []struct {
		name, data string
		want       []string
	}{
		{"empty", "", []string{"line 1, column 1:", "empty", "STUDYID,USUBJID,TRTP,PARAMCD,REASON"}},
		{"wrong header", "STUDYID,USUBJID,ARM,PARAMCD,REASON\n", []string{"line 1, column 17:", `header column 3 is "ARM", want "TRTP"`}},
		{"BOM", "\ufeff" + header, []string{"line 1, column 1:", `header column 1 is "\ufeffSTUDYID"`}},
		{"short header", "STUDYID,USUBJID,TRTP,PARAMCD\nS,U,A,P\n", []string{"line 1, column 29:", "ends after 4 columns"}},
		{"long header", "STUDYID,USUBJID,TRTP,PARAMCD,REASON,X\n", []string{"line 1, column 37:", `unexpected header column "X"`}},
		{"too few fields", header + "S,U,A,P,r\nS,U,A,P\n", []string{"line 3, column 8:", "4 fields, want 5", "REASON is missing"}},
		{"too many fields", header + "S,U,A,P,not in response: a, b\n", []string{"line 2, column 28:", "6 fields, want 5", "quote a REASON"}},
		{"too few CRLF", header + "S,U,A\r\n", []string{"line 2, column 6:", "3 fields"}},
		{"bare quote", header + "S,U,A,P,say \"x\"\n", []string{"line 2, column 13:", "bare"}},
		{"unclosed quote", header + "S,U,A,P,\"open\n", []string{"line 2, column", "extraneous or missing"}},
		{"empty reason", header + "S,U,A,P,  \n", []string{"line 2, column 9:", "REASON is empty"}},
		{"empty usubjid", header + "S,,A,P,r\n", []string{"line 2, column 3:", "USUBJID is empty"}},
	} {
		_, err := DecodeExclusions("bad.csv", []byte(test.data))
		if err == nil {
			t.Errorf("%s: DecodeExclusions succeeded", test.name)
			continue
		}
		if !strings.HasPrefix(err.Error(), "bad.csv: ") {
			t.Errorf("%s: error %q does not start with the file name", test.name, err)
		}
		for _, w := range test.want {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("%s: error %q lacks %q", test.name, err, w)
			}
		}
	}
}

func TestLoadExclusionsErrors(t *testing.T) {
	dir := t.TempDir()
	other := filepath.Join(dir, "other.csv")
	if err := os.WriteFile(other, []byte("STUDYID,USUBJID,TRTP,PARAMCD,REASON\nOTHER,U,A,P,r\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, test := range []struct {
		name, path string
		want       []string
	}{
		{"missing", filepath.Join(dir, "nope.csv"), []string{"nope.csv", "omit -exclusions"}},
		{"other study", other, []string{other, "line 2, column 1", `"OTHER"`, `"KET-SYN-01"`}},
	} {
		in := loadFixture(t)
		err := in.LoadExclusions(test.path, dir)
		if err == nil {
			t.Errorf("%s: LoadExclusions succeeded", test.name)
			continue
		}
		for _, w := range test.want {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("%s: error %q lacks %q", test.name, err, w)
			}
		}
		if in.Derivation != nil {
			t.Errorf("%s: Derivation set after an error", test.name)
		}
	}
}
