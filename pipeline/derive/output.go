package derive

import (
	"encoding/csv"
	"fmt"
	"io"
	"math"
	"strconv"

	"github.com/ketcurves/ketcurves/pipeline/atomicfile"
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

// ExclusionColumns are the columns of the exclusions file.
var ExclusionColumns = []string{"STUDYID", "USUBJID", "TRTP", "PARAMCD", "REASON"}

// WriteADTTE writes the rows of r as adtte.csv to w. Undefined values (NaN,
// line 0) are empty cells.
func WriteADTTE(w io.Writer, studyID string, covariates []string, r *Result) error {
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
		cnsr := "0"
		if x.Censored {
			cnsr = "1"
		}
		rec = append(rec[:0], studyID, x.USUBJID, x.Arm, x.Paramcd, formatFloat(x.Time), cnsr)
		if r.HasEventType {
			rec = append(rec, x.EventType)
		}
		rec = append(rec, x.EventDesc, x.CensorDesc)
		if r.HasEntry {
			rec = append(rec, formatFloat(x.Entry))
		}
		rec = append(rec,
			formatFloat(x.OriginDay), formatFloat(x.AnchorDay), formatFloat(x.RespDay), formatFloat(x.RespValue), formatLine(x.RespLine),
			x.SourceDomain, x.SourceParam, x.SourceVisit, formatFloat(x.SourceDay), formatFloat(x.SourceValue), formatLine(x.SourceLine),
			formatFloat(x.Base), formatFloat(x.BaseDay), formatLine(x.BaseLine),
			formatFloat(x.ConfirmDay), formatLine(x.ConfirmLine),
			formatFloat(x.Lower), formatFloat(x.Upper),
		)
		rec = append(rec, x.Covariates...)
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// WriteExclusions writes the exclusions of r to w.
func WriteExclusions(w io.Writer, studyID string, r *Result) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(ExclusionColumns); err != nil {
		return err
	}
	for _, x := range r.Exclusions {
		if err := cw.Write([]string{studyID, x.USUBJID, x.Arm, x.Paramcd, x.Reason}); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// WriteFiles writes adtte.csv to adttePath and, when exclusionsPath is not
// empty, the exclusions to exclusionsPath, each through atomicfile.
func WriteFiles(adttePath, exclusionsPath, studyID string, covariates []string, r *Result) error {
	if err := atomicfile.Write(adttePath, func(w io.Writer) error {
		return WriteADTTE(w, studyID, covariates, r)
	}); err != nil {
		return fmt.Errorf("could not write ADTTE: %w", err)
	}
	if exclusionsPath == "" {
		return nil
	}
	if err := atomicfile.Write(exclusionsPath, func(w io.Writer) error {
		return WriteExclusions(w, studyID, r)
	}); err != nil {
		return fmt.Errorf("could not write exclusions: %w", err)
	}
	return nil
}

// formatFloat formats a day or a score: NaN is an empty cell; other values
// are rounded to 1e-9 (below 0.1 ms for days), which removes the binary
// noise of differences such as ADY − RANDDY, then printed in the shortest
// form (14.02778, not 14.027780000000002).
func formatFloat(v float64) string {
	if math.IsNaN(v) {
		return ""
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
