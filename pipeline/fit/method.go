package fit

import (
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/ketcurves/ketcurves/pipeline/adam"
	"github.com/ketcurves/ketcurves/pipeline/schema"
)

// Method is one analysis of the fit stage, as registered in Methods: its
// public name, the options it declares, how it runs on an endpoint, the
// tables it writes, its methods sentence and its report section. Only Name,
// Summary and Configure are required.
type Method struct {
	// Name is the public name, the same in -methods, analysis.methods and
	// results.json: km, quantiles, tests, cox, nelson_aalen, zph, piecewise …
	Name string
	// Summary is one line for -h and the documentation.
	Summary string
	// Default is true for the methods run when none are chosen.
	Default bool
	// DefaultWhen, if set, makes the method a default for the tables it
	// returns true for (e.g. turnbull when the table has ILOWER and
	// IUPPER).
	DefaultWhen func(t *adam.ADTTE, opt Options) bool
	// UsesSubjects says the method reads USUBJID (KeepSubjects): the
	// others only need the reader's duplicate check of it.
	UsesSubjects bool
	// Comparative methods need at least two arms; on an endpoint with
	// fewer they are skipped (the endpoint gets too_few_arms once).
	Comparative bool
	// Options are the method's own settings. Setting one whose Selects is
	// true also selects the method.
	Options []Option
	// Configure validates the method's settings (only the options it
	// declares are present) and returns the analysis to run. Errors name
	// the setting's origin (Setting.Origin).
	Configure func(set Settings) (Analysis, error)
	// Tables are the CSV files the method writes (nil for none).
	Tables []Table
	// Methods returns the methods sentence for what was run, from the
	// results alone; nil or "" for none.
	Methods func(res *schema.Results) string
	// RCode returns the R calls that reproduce the method's numbers, one
	// per line, after those of the core methods (which define d, km and
	// fit); nil for none.
	RCode func(c schema.Conventions) string
	// Report returns the method's report section for one endpoint, from
	// the results alone; nil for a method the report package renders
	// itself (km, quantiles, tests, cox) or that has no section. A nil
	// section means nothing to show for this endpoint.
	Report func(ep *schema.Endpoint, res *schema.Results) (*Section, error)
}

// Analysis runs one method on one endpoint: it writes its results into ep
// (a field, or its section via ep.SetSection) and flags numerical trouble
// with ctx.Flag. An error is for unusable input and stops the fit stage.
type Analysis interface {
	Run(ctx *Context, ep *schema.Endpoint) error
}

// Preparer is an Analysis with work that can be done ahead: the driver
// calls the Prepare methods of an endpoint's analyses concurrently, before
// their Run methods in order. Prepare computes what Run will need and
// keeps it with Shared; it may only read the context (its fields, the
// table, Options) and call Shared, curve and curves. Run does the
// reporting (Flag, Note, the endpoint's results) and takes the prepared
// values, or computes them if Prepare did not. So the log-rank test's sort
// runs while the arms' Kaplan–Meier curves are fitted.
type Preparer interface {
	Analysis
	Prepare(ctx *Context)
}

// AnalysisFunc adapts a function to Analysis.
type AnalysisFunc func(ctx *Context, ep *schema.Endpoint) error

// Run calls f.
func (f AnalysisFunc) Run(ctx *Context, ep *schema.Endpoint) error { return f(ctx, ep) }

// Option is one setting a method declares. It is the flag -Name of cmd/fit
// and the key of study.yaml's analysis section with '-' written '_'.
type Option struct {
	Name  string
	Usage string
	// Selects is true when giving the option also selects its method
	// (e.g. -zph km runs zph).
	Selects bool
}

// PlanKey is the option's key in study.yaml's analysis section.
func (o Option) PlanKey() string { return strings.ReplaceAll(o.Name, "-", "_") }

// Setting is the value of an option and where it came from, for messages:
// "flag -zph" or "study.yaml: line 31".
type Setting struct {
	Value  string
	Origin string
}

// Settings are the options given, by option name.
type Settings map[string]Setting

// Errorf returns an error about setting name, naming its origin.
func (s Settings) Errorf(name, format string, args ...any) error {
	return fmt.Errorf("%s (%s): %s", s[name].Origin, name, fmt.Sprintf(format, args...))
}

