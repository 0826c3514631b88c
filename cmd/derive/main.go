// Command derive derives time-to-event endpoints (adtte.csv) from
// visit-level scores, following the `derive:` plans of study.yaml.
//
// Usage:
//
//	derive -study datasets/S -out build/S/adtte.csv [-exclusions build/S/derive_exclusions.csv]
//
// Run `derive -h` for the full description.
package main

import (
	"errors"
	"flag"
	"fmt"
	"github.com/ketcurves/ketcurves/pipeline/adam"
	"io"
	"os"
	"path/filepath"

	"github.com/ketcurves/ketcurves/pipeline/derive"
	"github.com/ketcurves/ketcurves/pipeline/study"
)

const usage = `Usage: derive -study DIR -out FILE [-exclusions FILE] [-encoding utf-8|latin1] [-raw-csv]

derive turns visit-level scores into time-to-event endpoints (ADaM ADTTE),
as R's admiral::derive_param_tte does. It reads, from the study folder DIR:

  study.yaml   the endpoints; each endpoint with a derive: block is derived
               (the plan: source score, baseline, time origin, event or
               relapse rule, censoring; see pipeline/derive/PLAN.md)
  adsl.csv     one row per subject: STUDYID, USUBJID, TRT01P; optional
               RANDDY, EOSDY, DCSREAS, RESCDY, AGE, SEX, STRATUM
  adqs.csv     visit-level scores: STUDYID, USUBJID, PARAMCD, AVISIT, ADY, AVAL
               (an empty AVAL is a missed assessment)
  adce.csv     optional qualifying clinical events: STUDYID, USUBJID, ADY, CETERM
               (a header alone: no event occurred)

The files are read and validated by the same readers as ingest (package
adam; the data contract is datasets/README.md). On bad data derive writes
nothing and exits with status 1, naming every fatal problem of every file
(the first ten after the first in full, then a count), each as

  PATH: line L, column N (NAME): what is wrong and how to fix it

with PATH the file's path (e.g. datasets/S/adqs.csv). A row whose fields
are all empty is skipped; an empty AVAL is a missed assessment, used by
the plan's missing: rule.

and writes FILE (adtte.csv), one row per subject and derived endpoint, in
ADSL subject order then study.yaml endpoint order:

  STUDYID, USUBJID, TRTP, PARAMCD, AVAL (days from the time origin), CNSR
  (0 event, 1 censored), [EVNTTYPE], EVNTDESC, CNSDTDSC, [ENTRY], then
  traceability:
  ORIGDY, ANCHDY (study days of the time origin and relapse anchor), RSPADY,
  RSPAVAL, RSPLINE (relapse: the assessment in response at the anchor, its
  value and adqs.csv line), SRCDOM,
  SRCPARAM, SRCVISIT, SRCADY, SRCAVAL, SRCLINE (the record that set AVAL and
  its line in its file; AVAL = SRCADY - ORIGDY), BASE, BASEADY, BASELINE
  (baseline value, day, line), CNFADY, CNFLINE (confirming assessment),
  ILOWER, IUPPER (the interval (ILOWER, IUPPER] containing the event, as
  Surv(ILOWER, IUPPER, type = "interval2") in R), then AGE, SEX, STRATUM
  when adsl.csv has them.

EVNTTYPE is written when some endpoint's plan lists competing: event types
(LACK_OF_EFFICACY, ADVERSE_EVENT, RESCUE, OTHER; from DCSREAS and RESCDY):
for the event of interest it is the endpoint's type (RESPONSE, RELAPSE,
... or the plan's event_type), for a competing event (CNSR 0, at EOSDY or
RESCDY) the competing type, and empty for a censored row. Analyse it with
fit -event-column EVNTTYPE -event-of-interest RESPONSE.

A subject who cannot be evaluated for an endpoint (no baseline, not
randomized, not in response at the relapse anchor, ...) is not in FILE but
in the exclusions file (STUDYID, USUBJID, TRTP, PARAMCD, REASON) when
-exclusions is given. Per endpoint, subjects = events + [competing +] censored + excluded;
the counts are printed.

Study days (ADY, RANDDY, EOSDY, RESCDY and the plan's days) must lie
within +-1,000,000 days; every number written is checked finite.

Spreadsheet safety (package csvsafe): a text cell starting with =, +, -,
@, TAB or CR is written with a single quote in front, so that a
spreadsheet shows it as text instead of running it as a formula; numbers
(e.g. -0.5) never are. In FILE this applies to EVNTDESC, CNSDTDSC, SRCDOM,
SRCPARAM and SRCVISIT (the keys STUDYID, USUBJID, TRTP, PARAMCD, EVNTTYPE
and the covariates are copied as in the input, so that FILE joins with
adsl.csv); in the exclusions file to every column. -raw-csv writes every
cell as it is.

Flags:
`

