package adam

import (
	"fmt"
	"math"
	"strings"

	"github.com/ketcurves/ketcurves/pipeline/study"
)

// ADCE is a validated table of qualifying clinical events (hospitalization,
// suicide attempt, ...) in typed columns, in file order.
type ADCE struct {
	StudyID, USUBJID []string
	CETERM           []string  // the event, e.g. HOSPITALIZATION
	ADY              []float64 // study day of the event
	Line             []int
}

// Len returns the number of events.
func (e *ADCE) Len() int { return len(e.ADY) }

// ReadADCE reads and validates the ADCE CSV file at path: columns STUDYID,
// USUBJID, ADY and CETERM (others are allowed and ignored). ADY must be a
// finite number and CETERM must not be empty. With a study, STUDYID must
// match; with subjects (from ADSL), every USUBJID must be among them. Any
// CETERM is accepted: which terms count is the derivation plan's business
// (relapse.clinical_events in study.yaml).
//
// Unlike the other files, a header without data rows is valid: it says
// that no qualifying event occurred.
func ReadADCE(path string, s *study.Study, subjects map[string]bool) (*ADCE, *Report, error) {
	return ReadADCEWith(path, Options{Study: s, Subjects: subjects})
}

// readADCE is ReadADCE with a choice of reader (for tests).
func readADCE(path string, s *study.Study, subjects map[string]bool, reader Reader) (*ADCE, *Report, error) {
	return ReadADCEWith(path, Options{Study: s, Subjects: subjects, Reader: reader})
}

// ReadADCEWith is ReadADCE with options: opt.Study and opt.Subjects as
// ReadADCE's s and subjects, and the file's format (by extension: CSV,
// .xpt, .json, .ndjson), encoding, XPT member and CSV reader.
func ReadADCEWith(path string, opt Options) (*ADCE, *Report, error) {
	s, subjects := opt.Study, opt.Subjects
	e := &ADCE{}
	in := interner{}
	cfg := opt.config("ADCE")
	cfg.headerOnly = true
	rep, err := readTable(path, cfg, func(cols columns) (rowFunc, error) {
		if err := requireColumns(cols, "ADCE", "STUDYID", "USUBJID", "ADY", "CETERM"); err != nil {
			return nil, err
		}
		cStudy, cSubj, cDay, cTerm := cols.col("STUDYID"), cols.col("USUBJID"), cols.col("ADY"), cols.col("CETERM")
		return func(line int, rec []string) *Problem {
			id := strings.TrimSpace(rec[cStudy])
			subj := strings.TrimSpace(rec[cSubj])
			term := strings.TrimSpace(rec[cTerm])
			if p := checkStudy(s, id); p != nil {
				return p
			}
			if subj == "" {
				return &Problem{Column: "USUBJID", Reason: "USUBJID is empty: every event needs its subject identifier", Fatal: true}
			}
			if subjects != nil && !subjects[subj] {
				return &Problem{Column: "USUBJID", Value: subj, Reason: fmt.Sprintf("subject %s is not in ADSL: add the subject to adsl.csv or remove the row", subj), Fatal: true}
			}
			dayS := strings.TrimSpace(rec[cDay])
			day, err := parseNumber(dayS)
			if err != nil || math.IsNaN(day) || math.IsInf(day, 0) {
				return &Problem{Column: "ADY", Value: dayS, Reason: fmt.Sprintf("ADY %q is not a finite number: give the study day of the event (day 0 = first dose; fractions allowed)", dayS), Fatal: true}
			}
			if term == "" {
				return &Problem{Column: "CETERM", Reason: "CETERM is empty: every event needs its term, e.g. HOSPITALIZATION or SUICIDE_ATTEMPT; remove the row if no event occurred", Fatal: true}
			}
			e.StudyID = append(e.StudyID, in.get(id))
			e.USUBJID = append(e.USUBJID, in.get(subj))
			e.CETERM = append(e.CETERM, in.get(term))
			e.ADY = append(e.ADY, day)
			e.Line = append(e.Line, line)
			return nil
		}, nil
	}, nil)
	if err != nil && (rep == nil || rep.RowsRead == 0) {
		return nil, rep, err
	}
	return e, rep, err
}
