package adam

import (
	"fmt"
	"hash/maphash"
	"math"
	"slices"
	"strings"

	"github.com/ketcurves/ketcurves/pipeline/order"
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
	Line                            []int     // place in the source file: line (CSV), observation (XPT), row (Dataset-JSON); see Report.Place

	// Extra holds every other column by name, as raw strings.
	Extra map[string][]string
	// ExtraNames lists the Extra columns in file order.
	ExtraNames []string
}

// Len returns the number of rows.
func (t *ADTTE) Len() int { return len(t.AVAL) }

// Options control how a data file is read and validated (ADTTE, ADSL,
// ADQS and ADCE). The zero value reads a file without study checks.
type Options struct {
	// Study, when not nil, restricts STUDYID to Study.ID, the arm (TRTP,
	// TRT01P) to its arms and, in ADTTE, PARAMCD to its endpoints
	// (undeclared endpoints are rejected, non-fatally).
	Study *study.Study
	// Subjects, when not nil, is the set of USUBJIDs of ADSL; a subject not
	// in it is a fatal problem (ADTTE, ADQS, ADCE).
	Subjects map[string]bool
	// Reader selects the CSV parser; the zero value chooses by file size.
	// XPT and Dataset-JSON files have their own decoders.
	Reader Reader
	// Encoding of the text of a CSV or XPT file: UTF8 (the zero value) or
	// Latin1 (see ParseEncoding). Dataset-JSON is always UTF-8.
	Encoding Encoding
	// Member names the member (dataset) of an XPT file to read, compared
	// without regard to case. "" reads the only member or, in a file of
	// several, the one named like the dataset read (ADTTE, ADSL, ADQS,
	// ADCE); otherwise the error lists the members.
	Member string
	// ScoreRanges are the valid ranges of ADQS scores by PARAMCD; nil
	// means ScoreRanges. A study plan adds its instruments to a copy (see
	// WithScoreRanges).
	ScoreRanges map[string]ScoreRange
}

// config returns the read configuration of a file of the dataset.
func (o Options) config(dataset string) readConfig {
	return readConfig{reader: o.Reader, encoding: o.Encoding, member: o.Member, dataset: dataset}
}

