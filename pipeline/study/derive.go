package study

import (
	"fmt"
	"math"
	"regexp"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"
)

// Derivation is the plan that turns visit-level scores (adqs.csv) into one
// time-to-event endpoint (one ADTTE PARAMCD). It is the `derive:` block of an
// endpoint in study.yaml; cmd/derive executes it (package pipeline/derive).
//
// Exactly one of Event and Relapse is set: Event for time to response,
// remission or resolution (the first assessment meeting a criterion), Relapse
// for time to relapse among subjects in response at an anchor.
// Scores are assumed to be "lower is better" (MADRS, SSI, C-SSRS items).
type Derivation struct {
	// Source is the PARAMCD of the visit-level score in adqs.csv, e.g. MADRS,
	// MADRS10, SSI, CSSRSI. Required.
	Source string `yaml:"source"`
	// BaselineVisit names the AVISIT that is the baseline. Empty (the default)
	// means the last adequate assessment at or before day 0 (first dose).
	BaselineVisit string `yaml:"baseline_visit"`
	// Baseline says whether a subject needs a baseline assessment to enter
	// the endpoint: "required" (the default of event rules: a subject
	// without one is excluded and listed with the reason, since whether the
	// event was already present at baseline cannot be told) or "optional"
	// (the default of relapse rules, whose reference is the anchor: an
	// absolute-threshold rule then evaluates subjects without baseline).
	// Rules relative to baseline need one either way.
	Baseline string `yaml:"baseline"`
	// BaselineAtLeast, if set, restricts the endpoint to subjects whose
	// baseline score is at least this value (e.g. 1 for resolution of
	// suicidal ideation: only subjects with ideation at baseline are at
	// risk); others, and subjects without baseline, are excluded.
	BaselineAtLeast *float64 `yaml:"baseline_at_least"`
	// Origin is the time origin of AVAL: "dose" (day 0, the default for
	// event rules), "randomization" (RANDDY in adsl.csv), "anchor" (the
	// relapse anchor; the default for relapse rules) or "day" (the fixed
	// study day OriginDay, e.g. the last infusion of an induction phase).
	Origin string `yaml:"origin"`
	// OriginDay is the study day of the time origin when Origin is "day".
	OriginDay *float64 `yaml:"origin_day"`
	// Unscheduled says what to do with unscheduled visits (AVISIT beginning
	// with UNSCHED): "use" (the default) or "ignore".
	Unscheduled string `yaml:"unscheduled"`
	// Missing says how an assessment row with an empty AVAL is treated:
	// "skip" (the default: as if the row were absent) or "break" (it
	// interrupts a run of consecutive assessments: sustained events and
	// relapse confirmation). No value is ever imputed.
	Missing string `yaml:"missing"`
	// Event is the rule of response, remission and resolution endpoints.
	Event *EventRule `yaml:"event"`
	// Relapse is the rule of relapse endpoints.
	Relapse *RelapseRule `yaml:"relapse"`
	// Censor is the censoring rule; its zero value censors at the last
	// adequate assessment.
	Censor CensorRule `yaml:"censor"`
	// Competing lists the event types (CompetingTypes) that end the risk
	// of the event of interest as competing events: the subject is then
	// written with CNSR 0 and EVNTTYPE naming the type, at the day it
	// happened (EOSDY for a discontinuation, RESCDY for rescue). Types not
	// listed are censoring, as without competing events. Empty (the
	// default): no competing events, and the ADTTE of the study is the
	// same, byte for byte, as before competing events existed.
	Competing []string `yaml:"competing"`
	// EventType is the EVNTTYPE of the event of interest; empty means the
	// default of the endpoint's kind (EventTypeOf): RESPONSE, REMISSION,
	// RELAPSE, SI_RESOLUTION, else EVENT.
	EventType string `yaml:"event_type"`
	// Reasons maps DCSREAS values of adsl.csv to event types, matched
	// case-insensitively (with '_' read as a space and runs of spaces
	// collapsed), ahead of the built-in mapping of ReasonType: e.g.
	// {"PATIENT DECISION - NO IMPROVEMENT": LACK_OF_EFFICACY}. It needs
	// Competing.
	Reasons map[string]string `yaml:"reasons"`

	// nodes holds the value node of each key of the derive block as parsed,
	// kept for the line numbers of errors found when the plan meets the
	// data (see Line).
	nodes map[string]yaml.Node
}

// derivePlan is Derivation without its methods, so that UnmarshalYAML can
// decode into it without calling itself; yaml names it in unknown-key errors.
type derivePlan Derivation

