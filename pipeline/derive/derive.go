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
	// ADQSFile and ADCEFile name the files in error messages; they default
	// to adqs.csv and adce.csv.
	ADQSFile, ADCEFile string
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
	// event lies in (Entry, Upper]); an exactly timed clinical event has
	// Lower = Upper; a censored row has Lower = AVAL and Upper NaN.
	Lower, Upper float64
	Covariates   []string
}

// Exclusion is a subject left out of one endpoint, with the reason.
type Exclusion struct {
	USUBJID, Arm, Paramcd, Reason string
}

// Count reconciles one endpoint: Subjects = Events + Censored + Excluded.
type Count struct {
	Paramcd                              string
	Subjects, Events, Censored, Excluded int
}

// Result is the output of Derive. Rows and Exclusions are ordered by subject
// (ADSL order) then endpoint (study.yaml order).
type Result struct {
	Rows       []Row
	Exclusions []Exclusion
	Counts     []Count // one per derived endpoint, in study.yaml order
	// HasEntry is true when some row has a positive Entry; ADTTE then
	// carries an ENTRY column.
	HasEntry bool
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

	r := &Result{Rows: make([]Row, 0, len(d.Subjects)*len(eps))}
	for _, i := range eps {
		c := Count{Paramcd: s.Endpoints[i].Paramcd, Subjects: len(d.Subjects)}
		for _, o := range out[i] {
			switch {
			case o.reason != "":
				c.Excluded++
			case o.row.Censored:
				c.Censored++
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
}

func newPlan(ep study.Endpoint) *plan {
	d := ep.Derive
	p := &plan{
		paramcd:        ep.Paramcd,
		source:         d.Source,
		d:              d,
		ignoreUnsched:  d.UnscheduledRule() == study.UnscheduledIgnore,
		breakOnMissing: d.MissingRule() == study.MissingBreak,
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
		AnchorDay: math.NaN(), Base: math.NaN(), BaseDay: math.NaN(),
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
		return outcome{reason: fmt.Sprintf("baseline %s %s (adqs.csv line %d) is below baseline_at_least %s: not at risk", p.source, formatFloat(row.Base), row.BaseLine, formatFloat(*b))}
	}
	if d.Event != nil && d.Event.Reduction != nil && !(row.Base > 0) {
		return outcome{reason: fmt.Sprintf("baseline %s is %s (adqs.csv line %d): a relative reduction from baseline is undefined", p.source, formatFloat(row.Base), row.BaseLine)}
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
			}
			row.AnchorDay = anchor.row.SourceDay
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
				return outcome{reason: fmt.Sprintf("no adequate %s assessment at or before the anchor (day %s): response at the anchor unknown", p.source, formatFloat(row.AnchorDay))}
			}
			if !c.Met(obs[k].Value, row.Base) {
				return outcome{reason: fmt.Sprintf("not in response at the anchor: %s %s on day %s (adqs.csv line %d) does not meet %s", p.source, formatFloat(obs[k].Value), formatFloat(obs[k].Day), obs[k].Line, c.Describe(p.source))}
			}
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

	// Follow-up window (start, stop]: rescue and administrative cut-offs.
	// endDay is the day follow-up ends (reported in CNSDTDSC); with rescue,
	// assessments on endDay itself are not used.
	stop, endDay := math.Inf(1), math.Inf(1)
	stopWhy := ""
	if d.Censor.Rescue && !math.IsNaN(sub.RescueDay) {
		stop = math.Nextafter(sub.RescueDay, math.Inf(-1)) // on or after RESCDY is not used
		endDay = sub.RescueDay
		stopWhy = fmt.Sprintf("RESCUE MEDICATION FROM DAY %s", formatFloat(sub.RescueDay))
	}
	if m := d.Censor.MaxDay; m != nil && row.OriginDay+*m < stop {
		stop, endDay = row.OriginDay+*m, row.OriginDay+*m
		stopWhy = ""
		if (!math.IsNaN(sub.EndDay) && sub.EndDay > stop) || (len(obs) > 0 && obs[len(obs)-1].Day > stop) {
			stopWhy = fmt.Sprintf("END OF FOLLOW-UP WINDOW (DAY %s FROM ORIGIN)", formatFloat(*m))
		}
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
				pending = k
				break
			}
			b := win[k+1]
			gap := b.Day - a.Day
			if !math.IsNaN(b.Value) && b.Value >= *r.AtLeast && gap >= *r.Confirm.MinDays && gap <= *r.Confirm.MaxDays {
				ev, confirm = k, k+1
				break
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
		return outcome{row: row}
	}
	if ev >= 0 {
		a := win[ev]
		row.Time = a.Day - row.OriginDay
		row.EventDesc = p.eventDesc
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
		return outcome{reason: fmt.Sprintf("no adequate %s assessment after the anchor (day %s): no follow-up at risk of relapse", p.source, formatFloat(row.AnchorDay))}
	default:
		row.Time = 0
		row.SourceDomain, row.SourceDay = DomainADSL, row.OriginDay
		desc = "NO ADEQUATE POST-BASELINE ASSESSMENT: CENSORED AT TIME ORIGIN"
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
	switch {
	case stopWhy != "":
		desc = stopWhy + ": " + desc
	case sub.DiscReason != "":
		desc = fmt.Sprintf("DISCONTINUED (%s): %s", strings.ToUpper(sub.DiscReason), desc)
	}
	if pending >= 0 {
		a := win[pending]
		if d.Event != nil {
			desc += fmt.Sprintf("; CRITERION MET FROM DAY %s BUT NOT SUSTAINED OVER %d ASSESSMENTS", formatFloat(a.Day), p.sustained)
		} else {
			desc += fmt.Sprintf("; %s %s ON DAY %s NOT CONFIRMED (NO LATER ASSESSMENT)", p.source, formatFloat(a.Value), formatFloat(a.Day))
		}
	}
	row.CensorDesc = desc
	row.Lower = row.Time
	return outcome{row: row}
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
