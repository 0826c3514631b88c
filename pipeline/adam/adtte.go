package adam

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/ketcurves/ketcurves/pipeline/study"
)

// ADTTE columns the reader interprets. Any other column is kept as a raw
// string column (a covariate or traceability column).
var adtteColumns = []string{"STUDYID", "USUBJID", "TRTP", "PARAMCD", "AVAL", "CNSR", "ENTRY", "EVNTDESC", "CNSDTDSC"}

// ADTTE is a validated time-to-event table in typed columns: one entry per
// accepted row, in file order.
type ADTTE struct {
	StudyID, USUBJID, TRTP, PARAMCD []string
	AVAL                            []float64 // days from the time origin
	Event                           []bool    // CNSR == 0
	Entry                           []float64 // delayed-entry time; nil when the file has no ENTRY column
	EvntDesc, CnsDtDsc              []string  // nil when the file has no such column
	Line                            []int     // line in the source file

	// Extra holds every other column by name, as raw strings.
	Extra map[string][]string
	// ExtraNames lists the Extra columns in file order.
	ExtraNames []string
}

// Len returns the number of rows.
func (t *ADTTE) Len() int { return len(t.AVAL) }

// Options control the validation of an ADTTE file.
type Options struct {
	// Study, when not nil, restricts STUDYID to Study.ID, TRTP to its arms
	// and PARAMCD to its endpoints (undeclared endpoints are rejected,
	// non-fatally).
	Study *study.Study
	// Subjects, when not nil, is the set of USUBJIDs of ADSL; a subject not
	// in it is a fatal problem.
	Subjects map[string]bool
	// Reader selects the CSV parser; the zero value chooses by file size.
	Reader Reader
}

