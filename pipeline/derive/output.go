package derive

import (
	"encoding/csv"
	"fmt"
	"io"
	"math"
	"strconv"

	"github.com/ketcurves/ketcurves/pipeline/atomicfile"
	"github.com/ketcurves/ketcurves/pipeline/csvsafe"
	"github.com/ketcurves/ketcurves/pipeline/schema"
)

// ADTTEColumns are the leading columns of the derived adtte.csv.
// EventTypeColumn follows CNSR when Result.HasEventType; ENTRY follows
// CNSDTDSC when Result.HasEntry; the ADSL covariates come last.
var ADTTEColumns = []string{
	"STUDYID", "USUBJID", "TRTP", "PARAMCD", "AVAL", "CNSR", "EVNTDESC", "CNSDTDSC",
}

// EventTypeColumn is the ADTTE column naming the event of a CNSR 0 row
// (Row.EventType): the endpoint's own type for the event of interest, the
// competing type for a competing event, empty when censored. It is written
// only when some derived endpoint declares competing events.
const EventTypeColumn = "EVNTTYPE"

// TraceColumns are the traceability columns of the derived adtte.csv; see
// Row for their meaning.
var TraceColumns = []string{
	"ORIGDY", "ANCHDY", "RSPADY", "RSPAVAL", "RSPLINE",
	"SRCDOM", "SRCPARAM", "SRCVISIT", "SRCADY", "SRCAVAL", "SRCLINE",
	"BASE", "BASEADY", "BASELINE",
	"CNFADY", "CNFLINE",
	"ILOWER", "IUPPER",
}

// ExclusionColumns are the columns of the exclusions file (its format is
// declared once, in package schema, for this writer and the report).
var ExclusionColumns = schema.ExclusionColumns

// WriteOptions are the choices of the CSV writers.
//
// Text cells follow the policy of package csvsafe: a cell starting with
// = + - @ TAB or CR gets a single quote in front, numbers never do. In
// adtte.csv this applies to the descriptive columns (EVNTDESC, CNSDTDSC,
// SRCDOM, SRCPARAM, SRCVISIT); the key columns the next stages match
// against the input (STUDYID, USUBJID, TRTP, PARAMCD, EVNTTYPE and the
// ADSL covariates) are written as in the input so that adtte.csv still
// joins with adsl.csv. Every column of the exclusions file is text and is
// escaped.
type WriteOptions struct {
	// RawCSV writes every text cell as it is (flag -raw-csv).
	RawCSV bool
}

// text returns the cell of a text value under the options.
func (o WriteOptions) text(s string) string {
	if o.RawCSV {
		return s
	}
	return csvsafe.Cell(s, false)
}

