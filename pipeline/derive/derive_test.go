package derive

import (
	"math"
	"strings"
	"testing"

	"github.com/ketcurves/ketcurves/pipeline/study"
)

// studyWith returns a study whose endpoints carry the given derive blocks
// (YAML, indented by six spaces), keyed by PARAMCD; a PARAMCD beginning with
// TTREL is of kind relapse.
func studyWith(t *testing.T, blocks ...string) *study.Study {
	t.Helper()
	var b strings.Builder
	b.WriteString("id: S1\ntime_unit: days\narms: [{name: KET, class: ketamine}, {name: PBO, class: placebo}]\ncontrol: PBO\nendpoints:\n")
	for k := 0; k+1 < len(blocks); k += 2 {
		kind := "response"
		if strings.HasPrefix(blocks[k], "TTREL") {
			kind = "relapse"
		}
		b.WriteString("  - paramcd: " + blocks[k] + "\n    kind: " + kind + "\n    derive:\n")
		for _, l := range strings.Split(strings.TrimSpace(blocks[k+1]), "\n") {
			b.WriteString("      " + strings.TrimSpace(l) + "\n")
		}
	}
	s, err := study.Parse("study.yaml", []byte(b.String()))
	if err != nil {
		t.Fatalf("bad test study: %v\n%s", err, b.String())
	}
	return s
}

// visit is a hand-built assessment: day, value (NaN: missed) and visit name.
type visit struct {
	day, value float64
	name       string
}

var nan = math.NaN()

// subjectData builds the data of one subject (S1-001, arm KET) with MADRS
// assessments; lines are numbered from 2 in the order given.
func subjectData(sub Subject, vs []visit, evs []ClinicalEvent) *Data {
	sub.USUBJID, sub.Arm, sub.Line = "S1-001", "KET", 2
	d := &Data{StudyID: "S1", Subjects: []Subject{sub}, HasADCE: true}
	for k, v := range vs {
		name := v.name
		if name == "" {
			name = "V" + formatFloat(v.day)
		}
		d.Assessments = append(d.Assessments, Assessment{USUBJID: sub.USUBJID, Param: "MADRS", Visit: name, Day: v.day, Value: v.value, Line: k + 2})
	}
	for k := range evs {
		evs[k].USUBJID, evs[k].Line = sub.USUBJID, k+2
	}
	d.Events = evs
	return d
}

func noDays() Subject { return Subject{RandDay: nan, EndDay: nan, RescueDay: nan} }

// expect is a hand-computed outcome. Reason non-empty: excluded. Lower and
// SrcDay are checked when not NaN; Desc is a substring of EVNTDESC or
// CNSDTDSC.
type expect struct {
	aval       float64
	cnsr       int
	lower      opt  // ILOWER, checked when set
	lowerEmpty bool // ILOWER must be empty
	srcDay     opt  // SRCADY, checked when set
	desc       string
	notDesc    string // must not be in EVNTDESC or CNSDTDSC, when set
	// resp is the day (RSPADY) of the assessment that showed the subject
	// in response at the relapse anchor, with its value and line; checked
	// when set (respLine 0: all three must be empty).
	resp      opt
	respValue float64
	respLine  int
	reason    string
}

// opt is an optional expected value.
type opt struct {
	v   float64
	set bool
}

func at(v float64) opt { return opt{v, true} }

func check(t *testing.T, name string, s *study.Study, d *Data, paramcd string, want expect) {
	t.Helper()
	r, err := Derive(s, d)
	if err != nil {
		t.Errorf("%s: unexpected error: %v", name, err)
		return
	}
	for _, x := range r.Exclusions {
		if x.Paramcd != paramcd {
			continue
		}
		if want.reason == "" {
			t.Errorf("%s: excluded (%s), want AVAL %v CNSR %d", name, x.Reason, want.aval, want.cnsr)
		} else if !strings.Contains(x.Reason, want.reason) {
			t.Errorf("%s: reason %q does not contain %q", name, x.Reason, want.reason)
		}
		return
	}
	for _, x := range r.Rows {
		if x.Paramcd != paramcd {
			continue
		}
		if want.reason != "" {
			t.Errorf("%s: got a row (AVAL %v), want exclusion %q", name, x.Time, want.reason)
			return
		}
		cnsr := 0
		if x.Censored {
			cnsr = 1
		}
		if math.Abs(x.Time-want.aval) > 1e-9 || cnsr != want.cnsr {
			t.Errorf("%s: AVAL %v CNSR %d, want %v %d (%s%s)", name, x.Time, cnsr, want.aval, want.cnsr, x.EventDesc, x.CensorDesc)
		}
		if want.lower.set && !(math.Abs(x.Lower-want.lower.v) < 1e-9) {
			t.Errorf("%s: ILOWER %v, want %v", name, x.Lower, want.lower.v)
		}
		if want.lowerEmpty && !math.IsNaN(x.Lower) {
			t.Errorf("%s: ILOWER %v, want empty (event at the first assessment)", name, x.Lower)
		}
		if want.srcDay.set && x.SourceDay != want.srcDay.v {
			t.Errorf("%s: SRCADY %v, want %v", name, x.SourceDay, want.srcDay.v)
		}
		if cnsr == 0 && !(x.Upper == x.Time) {
			t.Errorf("%s: IUPPER %v, want AVAL %v for an event", name, x.Upper, x.Time)
		}
		if cnsr == 1 && (!math.IsNaN(x.Upper) || x.Lower != x.Time) {
			t.Errorf("%s: censored with (ILOWER, IUPPER) = (%v, %v), want (AVAL, empty)", name, x.Lower, x.Upper)
		}
		if math.Abs(x.SourceDay-x.OriginDay-x.Time) > 1e-9 {
			t.Errorf("%s: AVAL %v ≠ SRCADY %v − ORIGDY %v", name, x.Time, x.SourceDay, x.OriginDay)
		}
		if got := x.EventDesc + x.CensorDesc; !strings.Contains(got, want.desc) {
			t.Errorf("%s: description %q does not contain %q", name, got, want.desc)
		}
		if got := x.EventDesc + x.CensorDesc; want.notDesc != "" && strings.Contains(got, want.notDesc) {
			t.Errorf("%s: description %q contains %q", name, got, want.notDesc)
		}
		if want.resp.set {
			if want.respLine == 0 {
				if !math.IsNaN(x.RespDay) || !math.IsNaN(x.RespValue) || x.RespLine != 0 {
					t.Errorf("%s: RSPADY, RSPAVAL, RSPLINE = %v, %v, %d, want empty", name, x.RespDay, x.RespValue, x.RespLine)
				}
			} else if x.RespDay != want.resp.v || x.RespValue != want.respValue || x.RespLine != want.respLine {
				t.Errorf("%s: RSPADY, RSPAVAL, RSPLINE = %v, %v, %d, want %v, %v, %d", name, x.RespDay, x.RespValue, x.RespLine, want.resp.v, want.respValue, want.respLine)
			}
		}
		return
	}
	t.Errorf("%s: no row and no exclusion for %s", name, paramcd)
}

