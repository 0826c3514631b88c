package sim

import (
	"errors"
	"fmt"
	"math"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/ketcurves/ketcurves/pipeline/yamlstrict"
	"go.yaml.in/yaml/v3"

	"github.com/ketcurves/ketcurves/pipeline/study"
)

// Endpoint PARAMCDs the simulator can write to adtte_latent.csv.
const (
	TTRESP    = "TTRESP"    // time from first dose to response (primary score <= 50% of baseline)
	TTREMIT   = "TTREMIT"   // time from first dose to remission (primary score <= remission_max)
	TTRELAPSE = "TTRELAPSE" // time from the relapse origin to relapse, among subjects in response at the origin
	TTSIRES   = "TTSIRES"   // time from first dose to resolution of suicidal ideation, among subjects with SI at baseline
)

// LatentEndpoints lists the endpoints the simulator knows.
var LatentEndpoints = []string{TTRESP, TTREMIT, TTRELAPSE, TTSIRES}

// Scenario is the content of scenario.yaml: the design of a synthetic study
// and, per cohort (arm × stratum), the parameters of the latent event model.
type Scenario struct {
	// StudyID is STUDYID in every file written; it must equal id in study.yaml.
	StudyID string `yaml:"study_id"`
	// Seed is the master seed. Subject i draws from
	// rand.New(rand.NewPCG(Seed, i)); the allocation order from
	// rand.NewPCG(Seed, 1<<63).
	Seed uint64 `yaml:"seed"`
	// Scale is the primary depression rating scale.
	Scale Scale `yaml:"scale"`
	// Scores lists the secondary scores written to adqs.csv.
	Scores Scores `yaml:"scores"`
	// Demographics gives AGE and SEX of adsl.csv.
	Demographics Demographics `yaml:"demographics"`
	// Diagnosis, if set, is written as DIAG in adsl.csv (e.g. TRD, MDD, BPD).
	Diagnosis string `yaml:"diagnosis"`
	// RandomizationDay, if set, is written as RANDDY (randomized withdrawal designs).
	RandomizationDay *float64 `yaml:"randomization_day"`
	// Visits is the visit schedule; single visits and regular series may be mixed.
	Visits []VisitSpec `yaml:"visits"`
	// Followup is the distribution of the study day of administrative
	// censoring (end of participation for subjects who do not drop out).
	Followup Dist `yaml:"followup"`
	// Endpoints are the PARAMCDs written to adtte_latent.csv, among LatentEndpoints.
	Endpoints []string `yaml:"endpoints"`
	// Cohorts are the simulated groups, in the order subjects are drawn.
	Cohorts []Cohort `yaml:"cohorts"`

	visits []Visit // expanded, sorted schedule
}

// Scale describes the primary rating scale (MADRS, QIDS-SR16, …).
type Scale struct {
	Paramcd      string  `yaml:"paramcd"`       // PARAMCD in adqs.csv, e.g. MADRS
	Max          int     `yaml:"max"`           // maximum total score, e.g. 60
	RemissionMax int     `yaml:"remission_max"` // remission: score <= RemissionMax
	RelapseMin   int     `yaml:"relapse_min"`   // after relapse every score is >= RelapseMin (and > 50% of baseline); 0: only loss of response
	NoiseSD      float64 `yaml:"noise_sd"`      // visit-to-visit measurement noise (score points)
}

// Scores selects the secondary scores.
type Scores struct {
	// MADRS10 writes MADRS item 10 (suicidal thoughts, 0–6).
	MADRS10 bool `yaml:"madrs10"`
	// CSSRSI writes the C-SSRS ideation severity (0–5); 0 = no ideation.
	CSSRSI bool `yaml:"cssrsi"`
	// SSI writes the Beck Scale for Suicide Ideation total (0–38); 0 = no ideation.
	SSI bool `yaml:"ssi"`
	// BSL23 writes the BSL-23 mean item score (0–4, two decimals).
	BSL23 *BSL23Spec `yaml:"bsl23"`
	// HAMD17 writes HAM-D17 at baseline and at the last attended visit.
	HAMD17 *HAMDSpec `yaml:"hamd17"`
}

