// Command fit estimates, for every endpoint (PARAMCD) of an ADTTE file,
// Kaplan–Meier curves by arm with confidence intervals, quartiles with
// Brookmeyer–Crowley intervals, the log-rank test and a Cox model of
// treatment, and writes km.csv, quantiles.csv, tests.csv, cox.csv and
// results.json. See -h for the flags and reports/README.md for the columns.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"strings"

	"github.com/ketcurves/ketcurves/pipeline/adam"
	"github.com/ketcurves/ketcurves/pipeline/cox"
	"github.com/ketcurves/ketcurves/pipeline/fit"
	"github.com/ketcurves/ketcurves/pipeline/km"
	"github.com/ketcurves/ketcurves/pipeline/study"
)

const usage = `usage: fit -adtte FILE -out DIR [flags]

Estimate survival curves, quartiles, log-rank and Cox models for every
endpoint (PARAMCD) of an ADTTE file, by treatment arm (TRTP).

schema.Input: an ADaM ADTTE file — CSV, SAS XPORT (.xpt, v5 or v8) or CDISC
Dataset-JSON (.json, .ndjson), chosen by the extension — with STUDYID, USUBJID, TRTP, PARAMCD, AVAL (days;
fractions allowed, 40 min = 0.02778) and CNSR (0 = event, 1 = censored),
plus any covariate columns. It works on any such file; with -study the arms,
endpoints, control arm and analysis conventions come from study.yaml.

Output, in DIR (columns documented in reports/README.md):
  km.csv         Kaplan-Meier estimate, Greenwood standard error and CI per time
  quantiles.csv  25th, 50th, 75th percentiles of the event time with CIs
  tests.csv      log-rank and Cox Wald, likelihood-ratio and score tests
  cox.csv        Cox coefficients and hazard ratios with CIs
  subgroups.csv  hazard ratio and log-rank test within each subgroup level (-subgroups)
  results.json   all of the above, statuses, conventions and input SHA-256

Defaults and how they differ between R and SAS:
  -conf-type log-log   SAS PROC LIFETEST's default; R survfit's default is log
  -ties efron          R coxph's default; SAS PROC PHREG's default is breslow
  -control             the study's control arm, else the first TRTP in sorted order

Numerical trouble (an arm without events, non-convergence, monotone
likelihood, singular information, fewer than two arms, a test that cannot
be computed) is reported as a status in results.json; fit then exits with
status 1 unless every such status is allowed (-allow, or analysis.allow in
study.yaml). The outputs are written either way. A file without any
accepted row is an error, and nothing is written.

Analyses (-methods, or analysis.methods in study.yaml; an option of a method
also selects it, e.g. -zph km; every option is also a key of study.yaml's
analysis section, with '-' written '_'):
`

// gcPercent is fit's garbage-collection target (GOGC) unless the GOGC
// environment variable sets one. fit's heap is mostly pointer-free columns
// (times, codes, model matrices), which the collector does not scan, so
// collecting when the heap has grown by half instead of doubled costs
// little time and keeps the peak nearer the live data: at 1e7 rows, read
// + Cox peaks at 1258 MiB instead of 1382 MiB (cmd/benchcmp/README.md).
const gcPercent = 50

func main() {
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(gcPercent)
	}
	if err := run(os.Args[1:], os.Stdout, os.Stderr); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			os.Exit(0)
		}
		fmt.Fprintf(os.Stderr, "fit: %v\n", err)
		var ue usageError
		if errors.As(err, &ue) {
			os.Exit(2)
		}
		os.Exit(1)
	}
}

type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