const response = "source: MADRS\nevent: {reduction: 0.5}"

func TestEventRules(t *testing.T) {
	base := visit{-1, 30, "BASELINE"}
	for _, test := range []struct {
		name string
		plan string
		sub  Subject
		vs   []visit
		want expect
	}{
		{"event at first post-baseline visit", response, noDays(),
			[]visit{base, {1, 14, ""}, {7, 10, ""}},
			expect{aval: 1, cnsr: 0, lowerEmpty: true, srcDay: at(1), desc: "MADRS >= 50% REDUCTION FROM BASELINE"}},
		{"never an event", response, noDays(),
			[]visit{base, {1, 20, ""}, {7, 18, ""}, {14, 16, ""}},
			expect{aval: 14, cnsr: 1, lower: at(14), srcDay: at(14), desc: "LAST ADEQUATE ASSESSMENT"}},
		{"exactly 50% at second visit", response, noDays(),
			[]visit{base, {1, 20, ""}, {7, 15, ""}},
			expect{aval: 7, cnsr: 0, lower: at(1), srcDay: at(7)}},
		{"15.5 is less than 50%", response, noDays(),
			[]visit{base, {7, 15.5, ""}},
			expect{aval: 7, cnsr: 1, lower: at(7), srcDay: at(7)}},
		{"ketamine: fractional days", response, noDays(),
			[]visit{base, {0.02778, 25, "40MIN"}, {0.16667, 14, "4H"}},
			expect{aval: 0.16667, cnsr: 0, lower: at(0.02778), srcDay: at(0.16667)}},
		{"assessment at day 0 is baseline, not post-baseline", response, noDays(),
			[]visit{base, {0, 10, "PREDOSE"}, {1, 4, ""}},
			expect{aval: 1, cnsr: 0, lowerEmpty: true, srcDay: at(1)}}, // baseline becomes 10 (day 0); 4 ≤ 5 → event at day 1
		{"missing baseline", response, noDays(),
			[]visit{{1, 14, ""}},
			expect{reason: "no baseline"}},
		{"missing baseline value is not a baseline", response, noDays(),
			[]visit{{-1, nan, "BASELINE"}, {1, 14, ""}},
			expect{reason: "no baseline"}},
		{"baseline zero", response, noDays(),
			[]visit{{-1, 0, "BASELINE"}, {1, 0, ""}},
			expect{reason: "relative reduction from baseline is undefined"}},
		{"named baseline visit", "source: MADRS\nbaseline_visit: SCREENING\nevent: {reduction: 0.5}", noDays(),
			[]visit{{-7, 40, "SCREENING"}, {-1, 28, "BASELINE"}, {1, 15, ""}, {7, 14, ""}},
			expect{aval: 1, cnsr: 0, srcDay: at(1), lowerEmpty: true}}, // 15 ≤ 20 = 50% of 40 (28 would need 14)
		{"absolute threshold: baseline required by default", "source: MADRS\nevent: {at_most: 10}", noDays(),
			[]visit{{1, 14, ""}, {7, 10, ""}},
			expect{reason: "no baseline: no adequate MADRS assessment at or before day 0"}},
		{"absolute threshold, baseline optional", "source: MADRS\nbaseline: optional\nevent: {at_most: 10}", noDays(),
			[]visit{{1, 14, ""}, {7, 10, ""}},
			expect{aval: 7, cnsr: 0, lower: at(1), desc: "MADRS <= 10"}},
		{"SI resolution among subjects with ideation", "source: MADRS\nbaseline_at_least: 1\nevent: {at_most: 0}", noDays(),
			[]visit{{0, 3, "BASELINE"}, {1, 1, ""}, {2, 0, ""}},
			expect{aval: 2, cnsr: 0, lower: at(1), srcDay: at(2), desc: "MADRS <= 0"}},
		{"SI resolution: no ideation at baseline", "source: MADRS\nbaseline_at_least: 1\nevent: {at_most: 0}", noDays(),
			[]visit{{0, 0, "BASELINE"}, {1, 0, ""}},
			expect{reason: "below baseline_at_least 1"}},
		{"no post-baseline assessment: censored at origin", response, noDays(),
			[]visit{base},
			expect{aval: 0, cnsr: 1, desc: "NO ADEQUATE POST-BASELINE ASSESSMENT"}},
		{"sustained over 2", "source: MADRS\nevent: {reduction: 0.5, sustained: 2}", noDays(),
			[]visit{base, {1, 14, ""}, {7, 20, ""}, {14, 14, ""}, {21, 12, ""}},
			expect{aval: 14, cnsr: 0, lower: at(7), srcDay: at(14), desc: "SUSTAINED OVER 2"}},
		{"not sustained at the last visit", "source: MADRS\nevent: {reduction: 0.5, sustained: 2}", noDays(),
			[]visit{base, {1, 20, ""}, {7, 14, ""}},
			expect{aval: 7, cnsr: 1, lower: at(7), desc: "NOT SUSTAINED"}},
		{"missing skip: run continues over a missed visit", "source: MADRS\nevent: {reduction: 0.5, sustained: 2}", noDays(),
			[]visit{base, {1, 14, ""}, {7, nan, ""}, {14, 14, ""}},
			expect{aval: 1, cnsr: 0, lowerEmpty: true}},
		{"missing break: a missed visit interrupts the run", "source: MADRS\nmissing: break\nevent: {reduction: 0.5, sustained: 2}", noDays(),
			[]visit{base, {1, 14, ""}, {7, nan, ""}, {14, 14, ""}},
			expect{aval: 14, cnsr: 1, lower: at(14), desc: "NOT SUSTAINED"}},
		{"unscheduled visit used", response, noDays(),
			[]visit{base, {1, 20, ""}, {3, 12, "UNSCHED"}, {7, 14, ""}},
			expect{aval: 3, cnsr: 0, lower: at(1)}},
		{"unscheduled visit ignored", "source: MADRS\nunscheduled: ignore\nevent: {reduction: 0.5}", noDays(),
			[]visit{base, {1, 20, ""}, {3, 12, "UNSCHED"}, {7, 14, ""}},
			expect{aval: 7, cnsr: 0, lower: at(1)}},
		{"origin randomization", "source: MADRS\norigin: randomization\nevent: {at_most: 10}", Subject{RandDay: 2, EndDay: nan, RescueDay: nan},
			[]visit{base, {9, 10, ""}},
			expect{aval: 7, cnsr: 0, srcDay: at(9), lowerEmpty: true}},
		{"origin randomization, not randomized", "source: MADRS\norigin: randomization\nevent: {at_most: 10}", noDays(),
			[]visit{base, {9, 10, ""}},
			expect{reason: "not randomized"}},
		{"rescue: censored at the last assessment before rescue", "source: MADRS\nevent: {reduction: 0.5}\ncensor: {rescue: true}", Subject{RandDay: nan, EndDay: nan, RescueDay: 10},
			[]visit{base, {7, 20, ""}, {14, 10, ""}},
			expect{aval: 7, cnsr: 1, srcDay: at(7), desc: "RESCUE MEDICATION FROM DAY 10: LAST ADEQUATE ASSESSMENT"}},
		{"rescue on the day of the assessment: not used", "source: MADRS\nevent: {reduction: 0.5}\ncensor: {rescue: true}", Subject{RandDay: nan, EndDay: nan, RescueDay: 14},
			[]visit{base, {7, 20, ""}, {14, 10, ""}},
			expect{aval: 7, cnsr: 1}},
		{"rescue before any post-baseline assessment", "source: MADRS\nevent: {reduction: 0.5}\ncensor: {rescue: true}", Subject{RandDay: nan, EndDay: nan, RescueDay: 0},
			[]visit{base, {7, 10, ""}},
			expect{aval: 0, cnsr: 1, desc: "RESCUE MEDICATION FROM DAY 0: NO ADEQUATE POST-BASELINE ASSESSMENT"}},
		{"rescue ignored without the rule", response, Subject{RandDay: nan, EndDay: nan, RescueDay: 10},
			[]visit{base, {7, 20, ""}, {14, 10, ""}},
			expect{aval: 14, cnsr: 0, lower: at(7)}},
		{"administrative cut-off", "source: MADRS\nevent: {reduction: 0.5}\ncensor: {max_day: 28}", noDays(),
			[]visit{base, {14, 20, ""}, {28, 18, ""}, {35, 10, ""}},
			expect{aval: 28, cnsr: 1, desc: "END OF FOLLOW-UP WINDOW"}},
		{"discontinuation", response, Subject{RandDay: nan, EndDay: 10, RescueDay: nan, DiscReason: "Adverse event"},
			[]visit{base, {7, 20, ""}},
			expect{aval: 7, cnsr: 1, desc: "DISCONTINUED (ADVERSE EVENT): LAST ADEQUATE ASSESSMENT"}},
		{"censor at end of study", "source: MADRS\nevent: {reduction: 0.5}\ncensor: {at: end-of-study}", Subject{RandDay: nan, EndDay: 20, RescueDay: nan},
			[]visit{base, {14, 20, ""}},
			expect{aval: 20, cnsr: 1, srcDay: at(20), desc: "END OF STUDY"}},

		// Discontinuation (after_discontinuation: ignore, the default):
		// follow-up stops at EOSDY; EOSDY itself is used.
		{"discontinued: response after EOSDY not used", response, Subject{RandDay: nan, EndDay: 10, RescueDay: nan, DiscReason: "Adverse event"},
			[]visit{base, {7, 20, ""}, {14, 10, ""}},
			expect{aval: 7, cnsr: 1, srcDay: at(7), desc: "DISCONTINUED (ADVERSE EVENT): LAST ADEQUATE ASSESSMENT"}}, // 10 on day 14 > EOSDY 10
		{"discontinued: response on EOSDY used", response, Subject{RandDay: nan, EndDay: 14, RescueDay: nan, DiscReason: "Adverse event"},
			[]visit{base, {7, 20, ""}, {14, 10, ""}},
			expect{aval: 14, cnsr: 0, lower: at(7)}},
		{"discontinued, after_discontinuation: use", "source: MADRS\nevent: {reduction: 0.5}\ncensor: {after_discontinuation: use}", Subject{RandDay: nan, EndDay: 10, RescueDay: nan, DiscReason: "Adverse event"},
			[]visit{base, {7, 20, ""}, {14, 10, ""}},
			expect{aval: 14, cnsr: 0, lower: at(7)}},
		{"completer: EOSDY does not cut", response, Subject{RandDay: nan, EndDay: 10, RescueDay: nan},
			[]visit{base, {7, 20, ""}, {14, 10, ""}},
			expect{aval: 14, cnsr: 0, lower: at(7)}},
		{"discontinued: end-of-study censoring at EOSDY", "source: MADRS\nevent: {reduction: 0.5}\ncensor: {at: end-of-study}", Subject{RandDay: nan, EndDay: 10, RescueDay: nan, DiscReason: "Lost to follow-up"},
			[]visit{base, {7, 20, ""}, {14, 10, ""}},
			expect{aval: 10, cnsr: 1, srcDay: at(10), desc: "DISCONTINUED (LOST TO FOLLOW-UP): END OF STUDY"}},

		// CNSDTDSC names every cut-off that ended follow-up, and only those.
		{"rescue and discontinuation both", "source: MADRS\nevent: {reduction: 0.5}\ncensor: {rescue: true}", Subject{RandDay: nan, EndDay: 20, RescueDay: 10, DiscReason: "Adverse event"},
			[]visit{base, {7, 20, ""}, {14, 10, ""}},
			expect{aval: 7, cnsr: 1, srcDay: at(7), desc: "RESCUE MEDICATION FROM DAY 10; DISCONTINUED (ADVERSE EVENT): LAST ADEQUATE ASSESSMENT"}},
		{"rescue after discontinuation did not cut", "source: MADRS\nevent: {reduction: 0.5}\ncensor: {rescue: true}", Subject{RandDay: nan, EndDay: 10, RescueDay: 12, DiscReason: "Adverse event"},
			[]visit{base, {7, 20, ""}},
			expect{aval: 7, cnsr: 1, desc: "DISCONTINUED (ADVERSE EVENT): LAST ADEQUATE ASSESSMENT", notDesc: "RESCUE"}},
		{"rescue after the last record did not cut", "source: MADRS\nevent: {reduction: 0.5}\ncensor: {rescue: true}", Subject{RandDay: nan, EndDay: nan, RescueDay: 30},
			[]visit{base, {7, 20, ""}, {14, 18, ""}},
			expect{aval: 14, cnsr: 1, desc: "LAST ADEQUATE ASSESSMENT", notDesc: "RESCUE"}},
		{"rescue while still in the study cut", "source: MADRS\nevent: {reduction: 0.5}\ncensor: {rescue: true}", Subject{RandDay: nan, EndDay: 28, RescueDay: 20},
			[]visit{base, {7, 20, ""}, {14, 18, ""}},
			expect{aval: 14, cnsr: 1, desc: "RESCUE MEDICATION FROM DAY 20: LAST ADEQUATE ASSESSMENT"}}, // EOSDY 28 ≥ RESCDY 20
		{"end of study plus rescue: censored at RESCDY", "source: MADRS\nevent: {reduction: 0.5}\ncensor: {at: end-of-study, rescue: true}", Subject{RandDay: nan, EndDay: 28, RescueDay: 20},
			[]visit{base, {7, 20, ""}, {14, 18, ""}, {21, 10, ""}},
			expect{aval: 20, cnsr: 1, srcDay: at(20), desc: "RESCUE MEDICATION FROM DAY 20: END OF FOLLOW-UP"}}, // min(EOSDY 28, RESCDY 20); day 21 unused
		{"end of study with empty EOSDY: last assessment", "source: MADRS\nevent: {reduction: 0.5}\ncensor: {at: end-of-study}", noDays(),
			[]visit{base, {7, 20, ""}, {14, 18, ""}},
			expect{aval: 14, cnsr: 1, srcDay: at(14), desc: "LAST ADEQUATE ASSESSMENT"}},
		{"cut-off before discontinuation: window only", "source: MADRS\nevent: {reduction: 0.5}\ncensor: {max_day: 7}", Subject{RandDay: nan, EndDay: 14, RescueDay: nan, DiscReason: "Adverse event"},
			[]visit{base, {7, 20, ""}, {14, 10, ""}},
			expect{aval: 7, cnsr: 1, desc: "END OF FOLLOW-UP WINDOW (DAY 7 FROM ORIGIN): LAST ADEQUATE ASSESSMENT", notDesc: "DISCONTINUED"}},
	} {
		s := studyWith(t, "TTRESP", test.plan)
		check(t, test.name, s, subjectData(test.sub, test.vs, nil), "TTRESP", test.want)
	}
}

