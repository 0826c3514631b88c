// Command ingest validates a study folder: study.yaml, adsl.csv, adqs.csv,
// adce.csv (each when present) and an ADTTE file. It writes ingest.json (rows read, accepted and rejected
// per file, subjects and events per arm and endpoint) and rejects.csv (every
// rejected row with file, line, column, value and reason).
//
// Usage:
//
//	ingest -study DIR -out DIR [-adtte FILE] [-raw-csv]
package main

import (
	"errors"
	"flag"
	"fmt"
	"github.com/ketcurves/ketcurves/pipeline/adam"
	"io"
	"os"

	"github.com/ketcurves/ketcurves/pipeline/ingest"
)

const usage = `usage: ingest -study DIR -out DIR [-adtte FILE] [-encoding utf-8|latin1] [-raw-csv]

Validate a study folder and report what was accepted and rejected.

A study folder holds study.yaml and the ADaM-style CSV files adsl.csv,
adqs.csv, adce.csv (qualifying clinical events, optional; a header alone
means no event occurred) and adtte.csv (see datasets/README.md). Every data
row is either accepted or written to OUT/rejects.csv with its file, line,
column, value and reason; OUT/ingest.json counts rows read = accepted +
rejected per file (files: adsl.csv, adqs.csv, adce.csv, then the ADTTE
file, each when present).

A fatal problem (missing required column, unknown arm, duplicate
subject+endpoint, CNSR not 0/1, negative, non-numeric or non-finite AVAL,
non-finite ADY, empty CETERM, subject not in adsl.csv, malformed row,
empty file) makes ingest exit with status 1 and a message
naming the file, line and column; both output files are still written,
listing every problem, so that all can be fixed at once. A malformed row
(bad quoting) does not stop the reading: the rows after it are still
checked and counted. A subject whose adsl.csv row has a fatal problem is
reported at that row only, not again at its rows of the other files.

Positions: "line L" is the line of the file (the header is line 1);
"column N (NAME)" is the column's number and name in the header; a
required column missing from the header is "line 1, column NAME (absent)";
an empty file or a header without rows is "line 1"; where no column can be
named, "character C" of the line is given.

ingest.json also records study.yaml and the SHA-256 of its bytes
(study_file, study_sha256).

Spreadsheet safety (package csvsafe): a text cell of rejects.csv (file,
column, value, reason) starting with =, +, -, @, TAB or CR is written with
a single quote in front, so that a spreadsheet shows it as text instead
of running it as a formula; a value that is a plain number (-5, -0.5)
never is. -raw-csv writes every cell as it is.

CSV files may have a UTF-8 byte-order mark, CRLF line ends, quoted fields
and trailing blank lines. Text is UTF-8 (the data contract): a byte that is
not is a fatal problem naming the cell; -encoding latin1 reads CSV and XPT
files in ISO-8859-1 instead.

Flags:
`

func main() {
	if err := run(os.Args[1:], os.Stdout, os.Stderr); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			os.Exit(0)
		}
		var ue usageError
		if errors.As(err, &ue) {
			fmt.Fprintf(os.Stderr, "ingest: %v\n", err)
			os.Exit(2)
		}
		fmt.Fprintf(os.Stderr, "ingest: %v\n", err)
		os.Exit(1)
	}
}

type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

func run(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("ingest", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprint(stderr, usage)
		fs.PrintDefaults()
	}
	dir := fs.String("study", "", "study folder holding study.yaml and the CSV files (required)")
	out := fs.String("out", "", "output folder for ingest.json and rejects.csv (required)")
	adtte := fs.String("adtte", "", "ADTTE file to validate instead of STUDY/adtte.csv (e.g. one made by derive)")
	rawCSV := fs.Bool("raw-csv", false, "write text cells of rejects.csv starting with = + - @ TAB or CR as they are, without the protective leading quote")
	encoding := fs.String("encoding", "", "text encoding of the CSV and SAS XPORT files: utf-8 (default) or latin1")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *dir == "" || *out == "" || fs.NArg() > 0 {
		fs.Usage()
		return usageError{"-study and -out are required and no other arguments are accepted"}
	}
	enc, err := adam.ParseEncoding(*encoding)
	if err != nil {
		return usageError{fmt.Sprintf("-encoding: %v", err)}
	}
	in, err := ingest.FindInput(*dir, *adtte)
	if err != nil {
		return err
	}
	in.Encoding = enc
	sum, problems, runErr := ingest.Run(in)
	if sum == nil {
		return runErr
	}
	if err := ingest.WriteOutputs(*out, sum, problems, ingest.WriteOptions{RawCSV: *rawCSV}); err != nil {
		return err
	}
	for _, f := range sum.Files {
		fmt.Fprintf(stdout, "%s: %d rows read = %d accepted + %d rejected\n", f.File, f.RowsRead, f.Accepted, f.Rejected)
	}
	if runErr != nil {
		return fmt.Errorf("%w\nevery problem is listed in %s/%s", runErr, *out, sum.RejectsFile)
	}
	return nil
}