// WriteADTTE writes the rows of r as adtte.csv to w. Undefined values (NaN,
// line 0) are empty cells. Every number is checked finite: a row with an
// infinite value is an error naming the subject, endpoint and column, and
// nothing more is written.
func WriteADTTE(w io.Writer, studyID string, covariates []string, r *Result, opt WriteOptions) error {
	cw := csv.NewWriter(w)
	header := append([]string{}, ADTTEColumns[:6]...) // through CNSR
	if r.HasEventType {
		header = append(header, EventTypeColumn)
	}
	header = append(header, ADTTEColumns[6:]...)
	if r.HasEntry {
		header = append(header, "ENTRY")
	}
	header = append(header, TraceColumns...)
	header = append(header, covariates...)
	if err := cw.Write(header); err != nil {
		return err
	}
	rec := make([]string, 0, len(header))
	for _, x := range r.Rows {
		var err error
		rec, err = adtteRecord(rec[:0], studyID, x, r, opt)
		if err != nil {
			return err
		}
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// adtteRecord appends the cells of row x to rec.
func adtteRecord(rec []string, studyID string, x Row, r *Result, opt WriteOptions) ([]string, error) {
	var bad string // the first column with a value that is not finite
	num := func(col string, v float64) string {
		if math.IsInf(v, 0) && bad == "" {
			bad = col + " = " + strconv.FormatFloat(v, 'g', -1, 64)
		}
		return formatFloat(v)
	}
	cnsr := "0"
	if x.Censored {
		cnsr = "1"
	}
	rec = append(rec, studyID, x.USUBJID, x.Arm, x.Paramcd, num("AVAL", x.Time), cnsr)
	if r.HasEventType {
		rec = append(rec, x.EventType)
	}
	rec = append(rec, opt.text(x.EventDesc), opt.text(x.CensorDesc))
	if r.HasEntry {
		rec = append(rec, num("ENTRY", x.Entry))
	}
	rec = append(rec,
		num("ORIGDY", x.OriginDay), num("ANCHDY", x.AnchorDay), num("RSPADY", x.RespDay), num("RSPAVAL", x.RespValue), formatLine(x.RespLine),
		opt.text(x.SourceDomain), opt.text(x.SourceParam), opt.text(x.SourceVisit), num("SRCADY", x.SourceDay), num("SRCAVAL", x.SourceValue), formatLine(x.SourceLine),
		num("BASE", x.Base), num("BASEADY", x.BaseDay), formatLine(x.BaseLine),
		num("CNFADY", x.ConfirmDay), formatLine(x.ConfirmLine),
		num("ILOWER", x.Lower), num("IUPPER", x.Upper),
	)
	rec = append(rec, x.Covariates...)
	if bad != "" {
		return rec, fmt.Errorf("subject %s, endpoint %s: %s is not a finite number: derive writes finite numbers only; check the days and scores of the subject (see MaxAbsDay)", x.USUBJID, x.Paramcd, bad)
	}
	return rec, nil
}

// WriteExclusions writes the exclusions of r to w.
func WriteExclusions(w io.Writer, studyID string, r *Result, opt WriteOptions) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(ExclusionColumns); err != nil {
		return err
	}
	for _, x := range r.Exclusions {
		if err := cw.Write([]string{opt.text(studyID), opt.text(x.USUBJID), opt.text(x.Arm), opt.text(x.Paramcd), opt.text(x.Reason)}); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// WriteFiles writes adtte.csv to adttePath and, when exclusionsPath is not
// empty, the exclusions to exclusionsPath, each through atomicfile.
func WriteFiles(adttePath, exclusionsPath, studyID string, covariates []string, r *Result, opt WriteOptions) error {
	if err := atomicfile.Write(adttePath, func(w io.Writer) error {
		return WriteADTTE(w, studyID, covariates, r, opt)
	}); err != nil {
		return fmt.Errorf("could not write ADTTE: %w", err)
	}
	if exclusionsPath == "" {
		return nil
	}
	if err := atomicfile.Write(exclusionsPath, func(w io.Writer) error {
		return WriteExclusions(w, studyID, r, opt)
	}); err != nil {
		return fmt.Errorf("could not write exclusions: %w", err)
	}
	return nil
}

// formatFloat formats a day or a score: NaN is an empty cell; a value
// below 9e6 in magnitude is rounded to 1e-9 (below 0.1 ms for days),
// which removes the binary noise of differences such as ADY − RANDDY,
// then printed in the shortest form (14.02778, not 14.027780000000002);
// a larger value (a score of an instrument without a range) is printed in
// the shortest form that reads back exactly (v·1e9 would lose digits or
// overflow to +Inf), with an exponent from 1e21. The caller checks that
// v is finite.
func formatFloat(v float64) string {
	switch a := math.Abs(v); {
	case math.IsNaN(v):
		return ""
	case a >= 1e21:
		return strconv.FormatFloat(v, 'g', -1, 64)
	case a >= 9e6:
		return strconv.FormatFloat(v, 'f', -1, 64)
	}
	r := math.Round(v*1e9) / 1e9
	if r == 0 {
		r = 0 // no "-0"
	}
	return strconv.FormatFloat(r, 'f', -1, 64)
}

func formatLine(n int) string {
	if n <= 0 {
		return ""
	}
	return strconv.Itoa(n)
}
