package design

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/ketcurves/ketcurves/pipeline/column"
)

// MissingTokens are the cell values read as missing, besides the empty
// cell: R's write.csv writes NA, SAS writes a period.
var MissingTokens = []string{"NA", "."}

// IsMissing reports whether a cell is missing: empty (after trimming
// spaces), "NA" or ".".
func IsMissing(s string) bool {
	s = strings.TrimSpace(s)
	return s == "" || s == "NA" || s == "."
}

// MaxLevels is the largest number of levels a categorical column (or the
// treatment variable) may have. A column with more levels is almost always
// an identifier given by mistake; its dummy coding would need an n × levels
// matrix.
const MaxLevels = 1000

// RefLevel chooses the reference level of a categorical covariate.
type RefLevel int

const (
	// RefFirst compares with the first level in sorted order (R).
	RefFirst RefLevel = iota
	// RefLast compares with the last level in sorted order (SAS CLASS).
	RefLast
)

// Covariate is one raw column of the analysis table.
type Covariate struct {
	Name string
	// Raw holds the column's cells for every row of the table, coded;
	// Spec.Rows selects the rows used. Each level is parsed once.
	Raw column.Text
}

// present reports whether the optional column c is given (Strata,
// Cluster).
func (c Covariate) present() bool { return c.Name != "" }

// missingLevels returns, per level of c, whether it is a missing value.
func (c Covariate) missingLevels() []bool {
	out := make([]bool, len(c.Raw.Levels))
	for l, v := range c.Raw.Levels {
		out[l] = IsMissing(v)
	}
	return out
}

// Spec describes the design of one analysis.
type Spec struct {
	// Rows are the table rows of the analysis (e.g. one endpoint).
	Rows []int
	// Arm gives, for each row of the table, the index of its arm in Arms.
	Arm  []int32
	Arms []string
	// Control is the index in Arms of the reference arm.
	Control int
	// Covariates are added to the model after the treatment dummies.
	Covariates []Covariate
	// Strata and Cluster are optional columns (Name "" when absent):
	// their rows must be non-missing; they give integer ids, not columns.
	Strata, Cluster Covariate
	// Reference chooses the reference level of categorical covariates.
	Reference RefLevel
}

// Kind says what a model-matrix column codes.
type Kind int

const (
	KindArm     Kind = iota // treatment dummy: 1 for the arm, 0 otherwise
	KindNumeric             // a numeric covariate as it is
	KindLevel               // dummy of one level of a categorical covariate
)

// Column is one column of the model matrix.
type Column struct {
	// Name is "TRTP:<arm>", the covariate's name, or "<covariate>:<level>".
	Name string
	Kind Kind
	// Variable is the covariate (or "TRTP") the column comes from, Level
	// the arm or level it codes and Reference the arm or level it is
	// compared with; Level and Reference are empty for a numeric column.
	Variable, Level, Reference string
}

// Matrix is the model matrix of the complete cases of a Spec.
type Matrix struct {
	// Rows are the table rows kept, in the order of Spec.Rows: Spec.Rows
	// itself (read-only) when none is left out.
	Rows []int
	// X holds the columns (column-major): X[j][k] is column j at Rows[k].
	X       [][]float64
	Columns []Column
	// Strata and Cluster give integer ids (0, 1, … by sorted level) per
	// kept row; nil when the Spec has none. StrataLevels and
	// ClusterLevels name them.
	Strata, Cluster             []int
	StrataLevels, ClusterLevels []string
	// Dropped counts the rows left out because a column was missing, by
	// column name in Spec order; a row missing several columns counts once,
	// under the first.
	Dropped      []DroppedCount
	DroppedTotal int
	// Warnings are facts about the coding that do not stop it.
	Warnings []string
}

// DroppedCount is the number of rows left out because Column was missing.
type DroppedCount struct {
	Column string
	Rows   int
}

// Names returns the column names.
func (m *Matrix) Names() []string {
	out := make([]string, len(m.Columns))
	for j, c := range m.Columns {
		out[j] = c.Name
	}
	return out
}

// CellError is a problem with one cell of the table: Row is the table row,
// Column its name.
type CellError struct {
	Row    int
	Column string
	Value  string
	Reason string
}

func (e *CellError) Error() string {
	return fmt.Sprintf("column %s, value %q: %s", e.Column, e.Value, e.Reason)
}

// ErrTooManyLevels is wrapped by Build's error for a column with more than
// MaxLevels levels.
var ErrTooManyLevels = errors.New("too many levels")

