package derive

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/ketcurves/ketcurves/pipeline/study"
)

// Subject is one adsl.csv row, as far as the derivation needs it.
type Subject struct {
	USUBJID string
	Arm     string // TRT01P
	// RandDay, EndDay and RescueDay are RANDDY, EOSDY and RESCDY: study
	// days, NaN when the cell is empty or the column absent.
	RandDay, EndDay, RescueDay float64
	// DiscReason is DCSREAS, empty when the subject completed.
	DiscReason string
	// Covariates holds the values of Data.CovariateNames for this subject.
	Covariates []string
	Line       int // line in adsl.csv (header = 1)
}

// Assessment is one adqs.csv row.
type Assessment struct {
	USUBJID string
	Param   string  // PARAMCD
	Visit   string  // AVISIT
	Day     float64 // ADY, study day (day 0 = first dose)
	Value   float64 // AVAL; NaN when the assessment was missed (empty cell)
	Line    int     // line in adqs.csv (header = 1)
}

// ClinicalEvent is one adce.csv row: a qualifying clinical event.
type ClinicalEvent struct {
	USUBJID string
	Term    string  // CETERM, e.g. HOSPITALIZATION
	Day     float64 // ADY
	Line    int     // line in adce.csv (header = 1)
}

// Data is the input of a derivation: ADSL, ADQS and optionally ADCE.
type Data struct {
	StudyID        string
	Subjects       []Subject
	CovariateNames []string // ADSL covariate columns copied to ADTTE (AGE, SEX, STRATUM when present)
	Assessments    []Assessment
	Events         []ClinicalEvent
	// HasADCE is true when adce.csv was read (it may hold no rows: no
	// qualifying event occurred). A plan listing relapse.clinical_events
	// needs it unless relapse.clinical_events_file is optional.
	HasADCE bool
	// ADQSFile and ADCEFile name the files in error messages; they default
	// to adqs.csv and adce.csv.
	ADQSFile, ADCEFile string
	// ADSLFile names adsl.csv in error messages (default adsl.csv), and
	// DiscReasonColumn is the 1-based column of DCSREAS in it (0 when
	// unknown), for errors about a discontinuation reason.
	ADSLFile         string
	DiscReasonColumn int
}

// Source domains of a row's time (Row.SourceDomain).
const (
	DomainADQS = "ADQS" // a visit-level assessment of adqs.csv
	DomainADCE = "ADCE" // a qualifying clinical event of adce.csv
	DomainADSL = "ADSL" // an adsl.csv day (EOSDY) or the time origin
)

// Row is one derived ADTTE row with its traceability.
type Row struct {
	USUBJID, Arm, Paramcd string
	// Time is AVAL, days from the time origin; Censored is CNSR == 1.
	Time     float64
	Censored bool
	// Competing is true for a competing event (CNSR 0, EventType one of
	// study.CompetingTypes); false for the event of interest and censoring.
	Competing bool
	// EventType (EVNTTYPE) names the event of a CNSR 0 row: the endpoint's
	// own type (study.EventTypeOf, e.g. RESPONSE) for the event of
	// interest, the competing type (LACK_OF_EFFICACY, ADVERSE_EVENT, RESCUE,
	// OTHER) for a competing event; empty for a censored row.
	EventType string
	// EventDesc (EVNTDESC) describes the event of an event row;
	// CensorDesc (CNSDTDSC) the censoring of a censored row.
	EventDesc, CensorDesc string
	// Entry is the time, from the origin, at which the subject entered the
	// risk set (the anchor of a relapse endpoint timed from dose); 0 otherwise.
	Entry float64
	// OriginDay is the study day of the time origin: AVAL = SourceDay − OriginDay.
	OriginDay float64
	// AnchorDay is the study day of the relapse anchor; NaN for event rules.
	AnchorDay float64
	// RespDay, RespValue and RespLine identify the assessment that showed a
	// relapse subject in response at the anchor: the one relapse.in_response
	// was checked on (the last adequate assessment at or before the anchor)
	// or, without in_response, the event assessment of the anchor endpoint;
	// NaN, NaN, 0 otherwise (event rules; anchor randomization or day
	// without in_response).
	RespDay, RespValue float64
	RespLine           int
	// SourceDomain, SourceParam, SourceVisit, SourceDay, SourceValue and
	// SourceLine identify the record that set the time: for DomainADQS the
	// assessment (PARAMCD, AVISIT, ADY, AVAL, line); for DomainADCE the
	// clinical event (CETERM, ADY, line); for DomainADSL the subject's line
	// (EOSDY censoring) or, with SourceLine 0, the time origin itself (no
	// adequate assessment). SourceValue is NaN when not a score.
	SourceDomain, SourceParam, SourceVisit string
	SourceDay, SourceValue                 float64
	SourceLine                             int
	// Base, BaseDay and BaseLine are the baseline value, its study day and
	// its adqs.csv line; NaN, NaN, 0 without baseline.
	Base, BaseDay float64
	BaseLine      int
	// ConfirmDay and ConfirmLine identify the assessment that confirmed a
	// relapse (or ended a sustained run); NaN, 0 when none.
	ConfirmDay  float64
	ConfirmLine int
	// Lower and Upper bound the event time for interval censoring, as
	// R's Surv(Lower, Upper, type = "interval2"): an assessed event lies in
	// (Lower, Upper] with Lower the previous adequate assessment (NaN, empty
	// in CSV, when the event is at the first assessment after entry: the
	// event lies in (Entry, Upper]); an exactly timed clinical event, and
	// a competing event (dated by EOSDY or RESCDY), has Lower = Upper =
	// AVAL; a censored row has Lower = AVAL and Upper NaN.
	Lower, Upper float64
	Covariates   []string
}

