package fit

import (
	"errors"
	"fmt"
	"strings"
	"sync"

	"github.com/ketcurves/ketcurves/pipeline/adam"
	"github.com/ketcurves/ketcurves/pipeline/design"
	"github.com/ketcurves/ketcurves/pipeline/schema"
)

// Context is what an analysis of one endpoint sees: the table, the rows of
// the endpoint, its arms, the options, and the designs and fits that
// several analyses share (built once, on first use).
type Context struct {
	Table *adam.ADTTE
	// File is the analysed file, for messages.
	File string
	// Paramcd is the endpoint; Rows its table rows.
	Paramcd string
	Rows    []int
	// Arms are the arms with rows for the endpoint, in study (or sorted)
	// order; Control is the reference arm's index in Arms.
	Arms    []string
	Control int
	// Group is the index in Arms of each row of Rows.
	Group []int
	// Options are the shared options (conventions, covariates, strata).
	Options Options

	ep       *schema.Endpoint
	statuses map[schema.Status]bool
	armOfRow []int32 // by table row; -1 outside Rows
	designs  map[string]*design.Matrix
	mu       sync.Mutex // guards shared
	shared   map[string]*sharedValue
	causes   *endpointCauses // nil without an event-type column
	method   string          // the method running, for flagged
	flagged  []methodStatus  // every status flagged, with its method
}

// methodStatus is a status flagged by a method.
type methodStatus struct {
	method string
	status schema.Status
}

// Flag records a numerical status with its message on the endpoint. A
// status is listed once; every message is kept.
func (c *Context) Flag(status schema.Status, msg string) {
	c.flagged = append(c.flagged, methodStatus{c.method, status})
	if !c.statuses[status] {
		c.ep.Statuses = append(c.ep.Statuses, status)
		c.statuses[status] = true
	}
	c.ep.Messages = append(c.ep.Messages, msg)
}

// Note records a message that is not a status.
func (c *Context) Note(msg string) { c.ep.Messages = append(c.ep.Messages, msg) }

// Time, Event and Entry return the endpoint's times, event indicators and
// entry times (nil without an ENTRY column) in the order of Rows.
func (c *Context) Time() []float64 { return gather(c.Table.AVAL, c.Rows) }

// Event: see Time.
func (c *Context) Event() []bool { return gather(c.Table.Event, c.Rows) }

// Entry: see Time.
func (c *Context) Entry() []float64 {
	if c.Table.Entry == nil {
		return nil
	}
	return gather(c.Table.Entry, c.Rows)
}

// ArmRows returns the rows of Rows in arm a (index in Arms).
func (c *Context) ArmRows(a int) []int {
	n := 0
	for _, g := range c.Group {
		if g == a {
			n++
		}
	}
	out := make([]int, 0, n)
	for k, i := range c.Rows {
		if c.Group[k] == a {
			out = append(out, i)
		}
	}
	return out
}

// Design returns the model matrix of the endpoint's complete cases for
// the given covariates (in order) and optional strata and cluster columns,
// built once per combination. Its errors name the file, the line and the
// column of a bad cell.
func (c *Context) Design(covariates []string, strata, cluster string) (*design.Matrix, error) {
	key := strings.Join(covariates, "\x00") + "\x01" + strata + "\x01" + cluster
	if m, ok := c.designs[key]; ok {
		return m, nil
	}
	if c.armOfRow == nil {
		c.armOfRow = make([]int32, c.Table.Len())
		for i := range c.armOfRow {
			c.armOfRow[i] = -1
		}
		for k, i := range c.Rows {
			c.armOfRow[i] = int32(c.Group[k])
		}
	}
	spec := design.Spec{Rows: c.Rows, Arm: c.armOfRow, Arms: c.Arms, Control: c.Control, Reference: c.Options.reference()}
	for _, name := range covariates {
		spec.Covariates = append(spec.Covariates, design.Covariate{Name: name, Raw: c.Table.Extra[name]})
	}
	if strata != "" {
		spec.Strata = design.Covariate{Name: strata, Raw: c.Table.Extra[strata]}
	}
	if cluster != "" {
		spec.Cluster = design.Covariate{Name: cluster, Raw: c.Table.Extra[cluster]}
	}
	m, err := design.Build(spec)
	if err != nil {
		var ce *design.CellError
		if errors.As(err, &ce) {
			return nil, fmt.Errorf("%s: line %d, column %s: %s: %w", c.File, c.Table.Line.At(ce.Row), ce.Column, c.Paramcd, err)
		}
		return nil, fmt.Errorf("%s: %s: %w", c.File, c.Paramcd, err)
	}
	for _, w := range m.Warnings {
		c.Note(w)
	}
	if c.designs == nil {
		c.designs = map[string]*design.Matrix{}
	}
	c.designs[key] = m
	return m, nil
}

// Shared returns the value stored under key, computing it with compute on
// first use: analyses that need the same fit (zph and the Cox model) share
// it. It is safe for concurrent use (Preparer): a caller asking for a key
// being computed waits for it, and different keys are computed
// concurrently. An error is not cached: the next caller computes again.
func Shared[T any](c *Context, key string, compute func() (T, error)) (T, error) {
	for {
		c.mu.Lock()
		e, ok := c.shared[key]
		if !ok {
			e = &sharedValue{done: make(chan struct{})}
			if c.shared == nil {
				c.shared = map[string]*sharedValue{}
			}
			c.shared[key] = e
			c.mu.Unlock()
			v, err := compute()
			e.v, e.err = v, err
			if err != nil {
				c.mu.Lock()
				delete(c.shared, key)
				c.mu.Unlock()
			}
			close(e.done)
			return v, err
		}
		c.mu.Unlock()
		<-e.done
		if e.err == nil {
			return e.v.(T), nil
		}
	}
}

// sharedValue is one value of Shared: done is closed once v or err is
// set.
type sharedValue struct {
	done chan struct{}
	v    any
	err  error
}

// droppedMessage describes the rows a design left out.
func droppedMessage(m *design.Matrix, what string) string {
	parts := make([]string, len(m.Dropped))
	for i, d := range m.Dropped {
		parts[i] = fmt.Sprintf("%d with %s missing", d.Rows, d.Column)
	}
	return fmt.Sprintf("%d rows were left out of %s (%s)", m.DroppedTotal, what, strings.Join(parts, ", "))
}

// view is gather for an estimator that only reads the values: the column
// itself when rows are all of its rows in order (an endpoint that is the
// whole table, no row left out), so that a trial of ten million rows is
// not copied once more; a gathered copy otherwise. The result must not be
// modified.
func view[T any](col []T, rows []int) []T {
	if len(rows) != len(col) {
		return gather(col, rows)
	}
	for k, i := range rows {
		if i != k {
			return gather(col, rows)
		}
	}
	return col[:len(col):len(col)]
}

func gather[T any](col []T, rows []int) []T {
	out := make([]T, len(rows))
	for k, i := range rows {
		out[k] = col[i]
	}
	return out
}

// groupsOf returns the arm index (in Arms) of each design row.
func (c *Context) groupsOf(rows []int) []int {
	if c.armOfRow == nil {
		_, _ = c.Design(nil, "", "")
	}
	out := make([]int, len(rows))
	for k, i := range rows {
		out[k] = int(c.armOfRow[i])
	}
	return out
}
