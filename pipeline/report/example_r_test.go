package report

import (
	"encoding/csv"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestExampleAgainstR renders the report of a real fit (cmd/ingest and
// cmd/fit on datasets/example, copied to testdata/example) and checks that
// (1) the numbers the report reads agree with R to 1e-6 relative, and
// (2) every number R gives is shown in the report, formatted by this
// package. The reference values were computed by testdata/example/r_reference.R,
// which runs the report's own "Equivalent R calls" for each endpoint:
//
//	km <- survfit(Surv(AVAL, CNSR == 0) ~ TRTP, data = d, conf.type = "log-log", conf.int = 0.95)
//	quantile(km, probs = c(0.25, 0.5, 0.75))
//	survdiff(Surv(AVAL, CNSR == 0) ~ TRTP + strata(STRATUM), data = d)
//	coxph(Surv(AVAL, CNSR == 0) ~ TRTP + AGE + SEX + strata(STRATUM), data = d, ties = "efron")
//	summary(fit)$coefficients[, c("coef", "se(coef)", "z", "Pr(>|z|)")]
//
// with d the rows of one PARAMCD and TRTP releveled to reference MIDAZOLAM
// (R 4.2.2, survival 3.5.3).
func TestExampleAgainstR(t *testing.T) {
	const dir = "testdata/example"
	in, err := Load(filepath.Join(dir, "results.json"), "", filepath.Join(dir, "ingest.json"), dir)
	if err != nil {
		t.Fatal(err)
	}
	ref := readRReference(t, filepath.Join(dir, "r_reference.csv"))
	md, _ := render(t, in)
	sections := endpointSections(string(md))
	label := func(arm string) string {
		for _, a := range in.Results.Study.Arms {
			if a.Name == arm && a.Label != "" {
				return a.Label + " (" + arm + ")"
			}
		}
		return arm
	}
	const tol = 1e-6
	if len(in.Results.Endpoints) != 2 {
		t.Fatalf("got %d endpoints, want 2", len(in.Results.Endpoints))
	}
	for _, ep := range in.Results.Endpoints {
		r := ref[ep.Paramcd]
		sec, ok := sections[ep.Paramcd]
		if !ok || r == nil {
			t.Fatalf("%s: no report section or no R reference", ep.Paramcd)
		}
		contains := func(what, line string) {
			t.Helper()
			if !strings.Contains(sec, line) {
				t.Errorf("%s: %s: report lacks %q", ep.Paramcd, what, line)
			}
		}

		// Quantiles with CIs.
		arms := map[string]bool{}
		for _, q := range ep.Quantiles {
			arms[q.Arm] = true
			key := q.Arm + " " + strconv.FormatFloat(q.Quantile, 'g', -1, 64)
			for _, v := range []struct {
				name string
				got  *float64
			}{{"time", q.Time}, {"lower", q.Lower}, {"upper", q.Upper}} {
				checkOptional(t, ep.Paramcd+" "+key+" "+v.name, v.got, r.value(t, key+" "+v.name), tol)
			}
		}
		// Both endpoints have a log time axis; TTRESP's starts below one
		// day (the first visit is at 40 min), so its quartiles are shown
		// in hours, as the axis: R's days times 24. TTRELAPSE's first
		// time is day 7: its axis and quartiles are in days.
		inHours := ep.Paramcd == "TTRESP"
		if axisInHours(ep, "days") != inHours {
			t.Errorf("%s: time axis in hours = %v, want %v", ep.Paramcd, !inHours, inHours)
		}
		unit := "days"
		hours := formatTimePtr
		if inHours {
			unit = "hours"
			hours = func(days *float64) string {
				if days == nil {
					return NotReached
				}
				return FormatTime(*days*24) + " h"
			}
		}
		contains("quartile unit", "| Arm | 25% (95% CI), "+unit+" | Median (95% CI), "+unit+" | 75% (95% CI), "+unit+" |")
		for arm := range arms {
			cells := []string{label(arm)}
			for _, p := range []string{"0.25", "0.5", "0.75"} {
				tm, lo, up := r.value(t, arm+" "+p+" time"), r.value(t, arm+" "+p+" lower"), r.value(t, arm+" "+p+" upper")
				cell := hours(tm) + " (" + hours(lo) + ", " + hours(up) + ")"
				if tm == nil && lo == nil && up == nil {
					cell = NotReached
				}
				cells = append(cells, cell)
			}
			contains("quantiles", mdRow(cells...))
		}

		// Log-rank and Cox model tests.
		names := map[string]string{"logrank": "Log-rank", "cox_wald": "Wald (Cox)", "cox_lr": "Likelihood ratio (Cox)", "cox_score": "Score (Cox)"}
		for _, test := range ep.Tests {
			stat, p := r.value(t, test.Test+" statistic"), r.value(t, test.Test+" p")
			checkClose(t, ep.Paramcd+" "+test.Test+" statistic", test.Statistic, *stat, tol)
			checkClose(t, ep.Paramcd+" "+test.Test+" p", test.PValue, *p, tol)
			contains(test.Test, mdRow(names[test.Test], formatStat(*stat), strconv.Itoa(test.DF), FormatP(*p)))
		}
		if df := r.value(t, "logrank df"); len(ep.Tests) == 0 || float64(ep.Tests[0].DF) != *df {
			t.Errorf("%s: log-rank df differs from R's %v", ep.Paramcd, *df)
		}

		// Cox terms.
		if ep.Cox == nil || len(ep.Cox.Terms) != 3 {
			t.Fatalf("%s: want a Cox model with 3 terms", ep.Paramcd)
		}
		for _, term := range ep.Cox.Terms {
			hr, lo, up, p := r.value(t, term.Term+" hr"), r.value(t, term.Term+" lower"), r.value(t, term.Term+" upper"), r.value(t, term.Term+" p")
			checkClose(t, ep.Paramcd+" "+term.Term+" hr", term.HR, *hr, tol)
			checkClose(t, ep.Paramcd+" "+term.Term+" lower", term.HRLower, *lo, tol)
			checkClose(t, ep.Paramcd+" "+term.Term+" upper", term.HRUpper, *up, tol)
			checkClose(t, ep.Paramcd+" "+term.Term+" p", term.PValue, *p, tol)
			coef, se, z := r.value(t, term.Term+" coef"), r.value(t, term.Term+" se"), r.value(t, term.Term+" z")
			checkClose(t, ep.Paramcd+" "+term.Term+" coef", term.Coef, *coef, tol)
			checkClose(t, ep.Paramcd+" "+term.Term+" se", term.SE, *se, tol)
			checkClose(t, ep.Paramcd+" "+term.Term+" z", term.Z, *z, tol)
			// The row as SAS PROC PHREG and R's summary.coxph lay it out:
			// coefficient, SE, z, then the hazard ratio with its CI and p.
			contains(term.Term, mdRow(term.Term, termComparison(term.Term, label, in.Results.Study.Control),
				formatCoef(*coef), formatCoef(*se), formatStat(*z), FormatHR(*hr), FormatHR(*lo)+", "+FormatHR(*up), FormatP(*p)))
		}
	}
}

// rReference holds the values of one endpoint by key; nil is NA.
type rReference map[string]*float64

func (r rReference) value(t *testing.T, key string) *float64 {
	t.Helper()
	v, ok := r[key]
	if !ok {
		t.Fatalf("r_reference.csv has no %q", key)
	}
	if v == nil {
		return nil
	}
	x := *v
	return &x
}

func readRReference(t *testing.T, path string) map[string]rReference {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	ref := make(map[string]rReference)
	for i, row := range rows[1:] {
		paramcd, key, value := row[0], row[2], row[3]
		if ref[paramcd] == nil {
			ref[paramcd] = make(rReference)
		}
		if value == "NA" {
			ref[paramcd][key] = nil
			continue
		}
		x, err := strconv.ParseFloat(value, 64)
		if err != nil {
			t.Fatalf("%s:%d: %v", path, i+2, err)
		}
		ref[paramcd][key] = &x
	}
	return ref
}

func checkClose(t *testing.T, what string, got, want, tol float64) {
	t.Helper()
	if math.Abs(got-want) > tol*math.Max(math.Abs(want), 1e-300) {
		t.Errorf("%s = %.10g, R gives %.10g", what, got, want)
	}
}

func checkOptional(t *testing.T, what string, got, want *float64, tol float64) {
	t.Helper()
	switch {
	case got == nil && want == nil:
	case got == nil || want == nil:
		t.Errorf("%s: got %v, R gives %v (nil is NA)", what, ptrString(got), ptrString(want))
	default:
		checkClose(t, what, *got, *want, tol)
	}
}

func ptrString(p *float64) string {
	if p == nil {
		return "NA"
	}
	return strconv.FormatFloat(*p, 'g', 10, 64)
}

// mdRow is a Markdown table row with escaped cells.
func mdRow(cells ...string) string {
	for i, c := range cells {
		cells[i] = EscapeMarkdown(c)
	}
	return "| " + strings.Join(cells, " | ") + " |"
}

// endpointSections splits a Markdown report into its endpoint sections,
// by PARAMCD.
func endpointSections(md string) map[string]string {
	sections := make(map[string]string)
	parts := strings.Split(md, "\n## ")
	for _, p := range parts {
		rest, ok := strings.CutPrefix(p, "Endpoint ")
		if !ok {
			continue
		}
		paramcd, _, _ := strings.Cut(rest, ":")
		paramcd, _, _ = strings.Cut(paramcd, "\n")
		sections[paramcd] = p
	}
	return sections
}