// UnmarshalYAML decodes the derive block strictly (through the decoder of
// Parse, so that unknown keys stay errors) and keeps its YAML node for Line.
// It uses yaml's function form on purpose: yaml.Node.Decode would start a new,
// lenient decoder.
func (d *Derivation) UnmarshalYAML(unmarshal func(any) error) error {
	if err := unmarshal((*derivePlan)(d)); err != nil {
		return err
	}
	// A map of nodes: the decoder sets each value node as parsed, with its
	// line (decoding into a bare yaml.Node here would be read as a struct).
	var nodes map[string]yaml.Node
	if err := unmarshal(&nodes); err != nil {
		return fmt.Errorf("could not keep the lines of the derive block: %w", err)
	}
	d.nodes = nodes
	return nil
}

// Line returns the line in study.yaml of the value at path below the derive
// key (mapping keys as strings, sequence indices as ints), e.g.
// Line("relapse", "clinical_events"), or of its deepest existing ancestor;
// 0 when the plan was not parsed from YAML.
func (d *Derivation) Line(path ...any) int {
	if d == nil || len(d.nodes) == 0 {
		return 0
	}
	if len(path) == 0 { // the first key of the block
		first := 0
		for _, n := range d.nodes {
			if first == 0 || (n.Line > 0 && n.Line < first) {
				first = n.Line
			}
		}
		return first
	}
	key, _ := path[0].(string)
	n, ok := d.nodes[key]
	if !ok {
		return d.Line()
	}
	return LineOf(&n, path[1:]...)
}

// At returns "study.yaml: line N" for the value at path (see Line), or
// "study.yaml" when the line is unknown: the prefix of errors found when the
// plan meets the data.
func (d *Derivation) At(path ...any) string {
	if l := d.Line(path...); l > 0 {
		return fmt.Sprintf("study.yaml: line %d", l)
	}
	return "study.yaml"
}

// Criterion is a condition on one assessment of a lower-is-better score.
// Exactly one of its fields is set.
type Criterion struct {
	// Reduction is a relative reduction from baseline, as a fraction in
	// (0, 1]: an assessment meets it when (BASE − AVAL)/BASE ≥ Reduction
	// (0.5 is the usual "≥ 50% reduction" response).
	Reduction *float64 `yaml:"reduction"`
	// AtMost is an absolute threshold: an assessment meets it when
	// AVAL ≤ AtMost (remission: MADRS ≤ 10 or ≤ 12; SI resolution: item ≤ 0).
	AtMost *float64 `yaml:"at_most"`
}

// EventRule defines the event of a response, remission or resolution
// endpoint: the first post-baseline assessment meeting the criterion,
// optionally sustained over consecutive assessments.
type EventRule struct {
	Criterion `yaml:",inline"`
	// Sustained is the number k ≥ 1 of consecutive assessments that must all
	// meet the criterion; the event is at the first of them. Default 1.
	Sustained *int `yaml:"sustained"`
}

// RelapseRule defines relapse: among subjects in response at the anchor, the
// first assessment after the anchor with a score ≥ AtLeast, confirmed by the
// next assessment when Confirm is set, or a qualifying clinical event.
type RelapseRule struct {
	// Anchor is "randomization" (RANDDY in adsl.csv, as in a randomized
	// withdrawal study) or the PARAMCD of another endpoint of the study with
	// an event rule (e.g. TTRESP: the anchor is the response visit).
	// It may also be "day": the fixed study day AnchorDay (e.g. the end of
	// an open-label phase). Subjects without an anchor are excluded.
	Anchor string `yaml:"anchor"`
	// AnchorDay is the study day of the anchor when Anchor is "day".
	AnchorDay *float64 `yaml:"anchor_day"`
	// InResponse, if set, is checked on the last adequate assessment at or
	// before the anchor; subjects who do not meet it are excluded.
	InResponse *Criterion `yaml:"in_response"`
	// AtLeast is the relapse threshold: a score ≥ AtLeast (SUSTAIN-1: MADRS ≥ 22).
	AtLeast *float64 `yaml:"at_least"`
	// Confirm, if set, requires the next assessment to meet AtLeast too and
	// to lie MinDays to MaxDays (inclusive) after the first; the event is at
	// the first of the two.
	Confirm *Confirmation `yaml:"confirm"`
	// ClinicalEvents lists CETERM values of adce.csv that are relapses by
	// themselves (e.g. HOSPITALIZATION, SUICIDE_ATTEMPT).
	ClinicalEvents []string `yaml:"clinical_events"`
	// ClinicalEventsFile says whether adce.csv must exist when
	// ClinicalEvents is set: "required" (the default: a missing adce.csv is
	// an error, since an absent file is not the same as no events) or
	// "optional" (the study may ship without adce.csv; then no clinical
	// event is a relapse and the derivation warns).
	ClinicalEventsFile string `yaml:"clinical_events_file"`
}