// Exclusion is a subject left out of one endpoint, with the reason.
type Exclusion struct {
	USUBJID, Arm, Paramcd, Reason string
}

// Count reconciles one endpoint: Subjects = Events + Competing + Censored +
// Excluded. Events counts the event of interest only; Competing is 0 unless
// the plan declares competing events.
type Count struct {
	Paramcd                                         string
	Subjects, Events, Competing, Censored, Excluded int
	// HasCompeting is true when the endpoint's plan declares competing
	// events.
	HasCompeting bool
}

// Result is the output of Derive. Rows and Exclusions are ordered by subject
// (ADSL order) then endpoint (study.yaml order).
type Result struct {
	Rows       []Row
	Exclusions []Exclusion
	Counts     []Count // one per derived endpoint, in study.yaml order
	// Warnings are facts about the derivation that do not stop it, e.g. a
	// plan whose optional adce.csv is absent.
	Warnings []string
	// HasEntry is true when some row has a positive Entry; ADTTE then
	// carries an ENTRY column.
	HasEntry bool
	// HasEventType is true when some derived endpoint declares competing
	// events; ADTTE then carries an EVNTTYPE column (after CNSR).
	HasEventType bool
}

// outcome is the derivation of one subject for one endpoint: a row or an
// exclusion reason.
type outcome struct {
	row    Row
	reason string // non-empty: excluded
}