const relapse = `source: MADRS
relapse: {anchor: randomization, at_least: 22, confirm: {min_days: 5, max_days: 15}, clinical_events: [HOSPITALIZATION]}`

func TestRelapseRules(t *testing.T) {
	rand28 := Subject{RandDay: 28, EndDay: nan, RescueDay: nan}
	pre := []visit{{-1, 34, "BASELINE"}, {28, 8, "RAND"}}
	with := func(vs ...visit) []visit { return append(append([]visit{}, pre...), vs...) }
	for _, test := range []struct {
		name string
		plan string
		sub  Subject
		vs   []visit
		evs  []ClinicalEvent
		want expect
	}{
		{"relapse confirmed at the next visit", relapse, rand28,
			with(visit{35, 24, ""}, visit{42, 25, ""}),
			nil, expect{aval: 7, cnsr: 0, lowerEmpty: true, srcDay: at(35), desc: "MADRS >= 22 CONFIRMED 5-15 DAYS LATER"}},
		{"relapse not confirmed, then confirmed", relapse, rand28,
			with(visit{35, 24, ""}, visit{42, 18, ""}, visit{49, 23, ""}, visit{56, 22, ""}),
			nil, expect{aval: 21, cnsr: 0, lower: at(14), srcDay: at(49)}},
		{"window edge: 5 days", relapse, rand28,
			with(visit{35, 24, ""}, visit{40, 24, "UNSCHED"}),
			nil, expect{aval: 7, cnsr: 0, lowerEmpty: true}},
		{"window edge: 15 days", relapse, rand28,
			with(visit{35, 24, ""}, visit{50, 24, ""}),
			nil, expect{aval: 7, cnsr: 0, lowerEmpty: true}},
		{"window: 4.9 days is too soon", relapse, rand28,
			with(visit{35, 24, ""}, visit{39.9, 24, "UNSCHED"}),
			nil, expect{aval: 11.9, cnsr: 1, lower: at(11.9), desc: "MADRS 24 ON DAY 39.9 NOT CONFIRMED"}},
		{"window: 15.1 days is too late", relapse, rand28,
			with(visit{35, 24, ""}, visit{50.1, 24, ""}),
			nil, expect{aval: 22.1, cnsr: 1, desc: "NOT CONFIRMED"}},
		{"dropout before confirmation", relapse, Subject{RandDay: 28, EndDay: 45, RescueDay: nan, DiscReason: "WITHDRAWAL BY SUBJECT"},
			with(visit{35, 18, ""}, visit{42, 23, ""}),
			nil, expect{aval: 14, cnsr: 1, srcDay: at(42), desc: "DISCONTINUED (WITHDRAWAL BY SUBJECT): LAST ADEQUATE ASSESSMENT; MADRS 23 ON DAY 42 NOT CONFIRMED"}},
		{"confirmation by a missed visit under break", "source: MADRS\nmissing: break\nrelapse: {anchor: randomization, at_least: 22, confirm: {min_days: 5, max_days: 15}}", rand28,
			with(visit{35, 24, ""}, visit{42, nan, ""}, visit{49, 24, ""}),
			nil, expect{aval: 21, cnsr: 1, desc: "NOT CONFIRMED"}},
		{"missed visit skipped: the next available assessment confirms", "source: MADRS\nrelapse: {anchor: randomization, at_least: 22, confirm: {min_days: 5, max_days: 15}}", rand28,
			with(visit{35, 24, ""}, visit{42, nan, ""}, visit{49, 24, ""}),
			nil, expect{aval: 7, cnsr: 0}},
		{"pre-anchor scores are not relapses", relapse, rand28,
			[]visit{{-1, 34, "BASELINE"}, {14, 30, ""}, {21, 30, ""}, {28, 8, "RAND"}, {35, 10, ""}},
			nil, expect{aval: 7, cnsr: 1}},
		{"no confirmation required", "source: MADRS\nrelapse: {anchor: randomization, at_least: 22}", rand28,
			with(visit{35, 22, ""}),
			nil, expect{aval: 7, cnsr: 0, desc: "MADRS >= 22"}},
		{"clinical event before the assessed relapse", relapse, rand28,
			with(visit{35, 24, ""}, visit{42, 25, ""}),
			[]ClinicalEvent{{Term: "HOSPITALIZATION", Day: 33}}, expect{aval: 5, cnsr: 0, lower: at(5), srcDay: at(33), desc: "HOSPITALIZATION"}},
		{"clinical event not in the plan is ignored", relapse, rand28,
			with(visit{35, 10, ""}),
			[]ClinicalEvent{{Term: "SUICIDE_ATTEMPT", Day: 33}}, expect{aval: 7, cnsr: 1}},
		{"clinical event after the last assessment", relapse, rand28,
			with(visit{35, 10, ""}),
			[]ClinicalEvent{{Term: "HOSPITALIZATION", Day: 60}}, expect{aval: 32, cnsr: 0}},
		{"clinical event before the anchor is not a relapse", relapse, rand28,
			with(visit{35, 10, ""}),
			[]ClinicalEvent{{Term: "HOSPITALIZATION", Day: 20}}, expect{aval: 7, cnsr: 1}},
		{"not randomized", relapse, noDays(),
			with(visit{35, 24, ""}),
			nil, expect{reason: "not randomized"}},
		{"not in response at randomization", "source: MADRS\nrelapse: {anchor: randomization, in_response: {at_most: 12}, at_least: 22}", rand28,
			[]visit{{-1, 34, "BASELINE"}, {28, 20, "RAND"}, {35, 24, ""}},
			nil, expect{reason: "not in response at the anchor: MADRS 20 on day 28"}},
		{"fixed anchor and origin days", "source: MADRS\norigin: day\norigin_day: 11\nrelapse: {anchor: day, anchor_day: 12, in_response: {reduction: 0.5}, at_least: 22}", noDays(),
			[]visit{{0, 34, "BASELINE"}, {12, 14, "DAY12"}, {14, 20, ""}, {18, 25, ""}},
			nil, expect{aval: 7, cnsr: 0, lower: at(3), srcDay: at(18)}}, // 18 − 11; previous assessment day 14 − 11
		{"fixed anchor: not in response at the anchor day", "source: MADRS\nrelapse: {anchor: day, anchor_day: 12, in_response: {reduction: 0.5}, at_least: 22}", noDays(),
			[]visit{{0, 34, "BASELINE"}, {12, 18, "DAY12"}, {14, 25, ""}},
			nil, expect{reason: "not in response at the anchor: MADRS 18 on day 12"}},
		{"origin dose: AVAL from day 0 with delayed entry", "source: MADRS\norigin: dose\nrelapse: {anchor: randomization, at_least: 22}", rand28,
			with(visit{35, 22, ""}),
			nil, expect{aval: 35, cnsr: 0, lower: at(28)}},

		// Whole-day window edges, besides 4.9, 5, 15 and 15.1 above.
		{"window: 4 days is too soon", relapse, rand28,
			with(visit{35, 24, ""}, visit{39, 24, "UNSCHED"}),
			nil, expect{aval: 11, cnsr: 1, srcDay: at(39), desc: "MADRS 24 ON DAY 39 NOT CONFIRMED (NO LATER ASSESSMENT)"}},
		{"window: 16 days is too late", relapse, rand28,
			with(visit{35, 24, ""}, visit{51, 24, ""}),
			nil, expect{aval: 23, cnsr: 1, srcDay: at(51), desc: "MADRS 24 ON DAY 51 NOT CONFIRMED (NO LATER ASSESSMENT)"}},
		{"missing break: confirming visit missed and last", "source: MADRS\nmissing: break\nrelapse: {anchor: randomization, at_least: 22, confirm: {min_days: 5, max_days: 15}}", rand28,
			with(visit{35, 10, ""}, visit{42, 24, ""}, visit{49, nan, ""}),
			nil, expect{aval: 14, cnsr: 1, srcDay: at(42), desc: "LAST ADEQUATE ASSESSMENT; MADRS 24 ON DAY 42 NOT CONFIRMED (NEXT ASSESSMENT MISSED, NONE LATER)"}},
		{"clinical event on the day of the assessed relapse: the assessment", relapse, rand28,
			with(visit{35, 24, ""}, visit{42, 25, ""}),
			[]ClinicalEvent{{Term: "HOSPITALIZATION", Day: 35}}, expect{aval: 7, cnsr: 0, lowerEmpty: true, srcDay: at(35), desc: "MADRS >= 22 CONFIRMED", notDesc: "HOSPITALIZATION"}},
		{"relapse within max_day", "source: MADRS\nrelapse: {anchor: randomization, at_least: 22, confirm: {min_days: 5, max_days: 15}}\ncensor: {max_day: 14}", rand28,
			with(visit{35, 24, ""}, visit{42, 25, ""}),
			nil, expect{aval: 7, cnsr: 0, lowerEmpty: true}}, // the confirming visit, day 42 = 14 after the origin, is inside
		{"relapse: confirmation after max_day not used", "source: MADRS\nrelapse: {anchor: randomization, at_least: 22, confirm: {min_days: 5, max_days: 15}}\ncensor: {max_day: 14}", rand28,
			with(visit{35, 10, ""}, visit{42, 24, ""}, visit{49, 25, ""}),
			nil, expect{aval: 14, cnsr: 1, srcDay: at(42), desc: "END OF FOLLOW-UP WINDOW (DAY 14 FROM ORIGIN): LAST ADEQUATE ASSESSMENT; MADRS 24 ON DAY 42 NOT CONFIRMED"}},

		// Discontinuation: a discontinued subject's follow-up stops at EOSDY.
		{"discontinued: clinical event after EOSDY not used", relapse, Subject{RandDay: 28, EndDay: 40, RescueDay: nan, DiscReason: "WITHDRAWAL BY SUBJECT"},
			with(visit{35, 10, ""}),
			[]ClinicalEvent{{Term: "HOSPITALIZATION", Day: 45}}, expect{aval: 7, cnsr: 1, srcDay: at(35), desc: "DISCONTINUED (WITHDRAWAL BY SUBJECT): LAST ADEQUATE ASSESSMENT"}},
		{"discontinued: clinical event on EOSDY used", relapse, Subject{RandDay: 28, EndDay: 40, RescueDay: nan, DiscReason: "WITHDRAWAL BY SUBJECT"},
			with(visit{35, 10, ""}),
			[]ClinicalEvent{{Term: "HOSPITALIZATION", Day: 40}}, expect{aval: 12, cnsr: 0, srcDay: at(40), desc: "HOSPITALIZATION"}},
		{"discontinued: confirmation after EOSDY not used", relapse, Subject{RandDay: 28, EndDay: 37, RescueDay: nan, DiscReason: "WITHDRAWAL BY SUBJECT"},
			with(visit{35, 24, ""}, visit{42, 25, ""}),
			nil, expect{aval: 7, cnsr: 1, desc: "DISCONTINUED (WITHDRAWAL BY SUBJECT): LAST ADEQUATE ASSESSMENT; MADRS 24 ON DAY 35 NOT CONFIRMED (NO LATER ASSESSMENT)"}},
		{"completer: clinical event after EOSDY used", relapse, Subject{RandDay: 28, EndDay: 40, RescueDay: nan},
			with(visit{35, 10, ""}),
			[]ClinicalEvent{{Term: "HOSPITALIZATION", Day: 45}}, expect{aval: 17, cnsr: 0, desc: "HOSPITALIZATION"}},

		// Traceability: the assessment in response at the anchor, and the
		// post-anchor wording.
		{"in response at randomization: RSPADY", "source: MADRS\nrelapse: {anchor: randomization, in_response: {at_most: 12}, at_least: 22}", rand28,
			with(visit{35, 10, ""}),
			nil, expect{aval: 7, cnsr: 1, resp: at(28), respValue: 8, respLine: 3}}, // RAND visit, adqs.csv line 3
		{"no in_response: RSPADY empty", relapse, rand28,
			with(visit{35, 10, ""}),
			nil, expect{aval: 7, cnsr: 1, resp: at(nan)}},
		{"no post-anchor assessment", relapse, rand28,
			pre,
			nil, expect{aval: 0, cnsr: 1, desc: "NO ADEQUATE POST-ANCHOR ASSESSMENT: CENSORED AT TIME ORIGIN", notDesc: "BASELINE"}},
	} {
		s := studyWith(t, "TTRELAPSE", test.plan)
		check(t, test.name, s, subjectData(test.sub, test.vs, test.evs), "TTRELAPSE", test.want)
	}
}

