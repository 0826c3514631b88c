package study

import (
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"

	"github.com/ketcurves/ketcurves/pipeline/schema"
	"github.com/ketcurves/ketcurves/pipeline/yamlstrict"
	"go.yaml.in/yaml/v3"
)

// Arm classes. A study's arms each belong to one of these.
const (
	ClassKetamine     = "ketamine"
	ClassEsketamine   = "esketamine"
	ClassConventional = "conventional"
	ClassPlacebo      = "placebo"
	ClassActive       = "active-control"
	// ClassOther is the generic class, for arms of studies that are not
	// about antidepressants (e.g. R's lung data).
	ClassOther = "other"
)

// ArmClasses lists the valid arm classes.
var ArmClasses = []string{ClassKetamine, ClassEsketamine, ClassConventional, ClassPlacebo, ClassActive, ClassOther}

// Endpoint kinds.
const (
	KindResponse     = "response"      // time to response: displayed as cumulative proportion responded
	KindRemission    = "remission"     // time to remission: cumulative proportion remitted
	KindRelapse      = "relapse"       // time to relapse: relapse-free proportion
	KindSIResolution = "si-resolution" // time to resolution of suicidal ideation: cumulative proportion resolved
	KindOther        = "other"         // any other time-to-event endpoint: survival scale
	// KindSurvival is the generic kind for any time-to-event endpoint
	// (overall survival, time to progression …): the survival scale, with
	// the y-axis label of Endpoint.YLabel.
	KindSurvival = "survival"
)

// EndpointKinds lists the valid endpoint kinds.
var EndpointKinds = []string{KindResponse, KindRemission, KindRelapse, KindSIResolution, KindOther, KindSurvival}

// Study is the content of study.yaml.
type Study struct {
	// ID is the study identifier; it must equal STUDYID in every data file.
	ID string `yaml:"id"`
	// Title is a one-line human-readable title.
	Title string `yaml:"title"`
	// Design describes the design (randomization, blinding, dosing, visits).
	Design string `yaml:"design"`
	// Synthetic is true when the data are simulated and not patient data.
	// Every report built from a synthetic study says so.
	Synthetic bool `yaml:"synthetic"`
	// TimeUnit is the unit of AVAL, ADY and ENTRY. Only "days" is accepted.
	TimeUnit string `yaml:"time_unit"`
	// Arms are the treatment arms; Arm.Name matches TRTP (ADTTE) and TRT01P (ADSL).
	Arms []Arm `yaml:"arms"`
	// Control is the name of the control (reference) arm for hazard ratios.
	Control string `yaml:"control"`
	// Endpoints are the time-to-event endpoints analysed.
	Endpoints []Endpoint `yaml:"endpoints"`
	// Analysis holds the analysis conventions; zero values take the defaults.
	Analysis Analysis `yaml:"analysis"`
	// Figures sets the axes of the figures drawn from the subjects' data
	// rather than from one endpoint's analysis, by figure name (the file
	// name without extension): <PARAMCD>-trajectory and
	// <PARAMCD>-spaghetti for a score of adqs.csv, and swimmer.
	Figures map[string]AxisPlan `yaml:"figures"`
	// Provenance says where the data come from.
	Provenance Provenance `yaml:"provenance"`
	// File is the name the study was parsed from, for messages.
	File string `yaml:"-"`
}

// Arm is one treatment arm.
type Arm struct {
	Name  string `yaml:"name"`  // TRTP value, e.g. "KETAMINE"
	Label string `yaml:"label"` // display label, e.g. "IV ketamine 0.5 mg/kg"
	Class string `yaml:"class"` // one of ArmClasses
}

