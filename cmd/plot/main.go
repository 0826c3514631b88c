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

plot draws the figures of a results.json written by the fit stage: every
figure kind (see -figures) that applies to each endpoint, in SVG, PNG and
PDF, with a CSV of exactly what is drawn. For an endpoint PARAMCD it writes

  DIR/PARAMCD.svg, .png, .pdf, .csv        km: Kaplan–Meier curves, numbers at risk
  DIR/PARAMCD-forest.svg, …                forest: Cox hazard ratios and subgroups
  DIR/PARAMCD-nelson_aalen.svg, …          nelson_aalen: cumulative hazard
  DIR/PARAMCD-rmst.svg, …                  rmst: area between the curves up to tau
  DIR/PARAMCD-zph.svg, …                   zph: scaled Schoenfeld residuals, smooth, cox.zph p
  DIR/PARAMCD-loglog.svg, …                loglog: log(-log S) against log t
  DIR/PARAMCD-aft.svg, …                   aft: KM with the best (smallest AIC) AFT fit and band, dashed
  DIR/PARAMCD-cure.svg, …                  cure: KM with the cure model's 1 - pi + pi S_u(t), dashed
  DIR/PARAMCD-cif.svg, …                   cif: cumulative incidence per cause (band for the event of interest), 1 - KM, numbers at risk

A kind applies when the fit methods it draws ran (conventions.methods of
results.json) and the endpoint holds their results: km needs km rows,
forest a Cox model, nelson_aalen and rmst their sections and km rows, zph
its section and a Cox model, loglog km rows, aft an aft (or ic_aft)
section with a best model, cure its section, cif its section and the
endpoint's event types (an event-type column with competing events).

The KM figure has one step curve per arm, the pointwise confidence band
shaded where the bounds are defined, "+" marks at censoring times, a legend
with the arm labels and n, and the numbers at risk below the plot at the
time-axis ticks (subjects with time >= t, as survminer's risk table).
Response, remission and si-resolution endpoints are drawn as the cumulative
proportion with the event, 1 - S(t); relapse and other endpoints as S(t).
Arms keep their house style in every figure: a colour-blind-safe
(Okabe–Ito) colour and a dash pattern from the arm's class (ketamine
vermillion solid, esketamine purple dash-dot, conventional blue dashed,
placebo black dotted, active-control green long dash, other orange).
Synthetic studies get the footnote "Synthetic data — not patient data".
PNG files are drawn at -dpi dots per inch (default 300).

The KM, nelson_aalen and rmst CSVs have the columns series,arm,segment,x,y,value
where series is curve, ci_lower, ci_upper, censor_mark, at_risk (and rmst,
rmst_difference for rmst); x is the time in days as drawn, y the value on the
drawn scale, value the number at risk (at_risk rows). The curve and band are
post-step functions: a vertex's y holds until the next x. The forest CSV has
one row per drawn row with the numbers of cox.csv and subgroups.csv. The
cif CSV has the columns series,arm,cause,x,y,value,ci_lower,ci_upper: series
cif (a vertex of a cause's curve), one_minus_km or at_risk; ci_lower and
ci_upper are the pointwise limits of the event of interest at the vertex
(cif.csv lower, upper), shaded until the next x, empty where NA.

Figure options: the plan's per-endpoint settings (study.yaml
endpoints[].figure: x_ticks, x_range, annotate, median_lines, test,
carried in results.json) apply to every kind of figure of the endpoint; a
flag given on the command line wins over them for every endpoint.
-x-ticks and -x-range set the time axis in days (the numbers at risk follow
the ticks), -y-label the y label, -annotate=false drops the KM figure's
in-panel HR (CI) and p-value (-test chooses the test), -medians=false its
median lines. The subject-level figures below are set by name in the plan
(study.yaml figures: e.g. MADRS-trajectory: {x_ticks: [0, 1, 7, 28],
x_range: [0, 28], y_label: "MADRS total score"}, MADRS-spaghetti, swimmer
(no y_label), carried in results.json figures); flags win over them too,
and a planned figure that is not drawn is reported on stderr.