func TestRelapseAnchoredOnResponse(t *testing.T) {
	s := studyWith(t, "TTRESP", response, "TTRELAPSE",
		"source: MADRS\norigin: dose\nrelapse: {anchor: TTRESP, in_response: {reduction: 0.5}, at_least: 22, confirm: {min_days: 5, max_days: 15}}")
	base := visit{-1, 30, "BASELINE"}
	for _, test := range []struct {
		name string
		vs   []visit
		want expect
	}{
		{"response at day 7, relapse at day 14", []visit{base, {1, 20, ""}, {7, 12, ""}, {14, 23, ""}, {21, 24, ""}},
			expect{aval: 14, cnsr: 0, lower: at(7), srcDay: at(14), resp: at(7), respValue: 12, respLine: 4}}, // day 7 is adqs.csv line 4
		{"response, no relapse", []visit{base, {7, 12, ""}, {14, 14, ""}},
			expect{aval: 14, cnsr: 1}},
		{"response at the last visit: no follow-up", []visit{base, {1, 20, ""}, {7, 12, ""}},
			expect{reason: "no adequate MADRS assessment after the anchor"}},
		{"no response", []visit{base, {7, 20, ""}},
			expect{reason: "no TTRESP event"}},
		{"no baseline", []visit{{7, 20, ""}},
			expect{reason: "no baseline"}},
	} {
		check(t, test.name, s, subjectData(noDays(), test.vs, nil), "TTRELAPSE", test.want)
	}
}

