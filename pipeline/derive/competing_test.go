package derive

import (
	"bytes"
	"encoding/csv"
	"math"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ketcurves/ketcurves/pipeline/study"
)

// disc returns a subject who left the study on day end for reason, with
// rescue medication from day rescue (NaN: none).
func disc(end float64, reason string, rescue float64) Subject {
	return Subject{RandDay: nan, EndDay: end, DiscReason: reason, RescueDay: rescue}
}

// competingWant is a hand-computed outcome of a plan with competing events:
// AVAL, CNSR, EVNTTYPE, the ADSL column that dates a competing event
// (SRCPARAM) and a substring of EVNTDESC or CNSDTDSC; reason non-empty:
// excluded.
type competingWant struct {
	aval   float64
	cnsr   int
	typ    string
	src    string
	desc   string
	entry  float64
	reason string
}

func checkCompeting(t *testing.T, name string, s *study.Study, d *Data, paramcd string, want competingWant) {
	t.Helper()
	r, err := Derive(s, d)
	if err != nil {
		t.Errorf("%s: unexpected error: %v", name, err)
		return
	}
	if !r.HasEventType {
		t.Errorf("%s: HasEventType false for a plan with competing events", name)
	}
	for _, x := range r.Exclusions {
		if x.Paramcd == paramcd {
			if want.reason == "" || !strings.Contains(x.Reason, want.reason) {
				t.Errorf("%s: excluded (%s), want %+v", name, x.Reason, want)
			}
			return
		}
	}
	for _, x := range r.Rows {
		if x.Paramcd != paramcd {
			continue
		}
		cnsr := 0
		if x.Censored {
			cnsr = 1
		}
		if want.reason != "" || math.Abs(x.Time-want.aval) > 1e-9 || cnsr != want.cnsr || x.EventType != want.typ {
			t.Errorf("%s: AVAL %v CNSR %d EVNTTYPE %q (%s%s), want %+v", name, x.Time, cnsr, x.EventType, x.EventDesc, x.CensorDesc, want)
		}
		if got := x.EventDesc + x.CensorDesc; !strings.Contains(got, want.desc) {
			t.Errorf("%s: description %q does not contain %q", name, got, want.desc)
		}
		if x.Competing != (cnsr == 0 && slicesContains(study.CompetingTypes, x.EventType)) {
			t.Errorf("%s: Competing %v for EVNTTYPE %q CNSR %d", name, x.Competing, x.EventType, cnsr)
		}
		if x.Competing {
			// Exactly dated by an ADSL day: ILOWER = IUPPER = AVAL.
			if x.SourceDomain != DomainADSL || x.SourceParam != want.src || x.SourceLine != 2 || x.Lower != x.Time || x.Upper != x.Time || x.CensorDesc != "" {
				t.Errorf("%s: competing row SRCDOM %s SRCPARAM %s SRCLINE %d (ILOWER, IUPPER) (%v, %v) CNSDTDSC %q, want ADSL %s 2 (AVAL, AVAL) and no CNSDTDSC", name, x.SourceDomain, x.SourceParam, x.SourceLine, x.Lower, x.Upper, x.CensorDesc, want.src)
			}
		}
		if math.Abs(x.SourceDay-x.OriginDay-x.Time) > 1e-9 {
			t.Errorf("%s: AVAL %v ≠ SRCADY %v − ORIGDY %v", name, x.Time, x.SourceDay, x.OriginDay)
		}
		if x.Entry != want.entry {
			t.Errorf("%s: ENTRY %v, want %v", name, x.Entry, want.entry)
		}
		return
	}
	t.Errorf("%s: no row and no exclusion for %s", name, paramcd)
}

func slicesContains(list []string, v string) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}

