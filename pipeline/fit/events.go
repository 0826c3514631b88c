package fit

import (
	"fmt"
	"slices"
	"strings"

	"github.com/ketcurves/ketcurves/pipeline/adam"
	"github.com/ketcurves/ketcurves/pipeline/design"
	"github.com/ketcurves/ketcurves/pipeline/schema"
	"github.com/ketcurves/ketcurves/pipeline/study"
)

// DefaultEventColumn is the event-type column cmd/derive writes with
// competing events; a table that has it is analysed with it.
const DefaultEventColumn = "EVNTTYPE"

// eventTypes resolves the event-type column of the analysis: the option,
// else EVNTTYPE when the table has it; "" for none. It returns an error
// for a named column the table lacks.
func eventColumn(t *adam.ADTTE, opt Options) (string, error) {
	col := opt.EventColumn
	if col == "" {
		if t.Has(DefaultEventColumn) {
			return DefaultEventColumn, nil
		}
		return "", nil
	}
	if !t.Has(col) {
		return "", fmt.Errorf("the event-type column %s (-event-column) is not in the table (available: %s)", col, strings.Join(t.ExtraNames, ", "))
	}
	return col, nil
}

// applyEventTypes makes, for every endpoint, the CNSR = 0 rows whose
// event type is not the event of interest censored in the table's Event
// column (a copy: the competing events are censoring for KM, the log-rank
// test and the cause-specific Cox model), and returns per endpoint the
// cause of every row (0 censored, 1 the event of interest, k ≥ 2 the
// competing type Competing[k-2]) with the counts.
func applyEventTypes(t *adam.ADTTE, file, col string, params []string, opt Options) (*adam.ADTTE, map[string]*endpointCauses, error) {
	if col == "" {
		return t, nil, nil
	}
	out := *t
	out.Event = slices.Clone(t.Event)
	raw := t.Extra[col]
	causes := map[string]*endpointCauses{}
	for _, p := range params {
		interest := opt.EventOfInterest
		if interest == "" && opt.Study != nil {
			if e, ok := opt.Study.Endpoint(p); ok {
				interest = study.EventTypeOf(e)
			}
		}
		if interest == "" {
			return nil, nil, fmt.Errorf("%s: endpoint %s has an event-type column %s: name the event of interest with -event-of-interest (or analysis.event_of_interest)", file, p, col)
		}
		ec := &endpointCauses{types: schema.EventTypes{Column: col, EventOfInterest: interest}}
		var competing []string
		code, _ := t.PARAMCD.Find(p)
		rows := t.PARAMCD.Rows(code)
		for _, i := range rows {
			if !t.Event[i] {
				continue
			}
			v := strings.TrimSpace(raw.At(i))
			switch {
			case design.IsMissing(v):
				return nil, nil, fmt.Errorf("%s: line %d, column %s: CNSR is 0 but %s is empty: name the event (%s, or a competing event)", file, t.Line.At(i), col, col, interest)
			case v != interest && !slices.Contains(competing, v):
				competing = append(competing, v)
			}
		}
		slices.Sort(competing)
		ec.types.Competing = competing
		ec.cause = map[int]int{}
		for _, i := range rows {
			if !t.Event[i] {
				continue
			}
			if v := strings.TrimSpace(raw.At(i)); v == interest {
				ec.cause[i] = 1
			} else {
				ec.cause[i] = 2 + slices.Index(competing, v)
				out.Event[i] = false
			}
		}
		causes[p] = ec
	}
	return &out, causes, nil
}

// endpointCauses is the event type of every row of one endpoint.
type endpointCauses struct {
	types schema.EventTypes
	cause map[int]int // table row → cause (rows absent: censored)
}

// causeNames returns the name of each cause, index 1 the event of interest.
func (e *endpointCauses) causeNames() []string {
	return append([]string{"censored", e.types.EventOfInterest}, e.types.Competing...)
}

// Causes returns the cause of each row of the endpoint (0 censored, 1 the
// event of interest, k ≥ 2 a competing event) and the cause names (index
// 0 "censored"); nil without an event-type column.
func (c *Context) Causes() ([]int, []string) {
	if c.causes == nil {
		return nil, nil
	}
	out := make([]int, len(c.Rows))
	for k, i := range c.Rows {
		out[k] = c.causes.cause[i]
	}
	return out, c.causes.causeNames()
}

// recordEventTypes puts the event types and their counts per arm on ep.
func (c *Context) recordEventTypes(ep *schema.Endpoint) {
	if c.causes == nil {
		return
	}
	et := c.causes.types
	et.Counts = nil
	cause, names := c.Causes()
	for a, arm := range c.Arms {
		n := make([]int, len(names))
		for k := range c.Rows {
			if c.Group[k] == a {
				n[cause[k]]++
			}
		}
		for j := 1; j < len(names); j++ {
			et.Counts = append(et.Counts, schema.EventTypeCount{Arm: arm, Type: names[j], Subjects: n[j]})
		}
		et.Counts = append(et.Counts, schema.EventTypeCount{Arm: arm, Type: "censored", Subjects: n[0]})
	}
	ep.EventTypes = &et
}
