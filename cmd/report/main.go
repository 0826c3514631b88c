// Command report writes the report of one study, report.md and a
// self-contained report.html, from the results of the fit stage, the figures
// of the plot stage and, optionally, the summary of the ingest stage and the
// exclusions of the derive stage.
//
// Usage:
//
//	report -results reports/S/tables/results.json -figures reports/S/figures [-ingest reports/S/ingest.json] [-exclusions reports/S/derive_exclusions.csv] -out reports/S
//
// Run report -h for the full description.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/ketcurves/ketcurves/pipeline/report"
)

const usage = `report writes the report of one study: report.md (Markdown) and report.html
(one self-contained file: inline style, figures embedded; it loads nothing).

Usage:
  report -results FILE -figures DIR [-ingest FILE] [-exclusions FILE] -out DIR

Flags:
  -results FILE  results.json written by the fit stage (required),
                 e.g. reports/S/tables/results.json
  -figures DIR   folder with the figures of the plot stage (required), e.g.
                 reports/S/figures. Every figure listed in figures.json
                 (figures[]) is embedded next to its method's section, with
                 its caption and links to its SVG, PNG, PDF and CSV; without
                 that list, each endpoint needs <PARAMCD>.svg or
                 <PARAMCD>.png; .pdf and .csv files are linked when present.
                 When DIR holds figures.json (written by plot), it is read
                 strictly (an unknown schema is an error naming the file):
                 its results_sha256 must be the SHA-256 of -results, else
                 the figures are stale and report fails, naming both files
                 (rerun plot); only the files it lists are used, each with
                 the SHA-256 it records; and the provenance gains a line
                 "Figures: ketcurves plot (Go …), figures/figures.json
                 SHA-256 …" and plot's modules in the module table, whose
                 Program column says which program (fit, plot) recorded each
  -ingest FILE   ingest.json written by the ingest stage (optional): adds rows
                 read, accepted and rejected per file, and checks the counts
                 per arm against results.json
  -exclusions FILE
                 derive_exclusions.csv written by the derive stage (optional;
                 give it when the analysed ADTTE was derived from visit-level
                 scores by cmd/derive), e.g. reports/S/derive_exclusions.csv.
                 Adds a Derivation section: how the endpoints were derived and
                 can be audited (SRCADY, SRCLINE, ILOWER, IUPPER, RSPADY,
                 RSPAVAL, RSPLINE), the subjects excluded counted per
                 endpoint, arm and reason (the REASON up to its first ':'),
                 a link to the file and its SHA-256 in the provenance. The
                 file is read strictly: its header must be
                 STUDYID,USUBJID,TRTP,PARAMCD,REASON, every row must have 5
                 fields and the study of results.json; an error names the
                 file, line and column. A header alone means no exclusion.
  -out DIR       folder to write report.md and report.html to (required),
                 e.g. reports/S; paths in the report are relative to it
  -h             show this help

The report gives the study, its arms and control arm (with a banner when the
data are synthetic), with -exclusions a Derivation section, a Warnings
section (every non-ok status and message), for each endpoint its status,
figures, median and quartiles with confidence intervals (in hours under an
hours axis), log-rank test and Cox model (coefficient, SE, z, HR, CI, p),
links to every table of the folder of -results, a Methods paragraph generated from the conventions in
results.json with the equivalent R and SAS calls, and the provenance (input
files with SHA-256, the programs of the fit and plot stages with their Go and
module versions, citations). The same inputs give
byte-identical files.

Exit status: 0 on success, 1 on error, 2 on a usage error.
`

func main() {
	err := run(os.Args[1:], os.Stdout, os.Stderr)
	if err == nil {
		return
	}
	fmt.Fprintf(os.Stderr, "report: %v\n", err)
	var ue usageError
	if errors.As(err, &ue) {
		os.Exit(2)
	}
	os.Exit(1)
}

// usageError is an error in the command line.
type usageError struct{ error }

func (e usageError) Unwrap() error { return e.error }

func run(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("report", flag.ContinueOnError)
	fs.SetOutput(io.Discard) // errors are returned, help goes to stdout
	var (
		resultsPath = fs.String("results", "", "results.json of the fit stage")
		figuresDir  = fs.String("figures", "", "folder with the figures")
		ingestPath  = fs.String("ingest", "", "ingest.json of the ingest stage (optional)")
		exclPath    = fs.String("exclusions", "", "derive_exclusions.csv of the derive stage (optional)")
		outDir      = fs.String("out", "", "folder to write the report to")
	)
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			_, werr := io.WriteString(stdout, usage)
			return werr
		}
		return usageError{fmt.Errorf("%w (run report -h for help)", err)}
	}
	if fs.NArg() > 0 {
		return usageError{fmt.Errorf("unexpected argument %q: every input is given by a flag (run report -h for help)", fs.Arg(0))}
	}
	for _, f := range []struct{ name, value string }{
		{"results", *resultsPath}, {"figures", *figuresDir}, {"out", *outDir},
	} {
		if f.value == "" {
			return usageError{fmt.Errorf("missing -%s (run report -h for help)", f.name)}
		}
	}

	in, err := report.Load(*resultsPath, *figuresDir, *ingestPath, *outDir)
	if err != nil {
		return err
	}
	if *exclPath != "" {
		if err := in.LoadExclusions(*exclPath, *outDir); err != nil {
			return err
		}
	}
	for _, note := range in.CountMismatches() {
		fmt.Fprintf(stderr, "report: warning: %s\n", note)
	}
	paths, err := report.Write(*outDir, in)
	if err != nil {
		return err
	}
	for _, p := range paths {
		if _, err := fmt.Fprintf(stdout, "wrote %s\n", p); err != nil {
			return err
		}
	}
	return nil
}