// TestCompetingEvents covers the rules of competing events on hand-built
// subjects: baseline MADRS 30 (response: ≤ 15), each expected value worked
// out by hand.
func TestCompetingEvents(t *testing.T) {
	const (
		loeRescue = response + "\ncompeting: [LACK_OF_EFFICACY, RESCUE]"
		loeOnly   = response + "\ncompeting: [LACK_OF_EFFICACY]"
	)
	noResponse := []visit{{0, 30, "BASELINE"}, {7, 28, "DAY7"}, {14, 25, "DAY14"}}
	respondsAt14 := []visit{{0, 30, "BASELINE"}, {7, 28, "DAY7"}, {14, 15, "DAY14"}}
	for _, test := range []struct {
		name string
		plan string
		sub  Subject
		vs   []visit
		want competingWant
	}{
		{"lack of efficacy, no response: competing at EOSDY", loeRescue, disc(17, "Lack of Efficacy", nan), noResponse,
			competingWant{aval: 17, typ: "LACK_OF_EFFICACY", src: "EOSDY", desc: "DISCONTINUED (LACK OF EFFICACY)"}},
		{"response before the discontinuation wins", loeRescue, disc(17, "LACK OF EFFICACY", nan), respondsAt14,
			competingWant{aval: 14, typ: "RESPONSE", desc: "REDUCTION"}},
		{"response on EOSDY itself wins (EOSDY is used)", loeRescue, disc(14, "LACK OF EFFICACY", nan), respondsAt14,
			competingWant{aval: 14, typ: "RESPONSE", desc: "REDUCTION"}},
		{"adverse event is censoring when not listed", loeRescue, disc(17, "ADVERSE EVENT", nan), noResponse,
			competingWant{aval: 14, cnsr: 1, desc: "DISCONTINUED (ADVERSE EVENT)"}},
		{"completer without event is censored, EVNTTYPE empty", loeRescue, noDays(), noResponse,
			competingWant{aval: 14, cnsr: 1, desc: "LAST ADEQUATE ASSESSMENT"}},
		{"rescue before the response visit", loeRescue, Subject{RandDay: nan, EndDay: 28, RescueDay: 10}, respondsAt14,
			competingWant{aval: 10, typ: "RESCUE", src: "RESCDY", desc: "RESCUE MEDICATION"}},
		{"rescue on the response day wins (RESCDY is not used)", loeRescue, Subject{RandDay: nan, EndDay: 28, RescueDay: 14}, respondsAt14,
			competingWant{aval: 14, typ: "RESCUE", src: "RESCDY", desc: "RESCUE MEDICATION"}},
		{"discontinuation before rescue", loeRescue, disc(12, "lack_of_efficacy", 20), noResponse,
			competingWant{aval: 12, typ: "LACK_OF_EFFICACY", src: "EOSDY", desc: "DISCONTINUED (LACK_OF_EFFICACY)"}},
		{"rescue before discontinuation", loeRescue, disc(20, "LACK OF EFFICACY", 10), noResponse,
			competingWant{aval: 10, typ: "RESCUE", src: "RESCDY", desc: "RESCUE MEDICATION"}},
		{"rescue ignored when neither competing nor censor.rescue", loeOnly, disc(17, "LACK OF EFFICACY", 10), respondsAt14,
			competingWant{aval: 14, typ: "RESPONSE", desc: "REDUCTION"}},
		{"rescue not competing but censor.rescue: censored at the last assessment before it", loeOnly + "\ncensor: {rescue: true}", disc(17, "LACK OF EFFICACY", 10), noResponse,
			competingWant{aval: 7, cnsr: 1, desc: "RESCUE MEDICATION FROM DAY 10"}},
		{"discontinuation beyond max_day is not competing", loeOnly + "\ncensor: {max_day: 14}", disc(17, "LACK OF EFFICACY", nan), noResponse,
			competingWant{aval: 14, cnsr: 1, desc: "END OF FOLLOW-UP WINDOW"}},
		{"discontinuation on day 0 is before the risk period", loeOnly, disc(0, "LACK OF EFFICACY", nan), []visit{{0, 30, "BASELINE"}},
			competingWant{aval: 0, cnsr: 1, desc: "NO ADEQUATE POST-BASELINE ASSESSMENT"}},
		{"custom reason", loeOnly + "\nreasons: {\"no improvement\": LACK_OF_EFFICACY}", disc(17, "NO  IMPROVEMENT", nan), noResponse,
			competingWant{aval: 17, typ: "LACK_OF_EFFICACY", src: "EOSDY", desc: "DISCONTINUED (NO  IMPROVEMENT)"}},
		{"custom reason overrides the built-in mapping", loeOnly + "\nreasons: {WITHDRAWAL BY SUBJECT: LACK_OF_EFFICACY}", disc(17, "Withdrawal by subject", nan), noResponse,
			competingWant{aval: 17, typ: "LACK_OF_EFFICACY", src: "EOSDY", desc: "DISCONTINUED (WITHDRAWAL BY SUBJECT)"}},
		{"event_type names the event of interest", loeOnly + "\nevent_type: RESP50", disc(17, "LACK OF EFFICACY", nan), respondsAt14,
			competingWant{aval: 14, typ: "RESP50", desc: "REDUCTION"}},
	} {
		s := studyWith(t, "TTRESP", test.plan)
		checkCompeting(t, test.name, s, subjectData(test.sub, test.vs, nil), "TTRESP", test.want)
	}
}

