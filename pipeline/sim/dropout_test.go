package sim

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"math"
	"strings"
	"testing"
)

// reasonShares counts the dropouts of res (Dropout < End) by reason: the
// share of ADVERSE EVENT among all dropouts, and of LACK OF EFFICACY among
// the dropouts not in response at the dropout day (the only ones who can
// leave for lack of efficacy).
func reasonShares(t *testing.T, res *Result) (ae, nDrop, loe, nNonresp int) {
	t.Helper()
	for i := range res.Subjects {
		s := &res.Subjects[i]
		switch {
		case s.Dropout >= s.End:
			if s.DropoutReason != "" {
				t.Fatalf("%s: DCSREAS %q for a subject followed to the end", s.USUBJID, s.DropoutReason)
			}
			continue
		case s.DropoutReason == "":
			t.Fatalf("%s: dropout on day %v without DCSREAS", s.USUBJID, s.Dropout)
		case s.DropoutReason == ReasonLackOfEfficacy && s.InResponse(s.Dropout):
			t.Fatalf("%s: in response on day %v but left for lack of efficacy", s.USUBJID, s.Dropout)
		}
		nDrop++
		if s.DropoutReason == ReasonAdverseEvent {
			ae++
		}
		if !s.InResponse(s.Dropout) {
			nNonresp++
			if s.DropoutReason == ReasonLackOfEfficacy {
				loe++
			}
		}
	}
	return ae, nDrop, loe, nNonresp
}

// TestDropoutReasonsCalibration checks the discontinuation reasons of the
// bundled studies that declare dropout_reasons against their scenario
// shares (chosen values; see the study READMEs): at the committed seed
// within the binomial 95% interval and, without -short, at 100 × n within
// ± 2 points. A share without eligible dropouts at the committed seed (no
// dropout out of response) is checked at 100 × n only.
func TestDropoutReasonsCalibration(t *testing.T) {
	for _, test := range []struct {
		dir     string
		loe, ae float64
	}{
		{"stard-level1", 0.20, 0.25},
		{"sustain1", 0.10, 0.20},
	} {
		t.Run(test.dir, func(t *testing.T) {
			sc, _ := loadStudy(t, test.dir)
			for i, c := range sc.Cohorts {
				if r := c.DropoutReasons; r == nil || r.LackOfEfficacy != test.loe || r.AdverseEvent != test.ae {
					t.Fatalf("cohort %d: dropout_reasons %+v, want the README's %v and %v", i+1, r, test.loe, test.ae)
				}
			}
			ae, n, loe, nn := reasonShares(t, Simulate(sc))
			cs := []check{binom("ADVERSE EVENT among dropouts", ae, n, test.ae)}
			if nn >= 20 {
				cs = append(cs, binom("LACK OF EFFICACY among dropouts not in response", loe, nn, test.loe))
			}
			if !testing.Short() {
				for i := range sc.Cohorts {
					sc.Cohorts[i].N *= 100
				}
				ae, n, loe, nn := reasonShares(t, Simulate(sc))
				cs = append(cs,
					near("ADVERSE EVENT among dropouts at 100 × n", share(ae, n), test.ae, 0.02),
					near("LACK OF EFFICACY among dropouts not in response at 100 × n", share(loe, nn), test.loe, 0.02))
			}
			for _, c := range cs {
				if !c.ok {
					t.Errorf("%s: %s", c.name, c.msg)
				} else if testing.Verbose() {
					t.Logf("ok %s: %s", c.name, c.msg)
				}
			}
		})
	}
}

