package adam

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/ketcurves/ketcurves/pipeline/study"
)

// numericADSL are optional ADSL columns that must be numbers when present
// and not empty.
var numericADSL = []string{"AGE", "BASEMADRS", "RANDDY", "EOSDY", "RESCDY"}

// ADSL is a validated subject-level table: one entry per subject, in file order.
type ADSL struct {
	StudyID, USUBJID, TRT01P []string
	Line                     []int
	// RANDDY, EOSDY and RESCDY are the study days of randomization, of the
	// end of participation and of the start of rescue medication: finite,
	// NaN when the cell is empty or the file has no such column.
	RANDDY, EOSDY, RESCDY []float64
	// DCSREAS is the discontinuation reason (trimmed): empty when the
	// subject completed or the file has no DCSREAS column.
	DCSREAS []string
	// Extra holds every other column by name, as raw strings (trimmed),
	// including RANDDY, EOSDY, RESCDY and DCSREAS.
	Extra      map[string][]string
	ExtraNames []string
	// Rejected maps the USUBJID of each row rejected for a fatal problem of
	// another column (an unknown arm, a bad number, another STUDYID) to its
	// line: the subject is in the file, its row is wrong.
	Rejected map[string]int
}

// Len returns the number of subjects.
func (a *ADSL) Len() int { return len(a.USUBJID) }

// Subjects returns the set of USUBJIDs.
func (a *ADSL) Subjects() map[string]bool {
	m := make(map[string]bool, len(a.USUBJID))
	for _, s := range a.USUBJID {
		m[s] = true
	}
	return m
}

// Listed returns the set of USUBJIDs that adsl.csv lists: Subjects and
// the subjects of rows in Rejected. Other files are checked against it, so
// that a subject whose ADSL row has a fatal problem is reported once, at
// that row, and not again at each of its rows elsewhere.
func (a *ADSL) Listed() map[string]bool {
	m := a.Subjects()
	for s := range a.Rejected {
		m[s] = true
	}
	return m
}

// Index returns a map from USUBJID to row.
func (a *ADSL) Index() map[string]int {
	m := make(map[string]int, len(a.USUBJID))
	for i, s := range a.USUBJID {
		m[s] = i
	}
	return m
}

// Float returns the numeric column name for row i; ok is false when the
// column is absent or the cell is empty. Values were validated on reading.
func (a *ADSL) Float(name string, i int) (v float64, ok bool) {
	col, has := a.Extra[name]
	if !has || col[i] == "" {
		return 0, false
	}
	v, err := parseNumber(col[i])
	return v, err == nil
}

// ReadADSL reads and validates the ADSL CSV file at path. With a study,
// STUDYID must match and TRT01P must be one of its arms. A USUBJID may
// appear once. AGE, BASEMADRS, RANDDY, EOSDY and RESCDY, when present and
// not empty, must be finite numbers.
func ReadADSL(path string, s *study.Study) (*ADSL, *Report, error) {
	return ReadADSLWith(path, Options{Study: s})
}

// readADSL is ReadADSL with a choice of reader (for tests).
func readADSL(path string, s *study.Study, reader Reader) (*ADSL, *Report, error) {
	return ReadADSLWith(path, Options{Study: s, Reader: reader})
}

