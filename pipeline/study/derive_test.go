package study

import (
	"strings"
	"testing"
)

// planStudy returns a valid study.yaml whose TTRESP endpoint carries the
// given derive block (indented to sit under the endpoint) and whose TTRELAPSE
// endpoint carries relapse; the derive block of TTRESP starts on line 13.
func planStudy(derive, relapse string) string {
	return `id: S1
time_unit: days
arms:
  - name: KET
    class: ketamine
  - name: PBO
    class: placebo
control: PBO
endpoints:
  - paramcd: TTRESP
    kind: response
    derive:
` + derive + `
  - paramcd: TTRELAPSE
    kind: relapse
` + relapse + "\n"
}

const (
	goodEvent = `      source: MADRS
      event:
        reduction: 0.5`
	goodRelapse = `    derive:
      source: MADRS
      relapse:
        anchor: randomization
        at_least: 22
        confirm: {min_days: 5, max_days: 15}
        clinical_events: [HOSPITALIZATION, SUICIDE_ATTEMPT]`
)

func TestDerivationValid(t *testing.T) {
	for i, test := range []struct {
		derive, relapse string
	}{
		{goodEvent, goodRelapse},
		{goodEvent, ""},
		{"      source: MADRS\n      event: {at_most: 10, sustained: 2}\n      origin: randomization\n      unscheduled: ignore\n      missing: break\n      censor: {at: end-of-study, rescue: true, max_day: 28}", goodRelapse},
		{goodEvent, "    derive:\n      source: MADRS\n      origin: dose\n      relapse:\n        anchor: TTRESP\n        in_response: {reduction: 0.5}\n        at_least: 22"},
		{goodEvent, "    derive:\n      source: MADRS\n      origin: day\n      origin_day: 11\n      relapse:\n        anchor: day\n        anchor_day: 12\n        at_least: 22"},
		{"      source: SSI\n      baseline_visit: SCREENING\n      baseline_at_least: 1\n      event: {at_most: 0}", ""},
		{"      source: MADRS\n      event: {at_most: 10}\n      censor: {after_discontinuation: use}", goodRelapse + "\n        clinical_events_file: optional"},
	} {
		s, err := Parse("study.yaml", []byte(planStudy(test.derive, test.relapse)))
		if err != nil {
			t.Errorf("case %d: unexpected error: %v", i, err)
			continue
		}
		if s.Endpoints[0].Derive == nil {
			t.Errorf("case %d: derive block not decoded", i)
		}
	}
}

func TestDerivationDefaults(t *testing.T) {
	s, err := Parse("study.yaml", []byte(planStudy(goodEvent, goodRelapse)))
	if err != nil {
		t.Fatal(err)
	}
	ev, rel := s.Endpoints[0].Derive, s.Endpoints[1].Derive
	for _, c := range []struct{ got, want string }{
		{ev.OriginRule(), OriginDose},
		{rel.OriginRule(), OriginAnchor},
		{ev.UnscheduledRule(), UnscheduledUse},
		{ev.MissingRule(), MissingSkip},
		{ev.BaselineRule(), BaselineRequired},
		{rel.BaselineRule(), BaselineOptional},
		{ev.Censor.CensorAt(), CensorLastAssessment},
		{ev.Censor.AfterDiscontinuationRule(), AfterDiscontinuationIgnore},
		{rel.Relapse.EventsFileRule(), EventsFileRequired},
		{ev.Event.Describe("MADRS"), "MADRS >= 50% REDUCTION FROM BASELINE"},
	} {
		if c.got != c.want {
			t.Errorf("got %q, want %q", c.got, c.want)
		}
	}
	if k := ev.Event.Consecutive(); k != 1 {
		t.Errorf("default sustained = %d, want 1", k)
	}
	if !ev.UsesBaseline() || rel.UsesBaseline() {
		t.Errorf("UsesBaseline: event %v relapse %v, want true false", ev.UsesBaseline(), rel.UsesBaseline())
	}
}

