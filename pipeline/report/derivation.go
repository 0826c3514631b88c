package report

import (
	"cmp"
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"

	"github.com/ketcurves/ketcurves/pipeline/schema"
)

// ExclusionColumns, Exclusion and DecodeExclusions: the exclusions file's
// format, declared once in package schema.
var ExclusionColumns = schema.ExclusionColumns

// Exclusion is one row of the exclusions file (schema.Exclusion).
type Exclusion = schema.Exclusion

// DecodeExclusions decodes an exclusions file (schema.DecodeExclusions).
func DecodeExclusions(name string, data []byte) ([]Exclusion, error) {
	return schema.DecodeExclusions(name, data)
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