// Build returns the model matrix of spec's complete cases. It returns an
// error (a *CellError for a cell) for a mostly numeric column with other
// values, a categorical column with one level only or more than MaxLevels,
// or too many arms. It panics if spec.Arm does not cover spec.Rows or
// Control is out of range (programmer errors).
func Build(spec Spec) (*Matrix, error) {
	if spec.Control < 0 || spec.Control >= len(spec.Arms) {
		panic("design: Control out of range")
	}
	if len(spec.Arms) > MaxLevels {
		return nil, fmt.Errorf("TRTP has %d arms: at most %d are supported (%w); is TRTP the treatment arm?", len(spec.Arms), MaxLevels, ErrTooManyLevels)
	}
	m := &Matrix{}
	m.Rows = completeRows(spec, m)
	n := len(m.Rows)
	present := make([]bool, len(spec.Arms))
	for _, i := range m.Rows {
		present[spec.Arm[i]] = true
	}
	for a, name := range spec.Arms {
		if a == spec.Control {
			continue
		}
		col := make([]float64, n)
		for k, i := range m.Rows {
			if int(spec.Arm[i]) == a {
				col[k] = 1
			}
		}
		m.X = append(m.X, col)
		m.Columns = append(m.Columns, Column{Name: "TRTP:" + name, Kind: KindArm, Variable: "TRTP", Level: name, Reference: spec.Arms[spec.Control]})
	}
	for _, c := range spec.Covariates {
		if err := m.addCovariate(c, spec.Reference); err != nil {
			return nil, err
		}
	}
	var err error
	if spec.Strata.present() {
		if m.Strata, m.StrataLevels, err = ids(spec.Strata, m.Rows); err != nil {
			return nil, err
		}
	}
	if spec.Cluster.present() {
		// Cluster ids are identifiers: any number of levels.
		m.Cluster, m.ClusterLevels, _ = idsUnbounded(spec.Cluster, m.Rows)
	}
	return m, nil
}

// completeRows returns the rows of spec without a missing covariate,
// stratum or cluster, counting the others in m.Dropped.
func completeRows(spec Spec, m *Matrix) []int {
	cols := slices.Clone(spec.Covariates)
	for _, c := range []Covariate{spec.Strata, spec.Cluster} {
		if c.present() {
			cols = append(cols, c)
		}
	}
	counts := make([]int, len(cols))
	missing := make([][]bool, len(cols))
	anyMissing := false
	for j, c := range cols {
		missing[j] = c.missingLevels()
		anyMissing = anyMissing || slices.Contains(missing[j], true)
	}
	if !anyMissing {
		return spec.Rows[:len(spec.Rows):len(spec.Rows)] // shared, not appendable
	}
	rows := make([]int, 0, len(spec.Rows))
next:
	for _, i := range spec.Rows {
		for j, c := range cols {
			if missing[j][c.Raw.Code(i)] {
				counts[j]++
				continue next
			}
		}
		rows = append(rows, i)
	}
	for j, c := range cols {
		if counts[j] > 0 {
			m.Dropped = append(m.Dropped, DroppedCount{Column: c.Name, Rows: counts[j]})
			m.DroppedTotal += counts[j]
		}
	}
	return rows
}

