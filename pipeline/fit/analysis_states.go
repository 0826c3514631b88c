package fit

import (
	"fmt"
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"

	"gonum.org/v1/gonum/stat/distuv"

	"github.com/ketcurves/ketcurves/pipeline/adam"
	"github.com/ketcurves/ketcurves/pipeline/cmprsk"
	"github.com/ketcurves/ketcurves/pipeline/column"
	"github.com/ketcurves/ketcurves/pipeline/design"
	"github.com/ketcurves/ketcurves/pipeline/km"
	"github.com/ketcurves/ketcurves/pipeline/schema"
	"github.com/ketcurves/ketcurves/pipeline/study"
)

// statesMethod: how long response lasts, as a multi-state model. A
// response endpoint and a relapse endpoint of the same ADTTE are chained
// per subject into not responding → in response → relapsed, with a
// competing event of either endpoint (EVNTTYPE) leading to the absorbing
// state "dropped out". Per arm it writes the Aalen–Johansen probability of
// being in each state (the probability of being in response, Temkin 1978),
// as survival's
//
//	survfit(Surv(tstart, tstop, state) ~ TRTP, data = ms, id = id, istate = istate)
//
// the mean time in response within τ (the area under that curve, R's
// print(fit, rmean = τ) with influence = TRUE for its SE) with the
// difference between arms (Wald), and the Kaplan–Meier curve of the
// duration of response, from response to relapse, among the responders
// followed for relapse.
//
// The time axis is days from the response endpoint's origin. cmd/derive
// writes ORIGDY, the study day of each endpoint's origin, and AVAL from it,
// so a transition is on study day ORIGDY + AVAL whichever way the relapse
// endpoint is timed (from the dose with ENTRY = the response, from its own
// origin at the response, or from a later day such as the end of an
// infusion phase): on the axis, the response is at AVAL_resp and the
// relapse (or its censoring, or a dropout in response) at
//
//	t_rel = ORIGDY_rel + AVAL_rel - ORIGDY_resp
//
// Without an ORIGDY column both endpoints are taken to share their origin.
// A subject is "not responding" from its response-endpoint ENTRY (0
// without one) to its response, dropout or censoring; a responder is "in
// response" from its response to t_rel. A responder whose relapse
// follow-up starts after the response (an anchor such as day 12) is counted
// in response, at risk of relapse, from the response on: the counting
// process has no gap. A responder without a relapse-endpoint row (not
// followed for relapse, e.g. not in response at the anchor) is censored in
// response at its response. A relapse or dropout in response at or before
// the response is an error, as is a relapse row of a subject without a
// response event.
//
// It runs once per table, on the relapse endpoint. The pair is the option
// -states RESP,RELAPSE; by default, and as a default method, the study's
// only response and only relapse endpoint when the table has both and an
// ORIGDY column.
var statesMethod = &Method{
	Name:         "states",
	Summary:      "response duration as a multi-state model: P(in response) and every state per arm (states.csv), mean time in response within tau with the difference between arms (states_duration.csv), duration-of-response KM (duration_km.csv); default with one response and one relapse endpoint and ORIGDY",
	DefaultWhen:  statesByDefault,
	UsesSubjects: true, // chains each subject's response and relapse rows
	Options: []Option{
		{Name: "states", Selects: true, Usage: "RESP,RELAPSE: the PARAMCDs of the response and relapse endpoints chained (default: the study's only response and relapse endpoints)"},
		{Name: "states-tau", Selects: true, Usage: "horizon tau in days (> 0) of the mean time in response; default the smallest of the arms' last times"},
	},
	Configure: configureStates,
	Tables: []Table{
		{File: "states.csv", Header: []string{"paramcd", "arm", "time", "state", "prob", "std_err", "lower", "upper"}, Rows: statesRows},
		{File: "states_duration.csv", Header: []string{"paramcd", "arm", "tau", "mean_in_response", "se", "lower", "upper", "contrast", "reference", "p_value"}, Rows: statesDurationRows},
		{File: "duration_km.csv", Header: KMHeader, Rows: durationKMRows},
	},
	Methods: statesMethodsSentence,
	RCode: func(c schema.Conventions) string {
		return "# ms: counting-process rows (id, TRTP, tstart, tstop, istate, state) of the response and relapse endpoints on the study-day axis, built as msdata() in pipeline/fit/testdata/make_states_reference.R\n" +
			"ms_fit <- survfit(Surv(tstart, tstop, state) ~ TRTP, data = ms, id = id, istate = istate, influence = TRUE)\n" +
			"summary(ms_fit, rmean = TAU)$table  # mean time in each state within TAU\n" +
			"survfit(Surv(duration, relapsed) ~ TRTP, data = responders)  # duration of response\n"
	},
	Report: statesReport,
}

