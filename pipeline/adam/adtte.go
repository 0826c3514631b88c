package adam

import (
	"fmt"
	"hash/maphash"
	"math"
	"slices"
	"strings"

	"github.com/ketcurves/ketcurves/pipeline/column"
	"github.com/ketcurves/ketcurves/pipeline/order"
	"github.com/ketcurves/ketcurves/pipeline/study"
)

// ADTTE columns the reader interprets. Any other column is kept as a raw
// string column (a covariate or traceability column).
var adtteColumns = []string{"STUDYID", "USUBJID", "TRTP", "PARAMCD", "AVAL", "CNSR", "ENTRY", "EVNTDESC", "CNSDTDSC"}

// ADTTE is a validated time-to-event table in typed columns: one entry per
// accepted row, in file order.
//
// The text columns but USUBJID are coded (column.Text): a million rows of
// a few arms and endpoints hold a byte a cell, not a string each.
type ADTTE struct {
	StudyID, TRTP, PARAMCD column.Text
	USUBJID                []string
	AVAL                   []float64    // days from the time origin
	Event                  []bool       // CNSR == 0
	Entry                  []float64    // delayed-entry time; nil when the file has no ENTRY column
	EvntDesc, CnsDtDsc     column.Text  // empty (no rows) when the file has no such column
	Line                   column.Lines // place in the source file: line (CSV), observation (XPT), row (Dataset-JSON); see Report.Place

	// Extra holds every other column by name, as trimmed text: all of
	// them, or those Options.KeepColumn keeps.
	Extra map[string]column.Text
	// ExtraNames lists the other columns in file order, kept or not.
	ExtraNames []string
}

// Len returns the number of rows.
func (t *ADTTE) Len() int { return len(t.AVAL) }

// Has reports whether the file has the column name among those beyond the
// interpreted ones (ExtraNames), whether or not its values were kept.
func (t *ADTTE) Has(name string) bool { return slices.Contains(t.ExtraNames, name) }

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
	// KeepColumn, when not nil, says which ADTTE columns beyond those the
	// reader interprets are kept in Extra. The others are still read and
	// validated (field count, encoding) and listed in ExtraNames, but
	// their values are not held: a program that needs a few covariates of
	// a wide file of a million rows then holds only those. nil keeps all.
	KeepColumn func(name string) bool
	// DropSubjects, in ADTTE, drops USUBJID once the duplicate
	// subject+endpoint check is done (USUBJID is then nil): for a program
	// that does not read it, a table of ten million rows does not hold ten
	// million identifiers.
	DropSubjects bool
}

// config returns the read configuration of a file of the dataset.
func (o Options) config(dataset string) readConfig {
	return readConfig{reader: o.Reader, encoding: o.Encoding, member: o.Member, dataset: dataset}
}

// ReadADTTE reads and validates the ADTTE file at path: CSV, or by its
// extension SAS XPORT (.xpt) or Dataset-JSON (.json, .ndjson), whose cells
// go through the same validation (see the package documentation). A large
// CSV file is validated on all cores, block by block, with the same result
// as on one.
//
// It returns the accepted rows, the report of the file (with every rejected
// row) and an error if the file cannot be used; the error wraps ErrInvalid
// and names the file, line and column of the first fatal problem. When the
// error comes from fatal rows, the accepted rows are still returned so that
// other files can be checked against them.
func ReadADTTE(path string, opt Options) (*ADTTE, *Report, error) {
	r := &adtteReader{opt: opt, t: &ADTTE{Extra: map[string]column.Text{}}, in: interner{}}
	cfg := opt.config("ADTTE")
	cfg.batches = &batcher{newBatch: r.newBatch, store: r.storeBatch}
	place := FormatOf(path).Place
	rep, err := readTable(path, cfg, r.header, func() []Problem {
		r.flush()
		t := r.t
		t.USUBJID = r.subjects.strings()
		t.StudyID, t.TRTP, t.PARAMCD = r.studies.Text(), r.arms.Text(), r.params.Text()
		t.EvntDesc, t.CnsDtDsc = r.evnts.Text(), r.cnss.Text()
		for _, e := range r.extra {
			t.Extra[t.ExtraNames[e.name]] = e.vals.Text()
		}
		dups := findDuplicates(t, keyHasher(t), place)
		if opt.DropSubjects {
			t.USUBJID = nil
		}
		return dups
	})
	if err != nil {
		return nil, rep, err
	}
	return r.t, rep, nil
}

