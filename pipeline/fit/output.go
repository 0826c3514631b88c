package fit

import (
	"encoding/csv"
	"encoding/json"
	"io"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/ketcurves/ketcurves/pipeline/atomicfile"
)

// Output file names in the output directory.
const (
	KMFile        = "km.csv"
	QuantilesFile = "quantiles.csv"
	TestsFile     = "tests.csv"
	CoxFile       = "cox.csv"
	SubgroupsFile = "subgroups.csv"
	ResultsFile   = "results.json"
)

// Column headers of the CSV outputs: a public contract, documented in
// reports/README.md.
var (
	KMHeader        = []string{"paramcd", "arm", "time", "n_risk", "n_event", "n_censor", "surv", "std_err", "lower", "upper"}
	QuantilesHeader = []string{"paramcd", "arm", "quantile", "time", "lower", "upper"}
	TestsHeader     = []string{"paramcd", "test", "statistic", "df", "p_value"}
	CoxHeader       = []string{"paramcd", "term", "coef", "hr", "se", "z", "p_value", "hr_lower", "hr_upper"}
	SubgroupsHeader = []string{"paramcd", "subgroup", "level", "term", "n", "events", "hr", "hr_lower", "hr_upper", "p_value", "logrank_chisq", "logrank_df", "logrank_p", "status"}
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
		{SubgroupsFile, r.WriteSubgroups},
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

// WriteSubgroups writes subgroups.csv: per endpoint, subgroup column and
// level, one row per treatment term (TRTP:<arm>) with the subgroup's size,
// events, hazard ratio, its CI and p-value, the subgroup's log-rank test and
// status. A subgroup without a Cox model has one row with an empty term;
// cells that are not estimable are empty.
func (r *Results) WriteSubgroups(w io.Writer) error {
	return writeCSV(w, SubgroupsHeader, func(emit func(...string)) {
		for _, ep := range r.Endpoints {
			for _, sg := range ep.Subgroups {
				n, events := 0, 0
				for _, a := range sg.Arms {
					n += a.N
					events += a.Events
				}
				chisq, df, p := "", "", ""
				for _, t := range sg.Tests {
					if t.Test == "logrank" {
						chisq, df, p = num(t.Statistic), strconv.Itoa(t.DF), num(t.PValue)
					}
				}
				row := []string{ep.Paramcd, sg.Subgroup, sg.Level}
				tail := []string{chisq, df, p, sg.Status}
				var terms int
				if sg.Cox != nil {
					for _, t := range sg.Cox.Terms {
						if !strings.HasPrefix(t.Term, "TRTP:") {
							continue
						}
						terms++
						hr := []string{"", "", "", ""}
						if t.Estimable {
							hr = []string{num(t.HR), num(t.HRLower), num(t.HRUpper), num(t.PValue)}
						}
						emit(slices.Concat(row, []string{t.Term, strconv.Itoa(n), strconv.Itoa(events)}, hr, tail)...)
					}
				}
				if terms == 0 {
					emit(slices.Concat(row, []string{"", strconv.Itoa(n), strconv.Itoa(events), "", "", "", ""}, tail)...)
				}
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
