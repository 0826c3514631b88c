package fit

import (
	"encoding/csv"
	"encoding/json"
	"io"
	"path/filepath"
	"strconv"

	"github.com/ketcurves/ketcurves/pipeline/atomicfile"
)

// Output file names in the output directory.
const (
	KMFile        = "km.csv"
	QuantilesFile = "quantiles.csv"
	TestsFile     = "tests.csv"
	CoxFile       = "cox.csv"
	ResultsFile   = "results.json"
)

// Column headers of the CSV outputs: a public contract, documented in
// reports/README.md.
var (
	KMHeader        = []string{"paramcd", "arm", "time", "n_risk", "n_event", "n_censor", "surv", "std_err", "lower", "upper"}
	QuantilesHeader = []string{"paramcd", "arm", "quantile", "time", "lower", "upper"}
	TestsHeader     = []string{"paramcd", "test", "statistic", "df", "p_value"}
	CoxHeader       = []string{"paramcd", "term", "coef", "hr", "se", "z", "p_value", "hr_lower", "hr_upper"}
)

// WriteOutputs writes the five output files into dir, each atomically.
func WriteOutputs(dir string, r *Results) error {
	files := []struct {
		name  string
		write func(io.Writer) error
	}{
		{KMFile, r.WriteKM},
		{QuantilesFile, r.WriteQuantiles},
		{TestsFile, r.WriteTests},
		{CoxFile, r.WriteCox},
		{ResultsFile, r.WriteJSON},
	}
	for _, f := range files {
		if err := atomicfile.Write(filepath.Join(dir, f.name), f.write); err != nil {
			return err
		}
	}
	return nil
}

// num formats a float with the shortest representation that round-trips.
func num(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }

// opt formats an optional float; nil (R's NA) is an empty cell.
func opt(v *float64) string {
	if v == nil {
		return ""
	}
	return num(*v)
}

func writeCSV(w io.Writer, header []string, rows func(emit func(...string))) error {
	cw := csv.NewWriter(w)
	cw.Write(header)
	rows(func(rec ...string) { cw.Write(rec) })
	cw.Flush()
	return cw.Error()
}

// WriteKM writes km.csv.
func (r *Results) WriteKM(w io.Writer) error {
	return writeCSV(w, KMHeader, func(emit func(...string)) {
		for _, ep := range r.Endpoints {
			for _, k := range ep.KM {
				emit(ep.Paramcd, k.Arm, num(k.Time), strconv.Itoa(k.NRisk), strconv.Itoa(k.NEvent), strconv.Itoa(k.NCensor),
					num(k.Surv), opt(k.StdErr), opt(k.Lower), opt(k.Upper))
			}
		}
	})
}

// WriteQuantiles writes quantiles.csv.
func (r *Results) WriteQuantiles(w io.Writer) error {
	return writeCSV(w, QuantilesHeader, func(emit func(...string)) {
		for _, ep := range r.Endpoints {
			for _, q := range ep.Quantiles {
				emit(ep.Paramcd, q.Arm, num(q.Quantile), opt(q.Time), opt(q.Lower), opt(q.Upper))
			}
		}
	})
}

// WriteTests writes tests.csv.
func (r *Results) WriteTests(w io.Writer) error {
	return writeCSV(w, TestsHeader, func(emit func(...string)) {
		for _, ep := range r.Endpoints {
			for _, t := range ep.Tests {
				emit(ep.Paramcd, t.Test, num(t.Statistic), strconv.Itoa(t.DF), num(t.PValue))
			}
		}
	})
}

// WriteCox writes cox.csv. Terms that are not estimable have empty cells.
func (r *Results) WriteCox(w io.Writer) error {
	return writeCSV(w, CoxHeader, func(emit func(...string)) {
		for _, ep := range r.Endpoints {
			if ep.Cox == nil {
				continue
			}
			for _, t := range ep.Cox.Terms {
				if !t.Estimable {
					emit(ep.Paramcd, t.Term, "", "", "", "", "", "", "")
					continue
				}
				emit(ep.Paramcd, t.Term, num(t.Coef), num(t.HR), num(t.SE), num(t.Z), num(t.PValue), num(t.HRLower), num(t.HRUpper))
			}
		}
	})
}

// WriteJSON writes results.json, indented, with a final newline.
func (r *Results) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(r)
}