// Confirmation is the window, in days after a candidate relapse assessment,
// in which the confirming assessment must lie (SUSTAIN-1: 5 to 15 days).
type Confirmation struct {
	MinDays *float64 `yaml:"min_days"`
	MaxDays *float64 `yaml:"max_days"`
}

// CensorRule defines censoring of subjects without an event.
type CensorRule struct {
	// At is "last-assessment" (the default: the last adequate assessment
	// used) or "end-of-study" (EOSDY in adsl.csv, falling back to the last
	// adequate assessment when EOSDY is empty).
	At string `yaml:"at"`
	// Rescue, if true, stops follow-up at rescue medication: assessments and
	// clinical events on or after RESCDY are not used.
	Rescue bool `yaml:"rescue"`
	// MaxDay, if set, is an administrative cut-off in days from the time
	// origin: assessments and clinical events after it are not used.
	MaxDay *float64 `yaml:"max_day"`
	// AfterDiscontinuation says what happens to the data of a discontinued
	// subject (DCSREAS not empty) recorded after its end-of-study day EOSDY:
	// "ignore" (the default: follow-up stops at EOSDY; assessments and
	// clinical events on EOSDY are used, later ones are not) or "use" (they
	// are used, e.g. off-study follow-up collected on purpose).
	AfterDiscontinuation string `yaml:"after_discontinuation"`
}

// Values of the Derivation fields. The first of each list is the default.
const (
	OriginDose          = "dose"
	OriginRandomization = "randomization"
	OriginAnchor        = "anchor"
	OriginDay           = "day"

	UnscheduledUse    = "use"
	UnscheduledIgnore = "ignore"

	MissingSkip  = "skip"
	MissingBreak = "break"

	BaselineRequired = "required"
	BaselineOptional = "optional"

	CensorLastAssessment = "last-assessment"
	CensorEndOfStudy     = "end-of-study"

	AnchorRandomization = "randomization"
	AnchorDay           = "day"

	EventsFileRequired = "required"
	EventsFileOptional = "optional"

	AfterDiscontinuationIgnore = "ignore"
	AfterDiscontinuationUse    = "use"
)

// OriginRule returns Origin or its default: anchor for relapse rules, dose
// otherwise.
func (d *Derivation) OriginRule() string {
	switch {
	case d.Origin != "":
		return d.Origin
	case d.Relapse != nil:
		return OriginAnchor
	default:
		return OriginDose
	}
}

// UnscheduledRule returns Unscheduled or its default, use.
func (d *Derivation) UnscheduledRule() string {
	if d.Unscheduled == "" {
		return UnscheduledUse
	}
	return d.Unscheduled
}

// BaselineRule returns Baseline or its default: required for event rules,
// optional for relapse rules.
func (d *Derivation) BaselineRule() string {
	switch {
	case d.Baseline != "":
		return d.Baseline
	case d.Relapse != nil:
		return BaselineOptional
	default:
		return BaselineRequired
	}
}

// MissingRule returns Missing or its default, skip.
func (d *Derivation) MissingRule() string {
	if d.Missing == "" {
		return MissingSkip
	}
	return d.Missing
}

// CensorAt returns Censor.At or its default, last-assessment.
func (c CensorRule) CensorAt() string {
	if c.At == "" {
		return CensorLastAssessment
	}
	return c.At
}

// AfterDiscontinuationRule returns AfterDiscontinuation or its default, ignore.
func (c CensorRule) AfterDiscontinuationRule() string {
	if c.AfterDiscontinuation == "" {
		return AfterDiscontinuationIgnore
	}
	return c.AfterDiscontinuation
}

// EventsFileRule returns ClinicalEventsFile or its default, required.
func (r *RelapseRule) EventsFileRule() string {
	if r.ClinicalEventsFile == "" {
		return EventsFileRequired
	}
	return r.ClinicalEventsFile
}

// Consecutive returns Sustained or its default, 1.
func (e *EventRule) Consecutive() int {
	if e.Sustained == nil {
		return 1
	}
	return *e.Sustained
}