// TestCompetingRelapse checks competing events of relapse endpoints: with
// delayed entry (a competing event after the anchor keeps a subject whose
// follow-up had no assessment), and a relapse anchored on a response
// endpoint whose outcome was a competing event.
func TestCompetingRelapse(t *testing.T) {
	relapse := "source: MADRS\norigin: dose\nrelapse: {anchor: randomization, at_least: 22}\ncompeting: [ADVERSE_EVENT]"
	s := studyWith(t, "TTRELAPSE", relapse)
	sub := disc(15, "ADVERSE EVENT", nan)
	sub.RandDay = 10
	vs := []visit{{0, 30, "BASELINE"}, {7, 12, "DAY7"}, {10, 12, "DAY10"}}
	// No assessment after the anchor (day 10): without competing events the
	// subject is excluded; with them, the adverse event on day 15 competes.
	checkCompeting(t, "delayed entry", s, subjectData(sub, vs, nil), "TTRELAPSE",
		competingWant{aval: 15, typ: "ADVERSE_EVENT", src: "EOSDY", desc: "DISCONTINUED (ADVERSE EVENT)", entry: 10})
	// The same subject's relapse a day after the anchor is the event.
	checkCompeting(t, "relapse first", s, subjectData(sub, append(vs, visit{11, 24, "DAY11"}), nil), "TTRELAPSE",
		competingWant{aval: 11, typ: "RELAPSE", desc: "MADRS >= 22", entry: 10})

	anchored := studyWith(t, "TTRESP", response+"\ncompeting: [LACK_OF_EFFICACY]",
		"TTRELAPSE", "source: MADRS\nrelapse: {anchor: TTRESP, at_least: 22}")
	checkCompeting(t, "anchor endpoint ended by a competing event", anchored,
		subjectData(disc(10, "LACK OF EFFICACY", nan), []visit{{0, 30, "BASELINE"}, {7, 28, "DAY7"}}, nil), "TTRELAPSE",
		competingWant{reason: "no TTRESP event (competing event LACK_OF_EFFICACY on day 10)"})
}

// TestCompetingUnknownReason checks the error for a DCSREAS that neither
// the plan nor the built-in mapping knows: adsl.csv, line, column, the
// study.yaml line of the plan and the fix; and that a plan without
// competing events accepts any reason, as before.
func TestCompetingUnknownReason(t *testing.T) {
	d := subjectData(disc(17, "FELT BETTER", nan), []visit{{0, 30, "BASELINE"}, {7, 28, "DAY7"}}, nil)
	d.DiscReasonColumn = 7
	for _, test := range []struct {
		plan string
		want []string
	}{
		{response + "\ncompeting: [LACK_OF_EFFICACY]",
			[]string{`adsl.csv: line 2, column 7 (DCSREAS): subject S1-001: discontinuation reason "FELT BETTER" has no event type for endpoint TTRESP`, "study.yaml: line 11", `reasons: {"FELT BETTER": OTHER}`}},
		{response + "\ncompeting: [LACK_OF_EFFICACY]\nreasons: {NO IMPROVEMENT: LACK_OF_EFFICACY}",
			[]string{"column 7 (DCSREAS)", "study.yaml: line 12"}},
	} {
		_, err := Derive(studyWith(t, "TTRESP", test.plan), d)
		if err == nil {
			t.Errorf("%q: no error", test.plan)
			continue
		}
		for _, w := range test.want {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("error %q does not contain %q", err, w)
			}
		}
	}
	d.DiscReasonColumn = 0
	if _, err := Derive(studyWith(t, "TTRESP", response+"\ncompeting: [OTHER]"), d); err == nil || !strings.Contains(err.Error(), "adsl.csv: line 2, column DCSREAS:") {
		t.Errorf("without the column number: error %v, want it to name column DCSREAS", err)
	}
	if _, err := Derive(studyWith(t, "TTRESP", response), d); err != nil {
		t.Errorf("plan without competing events: unexpected error %v", err)
	}
}