// adtteReader reads the rows of one ADTTE file into its table.
type adtteReader struct {
	opt      Options
	t        *ADTTE
	in       interner
	subjects idArena // USUBJID bytes, made into strings once at the end
	col      adtteColumnIndex
	extra    []extraColumn // the kept extra columns
	// The coded text columns being built.
	studies, arms, params, evnts, cnss column.Builder
	// pending holds the rows validated one by one (row) until stored in
	// runs of pendingRows, as the blocks of the parallel reader are.
	pending *adtteBatch
}

// pendingRows is the number of rows row keeps before storing them.
const pendingRows = 4096

// adtteColumnIndex holds the record index of each interpreted column, -1
// when absent (ENTRY, EVNTDESC, CNSDTDSC).
type adtteColumnIndex struct {
	study, subj, arm, param, aval, cnsr, entry, evnt, cns int
}

// extraColumn is a kept ADTTE column held as raw strings.
type extraColumn struct {
	index int            // in the record
	name  int            // in ExtraNames
	vals  column.Builder // accepted values
}

// adtteRow is one validated row; its strings are substrings of the
// record.
type adtteRow struct {
	study, subj, arm, param, evnt, cns string
	aval, entry                        float64
	event                              bool
}

// header checks the columns, allocates the table and returns the row
// function.
func (r *adtteReader) header(cols columns) (rowFunc, error) {
	if err := requireColumns(cols, "ADTTE", "STUDYID", "USUBJID", "TRTP", "PARAMCD", "AVAL", "CNSR"); err != nil {
		return nil, err
	}
	r.col = adtteColumnIndex{
		study: cols.col("STUDYID"), subj: cols.col("USUBJID"), arm: cols.col("TRTP"), param: cols.col("PARAMCD"),
		aval: cols.col("AVAL"), cnsr: cols.col("CNSR"), entry: cols.col("ENTRY"),
		evnt: cols.col("EVNTDESC"), cns: cols.col("CNSDTDSC"),
	}
	t, n := r.t, cols.rowsHint
	for _, b := range []*column.Builder{&r.studies, &r.arms, &r.params} {
		b.Grow(n)
	}
	t.AVAL, t.Event = make([]float64, 0, n), make([]bool, 0, n)
	r.subjects.grow(n)
	if r.col.entry >= 0 {
		t.Entry = make([]float64, 0, n)
	}
	if r.col.evnt >= 0 {
		r.evnts.Grow(n)
	}
	if r.col.cns >= 0 {
		r.cnss.Grow(n)
	}
	for i, name := range cols.names {
		if slices.Contains(adtteColumns, name) {
			continue
		}
		if r.opt.KeepColumn == nil || r.opt.KeepColumn(name) {
			e := extraColumn{index: i, name: len(t.ExtraNames)}
			e.vals.Grow(n)
			r.extra = append(r.extra, e)
		}
		t.ExtraNames = append(t.ExtraNames, name)
	}
	return r.row, nil
}

// row validates and stores one row, on the reader's goroutine.
// row validates one row on the reader's goroutine (the readers without
// blocks: gota, XPT, Dataset-JSON, and the streaming reader after a
// malformed record); the rows are stored in runs by the batch code.
func (r *adtteReader) row(line int, rec []string) *Problem {
	if r.pending == nil {
		r.pending = r.newBatch().(*adtteBatch)
	}
	if p := r.pending.row(line, rec); p != nil {
		return p
	}
	if len(r.pending.line) >= pendingRows {
		r.flush()
	}
	return nil
}

// flush stores the rows row holds.
func (r *adtteReader) flush() {
	if r.pending != nil {
		r.storeBatch(r.pending)
		r.pending.reset()
	}
}