// UsesBaseline reports whether the plan needs a baseline — Baseline
// required (the default), a criterion relative to baseline, or
// BaselineAtLeast — so that a subject without baseline is excluded.
func (d *Derivation) UsesBaseline() bool {
	if d.BaselineRule() == BaselineRequired {
		return true
	}
	if d.BaselineAtLeast != nil || (d.Event != nil && d.Event.Reduction != nil) {
		return true
	}
	return d.Relapse != nil && d.Relapse.InResponse != nil && d.Relapse.InResponse.Reduction != nil
}

// Met reports whether a score meets the criterion given the baseline score
// base (ignored by absolute thresholds). It is false when the reduction is
// undefined (base ≤ 0 or NaN).
func (c *Criterion) Met(value, base float64) bool {
	switch {
	case c.Reduction != nil:
		if !(base > 0) {
			return false
		}
		return (base-value)/base >= *c.Reduction
	case c.AtMost != nil:
		return value <= *c.AtMost
	}
	return false
}

// Describe returns the criterion in words for EVNTDESC, e.g.
// "MADRS >= 50% REDUCTION FROM BASELINE" or "MADRS <= 10".
func (c *Criterion) Describe(param string) string {
	switch {
	case c.Reduction != nil:
		return fmt.Sprintf("%s >= %s%% REDUCTION FROM BASELINE", param, formatNumber(100**c.Reduction))
	case c.AtMost != nil:
		return fmt.Sprintf("%s <= %s", param, formatNumber(*c.AtMost))
	}
	return ""
}

func formatNumber(v float64) string {
	return strings.TrimSuffix(strings.TrimRight(fmt.Sprintf("%.6f", v), "0"), ".")
}

// problem is a validation failure at a path below the endpoint's derive key.
type problem struct {
	path []any
	msg  string
}

func (p *problem) Error() string { return p.msg }

func fail(msg string, path ...any) *problem { return &problem{path: path, msg: msg} }

