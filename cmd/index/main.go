// Command index writes the project index, index.md and a self-contained
// index.html, from the results of every study in a reports folder: one row
// per study and endpoint (subjects, events, median per arm with CI, hazard
// ratio with CI, log-rank p-value, status), linking to each report.
//
// Usage:
//
//	index -reports reports [-out reports]
//
// Run index -h for the full description.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/ketcurves/ketcurves/pipeline/index"
)

const usage = `index writes the project index: index.md (Markdown) and index.html (one
self-contained page: inline style, it loads nothing), one row per study and
endpoint, linking to each study's report.

Usage:
  index -reports DIR [-out DIR]

Flags:
  -reports DIR  the reports folder (required), e.g. reports: every
                DIR/<study>/tables/results.json (written by the fit stage)
                gives the rows of one study, in the order of the folder
                names; folders without results.json are skipped
  -out DIR      folder to write index.md and index.html to (default: the
                -reports folder, so that the links to <study>/report.html
                hold)
  -h            show this help

Each row gives the study, the endpoint (PARAMCD and PARAM), subjects and
events, the median per arm with its confidence interval (in hours where the
endpoint's figure axis is in hours, as the report), the hazard ratio of each
treatment arm against the control arm with its confidence interval, the
log-rank p-value and the status. The same results give byte-identical files.

Exit status: 0 on success, 1 on error, 2 on a usage error.
`

func main() {
	err := run(os.Args[1:], os.Stdout)
	if err == nil {
		return
	}
	fmt.Fprintf(os.Stderr, "index: %v\n", err)
	var ue usageError
	if errors.As(err, &ue) {
		os.Exit(2)
	}
	os.Exit(1)
}

// usageError is an error in the command line.
type usageError struct{ error }

func (e usageError) Unwrap() error { return e.error }

func run(args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("index", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	var (
		reportsDir = fs.String("reports", "", "the reports folder")
		outDir     = fs.String("out", "", "folder to write the index to (default -reports)")
	)
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			_, werr := io.WriteString(stdout, usage)
			return werr
		}
		return usageError{fmt.Errorf("%w (run index -h for help)", err)}
	}
	if fs.NArg() > 0 {
		return usageError{fmt.Errorf("unexpected argument %q: every input is given by a flag (run index -h for help)", fs.Arg(0))}
	}
	if *reportsDir == "" {
		return usageError{errors.New("missing -reports (run index -h for help)")}
	}
	if *outDir == "" {
		*outDir = *reportsDir
	} else if *outDir != *reportsDir {
		fmt.Fprintf(stdout, "note: links to the reports are relative to %s\n", *reportsDir)
	}
	ix, err := index.Build(*reportsDir)
	if err != nil {
		return err
	}
	paths, err := ix.Write(*outDir)
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