// TestEventTypeColumn checks the ADTTE layout: EVNTTYPE after CNSR only
// when a plan declares competing events, with the event type (also of an
// endpoint without competing events: TTREMIT, kind response in studyWith,
// named by event_type), the competing type or an empty cell; and the
// reconciled counts.
func TestEventTypeColumn(t *testing.T) {
	s := studyWith(t, "TTRESP", response+"\ncompeting: [LACK_OF_EFFICACY]", "TTREMIT", "source: MADRS\nevent: {at_most: 10}\nevent_type: REMISSION")
	d := &Data{StudyID: "S1"}
	for k, sub := range []Subject{disc(17, "LACK OF EFFICACY", nan), noDays(), disc(17, "ADVERSE EVENT", nan)} {
		sub.USUBJID, sub.Arm, sub.Line = "S1-00"+string(rune('1'+k)), "KET", k+2
		d.Subjects = append(d.Subjects, sub)
	}
	add := func(subj string, day, v float64) {
		d.Assessments = append(d.Assessments, Assessment{USUBJID: subj, Param: "MADRS", Visit: "D" + formatFloat(day), Day: day, Value: v, Line: len(d.Assessments) + 2})
	}
	add("S1-001", 0, 30)
	add("S1-001", 7, 28)
	add("S1-002", 0, 30)
	add("S1-002", 7, 8) // response and remission at day 7
	add("S1-003", 0, 30)
	add("S1-003", 7, 28)
	r, err := Derive(s, d)
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := WriteADTTE(&b, "S1", nil, r, WriteOptions{}); err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(&b).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(recs[0][:9], ","); got != "STUDYID,USUBJID,TRTP,PARAMCD,AVAL,CNSR,EVNTTYPE,EVNTDESC,CNSDTDSC" {
		t.Errorf("header begins %s", got)
	}
	want := []string{
		"S1-001 TTRESP 17 0 LACK_OF_EFFICACY", "S1-001 TTREMIT 7 1 ",
		"S1-002 TTRESP 7 0 RESPONSE", "S1-002 TTREMIT 7 0 REMISSION",
		"S1-003 TTRESP 7 1 ", "S1-003 TTREMIT 7 1 ",
	}
	for k, rec := range recs[1:] {
		if got := strings.Join([]string{rec[1], rec[3], rec[4], rec[5], rec[6]}, " "); k >= len(want) || got != want[k] {
			t.Errorf("row %d: %q, want %q", k+1, got, want[min(k, len(want)-1)])
		}
	}
	wantCounts := []Count{
		{Paramcd: "TTRESP", Subjects: 3, Events: 1, Competing: 1, Censored: 1, HasCompeting: true},
		{Paramcd: "TTREMIT", Subjects: 3, Events: 1, Censored: 2},
	}
	for k, c := range r.Counts {
		if c != wantCounts[k] {
			t.Errorf("counts %+v, want %+v", c, wantCounts[k])
		}
	}

	// Without competing events: no EVNTTYPE column.
	r, err = Derive(studyWith(t, "TTRESP", response), d)
	if err != nil {
		t.Fatal(err)
	}
	b.Reset()
	if err := WriteADTTE(&b, "S1", nil, r, WriteOptions{}); err != nil {
		t.Fatal(err)
	}
	if head, _, _ := strings.Cut(b.String(), "\n"); strings.Contains(head, EventTypeColumn) || !strings.HasPrefix(head, strings.Join(ADTTEColumns, ",")+",") {
		t.Errorf("header without competing events: %s", head)
	}
}

// TestCompetingUnknownReasonFile checks the error through Load: the path
// of adsl.csv as opened and DCSREAS's column number from its header.
func TestCompetingUnknownReasonFile(t *testing.T) {
	adsl := "STUDYID,USUBJID,TRT01P,AGE,SEX,RANDDY,EOSDY,DCSREAS,RESCDY\nS1,S1-1,KET,40,F,,28,,\nS1,S1-2,PBO,50,M,2,10,Moved away,\n"
	dir := writeStudy(t, map[string]string{"adsl.csv": adsl, "adqs.csv": okADQS})
	s, err := study.Parse("study.yaml", []byte("id: S1\ntime_unit: days\narms: [{name: KET, class: ketamine}, {name: PBO, class: placebo}]\ncontrol: PBO\nendpoints:\n  - paramcd: TTRESP\n    kind: response\n    derive:\n      source: MADRS\n      event: {reduction: 0.5}\n      competing: [LACK_OF_EFFICACY]\n"))
	if err != nil {
		t.Fatal(err)
	}
	d, err := Load(dir, s)
	if err != nil {
		t.Fatal(err)
	}
	_, err = Derive(s, d)
	want := filepath.Join(dir, "adsl.csv") + `: line 3, column 8 (DCSREAS): subject S1-2: discontinuation reason "Moved away"`
	if err == nil || !strings.HasPrefix(err.Error(), want) {
		t.Errorf("error %v, want it to begin %s", err, want)
	}
}