// States of the chain, in model order.
const (
	stateNotResponding = "not responding"
	stateInResponse    = "in response"
	stateRelapsed      = "relapsed"
	stateDroppedOut    = "dropped out"
)

// OriginColumn is the column cmd/derive writes with the study day of each
// endpoint's time origin.
const OriginColumn = "ORIGDY"

type statesAnalysis struct {
	response, relapse string // "" for the study's default pair
	origin            string // where -states was given, for messages
	tau               float64
}

func configureStates(set Settings) (Analysis, error) {
	var a statesAnalysis
	if s, ok := set["states"]; ok {
		parts := strings.Split(s.Value, ",")
		if len(parts) != 2 || strings.TrimSpace(parts[0]) == "" || strings.TrimSpace(parts[1]) == "" {
			return nil, set.Errorf("states", "%q: give two PARAMCDs, RESP,RELAPSE (the response endpoint, then the relapse endpoint)", s.Value)
		}
		a.response, a.relapse = strings.TrimSpace(parts[0]), strings.TrimSpace(parts[1])
		if a.response == a.relapse {
			return nil, set.Errorf("states", "%q names the same endpoint twice: give the response endpoint, then the relapse endpoint", s.Value)
		}
		a.origin = s.Origin + " (states)"
	}
	if s, ok := set["states-tau"]; ok {
		v, err := strconv.ParseFloat(s.Value, 64)
		if err != nil || math.IsNaN(v) || math.IsInf(v, 0) || v <= 0 {
			return nil, set.Errorf("states-tau", "%q is not a time in days > 0", s.Value)
		}
		a.tau = v
	}
	return a, nil
}

// studyChain returns the study's only response and only relapse endpoint.
func studyChain(s *study.Study) (resp, rel string, ok bool) {
	if s == nil {
		return "", "", false
	}
	var rs, ls []string
	for _, e := range s.Endpoints {
		switch e.Kind {
		case study.KindResponse:
			rs = append(rs, e.Paramcd)
		case study.KindRelapse:
			ls = append(ls, e.Paramcd)
		}
	}
	if len(rs) != 1 || len(ls) != 1 {
		return "", "", false
	}
	return rs[0], ls[0], true
}

// statesByDefault: the study has one response and one relapse endpoint,
// the table has rows of both, and it has ORIGDY to put them on one axis.
func statesByDefault(t *adam.ADTTE, opt Options) bool {
	resp, rel, ok := studyChain(opt.Study)
	if !ok {
		return false
	}
	if !t.Has(OriginColumn) {
		return false
	}
	return t.PARAMCD.Contains(resp) && t.PARAMCD.Contains(rel)
}

// pair returns the chained endpoints, checked against the table.
func (a statesAnalysis) pair(ctx *Context) (resp, rel string, err error) {
	resp, rel, origin := a.response, a.relapse, a.origin
	if resp == "" {
		var ok bool
		if resp, rel, ok = studyChain(ctx.Options.Study); !ok {
			return "", "", fmt.Errorf("method states: name the response and relapse endpoints with -states RESP,RELAPSE (or analysis.states): the study does not have exactly one endpoint of kind response and one of kind relapse")
		}
		origin = "study.yaml (the endpoints of kind response and relapse)"
	}
	params := ctx.Table.PARAMCD.Levels
	for _, p := range []string{resp, rel} {
		if !slices.Contains(params, p) {
			return "", "", fmt.Errorf("%s: endpoint %s is not in %s (endpoints: %s)", origin, p, ctx.File, strings.Join(params, ", "))
		}
	}
	return resp, rel, nil
}

