// Command plot draws the Kaplan–Meier figures of a results.json written by
// the fit stage: one figure per endpoint, in SVG, PNG and PDF, with a CSV of
// exactly what is drawn. Run plot -h for the full documentation.
package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"

	"gonum.org/v1/plot/vg"

	"github.com/ketcurves/ketcurves/pipeline/atomicfile"
	"github.com/ketcurves/ketcurves/pipeline/figure"
	"github.com/ketcurves/ketcurves/pipeline/schema"
)

const usage = `usage: plot -results FILE -out DIR [flags]

plot draws one Kaplan–Meier figure per endpoint of a results.json written by
the fit stage. For each endpoint PARAMCD it writes

  DIR/PARAMCD.svg, DIR/PARAMCD.png, DIR/PARAMCD.pdf   the figure (see -formats)
  DIR/PARAMCD.csv                                     every drawn point

The figure has one step curve per arm (colour-blind-safe colours and distinct
line styles), the pointwise confidence band shaded where the bounds are
defined, "+" marks at censoring times, a legend with the arm labels and n, and
the numbers at risk below the plot at the time-axis ticks (subjects with
time >= t, as survminer's risk table). Response, remission and si-resolution
endpoints are drawn as the cumulative proportion with the event, 1 - S(t);
relapse and other endpoints as S(t). Synthetic studies get the footnote
"Synthetic data — not patient data".

The CSV has the columns series,arm,segment,x,y,value where series is curve,
ci_lower, ci_upper, censor_mark or at_risk; x is the time in days as drawn, y
the value on the drawn scale, value the number at risk (at_risk rows). The
curve and band are post-step functions: a vertex's y holds until the next x.

Last, after every figure file has been written, plot writes

  DIR/figures.json                                    what drew the figures

so that a figure can be traced to the results and the plotting library that
made it. Its fields, in this order (keys of modules sorted):

  schema          "ketcurves.figures/v1"
  results_file    the results.json read, relative to DIR ("../tables/results.json")
  results_sha256  SHA-256 (hex) of the bytes of that results.json; the report
                  stage refuses figures drawn from other results
  software        program ("ketcurves plot"), go_version, and modules: the
                  version of every Go module linked into plot (gonum.org/v1/plot,
                  its font, PDF, SVG and raster modules, …), from the build
                  information of the binary
  files[]         every file written by this run, sorted by name: file (its
                  name in DIR) and sha256 (hex SHA-256 of its bytes)

Every file is written atomically (temporary file, then rename); the same
results.json gives byte-identical files, figures.json included (it has no
timestamp), whatever the number of cores.

Endpoints without Kaplan–Meier rows (e.g. a status that stopped the fit) get
no figure; plot says so on stderr.

Flags:
`

// usageError is a command-line error: exit status 2.
type usageError struct{ err error }

func (e usageError) Error() string { return e.err.Error() }
func (e usageError) Unwrap() error { return e.err }

func main() {
	err := run(os.Args[1:], os.Stdout, os.Stderr)
	switch {
	case err == nil:
	case errors.Is(err, flag.ErrHelp):
	case errors.As(err, new(usageError)):
		fmt.Fprintln(os.Stderr, "plot:", err)
		os.Exit(2)
	default:
		fmt.Fprintln(os.Stderr, "plot:", err)
		os.Exit(1)
	}
}