// Endpoint is one time-to-event endpoint (one ADTTE PARAMCD).
type Endpoint struct {
	// Paramcd is the ADTTE PARAMCD, e.g. TTRESP.
	Paramcd string `yaml:"paramcd"`
	// Label is a display label, e.g. "Time to response (MADRS ≥ 50% reduction)".
	Label string `yaml:"label"`
	// Kind is one of EndpointKinds; it decides how curves are displayed.
	Kind string `yaml:"kind"`
	// TimeScale is the preferred time axis of figures: "linear" (default)
	// or "log" (ketamine in hours, conventional drugs in weeks).
	TimeScale string `yaml:"time_scale"`
	// YLabel, if set, is the y-axis label of the endpoint's figures (e.g.
	// "Overall survival"); the default follows Kind.
	YLabel string `yaml:"y_label"`
	// Figure sets the endpoint's figures: ticks, range, annotations.
	Figure *FigurePlan `yaml:"figure"`
	// Derive, if set, is the plan that derives this endpoint from
	// visit-level scores (adqs.csv) with cmd/derive; see derive.go.
	Derive *Derivation `yaml:"derive"`
}

// Analysis holds the analysis conventions of a study. Empty fields mean the
// defaults of package fit: log-log CI, 95% level, Efron ties.
type Analysis struct {
	ConfType   string   `yaml:"conf_type"`  // log | log-log | plain
	ConfLevel  float64  `yaml:"conf_level"` // in (0,1)
	Ties       string   `yaml:"ties"`       // efron | breslow
	Covariates []string `yaml:"covariates"` // ADTTE columns added to the Cox model
	Strata     string   `yaml:"strata"`     // ADTTE column for stratified log-rank and Cox
	// Subgroups are ADTTE columns within each level of which the analysis
	// is repeated (e.g. per randomization stratum).
	Subgroups []string `yaml:"subgroups"`
	// Allow lists numerical statuses that do not fail the pipeline
	// (e.g. monotone_likelihood, zero_events_in_arm).
	Allow []string `yaml:"allow"`
	// Conventions is the convention profile: r or sas (empty: ketcurves'
	// defaults); see package fit.
	Conventions string `yaml:"conventions"`
	// EventColumn names the ADTTE column that says which event a CNSR = 0
	// row is (EVNTTYPE, as cmd/derive writes it with competing events);
	// EventOfInterest is its value for the event analysed, the others
	// being competing events. Empty: EVNTTYPE when the file has it, and
	// the endpoint's own event type (EventTypeOf).
	EventColumn     string `yaml:"event_column"`
	EventOfInterest string `yaml:"event_of_interest"`
	// Methods are the analyses to run (package fit's method names); empty
	// means the defaults. MethodsLine is its line in study.yaml.
	Methods     []string `yaml:"methods"`
	MethodsLine int      `yaml:"-"`
	// Options are the methods' own settings: every other key of the
	// analysis section, by option name (the key with '_' written '-'), as
	// text (a list is joined with commas), with its line. Package fit
	// checks that each names an option of a method.
	Options map[string]PlanSetting `yaml:"-"`
	// Extra receives the other keys while decoding.
	Extra map[string]yaml.Node `yaml:",inline"`
}

// FigurePlan sets the figures of an endpoint; every field is optional.
type FigurePlan struct {
	// XTicks are the tick positions of the time axis, in days (e.g.
	// [0.02778, 0.1667, 1, 7] for 40 min, 4 h, day 1, day 7).
	XTicks []float64 `yaml:"x_ticks"`
	// XRange is the time axis' [min, max] in days.
	XRange []float64 `yaml:"x_range"`
	// Annotate adds the treatment HR (CI) and the test's p-value in the
	// panel; MedianLines draws each arm's median.
	Annotate    *bool `yaml:"annotate"`
	MedianLines *bool `yaml:"median_lines"`
	// Test is the test whose p-value is annotated (a tests.csv name;
	// default logrank).
	Test string `yaml:"test"`
}

// AxisPlan sets the axes of a figure of Study.Figures; every field is
// optional.
type AxisPlan struct {
	// XTicks are the tick positions of the time axis, in days from the
	// first dose (study days).
	XTicks []float64 `yaml:"x_ticks"`
	// XRange is the time axis' [min, max] in days.
	XRange []float64 `yaml:"x_range"`
	// YLabel is the y-axis label (trajectory and spaghetti figures; the
	// swimmer plot's y axis lists the subjects).
	YLabel string `yaml:"y_label"`
}