Optional subject-level inputs add figures that results.json cannot give:

  -adqs adqs.csv (with -adsl adsl.csv or -adtte FILE for the arms)
      DIR/PARAMCD-trajectory.*   mean score by visit and arm with 95% t CIs
                                 (observed cases), one per PARAMCD of adqs.csv
      DIR/PARAMCD-spaghetti.*    each subject's scores with the arm means,
                                 when the study has at most -small-study subjects
  -adtte FILE (the ADTTE file analysed)
      DIR/swimmer.*              one lane per subject from day 0 to its last
                                 assessment (ORIGDY + AVAL), events marked as
                                 response (response, remission, si-resolution
                                 endpoints) or relapse, and the end of follow-up
                                 as discontinued (CNSDTDSC "DISCONTINUED...") or
                                 censored; at most -small-study subjects

Their time axis is the study's own: log when an endpoint of results.json is
drawn on log time (time_scale log), else linear, unless -time-scale says.

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
  figures[]       every figure drawn, by endpoint then kind: paramcd, kind,
                  caption (n, events and conventions; use it as alt text)
                  and files (its file names)

Every file is written atomically (temporary file, then rename); the same
results.json gives byte-identical files, figures.json included (it has no
timestamp), whatever the number of cores.

Endpoints without Kaplan–Meier rows (e.g. a status that stopped the fit) get
no KM figure; plot says so on stderr.

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
		figures     = fs.String("figures", strings.Join(figure.KindNames(), ","), "comma-separated figure kinds among "+strings.Join(figure.KindNames(), ", "))
		xTicks      = fs.String("x-ticks", "", "comma-separated time-axis ticks in days for every figure, e.g. 0,7,14,28 or 0.0417,1,7 (log axis); default automatic")
		xRange      = fs.String("x-range", "", "time-axis range FROM,TO in days, e.g. 0,28; default automatic")
		yLabel      = fs.String("y-label", "", "y-axis label of the KM, RMST and trajectory figures; default the endpoint's y_label, else one that follows its kind")
		annotate    = fs.Bool("annotate", true, "KM figure: in-panel treatment HR (CI) of the Cox model and the test's p-value")
		medians     = fs.Bool("medians", true, "KM figure: dashed lines to each arm's median")
		testName    = fs.String("test", "", "test whose p-value the KM annotation shows (tests.csv test: logrank, fh:1:0, cox_wald, ...); default the endpoint's first test")
		adqsPath    = fs.String("adqs", "", "adqs.csv: also draw PARAMCD-trajectory (mean by visit and arm, 95% t CIs) and, for small studies, PARAMCD-spaghetti; arms from -adsl or -adtte")
		adslPath    = fs.String("adsl", "", "adsl.csv: the subjects' arms (TRT01P) for -adqs")
		adttePath   = fs.String("adtte", "", "the ADTTE file analysed: also draw swimmer.* for small studies (and the arms (TRTP) for -adqs without -adsl)")
		smallStudy  = fs.Int("small-study", figure.DefaultSmallStudy, "largest number of subjects for the spaghetti and swimmer figures")
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

	kinds, err := parseKinds(*figures)
	if err != nil {
		return usageError{err}
	}

	res, resData, err := readResults(*resultsPath)
	if err != nil {
		return err
	}
	opts := []figure.Option{figure.WithTimeScale(*timeScale), figure.WithDPI(*dpi), figure.WithSVGFonts(*svgFonts), figure.WithSmallStudy(*smallStudy)}
	// The plan's figure settings (results.json endpoints[].figure) apply
	// unless a flag is given: only flags set on the command line become
	// options, and Kind.Build puts them after the plan's.
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	if set["annotate"] {
		opts = append(opts, figure.WithAnnotation(*annotate))
	}
	if set["medians"] {
		opts = append(opts, figure.WithMedianLines(*medians))
	}
	if set["test"] {
		opts = append(opts, figure.WithTest(*testName))
	}
	axisOpts, err := axisOptions(*xTicks, *xRange, *yLabel)
	if err != nil {
		return usageError{err}
	}
	opts = append(opts, axisOpts...)
	if *smallStudy < 1 {
		return usageError{fmt.Errorf("-small-study %d: use a positive number of subjects", *smallStudy)}
	}
	if *adqsPath != "" && *adslPath == "" && *adttePath == "" {
		return usageError{errors.New("-adqs needs the subjects' arms: give -adsl adsl.csv or -adtte FILE")}
	}
	// Every file (endpoint × kind × format, and the CSV) is an independent
	// job: they run on all cores, each writes its own file atomically, and
	// the messages are printed in endpoint order, so the output is the
	// same whatever the number of cores.
	type job struct {
		path   string
		render func(path string) error
	}
	var jobs []job
	var lines []string
	var names []string // every file written, for figures.json
	var drawn []figure.ManifestFigure
	for i := range res.Endpoints {
		ep := &res.Endpoints[i]
		if ep.KM.Len() == 0 {
			fmt.Fprintf(stderr, "plot: %s: no figure: the endpoint has no Kaplan–Meier rows (status %q)\n", ep.Paramcd, ep.Status)
		}
		var written []string
		for _, k := range kinds {
			if !k.AppliesTo(res, ep) {
				continue
			}
			d, err := k.Build(res, ep, opts...)
			if err != nil {
				return fmt.Errorf("%s: %w", *resultsPath, err)
			}
			mf := figure.ManifestFigure{Paramcd: ep.Paramcd, Kind: k.Name, Caption: d.Caption()}
			base := filepath.Join(*outDir, k.FileBase(ep))
			for _, format := range fmts {
				jobs = append(jobs, job{base + "." + format, func(path string) error { return figure.Save(d, path, w, h) }})
				mf.Files = append(mf.Files, filepath.Base(base+"."+format))
			}
			jobs = append(jobs, job{base + ".csv", func(path string) error { return atomicfile.Write(path, d.WriteCSV) }})
			mf.Files = append(mf.Files, filepath.Base(base+".csv"))
			for _, f := range mf.Files {
				written = append(written, filepath.Join(*outDir, f))
			}
			names = append(names, mf.Files...)
			drawn = append(drawn, mf)
		}
		if len(written) > 0 {
			lines = append(lines, fmt.Sprintf("%s: wrote %s\n", ep.Paramcd, strings.Join(written, ", ")))
		}
	}
	extra, err := subjectFigures(res, subjectInputs{adqs: *adqsPath, adsl: *adslPath, adtte: *adttePath, timeScale: *timeScale}, opts, stderr)
	if err != nil {
		return err
	}
	for _, x := range extra {
		d := x.drawing
		mf := figure.ManifestFigure{Paramcd: x.paramcd, Kind: x.kind, Caption: d.Caption()}
		base := filepath.Join(*outDir, x.base)
		var written []string
		for _, format := range fmts {
			jobs = append(jobs, job{base + "." + format, func(path string) error { return figure.Save(d, path, w, h) }})
			mf.Files = append(mf.Files, filepath.Base(base+"."+format))
		}
		jobs = append(jobs, job{base + ".csv", func(path string) error { return atomicfile.Write(path, d.WriteCSV) }})
		mf.Files = append(mf.Files, filepath.Base(base+".csv"))
		for _, f := range mf.Files {
			written = append(written, filepath.Join(*outDir, f))
		}
		names = append(names, mf.Files...)
		drawn = append(drawn, mf)
		lines = append(lines, fmt.Sprintf("%s: wrote %s\n", x.base, strings.Join(written, ", ")))
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
	m.Figures = drawn
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

// parseKinds reads the -figures list: registered kind names, in registry
// order whatever the order given.
func parseKinds(s string) ([]*figure.Kind, error) {
	chosen := map[string]bool{}
	for _, name := range strings.Split(s, ",") {
		name = strings.TrimSpace(name)
		if _, err := figure.LookupKind(name); err != nil {
			return nil, fmt.Errorf("-figures %q: %w", s, err)
		}
		chosen[name] = true
	}
	var out []*figure.Kind
	for _, k := range figure.Kinds {
		if chosen[k.Name] {
			out = append(out, k)
		}
	}
	return out, nil
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