func run(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("plot", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), usage)
		fs.PrintDefaults()
	}
	var (
		resultsPath = fs.String("results", "", "results.json written by the fit stage (required)")
		outDir      = fs.String("out", "", "output directory, created if needed (required)")
		timeScale   = fs.String("time-scale", figure.TimeAuto, "time axis: auto (the endpoint's time_scale from study.yaml, linear when unset), linear or log")
		formats     = fs.String("formats", strings.Join(figure.Formats, ","), "comma-separated figure formats among svg, png, pdf")
		width       = fs.String("width", "16cm", "figure width with a unit: cm, mm, in or pt")
		height      = fs.String("height", "12cm", "figure height with a unit: cm, mm, in or pt")
		dpi         = fs.Int("dpi", figure.DefaultDPI, "PNG resolution in dots per inch")
		svgFonts    = fs.Bool("svg-embed-fonts", false, "embed the Liberation fonts in SVG files (about 1 MB each; identical rendering everywhere). By default SVGs name the font and viewers substitute a sans-serif; PDFs always embed their fonts")
	)
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return usageError{err}
	}
	if fs.NArg() > 0 {
		return usageError{fmt.Errorf("unexpected argument %q: all inputs are flags (see plot -h)", fs.Arg(0))}
	}
	if *resultsPath == "" || *outDir == "" {
		return usageError{errors.New("-results and -out are required (see plot -h)")}
	}
	switch *timeScale {
	case figure.TimeAuto, figure.TimeLinear, figure.TimeLog:
	default:
		return usageError{fmt.Errorf("-time-scale %q: use auto, linear or log", *timeScale)}
	}
	fmts, err := parseFormats(*formats)
	if err != nil {
		return usageError{err}
	}
	w, err := parseLength("-width", *width)
	if err != nil {
		return usageError{err}
	}
	h, err := parseLength("-height", *height)
	if err != nil {
		return usageError{err}
	}
	if *dpi <= 0 || *dpi > 2400 {
		return usageError{fmt.Errorf("-dpi %d: use a value from 1 to 2400", *dpi)}
	}

	res, resData, err := readResults(*resultsPath)
	if err != nil {
		return err
	}
	opts := []figure.Option{figure.WithTimeScale(*timeScale), figure.WithDPI(*dpi), figure.WithSVGFonts(*svgFonts)}
	if note := bandNote(res.Conventions); note != "" {
		opts = append(opts, figure.WithNotes(note))
	}
	// Every file (endpoint × format, and the CSV) is an independent job:
	// they run on all cores, each writes its own file atomically, and the
	// messages are printed in endpoint order, so the output is the same
	// whatever the number of cores.
	type job struct {
		path   string
		render func(path string) error
	}
	var jobs []job
	var lines []string
	var names []string // every file written, for figures.json
	for _, ep := range res.Endpoints {
		if len(ep.KM) == 0 {
			fmt.Fprintf(stderr, "plot: %s: no figure: the endpoint has no Kaplan–Meier rows (status %q)\n", ep.Paramcd, ep.Status)
			continue
		}
		f, err := figure.Curves(ep, res.Study, opts...)
		if err != nil {
			return fmt.Errorf("%s: %w", *resultsPath, err)
		}
		var written []string
		for _, format := range fmts {
			path := filepath.Join(*outDir, ep.Paramcd+"."+format)
			jobs = append(jobs, job{path, func(path string) error { return f.Save(path, w, h) }})
			written = append(written, path)
		}
		path := filepath.Join(*outDir, ep.Paramcd+".csv")
		jobs = append(jobs, job{path, func(path string) error { return atomicfile.Write(path, f.WriteCSV) }})
		written = append(written, path)
		for _, p := range written {
			names = append(names, filepath.Base(p))
		}
		lines = append(lines, fmt.Sprintf("%s: wrote %s\n", ep.Paramcd, strings.Join(written, ", ")))
	}
	errs := make([]error, len(jobs))
	next := make(chan int)
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), len(jobs)) {
		wg.Go(func() {
			for i := range next {
				errs[i] = jobs[i].render(jobs[i].path)
			}
		})
	}
	for i := range jobs {
		next <- i
	}
	close(next)
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return err
	}
	// The manifest hashes the files once they are all written, in name
	// order, so its bytes do not depend on the order the jobs finished.
	m, err := figure.NewManifest(*outDir, *resultsPath, resData, names, figure.Software(program))
	if err != nil {
		return err
	}
	manifest := filepath.Join(*outDir, figure.ManifestName)
	if err := atomicfile.Write(manifest, m.WriteJSON); err != nil {
		return err
	}
	for _, l := range lines {
		fmt.Fprint(stdout, l)
	}
	fmt.Fprintf(stdout, "wrote %s\n", manifest)
	return nil
}

// program is the name recorded in figures.json.
const program = "ketcurves plot"