func (a statesAnalysis) Run(ctx *Context, ep *schema.Endpoint) error {
	resp, rel, err := a.pair(ctx)
	if err != nil || ctx.Paramcd != rel {
		return err
	}
	ch, err := buildStateChain(ctx, resp, rel)
	if err != nil {
		return err
	}
	sec := schema.StatesSection{Response: resp, Relapse: rel, States: ch.states, Subjects: ch.counts,
		TimeAxis: "days from the time origin of " + resp + " (study day - ORIGDY)", Tau: a.tau, TauRule: "plan"}
	if a.tau == 0 {
		sec.Tau, sec.TauRule = slices.Min(ch.lastTime), "shortest follow-up"
	}
	if ch.lateStart > 0 {
		ctx.Note(fmt.Sprintf("states: %d responders' relapse follow-up starts after their response; they are counted in response, at risk of relapse, from the response on", ch.lateStart))
	}
	if err := fitStateCurves(ctx, ch, &sec); err != nil {
		return err
	}
	compareStateDurations(ctx, &sec)
	if err := fitDurationKM(ctx, ch, &sec); err != nil {
		return err
	}
	ep.SetSection("states", sec)
	return nil
}

// stateChain is the multi-state data of the chain, per arm.
type stateChain struct {
	arms     []string
	states   []string
	data     []cmprsk.MultiStateData // per arm
	lastTime []float64               // per arm: the last Stop
	counts   []schema.StatesArmCount
	// duration, relapsed: the duration of response and whether it ended
	// in relapse, per arm, of the responders followed for relapse.
	duration  [][]float64
	relapsed  [][]bool
	lateStart int // responders whose relapse follow-up starts after the response
}

// chainRow is one endpoint row of a subject: its table row and outcome.
type chainRow struct {
	row     int
	origin  float64 // ORIGDY
	outcome int     // 0 censored, 1 the event of interest, 2 a competing event
}

// buildStateChain reads the two endpoints and builds each subject's
// counting-process rows.
func buildStateChain(ctx *Context, resp, rel string) (*stateChain, error) {
	respRows, err := endpointRows(ctx, resp)
	if err != nil {
		return nil, err
	}
	relRows, err := endpointRows(ctx, rel)
	if err != nil {
		return nil, err
	}
	t := ctx.Table
	subject, nSubj := subjectIDs(t.USUBJID)
	relOf := make([]int, nSubj) // relapse row index + 1 of each subject, 0 for none
	for k, l := range relRows {
		relOf[subject[l.row]] = k + 1
	}
	ch := newStateChain(ctx, respRows)
	armIndex := map[string]int{}
	for i, a := range ch.arms {
		armIndex[a] = i
	}
	responded := make([]bool, nSubj)
	for id, r := range respRows {
		responded[subject[r.row]] = r.outcome == 1
		k := relOf[subject[r.row]]
		var l chainRow
		if k > 0 {
			l = relRows[k-1]
			if t.TRTP.At(l.row) != t.TRTP.At(r.row) {
				return nil, fmt.Errorf("%s: line %d: subject %s is in arm %s in %s but in arm %s in %s (line %d): fix TRTP", ctx.File, t.Line.At(l.row), t.USUBJID[r.row], t.TRTP.At(l.row), rel, t.TRTP.At(r.row), resp, t.Line.At(r.row))
			}
		}
		if err := ch.addSubject(ctx, armIndex[t.TRTP.At(r.row)], id, r, l, k > 0); err != nil {
			return nil, err
		}
	}
	for _, l := range relRows {
		if !responded[subject[l.row]] {
			return nil, fmt.Errorf("%s: line %d: subject %s has a %s row but no response event in %s: the states chain follows only responders for relapse (check -states and the derivation)", ctx.File, t.Line.At(l.row), t.USUBJID[l.row], rel, resp)
		}
	}
	return ch, nil
}