func TestDerivationMalformed(t *testing.T) {
	for _, test := range []struct {
		name, derive, relapse string
		want                  []string // substrings of the error, the first is the line
	}{
		{"unknown key", "      source: MADRS\n      evnt: {at_most: 10}", "", []string{"line 14", "evnt", "unknown key"}},
		{"unknown nested key", "      source: MADRS\n      event:\n        at_mots: 10", "", []string{"line 15", "at_mots"}},
		{"bad type", "      source: MADRS\n      event:\n        reduction: half", "", []string{"line 15", "half"}},
		{"no source", "      event: {at_most: 10}", "", []string{"line 13", "derive.source is missing"}},
		{"no rule", "      source: MADRS", "", []string{"line 13", "needs a rule"}},
		{"two rules", goodEvent + "\n      relapse: {anchor: randomization, at_least: 22}", "", []string{"line 16", "both"}},
		{"bad origin", goodEvent + "\n      origin: consent", "", []string{"line 16", `origin "consent"`}},
		{"anchor origin on event", goodEvent + "\n      origin: anchor", "", []string{"line 16", "needs a `relapse:`"}},
		{"bad unscheduled", goodEvent + "\n      unscheduled: drop", "", []string{"line 16", "unscheduled"}},
		{"bad missing", goodEvent + "\n      missing: locf", "", []string{"line 16", "never imputed"}},
		{"bad baseline", goodEvent + "\n      baseline: maybe", "", []string{"line 16", `baseline "maybe"`, "required"}},
		{"percentage", "      source: MADRS\n      event:\n        reduction: 50", "", []string{"line 15", "0.5 for 50%"}},
		{"reduction zero", "      source: MADRS\n      event:\n        reduction: 0", "", []string{"line 15", "(0, 1]"}},
		{"both criteria", "      source: MADRS\n      event:\n        reduction: 0.5\n        at_most: 10", "", []string{"line 16", "both reduction and at_most"}},
		{"no criterion", "      source: MADRS\n      event:\n        sustained: 2", "", []string{"line 15", "needs a criterion"}},
		// Strict types (yamlstrict): 2.9 is not truncated to 2.
		{"sustained fraction", "      source: MADRS\n      event:\n        at_most: 10\n        sustained: 2.9", "", []string{"line 16", `"2.9" is not a whole number`}},
		{"origin_day quoted", "      source: MADRS\n      event: {at_most: 10}\n      origin: day\n      origin_day: \"11\"", "", []string{"line 16", `"11" is not a number`}},
		{"sustained zero", "      source: MADRS\n      event:\n        at_most: 10\n        sustained: 0", "", []string{"line 16", "at least 1"}},
		{"nan threshold", "      source: MADRS\n      event:\n        at_most: .nan", "", []string{"line 15", "finite"}},
		{"nan baseline_at_least", goodEvent + "\n      baseline_at_least: .inf", "", []string{"line 16", "finite"}},
		{"origin day without day", goodEvent + "\n      origin: day", "", []string{"line 16", "origin_day"}},
		{"origin_day without origin day", goodEvent + "\n      origin_day: 11", "", []string{"line 16", "`origin: day`"}},
		{"anchor day without day", goodEvent, "    derive:\n      source: MADRS\n      relapse:\n        anchor: day\n        at_least: 22", []string{"line 21", "anchor_day"}},
		{"anchor_day without anchor day", goodEvent, "    derive:\n      source: MADRS\n      relapse:\n        anchor: randomization\n        anchor_day: 12\n        at_least: 22", []string{"line 22", "`anchor: day`"}},
		{"unscheduled baseline", goodEvent + "\n      baseline_visit: UNSCHED", "", []string{"line 16", "unscheduled visit"}},
		{"bad censor", goodEvent + "\n      censor:\n        at: death", "", []string{"line 17", "censor.at"}},
		{"bad max_day", goodEvent + "\n      censor:\n        max_day: -3", "", []string{"line 17", "max_day"}},
		{"event on relapse kind", goodEvent, "    derive:\n      source: MADRS\n      event: {at_most: 10}", []string{"line 20", "kind relapse"}},
		{"relapse on response kind", "      source: MADRS\n      relapse: {anchor: randomization, at_least: 22}", "", []string{"line 14", "kind: relapse"}},
		{"no anchor", goodEvent, "    derive:\n      source: MADRS\n      relapse:\n        at_least: 22", []string{"line 21", "anchor is missing"}},
		{"unknown anchor", goodEvent, "    derive:\n      source: MADRS\n      relapse:\n        anchor: TTREMIT\n        at_least: 22", []string{"line 21", "TTRESP, TTRELAPSE"}},
		{"self anchor", goodEvent, "    derive:\n      source: MADRS\n      relapse:\n        anchor: TTRELAPSE\n        at_least: 22", []string{"line 21", "itself"}},
		{"no threshold", goodEvent, "    derive:\n      source: MADRS\n      relapse:\n        anchor: randomization", []string{"line 21", "at_least is missing"}},
		{"half window", goodEvent, "    derive:\n      source: MADRS\n      relapse:\n        anchor: randomization\n        at_least: 22\n        confirm:\n          min_days: 5", []string{"line 24", "both min_days and max_days"}},
		{"inverted window", goodEvent, "    derive:\n      source: MADRS\n      relapse:\n        anchor: randomization\n        at_least: 22\n        confirm:\n          min_days: 15\n          max_days: 5", []string{"line 25", "at least min_days"}},
		{"bad in_response", goodEvent, "    derive:\n      source: MADRS\n      relapse:\n        anchor: randomization\n        at_least: 22\n        in_response:\n          reduction: 2000", []string{"line 24", "(0, 1]"}},
		{"bad after_discontinuation", goodEvent + "\n      censor:\n        after_discontinuation: keep", "", []string{"line 17", "after_discontinuation"}},
		{"bad clinical_events_file", goodEvent, "    derive:\n      source: MADRS\n      relapse:\n        anchor: randomization\n        at_least: 22\n        clinical_events: [HOSPITALIZATION]\n        clinical_events_file: maybe", []string{"line 24", "required", "optional"}},
		{"clinical_events_file without events", goodEvent, "    derive:\n      source: MADRS\n      relapse:\n        anchor: randomization\n        at_least: 22\n        clinical_events_file: optional", []string{"line 23", "clinical_events is empty"}},
		{"duplicate clinical event", goodEvent, "    derive:\n      source: MADRS\n      relapse:\n        anchor: randomization\n        at_least: 22\n        clinical_events:\n          - HOSPITALIZATION\n          - HOSPITALIZATION", []string{"line 25", "twice"}},
	} {
		_, err := Parse("study.yaml", []byte(planStudy(test.derive, test.relapse)))
		if err == nil {
			t.Errorf("%s: no error", test.name)
			continue
		}
		for _, w := range test.want {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("%s: error %q does not contain %q", test.name, err, w)
			}
		}
		if !strings.HasPrefix(err.Error(), "study.yaml") {
			t.Errorf("%s: error %q does not name the file", test.name, err)
		}
	}
}