// check validates the derive block of endpoint i of s. Paths in the returned
// problem are relative to the derive key.
func (d *Derivation) check(s *Study, i int) *problem {
	e := s.Endpoints[i]
	if strings.TrimSpace(d.Source) == "" {
		return fail(fmt.Sprintf("endpoint %q: derive.source is missing: set it to the PARAMCD of the score in adqs.csv (e.g. MADRS)", e.Paramcd))
	}
	if strings.ContainsAny(d.Source, " \t,") {
		return fail(fmt.Sprintf("endpoint %q: derive.source %q is not a PARAMCD: use the code without spaces or commas (e.g. MADRS)", e.Paramcd, d.Source), "source")
	}
	if d.BaselineVisit != "" && IsUnscheduled(d.BaselineVisit) {
		return fail(fmt.Sprintf("endpoint %q: derive.baseline_visit %q is an unscheduled visit: name a scheduled visit (e.g. BASELINE) or remove the key to use the last assessment at or before day 0", e.Paramcd, d.BaselineVisit), "baseline_visit")
	}
	if b := d.BaselineAtLeast; b != nil && (math.IsNaN(*b) || math.IsInf(*b, 0)) {
		return fail(fmt.Sprintf("endpoint %q: derive.baseline_at_least is %v: give a finite score", e.Paramcd, *b), "baseline_at_least")
	}
	switch {
	case d.Event == nil && d.Relapse == nil:
		return fail(fmt.Sprintf("endpoint %q: derive needs a rule: add `event:` (response, remission, resolution) or `relapse:`", e.Paramcd))
	case d.Event != nil && d.Relapse != nil:
		return fail(fmt.Sprintf("endpoint %q: derive has both `event:` and `relapse:`: keep one (one endpoint, one rule)", e.Paramcd), "relapse")
	}
	if d.OriginDay != nil && d.Origin != OriginDay {
		return fail(fmt.Sprintf("endpoint %q: derive.origin_day is set but origin is %q: set `origin: day` or remove origin_day", e.Paramcd, d.OriginRule()), "origin_day")
	}
	switch d.Origin {
	case "", OriginDose, OriginRandomization:
	case OriginDay:
		if d.OriginDay == nil || math.IsNaN(*d.OriginDay) || math.IsInf(*d.OriginDay, 0) {
			return fail(fmt.Sprintf("endpoint %q: derive.origin is day: set origin_day to the study day of the time origin (e.g. `origin_day: 11`)", e.Paramcd), "origin")
		}
	case OriginAnchor:
		if d.Relapse == nil {
			return fail(fmt.Sprintf("endpoint %q: derive.origin anchor needs a `relapse:` rule: use dose or randomization", e.Paramcd), "origin")
		}
	default:
		return fail(fmt.Sprintf("endpoint %q: derive.origin %q: use dose, randomization, day (with origin_day) or anchor (relapse only)", e.Paramcd, d.Origin), "origin")
	}
	switch d.Unscheduled {
	case "", UnscheduledUse, UnscheduledIgnore:
	default:
		return fail(fmt.Sprintf("endpoint %q: derive.unscheduled %q: use use or ignore", e.Paramcd, d.Unscheduled), "unscheduled")
	}
	switch d.Baseline {
	case "", BaselineRequired, BaselineOptional:
	default:
		return fail(fmt.Sprintf("endpoint %q: derive.baseline %q: use required (the default) or optional", e.Paramcd, d.Baseline), "baseline")
	}
	switch d.Missing {
	case "", MissingSkip, MissingBreak:
	default:
		return fail(fmt.Sprintf("endpoint %q: derive.missing %q: use skip or break (values are never imputed)", e.Paramcd, d.Missing), "missing")
	}
	if d.Event != nil {
		if e.Kind == KindRelapse {
			return fail(fmt.Sprintf("endpoint %q is of kind relapse but derive has an `event:` rule: write a `relapse:` rule or change the kind", e.Paramcd), "event")
		}
		if p := d.Event.Criterion.check(e.Paramcd, "derive.event"); p != nil {
			return prefix(p, "event")
		}
		if d.Event.Sustained != nil && *d.Event.Sustained < 1 {
			return fail(fmt.Sprintf("endpoint %q: derive.event.sustained is %d: it counts consecutive assessments and must be at least 1", e.Paramcd, *d.Event.Sustained), "event", "sustained")
		}
	}
	if r := d.Relapse; r != nil {
		if e.Kind != KindRelapse {
			return fail(fmt.Sprintf("endpoint %q has kind %q but derive has a `relapse:` rule: set `kind: relapse` or write an `event:` rule", e.Paramcd, e.Kind), "relapse")
		}
		if p := r.check(s, i); p != nil {
			return prefix(p, "relapse")
		}
	}
	if p := d.checkCompeting(e); p != nil {
		return p
	}
	c := d.Censor
	switch c.At {
	case "", CensorLastAssessment, CensorEndOfStudy:
	default:
		return fail(fmt.Sprintf("endpoint %q: derive.censor.at %q: use last-assessment or end-of-study", e.Paramcd, c.At), "censor", "at")
	}
	if c.MaxDay != nil && !(*c.MaxDay > 0 && !math.IsInf(*c.MaxDay, 1)) {
		return fail(fmt.Sprintf("endpoint %q: derive.censor.max_day is %v: it must be a positive number of days from the time origin", e.Paramcd, *c.MaxDay), "censor", "max_day")
	}
	switch c.AfterDiscontinuation {
	case "", AfterDiscontinuationIgnore, AfterDiscontinuationUse:
	default:
		return fail(fmt.Sprintf("endpoint %q: derive.censor.after_discontinuation %q: use ignore (follow-up of a discontinued subject stops at EOSDY) or use", e.Paramcd, c.AfterDiscontinuation), "censor", "after_discontinuation")
	}
	return nil
}