// Derive executes the derive plans of the endpoints of s on d. Endpoints
// without a derive block are skipped; it is an error if none has one.
// Data errors (duplicate assessments, subjects missing from ADSL, a study
// identifier that does not match) return an error naming the file and line.
//
// For a subject with used assessments (ADY_1 < ADY_2 < … , see the package
// documentation for which are used) and time origin day O:
//
//	event rule:   j = min{ i : x_i, …, x_{i+k−1} all meet the criterion }     AVAL = ADY_j − O, CNSR 0
//	relapse rule: j = min{ i : x_i ≥ c, x_{i+1} ≥ c, lo ≤ ADY_{i+1} − ADY_i ≤ hi }   (or a clinical event first)
//	no event:     AVAL = ADY_last − O, CNSR 1   (0 without any used assessment)
//
// with the criterion (BASE − x)/BASE ≥ r (reduction) or x ≤ a (at_most).
// It is the derivation R's admiral::derive_param_tte performs with one
// event_source per rule and a censor_source at the last assessment; in SAS,
// a DATA step over ADQS sorted by USUBJID and ADY with RETAIN.
func Derive(s *study.Study, d *Data) (*Result, error) {
	var eps []int
	for i, e := range s.Endpoints {
		if e.Derive != nil {
			eps = append(eps, i)
		}
	}
	if len(eps) == 0 {
		return nil, fmt.Errorf("study %s: no endpoint has a `derive:` block: add one per endpoint to derive (see pipeline/derive/PLAN.md)", s.ID)
	}
	if d.StudyID != "" && d.StudyID != s.ID {
		return nil, fmt.Errorf("the data have STUDYID %q but study.yaml has id %q: they must match", d.StudyID, s.ID)
	}
	qsFile, ceFile := cmp.Or(d.ADQSFile, "adqs.csv"), cmp.Or(d.ADCEFile, "adce.csv")
	subjIndex := make(map[string]int, len(d.Subjects))
	for i, sub := range d.Subjects {
		if j, dup := subjIndex[sub.USUBJID]; dup {
			return nil, fmt.Errorf("adsl.csv: lines %d and %d: subject %s appears twice: ADSL has one row per subject", d.Subjects[j].Line, sub.Line, sub.USUBJID)
		}
		subjIndex[sub.USUBJID] = i
		if _, ok := s.Arm(sub.Arm); !ok {
			return nil, fmt.Errorf("adsl.csv: line %d: subject %s has TRT01P %q, not an arm of study.yaml (%s)", sub.Line, sub.USUBJID, sub.Arm, strings.Join(s.ArmNames(), ", "))
		}
	}

	warnings, err := checkPlanData(s, eps, d, qsFile, ceFile)
	if err != nil {
		return nil, err
	}
	if err := checkReasons(s, eps, d); err != nil {
		return nil, err
	}
	if err := checkDays(s, eps, d, qsFile, ceFile); err != nil {
		return nil, err
	}

	// Group the assessments of the source parameters by subject and
	// parameter, sorted by day: one sort, O(n log n).
	params := map[string]int{}
	for _, i := range eps {
		p := s.Endpoints[i].Derive.Source
		if _, ok := params[p]; !ok {
			params[p] = len(params)
		}
	}
	// keyed carries the sort key inline so that the sort does not chase
	// pointers; idx is the row's index in d.Assessments.
	type keyed struct {
		subj, param int32
		idx         int32
		day         float64
	}
	rows := make([]keyed, 0, len(d.Assessments))
	for k := range d.Assessments {
		a := &d.Assessments[k]
		pi, ok := params[a.Param]
		if !ok {
			continue
		}
		si, ok := subjIndex[a.USUBJID]
		if !ok {
			return nil, fmt.Errorf("%s: line %d: subject %s is not in adsl.csv: add the subject to adsl.csv or remove the row", qsFile, a.Line, a.USUBJID)
		}
		if math.IsNaN(a.Day) || math.IsInf(a.Day, 0) {
			return nil, fmt.Errorf("%s: line %d: ADY is not a finite number", qsFile, a.Line)
		}
		rows = append(rows, keyed{int32(si), int32(pi), int32(k), a.Day})
	}
	slices.SortFunc(rows, func(x, y keyed) int {
		return cmp.Or(cmp.Compare(x.subj, y.subj), cmp.Compare(x.param, y.param), cmp.Compare(x.day, y.day), cmp.Compare(x.idx, y.idx))
	})
	// series[subj][param] is the subject's sorted assessments of param,
	// sub-slices of one backing array.
	series := make([][][]Assessment, len(d.Subjects))
	sorted := make([]Assessment, len(rows))
	for k, r := range rows {
		sorted[k] = d.Assessments[r.idx]
	}
	for lo := 0; lo < len(rows); {
		hi := lo + 1
		for hi < len(rows) && rows[hi].subj == rows[lo].subj && rows[hi].param == rows[lo].param {
			hi++
		}
		group := sorted[lo:hi:hi]
		if err := checkDuplicates(qsFile, group); err != nil {
			return nil, err
		}
		si := rows[lo].subj
		if series[si] == nil {
			series[si] = make([][]Assessment, len(params))
		}
		series[si][rows[lo].param] = group
		lo = hi
	}

	// Clinical events by subject, sorted by day.
	events := make([][]ClinicalEvent, len(d.Subjects))
	for _, ev := range d.Events {
		si, ok := subjIndex[ev.USUBJID]
		if !ok {
			return nil, fmt.Errorf("%s: line %d: subject %s is not in adsl.csv: add the subject to adsl.csv or remove the row", ceFile, ev.Line, ev.USUBJID)
		}
		if math.IsNaN(ev.Day) || math.IsInf(ev.Day, 0) {
			return nil, fmt.Errorf("%s: line %d: ADY is not a finite number", ceFile, ev.Line)
		}
		events[si] = append(events[si], ev)
	}
	for _, evs := range events {
		slices.SortFunc(evs, func(x, y ClinicalEvent) int {
			return cmp.Or(cmp.Compare(x.Day, y.Day), cmp.Compare(x.Line, y.Line))
		})
	}

	// Event rules first, so that relapse anchors can refer to them.
	order := slices.Clone(eps)
	slices.SortStableFunc(order, func(x, y int) int {
		return cmp.Compare(btoi(s.Endpoints[x].Derive.Relapse != nil), btoi(s.Endpoints[y].Derive.Relapse != nil))
	})
	out := make(map[int][]outcome, len(eps))
	for _, i := range order {
		ep := s.Endpoints[i]
		pl := newPlan(ep)
		pi := params[ep.Derive.Source]
		var anchors []outcome
		if r := ep.Derive.Relapse; r != nil && r.Anchor != study.AnchorRandomization && r.Anchor != study.AnchorDay {
			j := slices.IndexFunc(s.Endpoints, func(o study.Endpoint) bool { return o.Paramcd == r.Anchor })
			anchors = out[j]
		}
		res := make([]outcome, len(d.Subjects))
		for si := range d.Subjects {
			var obs []Assessment
			if series[si] != nil {
				obs = series[si][pi]
			}
			var anchor *outcome
			if anchors != nil {
				anchor = &anchors[si]
			}
			res[si] = pl.subject(&d.Subjects[si], obs, events[si], anchor)
		}
		out[i] = res
	}

	r := &Result{Rows: make([]Row, 0, len(d.Subjects)*len(eps)), Warnings: warnings}
	for _, i := range eps {
		c := Count{Paramcd: s.Endpoints[i].Paramcd, Subjects: len(d.Subjects), HasCompeting: s.Endpoints[i].Derive.HasCompeting()}
		r.HasEventType = r.HasEventType || c.HasCompeting
		for _, o := range out[i] {
			switch {
			case o.reason != "":
				c.Excluded++
			case o.row.Censored:
				c.Censored++
			case o.row.Competing:
				c.Competing++
			default:
				c.Events++
			}
		}
		r.Counts = append(r.Counts, c)
	}
	for si, sub := range d.Subjects {
		for _, i := range eps {
			o := out[i][si]
			if o.reason != "" {
				r.Exclusions = append(r.Exclusions, Exclusion{USUBJID: sub.USUBJID, Arm: sub.Arm, Paramcd: s.Endpoints[i].Paramcd, Reason: o.reason})
				continue
			}
			o.row.Covariates = sub.Covariates
			if o.row.Entry > 0 {
				r.HasEntry = true
			}
			r.Rows = append(r.Rows, o.row)
		}
	}
	return r, nil
}