// readResults reads and checks results.json, and returns it with its bytes;
// errors name the file, and the line and column for malformed JSON.
func readResults(path string) (*schema.Results, []byte, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, nil, fmt.Errorf("could not read results file: %w (give the results.json written by the fit stage)", err)
	}
	var res schema.Results
	if err := json.Unmarshal(data, &res); err != nil {
		var syn *json.SyntaxError
		var typ *json.UnmarshalTypeError
		switch {
		case errors.As(err, &syn):
			line, col := position(data, syn.Offset)
			return nil, nil, fmt.Errorf("%s:%d:%d: not valid JSON: %v: give the results.json written by the fit stage", path, line, col, err)
		case errors.As(err, &typ):
			line, col := position(data, typ.Offset)
			return nil, nil, fmt.Errorf("%s:%d:%d: field %s has a %s where a %s is expected: give the results.json written by the fit stage", path, line, col, typ.Field, typ.Value, typ.Type)
		}
		return nil, nil, fmt.Errorf("%s: could not decode: %w", path, err)
	}
	if res.Schema != schema.SchemaVersion {
		return nil, nil, fmt.Errorf("%s: schema %q: plot reads %q; rerun the fit stage of this version", path, res.Schema, schema.SchemaVersion)
	}
	if len(res.Endpoints) == 0 {
		return nil, nil, fmt.Errorf("%s: no endpoints: nothing to plot", path)
	}
	seen := map[string]bool{}
	for i, ep := range res.Endpoints {
		if ep.Paramcd == "" || strings.ContainsAny(ep.Paramcd, `/\:*?"<>|`) || ep.Paramcd == "." || ep.Paramcd == ".." {
			return nil, nil, fmt.Errorf("%s: endpoint %d has paramcd %q, which cannot name a file: use letters, digits and _", path, i+1, ep.Paramcd)
		}
		if seen[ep.Paramcd] {
			return nil, nil, fmt.Errorf("%s: endpoint %q appears twice: each PARAMCD must be analysed once", path, ep.Paramcd)
		}
		seen[ep.Paramcd] = true
	}
	return &res, data, nil
}

// position converts a byte offset into a 1-based line and column.
func position(data []byte, offset int64) (line, col int) {
	offset = min(max(offset, 0), int64(len(data)))
	before := data[:offset]
	line = bytes.Count(before, []byte("\n")) + 1
	col = int(offset) - (bytes.LastIndexByte(before, '\n') + 1)
	return line, max(col, 1)
}

// bandNote describes the confidence bands from the fit conventions.
func bandNote(c schema.Conventions) string {
	if c.ConfLevel <= 0 || c.ConfLevel >= 1 {
		return ""
	}
	level := strconv.FormatFloat(100*c.ConfLevel, 'f', -1, 64)
	var how []string
	if c.ConfType != "" {
		how = append(how, c.ConfType+" transform")
	}
	if c.Variance != "" {
		how = append(how, c.Variance+" variance")
	}
	note := "Shaded bands: pointwise " + level + "% confidence intervals"
	if len(how) > 0 {
		note += " (" + strings.Join(how, ", ") + ")"
	}
	return note + "."
}

func parseFormats(s string) ([]string, error) {
	var out []string
	for _, f := range strings.Split(s, ",") {
		f = strings.ToLower(strings.TrimSpace(f))
		if !slices.Contains(figure.Formats, f) {
			return nil, fmt.Errorf("-formats %q: %q is not a figure format: use a comma-separated list of %s", s, f, strings.Join(figure.Formats, ", "))
		}
		if !slices.Contains(out, f) {
			out = append(out, f)
		}
	}
	return out, nil
}

var units = []struct {
	suffix string
	length vg.Length
}{
	{"cm", vg.Centimeter}, {"mm", vg.Millimeter}, {"in", vg.Inch}, {"pt", vg.Points(1)},
}

// parseLength reads a length such as "16cm", "160mm", "6.3in" or "450pt".
func parseLength(flagName, s string) (vg.Length, error) {
	t := strings.TrimSpace(strings.ToLower(s))
	for _, u := range units {
		if num, ok := strings.CutSuffix(t, u.suffix); ok {
			v, err := strconv.ParseFloat(strings.TrimSpace(num), 64)
			if err != nil || !(v > 0) || v > 1e4 {
				break
			}
			return vg.Length(v) * u.length, nil
		}
	}
	return 0, fmt.Errorf("%s %q: give a positive number with a unit, e.g. 16cm, 160mm, 6.3in or 450pt", flagName, s)
}