// Figure kinds drawn from the subjects' data, the suffixes of the names of
// Study.Figures after a PARAMCD, and the swimmer plot's name.
var (
	ScoreFigureSuffixes = []string{"-trajectory", "-spaghetti"}
	SwimmerFigure       = "swimmer"
)

// checkFigure validates the entry of Study.Figures called name; it returns
// the offending key ("" for the name itself) and why, or ok.
func checkFigure(name string, a AxisPlan) (key, why string, ok bool) {
	score := slices.ContainsFunc(ScoreFigureSuffixes, func(s string) bool {
		p, found := strings.CutSuffix(name, s)
		return found && p != "" && !strings.ContainsAny(p, `/\:*?"<>| `)
	})
	if !score && name != SwimmerFigure {
		return "", fmt.Sprintf("figure %q: name a figure drawn from the subjects' data: <PARAMCD>-trajectory or <PARAMCD>-spaghetti (a PARAMCD of adqs.csv, e.g. MADRS-trajectory) or swimmer; an endpoint's figures are set under the endpoint's figure key", name), false
	}
	if name == SwimmerFigure && a.YLabel != "" {
		return "y_label", "the swimmer plot's y axis lists the subjects: remove y_label", false
	}
	if key, why := (&FigurePlan{XTicks: a.XTicks, XRange: a.XRange}).check(); key != "" {
		return key, why, false
	}
	return "", "", true
}

// check validates the figure plan; it returns the offending key and why.
func (f *FigurePlan) check() (string, string) {
	if f == nil {
		return "", ""
	}
	for i, t := range f.XTicks {
		if !(t >= 0) || t > 1e6 || (i > 0 && t <= f.XTicks[i-1]) {
			return "x_ticks", "the ticks must be increasing times in days, >= 0"
		}
	}
	if f.XRange != nil && (len(f.XRange) != 2 || !(f.XRange[0] >= 0) || !(f.XRange[1] > f.XRange[0]) || f.XRange[1] > 1e6) {
		return "x_range", "give [min, max] in days with 0 <= min < max"
	}
	return "", ""
}

// PlanSetting is the value of a method option in study.yaml.
type PlanSetting struct {
	Value string
	Line  int
}

// Provenance records where the data come from.
type Provenance struct {
	Source    string   `yaml:"source"`    // e.g. "simulated by cmd/simulate from scenario.yaml, seed 20261125"
	Citations []string `yaml:"citations"` // published results the data are calibrated to
	Notes     string   `yaml:"notes"`
}

// Arm returns the arm with the given name.
func (s *Study) Arm(name string) (Arm, bool) {
	for _, a := range s.Arms {
		if a.Name == name {
			return a, true
		}
	}
	return Arm{}, false
}

// ArmNames returns the arm names in file order.
func (s *Study) ArmNames() []string {
	names := make([]string, len(s.Arms))
	for i, a := range s.Arms {
		names[i] = a.Name
	}
	return names
}

// FigureSettings returns the axes of Figures as results.json carries them
// to the plot stage (schema.Results.Figures); nil without Figures.
func (s *Study) FigureSettings() map[string]schema.FigureSettings {
	if len(s.Figures) == 0 {
		return nil
	}
	out := make(map[string]schema.FigureSettings, len(s.Figures))
	for name, a := range s.Figures {
		out[name] = schema.FigureSettings{XTicks: a.XTicks, XRange: a.XRange, YLabel: a.YLabel}
	}
	return out
}

// Endpoint returns the endpoint with the given PARAMCD.
func (s *Study) Endpoint(paramcd string) (Endpoint, bool) {
	for _, e := range s.Endpoints {
		if e.Paramcd == paramcd {
			return e, true
		}
	}
	return Endpoint{}, false
}

// Load reads and validates the study.yaml at path.
func Load(path string) (*Study, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("could not read study file: %w", err)
	}
	return Parse(path, data)
}