// BSL23Spec parameterises BSL-23: the baseline mean item score and the share
// of the primary-score reduction that carries over to BSL-23.
type BSL23Spec struct {
	Baseline Normal  `yaml:"baseline"` // mean item score at baseline, within [0, 4]
	Coupling float64 `yaml:"coupling"` // BSL(t) = BSL0 × (1 − coupling × reduction(t)) + noise
	NoiseSD  float64 `yaml:"noise_sd"` // item-score units
}

// HAMDSpec parameterises HAM-D17, rated at baseline and at exit (last attended visit).
type HAMDSpec struct {
	Baseline     Normal `yaml:"baseline"`
	RemissionMax int    `yaml:"remission_max"` // HAM-D remission: score <= RemissionMax (7)
	// Agreement is P(HAM-D remission at exit | primary-scale remission at exit).
	// Subjects not remitted on the primary scale are not remitted on HAM-D.
	Agreement float64 `yaml:"agreement"`
}

// Normal is a normal distribution truncated to [Min, Max] (by rejection).
type Normal struct {
	Mean float64 `yaml:"mean"`
	SD   float64 `yaml:"sd"`
	Min  float64 `yaml:"min"`
	Max  float64 `yaml:"max"`
}

// Demographics parameterises AGE (years, truncated normal) and SEX.
type Demographics struct {
	Age            Normal  `yaml:"age"`
	FemaleFraction float64 `yaml:"female_fraction"`
}

// VisitSpec is one scheduled visit, or a regular series of visits.
// A single visit has Name and exactly one of Minutes, Hours, Days, Weeks
// (time since first dose; baseline at <= 0). A series has Series.
type VisitSpec struct {
	Name    string   `yaml:"name"`
	Minutes *float64 `yaml:"minutes"`
	Hours   *float64 `yaml:"hours"`
	Days    *float64 `yaml:"days"`
	Weeks   *float64 `yaml:"weeks"`
	Series  *Series  `yaml:"series"`
}

// Series is a regular series of visits: Count visits from StartDay every
// StepDays; visit k (k = 0, 1, …) is named by Name with "{n}" replaced by
// First+k, "{day}" by its study day and "{week}" by its study week (day/7),
// both rounded to integers.
type Series struct {
	Name     string  `yaml:"name"`
	First    int     `yaml:"first"`
	StartDay float64 `yaml:"start_day"`
	StepDays float64 `yaml:"step_days"`
	Count    int     `yaml:"count"`
}

// Visit is one expanded scheduled visit.
type Visit struct {
	Name string
	Day  float64 // study day; day 0 is the first dose
}

// Cohort is a group of subjects sharing an arm, a stratum and parameters.
type Cohort struct {
	Arm     string `yaml:"arm"`     // TRT01P
	Stratum string `yaml:"stratum"` // STRATUM; empty if the study has no strata
	N       int    `yaml:"n"`
	// Baseline is the baseline primary score (rounded to an integer).
	Baseline Normal `yaml:"baseline"`
	// Response: fraction = responder fraction, time = latency from first dose.
	Response Transition `yaml:"response"`
	// Remission (optional): fraction = P(remission | response), time = delay after response.
	Remission *Transition `yaml:"remission"`
	// Relapse (optional): fraction = P(relapse ever | response), time = from the
	// relapse origin, max(response time, origin_day).
	Relapse *Transition `yaml:"relapse"`
	// RelapseEvents (optional): a share of relapses comes with a qualifying
	// clinical event at the latent relapse time, written to adce.csv.
	RelapseEvents *RelapseEvents `yaml:"relapse_events"`
	// Dropout (optional) is the time from first dose to dropout.
	Dropout *Dist `yaml:"dropout"`
	// DropoutOriginDay (optional): the dropout clock starts at this day
	// (e.g. randomization in a withdrawal design) instead of day 0.
	DropoutOriginDay *float64 `yaml:"dropout_origin_day"`
	// DropoutReasons (optional) gives the discontinuation reason (DCSREAS)
	// of dropouts; without it every dropout is WITHDRAWAL BY SUBJECT.
	DropoutReasons *DropoutReasons `yaml:"dropout_reasons"`
	// Rescue (optional) is the start of rescue medication (RESCDY).
	Rescue *Rescue `yaml:"rescue"`
	// NonresponderExitDay (optional): subjects not in response at this day
	// end their participation then (designs that follow only responders),
	// and only subjects in response at this day are at risk of relapse in
	// adtte_latent.csv (TTRELAPSE).
	NonresponderExitDay *float64 `yaml:"nonresponder_exit_day"`
	// SI (optional) is the suicidal-ideation process.
	SI *SISpec `yaml:"si"`
}

