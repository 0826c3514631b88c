package figure

import (
	"fmt"
	"io"
	"slices"
	"strings"

	"gonum.org/v1/plot/vg"

	"github.com/ketcurves/ketcurves/pipeline/schema"
)

// Drawing is a figure ready to be drawn: what the plot stage writes for one
// kind of figure of one endpoint. Every Drawing is built from results.json
// data alone.
type Drawing interface {
	// Render writes the figure in format ("svg", "png" or "pdf") at width
	// w and height h.
	Render(out io.Writer, format string, w, h vg.Length) error
	// WriteCSV writes every number the figure draws, one row per drawn
	// element, so that a reviewer can re-plot it.
	WriteCSV(w io.Writer) error
	// Caption is the figure's caption, also its alt text: what is drawn,
	// n and events per arm, and the conventions behind the numbers.
	Caption() string
}

// Kind is one kind of figure, as registered in Kinds: its public name, the
// fit methods whose results it draws, and how it is built. Adding a kind is
// one file defining a Kind and one line in Kinds.
type Kind struct {
	// Name is the public name: km, forest, nelson_aalen, rmst …
	Name string
	// Summary is one line for -h and the documentation.
	Summary string
	// Suffix ends the file names, PARAMCD + Suffix + ".svg": "-" + Name,
	// except "" for km, whose PARAMCD.svg the report embeds.
	Suffix string
	// Needs are the fit methods (schema.Conventions.Methods) the figure
	// draws the results of; every one must have run.
	Needs []string
	// Applies reports whether the endpoint holds what the figure draws
	// (Kaplan–Meier rows, a Cox model, a section …). It is called only
	// when the methods of Needs ran.
	Applies func(ep *schema.Endpoint) bool
	// build prepares the figure of endpoint ep of res from opts as given
	// (Build adds the plan's settings). Errors are for inconsistent
	// results and name the endpoint.
	build func(res *schema.Results, ep *schema.Endpoint, opts ...Option) (Drawing, error)
}

// Build prepares the figure of endpoint ep of res with the plan's settings
// of the endpoint's figures (ep.Figure, see PlanOptions) and then opts, so
// that an explicit option (a plot flag) wins over the plan. Errors are for
// inconsistent results or settings and name the endpoint.
func (k *Kind) Build(res *schema.Results, ep *schema.Endpoint, opts ...Option) (Drawing, error) {
	plan, err := PlanOptions(ep)
	if err != nil {
		return nil, err
	}
	return k.build(res, ep, append(plan, opts...)...)
}

// PlanOptions returns the options that the plan's figure settings of ep
// (study.yaml endpoints[].figure, carried in results.json as ep.Figure)
// stand for: x_ticks WithXTicks, x_range WithXRange, annotate
// WithAnnotation, median_lines WithMedianLines, test WithTest (and
// y_label WithYLabel, which the fit stage sets only in res.Figures; see
// FigureOptions). Unset
// settings give no option, so the defaults hold. It fails when x_range
// does not hold two numbers.
func PlanOptions(ep *schema.Endpoint) ([]Option, error) {
	f := ep.Figure
	if f == nil {
		return nil, nil
	}
	opts, err := axisOptions(*f)
	if err != nil {
		return nil, fmt.Errorf("could not prepare the figures of %s: figure.%w", ep.Paramcd, err)
	}
	if f.Annotate != nil {
		opts = append(opts, WithAnnotation(*f.Annotate))
	}
	if f.MedianLines != nil {
		opts = append(opts, WithMedianLines(*f.MedianLines))
	}
	if f.Test != "" {
		opts = append(opts, WithTest(f.Test))
	}
	return opts, nil
}