// TestAnchorEndpointCarriesOver: a relapse plan that needs no baseline of
// its own (no in_response) still loses the subjects its anchor endpoint
// excluded or censored, with the anchor's reason; RSPADY is the anchor's
// event assessment.
func TestAnchorEndpointCarriesOver(t *testing.T) {
	s := studyWith(t, "TTRESP", response, "TTRELAPSE", "source: MADRS\nrelapse: {anchor: TTRESP, at_least: 22}")
	for _, test := range []struct {
		name string
		vs   []visit
		want expect
	}{
		{"anchor excluded: no baseline", []visit{{7, 10, ""}, {14, 24, ""}},
			expect{reason: "excluded from TTRESP (no baseline: no adequate MADRS assessment at or before day 0): no relapse anchor"}},
		{"anchor censored", []visit{{-1, 30, "BASELINE"}, {7, 20, ""}, {14, 24, ""}},
			expect{reason: "no TTRESP event: not at risk of relapse"}},
		{"anchor event: relapse timed from it", []visit{{-1, 30, "BASELINE"}, {7, 12, ""}, {14, 24, ""}},
			expect{aval: 7, cnsr: 0, lowerEmpty: true, srcDay: at(14), resp: at(7), respValue: 12, respLine: 3}}, // origin anchor (day 7): 14 − 7
	} {
		check(t, test.name, s, subjectData(noDays(), test.vs, nil), "TTRELAPSE", test.want)
	}
}