// parse validates one record. It only reads the reader's options and
// column indices, so records may be parsed concurrently.
func (r *adtteReader) parse(rec []string) (adtteRow, *Problem) {
	opt, c := r.opt, r.col
	v := adtteRow{
		study: strings.TrimSpace(rec[c.study]), subj: strings.TrimSpace(rec[c.subj]),
		arm: strings.TrimSpace(rec[c.arm]), param: strings.TrimSpace(rec[c.param]),
	}
	if p := checkStudy(opt.Study, v.study); p != nil {
		return v, p
	}
	if v.subj == "" {
		return v, &Problem{Column: "USUBJID", Reason: "USUBJID is empty: every row needs its subject identifier", Fatal: true}
	}
	if opt.Subjects != nil && !opt.Subjects[v.subj] {
		return v, &Problem{Column: "USUBJID", Value: v.subj, Reason: fmt.Sprintf("subject %s is not in ADSL: add the subject to adsl.csv or remove the row", v.subj), Fatal: true}
	}
	if v.arm == "" {
		return v, &Problem{Column: "TRTP", Reason: "TRTP is empty: every row needs its planned treatment arm", Fatal: true}
	}
	if opt.Study != nil {
		if _, ok := opt.Study.Arm(v.arm); !ok {
			return v, &Problem{Column: "TRTP", Value: v.arm, Reason: fmt.Sprintf("unknown arm %q: study.yaml declares %s; fix the value or add the arm to study.yaml", v.arm, strings.Join(opt.Study.ArmNames(), ", ")), Fatal: true}
		}
	}
	if v.param == "" {
		return v, &Problem{Column: "PARAMCD", Reason: "PARAMCD is empty: every row needs its endpoint code", Fatal: true}
	}
	if opt.Study != nil {
		if _, ok := opt.Study.Endpoint(v.param); !ok {
			return v, &Problem{Column: "PARAMCD", Value: v.param, Reason: fmt.Sprintf("endpoint %q is not declared in study.yaml: the row was not analysed; declare it under endpoints to analyse it", v.param)}
		}
	}
	var p *Problem
	if v.aval, p = parseTime(rec[c.aval], "AVAL"); p != nil {
		return v, p
	}
	cnsr := strings.TrimSpace(rec[c.cnsr])
	if cnsr != "0" && cnsr != "1" {
		return v, &Problem{Column: "CNSR", Value: cnsr, Reason: fmt.Sprintf("CNSR is %q: it must be 0 (event) or 1 (censored), the ADaM convention", cnsr), Fatal: true}
	}
	v.event = cnsr == "0"
	if c.entry >= 0 {
		if s := strings.TrimSpace(rec[c.entry]); s != "" {
			e, p := parseTime(s, "ENTRY")
			if p != nil {
				return v, p
			}
			if e >= v.aval {
				return v, &Problem{Column: "ENTRY", Value: s, Reason: fmt.Sprintf("ENTRY %s is not before AVAL %s: a subject must enter the risk set before the event or censoring time", s, strings.TrimSpace(rec[c.aval])), Fatal: true}
			}
			v.entry = e
		}
	}
	if c.evnt >= 0 {
		v.evnt = rec[c.evnt]
	}
	if c.cns >= 0 {
		v.cns = rec[c.cns]
	}
	// Duplicate subject+endpoint rows are found at the end, by sorting
	// (findDuplicates): no map of a million keys.
	return v, nil
}

// adtteBatch holds the validated rows of one block by column, so that
// storing it is a few bulk copies: the text columns are coded against the
// block's own distinct values (interned once per value and block when
// stored), the subject identifiers are bytes with their end offsets.
type adtteBatch struct {
	r                                 *adtteReader
	studies, arms, params, evnts, cns codedColumn
	subjects                          []byte
	subjectEnds                       []int
	aval, entry                       []float64
	event                             []bool
	line                              []int32
	extra                             []codedColumn
}

// codedColumn is a column of strings as codes into its distinct values;
// a value equal to the previous one costs a comparison, not a lookup.
type codedColumn struct {
	index  map[string]uint32
	values []string
	codes  []uint32
}

func (c *codedColumn) add(s string) {
	if n := len(c.codes); n > 0 && c.values[c.codes[n-1]] == s {
		c.codes = append(c.codes, c.codes[n-1])
		return
	}
	k, ok := c.index[s]
	if !ok {
		k = uint32(len(c.values))
		c.index[s] = k
		c.values = append(c.values, s)
	}
	c.codes = append(c.codes, k)
}

func (c *codedColumn) reset() {
	clear(c.index)
	c.values, c.codes = c.values[:0], c.codes[:0]
}