// Parse decodes and validates study.yaml content; name is used in messages.
func Parse(name string, data []byte) (*Study, error) {
	var s Study
	root, err := yamlstrict.Decode(name, data, &s, "check its spelling against datasets/README.md")
	if errors.Is(err, yamlstrict.ErrEmpty) {
		return nil, fmt.Errorf("%s: the file is empty: write the study description (see datasets/README.md)", name)
	}
	if err != nil {
		return nil, err
	}
	if err := s.validate(name, root); err != nil {
		return nil, err
	}
	s.File = name
	s.Analysis.MethodsLine = LineOf(root, "analysis", "methods")
	if err := s.Analysis.collectOptions(name); err != nil {
		return nil, err
	}
	return &s, nil
}

func (s *Study) validate(name string, root *yaml.Node) error {
	at := func(path ...any) string {
		if l := LineOf(root, path...); l > 0 {
			return fmt.Sprintf("%s: line %d", name, l)
		}
		return name
	}
	if strings.TrimSpace(s.ID) == "" {
		return fmt.Errorf("%s: id is missing: add `id: <STUDYID>` matching STUDYID in the data files", at())
	}
	switch s.TimeUnit {
	case "days":
	case "":
		return fmt.Errorf("%s: time_unit is missing: add `time_unit: days` (AVAL, ADY and ENTRY are in days)", at())
	default:
		return fmt.Errorf("%s: time_unit is %q: only \"days\" is supported; convert AVAL to days (40 min = 0.02778)", at("time_unit"), s.TimeUnit)
	}
	if len(s.Arms) == 0 {
		return fmt.Errorf("%s: no arms: list the arms under `arms:` with name and class", at())
	}
	seen := map[string]bool{}
	for i, a := range s.Arms {
		if strings.TrimSpace(a.Name) == "" {
			return fmt.Errorf("%s: arm %d has no name: set `name:` to its TRTP value", at("arms", i), i+1)
		}
		if seen[a.Name] {
			return fmt.Errorf("%s: arm %q is listed twice: arm names must be unique", at("arms", i, "name"), a.Name)
		}
		seen[a.Name] = true
		if !slices.Contains(ArmClasses, a.Class) {
			return fmt.Errorf("%s: arm %q has class %q: use one of %s", at("arms", i, "class"), a.Name, a.Class, strings.Join(ArmClasses, ", "))
		}
	}
	if s.Control == "" {
		return fmt.Errorf("%s: control is missing: set `control:` to the reference arm, one of %s", at(), strings.Join(s.ArmNames(), ", "))
	}
	if !seen[s.Control] {
		return fmt.Errorf("%s: control arm %q is not among the arms (%s)", at("control"), s.Control, strings.Join(s.ArmNames(), ", "))
	}
	if len(s.Endpoints) == 0 {
		return fmt.Errorf("%s: no endpoints: list them under `endpoints:` with paramcd and kind", at())
	}
	seenEP := map[string]bool{}
	for i, e := range s.Endpoints {
		if strings.TrimSpace(e.Paramcd) == "" {
			return fmt.Errorf("%s: endpoint %d has no paramcd", at("endpoints", i), i+1)
		}
		if seenEP[e.Paramcd] {
			return fmt.Errorf("%s: endpoint %q is listed twice", at("endpoints", i, "paramcd"), e.Paramcd)
		}
		seenEP[e.Paramcd] = true
		if !slices.Contains(EndpointKinds, e.Kind) {
			return fmt.Errorf("%s: endpoint %q has kind %q: use one of %s", at("endpoints", i, "kind"), e.Paramcd, e.Kind, strings.Join(EndpointKinds, ", "))
		}
		switch e.TimeScale {
		case "", "linear", "log":
		default:
			return fmt.Errorf("%s: endpoint %q has time_scale %q: use linear or log", at("endpoints", i, "time_scale"), e.Paramcd, e.TimeScale)
		}
		if key, why := e.Figure.check(); key != "" {
			return fmt.Errorf("%s: endpoint %q figure %s: %s", at("endpoints", i, "figure", key), e.Paramcd, key, why)
		}
		if e.Derive != nil {
			if p := e.Derive.check(s, i); p != nil {
				return fmt.Errorf("%s: %s", at(append([]any{"endpoints", i, "derive"}, p.path...)...), p.msg)
			}
		}
	}
	names := make([]string, 0, len(s.Figures))
	for n := range s.Figures {
		names = append(names, n)
	}
	slices.Sort(names)
	for _, n := range names {
		if key, why, ok := checkFigure(n, s.Figures[n]); !ok {
			if key == "" {
				return fmt.Errorf("%s: %s", at("figures", n), why)
			}
			return fmt.Errorf("%s: figure %q %s: %s", at("figures", n, key), n, key, why)
		}
	}
	a := s.Analysis
	switch a.ConfType {
	case "", "log", "log-log", "plain":
	default:
		return fmt.Errorf("%s: conf_type %q: use log, log-log or plain", at("analysis", "conf_type"), a.ConfType)
	}
	if a.ConfLevel != 0 && !(a.ConfLevel > 0 && a.ConfLevel < 1) {
		return fmt.Errorf("%s: conf_level %v: must be strictly between 0 and 1 (e.g. 0.95)", at("analysis", "conf_level"), a.ConfLevel)
	}
	switch a.Ties {
	case "", "efron", "breslow":
	default:
		return fmt.Errorf("%s: ties %q: use efron or breslow", at("analysis", "ties"), a.Ties)
	}
	for i, st := range a.Allow {
		// method:status allows the status only when that method flags it.
		if _, after, ok := strings.Cut(st, ":"); ok {
			st = after
		}
		if _, err := schema.ParseStatus(st); err != nil {
			return fmt.Errorf("%s: allow: %v", at("analysis", "allow", i), err)
		}
	}
	switch a.Conventions {
	case "", "r", "sas":
	default:
		return fmt.Errorf("%s: conventions %q: use r (R survival's defaults) or sas (SAS PROC LIFETEST/PHREG's)", at("analysis", "conventions"), a.Conventions)
	}
	return nil
}

