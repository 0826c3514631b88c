package study

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// validStudy is a complete study.yaml; line numbers matter to the tests.
const validStudy = `id: S1
title: "IV ketamine vs midazolam"
design: "randomized, 2:1"
synthetic: true
time_unit: days
arms:
  - {name: KET, label: "IV ketamine", class: ketamine}
  - {name: MID, label: "IV midazolam", class: active-control}
control: MID
endpoints:
  - {paramcd: TTRESP, label: "Time to response", kind: response, time_scale: log}
analysis:
  conf_type: log-log
  ties: efron
  allow: [zero_events_in_arm]
provenance:
  source: "simulated"
  citations: ["A et al. 2013"]
`

func TestParseValid(t *testing.T) {
	s, err := Parse("study.yaml", []byte(validStudy))
	if err != nil {
		t.Fatal(err)
	}
	if s.ID != "S1" || s.Title == "" || s.Design == "" || !s.Synthetic || s.Control != "MID" || len(s.Arms) != 2 || s.Provenance.Source != "simulated" {
		t.Errorf("parsed %+v", s)
	}
	if a, ok := s.Arm("KET"); !ok || a.Class != ClassKetamine {
		t.Errorf("Arm(KET) = %+v, %v", a, ok)
	}
	if _, ok := s.Endpoint("TTRESP"); !ok {
		t.Error("Endpoint(TTRESP) not found")
	}
}

// TestParseErrors checks the top-level checks of study.yaml: each error
// names the file and the line of the offending value (or of the top-level
// mapping when a key is missing) and says how to fix it.
func TestParseErrors(t *testing.T) {
	for _, test := range []struct {
		name string
		old  string // replaced in validStudy by new
		new  string
		want []string // substrings of the error, the first right after "study.yaml: "
	}{
		{"bad arm class", "class: active-control", "class: benzodiazepine", []string{"line 8", `arm "MID" has class "benzodiazepine"`, "active-control"}},
		{"missing arm class", ", class: ketamine}", "}", []string{"line 7", `arm "KET" has class ""`}},
		{"arm without name", "{name: KET, label", "{label", []string{"line 7", "arm 1 has no name"}},
		{"arm twice", "{name: MID, label", "{name: KET, label", []string{"line 8", `arm "KET" is listed twice`}},
		{"no arms", "arms:\n  - {name: KET, label: \"IV ketamine\", class: ketamine}\n  - {name: MID, label: \"IV midazolam\", class: active-control}\n", "", []string{"line 1", "no arms"}},
		{"missing control", "control: MID\n", "", []string{"line 1", "control is missing", "KET, MID"}},
		{"unknown control", "control: MID", "control: PBO", []string{"line 9", `control arm "PBO" is not among the arms (KET, MID)`}},
		{"unknown top-level key", "synthetic: true", "synthetic: true\nsponsor: ACME", []string{"line 5", "field sponsor not found", "unknown key"}},
		{"misspelt top-level key", "control: MID", "controll: MID", []string{"line 9", "field controll not found", "unknown key"}},
		{"unknown arm key", "class: ketamine}", "class: ketamine, dose: 0.5}", []string{"line 7", "field dose not found"}},
		{"missing id", "id: S1\n", "", []string{"line 1", "id is missing"}},
		{"empty id", "id: S1", "id: \" \"", []string{"line 1", "id is missing"}},
		{"missing time_unit", "time_unit: days\n", "", []string{"line 1", "time_unit is missing"}},
		{"time_unit hours", "time_unit: days", "time_unit: hours", []string{"line 5", `time_unit is "hours"`}},
		{"no endpoints", "endpoints:\n  - {paramcd: TTRESP, label: \"Time to response\", kind: response, time_scale: log}\n", "", []string{"line 1", "no endpoints"}},
		{"bad kind", "kind: response", "kind: overall", []string{"line 11", `kind "overall"`}},
		{"bad time_scale", "time_scale: log", "time_scale: sqrt", []string{"line 11", `time_scale "sqrt"`}},
		{"bad conf_type", "conf_type: log-log", "conf_type: logit", []string{"line 13", `conf_type "logit"`}},
		{"bad ties", "ties: efron", "ties: exact", []string{"line 14", `ties "exact"`}},
		{"unknown status allowed", "allow: [zero_events_in_arm]", "allow: [zero_events_in_arm, everything]", []string{"line 15", `unknown status "everything"`, "not_estimable"}},
		{"wrong type", "synthetic: true", "synthetic: maybe", []string{"line 4", `"maybe" is not a boolean`}},
		// Strict types (yamlstrict): a quoted string is not a boolean, a
		// fraction is not an integer.
		{"quoted boolean", "synthetic: true", "synthetic: \"yes\"", []string{"line 4", `"yes" is not a boolean: write true or false`}},
		{"conf_level quoted", "synthetic: true", "synthetic: true\nanalysis: {conf_level: \"0.9\"}", []string{"line 5", `"0.9" is not a number`}},
	} {
		t.Run(test.name, func(t *testing.T) {
			if !strings.Contains(validStudy, test.old) {
				t.Fatalf("test edits %q, which is not in the study", test.old)
			}
			src := strings.Replace(validStudy, test.old, test.new, 1)
			_, err := Parse("study.yaml", []byte(src))
			if err == nil {
				t.Fatalf("no error for\n%s", src)
			}
			msg := err.Error()
			if !strings.HasPrefix(msg, "study.yaml: "+test.want[0]) {
				t.Errorf("error %q does not start with the file and %q", msg, test.want[0])
			}
			for _, w := range test.want[1:] {
				if !strings.Contains(msg, w) {
					t.Errorf("error %q does not contain %q", msg, w)
				}
			}
		})
	}
}