// Transition is a latent event that happens to a fraction of the subjects at
// risk, at a time drawn from Time, whose hazard is multiplied by HazardRatio
// (proportional hazards on Time: S(t)^HazardRatio).
type Transition struct {
	Fraction    *float64 `yaml:"fraction"`     // in [0, 1]; default 1
	Time        Dist     `yaml:"time"`         // days
	HazardRatio float64  `yaml:"hazard_ratio"` // > 0; default 1
	OriginDay   *float64 `yaml:"origin_day"`   // relapse only: the clock starts at max(response, origin_day)
}

// DropoutReasons are the shares of the dropouts (Dropout before the end of
// follow-up) by discontinuation reason. With one uniform u per subject:
//
//	u < lack_of_efficacy                       LACK OF EFFICACY, if not in response at the dropout day
//	                                           (a responder drawn here withdraws: WITHDRAWAL BY SUBJECT)
//	lack_of_efficacy ≤ u < + adverse_event     ADVERSE EVENT
//	otherwise                                  WITHDRAWAL BY SUBJECT
//
// The dropout times are unchanged: the reasons only label them, so adding
// dropout_reasons to a scenario leaves every other output the same.
type DropoutReasons struct {
	LackOfEfficacy float64 `yaml:"lack_of_efficacy"` // in [0, 1]
	AdverseEvent   float64 `yaml:"adverse_event"`    // in [0, 1]; the two sum to at most 1
}

// Rescue is rescue medication: with probability Fraction a subject is
// rescued at day OriginDay + Time, recorded as RESCDY when that day falls
// within participation (≤ EOSDY) and the subject is not in response then
// (a responder needs no rescue). Rescue does not change the scores or the
// latent events: visits go on, and a derivation decides what RESCDY means
// (censor.rescue, or RESCUE as a competing event).
type Rescue struct {
	Fraction  float64  `yaml:"fraction"`   // in [0, 1]
	Time      Dist     `yaml:"time"`       // days after OriginDay
	OriginDay *float64 `yaml:"origin_day"` // ≥ 0; default 0 (first dose)
}

// RelapseEvents: a fraction of relapses is accompanied by a hospitalization
// or, for a share of them, a suicide attempt, at the latent relapse time.
type RelapseEvents struct {
	Fraction            float64 `yaml:"fraction"`              // in [0, 1]
	SuicideAttemptShare float64 `yaml:"suicide_attempt_share"` // in [0, 1]; the rest are hospitalizations
}

// SISpec is the suicidal-ideation process: SI present at baseline with
// probability BaselineFraction, resolves (Resolution) and may recur
// (Recurrence, time after resolution).
type SISpec struct {
	BaselineFraction float64     `yaml:"baseline_fraction"`
	Severity         Normal      `yaml:"severity"` // baseline severity on a 0–1 scale, mapped to each SI score
	Resolution       Transition  `yaml:"resolution"`
	Recurrence       *Transition `yaml:"recurrence"`
}

func (t *Transition) fraction() float64 {
	if t == nil {
		return 0
	}
	if t.Fraction == nil {
		return 1
	}
	return *t.Fraction
}

func (t *Transition) hr() float64 {
	if t.HazardRatio == 0 {
		return 1
	}
	return t.HazardRatio
}

// Schedule returns the expanded visit schedule sorted by day.
func (sc *Scenario) Schedule() []Visit { return slices.Clone(sc.visits) }

// Arms returns the arm names in order of first appearance among the cohorts.
func (sc *Scenario) Arms() []string {
	var arms []string
	for _, c := range sc.Cohorts {
		if !slices.Contains(arms, c.Arm) {
			arms = append(arms, c.Arm)
		}
	}
	return arms
}

// N returns the total number of subjects.
func (sc *Scenario) N() int {
	n := 0
	for _, c := range sc.Cohorts {
		n += c.N
	}
	return n
}