func TestAnchorWithoutEventRule(t *testing.T) {
	src := `id: S1
time_unit: days
arms: [{name: KET, class: ketamine}, {name: PBO, class: placebo}]
control: PBO
endpoints:
  - paramcd: TTRESP
    kind: response
  - paramcd: TTRELAPSE
    kind: relapse
    derive:
      source: MADRS
      relapse:
        anchor: TTRESP
        at_least: 22
`
	_, err := Parse("study.yaml", []byte(src))
	if err == nil || !strings.Contains(err.Error(), "line 13") || !strings.Contains(err.Error(), "no `derive.event` rule") {
		t.Errorf("got %v, want line 13 and no `derive.event` rule", err)
	}
}

func TestCriterionMet(t *testing.T) {
	half, ten := 0.5, 10.0
	red, abs := Criterion{Reduction: &half}, Criterion{AtMost: &ten}
	for i, test := range []struct {
		c           Criterion
		value, base float64
		want        bool
	}{
		{red, 15, 30, true}, // exactly 50%
		{red, 15.5, 30, false},
		{red, 0, 0, false},  // baseline 0: reduction undefined
		{abs, 10, 40, true}, // at the threshold
		{abs, 10.5, 40, false},
	} {
		if got := test.c.Met(test.value, test.base); got != test.want {
			t.Errorf("case %d: Met(%v, %v) = %v, want %v", i, test.value, test.base, got, test.want)
		}
	}
}