// FigureOptions returns the options that the plan's axes of the figure
// called name stand for: the figures drawn from the subjects' data, named
// as their files without extension (<PARAMCD>-trajectory,
// <PARAMCD>-spaghetti, swimmer), take their settings from study.yaml
// figures, carried in results.json as res.Figures: x_ticks WithXTicks,
// x_range WithXRange, y_label WithYLabel. Give the options before the
// explicit ones (plot flags), so that those win, as Kind.Build does. A
// figure without settings gives no option. It fails when x_range does not
// hold two numbers.
func FigureOptions(res *schema.Results, name string) ([]Option, error) {
	f, ok := res.Figures[name]
	if !ok {
		return nil, nil
	}
	opts, err := axisOptions(f)
	if err != nil {
		return nil, fmt.Errorf("could not prepare the %s figure: figures.%s.%w", name, name, err)
	}
	return opts, nil
}

// axisOptions returns the options of the axis settings of f: x_ticks,
// x_range and y_label.
func axisOptions(f schema.FigureSettings) ([]Option, error) {
	var opts []Option
	if f.XTicks != nil {
		opts = append(opts, WithXTicks(f.XTicks...))
	}
	if f.XRange != nil {
		if len(f.XRange) != 2 {
			return nil, fmt.Errorf("x_range holds %d numbers: give [from, to] in days in study.yaml and rerun the fit stage", len(f.XRange))
		}
		opts = append(opts, WithXRange(f.XRange[0], f.XRange[1]))
	}
	if f.YLabel != "" {
		opts = append(opts, WithYLabel(f.YLabel))
	}
	return opts, nil
}

// Kinds is the registry of figure kinds, in the order the plot stage draws
// them.
var Kinds = []*Kind{
	kmKind,
	forestKind,
	nelsonAalenKind,
	rmstKind,
	zphKind,
	loglogKind,
	aftKind,
	cureKind,
	cifKind,
}

// KindNames returns the names of the registered kinds, in order.
func KindNames() []string {
	out := make([]string, len(Kinds))
	for i, k := range Kinds {
		out[i] = k.Name
	}
	return out
}

// LookupKind returns the registered kind called name, or an error listing
// the names.
func LookupKind(name string) (*Kind, error) {
	for _, k := range Kinds {
		if k.Name == name {
			return k, nil
		}
	}
	return nil, fmt.Errorf("unknown figure kind %q: use one of %s", name, strings.Join(KindNames(), ", "))
}

// AppliesTo reports whether kind k draws a figure of endpoint ep of res: the
// methods it needs ran and the endpoint holds what it draws.
// A results.json that does not list its methods (written before the fit
// stage recorded them) ran LegacyMethods.
func (k *Kind) AppliesTo(res *schema.Results, ep *schema.Endpoint) bool {
	ran := res.Conventions.Methods
	if len(ran) == 0 {
		ran = LegacyMethods
	}
	for _, m := range k.Needs {
		if !slices.Contains(ran, m) {
			return false
		}
	}
	return k.Applies == nil || k.Applies(ep)
}

// LegacyMethods are the methods of a results.json without
// conventions.methods: the four analyses the fit stage ran before it
// became a driver over methods.
var LegacyMethods = []string{"km", "quantiles", "tests", "cox"}

// FileBase is the name of the kind's files for ep without the extension:
// PARAMCD + Suffix.
func (k *Kind) FileBase(ep *schema.Endpoint) string { return ep.Paramcd + k.Suffix }

// section decodes section name of ep into v, naming the endpoint on error.
func section[T any](ep *schema.Endpoint, name string) (T, bool, error) {
	var v T
	ok, err := ep.Section(name, &v)
	if err != nil {
		return v, ok, fmt.Errorf("could not prepare the %s figure of %s: %w: results.json is inconsistent, rerun the fit stage", name, ep.Paramcd, err)
	}
	return v, ok, nil
}

// Save writes d to path, in the format given by the extension (.svg, .png
// or .pdf), at width w and height h, through atomicfile.
func Save(d Drawing, path string, w, h vg.Length) error { return save(d, path, w, h) }