// TestNamedBaselineAbsent: baseline_visit names a visit that other subjects
// have but this one has not: excluded with the visit named, unless the rule
// is an absolute threshold with baseline: optional.
func TestNamedBaselineAbsent(t *testing.T) {
	for _, test := range []struct {
		name, plan string
		want       expect
	}{
		{"reduction needs the named baseline", "source: MADRS\nbaseline_visit: SCREENING\nevent: {reduction: 0.5}",
			expect{reason: "no baseline: no adequate MADRS assessment at visit SCREENING"}},
		{"absolute threshold too, by default", "source: MADRS\nbaseline_visit: SCREENING\nevent: {at_most: 10}",
			expect{reason: "no baseline: no adequate MADRS assessment at visit SCREENING"}},
		{"absolute threshold with baseline optional does not", "source: MADRS\nbaseline: optional\nbaseline_visit: SCREENING\nevent: {at_most: 10}",
			expect{aval: 7, cnsr: 0, lowerEmpty: true, srcDay: at(7)}}, // BASELINE on day -1 is not the baseline but is not post-baseline either
	} {
		s := studyWith(t, "TTRESP", test.plan)
		d := subjectData(noDays(), []visit{{-1, 30, "BASELINE"}, {7, 10, "DAY7"}}, nil)
		d.Subjects = append(d.Subjects, Subject{USUBJID: "S1-002", Arm: "PBO", RandDay: nan, EndDay: nan, RescueDay: nan, Line: 3})
		d.Assessments = append(d.Assessments, Assessment{USUBJID: "S1-002", Param: "MADRS", Visit: "SCREENING", Day: -7, Value: 30, Line: 9})
		check(t, test.name, s, d, "TTRESP", test.want)
	}
}