// TestStrictDecoding: YAML syntax errors, duplicate keys inside derive:
// and a second YAML document are errors naming study.yaml and the line.
func TestStrictDecoding(t *testing.T) {
	for _, test := range []struct {
		name, src string
		want      []string
	}{
		// yaml reports the line where the unfinished construct began.
		{"syntax error", planStudy("      source: MADRS\n      event: {at_most: 10", ""), []string{"study.yaml: line 13:", "did not find expected ',' or '}'"}},
		{"bad indentation", planStudy("      source: MADRS\n     event: {at_most: 10}", ""), []string{"study.yaml: line 9:", "did not find expected key"}},
		{"duplicate key in derive", planStudy("      source: MADRS\n      event: {at_most: 10}\n      source: SSI", ""), []string{"study.yaml: line 15:", `"source" already defined at line 13`}},
		{"duplicate key in event", planStudy("      source: MADRS\n      event:\n        at_most: 10\n        at_most: 12", ""), []string{"study.yaml: line 16:", `"at_most" already defined at line 15`}},
		{"second document", planStudy(goodEvent, "") + "---\nid: S2\n", []string{"study.yaml: line 19", "second YAML document"}},
		{"second document, malformed", planStudy(goodEvent, "") + "---\nid: [S2\n", []string{"study.yaml: line 19:", "did not find expected ',' or ']'"}},
	} {
		_, err := Parse("study.yaml", []byte(test.src))
		if err == nil {
			t.Errorf("%s: no error", test.name)
			continue
		}
		for _, w := range test.want {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("%s: error %q does not contain %q", test.name, err, w)
			}
		}
	}
	// A lone `---` before the document, or a trailing `...`, is fine.
	if _, err := Parse("study.yaml", []byte("---\n"+planStudy(goodEvent, "")+"...\n")); err != nil {
		t.Errorf("document markers: unexpected error: %v", err)
	}
}

// TestDerivationLine: the derive block keeps the lines of its keys for
// errors found when the plan meets the data.
func TestDerivationLine(t *testing.T) {
	s, err := Parse("study.yaml", []byte(planStudy(goodEvent+"\n      baseline_visit: SCREENING", goodRelapse)))
	if err != nil {
		t.Fatal(err)
	}
	ev, rel := s.Endpoints[0].Derive, s.Endpoints[1].Derive
	for _, test := range []struct {
		got, want int
	}{
		{ev.Line("source"), 13},
		{ev.Line("baseline_visit"), 16},
		{ev.Line(), 13},
		{rel.Line("relapse", "clinical_events"), 25},
		{rel.Line("relapse", "clinical_events", 1), 25},
		{rel.Line("censor"), 20}, // absent: the block's first key
		{(&Derivation{}).Line("source"), 0},
	} {
		if test.got != test.want {
			t.Errorf("line %d, want %d", test.got, test.want)
		}
	}
	if got := rel.At("relapse", "anchor"); got != "study.yaml: line 22" {
		t.Errorf("At = %q", got)
	}
}

// TestCompetingPlan checks the competing-event keys: valid plans, the
// defaults, and each error with its study.yaml line (goodEvent's last line
// is 15).
func TestCompetingPlan(t *testing.T) {
	for i, derive := range []string{
		goodEvent + "\n      competing: [LACK_OF_EFFICACY, RESCUE]",
		goodEvent + "\n      competing: [ADVERSE_EVENT, OTHER]\n      event_type: RESP50\n      reasons: {\"NO IMPROVEMENT\": LACK_OF_EFFICACY, Moved: OTHER}",
		goodEvent + "\n      event_type: RESP50",
		goodEvent + "\n      competing: [RESCUE]\n      censor: {after_discontinuation: use}",
	} {
		if _, err := Parse("study.yaml", []byte(planStudy(derive, goodRelapse))); err != nil {
			t.Errorf("case %d: unexpected error: %v", i, err)
		}
	}
	for _, test := range []struct {
		name, derive string
		want         []string
	}{
		{"unknown type", goodEvent + "\n      competing:\n        - LACK_OF_EFFICACY\n        - DROPOUT", []string{"line 18", `item 2 is "DROPOUT"`, "LACK_OF_EFFICACY, ADVERSE_EVENT, RESCUE, OTHER"}},
		{"lower-case type", goodEvent + "\n      competing: [rescue]", []string{"line 16", `"rescue"`}},
		{"duplicate type", goodEvent + "\n      competing:\n        - RESCUE\n        - RESCUE", []string{"line 18", "RESCUE twice"}},
		{"not a list", goodEvent + "\n      competing: RESCUE", []string{"line 16", "RESCUE"}},
		{"bad event_type", goodEvent + "\n      event_type: first response", []string{"line 16", "upper-case"}},
		{"competing event_type", goodEvent + "\n      event_type: RESCUE", []string{"line 16", "is a competing event type"}},
		{"reasons without competing", goodEvent + "\n      reasons: {X: OTHER}", []string{"line 16", "competing is empty"}},
		{"reason to unknown type", goodEvent + "\n      competing: [OTHER]\n      reasons:\n        MOVED: OTHER\n        NO IMPROVEMENT: EFFICACY", []string{"line 19", `"NO IMPROVEMENT" to "EFFICACY"`}},
		{"same reason twice", goodEvent + "\n      competing: [OTHER]\n      reasons:\n        no improvement: OTHER\n        NO_IMPROVEMENT: OTHER", []string{"line 19", "the same reason"}},
		{"empty reason", goodEvent + "\n      competing: [OTHER]\n      reasons: {\" \": OTHER}", []string{"line 17", "empty DCSREAS"}},
		{"after_discontinuation use", goodEvent + "\n      competing: [LACK_OF_EFFICACY]\n      censor:\n        after_discontinuation: use", []string{"line 18", "ends follow-up at EOSDY"}},
	} {
		_, err := Parse("study.yaml", []byte(planStudy(test.derive, goodRelapse)))
		if err == nil {
			t.Errorf("%s: no error", test.name)
			continue
		}
		for _, w := range test.want {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("%s: error %q does not contain %q", test.name, err, w)
			}
		}
	}
}