func run(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("fit", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprint(stderr, usage)
		fit.WriteMethodList(stderr)
		fmt.Fprint(stderr, "\nFlags:\n")
		fs.PrintDefaults()
	}
	adtte := fs.String("adtte", "", "ADTTE CSV file (required)")
	out := fs.String("out", "", "output folder (required)")
	studyFile := fs.String("study", "", "study.yaml: arms, endpoints, control arm and conventions")
	confType := fs.String("conf-type", "", "confidence interval transform: log, log-log or plain (default log-log, or study.yaml's)")
	confLevel := fs.Float64("conf-level", 0, "confidence level in (0,1) (default 0.95, or study.yaml's)")
	ties := fs.String("ties", "", "Cox tie handling: efron or breslow (default efron, or study.yaml's)")
	covariates := fs.String("covariates", "", "comma-separated ADTTE columns added to the Cox model")
	strata := fs.String("strata", "", "ADTTE column for a stratified log-rank test and Cox model")
	subgroups := fs.String("subgroups", "", "comma-separated ADTTE columns: repeat the analysis within each of their levels (subgroups.csv)")
	control := fs.String("control", "", "reference arm (TRTP value) for hazard ratios")
	allow := fs.String("allow", "", "comma-separated statuses that do not fail: "+strings.Join(study.Statuses, ", "))
	methods := fs.String("methods", "", "comma-separated analyses to run (default: "+strings.Join(fit.DefaultMethods(), ",")+"); see the list above")
	eventColumn := fs.String("event-column", "", "ADTTE column naming the event of each CNSR = 0 row (competing events; default EVNTTYPE when present)")
	eventOfInterest := fs.String("event-of-interest", "", "value of the event column for the event analysed; the other values are competing events (default: the endpoint's event type from study.yaml)")
	conventions := fs.String("conventions", "", "convention profile: r or sas (switches CI transform, ties, reference arm and level together)")
	// Every option a method declares is a flag of the same name.
	methodFlags := map[string]*string{}
	for _, mo := range fit.AllOptions() {
		methodFlags[mo.Name] = fs.String(mo.Name, "", fmt.Sprintf("%s (method %s)", mo.Usage, mo.Method))
	}
	rawCSV := fs.Bool("raw-csv", false, "write text cells of the tables as they are (default: a cell starting with =, +, -, @, TAB or CR gets a ' in front, so that a spreadsheet does not run it as a formula)")
	encoding := fs.String("encoding", "", "text encoding of a CSV or SAS XPORT input: utf-8 (default) or latin1")
	member := fs.String("member", "", "SAS XPORT member to read (default: the only member, or the one named ADTTE)")
	reader := fs.String("reader", "", "CSV reader: gota or stream (default: by file size)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *adtte == "" || *out == "" || fs.NArg() > 0 {
		fs.Usage()
		return usageError{"-adtte and -out are required and no other arguments are accepted"}
	}
	opt := fit.Options{Control: *control, Strata: *strata, Program: "ketcurves fit", Profile: *conventions, EventColumn: *eventColumn, EventOfInterest: *eventOfInterest}
	if *methods != "" {
		opt.Methods, opt.MethodsOrigin = splitList(*methods), "flag -methods"
	}
	fs.Visit(func(f *flag.Flag) {
		if v, ok := methodFlags[f.Name]; ok {
			if opt.Settings == nil {
				opt.Settings = fit.Settings{}
			}
			opt.Settings[f.Name] = fit.Setting{Value: *v, Origin: "flag -" + f.Name}
		}
	})
	if *conventions != "" && *conventions != fit.ProfileR && *conventions != fit.ProfileSAS {
		return usageError{fmt.Sprintf("-conventions %q: use r or sas", *conventions)}
	}
	if *confType != "" {
		ct, err := km.ParseConfType(*confType)
		if err != nil {
			return usageError{fmt.Sprintf("-conf-type: %v", err)}
		}
		opt.ConfType = ct
	}
	if *confLevel != 0 {
		if !(*confLevel > 0 && *confLevel < 1) {
			return usageError{fmt.Sprintf("-conf-level %v: must be strictly between 0 and 1, e.g. 0.95", *confLevel)}
		}
		opt.ConfLevel = *confLevel
	}
	if *ties != "" {
		t, err := cox.ParseTies(*ties)
		if err != nil {
			return usageError{fmt.Sprintf("-ties: %v", err)}
		}
		opt.Ties = t
	}
	if *covariates != "" {
		opt.Covariates = splitList(*covariates)
	}
	if *subgroups != "" {
		opt.Subgroups = splitList(*subgroups)
	}
	if *allow != "" {
		opt.Allow = splitList(*allow)
		for _, a := range opt.Allow {
			if err := fit.CheckAllow(a); err != nil {
				return usageError{fmt.Sprintf("-allow: %v", err)}
			}
		}
	}
	var rd adam.Reader
	switch *reader {
	case "":
	case "gota":
		rd = adam.ReaderGota
	case "stream":
		rd = adam.ReaderStream
	default:
		return usageError{fmt.Sprintf("-reader %q: use gota or stream", *reader)}
	}
	if *studyFile != "" {
		s, err := study.Load(*studyFile)
		if err != nil {
			return err
		}
		opt.Study = s
	}
	enc, err := adam.ParseEncoding(*encoding)
	if err != nil {
		return usageError{fmt.Sprintf("-encoding: %v", err)}
	}
	t, rep, err := adam.ReadADTTE(*adtte, adam.Options{Study: opt.Study, Reader: rd, Encoding: enc, Member: *member, KeepColumn: fit.KeepColumn(opt), DropSubjects: !fit.KeepSubjects(opt)})
	if err != nil {
		return err
	}
	if rep.Rejected > 0 {
		fmt.Fprintf(stderr, "fit: %s: %d of %d rows rejected (run ingest for the list)\n", rep.File, rep.Rejected, rep.RowsRead)
	}
	res, err := fit.Analyze(t, rep, opt)
	if err != nil {
		return err
	}
	var wopts []fit.WriteOption
	if *rawCSV {
		wopts = append(wopts, fit.RawCSV())
	}
	if err := fit.WriteOutputs(*out, res, wopts...); err != nil {
		return err
	}
	for _, ep := range res.Endpoints {
		fmt.Fprintf(stdout, "%s: %d arms, status %s\n", ep.Paramcd, len(ep.Arms), ep.Status)
	}
	return fit.Err(res)
}

func splitList(s string) []string {
	var out []string
	for _, f := range strings.Split(s, ",") {
		if f = strings.TrimSpace(f); f != "" {
			out = append(out, f)
		}
	}
	return out
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}
