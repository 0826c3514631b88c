package mc

import (
	"errors"
	"fmt"
	"math"
	"os"
	"slices"
	"strings"

	"github.com/ketcurves/ketcurves/pipeline/yamlstrict"

	"github.com/ketcurves/ketcurves/pipeline/cox"
	"github.com/ketcurves/ketcurves/pipeline/km"
	"github.com/ketcurves/ketcurves/pipeline/study"
)

// Design is a two-arm trial design, the content of design.yaml.
//
//	name: ketamine-vs-ssri-ttresp
//	control:      {name: SSRI, n: 100, median: 35}
//	experimental: {name: KETAMINE, n: 100, hr: 1.8}   # or median: 14
//	shape: 1                        # Weibull shape of both arms (1: exponential)
//	followup: {min: 42, max: 56}    # administrative censoring, uniform, days
//	dropout_rate: 0.004             # per day, exponential; 0: none
//	rmst_tau: 42                    # days
//	alpha: 0.05                     # two-sided
//	conf_level: 0.95
//	conf_type: log-log              # KM and median CIs: log-log, log or plain
//	ties: efron                     # Cox ties: efron or breslow
//	analyses: [logrank, cox, median, rmst]   # default: all
type Design struct {
	// Name identifies the design in results.
	Name string `yaml:"name" json:"name"`
	// Description is free text.
	Description string `yaml:"description" json:"description"`
	// Control is the reference arm of the hazard ratio; it needs a median.
	Control Arm `yaml:"control" json:"control"`
	// Experimental is the other arm; it needs a median or a hazard ratio
	// against the control arm (not both).
	Experimental Arm `yaml:"experimental" json:"experimental"`
	// Shape is the Weibull shape parameter of both arms (> 0; 1 gives
	// exponential times). A common shape keeps hazards proportional.
	Shape float64 `yaml:"shape" json:"shape"`
	// Followup is the administrative censoring time of each subject, days
	// after randomisation, uniform between Min and Max (Min == Max: fixed).
	Followup Followup `yaml:"followup" json:"followup"`
	// DropoutRate is the exponential hazard of loss to follow-up, per day.
	DropoutRate float64 `yaml:"dropout_rate" json:"dropout_rate"`
	// RMSTTau is the horizon of the restricted mean survival time, days;
	// at most Followup.Max.
	RMSTTau float64 `yaml:"rmst_tau" json:"rmst_tau"`
	// Alpha is the two-sided significance level of the tests (default 0.05).
	Alpha float64 `yaml:"alpha" json:"alpha"`
	// ConfLevel is the level of every confidence interval (default 0.95).
	ConfLevel float64 `yaml:"conf_level" json:"conf_level"`
	// ConfType is the KM confidence interval type (default log-log).
	ConfType km.ConfType `yaml:"conf_type" json:"conf_type"`
	// Ties is the Cox tie handling (default efron).
	Ties cox.Ties `yaml:"ties" json:"ties"`
	// Analyses lists the analyses run on each trial, among Analyses
	// (default: all). A power study of the tests alone can list
	// [logrank, cox]; the summaries of the others are then undefined.
	Analyses []string `yaml:"analyses" json:"analyses"`
}

// Analyses that a study can run on each trial.
const (
	AnalysisLogrank = "logrank" // log-rank test
	AnalysisCox     = "cox"     // Cox model: HR, its CI, Wald test
	AnalysisMedian  = "median"  // Kaplan–Meier median of each arm and its CI
	AnalysisRMST    = "rmst"    // RMST difference and its CI
)

// AllAnalyses lists the analyses in their canonical order.
var AllAnalyses = []string{AnalysisLogrank, AnalysisCox, AnalysisMedian, AnalysisRMST}

// runs reports whether the design's analyses include a.
func (d *Design) runs(a string) bool { return slices.Contains(d.Analyses, a) }

// Arm is one arm of a design.
type Arm struct {
	Name string `yaml:"name" json:"name"`
	// N is the number of subjects randomised to the arm (>= 2).
	N int `yaml:"n" json:"n"`
	// Median is the true median event time, days.
	Median float64 `yaml:"median" json:"median"`
	// HR is the true hazard ratio against the control arm (experimental
	// arm only; > 1: events happen sooner, e.g. faster response).
	HR float64 `yaml:"hr" json:"hr"`
}

// Followup is a uniform administrative censoring time, days.
type Followup struct {
	Min float64 `yaml:"min" json:"min"`
	Max float64 `yaml:"max" json:"max"`
}

// LoadDesign reads and validates a design file.
func LoadDesign(path string) (*Design, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("could not read design file: %w", err)
	}
	return ParseDesign(path, data)
}

// ParseDesign decodes and validates design YAML; name is used in messages,
// which give the line of the offending key.
func ParseDesign(name string, data []byte) (*Design, error) {
	var d Design
	root, err := yamlstrict.Decode(name, data, &d, "check its spelling against cmd/power/README.md")
	if errors.Is(err, yamlstrict.ErrEmpty) {
		return nil, fmt.Errorf("%s: the file is empty: write the design (see cmd/power/README.md)", name)
	}
	if err != nil {
		return nil, err
	}
	at := func(path ...any) string {
		if l := study.LineOf(root, path...); l > 0 {
			return fmt.Sprintf("%s: line %d", name, l)
		}
		return name
	}
	if err := d.validate(at); err != nil {
		return nil, err
	}
	return &d, nil
}

