package synthesis

import (
	"cmp"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/ketcurves/ketcurves/pipeline/schema"
)

// Input is one study: its results and, when available, the individual
// rows of its analysed ADTTE (for the one-stage IPD analysis).
type Input struct {
	Results *schema.Results
	// Rows are the ADTTE rows the results were fitted on; nil when the
	// file was not available (the study is then left out of the
	// one-stage analysis, with a note).
	Rows []Row
}

// Row is one ADTTE row.
type Row struct {
	Paramcd string
	Arm     string // TRTP
	Time    float64
	Event   bool // CNSR = 0
}

// Endpoint kinds the synthesis knows (study.Kind* values).
const (
	KindResponse  = "response"
	KindRemission = "remission"
	KindSIRes     = "si-resolution"
	KindRelapse   = "relapse"
)

// Milestones are the times (days) of the milestone response rates: 24 h,
// day 7 and week 6.
var Milestones = []float64{1, 7, 42}

// MilestoneLabels name Milestones.
var MilestoneLabels = []string{"24 h", "day 7", "week 6"}

// Synthesis is the cross-trial synthesis of several studies.
type Synthesis struct {
	Studies []StudySummary
	// ResponseCurves are the 1 − KM curves of every arm of every
	// response endpoint; RelapseCurves the KM (relapse-free) curves of
	// every relapse endpoint. Both sorted by study, then arm.
	ResponseCurves, RelapseCurves []Curve
	Milestones                    []MilestoneRow
	Cure                          []CureRow
	Contrasts                     []*Contrast
	// Warnings are problems met while reading the results (a section that
	// could not be decoded), shown in the report.
	Warnings []string
}

// StudySummary describes one study.
type StudySummary struct {
	ID, Title, Design string
	Synthetic         bool
	Arms              []schema.ArmInfo
	Control           string
	Endpoints         []EndpointSummary
	// Randomized is true for a study with two or more arms.
	Randomized bool
	// Covariates are the Cox model's adjustment covariates (none: the
	// hazard ratio is unadjusted).
	Covariates []string
	HasRows    bool
}

// EndpointSummary is one endpoint of a study.
type EndpointSummary struct {
	Paramcd, Label, Kind string
	// Definition is the part of the label in parentheses (the instrument
	// and threshold), or the label.
	Definition string
	// FollowUp is the largest time (days) in the endpoint's KM rows.
	FollowUp float64
	N        int
}

// Curve is one arm's Kaplan–Meier curve.
type Curve struct {
	Study, Paramcd, Label string
	Arm, ArmLabel, Class  string
	// Time and Surv are the KM steps: S(t) from Time[i] on (S = 1 before
	// Time[0]). FollowUp is the last time of the arm.
	Time, Surv []float64
	FollowUp   float64
	N, Events  int
}

// MilestoneRow is the response rate 1 − S(t) of one arm at the
// Milestones; Observed[i] is false where Milestones[i] is beyond the
// arm's follow-up (the rate is then not given).
type MilestoneRow struct {
	Study, Paramcd, Kind, Label string
	Arm, ArmLabel, Class        string
	Rate                        []float64
	Observed                    []bool
	NRisk                       []int
}

// CureRow is one arm's cure-model result of one endpoint, or, with
// Fitted false, a note that the study has no cure model for it.
type CureRow struct {
	Study, Paramcd, Label string
	Arm, ArmLabel, Class  string
	Fitted                bool
	Latency, Status       string
	Fraction              schema.CureArm
	PlateauStatus         string
}

// Build collects the synthesis of the given studies. Studies are sorted
// by id; a duplicate id is an error, as are no studies.
func Build(inputs []Input) (*Synthesis, error) {
	if len(inputs) == 0 {
		return nil, errors.New("no studies: give at least one results.json")
	}
	in := slices.Clone(inputs)
	slices.SortFunc(in, func(a, b Input) int { return cmp.Compare(a.Results.Study.ID, b.Results.Study.ID) })
	for i := 1; i < len(in); i++ {
		if in[i].Results.Study.ID == in[i-1].Results.Study.ID {
			return nil, fmt.Errorf("study %q is given twice: give each study's results.json once", in[i].Results.Study.ID)
		}
	}
	s := &Synthesis{}
	for _, st := range in {
		s.addStudy(st)
	}
	contrasts, err := buildContrasts(in)
	if err != nil {
		return nil, err
	}
	s.Contrasts = contrasts
	return s, nil
}

