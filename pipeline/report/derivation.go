package report

import (
	"bytes"
	"cmp"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"
)

// ExclusionColumns is the header of the exclusions file written by
// cmd/derive (derive_exclusions.csv), in order. It must equal
// derive.ExclusionColumns; a test checks it.
var ExclusionColumns = []string{"STUDYID", "USUBJID", "TRTP", "PARAMCD", "REASON"}

// Exclusion is one subject-endpoint pair that cmd/derive left out of a
// derived endpoint, with the reason.
type Exclusion struct {
	StudyID, USUBJID, Arm, Paramcd, Reason string
	// Line is the line of the row in the exclusions file.
	Line int
}

// Category is the reason up to its first ':', without surrounding spaces
// ("not in response at the anchor"). A ':' inside parentheses does not
// count, so that "excluded from TTRESP (no baseline: …): no relapse anchor"
// keeps the nested reason whole. It is the whole reason when it has no such
// ':' or nothing before it.
func (x Exclusion) Category() string {
	depth := 0
	for i, r := range x.Reason {
		switch r {
		case '(':
			depth++
		case ')':
			depth = max(depth-1, 0)
		case ':':
			if depth > 0 {
				continue
			}
			if c := strings.TrimSpace(x.Reason[:i]); c != "" {
				return c
			}
			return strings.TrimSpace(x.Reason)
		}
	}
	return strings.TrimSpace(x.Reason)
}

// Derivation describes how the analysed ADTTE file was derived from
// visit-level scores by cmd/derive.
type Derivation struct {
	// Exclusions lists the subject-endpoint pairs left out, in file order;
	// it is empty when no subject was excluded.
	Exclusions []Exclusion
	// File is the exclusions file shown in the report (relative to the
	// report folder) and SHA256 the hex SHA-256 of its bytes.
	File, SHA256 string
}

// LoadExclusions reads the exclusions file written by cmd/derive at path
// and records it in in.Derivation, so that the report gets a Derivation
// section. outDir is the report folder: the file is shown relative to it.
// It fails, naming the file, when the file cannot be read, when
// DecodeExclusions fails, or when a row belongs to another study than
// results.json. It panics if in or in.Results is nil.
func (in *Inputs) LoadExclusions(path, outDir string) error {
	if in == nil || in.Results == nil {
		panic("report: Inputs.Results is nil")
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("could not read derivation exclusions: %w (run the derive stage with -exclusions first, or omit -exclusions)", err)
	}
	excl, err := DecodeExclusions(path, data)
	if err != nil {
		return err
	}
	for _, x := range excl {
		if x.StudyID != in.Results.Study.ID {
			return fmt.Errorf("%s: line %d, column 1: STUDYID %q, but the results are for study %q: give the exclusions file of the same study", path, x.Line, x.StudyID, in.Results.Study.ID)
		}
	}
	in.Derivation = &Derivation{Exclusions: excl, File: displayPath(outDir, path), SHA256: sha256Hex(data)}
	return nil
}

// DecodeExclusions decodes the content of an exclusions file written by
// cmd/derive; name is used in messages. Reading is strict: the header must
// be exactly ExclusionColumns, every row must have as many fields, and
// STUDYID, USUBJID, PARAMCD and REASON must not be empty (TRTP may be, as
// in adsl.csv). Every error names the file, the line and the column (a
// 1-based byte index, as encoding/csv counts it).
func DecodeExclusions(name string, data []byte) ([]Exclusion, error) {
	r := csv.NewReader(bytes.NewReader(data))
	r.FieldsPerRecord = -1 // counted below, with the column
	at := func(line, col int, format string, args ...any) error {
		return fmt.Errorf("%s: line %d, column %d: %s", name, line, col, fmt.Sprintf(format, args...))
	}
	read := func() ([]string, error) {
		rec, err := r.Read()
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			return nil, at(pe.Line, pe.Column, "%v", pe.Err)
		}
		return rec, err
	}
	want := strings.Join(ExclusionColumns, ",")
	header, err := read()
	if err == io.EOF {
		return nil, at(1, 1, "the file is empty; want the header %s", want)
	}
	if err != nil {
		return nil, err
	}
	for i, col := range ExclusionColumns {
		if i >= len(header) {
			line, c := endOfRecord(data, r.InputOffset())
			return nil, at(line, c, "the header ends after %d columns; want %s", len(header), want)
		}
		if header[i] != col {
			line, c := r.FieldPos(i)
			return nil, at(line, c, "header column %d is %q, want %q (the header must be %s)", i+1, header[i], col, want)
		}
	}
	if len(header) > len(ExclusionColumns) {
		line, c := r.FieldPos(len(ExclusionColumns))
		return nil, at(line, c, "unexpected header column %q; want %s", header[len(ExclusionColumns)], want)
	}

	var out []Exclusion
	for {
		rec, err := read()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return nil, err
		}
		line, _ := r.FieldPos(0)
		switch n := len(rec); {
		case n < len(ExclusionColumns):
			l, c := endOfRecord(data, r.InputOffset())
			return nil, at(l, c, "the row has %d fields, want %d (%s): %s is missing", n, len(ExclusionColumns), want, ExclusionColumns[n])
		case n > len(ExclusionColumns):
			l, c := r.FieldPos(len(ExclusionColumns))
			return nil, at(l, c, "the row has %d fields, want %d (%s); quote a REASON that holds a comma", n, len(ExclusionColumns), want)
		}
		for i, col := range ExclusionColumns {
			if col != "TRTP" && strings.TrimSpace(rec[i]) == "" {
				l, c := r.FieldPos(i)
				return nil, at(l, c, "%s is empty", col)
			}
		}
		out = append(out, Exclusion{StudyID: rec[0], USUBJID: rec[1], Arm: rec[2], Paramcd: rec[3], Reason: rec[4], Line: line})
	}
}