// withDefaults fills the zero-valued analysis conventions.
func (d *Design) withDefaults() {
	if d.Alpha == 0 {
		d.Alpha = 0.05
	}
	if d.ConfLevel == 0 {
		d.ConfLevel = 0.95
	}
	if d.ConfType == "" {
		d.ConfType = km.LogLog
	}
	if d.Ties == "" {
		d.Ties = cox.Efron
	}
	if len(d.Analyses) == 0 {
		d.Analyses = slices.Clone(AllAnalyses)
	}
}

// Validate checks a design built in Go and fills the default conventions.
func (d *Design) Validate() error {
	return d.validate(func(...any) string { return "design" })
}

func (d *Design) validate(at func(path ...any) string) error {
	pos := func(x float64) bool { return x > 0 && !math.IsInf(x, 0) }
	if strings.TrimSpace(d.Name) == "" {
		return fmt.Errorf("%s: name is missing: add `name: <design name>`", at())
	}
	for _, a := range []struct {
		key string
		arm *Arm
	}{{"control", &d.Control}, {"experimental", &d.Experimental}} {
		if strings.TrimSpace(a.arm.Name) == "" {
			return fmt.Errorf("%s: %s.name is missing: name the arm, e.g. KETAMINE", at(a.key), a.key)
		}
		if a.arm.N < 2 {
			return fmt.Errorf("%s: %s.n is %d: give the number of subjects of the arm (at least 2)", at(a.key, "n"), a.key, a.arm.N)
		}
	}
	if d.Control.Name == d.Experimental.Name {
		return fmt.Errorf("%s: both arms are named %q: give them different names", at("experimental", "name"), d.Control.Name)
	}
	if !pos(d.Control.Median) {
		return fmt.Errorf("%s: control.median is %v: give the true median event time of the control arm in days (> 0)", at("control", "median"), d.Control.Median)
	}
	if d.Control.HR != 0 {
		return fmt.Errorf("%s: control.hr is set: the hazard ratio is of the experimental arm against the control arm; remove it", at("control", "hr"))
	}
	switch e := d.Experimental; {
	case e.Median != 0 && e.HR != 0:
		return fmt.Errorf("%s: experimental has both median and hr: give one of them", at("experimental"))
	case e.Median == 0 && e.HR == 0:
		return fmt.Errorf("%s: experimental needs median (days) or hr (against the control arm)", at("experimental"))
	case e.Median != 0 && !pos(e.Median):
		return fmt.Errorf("%s: experimental.median is %v: give a time in days > 0", at("experimental", "median"), e.Median)
	case e.HR != 0 && !pos(e.HR):
		return fmt.Errorf("%s: experimental.hr is %v: give a hazard ratio > 0", at("experimental", "hr"), e.HR)
	}
	if !pos(d.Shape) {
		return fmt.Errorf("%s: shape is %v: give the Weibull shape of both arms (> 0; 1 for exponential times)", at("shape"), d.Shape)
	}
	if !pos(d.Followup.Min) || !pos(d.Followup.Max) || d.Followup.Min > d.Followup.Max {
		return fmt.Errorf("%s: followup is {min: %v, max: %v}: give 0 < min <= max, in days", at("followup"), d.Followup.Min, d.Followup.Max)
	}
	if d.DropoutRate < 0 || math.IsNaN(d.DropoutRate) || math.IsInf(d.DropoutRate, 0) {
		return fmt.Errorf("%s: dropout_rate is %v: give a rate per day >= 0", at("dropout_rate"), d.DropoutRate)
	}
	if !pos(d.RMSTTau) || d.RMSTTau > d.Followup.Max {
		return fmt.Errorf("%s: rmst_tau is %v: give a horizon in days, > 0 and at most followup.max (%v): beyond it no subject is followed", at("rmst_tau"), d.RMSTTau, d.Followup.Max)
	}
	if d.Alpha != 0 && !(d.Alpha > 0 && d.Alpha < 1) {
		return fmt.Errorf("%s: alpha is %v: give a two-sided level in (0, 1), e.g. 0.05", at("alpha"), d.Alpha)
	}
	if d.ConfLevel != 0 && !(d.ConfLevel > 0 && d.ConfLevel < 1) {
		return fmt.Errorf("%s: conf_level is %v: give a level in (0, 1), e.g. 0.95", at("conf_level"), d.ConfLevel)
	}
	if d.ConfType != "" {
		if _, err := km.ParseConfType(string(d.ConfType)); err != nil {
			return fmt.Errorf("%s: conf_type: %v", at("conf_type"), err)
		}
	}
	if d.Ties != "" {
		if _, err := cox.ParseTies(string(d.Ties)); err != nil {
			return fmt.Errorf("%s: ties: %v", at("ties"), err)
		}
	}
	seen := map[string]bool{}
	for i, a := range d.Analyses {
		if !slices.Contains(AllAnalyses, a) {
			return fmt.Errorf("%s: analyses: unknown analysis %q: use %s", at("analyses", i), a, strings.Join(AllAnalyses, ", "))
		}
		if seen[a] {
			return fmt.Errorf("%s: analyses: %q is listed twice", at("analyses", i), a)
		}
		seen[a] = true
	}
	if len(d.Analyses) > 0 {
		// Canonical order, so that equal sets compare equal in Merge.
		var sorted []string
		for _, a := range AllAnalyses {
			if seen[a] {
				sorted = append(sorted, a)
			}
		}
		d.Analyses = sorted
	}
	d.withDefaults()
	return nil
}