func TestReasonTypeAndEventType(t *testing.T) {
	s, err := Parse("study.yaml", []byte(planStudy(goodEvent+"\n      competing: [LACK_OF_EFFICACY]\n      reasons: {\"Withdrawal by subject\": LACK_OF_EFFICACY, \"NO IMPROVEMENT\": LACK_OF_EFFICACY}", goodRelapse)))
	if err != nil {
		t.Fatal(err)
	}
	d := s.Endpoints[0].Derive
	for _, test := range []struct {
		reason, typ string
		ok          bool
	}{
		{"LACK OF EFFICACY", TypeLackOfEfficacy, true},
		{"lack_of_efficacy", TypeLackOfEfficacy, true},
		{"  Adverse   Event ", TypeAdverseEvent, true},
		{"Lost to Follow-up", TypeOther, true},
		{"NON-COMPLIANCE WITH STUDY DRUG", TypeOther, true},
		{"Rescue medication", TypeRescue, true},
		{"WITHDRAWAL BY SUBJECT", TypeLackOfEfficacy, true}, // the plan's mapping first
		{"no_improvement", TypeLackOfEfficacy, true},
		{"COMPLETED", "", false},
		{"FELT BETTER", "", false},
	} {
		typ, ok := d.ReasonType(test.reason)
		if typ != test.typ || ok != test.ok {
			t.Errorf("ReasonType(%q) = %q, %v, want %q, %v", test.reason, typ, ok, test.typ, test.ok)
		}
	}
	if typ, _ := s.Endpoints[1].Derive.ReasonType("WITHDRAWAL BY SUBJECT"); typ != TypeOther {
		t.Errorf("another endpoint's reasons leaked: %q", typ)
	}
	for _, test := range []struct {
		e    Endpoint
		want string
	}{
		{Endpoint{Kind: KindResponse}, "RESPONSE"},
		{Endpoint{Kind: KindRemission}, "REMISSION"},
		{Endpoint{Kind: KindRelapse}, "RELAPSE"},
		{Endpoint{Kind: KindSIResolution}, "SI_RESOLUTION"},
		{Endpoint{Kind: KindSurvival}, "EVENT"},
		{Endpoint{Kind: KindResponse, Derive: &Derivation{EventType: "RESP50"}}, "RESP50"},
	} {
		if got := EventTypeOf(test.e); got != test.want {
			t.Errorf("EventTypeOf(%s) = %s, want %s", test.e.Kind, got, test.want)
		}
	}
	if !d.HasCompeting() || !d.IsCompeting(TypeLackOfEfficacy) || d.IsCompeting(TypeRescue) || s.Endpoints[1].Derive.HasCompeting() {
		t.Error("HasCompeting/IsCompeting disagree with the plan")
	}
}
