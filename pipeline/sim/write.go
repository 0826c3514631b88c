package sim

import (
	"encoding/csv"
	"fmt"
	"io"
	"math"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/ketcurves/ketcurves/pipeline/atomicfile"
)

// File names written by WriteFiles.
const (
	ADSLFile   = "adsl.csv"
	ADQSFile   = "adqs.csv"
	ADCEFile   = "adce.csv"
	LatentFile = "adtte_latent.csv"
)

// HasClinicalEvents reports whether the scenario simulates qualifying
// clinical events (and WriteFiles writes adce.csv).
func (r *Result) HasClinicalEvents() bool {
	for _, c := range r.Scenario.Cohorts {
		if c.RelapseEvents != nil {
			return true
		}
	}
	return false
}

// WriteADCE writes the qualifying clinical events observed during
// follow-up (relapse day <= censoring day): STUDYID, USUBJID, ADY, CETERM.
func (r *Result) WriteADCE(w io.Writer) error {
	cw := csv.NewWriter(w)
	if err := cw.Write([]string{"STUDYID", "USUBJID", "ADY", "CETERM"}); err != nil {
		return err
	}
	for i := range r.Subjects {
		s := &r.Subjects[i]
		if s.RelapseEvent == "" || s.Relapse > s.Censor {
			continue
		}
		if err := cw.Write([]string{r.Scenario.StudyID, s.USUBJID, FormatDay(s.Relapse), s.RelapseEvent}); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// FormatDay formats a study day with six decimals, trailing zeros removed
// (40 min = 0.027778, 2 h = 0.083333, day 7 = 7). +Inf is formatted as "".
func FormatDay(d float64) string {
	if math.IsInf(d, 0) || math.IsNaN(d) {
		return ""
	}
	s := strconv.FormatFloat(d, 'f', 6, 64)
	s = strings.TrimRight(s, "0")
	s = strings.TrimSuffix(s, ".")
	if s == "-0" {
		s = "0"
	}
	return s
}

// stratified reports whether the scenario has strata.
func (r *Result) stratified() bool { return r.Scenario.Cohorts[0].Stratum != "" }

// HasRescue reports whether the scenario simulates rescue medication (and
// adsl.csv has a RESCDY column).
func (r *Result) HasRescue() bool {
	for _, c := range r.Scenario.Cohorts {
		if c.Rescue != nil {
			return true
		}
	}
	return false
}

// WriteADSL writes one row per subject: STUDYID, USUBJID, TRT01P, [STRATUM],
// AGE, SEX, [DIAG], BASE<paramcd>, [RANDDY], EOSDY, DCSREAS, [RESCDY].
// EOSDY is the last day of participation, min(dropout, end of follow-up);
// DCSREAS is empty for a subject followed to the end, else the dropout's
// reason (Subject.DropoutReason); RESCDY, written when a cohort has rescue,
// is the rescue day or empty.
func (r *Result) WriteADSL(w io.Writer) error {
	sc := r.Scenario
	cw := csv.NewWriter(w)
	head := []string{"STUDYID", "USUBJID", "TRT01P"}
	if r.stratified() {
		head = append(head, "STRATUM")
	}
	head = append(head, "AGE", "SEX")
	if sc.Diagnosis != "" {
		head = append(head, "DIAG")
	}
	head = append(head, "BASE"+sc.Scale.Paramcd)
	if sc.RandomizationDay != nil {
		head = append(head, "RANDDY")
	}
	head = append(head, "EOSDY", "DCSREAS")
	rescue := r.HasRescue()
	if rescue {
		head = append(head, "RESCDY")
	}
	if err := cw.Write(head); err != nil {
		return err
	}
	for i := range r.Subjects {
		s := &r.Subjects[i]
		row := []string{sc.StudyID, s.USUBJID, s.Arm}
		if r.stratified() {
			row = append(row, s.Stratum)
		}
		row = append(row, strconv.Itoa(s.Age), s.Sex)
		if sc.Diagnosis != "" {
			row = append(row, sc.Diagnosis)
		}
		row = append(row, strconv.Itoa(s.Baseline))
		if sc.RandomizationDay != nil {
			row = append(row, FormatDay(*sc.RandomizationDay))
		}
		row = append(row, FormatDay(s.Censor), s.DropoutReason)
		if rescue {
			row = append(row, FormatDay(s.RescueDay))
		}
		if err := cw.Write(row); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// WriteADQS writes the visit-level scores: STUDYID, USUBJID, PARAMCD, AVISIT, ADY, AVAL.
func (r *Result) WriteADQS(w io.Writer) error {
	cw := csv.NewWriter(w)
	if err := cw.Write([]string{"STUDYID", "USUBJID", "PARAMCD", "AVISIT", "ADY", "AVAL"}); err != nil {
		return err
	}
	for _, rec := range r.Records {
		row := []string{r.Scenario.StudyID, r.Subjects[rec.Subject].USUBJID, rec.Paramcd, rec.Visit,
			FormatDay(rec.Day), strconv.FormatFloat(rec.Value, 'f', rec.Decimals, 64)}
		if err := cw.Write(row); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// LatentRow is one row of adtte_latent.csv.
type LatentRow struct {
	Subject  int // index into Result.Subjects
	Paramcd  string
	StartDay float64 // study day of the endpoint's time origin (STARTDY)
	AVAL     float64 // days from StartDay to the event or censoring
	CNSR     int     // 0 event, 1 censored
	EvntDesc string
	CnsDesc  string
}

// Latent returns the true event and censoring times of every endpoint of the
// scenario, one row per subject at risk and endpoint, ordered by subject and
// then by endpoint in scenario order:
//
//	TTRESP, TTREMIT: every subject, origin day 0;
//	TTRELAPSE: subjects whose relapse origin max(response, origin_day) falls
//	           before their censoring day and, in a cohort with
//	           nonresponder_exit_day d, who attend day d in response (only
//	           they are followed for relapse: a responder who relapses
//	           before d is a non-responder at d); AVAL counted from that
//	           origin;
//	TTSIRES: subjects with suicidal ideation at baseline, origin day 0.
//
// An event is observed (CNSR 0) if its latent time is <= the censoring day
// min(dropout, end of follow-up).
func (r *Result) Latent() []LatentRow {
	var rows []LatentRow
	for i := range r.Subjects {
		s := &r.Subjects[i]
		cns := "END OF FOLLOW-UP"
		if s.Dropout < s.End {
			cns = "DROPOUT"
		}
		add := func(p string, origin, event float64, desc string) {
			row := LatentRow{Subject: i, Paramcd: p, StartDay: origin, EvntDesc: desc}
			if event <= s.Censor {
				row.AVAL = event - origin
			} else {
				row.AVAL, row.CNSR, row.EvntDesc, row.CnsDesc = s.Censor-origin, 1, "", cns
			}
			rows = append(rows, row)
		}
		for _, e := range r.Scenario.Endpoints {
			switch e {
			case TTRESP:
				add(e, 0, s.Response, "LATENT RESPONSE")
			case TTREMIT:
				add(e, 0, s.Remission, "LATENT REMISSION")
			case TTRELAPSE:
				d := r.Scenario.Cohorts[s.Cohort].NonresponderExitDay
				if s.RelapseOrigin < s.Censor && (d == nil || (s.InResponse(*d) && s.Observed(*d))) {
					add(e, s.RelapseOrigin, s.Relapse, "LATENT RELAPSE")
				}
			case TTSIRES:
				if s.SIBaseline {
					add(e, 0, s.SIResolution, "LATENT SI RESOLUTION")
				}
			}
		}
	}
	return rows
}

// WriteLatent writes adtte_latent.csv: STUDYID, USUBJID, TRTP, [STRATUM],
// PARAMCD, STARTDY, AVAL, CNSR, EVNTDESC, CNSDTDSC. These are the true latent
// times; a derivation from adqs.csv sees them only at the next visit.
func (r *Result) WriteLatent(w io.Writer) error {
	cw := csv.NewWriter(w)
	head := []string{"STUDYID", "USUBJID", "TRTP"}
	if r.stratified() {
		head = append(head, "STRATUM")
	}
	head = append(head, "PARAMCD", "STARTDY", "AVAL", "CNSR", "EVNTDESC", "CNSDTDSC")
	if err := cw.Write(head); err != nil {
		return err
	}
	for _, l := range r.Latent() {
		s := &r.Subjects[l.Subject]
		row := []string{r.Scenario.StudyID, s.USUBJID, s.Arm}
		if r.stratified() {
			row = append(row, s.Stratum)
		}
		row = append(row, l.Paramcd, FormatDay(l.StartDay), FormatDay(l.AVAL), strconv.Itoa(l.CNSR), l.EvntDesc, l.CnsDesc)
		if err := cw.Write(row); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// WriteFiles writes adsl.csv, adqs.csv, adce.csv (only when the scenario
// has relapse_events) and adtte_latent.csv into dir, each through
// atomicfile.Write.
func (r *Result) WriteFiles(dir string) error {
	for _, f := range []struct {
		name string
		fill func(io.Writer) error
	}{{ADSLFile, r.WriteADSL}, {ADQSFile, r.WriteADQS}, {ADCEFile, r.WriteADCE}, {LatentFile, r.WriteLatent}} {
		if f.name == ADCEFile && !r.HasClinicalEvents() {
			continue
		}
		if err := atomicfile.Write(filepath.Join(dir, f.name), f.fill); err != nil {
			return fmt.Errorf("could not write simulated %s: %w", f.name, err)
		}
	}
	return nil
}