func (r *RelapseRule) check(s *Study, i int) *problem {
	e := s.Endpoints[i]
	if r.AnchorDay != nil && r.Anchor != AnchorDay {
		return fail(fmt.Sprintf("endpoint %q: derive.relapse.anchor_day is set but anchor is %q: set `anchor: day` or remove anchor_day", e.Paramcd, r.Anchor), "anchor_day")
	}
	switch r.Anchor {
	case "":
		return fail(fmt.Sprintf("endpoint %q: derive.relapse.anchor is missing: set it to randomization, day (with anchor_day) or the PARAMCD of the response endpoint (e.g. TTRESP)", e.Paramcd))
	case AnchorRandomization:
	case AnchorDay:
		if r.AnchorDay == nil || math.IsNaN(*r.AnchorDay) || math.IsInf(*r.AnchorDay, 0) {
			return fail(fmt.Sprintf("endpoint %q: derive.relapse.anchor is day: set anchor_day to the study day of the anchor (e.g. `anchor_day: 12`)", e.Paramcd), "anchor")
		}
	default:
		j := slices.IndexFunc(s.Endpoints, func(o Endpoint) bool { return o.Paramcd == r.Anchor })
		switch {
		case j < 0:
			return fail(fmt.Sprintf("endpoint %q: derive.relapse.anchor %q is neither randomization, day nor an endpoint of the study (%s)", e.Paramcd, r.Anchor, strings.Join(paramcds(s), ", ")), "anchor")
		case j == i:
			return fail(fmt.Sprintf("endpoint %q: derive.relapse.anchor names the endpoint itself: name the response or remission endpoint", e.Paramcd), "anchor")
		case s.Endpoints[j].Derive == nil || s.Endpoints[j].Derive.Event == nil:
			return fail(fmt.Sprintf("endpoint %q: derive.relapse.anchor %q has no `derive.event` rule: the anchor endpoint must be derived from an event rule", e.Paramcd, r.Anchor), "anchor")
		}
	}
	if r.InResponse != nil {
		if p := r.InResponse.check(e.Paramcd, "derive.relapse.in_response"); p != nil {
			return prefix(p, "in_response")
		}
	}
	if r.AtLeast == nil {
		return fail(fmt.Sprintf("endpoint %q: derive.relapse.at_least is missing: set the relapse threshold (SUSTAIN-1: `at_least: 22`)", e.Paramcd))
	}
	if math.IsNaN(*r.AtLeast) || math.IsInf(*r.AtLeast, 0) {
		return fail(fmt.Sprintf("endpoint %q: derive.relapse.at_least is %v: give a finite score", e.Paramcd, *r.AtLeast), "at_least")
	}
	if c := r.Confirm; c != nil {
		if c.MinDays == nil || c.MaxDays == nil {
			return fail(fmt.Sprintf("endpoint %q: derive.relapse.confirm needs both min_days and max_days (SUSTAIN-1: 5 and 15)", e.Paramcd), "confirm")
		}
		if !(*c.MinDays >= 0) || math.IsInf(*c.MinDays, 1) {
			return fail(fmt.Sprintf("endpoint %q: derive.relapse.confirm.min_days is %v: it must be a finite number ≥ 0", e.Paramcd, *c.MinDays), "confirm", "min_days")
		}
		if !(*c.MaxDays >= *c.MinDays) || math.IsInf(*c.MaxDays, 1) {
			return fail(fmt.Sprintf("endpoint %q: derive.relapse.confirm.max_days is %v: it must be finite and at least min_days (%v)", e.Paramcd, *c.MaxDays, *c.MinDays), "confirm", "max_days")
		}
	}
	seen := map[string]bool{}
	for k, t := range r.ClinicalEvents {
		if strings.TrimSpace(t) == "" {
			return fail(fmt.Sprintf("endpoint %q: derive.relapse.clinical_events item %d is empty: list CETERM values of adce.csv", e.Paramcd, k+1), "clinical_events", k)
		}
		if seen[t] {
			return fail(fmt.Sprintf("endpoint %q: derive.relapse.clinical_events lists %q twice", e.Paramcd, t), "clinical_events", k)
		}
		seen[t] = true
	}
	switch r.ClinicalEventsFile {
	case "":
	case EventsFileRequired, EventsFileOptional:
		if len(r.ClinicalEvents) == 0 {
			return fail(fmt.Sprintf("endpoint %q: derive.relapse.clinical_events_file is set but clinical_events is empty: list the CETERM values or remove the key", e.Paramcd), "clinical_events_file")
		}
	default:
		return fail(fmt.Sprintf("endpoint %q: derive.relapse.clinical_events_file %q: use required (adce.csv must exist) or optional (the study may ship without adce.csv)", e.Paramcd, r.ClinicalEventsFile), "clinical_events_file")
	}
	return nil
}

func (c *Criterion) check(paramcd, where string) *problem {
	switch {
	case c.Reduction == nil && c.AtMost == nil:
		return fail(fmt.Sprintf("endpoint %q: %s needs a criterion: `reduction: 0.5` (relative to baseline) or `at_most: 10` (absolute)", paramcd, where))
	case c.Reduction != nil && c.AtMost != nil:
		return fail(fmt.Sprintf("endpoint %q: %s has both reduction and at_most: keep one (define two endpoints for two criteria)", paramcd, where), "at_most")
	case c.Reduction != nil:
		r := *c.Reduction
		if r > 1 && r <= 100 {
			return fail(fmt.Sprintf("endpoint %q: %s.reduction is %v: write the fraction, not the percentage (%v for %v%%)", paramcd, where, r, r/100, r), "reduction")
		}
		if !(r > 0 && r <= 1) {
			return fail(fmt.Sprintf("endpoint %q: %s.reduction is %v: it is a fraction of the baseline score in (0, 1], e.g. 0.5", paramcd, where, r), "reduction")
		}
	case c.AtMost != nil:
		if math.IsNaN(*c.AtMost) || math.IsInf(*c.AtMost, 0) {
			return fail(fmt.Sprintf("endpoint %q: %s.at_most is %v: give a finite score", paramcd, where, *c.AtMost), "at_most")
		}
	}
	return nil
}