// subjectIDs numbers the subjects of each row 0, 1, … in order of first
// appearance; a row of the same subject as the row before (files grouped
// by subject, as cmd/derive writes them) skips the map.
func subjectIDs(usubjid []string) ([]int, int) {
	ids := make([]int, len(usubjid))
	seen := map[string]int{}
	for i, u := range usubjid {
		if i > 0 && u == usubjid[i-1] {
			ids[i] = ids[i-1]
			continue
		}
		id, ok := seen[u]
		if !ok {
			id = len(seen)
			seen[u] = id
		}
		ids[i] = id
	}
	return ids, len(seen)
}

// newStateChain returns an empty chain for the arms of the response rows.
func newStateChain(ctx *Context, respRows []chainRow) *stateChain {
	ch := &stateChain{states: []string{stateNotResponding, stateInResponse, stateRelapsed}}
	if ctx.causes != nil {
		ch.states = append(ch.states, stateDroppedOut)
	}
	ch.arms = chainArms(ctx, respRows)
	n := len(ch.arms)
	ch.data = make([]cmprsk.MultiStateData, n)
	ch.lastTime = make([]float64, n)
	ch.duration, ch.relapsed = make([][]float64, n), make([][]bool, n)
	ch.counts = make([]schema.StatesArmCount, n)
	for i := range ch.data {
		ch.data[i].States = ch.states
		ch.counts[i].Arm = ch.arms[i]
	}
	return ch
}

// addSubject appends subject id's rows (response row r, relapse row l if
// followed) to arm a.
func (ch *stateChain) addSubject(ctx *Context, a, id int, r, l chainRow, followed bool) error {
	t := ctx.Table
	d, cnt := &ch.data[a], &ch.counts[a]
	entry := 0.0
	if t.Entry != nil {
		entry = t.Entry[r.row]
	}
	tResp := t.AVAL[r.row]
	cnt.Subjects++
	add := func(start, stop float64, from, to int) {
		d.ID, d.Start, d.Stop = append(d.ID, id), append(d.Start, start), append(d.Stop, stop)
		d.From, d.To = append(d.From, from), append(d.To, to)
		ch.lastTime[a] = math.Max(ch.lastTime[a], stop)
	}
	switch {
	case r.outcome != 1 && tResp <= entry:
		cnt.Subjects--
		cnt.LeftOut++
		return nil
	case r.outcome == 0:
		add(entry, tResp, 0, cmprsk.Censored)
		return nil
	case r.outcome == 2:
		add(entry, tResp, 0, 3)
		cnt.DroppedOutBefore++
		return nil
	}
	tRel := math.Inf(-1)
	if followed {
		tRel = l.origin + t.AVAL[l.row] - r.origin
	}
	if tResp <= entry && tRel <= tResp && l.outcome == 0 {
		// A response at entry and no time in response: no time at risk.
		cnt.Subjects--
		cnt.LeftOut++
		return nil
	}
	cnt.Responders++
	if tResp > entry {
		add(entry, tResp, 0, 1)
	} // else a response at entry: the subject starts in response
	if !followed {
		return nil
	}
	cnt.FollowedForRelapse++
	relEntry := l.origin - r.origin
	if t.Entry != nil {
		relEntry += t.Entry[l.row]
	}
	if relEntry > tResp {
		ch.lateStart++
	}
	switch {
	case l.outcome != 0 && tRel <= tResp:
		return fmt.Errorf("%s: line %d: a relapse (or dropout in response) on day %s of %s's time axis, not after the response on day %s (line %d): fix the dates, ORIGDY or the -states pair",
			ctx.File, t.Line.At(l.row), num(tRel), t.PARAMCD.At(r.row), num(tResp), t.Line.At(r.row))
	case tRel < tResp:
		return fmt.Errorf("%s: line %d: relapse follow-up ends on day %s of %s's time axis, before the response on day %s (line %d): fix the dates, ORIGDY or the -states pair",
			ctx.File, t.Line.At(l.row), num(tRel), t.PARAMCD.At(r.row), num(tResp), t.Line.At(r.row))
	}
	ch.duration[a] = append(ch.duration[a], tRel-tResp)
	ch.relapsed[a] = append(ch.relapsed[a], l.outcome == 1)
	to := cmprsk.Censored
	switch l.outcome {
	case 1:
		to = 2
		cnt.Relapsed++
	case 2:
		to = 3
		cnt.DroppedOutInResponse++
	}
	if tRel > tResp {
		add(math.Max(tResp, entry), tRel, 1, to)
	}
	return nil
}

