// Command synthesis sets the bundled studies side by side: it reads every
// REPORTS/*/tables/results.json and writes the cross-trial synthesis
// report (synthesis.md, synthesis.html), its figures and tables to OUT.
// See -h.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

const usage = `usage: synthesis -reports DIR -out DIR [flags]

Read every DIR/*/tables/results.json (folders without one, and OUT itself,
are skipped) and write to OUT:
  synthesis.md, synthesis.html  the report (the HTML self-contained, figures inlined)
  response_curves.{svg,png,pdf,csv}   1 - KM of every arm of every response endpoint
  relapse_curves.{svg,png,pdf,csv}    relapse-free curves, one panel per study
  forest_<kind>_<treated>_vs_<control>.{svg,png,pdf,csv}  per pooled contrast
  milestones.csv, pooled.csv    the report's tables

The one-stage IPD analysis reads each study's analysed ADTTE (results.json
input.file, relative to -root) when it exists and its SHA-256 matches.

Flags:
`

func main() {
	if err := run(os.Args[1:], os.Stdout, os.Stderr); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			os.Exit(0)
		}
		fmt.Fprintf(os.Stderr, "synthesis: %v\n", err)
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
	fs := flag.NewFlagSet("synthesis", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprint(stderr, usage); fs.PrintDefaults() }
	reports := fs.String("reports", "reports", "folder of the studies' report folders")
	out := fs.String("out", "reports/synthesis", "output folder")
	root := fs.String("root", ".", "folder the results' input.file paths are relative to")
	exclude := fs.String("exclude", "", "comma-separated study folders to leave out (e.g. example)")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return usageError{err.Error()}
	}
	if fs.NArg() > 0 {
		return usageError{fmt.Sprintf("unexpected argument %q: give folders with -reports and -out", fs.Arg(0))}
	}
	var skip []string
	if *exclude != "" {
		skip = strings.Split(*exclude, ",")
	}
	paths, err := findResults(*reports, *out, skip)
	if err != nil {
		return err
	}
	return synthesize(paths, *root, *out, stdout)
}

// findResults lists DIR/*/tables/results.json, sorted, skipping out and
// the excluded folders.
func findResults(dir, out string, exclude []string) ([]string, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("could not list the reports folder: %w", err)
	}
	absOut, _ := filepath.Abs(out)
	var paths []string
	for _, e := range entries {
		if !e.IsDir() || slices.Contains(exclude, e.Name()) {
			continue
		}
		sub := filepath.Join(dir, e.Name())
		if abs, _ := filepath.Abs(sub); abs == absOut {
			continue
		}
		p := filepath.Join(sub, "tables", "results.json")
		if _, err := os.Stat(p); err == nil {
			paths = append(paths, p)
		}
	}
	if len(paths) == 0 {
		return nil, fmt.Errorf("no %s/*/tables/results.json found: run make fit first", dir)
	}
	return paths, nil
}