// checkPlanData checks that what the plans name exists in the data: each
// source PARAMCD has adqs.csv rows, each baseline_visit is an AVISIT of its
// source, and adce.csv exists when a relapse rule lists clinical_events
// (unless clinical_events_file is optional: then a warning). Errors name
// study.yaml and the line of the offending key, what was found instead, and
// how to fix the plan or the data.
func checkPlanData(s *study.Study, eps []int, d *Data, qsFile, ceFile string) ([]string, error) {
	params := map[string]bool{}
	var paramList []string
	for k := range d.Assessments {
		if p := d.Assessments[k].Param; !params[p] {
			params[p] = true
			paramList = append(paramList, p)
		}
	}
	slices.Sort(paramList)
	var warnings []string
	for _, i := range eps {
		ep := s.Endpoints[i]
		pl := ep.Derive
		if !params[pl.Source] {
			found := "the file has no rows"
			if len(paramList) > 0 {
				found = "found " + strings.Join(paramList, ", ")
			}
			return nil, fmt.Errorf("%s: endpoint %s: derive.source %s: no %s row has PARAMCD %s (%s): set source to the PARAMCD of the score, or add its assessments to %s", pl.At("source"), ep.Paramcd, pl.Source, qsFile, pl.Source, found, qsFile)
		}
		if v := pl.BaselineVisit; v != "" {
			var visits []string
			seen := map[string]bool{}
			ok := false
			for k := range d.Assessments {
				a := &d.Assessments[k]
				if a.Param != pl.Source {
					continue
				}
				if a.Visit == v {
					ok = true
					break
				}
				if !seen[a.Visit] {
					seen[a.Visit] = true
					visits = append(visits, a.Visit)
				}
			}
			if !ok {
				if len(visits) > 12 {
					visits = append(visits[:12], "…")
				}
				return nil, fmt.Errorf("%s: endpoint %s: derive.baseline_visit %s: no %s row of %s has AVISIT %s (found %s): correct the visit name, or remove baseline_visit to use the last assessment at or before day 0", pl.At("baseline_visit"), ep.Paramcd, v, qsFile, pl.Source, v, strings.Join(visits, ", "))
			}
		}
		if r := pl.Relapse; r != nil && len(r.ClinicalEvents) > 0 && !d.HasADCE {
			terms := strings.Join(r.ClinicalEvents, ", ")
			if r.EventsFileRule() == study.EventsFileOptional {
				warnings = append(warnings, fmt.Sprintf("endpoint %s: no %s: clinical_events (%s) are not applied (clinical_events_file: optional); relapses come from %s only", ep.Paramcd, ceFile, terms, pl.Source))
				continue
			}
			return nil, fmt.Errorf("%s: endpoint %s: derive.relapse.clinical_events lists %s but there is no %s: add %s (STUDYID, USUBJID, ADY, CETERM; a header alone when no such event occurred), or set `clinical_events_file: optional` under relapse to derive without clinical events when the file is absent, or remove clinical_events", pl.At("relapse", "clinical_events"), ep.Paramcd, terms, ceFile, ceFile)
		}
	}
	return warnings, nil
}

// checkReasons checks, for each plan with competing events, that every
// discontinuation reason (DCSREAS) of adsl.csv has an event type: the
// plan's reasons or the built-in mapping (study.Derivation.ReasonType). An
// unknown reason is an error naming adsl.csv, the line and the column, the
// study.yaml line of the plan and the fix.
func checkReasons(s *study.Study, eps []int, d *Data) error {
	file := cmp.Or(d.ADSLFile, "adsl.csv")
	for _, i := range eps {
		pl := s.Endpoints[i].Derive
		if !pl.HasCompeting() {
			continue
		}
		for k := range d.Subjects {
			sub := &d.Subjects[k]
			if sub.DiscReason == "" {
				continue
			}
			if _, ok := pl.ReasonType(sub.DiscReason); ok {
				continue
			}
			col := ""
			if d.DiscReasonColumn > 0 {
				col = fmt.Sprintf(", column %d (DCSREAS)", d.DiscReasonColumn)
			} else {
				col = ", column DCSREAS"
			}
			at := pl.At("competing")
			if len(pl.Reasons) > 0 {
				at = pl.At("reasons")
			}
			return fmt.Errorf("%s: line %d%s: subject %s: discontinuation reason %q has no event type for endpoint %s, whose plan (%s) declares competing events: map it under the endpoint's derive block, e.g. `reasons: {%q: OTHER}` (types: %s), or correct DCSREAS to a CDISC NCOMPLT value",
				file, sub.Line, col, sub.USUBJID, sub.DiscReason, s.Endpoints[i].Paramcd, at, sub.DiscReason, strings.Join(study.CompetingTypes, ", "))
		}
	}
	return nil
}