// TestDropoutReasonsAndRescue checks that reasons and rescue only label
// the simulation: adqs.csv and adtte_latent.csv are unchanged; that
// adsl.csv carries them consistently (DCSREAS for each dropout, RESCDY ≤
// EOSDY and out of response, the RESCDY column only with rescue); and the
// share rescued.
func TestDropoutReasonsAndRescue(t *testing.T) {
	scenario := func() *Scenario {
		sc := toy(t)
		for i := range sc.Cohorts {
			sc.Cohorts[i].N = 2000
			sc.Cohorts[i].Dropout = &Dist{Exponential: &Exponential{Median: 40}}
		}
		return sc
	}
	before := Simulate(scenario()) // a Result keeps its scenario: give each its own
	sc := scenario()
	origin := 2.0
	for i := range sc.Cohorts {
		sc.Cohorts[i].DropoutReasons = &DropoutReasons{LackOfEfficacy: 0.5, AdverseEvent: 0.3}
		sc.Cohorts[i].Rescue = &Rescue{Fraction: 0.4, Time: Dist{Uniform: &Uniform{Min: 1, Max: 20}}, OriginDay: &origin}
	}
	after := Simulate(sc)
	for _, w := range []func(*Result, *bytes.Buffer) error{
		func(r *Result, b *bytes.Buffer) error { return r.WriteADQS(b) },
		func(r *Result, b *bytes.Buffer) error { return r.WriteLatent(b) },
	} {
		var a, b bytes.Buffer
		if err := w(before, &a); err != nil {
			t.Fatal(err)
		}
		if err := w(after, &b); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(a.Bytes(), b.Bytes()) {
			t.Error("dropout_reasons and rescue changed adqs.csv or adtte_latent.csv")
		}
	}
	if _, _, loe, nn := reasonShares(t, after); math.Abs(share(loe, nn)-0.5) > 4*math.Sqrt(0.25/float64(nn)) {
		t.Errorf("LACK OF EFFICACY among dropouts not in response %d/%d, want 0.5", loe, nn)
	}
	eligible, rescued := 0, 0
	for i := range after.Subjects {
		s := &after.Subjects[i]
		if math.IsInf(s.RescueDay, 1) {
			continue
		}
		rescued++
		if s.RescueDay > s.Censor || s.InResponse(s.RescueDay) || s.RescueDay < origin+1 || s.RescueDay > origin+20 {
			t.Fatalf("%s: rescue on day %v (EOSDY %v, in response %v)", s.USUBJID, s.RescueDay, s.Censor, s.InResponse(s.RescueDay))
		}
	}
	// Expected: 0.4 × P(day ≤ EOSDY and not in response), by the same
	// subjects' draws with fraction 1.
	for i := range sc.Cohorts {
		sc.Cohorts[i].Rescue.Fraction = 1
	}
	for _, s := range Simulate(sc).Subjects {
		if !math.IsInf(s.RescueDay, 1) {
			eligible++
		}
	}
	if p := share(rescued, eligible); math.Abs(p-0.4) > 4*math.Sqrt(0.24/float64(eligible)) {
		t.Errorf("rescued %d of %d eligible = %.3f, want 0.4", rescued, eligible, p)
	}

	var b bytes.Buffer
	if err := after.WriteADSL(&b); err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(&b).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	head := strings.Join(recs[0], ",")
	if !strings.HasSuffix(head, ",EOSDY,DCSREAS,RESCDY") {
		t.Fatalf("adsl.csv header %s, want it to end EOSDY,DCSREAS,RESCDY", head)
	}
	for k, rec := range recs[1:] {
		s := &after.Subjects[k]
		n := len(rec)
		if want := []string{FormatDay(s.Censor), s.DropoutReason, FormatDay(s.RescueDay)}; fmt.Sprint(rec[n-3:]) != fmt.Sprint(want) {
			t.Fatalf("%s: EOSDY, DCSREAS, RESCDY = %q, want %q", s.USUBJID, rec[n-3:], want)
		}
	}
	b.Reset()
	if err := before.WriteADSL(&b); err != nil {
		t.Fatal(err)
	}
	if head, _, _ := strings.Cut(b.String(), "\n"); strings.Contains(head, "RESCDY") {
		t.Errorf("adsl.csv without rescue has a RESCDY column: %s", head)
	}
}

func TestDropoutReasonsAndRescueErrors(t *testing.T) {
	const at = "    dropout: {exponential: {median_days: 60}}\n"
	for _, test := range []struct {
		name, add string
		want      string
	}{
		{"shares above 1", "    dropout_reasons: {lack_of_efficacy: 0.7, adverse_event: 0.4}\n", "line 28: cohort 2 dropout_reasons"},
		{"negative share", "    dropout_reasons: {adverse_event: -0.1}\n", "line 28: cohort 2 dropout_reasons"},
		{"rescue fraction", "    rescue: {fraction: 1.5, time: {fixed: {days: 3}}}\n", "line 28: cohort 2 rescue.fraction 1.5"},
		{"rescue without time", "    rescue: {fraction: 0.5}\n", "line 28: cohort 2 rescue.time is missing"},
		{"rescue bad time", "    rescue: {fraction: 0.5, time: {exponential: {median_days: -1}}}\n", "cohort 2 rescue.time"},
		{"rescue origin", "    rescue: {fraction: 0.5, time: {fixed: {days: 3}}, origin_day: -2}\n", "cohort 2 rescue.origin_day -2"},
		{"unknown key", "    rescue: {fraction: 0.5, time: {fixed: {days: 3}}, start: 2}\n", "line 28: field start not found"},
	} {
		_, err := ParseScenario("toy.yaml", []byte(strings.Replace(goodScenario, at, at+test.add, 1)))
		if err == nil || !strings.Contains(err.Error(), test.want) {
			t.Errorf("%s: error %v, want it to contain %q", test.name, err, test.want)
		}
	}
	// dropout_reasons need a dropout process (cohort 1 has none).
	bad := strings.Replace(goodScenario, "    relapse: {origin_day: 1,", "    dropout_reasons: {adverse_event: 0.5}\n    relapse: {origin_day: 1,", 1)
	if _, err := ParseScenario("toy.yaml", []byte(bad)); err == nil || !strings.Contains(err.Error(), "cohort 1 dropout_reasons: needs dropout") {
		t.Errorf("dropout_reasons without dropout: error %v", err)
	}
}