// appendTo appends the column's rows to dst, each distinct value interned
// once with in (the block's values are substrings of its records).
func (c *codedColumn) appendTo(dst *column.Builder, in interner) {
	owned := make([]string, len(c.values))
	for j, v := range c.values {
		owned[j] = in.get(v)
	}
	dst.AddCoded(c.codes, owned)
}

func (r *adtteReader) newBatch() rowBatch {
	b := &adtteBatch{r: r, extra: make([]codedColumn, len(r.extra))}
	for _, c := range b.textColumns() {
		c.index = map[string]uint32{}
	}
	return b
}

// textColumns returns the batch's coded columns.
func (b *adtteBatch) textColumns() []*codedColumn {
	cols := []*codedColumn{&b.studies, &b.arms, &b.params, &b.evnts, &b.cns}
	for k := range b.extra {
		cols = append(cols, &b.extra[k])
	}
	return cols
}

func (b *adtteBatch) row(line int, rec []string) *Problem {
	r := b.r
	if line > math.MaxInt32 {
		return &Problem{Reason: fmt.Sprintf("the file has more than %d lines: split it into files of fewer rows", math.MaxInt32), Fatal: true}
	}
	v, p := r.parse(rec)
	if p != nil {
		return p
	}
	b.studies.add(v.study)
	b.arms.add(v.arm)
	b.params.add(v.param)
	b.subjects = append(b.subjects, v.subj...)
	b.subjectEnds = append(b.subjectEnds, len(b.subjects))
	b.aval = append(b.aval, v.aval)
	b.event = append(b.event, v.event)
	b.line = append(b.line, int32(line))
	if r.col.entry >= 0 {
		b.entry = append(b.entry, v.entry)
	}
	if r.col.evnt >= 0 {
		b.evnts.add(v.evnt)
	}
	if r.col.cns >= 0 {
		b.cns.add(v.cns)
	}
	for k := range r.extra {
		// Only the index: the merger appends to vals meanwhile.
		b.extra[k].add(strings.TrimSpace(rec[r.extra[k].index]))
	}
	return nil
}

func (b *adtteBatch) reset() {
	for _, c := range b.textColumns() {
		c.reset()
	}
	b.subjects, b.subjectEnds = b.subjects[:0], b.subjectEnds[:0]
	b.aval, b.entry, b.event, b.line = b.aval[:0], b.entry[:0], b.event[:0], b.line[:0]
}

// storeBatch appends a batch's rows to the table, in file order.
func (r *adtteReader) storeBatch(rb rowBatch) {
	b, t := rb.(*adtteBatch), r.t
	b.studies.appendTo(&r.studies, r.in)
	b.arms.appendTo(&r.arms, r.in)
	b.params.appendTo(&r.params, r.in)
	start := 0
	for _, end := range b.subjectEnds {
		r.subjects.addBytes(b.subjects[start:end])
		start = end
	}
	t.AVAL = append(t.AVAL, b.aval...)
	t.Event = append(t.Event, b.event...)
	for _, l := range b.line {
		t.Line.Add(int(l))
	}
	if r.col.entry >= 0 {
		t.Entry = append(t.Entry, b.entry...)
	}
	if r.col.evnt >= 0 {
		b.evnts.appendTo(&r.evnts, r.in)
	}
	if r.col.cns >= 0 {
		b.cns.appendTo(&r.cnss, r.in)
	}
	for k := range r.extra {
		b.extra[k].appendTo(&r.extra[k].vals, r.in)
	}
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
		h.WriteString(t.PARAMCD.At(i))
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
			if t.USUBJID[j] == t.USUBJID[i] && t.PARAMCD.Code(j) == t.PARAMCD.Code(i) {
				first = j
				break
			}
		}
		if first < 0 {
			repeated[h] = append(rows, i)
			continue
		}
		subj, param := t.USUBJID[i], t.PARAMCD.At(i)
		dups = append(dups, Problem{Line: t.Line.At(i), Column: "USUBJID", Value: subj, Reason: fmt.Sprintf("duplicate subject+endpoint: %s %s already appears at %s; keep one row per subject and PARAMCD", subj, param, place(t.Line.At(first))), Fatal: true})
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