func TestDataErrors(t *testing.T) {
	s := studyWith(t, "TTRESP", response)
	for _, test := range []struct {
		name string
		d    *Data
		want []string
	}{
		{"duplicate day", subjectData(noDays(), []visit{{-1, 30, "BASELINE"}, {7, 20, "WEEK1"}, {7, 18, "UNSCHED"}}, nil),
			[]string{"adqs.csv: lines 3 and 4", "S1-001", "two MADRS assessments on day 7"}},
		{"duplicate visit", subjectData(noDays(), []visit{{-1, 30, "BASELINE"}, {7, 20, "WEEK1"}, {8, 18, "WEEK1"}}, nil),
			[]string{"adqs.csv: lines 3 and 4", "visit WEEK1"}},
		{"unknown subject", func() *Data {
			d := subjectData(noDays(), []visit{{-1, 30, ""}}, nil)
			d.Assessments[0].USUBJID = "S1-999"
			return d
		}(), []string{"adqs.csv: line 2", "S1-999", "not in adsl.csv"}},
		{"unknown arm", func() *Data {
			d := subjectData(noDays(), nil, nil)
			d.Subjects[0].Arm = "XYZ"
			return d
		}(), []string{"adsl.csv: line 2", `"XYZ"`}},
		{"wrong study", func() *Data {
			d := subjectData(noDays(), nil, nil)
			d.StudyID = "S2"
			return d
		}(), []string{`"S2"`, `"S1"`}},
	} {
		_, err := Derive(s, test.d)
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
	// Unscheduled duplicates of a scheduled day are fine on other days;
	// duplicates of another parameter are not this derivation's concern.
	d := subjectData(noDays(), []visit{{-1, 30, "BASELINE"}, {7, 20, "UNSCHED"}, {8, 18, "UNSCHED"}}, nil)
	d.Assessments = append(d.Assessments, Assessment{USUBJID: "S1-001", Param: "SSI", Visit: "WEEK1", Day: 7, Value: 1, Line: 9},
		Assessment{USUBJID: "S1-001", Param: "SSI", Visit: "WEEK1", Day: 7, Value: 1, Line: 10})
	if _, err := Derive(s, d); err != nil {
		t.Errorf("unexpected error: %v", err)
	}
}

// TestReconcile checks that every subject × endpoint is in ADTTE or in the
// exclusions, in ADSL order then study order.
func TestReconcile(t *testing.T) {
	s := studyWith(t, "TTRESP", response, "TTREMIT", "source: MADRS\nbaseline: optional\nevent: {at_most: 10}")
	d := &Data{StudyID: "S1"}
	for k, id := range []string{"B", "A", "C"} {
		d.Subjects = append(d.Subjects, Subject{USUBJID: id, Arm: "PBO", RandDay: nan, EndDay: nan, RescueDay: nan, Line: k + 2})
	}
	// A: baseline and response; B: no baseline (excluded from TTRESP, an
	// event for TTREMIT); C: nothing at all (excluded from TTRESP, censored
	// at 0 for TTREMIT).
	d.Assessments = []Assessment{
		{USUBJID: "A", Param: "MADRS", Day: -1, Value: 30, Line: 2},
		{USUBJID: "A", Param: "MADRS", Day: 7, Value: 10, Line: 3},
		{USUBJID: "B", Param: "MADRS", Day: 7, Value: 10, Line: 4},
	}
	r, err := Derive(s, d)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, x := range r.Rows {
		got = append(got, x.USUBJID+":"+x.Paramcd)
	}
	want := "B:TTREMIT A:TTRESP A:TTREMIT C:TTREMIT"
	if strings.Join(got, " ") != want {
		t.Errorf("rows %q, want %q", strings.Join(got, " "), want)
	}
	if len(r.Exclusions) != 2 || r.Exclusions[0].USUBJID != "B" || r.Exclusions[1].USUBJID != "C" || r.Exclusions[1].Paramcd != "TTRESP" {
		t.Errorf("exclusions %+v, want B and C from TTRESP (no baseline)", r.Exclusions)
	}
	for _, c := range r.Counts {
		if c.Events+c.Censored+c.Excluded != c.Subjects || c.Subjects != 3 {
			t.Errorf("%s: counts do not reconcile: %+v", c.Paramcd, c)
		}
	}
	if c := r.Counts[0]; c.Events != 1 || c.Censored != 0 || c.Excluded != 2 {
		t.Errorf("TTRESP counts %+v, want 1 event, 2 excluded", c)
	}
	if c := r.Counts[1]; c.Events != 2 || c.Censored != 1 || c.Excluded != 0 {
		t.Errorf("TTREMIT counts %+v, want 2 events, 1 censored", c)
	}
}

func TestNoDerivePlan(t *testing.T) {
	s, err := study.Parse("study.yaml", []byte("id: S1\ntime_unit: days\narms: [{name: KET, class: ketamine}]\ncontrol: KET\nendpoints: [{paramcd: TTRESP, kind: response}]\n"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Derive(s, &Data{}); err == nil || !strings.Contains(err.Error(), "no endpoint has a `derive:` block") {
		t.Errorf("got %v, want an error about missing derive blocks", err)
	}
}

func TestFormatFloat(t *testing.T) {
	for _, test := range []struct {
		v    float64
		want string
	}{
		{14.02778 - 7, "7.02778"},
		{0.1 + 0.2, "0.3"},
		{-0.0, "0"},
		{nan, ""},
		{28, "28"},
	} {
		if got := formatFloat(test.v); got != test.want {
			t.Errorf("formatFloat(%v) = %q, want %q", test.v, got, test.want)
		}
	}
}

// TestPlanAgainstData: a plan naming what the data do not have is an error
// naming study.yaml, the line of the key, what was found and the fix. In
// studyWith's layout the first key of the derive block is on line 9.
func TestPlanAgainstData(t *testing.T) {
	vs := []visit{{-1, 30, "BASELINE"}, {7, 10, "DAY7"}}
	withSSI := func(d *Data) *Data {
		d.Assessments = append(d.Assessments, Assessment{USUBJID: "S1-001", Param: "SSI", Visit: "BASELINE", Day: -1, Value: 2, Line: 9})
		return d
	}
	noADCE := func(d *Data) *Data { d.HasADCE = false; return d }
	for _, test := range []struct {
		name, paramcd, plan string
		d                   *Data
		want                []string // substrings of the error; none: no error
		warning             string   // substring of a warning, when set
	}{
		{"source absent", "TTRESP", "source: MADSR\nevent: {reduction: 0.5}", withSSI(subjectData(noDays(), vs, nil)),
			[]string{"study.yaml: line 9:", "derive.source MADSR: no adqs.csv row has PARAMCD MADSR (found MADRS, SSI)", "set source"}, ""},
		{"source absent, no rows at all", "TTRESP", "source: MADRS\nevent: {reduction: 0.5}", subjectData(noDays(), nil, nil),
			[]string{"study.yaml: line 9:", "no adqs.csv row has PARAMCD MADRS (the file has no rows)"}, ""},
		{"baseline_visit absent", "TTRESP", "source: MADRS\nbaseline_visit: SCREENING\nevent: {reduction: 0.5}", subjectData(noDays(), vs, nil),
			[]string{"study.yaml: line 10:", "derive.baseline_visit SCREENING: no adqs.csv row of MADRS has AVISIT SCREENING (found BASELINE, DAY7)", "remove baseline_visit"}, ""},
		{"baseline_visit of another parameter", "TTRESP", "source: MADRS\nbaseline_visit: SCREENING\nevent: {reduction: 0.5}", func() *Data {
			d := subjectData(noDays(), vs, nil)
			d.Assessments = append(d.Assessments, Assessment{USUBJID: "S1-001", Param: "SSI", Visit: "SCREENING", Day: -7, Value: 2, Line: 9})
			return d
		}(), []string{"study.yaml: line 10:", "AVISIT SCREENING"}, ""},
		{"clinical_events without adce.csv", "TTRELAPSE", "source: MADRS\nrelapse: {anchor: randomization, at_least: 22,\n  clinical_events: [HOSPITALIZATION, SUICIDE_ATTEMPT]}", noADCE(subjectData(noDays(), vs, nil)),
			[]string{"study.yaml: line 11:", "derive.relapse.clinical_events lists HOSPITALIZATION, SUICIDE_ATTEMPT but there is no adce.csv", "clinical_events_file: optional"}, ""},
		{"clinical_events_file optional without adce.csv", "TTRELAPSE", "source: MADRS\nrelapse: {anchor: randomization, at_least: 22, clinical_events: [HOSPITALIZATION], clinical_events_file: optional}", noADCE(subjectData(noDays(), vs, nil)),
			nil, "no adce.csv: clinical_events (HOSPITALIZATION) are not applied"},
		{"adce.csv present without rows", "TTRELAPSE", "source: MADRS\nrelapse: {anchor: randomization, at_least: 22, clinical_events: [HOSPITALIZATION]}", subjectData(noDays(), vs, nil),
			nil, ""},
	} {
		s := studyWith(t, test.paramcd, test.plan)
		r, err := Derive(s, test.d)
		if len(test.want) == 0 {
			if err != nil {
				t.Errorf("%s: unexpected error: %v", test.name, err)
				continue
			}
			got := strings.Join(r.Warnings, "\n")
			if (test.warning == "") != (got == "") || !strings.Contains(got, test.warning) {
				t.Errorf("%s: warnings %q, want %q", test.name, got, test.warning)
			}
			continue
		}
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