func TestLoad(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "study.yaml")
	if err := os.WriteFile(path, []byte(validStudy), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Load(path); err != nil {
		t.Fatal(err)
	}
	if _, err := Load(filepath.Join(dir, "nope.yaml")); err == nil || !strings.Contains(err.Error(), "nope.yaml") {
		t.Errorf("missing file: error %v", err)
	}
	if _, err := Parse("empty.yaml", nil); err == nil || !strings.Contains(err.Error(), "empty.yaml: the file is empty") {
		t.Errorf("empty file: error %v", err)
	}
}

// TestBundledStudiesHaveDescription checks that every bundled study.yaml
// has the title, design and provenance the data contract lists (they are
// not required by Parse, so that older or minimal study files still load).
func TestBundledStudiesHaveDescription(t *testing.T) {
	paths, err := filepath.Glob("../../datasets/*/study.yaml")
	if err != nil || len(paths) == 0 {
		t.Skipf("no bundled studies: %v", err)
	}
	for _, p := range paths {
		s, err := Load(p)
		if err != nil {
			t.Errorf("%s: %v", p, err)
			continue
		}
		if strings.TrimSpace(s.Title) == "" || strings.TrimSpace(s.Design) == "" || strings.TrimSpace(s.Provenance.Source) == "" {
			t.Errorf("%s: title %q, design %q, provenance.source %q: all three should be set", p, s.Title, s.Design, s.Provenance.Source)
		}
	}
}

func TestStatusesIncludeNotEstimable(t *testing.T) {
	for _, s := range []string{"not_converged", "monotone_likelihood", "zero_events_in_arm", "singular", "too_few_arms", "not_estimable"} {
		if !slices.Contains(Statuses, s) {
			t.Errorf("Statuses lacks %s", s)
		}
	}
}

// TestParseFigures checks the figures block: the axes of the figures drawn
// from the subjects' data, by figure name, carried to results.json by
// FigureSettings; a bad name, y_label on the swimmer plot, a key that does
// not apply (annotate) and bad ticks or range are errors naming the line.
func TestParseFigures(t *testing.T) {
	figures := `figures:
  MADRS-trajectory: {x_ticks: [0, 1, 7, 28], x_range: [0, 28], y_label: "MADRS total score"}
  MADRS-spaghetti: {y_label: "MADRS"}
  swimmer: {x_ticks: [0, 14, 28]}
`
	s, err := Parse("study.yaml", []byte(validStudy+figures))
	if err != nil {
		t.Fatal(err)
	}
	got := s.FigureSettings()
	if len(got) != 3 || !slices.Equal(got["MADRS-trajectory"].XTicks, []float64{0, 1, 7, 28}) || !slices.Equal(got["MADRS-trajectory"].XRange, []float64{0, 28}) ||
		got["MADRS-trajectory"].YLabel != "MADRS total score" || got["MADRS-spaghetti"].YLabel != "MADRS" || !slices.Equal(got["swimmer"].XTicks, []float64{0, 14, 28}) {
		t.Errorf("FigureSettings() = %+v", got)
	}
	if s, err := Parse("study.yaml", []byte(validStudy)); err != nil || s.FigureSettings() != nil {
		t.Errorf("without figures: FigureSettings() = %v, %v; want nil", s.FigureSettings(), err)
	}
	for _, tc := range []struct {
		name, entry string
		want        []string // substrings of the error, the first right after "study.yaml: "
	}{
		{"unknown figure", "TTRESP-forest: {x_ticks: [0, 7]}", []string{"line 20", `figure "TTRESP-forest"`, "MADRS-trajectory", "endpoint's figure key"}},
		{"no PARAMCD", "-trajectory: {x_ticks: [0, 7]}", []string{"line 20", `figure "-trajectory"`}},
		{"swimmer y_label", "swimmer: {y_label: Subjects}", []string{"line 20", `figure "swimmer" y_label`, "lists the subjects"}},
		{"annotate", "MADRS-trajectory: {annotate: false}", []string{"line 20", "field annotate not found"}},
		{"decreasing ticks", "MADRS-trajectory: {x_ticks: [0, 7, 3]}", []string{"line 20", `figure "MADRS-trajectory" x_ticks`, "increasing"}},
		{"bad range", "swimmer: {x_range: [28, 0]}", []string{"line 20", `figure "swimmer" x_range`, "0 <= min < max"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse("study.yaml", []byte(validStudy+"figures:\n  "+tc.entry+"\n"))
			if err == nil {
				t.Fatal("no error")
			}
			msg := err.Error()
			if !strings.HasPrefix(msg, "study.yaml: "+tc.want[0]) {
				t.Errorf("error %q does not start with the file and %q", msg, tc.want[0])
			}
			for _, w := range tc.want[1:] {
				if !strings.Contains(msg, w) {
					t.Errorf("error %q does not contain %q", msg, w)
				}
			}
		})
	}
}