// endOfRecord returns the line and the 1-based byte column just after the
// last field of the record that ends at offset (after its line break).
func endOfRecord(data []byte, offset int64) (line, col int) {
	end := min(int(offset), len(data))
	if end > 0 && data[end-1] == '\n' {
		end--
	}
	if end > 0 && data[end-1] == '\r' {
		end--
	}
	before := data[:end]
	return bytes.Count(before, []byte("\n")) + 1, end - bytes.LastIndexByte(before, '\n')
}

// derivationView is the Derivation section of the report.
type derivationView struct {
	Text string // how the endpoints were derived and audited
	// Summary says how many pairs were excluded; it is followed by the
	// link to the exclusions file.
	Summary    string
	File, Path string // the exclusions file, and its URL-escaped link
	Rows       []exclusionRow
}

type exclusionRow struct {
	Endpoint, Arm, Reason, N string
}

// NoExclusions is what the report says when cmd/derive excluded no one.
const NoExclusions = "No subject was excluded from any endpoint."

// newDerivationView counts the exclusions per endpoint (results.json
// order, then others sorted), arm (study.yaml order, then others sorted)
// and reason category (sorted).
func newDerivationView(dv *Derivation, input string, endpoints, arms []string, armLabel func(string) string) *derivationView {
	v := &derivationView{
		Text: "The time-to-event endpoints were derived from visit-level scores by the derivation plan in study.yaml (cmd/derive). " +
			"Every row of the analysed ADTTE file (" + input + ") records the assessment that set its time (SRCADY, SRCLINE), " +
			"the interval that contains the event (ILOWER, IUPPER) and, for relapse endpoints, the assessment that showed the subject " +
			"in response at the anchor (RSPADY, RSPAVAL, RSPLINE), so that any subject can be audited back to the visit-level data.",
		File: dv.File,
		Path: urlPath(dv.File),
	}
	switch n := len(dv.Exclusions); n {
	case 0:
		v.Summary = NoExclusions + " The exclusions file of the derivation is"
	default:
		pairs := strconv.Itoa(n) + " subject-endpoint pairs were"
		if n == 1 {
			pairs = "1 subject-endpoint pair was"
		}
		v.Summary = pairs + " excluded by the derivation, counted below per endpoint, arm and reason (the reason up to its first colon outside parentheses); " +
			"per endpoint, subjects derived = events + censored + excluded. Each excluded subject is listed with the full reason in"
	}

	type key struct{ paramcd, arm, reason string }
	counts := make(map[key]int)
	for _, x := range dv.Exclusions {
		counts[key{x.Paramcd, x.Arm, x.Category()}]++
	}
	keys := make([]key, 0, len(counts))
	for k := range counts {
		keys = append(keys, k)
	}
	// order ranks a known name by its position, others after it by name.
	order := func(known []string, a, b string) int {
		ia, ib := slices.Index(known, a), slices.Index(known, b)
		if ia < 0 {
			ia = len(known)
		}
		if ib < 0 {
			ib = len(known)
		}
		return cmp.Or(cmp.Compare(ia, ib), strings.Compare(a, b))
	}
	slices.SortFunc(keys, func(a, b key) int {
		return cmp.Or(order(endpoints, a.paramcd, b.paramcd), order(arms, a.arm, b.arm), strings.Compare(a.reason, b.reason))
	})
	for _, k := range keys {
		arm := "(no TRTP)"
		if k.arm != "" {
			arm = armLabel(k.arm)
		}
		v.Rows = append(v.Rows, exclusionRow{Endpoint: k.paramcd, Arm: arm, Reason: k.reason, N: strconv.Itoa(counts[k])})
	}
	return v
}