// collectOptions turns the extra keys of the analysis section into
// Options: a scalar as it is, a list of scalars joined with commas.
func (a *Analysis) collectOptions(name string) error {
	keys := make([]string, 0, len(a.Extra))
	for k := range a.Extra {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		n := a.Extra[k]
		var value string
		switch n.Kind {
		case yaml.ScalarNode:
			value = n.Value
		case yaml.SequenceNode:
			parts := make([]string, len(n.Content))
			for i, c := range n.Content {
				if c.Kind != yaml.ScalarNode {
					return fmt.Errorf("%s: line %d: analysis.%s: each element must be a single value", name, c.Line, k)
				}
				parts[i] = c.Value
			}
			value = strings.Join(parts, ",")
		default:
			return fmt.Errorf("%s: line %d: analysis.%s must be a value or a list of values", name, n.Line, k)
		}
		if a.Options == nil {
			a.Options = map[string]PlanSetting{}
		}
		a.Options[strings.ReplaceAll(k, "_", "-")] = PlanSetting{Value: value, Line: n.Line}
	}
	a.Extra = nil
	return nil
}

// Statuses are the numerical statuses an analysis can report besides "ok"
// (schema.Statuses). A study may list some of them under analysis.allow so
// that they do not fail the pipeline.
var Statuses = schema.StatusNames()

// LineOf returns the line of the YAML node reached from root by path, whose
// elements are mapping keys (string) or sequence indices (int). It returns the
// line of the deepest node found, or 0 if root is empty.
func LineOf(root *yaml.Node, path ...any) int {
	n := root
	if n == nil {
		return 0
	}
	if n.Kind == yaml.DocumentNode && len(n.Content) > 0 {
		n = n.Content[0]
	}
	line := n.Line
	for _, p := range path {
		var next *yaml.Node
		switch k := p.(type) {
		case string:
			if n.Kind == yaml.MappingNode {
				for i := 0; i+1 < len(n.Content); i += 2 {
					if n.Content[i].Value == k {
						next = n.Content[i+1]
						break
					}
				}
			}
		case int:
			if n.Kind == yaml.SequenceNode && k >= 0 && k < len(n.Content) {
				next = n.Content[k]
			}
		}
		if next == nil {
			return line
		}
		n = next
		line = n.Line
	}
	return line
}