func prefix(p *problem, path ...any) *problem {
	p.path = append(append([]any{}, path...), p.path...)
	return p
}

func paramcds(s *Study) []string {
	out := make([]string, len(s.Endpoints))
	for i, e := range s.Endpoints {
		out[i] = e.Paramcd
	}
	return out
}

// IsUnscheduled reports whether an AVISIT value names an unscheduled visit:
// it begins with UNSCHED, in any case (UNSCHED, Unscheduled 2, …).
func IsUnscheduled(visit string) bool {
	return strings.HasPrefix(strings.ToUpper(strings.TrimSpace(visit)), "UNSCHED")
}

// Competing event types: why follow-up ended, when it ended the risk of the
// event of interest (the values of Derivation.Competing, of the Reasons
// mapping and of ADTTE's EVNTTYPE column for competing events).
const (
	// TypeLackOfEfficacy is a discontinuation for lack of efficacy
	// (DCSREAS LACK OF EFFICACY), at EOSDY.
	TypeLackOfEfficacy = "LACK_OF_EFFICACY"
	// TypeAdverseEvent is a discontinuation for an adverse event
	// (DCSREAS ADVERSE EVENT), at EOSDY.
	TypeAdverseEvent = "ADVERSE_EVENT"
	// TypeRescue is the start of rescue medication, at RESCDY (or a
	// DCSREAS that Reasons maps to it, at EOSDY).
	TypeRescue = "RESCUE"
	// TypeOther is any other discontinuation (withdrawal by subject, lost
	// to follow-up, physician decision, …), at EOSDY.
	TypeOther = "OTHER"
)

// CompetingTypes lists the event types that Derivation.Competing may name.
var CompetingTypes = []string{TypeLackOfEfficacy, TypeAdverseEvent, TypeRescue, TypeOther}

// builtinReasons maps the CDISC NCOMPLT submission values (and a few
// common spellings), normalized by normalizeReason, to event types.
var builtinReasons = map[string]string{
	"LACK OF EFFICACY":               TypeLackOfEfficacy,
	"ADVERSE EVENT":                  TypeAdverseEvent,
	"RESCUE MEDICATION":              TypeRescue,
	"WITHDRAWAL BY SUBJECT":          TypeOther,
	"WITHDRAWAL BY PARENT/GUARDIAN":  TypeOther,
	"LOST TO FOLLOW UP":              TypeOther,
	"PHYSICIAN DECISION":             TypeOther,
	"PROTOCOL DEVIATION":             TypeOther,
	"NON COMPLIANCE WITH STUDY DRUG": TypeOther,
	"PREGNANCY":                      TypeOther,
	"DEATH":                          TypeOther,
	"STUDY TERMINATED BY SPONSOR":    TypeOther,
	"SITE TERMINATED BY SPONSOR":     TypeOther,
	"TECHNICAL PROBLEMS":             TypeOther,
	"OTHER":                          TypeOther,
}

// normalizeReason is the form in which DCSREAS values are compared: upper
// case, '_' and '-' read as spaces, runs of spaces collapsed.
func normalizeReason(r string) string {
	r = strings.Map(func(c rune) rune {
		if c == '_' || c == '-' {
			return ' '
		}
		return c
	}, strings.ToUpper(r))
	return strings.Join(strings.Fields(r), " ")
}

// HasCompeting reports whether the plan declares competing events.
func (d *Derivation) HasCompeting() bool { return d != nil && len(d.Competing) > 0 }

// IsCompeting reports whether the event type typ is a competing event of
// the plan.
func (d *Derivation) IsCompeting(typ string) bool {
	return d != nil && slices.Contains(d.Competing, typ)
}

// ReasonType returns the event type of a discontinuation reason (DCSREAS),
// compared case-insensitively with '_' and '-' read as spaces: the plan's
// Reasons first, then the built-in mapping
//
//	LACK OF EFFICACY                               LACK_OF_EFFICACY
//	ADVERSE EVENT                                  ADVERSE_EVENT
//	RESCUE MEDICATION                              RESCUE
//	WITHDRAWAL BY SUBJECT, WITHDRAWAL BY
//	PARENT/GUARDIAN, LOST TO FOLLOW-UP, PHYSICIAN
//	DECISION, PROTOCOL DEVIATION, NON-COMPLIANCE
//	WITH STUDY DRUG, PREGNANCY, DEATH, STUDY (SITE)
//	TERMINATED BY SPONSOR, TECHNICAL PROBLEMS, OTHER   OTHER
//
// (the CDISC NCOMPLT codelist's discontinuation values). ok is false for a
// reason neither knows: the plan must map it (Reasons).
func (d *Derivation) ReasonType(dcsreas string) (typ string, ok bool) {
	n := normalizeReason(dcsreas)
	if d != nil {
		for k, v := range d.Reasons {
			if normalizeReason(k) == n {
				return v, true
			}
		}
	}
	typ, ok = builtinReasons[n]
	return typ, ok
}