// addCovariate appends the columns of covariate c over m.Rows.
func (m *Matrix) addCovariate(c Covariate, ref RefLevel) error {
	n := len(m.Rows)
	vals := make([]float64, n)
	numbers, firstWord := 0, -1
	// Each level is parsed once; rows look their level up.
	value, number := parseLevels(c.Raw.Levels)
	for k, i := range m.Rows {
		l := c.Raw.Code(i)
		if number[l] {
			vals[k] = value[l]
			numbers++
		} else if firstWord < 0 {
			firstWord = k
		}
	}
	if numbers == n {
		if n > 0 && math.Abs(maxAbs(vals)) > 1e150 {
			i := m.Rows[argMaxAbs(vals)]
			return &CellError{Row: i, Column: c.Name, Value: c.Raw.At(i), Reason: "the value is too large for a regression (beyond 1e150 in magnitude): rescale the covariate (e.g. to thousands or a log scale)"}
		}
		m.X = append(m.X, vals)
		m.Columns = append(m.Columns, Column{Name: c.Name, Kind: KindNumeric, Variable: c.Name})
		return nil
	}
	if 2*numbers >= n && n > 0 {
		i := m.Rows[firstWord]
		return &CellError{Row: i, Column: c.Name, Value: c.Raw.At(i), Reason: fmt.Sprintf("%d of %d values of the column are numbers but this one is not: fix the value, write a missing value as empty, NA or ., or recode the column as categories", numbers, n)}
	}
	if numbers > 0 {
		m.Warnings = append(m.Warnings, fmt.Sprintf("covariate %s is treated as categorical: %d of its %d values are numbers and the others are not", c.Name, numbers, n))
	}
	idOf, levels, ok := levelIDs(c, m.Rows, MaxLevels)
	if !ok {
		return tooManyLevels(c)
	}
	if len(levels) < 2 {
		only := ""
		if len(levels) == 1 {
			only = fmt.Sprintf(" %q", levels[0])
		}
		return fmt.Errorf("covariate %s has a single level%s among the analysed rows: its effect cannot be estimated; drop it from the covariates", c.Name, only)
	}
	refID := 0
	if ref == RefLast {
		refID = len(levels) - 1
	}
	for l, lv := range levels {
		if l == refID {
			continue
		}
		col := make([]float64, n)
		for k, i := range m.Rows {
			if idOf[c.Raw.Code(i)] == l {
				col[k] = 1
			}
		}
		m.X = append(m.X, col)
		m.Columns = append(m.Columns, Column{Name: c.Name + ":" + lv, Kind: KindLevel, Variable: c.Name, Level: lv, Reference: levels[refID]})
	}
	return nil
}

// ids returns the level id of c at each row (levels in sorted order) and
// the levels, or an error beyond MaxLevels.
func ids(c Covariate, rows []int) ([]int, []string, error) {
	out, levels, ok := idsBounded(c, rows, MaxLevels)
	if !ok {
		return nil, nil, tooManyLevels(c)
	}
	return out, levels, nil
}

// tooManyLevels is the error of a column beyond MaxLevels levels.
func tooManyLevels(c Covariate) error {
	return fmt.Errorf("column %s has more than %d levels (%w): is it an identifier? Use a column with fewer categories", c.Name, MaxLevels, ErrTooManyLevels)
}

func idsUnbounded(c Covariate, rows []int) ([]int, []string, bool) {
	return idsBounded(c, rows, math.MaxInt)
}

// idsBounded returns the id of each row's trimmed value among the sorted
// distinct trimmed values of the rows, and those values; false beyond
// limit values.
func idsBounded(c Covariate, rows []int, limit int) ([]int, []string, bool) {
	idOf, levels, ok := levelIDs(c, rows, limit)
	if !ok {
		return nil, nil, false
	}
	out := make([]int, len(rows))
	for k, i := range rows {
		out[k] = idOf[c.Raw.Code(i)]
	}
	return out, levels, true
}

// levelIDs returns, per level (code) of c, the id of its trimmed value
// among the sorted distinct trimmed values of the rows, and those values;
// false beyond limit values.
func levelIDs(c Covariate, rows []int, limit int) ([]int, []string, bool) {
	used := make([]bool, len(c.Raw.Levels))
	for _, i := range rows {
		used[c.Raw.Code(i)] = true
	}
	seen := map[string]int{}
	var levels []string
	for l, v := range c.Raw.Levels {
		if !used[l] {
			continue
		}
		v = strings.TrimSpace(v)
		if _, ok := seen[v]; !ok {
			seen[v] = 0
			levels = append(levels, v)
			if len(levels) > limit {
				return nil, nil, false
			}
		}
	}
	slices.Sort(levels)
	for l, v := range levels {
		seen[v] = l
	}
	idOf := make([]int, len(c.Raw.Levels))
	for l, v := range c.Raw.Levels {
		if used[l] {
			idOf[l] = seen[strings.TrimSpace(v)]
		}
	}
	return idOf, levels, true
}

// parseLevels returns each level as a number, and whether it is a finite
// one.
func parseLevels(levels []string) (value []float64, number []bool) {
	value, number = make([]float64, len(levels)), make([]bool, len(levels))
	for l, s := range levels {
		v, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
		value[l], number[l] = v, err == nil && !math.IsNaN(v) && !math.IsInf(v, 0)
	}
	return value, number
}

func maxAbs(v []float64) float64 { return math.Abs(v[argMaxAbs(v)]) }

func argMaxAbs(v []float64) int {
	best := 0
	for k, x := range v {
		if math.Abs(x) > math.Abs(v[best]) {
			best = k
		}
	}
	return best
}