// endpointRows returns the rows of endpoint p, in table order, with their
// ORIGDY and outcome. The outcome of the current endpoint is its cause
// (Context.Causes); for another endpoint a CNSR 0 row is the event of
// interest (the driver has censored the competing ones) and a censored
// row whose event type is set, and not the endpoint's event, a competing
// event (cmd/derive leaves EVNTTYPE empty on censored rows).
func endpointRows(ctx *Context, p string) ([]chainRow, error) {
	t := ctx.Table
	orig, hasOrig := t.Extra[OriginColumn]
	var evCol column.Text
	interest := ""
	if ctx.causes != nil {
		evCol = t.Extra[ctx.causes.types.Column]
		interest = eventOfInterest(ctx.Options, p)
	}
	code, ok := t.PARAMCD.Find(p)
	if !ok {
		return nil, nil
	}
	var cause map[int]int
	if p == ctx.Paramcd && ctx.causes != nil {
		cause = ctx.causes.cause
	}
	var out []chainRow
	for _, i := range t.PARAMCD.Rows(code) {
		r := chainRow{row: i}
		if hasOrig {
			v := orig.At(i)
			o, err := strconv.ParseFloat(v, 64)
			if design.IsMissing(v) || err != nil || math.IsNaN(o) || math.IsInf(o, 0) {
				return nil, fmt.Errorf("%s: line %d, column %s: %q is not a study day: the states method places %s on the study-day axis with ORIGDY (the day of the endpoint's time origin)", ctx.File, t.Line.At(i), OriginColumn, v, p)
			}
			r.origin = o
		}
		switch {
		case cause != nil:
			r.outcome = min(cause[i], 2)
		case t.Event[i]:
			r.outcome = 1
		case evCol.Len() > 0:
			if v := evCol.At(i); !design.IsMissing(v) && v != interest {
				r.outcome = 2
			}
		}
		out = append(out, r)
	}
	return out, nil
}

// eventOfInterest is the event type of endpoint p, as applyEventTypes
// resolves it.
func eventOfInterest(opt Options, p string) string {
	if opt.EventOfInterest != "" {
		return opt.EventOfInterest
	}
	if opt.Study != nil {
		if e, ok := opt.Study.Endpoint(p); ok {
			return study.EventTypeOf(e)
		}
	}
	return ""
}

// chainArms returns the arms of the response endpoint in study order, or
// sorted.
func chainArms(ctx *Context, rows []chainRow) []string {
	seen := map[string]bool{}
	for _, r := range rows {
		seen[ctx.Table.TRTP.At(r.row)] = true
	}
	var out []string
	if s := ctx.Options.Study; s != nil {
		for _, a := range s.Arms {
			if seen[a.Name] {
				out = append(out, a.Name)
			}
		}
		return out
	}
	for a := range seen {
		out = append(out, a)
	}
	sort.Strings(out)
	return out
}