// ReadADSLWith is ReadADSL with options: opt.Study as ReadADSL's s, and
// the file's format (by extension: CSV, .xpt, .json, .ndjson), encoding,
// XPT member and CSV reader. opt.Subjects is not used.
func ReadADSLWith(path string, opt Options) (*ADSL, *Report, error) {
	s := opt.Study
	a := &ADSL{Extra: map[string][]string{}, Rejected: map[string]int{}}
	in := interner{}
	seen := map[string]int{}
	rep, err := readTable(path, opt.config("ADSL"), func(cols columns) (rowFunc, error) {
		if err := requireColumns(cols, "ADSL", "STUDYID", "USUBJID", "TRT01P"); err != nil {
			return nil, err
		}
		cStudy, cSubj, cArm := cols.col("STUDYID"), cols.col("USUBJID"), cols.col("TRT01P")
		cRand, cEnd, cResc, cDisc := cols.col("RANDDY"), cols.col("EOSDY"), cols.col("RESCDY"), cols.col("DCSREAS")
		// day is the typed value of an optional day column, validated
		// below: NaN when absent or empty.
		day := func(rec []string, c int) float64 {
			if c < 0 {
				return math.NaN()
			}
			v := strings.TrimSpace(rec[c])
			if v == "" {
				return math.NaN()
			}
			f, _ := parseNumber(v)
			return f
		}
		var extra []int
		for i, name := range cols.names {
			if i != cStudy && i != cSubj && i != cArm {
				extra = append(extra, i)
				a.ExtraNames = append(a.ExtraNames, name)
				a.Extra[name] = []string{}
			}
		}
		check := func(line int, rec []string) *Problem {
			id := strings.TrimSpace(rec[cStudy])
			subj := strings.TrimSpace(rec[cSubj])
			arm := strings.TrimSpace(rec[cArm])
			if p := checkStudy(s, id); p != nil {
				return p
			}
			if subj == "" {
				return &Problem{Column: "USUBJID", Reason: "USUBJID is empty: every subject needs an identifier", Fatal: true}
			}
			if prev, dup := seen[subj]; dup {
				return &Problem{Column: "USUBJID", Value: subj, Reason: fmt.Sprintf("subject %s already appears at %s: ADSL has one row per subject", subj, cols.place(prev)), Fatal: true}
			}
			if arm == "" {
				return &Problem{Column: "TRT01P", Reason: "TRT01P is empty: every subject needs a planned arm", Fatal: true}
			}
			if s != nil {
				if _, ok := s.Arm(arm); !ok {
					return &Problem{Column: "TRT01P", Value: arm, Reason: fmt.Sprintf("unknown arm %q: study.yaml declares %s; fix the value or add the arm to study.yaml", arm, strings.Join(s.ArmNames(), ", ")), Fatal: true}
				}
			}
			for _, j := range extra {
				name := cols.names[j]
				if !slices.Contains(numericADSL, name) {
					continue
				}
				v := strings.TrimSpace(rec[j])
				if v == "" {
					continue
				}
				f, err := parseNumber(v)
				if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
					return &Problem{Column: name, Value: v, Reason: fmt.Sprintf("%s %q is not a finite number: give a number or leave the cell empty when unknown", name, v), Fatal: true}
				}
			}
			seen[subj] = line
			a.StudyID = append(a.StudyID, in.get(id))
			a.USUBJID = append(a.USUBJID, strings.Clone(subj))
			a.TRT01P = append(a.TRT01P, in.get(arm))
			a.Line = append(a.Line, line)
			a.RANDDY = append(a.RANDDY, day(rec, cRand))
			a.EOSDY = append(a.EOSDY, day(rec, cEnd))
			a.RESCDY = append(a.RESCDY, day(rec, cResc))
			disc := ""
			if cDisc >= 0 {
				disc = in.get(strings.TrimSpace(rec[cDisc]))
			}
			a.DCSREAS = append(a.DCSREAS, disc)
			for _, j := range extra {
				name := cols.names[j]
				a.Extra[name] = append(a.Extra[name], in.get(strings.TrimSpace(rec[j])))
			}
			return nil
		}
		return func(line int, rec []string) *Problem {
			p := check(line, rec)
			if subj := strings.TrimSpace(rec[cSubj]); p != nil && p.Fatal && subj != "" && p.Column != "USUBJID" {
				if _, ok := a.Rejected[subj]; !ok {
					a.Rejected[subj] = line
				}
			}
			return p
		}, nil
	}, nil)
	if err != nil && (rep == nil || rep.RowsRead == 0) {
		return nil, rep, err
	}
	return a, rep, err
}

// ADQS is a validated visit-level score table in typed columns, in file order.
type ADQS struct {
	StudyID, USUBJID, PARAMCD []string
	AVISIT                    []string // empty strings when the file has no AVISIT column
	ADY                       []float64
	AVAL                      []float64
	Line                      []int
	// Missed holds the rows rejected, non-fatally, for an empty AVAL: the
	// missed assessments, valid in every other column. They are not scores,
	// but a derivation rule may need to know that a visit was missed
	// (pipeline/derive, `missing: break`).
	Missed MissedADQS
}

// MissedADQS are the missed assessments of an ADQS file (rows with an
// empty AVAL), in typed columns, in file order.
type MissedADQS struct {
	USUBJID, PARAMCD, AVISIT []string
	ADY                      []float64
	Line                     []int
}

// Len returns the number of rows.
func (q *ADQS) Len() int { return len(q.ADY) }

// ReadADQS reads and validates the ADQS CSV file at path. ADY must be a
// finite number (negative before the first dose); AVAL must be a finite
// number; a row with an empty AVAL (a missed assessment) is rejected
// non-fatally and kept in Missed when the rest of the row is valid. With
// subjects (from ADSL), every USUBJID must be among them.
func ReadADQS(path string, s *study.Study, subjects map[string]bool) (*ADQS, *Report, error) {
	return ReadADQSWith(path, Options{Study: s, Subjects: subjects})
}