func (s *Synthesis) addStudy(in Input) {
	res := in.Results
	info := res.Study
	sum := StudySummary{ID: info.ID, Title: info.Title, Design: info.Design, Synthetic: info.Synthetic, Arms: info.Arms,
		Control: info.Control, Randomized: len(info.Arms) > 1, Covariates: res.Conventions.Covariates, HasRows: in.Rows != nil}
	for i := range res.Endpoints {
		ep := &res.Endpoints[i]
		if ep.Subgroup != "" {
			continue
		}
		curves := curvesOf(info, ep)
		es := EndpointSummary{Paramcd: ep.Paramcd, Label: ep.Label, Kind: ep.Kind, Definition: definition(ep.Label)}
		for _, c := range curves {
			es.FollowUp = math.Max(es.FollowUp, c.FollowUp)
			es.N += c.N
		}
		sum.Endpoints = append(sum.Endpoints, es)
		switch ep.Kind {
		case KindResponse:
			s.ResponseCurves = append(s.ResponseCurves, curves...)
		case KindRelapse:
			s.RelapseCurves = append(s.RelapseCurves, curves...)
		}
		if ep.Kind == KindResponse || ep.Kind == KindRemission || ep.Kind == KindSIRes {
			for _, c := range curves {
				s.Milestones = append(s.Milestones, milestone(c, ep.Kind, ep))
			}
			s.addCure(info, ep, curves)
		}
	}
	s.Studies = append(s.Studies, sum)
}

// definition is the text in the last parentheses of label, or label.
func definition(label string) string {
	i, j := strings.LastIndex(label, "("), strings.LastIndex(label, ")")
	if i >= 0 && j > i {
		return label[i+1 : j]
	}
	return label
}

// armInfo returns the study's description of arm (a bare name if it is not
// listed).
func armInfo(info schema.StudyInfo, arm string) schema.ArmInfo {
	for _, a := range info.Arms {
		if a.Name == arm {
			if a.Label == "" {
				a.Label = a.Name
			}
			if a.Class == "" {
				a.Class = "other"
			}
			return a
		}
	}
	return schema.ArmInfo{Name: arm, Label: arm, Class: "other"}
}

// curvesOf are the KM curves of ep's arms, in the order of ep.Arms.
func curvesOf(info schema.StudyInfo, ep *schema.Endpoint) []Curve {
	var out []Curve
	for _, a := range ep.Arms {
		ai := armInfo(info, a.Arm)
		c := Curve{Study: info.ID, Paramcd: ep.Paramcd, Label: ep.Label, Arm: a.Arm, ArmLabel: ai.Label, Class: ai.Class, N: a.N, Events: a.Events}
		for _, r := range ep.KM.All() {
			if r.Arm != a.Arm {
				continue
			}
			c.Time, c.Surv = append(c.Time, r.Time), append(c.Surv, r.Surv)
			c.FollowUp = math.Max(c.FollowUp, r.Time)
		}
		out = append(out, c)
	}
	return out
}

// At returns S(t), the KM estimate at t (1 before the first step).
func (c Curve) At(t float64) float64 {
	s := 1.0
	for i, ti := range c.Time {
		if ti > t {
			break
		}
		s = c.Surv[i]
	}
	return s
}

func milestone(c Curve, kind string, ep *schema.Endpoint) MilestoneRow {
	m := MilestoneRow{Study: c.Study, Paramcd: c.Paramcd, Kind: kind, Label: c.Label, Arm: c.Arm, ArmLabel: c.ArmLabel, Class: c.Class}
	for _, t := range Milestones {
		obs := t <= c.FollowUp
		m.Observed = append(m.Observed, obs)
		rate := math.NaN()
		if obs {
			rate = 1 - c.At(t)
		}
		m.Rate = append(m.Rate, rate)
		m.NRisk = append(m.NRisk, nRiskAt(ep, c.Arm, t))
	}
	return m
}

// nRiskAt is the number at risk at t: the n_risk of the first KM row at or
// after t, 0 beyond the last.
func nRiskAt(ep *schema.Endpoint, arm string, t float64) int {
	for _, r := range ep.KM.All() {
		if r.Arm == arm && r.Time >= t {
			return r.NRisk
		}
	}
	return 0
}

func (s *Synthesis) addCure(info schema.StudyInfo, ep *schema.Endpoint, curves []Curve) {
	var sec schema.CureSection
	ok, err := ep.Section("cure", &sec)
	if err != nil {
		s.Warnings = append(s.Warnings, fmt.Sprintf("%s %s: could not read the cure section: %v", info.ID, ep.Paramcd, err))
		ok = false
	}
	for _, c := range curves {
		row := CureRow{Study: info.ID, Paramcd: ep.Paramcd, Label: ep.Label, Arm: c.Arm, ArmLabel: c.ArmLabel, Class: c.Class, Fitted: ok}
		if ok {
			row.Latency, row.Status = sec.Latency, sec.Status
			for _, a := range sec.Arms {
				if a.Arm == c.Arm {
					row.Fraction = a
				}
			}
			for _, p := range sec.Plateaus {
				if p.Arm == c.Arm {
					row.PlateauStatus = p.Status
				}
			}
		}
		s.Cure = append(s.Cure, row)
	}
}