// checkDuplicates returns an error naming both lines when two assessments
// of one subject and parameter (sorted by day) share a day, or share a
// scheduled visit name.
func checkDuplicates(file string, group []Assessment) error {
	for k := 1; k < len(group); k++ {
		a, b := &group[k], &group[k-1]
		if a.Day == b.Day {
			if b.Line > a.Line {
				a, b = b, a
			}
			return fmt.Errorf("%s: lines %d and %d: subject %s has two %s assessments on day %s (visits %q and %q): remove the duplicate or correct its ADY", file, b.Line, a.Line, a.USUBJID, a.Param, formatFloat(a.Day), b.Visit, a.Visit)
		}
	}
	// Visit names: a linear scan for short series, a map for long ones.
	var seen map[string]int
	if len(group) > 32 {
		seen = make(map[string]int, len(group))
	}
	for k := range group {
		a := &group[k]
		if a.Visit == "" || study.IsUnscheduled(a.Visit) {
			continue
		}
		j := -1
		if seen != nil {
			if i, ok := seen[a.Visit]; ok {
				j = i
			}
			seen[a.Visit] = k
		} else {
			for i := range k {
				if group[i].Visit == a.Visit {
					j = i
					break
				}
			}
		}
		if j >= 0 {
			b := &group[j]
			first, second := b, a
			if first.Line > second.Line {
				first, second = second, first
			}
			return fmt.Errorf("%s: lines %d and %d: subject %s has two %s assessments at visit %s (days %s and %s): remove the duplicate or label one UNSCHED", file, first.Line, second.Line, a.USUBJID, a.Param, a.Visit, formatFloat(first.Day), formatFloat(second.Day))
		}
	}
	return nil
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

// plan is a derive block with its defaults resolved.
type plan struct {
	paramcd, source string
	d               *study.Derivation
	ignoreUnsched   bool
	breakOnMissing  bool
	sustained       int
	clinical        map[string]bool
	eventDesc       string
	// eventType is the EVNTTYPE of the event of interest; rescueStops is
	// true when follow-up ends at RESCDY (censor.rescue, or RESCUE among
	// the competing events).
	eventType   string
	rescueStops bool
}

func newPlan(ep study.Endpoint) *plan {
	d := ep.Derive
	p := &plan{
		paramcd:        ep.Paramcd,
		source:         d.Source,
		d:              d,
		ignoreUnsched:  d.UnscheduledRule() == study.UnscheduledIgnore,
		breakOnMissing: d.MissingRule() == study.MissingBreak,
		eventType:      study.EventTypeOf(ep),
		rescueStops:    d.Censor.Rescue || d.IsCompeting(study.TypeRescue),
	}
	if d.Event != nil {
		p.sustained = d.Event.Consecutive()
		p.eventDesc = d.Event.Describe(d.Source)
		if p.sustained > 1 {
			p.eventDesc += fmt.Sprintf(" SUSTAINED OVER %d CONSECUTIVE ASSESSMENTS", p.sustained)
		}
	} else {
		r := d.Relapse
		p.clinical = map[string]bool{}
		for _, t := range r.ClinicalEvents {
			p.clinical[t] = true
		}
		p.eventDesc = fmt.Sprintf("%s >= %s", d.Source, formatFloat(*r.AtLeast))
		if c := r.Confirm; c != nil {
			p.eventDesc += fmt.Sprintf(" CONFIRMED %s-%s DAYS LATER", formatFloat(*c.MinDays), formatFloat(*c.MaxDays))
		}
	}
	return p
}

// subject derives one subject's row, or the reason to exclude it. obs are
// the subject's assessments of the source parameter sorted by day; evs its
// clinical events sorted by day; anchor its outcome on the anchor endpoint
// (nil unless the relapse anchor is an endpoint).
func (p *plan) subject(sub *Subject, all []Assessment, evs []ClinicalEvent, anchor *outcome) outcome {
	d := p.d
	obs := all
	if p.needsFilter(all) {
		obs = make([]Assessment, 0, len(all))
		for _, a := range all {
			if p.ignoreUnsched && study.IsUnscheduled(a.Visit) {
				continue
			}
			if !p.breakOnMissing && math.IsNaN(a.Value) {
				continue
			}
			obs = append(obs, a)
		}
	}
	row := Row{
		USUBJID: sub.USUBJID, Arm: sub.Arm, Paramcd: p.paramcd,
		AnchorDay: math.NaN(), RespDay: math.NaN(), RespValue: math.NaN(), Base: math.NaN(), BaseDay: math.NaN(),
		ConfirmDay: math.NaN(), SourceValue: math.NaN(), Lower: math.NaN(), Upper: math.NaN(),
	}

	// Baseline.
	base := -1
	if d.BaselineVisit != "" {
		for k, a := range obs {
			if a.Visit == d.BaselineVisit && !math.IsNaN(a.Value) {
				base = k
			}
		}
	} else {
		for k, a := range obs {
			if a.Day > 0 {
				break
			}
			if !math.IsNaN(a.Value) {
				base = k
			}
		}
	}
	if base >= 0 {
		row.Base, row.BaseDay, row.BaseLine = obs[base].Value, obs[base].Day, obs[base].Line
	} else if d.UsesBaseline() {
		if d.BaselineVisit != "" {
			return outcome{reason: fmt.Sprintf("no baseline: no adequate %s assessment at visit %s", p.source, d.BaselineVisit)}
		}
		return outcome{reason: fmt.Sprintf("no baseline: no adequate %s assessment at or before day 0", p.source)}
	}
	if b := d.BaselineAtLeast; b != nil && row.Base < *b {
		return outcome{reason: fmt.Sprintf("not at risk: baseline %s %s (adqs.csv line %d) is below baseline_at_least %s", p.source, formatFloat(row.Base), row.BaseLine, formatFloat(*b))}
	}
	if d.Event != nil && d.Event.Reduction != nil && !(row.Base > 0) {
		return outcome{reason: fmt.Sprintf("relative reduction from baseline is undefined: baseline %s is %s (adqs.csv line %d)", p.source, formatFloat(row.Base), row.BaseLine)}
	}

	// Anchor (relapse rules).
	start := 0.0 // assessments strictly after start are used
	if base >= 0 {
		start = max(start, row.BaseDay)
	}
	if r := d.Relapse; r != nil {
		switch r.Anchor {
		case study.AnchorRandomization:
			if math.IsNaN(sub.RandDay) {
				return outcome{reason: "not randomized (RANDDY empty): no relapse anchor"}
			}
			row.AnchorDay = sub.RandDay
		case study.AnchorDay:
			row.AnchorDay = *r.AnchorDay
		default:
			switch {
			case anchor.reason != "":
				return outcome{reason: fmt.Sprintf("excluded from %s (%s): no relapse anchor", r.Anchor, anchor.reason)}
			case anchor.row.Censored:
				return outcome{reason: fmt.Sprintf("no %s event: not at risk of relapse", r.Anchor)}
			case anchor.row.Competing:
				return outcome{reason: fmt.Sprintf("no %s event (competing event %s on day %s): not at risk of relapse", r.Anchor, anchor.row.EventType, formatFloat(anchor.row.SourceDay))}
			}
			row.AnchorDay = anchor.row.SourceDay
			if anchor.row.SourceDomain == DomainADQS {
				row.RespDay, row.RespValue, row.RespLine = anchor.row.SourceDay, anchor.row.SourceValue, anchor.row.SourceLine
			}
		}
		if c := r.InResponse; c != nil {
			k := -1
			for j, a := range obs {
				if a.Day > row.AnchorDay {
					break
				}
				if !math.IsNaN(a.Value) {
					k = j
				}
			}
			if k < 0 {
				return outcome{reason: fmt.Sprintf("response at the anchor unknown: no adequate %s assessment at or before the anchor (day %s)", p.source, formatFloat(row.AnchorDay))}
			}
			if !c.Met(obs[k].Value, row.Base) {
				return outcome{reason: fmt.Sprintf("not in response at the anchor: %s %s on day %s (adqs.csv line %d) does not meet %s", p.source, formatFloat(obs[k].Value), formatFloat(obs[k].Day), obs[k].Line, c.Describe(p.source))}
			}
			row.RespDay, row.RespValue, row.RespLine = obs[k].Day, obs[k].Value, obs[k].Line
		}
		start = max(start, row.AnchorDay)
	}

	// Time origin.
	switch d.OriginRule() {
	case study.OriginDose:
		row.OriginDay = 0
	case study.OriginRandomization:
		if math.IsNaN(sub.RandDay) {
			return outcome{reason: "not randomized (RANDDY empty): no time origin"}
		}
		row.OriginDay = sub.RandDay
	case study.OriginAnchor:
		row.OriginDay = row.AnchorDay
	case study.OriginDay:
		row.OriginDay = *d.OriginDay
	}
	start = max(start, row.OriginDay)
	if d.Relapse != nil && row.AnchorDay > row.OriginDay {
		row.Entry = row.AnchorDay - row.OriginDay
	}

	// Follow-up window (start, stop]: discontinuation, rescue and
	// administrative cut-offs, whichever comes first.
	//
	//	discontinued (DCSREAS), after_discontinuation: ignore   stop ≤ EOSDY      (EOSDY itself used)
	//	censor.rescue                                           stop < RESCDY     (RESCDY itself not used)
	//	censor.max_day m                                        stop ≤ ORIGDY + m
	//
	// endDay is the day follow-up ends (the end-of-study censoring time is
	// capped by it). CNSDTDSC names only the cut-offs that actually ended
	// follow-up: data (an assessment of the source, a qualifying clinical
	// event, or the subject still in the study at EOSDY) lay beyond them.
	stop, endDay := math.Inf(1), math.Inf(1)
	discStop := math.Inf(1)
	if sub.DiscReason != "" && !math.IsNaN(sub.EndDay) && d.Censor.AfterDiscontinuationRule() == study.AfterDiscontinuationIgnore {
		discStop = sub.EndDay
		stop = discStop
	}
	winStop := math.Inf(1)
	if m := d.Censor.MaxDay; m != nil {
		winStop = row.OriginDay + *m
	}
	// beyond reports whether some record after start lies in [from, to]
	// (the subject's follow-up would have gone on past from).
	beyond := func(from, to float64) bool {
		in := func(x float64) bool { return x > start && x >= from && x <= to }
		if !math.IsNaN(sub.EndDay) && in(sub.EndDay) {
			return true
		}
		for k := len(obs) - 1; k >= 0 && obs[k].Day >= from; k-- {
			if in(obs[k].Day) {
				return true
			}
		}
		for _, c := range evs {
			if p.clinical[c.Term] && in(c.Day) {
				return true
			}
		}
		return false
	}
	var why []string
	rescueCut := false
	if p.rescueStops && !math.IsNaN(sub.RescueDay) && sub.RescueDay <= winStop {
		stop = min(stop, math.Nextafter(sub.RescueDay, math.Inf(-1))) // on or after RESCDY is not used
		endDay = min(endDay, sub.RescueDay)
		if rescueCut = beyond(sub.RescueDay, min(discStop, winStop)); rescueCut {
			why = append(why, fmt.Sprintf("RESCUE MEDICATION FROM DAY %s", formatFloat(sub.RescueDay)))
		}
	}
	windowCut := false
	if winStop < stop {
		stop, endDay = winStop, winStop
		windowCut = beyond(math.Nextafter(winStop, math.Inf(1)), math.Inf(1))
		if windowCut {
			why = append(why, fmt.Sprintf("END OF FOLLOW-UP WINDOW (DAY %s FROM ORIGIN)", formatFloat(*d.Censor.MaxDay)))
		}
	}
	if sub.DiscReason != "" && !windowCut {
		why = append(why, fmt.Sprintf("DISCONTINUED (%s)", strings.ToUpper(sub.DiscReason)))
	}
	lo := len(obs)
	for k, a := range obs {
		if a.Day > start {
			lo = k
			break
		}
	}
	hi := lo
	for hi < len(obs) && obs[hi].Day <= stop {
		hi++
	}
	win := obs[lo:hi]

	// The event.
	ev, confirm, pending := -1, -1, -1
	if e := d.Event; e != nil {
		run := 0
		for k, a := range win {
			switch {
			case math.IsNaN(a.Value):
				run = 0
			case e.Met(a.Value, row.Base):
				run++
				if run == p.sustained {
					ev = k - run + 1
					if run > 1 {
						confirm = k
					}
				}
			default:
				run = 0
			}
			if ev >= 0 {
				break
			}
		}
		if ev < 0 && run > 0 {
			pending = len(win) - run
		}
	} else {
		r := d.Relapse
		for k, a := range win {
			if math.IsNaN(a.Value) || a.Value < *r.AtLeast {
				continue
			}
			if r.Confirm == nil {
				ev = k
				break
			}
			if k+1 >= len(win) {
				break
			}
			b := win[k+1]
			gap := b.Day - a.Day
			if !math.IsNaN(b.Value) && b.Value >= *r.AtLeast && gap >= *r.Confirm.MinDays && gap <= *r.Confirm.MaxDays {
				ev, confirm = k, k+1
				break
			}
		}
		// A candidate that no later adequate assessment could confirm (it
		// is the last, or only missed rows follow under missing: break) is
		// noted in CNSDTDSC.
		if ev < 0 && r.Confirm != nil {
			for k := len(win) - 1; k >= 0; k-- {
				if !math.IsNaN(win[k].Value) {
					if win[k].Value >= *r.AtLeast {
						pending = k
					}
					break
				}
			}
		}
	}
	// A qualifying clinical event earlier than the assessed relapse.
	ce := -1
	if len(p.clinical) > 0 {
		for k, c := range evs {
			if c.Day <= start || c.Day > stop {
				continue
			}
			if p.clinical[c.Term] {
				ce = k
				break
			}
		}
	}
	if ce >= 0 && (ev < 0 || evs[ce].Day < win[ev].Day) {
		c := evs[ce]
		row.Time = c.Day - row.OriginDay
		row.EventDesc = c.Term
		row.SourceDomain, row.SourceParam, row.SourceDay, row.SourceLine = DomainADCE, c.Term, c.Day, c.Line
		row.Lower, row.Upper = row.Time, row.Time
		row.EventType = p.eventType
		return outcome{row: row}
	}
	if ev >= 0 {
		a := win[ev]
		row.Time = a.Day - row.OriginDay
		row.EventDesc = p.eventDesc
		row.EventType = p.eventType
		row.setSource(a)
		if confirm >= 0 {
			row.ConfirmDay, row.ConfirmLine = win[confirm].Day, win[confirm].Line
		}
		row.Upper = row.Time
		for k := ev - 1; k >= 0; k-- {
			if !math.IsNaN(win[k].Value) {
				row.Lower = win[k].Day - row.OriginDay
				break
			}
		}
		if math.IsNaN(row.Lower) && row.Entry > 0 {
			row.Lower = row.Entry
		}
		return outcome{row: row}
	}

	// A competing event ends the risk before any event of interest (which
	// would lie in the window, on or before EOSDY and before RESCDY).
	if c, ok := p.competingEvent(sub, start, discStop, winStop); ok {
		row.Competing, row.EventType, row.EventDesc = true, c.typ, c.desc
		row.Time = c.day - row.OriginDay
		row.SourceDomain, row.SourceParam, row.SourceVisit = DomainADSL, c.column, ""
		row.SourceDay, row.SourceValue, row.SourceLine = c.day, math.NaN(), sub.Line
		row.Lower, row.Upper = row.Time, row.Time
		return outcome{row: row}
	}

	// Censored.
	row.Censored = true
	last := -1
	for k := len(win) - 1; k >= 0; k-- {
		if !math.IsNaN(win[k].Value) {
			last = k
			break
		}
	}
	var desc string
	switch {
	case last >= 0:
		row.Time = win[last].Day - row.OriginDay
		row.setSource(win[last])
		desc = "LAST ADEQUATE ASSESSMENT"
	case row.Entry > 0:
		return outcome{reason: fmt.Sprintf("no follow-up at risk of relapse: no adequate %s assessment after the anchor (day %s)", p.source, formatFloat(row.AnchorDay))}
	default:
		row.Time = 0
		row.SourceDomain, row.SourceDay = DomainADSL, row.OriginDay
		desc = "NO ADEQUATE POST-BASELINE ASSESSMENT: CENSORED AT TIME ORIGIN"
		if d.Relapse != nil {
			desc = "NO ADEQUATE POST-ANCHOR ASSESSMENT: CENSORED AT TIME ORIGIN"
		}
	}
	if d.Censor.CensorAt() == study.CensorEndOfStudy && !math.IsNaN(sub.EndDay) {
		end := min(sub.EndDay, endDay)
		if t := end - row.OriginDay; t > row.Time {
			row.Time = t
			row.SourceDomain, row.SourceParam, row.SourceVisit = DomainADSL, "EOSDY", ""
			row.SourceDay, row.SourceValue, row.SourceLine = end, math.NaN(), sub.Line
			desc = "END OF STUDY"
			if end < sub.EndDay {
				desc = "END OF FOLLOW-UP"
				row.SourceParam = ""
			}
		}
	}
	if len(why) > 0 {
		desc = strings.Join(why, "; ") + ": " + desc
	}
	if pending >= 0 {
		a := win[pending]
		switch {
		case d.Event != nil:
			desc += fmt.Sprintf("; CRITERION MET FROM DAY %s BUT NOT SUSTAINED OVER %d ASSESSMENTS", formatFloat(a.Day), p.sustained)
		case pending == len(win)-1:
			desc += fmt.Sprintf("; %s %s ON DAY %s NOT CONFIRMED (NO LATER ASSESSMENT)", p.source, formatFloat(a.Value), formatFloat(a.Day))
		default:
			desc += fmt.Sprintf("; %s %s ON DAY %s NOT CONFIRMED (NEXT ASSESSMENT MISSED, NONE LATER)", p.source, formatFloat(a.Value), formatFloat(a.Day))
		}
	}
	row.CensorDesc = desc
	row.Lower = row.Time
	return outcome{row: row}
}

// competing is a competing event of one subject: its type, day, the ADSL
// column that dates it and EVNTDESC.
type competing struct {
	typ, column, desc string
	day               float64
}

// competingEvent returns the first competing event of sub within the risk
// period (start, …]: rescue at RESCDY when RESCUE competes, and a
// discontinuation at EOSDY whose DCSREAS maps to a competing type; each
// only when it lies after start and within the follow-up window (discStop,
// the discontinuation cut-off, and winStop, the max_day cut-off); a
// discontinuation only when rescue did not end follow-up first (RESCDY ≤
// EOSDY when rescue stops follow-up). Rescue wins a tie.
func (p *plan) competingEvent(sub *Subject, start, discStop, winStop float64) (competing, bool) {
	d := p.d
	if !d.HasCompeting() {
		return competing{}, false
	}
	in := func(day float64) bool { return !math.IsNaN(day) && day > start && day <= winStop && day <= discStop }
	rescue := p.rescueStops && !math.IsNaN(sub.RescueDay)
	if d.IsCompeting(study.TypeRescue) && rescue && in(sub.RescueDay) {
		// The discontinuation, if any, is not earlier: follow-up ended
		// at rescue unless EOSDY came first.
		if sub.DiscReason == "" || math.IsNaN(sub.EndDay) || sub.RescueDay <= sub.EndDay {
			return competing{typ: study.TypeRescue, column: "RESCDY", desc: "RESCUE MEDICATION", day: sub.RescueDay}, true
		}
	}
	if sub.DiscReason == "" || !in(sub.EndDay) || (rescue && sub.RescueDay <= sub.EndDay) {
		return competing{}, false
	}
	typ, _ := d.ReasonType(sub.DiscReason) // checked by checkReasons
	if !d.IsCompeting(typ) {
		return competing{}, false
	}
	return competing{typ: typ, column: "EOSDY", desc: fmt.Sprintf("DISCONTINUED (%s)", strings.ToUpper(sub.DiscReason)), day: sub.EndDay}, true
}

// needsFilter reports whether obs holds rows that the plan does not use:
// unscheduled visits under `unscheduled: ignore`, missed assessments under
// `missing: skip`.
func (p *plan) needsFilter(obs []Assessment) bool {
	for k := range obs {
		if (p.ignoreUnsched && study.IsUnscheduled(obs[k].Visit)) || (!p.breakOnMissing && math.IsNaN(obs[k].Value)) {
			return true
		}
	}
	return false
}

func (r *Row) setSource(a Assessment) {
	r.SourceDomain, r.SourceParam, r.SourceVisit = DomainADQS, a.Param, a.Visit
	r.SourceDay, r.SourceValue, r.SourceLine = a.Day, a.Value, a.Line
}