// Table is one CSV file a method writes: its name, its header (a public
// contract, documented in reports/README.md) and its rows, from the
// results alone, endpoint by endpoint.
type Table struct {
	File   string
	Header []string
	Rows   func(ep *schema.Endpoint, emit func(cells ...string)) error
	// Len and Append, when both set, give an endpoint's rows by index, in
	// the order Rows emits them, Append formatting rows lo … hi-1 straight
	// into bytes: a table with a row per distinct time (a million for
	// continuous times) is then formatted in chunks on all cores without
	// a string per cell. Rows must still be set, with the same cells.
	Len    func(ep *schema.Endpoint) int
	Append func(ep *schema.Endpoint, lo, hi int, row *CSVRow)
}

// Section is a method's part of the report for one endpoint: plain text,
// rendered by the report package as Markdown and as HTML (escaped there).
type Section struct {
	Title      string
	Paragraphs []string
	Tables     []SectionTable
}

// SectionTable is a table of a report section.
type SectionTable struct {
	Caption string
	Header  []string
	Rows    [][]string
	// Notes are shown under the table.
	Notes []string
}

// methodByName returns the registered method called name.
func methodByName(name string) (*Method, bool) {
	for _, m := range Methods {
		if m.Name == name {
			return m, true
		}
	}
	return nil, false
}

// MethodNames returns the names of the registered methods, in order.
func MethodNames() []string {
	out := make([]string, len(Methods))
	for i, m := range Methods {
		out[i] = m.Name
	}
	return out
}

// DefaultMethods returns the names of the methods run by default.
func DefaultMethods() []string {
	var out []string
	for _, m := range Methods {
		if m.Default {
			out = append(out, m.Name)
		}
	}
	return out
}

// Lookup returns the registered method called name.
func Lookup(name string) (*Method, bool) { return methodByName(name) }

// AllOptions returns every option of every method, in registry order, with
// the method that declares it.
func AllOptions() []MethodOption {
	var out []MethodOption
	for _, m := range Methods {
		for _, o := range m.Options {
			out = append(out, MethodOption{Method: m.Name, Option: o})
		}
	}
	return out
}

// MethodOption is an option and the method that declares it.
type MethodOption struct {
	Method string
	Option
}

// WriteMethodList writes the registered methods with their summaries and
// options, for -h.
func WriteMethodList(w io.Writer) {
	for _, m := range Methods {
		def := ""
		if m.Default {
			def = " (default)"
		}
		fmt.Fprintf(w, "  %-13s %s%s\n", m.Name, m.Summary, def)
		for _, o := range m.Options {
			fmt.Fprintf(w, "  %-13s   -%s: %s\n", "", o.Name, o.Usage)
		}
	}
}

// selectMethods returns the methods to run: the named ones (all the
// defaults when names is empty) plus every method one of whose selecting
// options is set, in registry order.
func selectMethods(names []string, origin string, set Settings, t *adam.ADTTE, opt Options) ([]*Method, error) {
	chosen := map[string]bool{}
	if len(names) == 0 {
		names = DefaultMethods()
		for _, m := range Methods {
			if m.DefaultWhen != nil && m.DefaultWhen(t, opt) {
				names = append(names, m.Name)
			}
		}
	}
	for _, n := range names {
		if _, ok := methodByName(n); !ok {
			return nil, fmt.Errorf("%s: unknown method %q: use one of %s", origin, n, strings.Join(MethodNames(), ", "))
		}
		chosen[n] = true
	}
	for _, mo := range AllOptions() {
		if _, given := set[mo.Name]; given && mo.Selects {
			chosen[mo.Method] = true
		}
	}
	var out []*Method
	for _, m := range Methods {
		if chosen[m.Name] {
			out = append(out, m)
		}
	}
	return out, nil
}

// configure returns the configured analyses of methods, each with the
// settings of its own options.
func configure(methods []*Method, set Settings) ([]Analysis, error) {
	known := map[string]bool{}
	for _, mo := range AllOptions() {
		known[mo.Name] = true
	}
	for name, s := range set {
		if !known[name] {
			return nil, fmt.Errorf("%s: unknown option %q", s.Origin, name)
		}
	}
	out := make([]Analysis, len(methods))
	for i, m := range methods {
		own := Settings{}
		for _, o := range m.Options {
			if s, ok := set[o.Name]; ok {
				own[o.Name] = s
			}
		}
		a, err := m.Configure(own)
		if err != nil {
			return nil, fmt.Errorf("method %s: %w", m.Name, err)
		}
		out[i] = a
	}
	return out, nil
}

// Has reports whether the results include method name.
func Has(res *schema.Results, name string) bool {
	return slices.Contains(res.Conventions.Methods, name)
}