// ReadADTTE reads and validates the ADTTE file at path: CSV, or by its
// extension SAS XPORT (.xpt) or Dataset-JSON (.json, .ndjson), whose cells
// go through the same validation (see the package documentation).
//
// It returns the accepted rows, the report of the file (with every rejected
// row) and an error if the file cannot be used; the error wraps ErrInvalid
// and names the file, line and column of the first fatal problem. When the
// error comes from fatal rows, the accepted rows are still returned so that
// other files can be checked against them.
func ReadADTTE(path string, opt Options) (*ADTTE, *Report, error) {
	t := &ADTTE{Extra: map[string][]string{}}
	in := interner{}
	var subjects idArena // USUBJID bytes, made into strings once at the end
	var extra []extraColumn
	place := FormatOf(path).Place
	rep, err := readTable(path, opt.config("ADTTE"), func(cols columns) (rowFunc, error) {
		if err := requireColumns(cols, "ADTTE", "STUDYID", "USUBJID", "TRTP", "PARAMCD", "AVAL", "CNSR"); err != nil {
			return nil, err
		}
		cStudy, cArm, cParam := cols.col("STUDYID"), cols.col("TRTP"), cols.col("PARAMCD")
		cSubj := cols.col("USUBJID")
		cAval, cCnsr, cEntry := cols.col("AVAL"), cols.col("CNSR"), cols.col("ENTRY")
		cEvnt, cCns := cols.col("EVNTDESC"), cols.col("CNSDTDSC")
		n := cols.rowsHint
		t.StudyID, t.TRTP, t.PARAMCD = make([]string, 0, n), make([]string, 0, n), make([]string, 0, n)
		t.AVAL, t.Event, t.Line = make([]float64, 0, n), make([]bool, 0, n), make([]int, 0, n)
		subjects.grow(n)
		if cEntry >= 0 {
			t.Entry = make([]float64, 0, n)
		}
		if cEvnt >= 0 {
			t.EvntDesc = make([]string, 0, n)
		}
		if cCns >= 0 {
			t.CnsDtDsc = make([]string, 0, n)
		}
		// Interned columns remember their last value: long runs of one
		// STUDYID, PARAMCD or arm then cost a string comparison.
		studies, arms, params := in.column(), in.column(), in.column()
		evnts, cnss := in.column(), in.column()
		for i, name := range cols.names {
			if !slices.Contains(adtteColumns, name) {
				extra = append(extra, extraColumn{index: i, vals: make([]string, 0, n), in: in.column()})
				t.ExtraNames = append(t.ExtraNames, name)
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
			// Duplicate subject+endpoint rows are found at the end, by
			// sorting (findDuplicates): no map of a million keys.

			t.StudyID = append(t.StudyID, studies.get(studyID))
			subjects.add(subj)
			t.TRTP = append(t.TRTP, arms.get(arm))
			t.PARAMCD = append(t.PARAMCD, params.get(param))
			t.AVAL = append(t.AVAL, aval)
			t.Event = append(t.Event, cnsr == "0")
			t.Line = append(t.Line, line)
			if cEntry >= 0 {
				t.Entry = append(t.Entry, entry)
			}
			if cEvnt >= 0 {
				t.EvntDesc = append(t.EvntDesc, evnts.get(rec[cEvnt]))
			}
			if cCns >= 0 {
				t.CnsDtDsc = append(t.CnsDtDsc, cnss.get(rec[cCns]))
			}
			for k := range extra {
				e := &extra[k]
				e.vals = append(e.vals, e.in.get(strings.TrimSpace(rec[e.index])))
			}
			return nil
		}, nil
	}, func() []Problem {
		t.USUBJID = subjects.strings()
		for k, name := range t.ExtraNames {
			t.Extra[name] = extra[k].vals
		}
		return findDuplicates(t, keyHasher(t), place)
	})
	if err != nil {
		return nil, rep, err
	}
	return t, rep, nil
}

// extraColumn is an ADTTE column kept as raw strings.
type extraColumn struct {
	index int      // in the record
	vals  []string // accepted values
	in    *lastValue
}

// keyHasher returns a hash of row i's (USUBJID, PARAMCD).
func keyHasher(t *ADTTE) func(i int) uint64 {
	seed := maphash.MakeSeed()
	var h maphash.Hash
	h.SetSeed(seed)
	return func(i int) uint64 {
		h.Reset()
		h.WriteString(t.USUBJID[i])
		h.WriteByte(0)
		h.WriteString(t.PARAMCD[i])
		return h.Sum64()
	}
}

// findDuplicates returns one fatal problem per accepted row whose
// (USUBJID, PARAMCD) already appeared on an earlier accepted row, naming
// that first line, in line order. Instead of a map of a million string
// pairs it sorts the 8-byte hashes of the keys (one O(n log n) sort); only
// rows whose hash occurs more than once are then compared as strings, in
// row order, so a hash collision cannot make a false duplicate.
func findDuplicates(t *ADTTE, hash func(i int) uint64, place func(int) string) []Problem {
	n := t.Len()
	hashes := make([]uint64, n)
	for i := range hashes {
		hashes[i] = hash(i)
	}
	order.Uint64s(hashes)
	repeated := map[uint64][]int{} // hash -> earlier rows with that hash
	for k := 1; k < n; k++ {
		if hashes[k] == hashes[k-1] {
			repeated[hashes[k]] = nil
		}
	}
	if len(repeated) == 0 {
		return nil
	}
	var dups []Problem
	for i := range n {
		h := hash(i)
		rows, ok := repeated[h]
		if !ok {
			continue
		}
		first := -1
		for _, j := range rows {
			if t.USUBJID[j] == t.USUBJID[i] && t.PARAMCD[j] == t.PARAMCD[i] {
				first = j
				break
			}
		}
		if first < 0 {
			repeated[h] = append(rows, i)
			continue
		}
		subj, param := t.USUBJID[i], t.PARAMCD[i]
		dups = append(dups, Problem{Line: t.Line[i], Column: "USUBJID", Value: subj, Reason: fmt.Sprintf("duplicate subject+endpoint: %s %s already appears at %s; keep one row per subject and PARAMCD", subj, param, place(t.Line[first])), Fatal: true})
	}
	return dups
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