// usageError is a command-line mistake: exit status 2.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

func main() {
	err := run(os.Args[1:], os.Stdout, os.Stderr)
	var ue usageError
	switch {
	case err == nil:
	case errors.Is(err, flag.ErrHelp):
	case errors.As(err, &ue):
		fmt.Fprintf(os.Stderr, "derive: %v\nRun derive -h for help.\n", err)
		os.Exit(2)
	default:
		fmt.Fprintf(os.Stderr, "derive: %v\n", err)
		os.Exit(1)
	}
}

func run(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("derive", flag.ContinueOnError)
	fs.SetOutput(stderr)
	dir := fs.String("study", "", "study `folder` holding study.yaml, adsl.csv, adqs.csv and optional adce.csv")
	out := fs.String("out", "", "ADTTE output `file`, e.g. build/S/adtte.csv")
	excl := fs.String("exclusions", "", "optional exclusions output `file`, e.g. build/S/derive_exclusions.csv")
	rawCSV := fs.Bool("raw-csv", false, "write text cells starting with = + - @ TAB or CR as they are, without the protective leading quote")
	encoding := fs.String("encoding", "", "text encoding of adsl.csv, adqs.csv and adce.csv: utf-8 (default) or latin1")
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), usage)
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return usageError{err.Error()}
	}
	switch {
	case fs.NArg() > 0:
		return usageError{fmt.Sprintf("unexpected argument %q: all inputs are flags", fs.Arg(0))}
	case *dir == "":
		return usageError{"-study is required: give the study folder, e.g. -study datasets/murrough2013-ajp"}
	case *out == "":
		return usageError{"-out is required: give the ADTTE file to write, e.g. -out build/S/adtte.csv"}
	}
	enc, err := adam.ParseEncoding(*encoding)
	if err != nil {
		return usageError{fmt.Sprintf("-encoding: %v", err)}
	}
	s, err := study.Load(filepath.Join(*dir, "study.yaml"))
	if err != nil {
		return err
	}
	d, err := derive.LoadEncoded(*dir, s, enc)
	if err != nil {
		return fmt.Errorf("could not read the study data: %w", err)
	}
	r, err := derive.Derive(s, d)
	if err != nil {
		return fmt.Errorf("could not derive %s (%s): %w", s.ID, *dir, err)
	}
	if err := derive.WriteFiles(*out, *excl, s.ID, d.CovariateNames, r, derive.WriteOptions{RawCSV: *rawCSV}); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "derive: study %s: %d subjects; %d ADTTE rows written to %s", s.ID, len(d.Subjects), len(r.Rows), *out)
	if *excl != "" {
		fmt.Fprintf(stdout, "; %d exclusions written to %s", len(r.Exclusions), *excl)
	}
	fmt.Fprintln(stdout)
	for _, c := range r.Counts {
		if c.HasCompeting {
			fmt.Fprintf(stdout, "  %-10s %d subjects = %d events + %d competing + %d censored + %d excluded\n", c.Paramcd, c.Subjects, c.Events, c.Competing, c.Censored, c.Excluded)
			continue
		}
		fmt.Fprintf(stdout, "  %-10s %d subjects = %d events + %d censored + %d excluded\n", c.Paramcd, c.Subjects, c.Events, c.Censored, c.Excluded)
	}
	for _, w := range r.Warnings {
		fmt.Fprintf(stderr, "derive: warning: %s\n", w)
	}
	if *excl == "" && len(r.Exclusions) > 0 {
		fmt.Fprintf(stderr, "derive: %d subject-endpoint pairs were excluded; give -exclusions FILE to list them with the reason\n", len(r.Exclusions))
	}
	return nil
}