// LoadScenario reads and validates the scenario file at path.
func LoadScenario(path string) (*Scenario, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("could not read scenario: %w", err)
	}
	return ParseScenario(path, data)
}

// ParseScenario decodes and validates scenario content; name is used in
// messages, which give the line of the offending key.
func ParseScenario(name string, data []byte) (*Scenario, error) {
	var sc Scenario
	root, err := yamlstrict.Decode(name, data, &sc, "check its spelling against the scenario reference in pipeline/sim")
	if errors.Is(err, yamlstrict.ErrEmpty) {
		return nil, fmt.Errorf("%s: the file is empty: write a scenario (see datasets/README.md)", name)
	}
	if err != nil {
		return nil, err
	}
	if err := sc.validate(name, root); err != nil {
		return nil, err
	}
	return &sc, nil
}

var (
	paramcdRE = regexp.MustCompile(`^[A-Z][A-Z0-9]{0,7}$`)
	nameRE    = regexp.MustCompile(`^[A-Z][A-Z0-9_]*$`)
)

func (sc *Scenario) validate(name string, root *yaml.Node) error {
	at := func(path ...any) string {
		if l := study.LineOf(root, path...); l > 0 {
			return fmt.Sprintf("%s: line %d", name, l)
		}
		return name
	}
	if strings.TrimSpace(sc.StudyID) == "" {
		return fmt.Errorf("%s: study_id is missing: add `study_id: <STUDYID>` equal to id in study.yaml", at())
	}
	if sc.Seed == 0 {
		return fmt.Errorf("%s: seed is missing or 0: add `seed: <positive integer>`", at())
	}
	s := sc.Scale
	if !paramcdRE.MatchString(s.Paramcd) {
		return fmt.Errorf("%s: scale.paramcd %q: give an upper-case PARAMCD of at most 8 characters, e.g. MADRS", at("scale", "paramcd"), s.Paramcd)
	}
	if s.Max < 10 {
		return fmt.Errorf("%s: scale.max %d: give the maximum total score (MADRS 60, QIDS-SR16 27)", at("scale", "max"), s.Max)
	}
	if s.RemissionMax < 0 || s.RemissionMax >= s.Max {
		return fmt.Errorf("%s: scale.remission_max %d: must be in [0, max)", at("scale", "remission_max"), s.RemissionMax)
	}
	if s.RelapseMin != 0 && (s.RelapseMin <= s.RemissionMax+1 || s.RelapseMin > s.Max) {
		return fmt.Errorf("%s: scale.relapse_min %d: must exceed remission_max+1 and be <= max, or be 0", at("scale", "relapse_min"), s.RelapseMin)
	}
	if !(s.NoiseSD >= 0) {
		return fmt.Errorf("%s: scale.noise_sd %v: must be >= 0", at("scale", "noise_sd"), s.NoiseSD)
	}
	if b := sc.Scores.BSL23; b != nil {
		if err := b.Baseline.validate(0, 4); err != nil {
			return fmt.Errorf("%s: scores.bsl23.baseline: %w", at("scores", "bsl23", "baseline"), err)
		}
		if !(b.Coupling >= 0 && b.Coupling <= 1) || !(b.NoiseSD >= 0) {
			return fmt.Errorf("%s: scores.bsl23: coupling must be in [0, 1] and noise_sd >= 0", at("scores", "bsl23"))
		}
	}
	if h := sc.Scores.HAMD17; h != nil {
		if err := h.Baseline.validate(0, 52); err != nil {
			return fmt.Errorf("%s: scores.hamd17.baseline: %w", at("scores", "hamd17", "baseline"), err)
		}
		if h.RemissionMax < 0 || float64(h.RemissionMax) >= h.Baseline.Min {
			return fmt.Errorf("%s: scores.hamd17.remission_max %d: must be in [0, baseline.min)", at("scores", "hamd17", "remission_max"), h.RemissionMax)
		}
		if !(h.Agreement >= 0 && h.Agreement <= 1) {
			return fmt.Errorf("%s: scores.hamd17.agreement %v: must be in [0, 1]", at("scores", "hamd17", "agreement"), h.Agreement)
		}
	}
	d := sc.Demographics
	if err := d.Age.validate(18, 100); err != nil {
		return fmt.Errorf("%s: demographics.age: %w", at("demographics", "age"), err)
	}
	if !(d.FemaleFraction >= 0 && d.FemaleFraction <= 1) {
		return fmt.Errorf("%s: demographics.female_fraction %v: must be in [0, 1]", at("demographics", "female_fraction"), d.FemaleFraction)
	}
	if err := sc.expandVisits(at); err != nil {
		return err
	}
	if sc.Followup.IsZero() {
		return fmt.Errorf("%s: followup is missing: give the study day of administrative censoring, e.g. `followup: {fixed: {days: 7}}`", at())
	}
	if err := sc.Followup.validate(); err != nil {
		return fmt.Errorf("%s: followup: %w", at("followup"), err)
	}
	if len(sc.Endpoints) == 0 {
		return fmt.Errorf("%s: endpoints is missing: list the latent endpoints to write, among %s", at(), strings.Join(LatentEndpoints, ", "))
	}
	for i, e := range sc.Endpoints {
		if !slices.Contains(LatentEndpoints, e) {
			return fmt.Errorf("%s: endpoint %q: use one of %s", at("endpoints", i), e, strings.Join(LatentEndpoints, ", "))
		}
		if slices.Index(sc.Endpoints, e) != i {
			return fmt.Errorf("%s: endpoint %q is listed twice", at("endpoints", i), e)
		}
	}
	if len(sc.Cohorts) == 0 {
		return fmt.Errorf("%s: cohorts is missing: list at least one cohort with arm, n and response", at())
	}
	stratified := sc.Cohorts[0].Stratum != ""
	type key struct{ arm, stratum string }
	seen := map[key]bool{}
	for i := range sc.Cohorts {
		c := &sc.Cohorts[i]
		here := func(path ...any) string { return at(append([]any{"cohorts", i}, path...)...) }
		if !nameRE.MatchString(c.Arm) {
			return fmt.Errorf("%s: cohort %d arm %q: use an upper-case name (TRT01P), e.g. KETAMINE", here("arm"), i+1, c.Arm)
		}
		if (c.Stratum != "") != stratified {
			return fmt.Errorf("%s: cohort %d: either every cohort has a stratum or none has", here(), i+1)
		}
		k := key{c.Arm, c.Stratum}
		if seen[k] {
			return fmt.Errorf("%s: cohort %d repeats arm %q stratum %q: merge the two cohorts", here(), i+1, c.Arm, c.Stratum)
		}
		seen[k] = true
		if c.N < 1 || c.N > 1_000_000 {
			return fmt.Errorf("%s: cohort %d n = %d: must be in [1, 1000000]", here("n"), i+1, c.N)
		}
		minBase := 2 * (s.RemissionMax + 2)
		if err := c.Baseline.validate(float64(minBase), float64(s.Max)); err != nil {
			return fmt.Errorf("%s: cohort %d baseline: %w (a baseline below %d leaves no room between response and remission)", here("baseline"), i+1, err, minBase)
		}
		if err := c.Response.validate(false); err != nil {
			return fmt.Errorf("%s: cohort %d response: %w", here("response"), i+1, err)
		}
		if c.Remission != nil {
			if err := c.Remission.validate(false); err != nil {
				return fmt.Errorf("%s: cohort %d remission: %w", here("remission"), i+1, err)
			}
		}
		if c.Relapse != nil {
			if err := c.Relapse.validate(true); err != nil {
				return fmt.Errorf("%s: cohort %d relapse: %w", here("relapse"), i+1, err)
			}
		}
		if e := c.RelapseEvents; e != nil {
			if c.Relapse == nil || !(e.Fraction >= 0 && e.Fraction <= 1) || !(e.SuicideAttemptShare >= 0 && e.SuicideAttemptShare <= 1) {
				return fmt.Errorf("%s: cohort %d relapse_events: needs a relapse block, and fraction and suicide_attempt_share in [0, 1]", here("relapse_events"), i+1)
			}
		}
		if c.Dropout != nil {
			if err := c.Dropout.validate(); err != nil {
				return fmt.Errorf("%s: cohort %d dropout: %w", here("dropout"), i+1, err)
			}
		}
		if d := c.DropoutOriginDay; d != nil && (!(*d >= 0) || c.Dropout == nil) {
			return fmt.Errorf("%s: cohort %d dropout_origin_day: must be >= 0 and come with dropout", here("dropout_origin_day"), i+1)
		}
		if r := c.DropoutReasons; r != nil {
			if c.Dropout == nil || !(r.LackOfEfficacy >= 0 && r.AdverseEvent >= 0 && r.LackOfEfficacy+r.AdverseEvent <= 1) {
				return fmt.Errorf("%s: cohort %d dropout_reasons: needs dropout, and lack_of_efficacy and adverse_event >= 0 with a sum <= 1 (the rest withdraw by subject)", here("dropout_reasons"), i+1)
			}
		}
		if r := c.Rescue; r != nil {
			if !(r.Fraction >= 0 && r.Fraction <= 1) {
				return fmt.Errorf("%s: cohort %d rescue.fraction %v: must be in [0, 1]", here("rescue", "fraction"), i+1, r.Fraction)
			}
			if r.Time.IsZero() {
				return fmt.Errorf("%s: cohort %d rescue.time is missing: give the distribution of the rescue day after origin_day", here("rescue"), i+1)
			}
			if err := r.Time.validate(); err != nil {
				return fmt.Errorf("%s: cohort %d rescue.time: %w", here("rescue", "time"), i+1, err)
			}
			if d := r.OriginDay; d != nil && !(*d >= 0) {
				return fmt.Errorf("%s: cohort %d rescue.origin_day %v: must be >= 0", here("rescue", "origin_day"), i+1, *d)
			}
		}
		if d := c.NonresponderExitDay; d != nil && !(*d > 0) {
			return fmt.Errorf("%s: cohort %d nonresponder_exit_day %v: must be > 0", here("nonresponder_exit_day"), i+1, *d)
		}
		if c.SI != nil {
			si := c.SI
			if !(si.BaselineFraction >= 0 && si.BaselineFraction <= 1) {
				return fmt.Errorf("%s: cohort %d si.baseline_fraction %v: must be in [0, 1]", here("si", "baseline_fraction"), i+1, si.BaselineFraction)
			}
			if err := si.Severity.validate(0.01, 1); err != nil {
				return fmt.Errorf("%s: cohort %d si.severity: %w", here("si", "severity"), i+1, err)
			}
			if err := si.Resolution.validate(false); err != nil {
				return fmt.Errorf("%s: cohort %d si.resolution: %w", here("si", "resolution"), i+1, err)
			}
			if si.Recurrence != nil {
				if err := si.Recurrence.validate(false); err != nil {
					return fmt.Errorf("%s: cohort %d si.recurrence: %w", here("si", "recurrence"), i+1, err)
				}
			}
		}
	}
	needSI := sc.Scores.CSSRSI || sc.Scores.SSI || slices.Contains(sc.Endpoints, TTSIRES)
	for i, c := range sc.Cohorts {
		if needSI && c.SI == nil {
			return fmt.Errorf("%s: cohort %d has no si block but the scenario writes CSSRSI, SSI or TTSIRES: add `si:`", at("cohorts", i), i+1)
		}
	}
	return nil
}