// readADQS is ReadADQS with a choice of reader (for tests).
func readADQS(path string, s *study.Study, subjects map[string]bool, reader Reader) (*ADQS, *Report, error) {
	return ReadADQSWith(path, Options{Study: s, Subjects: subjects, Reader: reader})
}

// ReadADQSWith is ReadADQS with options: opt.Study and opt.Subjects as
// ReadADQS's s and subjects, opt.ScoreRanges (nil: ScoreRanges), and the
// file's format (by extension: CSV, .xpt, .json, .ndjson), encoding, XPT
// member and CSV reader.
func ReadADQSWith(path string, opt Options) (*ADQS, *Report, error) {
	s, subjects := opt.Study, opt.Subjects
	ranges := opt.ScoreRanges
	if ranges == nil {
		ranges = ScoreRanges
	}
	q := &ADQS{}
	in := interner{}
	rep, err := readTable(path, opt.config("ADQS"), func(cols columns) (rowFunc, error) {
		if err := requireColumns(cols, "ADQS", "STUDYID", "USUBJID", "PARAMCD", "ADY", "AVAL"); err != nil {
			return nil, err
		}
		cStudy, cSubj, cParam := cols.col("STUDYID"), cols.col("USUBJID"), cols.col("PARAMCD")
		cVisit, cDay, cVal := cols.col("AVISIT"), cols.col("ADY"), cols.col("AVAL")
		return func(line int, rec []string) *Problem {
			id := strings.TrimSpace(rec[cStudy])
			subj := strings.TrimSpace(rec[cSubj])
			param := strings.TrimSpace(rec[cParam])
			if p := checkStudy(s, id); p != nil {
				return p
			}
			if subj == "" {
				return &Problem{Column: "USUBJID", Reason: "USUBJID is empty: every row needs its subject identifier", Fatal: true}
			}
			if subjects != nil && !subjects[subj] {
				return &Problem{Column: "USUBJID", Value: subj, Reason: fmt.Sprintf("subject %s is not in ADSL: add the subject to adsl.csv or remove the row", subj), Fatal: true}
			}
			if param == "" {
				return &Problem{Column: "PARAMCD", Reason: "PARAMCD is empty: every row needs its parameter code (e.g. MADRS)", Fatal: true}
			}
			dayS := strings.TrimSpace(rec[cDay])
			day, err := parseNumber(dayS)
			if err != nil || math.IsNaN(day) || math.IsInf(day, 0) {
				return &Problem{Column: "ADY", Value: dayS, Reason: fmt.Sprintf("ADY %q is not a finite number: give the study day of the assessment (fractions allowed: 40 min = 0.02778)", dayS), Fatal: true}
			}
			visit := ""
			if cVisit >= 0 {
				visit = in.get(strings.TrimSpace(rec[cVisit]))
			}
			valS := strings.TrimSpace(rec[cVal])
			if valS == "" {
				m := &q.Missed
				m.USUBJID = append(m.USUBJID, in.get(subj))
				m.PARAMCD = append(m.PARAMCD, in.get(param))
				m.AVISIT = append(m.AVISIT, visit)
				m.ADY = append(m.ADY, day)
				m.Line = append(m.Line, line)
				return &Problem{Column: "AVAL", Reason: "AVAL is empty: the assessment was missed; the row was not used"}
			}
			val, err := parseNumber(valS)
			if err != nil || math.IsNaN(val) || math.IsInf(val, 0) {
				return &Problem{Column: "AVAL", Value: valS, Reason: fmt.Sprintf("AVAL %q is not a finite number: give the score, or leave the cell empty for a missed assessment", valS), Fatal: true}
			}
			if p := checkScore(ranges, param, val, valS); p != nil {
				return p
			}
			q.StudyID = append(q.StudyID, in.get(id))
			q.USUBJID = append(q.USUBJID, in.get(subj))
			q.PARAMCD = append(q.PARAMCD, in.get(param))
			q.AVISIT = append(q.AVISIT, visit)
			q.ADY = append(q.ADY, day)
			q.AVAL = append(q.AVAL, val)
			q.Line = append(q.Line, line)
			return nil
		}, nil
	}, nil)
	if err != nil && (rep == nil || rep.RowsRead == 0) {
		return nil, rep, err
	}
	return q, rep, err
}