// fitStateCurves fits the Aalen–Johansen curves and mean times in state of
// every arm.
func fitStateCurves(ctx *Context, ch *stateChain, sec *schema.StatesSection) error {
	ct, err := cmprsk.ParseConfType(string(ctx.Options.ConfType))
	if err != nil {
		ct = cmprsk.Log
	}
	z := distuv.UnitNormal.Quantile(1 - (1-ctx.Options.ConfLevel)/2)
	for a, arm := range ch.arms {
		if len(ch.data[a].Stop) == 0 {
			ctx.Flag(schema.StatusNotEstimable, fmt.Sprintf("states: arm %s has no subject with time at risk", arm))
			continue
		}
		c, err := cmprsk.AalenJohansen(ch.data[a], cmprsk.MultiStateOptions{ConfType: ct, ConfLevel: ctx.Options.ConfLevel, Tau: []float64{sec.Tau}})
		if err != nil {
			return fmt.Errorf("%s: states of arm %s: %w", ctx.File, arm, err)
		}
		for j, st := range c.States {
			for k, tm := range c.Time {
				sec.Curves = append(sec.Curves, schema.StateRow{Arm: arm, Time: tm, State: st, Prob: c.PState[j][k],
					StdErr: finite(c.StdErr[j][k]), Lower: finite(c.Lower[j][k]), Upper: finite(c.Upper[j][k])})
			}
		}
		rm := c.RMean[0]
		in := slices.Index(c.States, stateInResponse)
		d := schema.StateDuration{Arm: arm, Tau: sec.Tau, InResponse: rm.Mean[in], SE: finite(rm.SE[in]),
			Lower: finite(rm.Mean[in] - z*rm.SE[in]), Upper: finite(rm.Mean[in] + z*rm.SE[in]),
			Mean: rm.Mean, LastTime: ch.lastTime[a], Beyond: sec.Tau > ch.lastTime[a]}
		for _, s := range rm.SE {
			d.MeanSE = append(d.MeanSE, finite(s))
		}
		if d.Beyond {
			ctx.Flag(schema.StatusBeyondFollowUp, fmt.Sprintf("states: tau = %s lies after the last time of arm %s (%s): its curves are carried forward flat", num(sec.Tau), arm, num(d.LastTime)))
		}
		if ch.counts[a].Responders == 0 {
			ctx.Note(fmt.Sprintf("states: no subject of arm %s responded: its mean time in response is 0", arm))
		}
		sec.Durations = append(sec.Durations, d)
	}
	return nil
}

// compareStateDurations adds the difference in mean time in response of
// every arm from the reference arm (the endpoint's, else the first).
func compareStateDurations(ctx *Context, sec *schema.StatesSection) {
	if len(sec.Durations) < 2 {
		return
	}
	refName := ctx.Arms[ctx.Control]
	ref := slices.IndexFunc(sec.Durations, func(d schema.StateDuration) bool { return d.Arm == refName })
	if ref < 0 {
		ref = 0
	}
	r := sec.Durations[ref]
	for i, d := range sec.Durations {
		if i == ref {
			continue
		}
		se := math.NaN()
		if d.SE != nil && r.SE != nil {
			se = math.Hypot(*d.SE, *r.SE)
		}
		c := km.WaldDifference("mean time in response difference (arm - reference)", "Wald, infinitesimal-jackknife SEs", d.InResponse-r.InResponse, se, ctx.Options.ConfLevel)
		sec.Contrasts = append(sec.Contrasts, schema.StateDurationContrast{Arm: d.Arm, Reference: r.Arm, Tau: sec.Tau, Estimate: c.Estimate,
			SE: finite(c.SE), Lower: finite(c.Lower), Upper: finite(c.Upper), PValue: finite(c.P), Status: c.Status})
		if c.Status != km.StatusOK {
			ctx.Note(fmt.Sprintf("states: mean time in response of %s vs %s: %s", d.Arm, r.Arm, c.Status))
		}
	}
}