func (n *Normal) validate(lo, hi float64) error {
	if !(n.SD >= 0) || !(n.Min <= n.Max) || n.Min < lo || n.Max > hi {
		return fmt.Errorf("need sd >= 0 and %v <= min <= max <= %v (got mean %v, sd %v, min %v, max %v)", lo, hi, n.Mean, n.SD, n.Min, n.Max)
	}
	if math.IsNaN(n.Mean) || math.IsInf(n.Min, 0) || math.IsInf(n.Max, 0) || math.IsInf(n.SD, 0) {
		return fmt.Errorf("mean, sd, min and max must be finite numbers")
	}
	if n.Mean < n.Min || n.Mean > n.Max {
		return fmt.Errorf("mean %v lies outside [min, max] = [%v, %v]", n.Mean, n.Min, n.Max)
	}
	return nil
}

func (t *Transition) validate(allowOrigin bool) error {
	if t.Fraction != nil && !(*t.Fraction >= 0 && *t.Fraction <= 1) {
		return fmt.Errorf("fraction %v: must be in [0, 1]", *t.Fraction)
	}
	if t.HazardRatio < 0 || math.IsInf(t.HazardRatio, 0) || math.IsNaN(t.HazardRatio) {
		return fmt.Errorf("hazard_ratio %v: must be > 0 (omit for 1)", t.HazardRatio)
	}
	if t.OriginDay != nil && !allowOrigin {
		return fmt.Errorf("origin_day is only meaningful for relapse")
	}
	if t.OriginDay != nil && !(*t.OriginDay >= 0) {
		return fmt.Errorf("origin_day %v: must be >= 0", *t.OriginDay)
	}
	if err := t.Time.validate(); err != nil {
		return fmt.Errorf("time: %w", err)
	}
	return nil
}