// EventTypeOf returns the EVNTTYPE of the event of interest of endpoint e:
// its plan's event_type, or by kind RESPONSE, REMISSION, RELAPSE,
// SI_RESOLUTION, and EVENT for other kinds.
func EventTypeOf(e Endpoint) string {
	if e.Derive != nil && e.Derive.EventType != "" {
		return e.Derive.EventType
	}
	switch e.Kind {
	case KindResponse:
		return "RESPONSE"
	case KindRemission:
		return "REMISSION"
	case KindRelapse:
		return "RELAPSE"
	case KindSIResolution:
		return "SI_RESOLUTION"
	}
	return "EVENT"
}

var eventTypeRE = regexp.MustCompile(`^[A-Z][A-Z0-9_]*$`)

// checkCompeting validates competing, event_type and reasons.
func (d *Derivation) checkCompeting(e Endpoint) *problem {
	types := strings.Join(CompetingTypes, ", ")
	for k, t := range d.Competing {
		if !slices.Contains(CompetingTypes, t) {
			return fail(fmt.Sprintf("endpoint %q: derive.competing item %d is %q, not an event type: use %s", e.Paramcd, k+1, t, types), "competing", k)
		}
		if slices.Index(d.Competing, t) != k {
			return fail(fmt.Sprintf("endpoint %q: derive.competing lists %s twice", e.Paramcd, t), "competing", k)
		}
	}
	if t := d.EventType; t != "" {
		if !eventTypeRE.MatchString(t) {
			return fail(fmt.Sprintf("endpoint %q: derive.event_type %q: use an upper-case name of letters, digits and '_' (e.g. RESPONSE)", e.Paramcd, t), "event_type")
		}
		if slices.Contains(CompetingTypes, t) {
			return fail(fmt.Sprintf("endpoint %q: derive.event_type %s is a competing event type: name the event of interest (e.g. RESPONSE)", e.Paramcd, t), "event_type")
		}
	}
	if len(d.Reasons) > 0 && !d.HasCompeting() {
		return fail(fmt.Sprintf("endpoint %q: derive.reasons is set but competing is empty: reasons only sort discontinuations into competing event types; add `competing: [...]` or remove reasons", e.Paramcd), "reasons")
	}
	keys := make([]string, 0, len(d.Reasons))
	for k := range d.Reasons {
		keys = append(keys, k)
	}
	// In file order, so that a duplicate is reported at its second line.
	slices.SortFunc(keys, func(a, b string) int {
		if la, lb := d.Line("reasons", a), d.Line("reasons", b); la != lb {
			return la - lb
		}
		return strings.Compare(a, b)
	})
	seen := map[string]string{}
	for _, k := range keys {
		v := d.Reasons[k]
		n := normalizeReason(k)
		if n == "" {
			return fail(fmt.Sprintf("endpoint %q: derive.reasons has an empty DCSREAS value: write the reason as it appears in adsl.csv", e.Paramcd), "reasons")
		}
		if prev, dup := seen[n]; dup {
			return fail(fmt.Sprintf("endpoint %q: derive.reasons lists %q and %q, the same reason (compared case-insensitively): keep one", e.Paramcd, prev, k), "reasons", k)
		}
		seen[n] = k
		if !slices.Contains(CompetingTypes, v) {
			return fail(fmt.Sprintf("endpoint %q: derive.reasons maps %q to %q, not an event type: use %s", e.Paramcd, k, v, types), "reasons", k)
		}
	}
	if d.HasCompeting() && d.Censor.AfterDiscontinuationRule() == AfterDiscontinuationUse && slices.ContainsFunc(d.Competing, func(t string) bool { return t != TypeRescue }) {
		return fail(fmt.Sprintf("endpoint %q: derive.censor.after_discontinuation is use but competing lists a discontinuation type: a competing discontinuation ends follow-up at EOSDY; remove after_discontinuation or list only RESCUE", e.Paramcd), "censor", "after_discontinuation")
	}
	return nil
}