// fitDurationKM fits the Kaplan–Meier curve of the duration of response
// per arm, among the responders followed for relapse.
func fitDurationKM(ctx *Context, ch *stateChain, sec *schema.StatesSection) error {
	for a, arm := range ch.arms {
		if len(ch.duration[a]) == 0 {
			continue
		}
		c, err := km.KaplanMeier(ch.duration[a], ch.relapsed[a], km.Options{ConfType: ctx.Options.ConfType, ConfLevel: ctx.Options.ConfLevel})
		if err != nil {
			return fmt.Errorf("%s: duration of response of arm %s: %w", ctx.File, arm, err)
		}
		for j := range c.Time {
			sec.DurationKM = append(sec.DurationKM, schema.KMRow{Arm: arm, Time: c.Time[j], NRisk: c.NRisk[j], NEvent: c.NEvent[j], NCensor: c.NCensor[j],
				Surv: c.Surv[j], StdErr: finite(c.StdErr[j]), Lower: finite(c.Lower[j]), Upper: finite(c.Upper[j])})
		}
	}
	return nil
}

func statesSection(ep *schema.Endpoint) (*schema.StatesSection, error) {
	var sec schema.StatesSection
	if ok, err := ep.Section("states", &sec); !ok || err != nil {
		return nil, err
	}
	return &sec, nil
}

func statesRows(ep *schema.Endpoint, emit func(...string)) error {
	sec, err := statesSection(ep)
	if sec == nil {
		return err
	}
	for _, r := range sec.Curves {
		emit(ep.Paramcd, r.Arm, num(r.Time), r.State, num(r.Prob), optNum(r.StdErr), optNum(r.Lower), optNum(r.Upper))
	}
	return nil
}

func statesDurationRows(ep *schema.Endpoint, emit func(...string)) error {
	sec, err := statesSection(ep)
	if sec == nil {
		return err
	}
	for _, d := range sec.Durations {
		emit(ep.Paramcd, d.Arm, num(d.Tau), num(d.InResponse), optNum(d.SE), optNum(d.Lower), optNum(d.Upper), "mean", "", "")
	}
	for _, c := range sec.Contrasts {
		emit(ep.Paramcd, c.Arm, num(c.Tau), num(c.Estimate), optNum(c.SE), optNum(c.Lower), optNum(c.Upper), "difference", c.Reference, optNum(c.PValue))
	}
	return nil
}

func durationKMRows(ep *schema.Endpoint, emit func(...string)) error {
	sec, err := statesSection(ep)
	if sec == nil {
		return err
	}
	for _, k := range sec.DurationKM {
		emit(ep.Paramcd, k.Arm, num(k.Time), strconv.Itoa(k.NRisk), strconv.Itoa(k.NEvent), strconv.Itoa(k.NCensor),
			num(k.Surv), optNum(k.StdErr), optNum(k.Lower), optNum(k.Upper))
	}
	return nil
}

func statesMethodsSentence(res *schema.Results) string {
	dropout := ""
	for _, ep := range res.Endpoints {
		if sec, _ := statesSection(&ep); sec != nil && slices.Contains(sec.States, stateDroppedOut) {
			dropout = ", with a competing event at either stage leading to the absorbing state dropped out"
		}
	}
	return "How long response lasts was modelled as a multi-state chain (not responding, in response, relapsed" + dropout + ") built per subject from the response and relapse endpoints on the study-day axis (ORIGDY + AVAL): the probability of being in each state, including the probability of being in response (Temkin 1978), was estimated per arm by Aalen–Johansen with infinitesimal-jackknife standard errors (R survfit on counting-process multi-state data); the mean time in response within τ is the area under that curve, compared between arms by its difference with a Wald interval; and the duration of response, from response to relapse among the responders followed for relapse, by Kaplan–Meier."
}

// statesReportFractions are the fractions of τ at which the report shows
// P(in response).
var statesReportFractions = []float64{0.25, 0.5, 0.75, 1}