func (sc *Scenario) expandVisits(at func(...any) string) error {
	if len(sc.Visits) == 0 {
		return fmt.Errorf("%s: visits is missing: list the visit schedule, starting with BASELINE at days: 0", at())
	}
	var vs []Visit
	for i, v := range sc.Visits {
		if v.Series != nil {
			s := v.Series
			if v.Name != "" || v.Minutes != nil || v.Hours != nil || v.Days != nil || v.Weeks != nil {
				return fmt.Errorf("%s: visit %d: a series entry has only `series:`", at("visits", i), i+1)
			}
			if s.Count < 1 || s.Count > 10000 || !(s.StepDays > 0) || math.IsInf(s.StepDays, 0) ||
				math.IsNaN(s.StartDay) || math.IsInf(s.StartDay, 0) || !strings.Contains(s.Name, "{") {
				return fmt.Errorf("%s: visit %d series: need count in [1, 10000], step_days > 0 and a name with {n}, {day} or {week}", at("visits", i, "series"), i+1)
			}
			for k := range s.Count {
				day := s.StartDay + float64(k)*s.StepDays
				name := strings.ReplaceAll(s.Name, "{n}", strconv.Itoa(s.First+k))
				name = strings.ReplaceAll(name, "{day}", strconv.Itoa(int(math.Round(day))))
				name = strings.ReplaceAll(name, "{week}", strconv.Itoa(int(math.Round(day/7))))
				vs = append(vs, Visit{name, day})
			}
			continue
		}
		var day float64
		n := 0
		for _, u := range []struct {
			p        *float64
			mul, div float64
		}{{v.Minutes, 1, 1440}, {v.Hours, 1, 24}, {v.Days, 1, 1}, {v.Weeks, 7, 1}} {
			if u.p != nil {
				n++
				day = *u.p * u.mul / u.div
			}
		}
		if n != 1 || v.Name == "" {
			return fmt.Errorf("%s: visit %d: give a name and exactly one of minutes, hours, days, weeks", at("visits", i), i+1)
		}
		if math.IsNaN(day) || math.IsInf(day, 0) {
			return fmt.Errorf("%s: visit %s: the time must be a finite number", at("visits", i), v.Name)
		}
		vs = append(vs, Visit{v.Name, day})
	}
	slices.SortStableFunc(vs, func(a, b Visit) int {
		switch {
		case a.Day < b.Day:
			return -1
		case a.Day > b.Day:
			return 1
		}
		return 0
	})
	if vs[0].Day > 0 {
		return fmt.Errorf("%s: the first visit %s is at day %v: the schedule must start with a baseline visit at day <= 0", at("visits"), vs[0].Name, vs[0].Day)
	}
	if len(vs) > 1 && vs[1].Day <= 0 {
		return fmt.Errorf("%s: visits %s and %s are both at or before day 0: keep one baseline visit", at("visits"), vs[0].Name, vs[1].Name)
	}
	for i := 1; i < len(vs); i++ {
		if vs[i].Day == vs[i-1].Day {
			return fmt.Errorf("%s: visits %s and %s are both at day %v", at("visits"), vs[i-1].Name, vs[i].Name, vs[i].Day)
		}
	}
	seen := map[string]bool{}
	for _, v := range vs {
		if seen[v.Name] {
			return fmt.Errorf("%s: visit name %s is used twice", at("visits"), v.Name)
		}
		seen[v.Name] = true
	}
	sc.visits = vs
	return nil
}