// ReadADTTE reads and validates the ADTTE CSV file at path.
//
// It returns the accepted rows, the report of the file (with every rejected
// row) and an error if the file cannot be used; the error wraps ErrInvalid
// and names the file, line and column of the first fatal problem. When the
// error comes from fatal rows, the accepted rows are still returned so that
// other files can be checked against them.
func ReadADTTE(path string, opt Options) (*ADTTE, *Report, error) {
	t := &ADTTE{Extra: map[string][]string{}}
	in := interner{}
	seen := map[[2]string]int{} // (USUBJID, PARAMCD) -> line
	rep, err := readTable(path, opt.Reader, func(cols columns) (rowFunc, error) {
		if err := requireColumns(cols, "ADTTE", "STUDYID", "USUBJID", "TRTP", "PARAMCD", "AVAL", "CNSR"); err != nil {
			return nil, err
		}
		cStudy, cSubj, cArm, cParam := cols.col("STUDYID"), cols.col("USUBJID"), cols.col("TRTP"), cols.col("PARAMCD")
		cAval, cCnsr, cEntry := cols.col("AVAL"), cols.col("CNSR"), cols.col("ENTRY")
		cEvnt, cCns := cols.col("EVNTDESC"), cols.col("CNSDTDSC")
		if cEntry >= 0 {
			t.Entry = []float64{}
		}
		if cEvnt >= 0 {
			t.EvntDesc = []string{}
		}
		if cCns >= 0 {
			t.CnsDtDsc = []string{}
		}
		var extra []int
		for i, name := range cols.names {
			if !slices.Contains(adtteColumns, name) {
				extra = append(extra, i)
				t.ExtraNames = append(t.ExtraNames, name)
				t.Extra[name] = []string{}
			}
		}
		return func(line int, rec []string) *Problem {
			studyID := strings.TrimSpace(rec[cStudy])
			subj := strings.TrimSpace(rec[cSubj])
			arm := strings.TrimSpace(rec[cArm])
			param := strings.TrimSpace(rec[cParam])
			if p := checkStudy(opt.Study, studyID); p != nil {
				return p
			}
			if subj == "" {
				return &Problem{Column: "USUBJID", Reason: "USUBJID is empty: every row needs its subject identifier", Fatal: true}
			}
			if opt.Subjects != nil && !opt.Subjects[subj] {
				return &Problem{Column: "USUBJID", Value: subj, Reason: fmt.Sprintf("subject %s is not in ADSL: add the subject to adsl.csv or remove the row", subj), Fatal: true}
			}
			if arm == "" {
				return &Problem{Column: "TRTP", Reason: "TRTP is empty: every row needs its planned treatment arm", Fatal: true}
			}
			if opt.Study != nil {
				if _, ok := opt.Study.Arm(arm); !ok {
					return &Problem{Column: "TRTP", Value: arm, Reason: fmt.Sprintf("unknown arm %q: study.yaml declares %s; fix the value or add the arm to study.yaml", arm, strings.Join(opt.Study.ArmNames(), ", ")), Fatal: true}
				}
			}
			if param == "" {
				return &Problem{Column: "PARAMCD", Reason: "PARAMCD is empty: every row needs its endpoint code", Fatal: true}
			}
			if opt.Study != nil {
				if _, ok := opt.Study.Endpoint(param); !ok {
					return &Problem{Column: "PARAMCD", Value: param, Reason: fmt.Sprintf("endpoint %q is not declared in study.yaml: the row was not analysed; declare it under endpoints to analyse it", param)}
				}
			}
			aval, p := parseTime(rec[cAval], "AVAL")
			if p != nil {
				return p
			}
			cnsr := strings.TrimSpace(rec[cCnsr])
			if cnsr != "0" && cnsr != "1" {
				return &Problem{Column: "CNSR", Value: cnsr, Reason: fmt.Sprintf("CNSR is %q: it must be 0 (event) or 1 (censored), the ADaM convention", cnsr), Fatal: true}
			}
			entry := 0.0
			if cEntry >= 0 {
				if s := strings.TrimSpace(rec[cEntry]); s != "" {
					e, p := parseTime(s, "ENTRY")
					if p != nil {
						return p
					}
					if e >= aval {
						return &Problem{Column: "ENTRY", Value: s, Reason: fmt.Sprintf("ENTRY %s is not before AVAL %s: a subject must enter the risk set before the event or censoring time", s, strings.TrimSpace(rec[cAval])), Fatal: true}
					}
					entry = e
				}
			}
			key := [2]string{subj, param}
			if prev, dup := seen[key]; dup {
				return &Problem{Column: "USUBJID", Value: subj, Reason: fmt.Sprintf("duplicate subject+endpoint: %s %s already appears at line %d; keep one row per subject and PARAMCD", subj, param, prev), Fatal: true}
			}
			seen[key] = line

			t.StudyID = append(t.StudyID, in.get(studyID))
			t.USUBJID = append(t.USUBJID, strings.Clone(subj))
			t.TRTP = append(t.TRTP, in.get(arm))
			t.PARAMCD = append(t.PARAMCD, in.get(param))
			t.AVAL = append(t.AVAL, aval)
			t.Event = append(t.Event, cnsr == "0")
			t.Line = append(t.Line, line)
			if cEntry >= 0 {
				t.Entry = append(t.Entry, entry)
			}
			if cEvnt >= 0 {
				t.EvntDesc = append(t.EvntDesc, in.get(rec[cEvnt]))
			}
			if cCns >= 0 {
				t.CnsDtDsc = append(t.CnsDtDsc, in.get(rec[cCns]))
			}
			for _, j := range extra {
				name := cols.names[j]
				t.Extra[name] = append(t.Extra[name], in.get(strings.TrimSpace(rec[j])))
			}
			return nil
		}, nil
	})
	if err != nil && (rep == nil || rep.RowsRead == 0) {
		return nil, rep, err
	}
	return t, rep, err
}

// checkStudy checks STUDYID against the study.
func checkStudy(s *study.Study, id string) *Problem {
	if id == "" {
		return &Problem{Column: "STUDYID", Reason: "STUDYID is empty: every row needs the study identifier", Fatal: true}
	}
	if s != nil && id != s.ID {
		return &Problem{Column: "STUDYID", Value: id, Reason: fmt.Sprintf("STUDYID %q is not this study's id %q (study.yaml): the row belongs to another study; fix the value or the study id", id, s.ID), Fatal: true}
	}
	return nil
}

// parseTime parses a non-negative finite time in days.
func parseTime(s, col string) (float64, *Problem) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, &Problem{Column: col, Reason: col + " is empty: give the time in days (fractions allowed: 40 min = 0.02778)", Fatal: true}
	}
	v, err := parseNumber(s)
	if err != nil {
		return 0, &Problem{Column: col, Value: s, Reason: fmt.Sprintf("%s %q is not a number: give the time in days as a decimal number (40 min = 0.02778)", col, s), Fatal: true}
	}
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return 0, &Problem{Column: col, Value: s, Reason: fmt.Sprintf("%s %q is not finite: give a finite time in days; censor subjects without an event at their last assessment", col, s), Fatal: true}
	}
	if v < 0 {
		return 0, &Problem{Column: col, Value: s, Reason: fmt.Sprintf("%s %s is negative: times are days from the time origin and cannot be negative", col, s), Fatal: true}
	}
	return v, nil
}