func statesReport(ep *schema.Endpoint, res *schema.Results) (*Section, error) {
	sec, err := statesSection(ep)
	if sec == nil {
		return nil, err
	}
	out := &Section{Title: "How long response lasts: multi-state model"}
	out.Paragraphs = append(out.Paragraphs, fmt.Sprintf("Each subject moves from not responding (%s) to in response and then to relapsed (%s)%s; times are %s. A responder not followed for relapse is censored in response at the response.",
		sec.Response, sec.Relapse, droppedOutClause(sec.States), sec.TimeAxis))
	counts := SectionTable{Caption: "Subjects along the chain", Header: []string{"Arm", "Subjects", "Responders", "Followed for relapse", "Relapsed", "Dropped out before response", "Dropped out in response"}}
	for _, c := range sec.Subjects {
		counts.Rows = append(counts.Rows, []string{c.Arm, strconv.Itoa(c.Subjects), strconv.Itoa(c.Responders), strconv.Itoa(c.FollowedForRelapse), strconv.Itoa(c.Relapsed), strconv.Itoa(c.DroppedOutBefore), strconv.Itoa(c.DroppedOutInResponse)})
	}
	out.Tables = append(out.Tables, counts)
	for _, d := range sec.Durations {
		t := SectionTable{Caption: "Probability of being in response, " + d.Arm, Header: []string{"Day", "P(in response)", confLabel(res)}}
		for _, f := range statesReportFractions {
			tm := f * sec.Tau
			r, ok := stateAt(sec.Curves, d.Arm, stateInResponse, tm)
			if !ok {
				t.Rows = append(t.Rows, []string{fmtNum(tm), "0", ""})
				continue
			}
			t.Rows = append(t.Rows, []string{fmtNum(tm), fmtNum(r.Prob), fmtCI(r.Lower, r.Upper)})
		}
		out.Tables = append(out.Tables, t)
	}
	dur := SectionTable{Caption: fmt.Sprintf("Mean time in response within τ = %s days (%s)", fmtNum(sec.Tau), sec.TauRule), Header: []string{"Arm", "vs", "Mean days in response", confLabel(res), "p"}}
	for _, d := range sec.Durations {
		dur.Rows = append(dur.Rows, []string{d.Arm, "", fmtNum(d.InResponse), fmtCI(d.Lower, d.Upper), ""})
	}
	for _, c := range sec.Contrasts {
		dur.Rows = append(dur.Rows, []string{c.Arm + " (difference)", c.Reference, fmtNum(c.Estimate), fmtCI(c.Lower, c.Upper), fmtOpt(c.PValue)})
	}
	out.Tables = append(out.Tables, dur)
	out.Paragraphs = append(out.Paragraphs, statesSentence(sec))
	return out, nil
}

func droppedOutClause(states []string) string {
	if slices.Contains(states, stateDroppedOut) {
		return ", a competing event at either stage leading to dropped out"
	}
	return ""
}

// statesSentence says in words how long the arms spent in response.
func statesSentence(sec *schema.StatesSection) string {
	if len(sec.Durations) == 0 {
		return ""
	}
	d0 := sec.Durations[0]
	s := fmt.Sprintf("Within %s days, patients on %s spent on average %s days in response", fmtNum(sec.Tau), d0.Arm, fmtNum(d0.InResponse))
	for _, d := range sec.Durations[1:] {
		s += fmt.Sprintf(", on %s %s days", d.Arm, fmtNum(d.InResponse))
	}
	s += "."
	for _, c := range sec.Contrasts {
		s += fmt.Sprintf(" The difference %s − %s is %s days (CI %s).", c.Arm, c.Reference, fmtNum(c.Estimate), fmtCI(c.Lower, c.Upper))
	}
	return s
}

// stateAt returns the row of the given arm and state in effect at time t.
func stateAt(rows []schema.StateRow, arm, state string, t float64) (schema.StateRow, bool) {
	var out schema.StateRow
	ok := false
	for _, r := range rows {
		if r.Arm == arm && r.State == state && r.Time <= t {
			out, ok = r, true
		}
	}
	return out, ok
}
