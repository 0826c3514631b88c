package schema

import (
	"encoding/json"
	"math"
	"strconv"
)

// Sections of the methods built on the Cox model.

// ZPHSection is the section of method zph: R cox.zph's table.
type ZPHSection struct {
	Transform string    `json:"transform"`
	Tests     []ZPHTest `json:"tests"` // one per term, then GLOBAL
	// Residuals are the scaled Schoenfeld residuals (schoenfeld.csv), by
	// column: the times once, one residual per event and term.
	Residuals SchoenfeldResiduals `json:"residuals"`
	Status    string              `json:"status"`
}

// ZPHTest is one row of zph.csv.
type ZPHTest struct {
	Term   string   `json:"term"`
	Chisq  *float64 `json:"chisq"`
	DF     int      `json:"df"`
	PValue *float64 `json:"p_value"`
}

// SchoenfeldRow is one row of schoenfeld.csv: the scaled Schoenfeld
// residual plus the coefficient of Term at one event (R zph$y), against
// the event time and its transform (zph$time, zph$x).
type SchoenfeldRow struct {
	Time     float64  `json:"time"`
	X        float64  `json:"x"`
	Term     string   `json:"term"`
	Residual *float64 `json:"residual"`
}

// PiecewiseSection is the section of method piecewise.
type PiecewiseSection struct {
	Cuts      []float64      `json:"cuts"`
	Arm       string         `json:"arm"`
	Reference string         `json:"reference"`
	Intervals []PiecewiseRow `json:"intervals"`
	Status    string         `json:"status"`
}

// PiecewiseRow is one row of piecewise.csv: the hazard ratio of Arm versus
// Reference within (Lower, Upper]; Upper nil is +Inf.
type PiecewiseRow struct {
	Lower   float64  `json:"lower"`
	Upper   *float64 `json:"upper"`
	Events  int      `json:"events"`
	Coef    *float64 `json:"coef"`
	SE      *float64 `json:"se"`
	HR      *float64 `json:"hr"`
	HRLower *float64 `json:"hr_lower"`
	HRUpper *float64 `json:"hr_upper"`
	PValue  *float64 `json:"p_value"`
}

// SchoenfeldResiduals are the scaled Schoenfeld residuals plus the
// coefficients (R zph$y) by column: for event i, Time[i] (zph$time), X[i]
// (zph$x), and Y[j][i] for term Terms[j] (NaN, written null, where it is
// undefined: a term constant within the event's stratum).
type SchoenfeldResiduals struct {
	Time  Floats   `json:"time"`
	X     Floats   `json:"x"`
	Terms []string `json:"terms"`
	Y     []Floats `json:"y"`
}

// Rows returns the residuals one row per event and term, events in order
// and terms in order within an event.
func (s SchoenfeldResiduals) Rows() []SchoenfeldRow {
	out := make([]SchoenfeldRow, 0, len(s.Time)*len(s.Terms))
	for i := range s.Time {
		for j, term := range s.Terms {
			var r *float64
			if i < len(s.Y[j]) && !math.IsNaN(s.Y[j][i]) && !math.IsInf(s.Y[j][i], 0) {
				v := s.Y[j][i]
				r = &v
			}
			out = append(out, SchoenfeldRow{Time: s.Time[i], X: s.X[i], Term: term, Residual: r})
		}
	}
	return out
}

// Floats is a column of numbers written as a JSON array in one pass, with
// NaN and infinities as null (JSON has no NaN): the encoder for the long
// per-event columns of results.json.
type Floats []float64

// MarshalJSON writes the numbers as encoding/json writes a float64, and
// null for NaN and infinities.
func (f Floats) MarshalJSON() ([]byte, error) {
	b := make([]byte, 0, 2+len(f)*20)
	b = append(b, '[')
	for i, v := range f {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendJSONFloat(b, v)
	}
	return append(b, ']'), nil
}

// UnmarshalJSON reads an array of numbers and nulls (NaN).
func (f *Floats) UnmarshalJSON(data []byte) error {
	var v []*float64
	if err := json.Unmarshal(data, &v); err != nil {
		return err
	}
	out := make(Floats, len(v))
	for i, p := range v {
		out[i] = math.NaN()
		if p != nil {
			out[i] = *p
		}
	}
	*f = out
	return nil
}

// appendJSONFloat appends v as encoding/json formats a float64 (ES6
// number formatting), or null.
func appendJSONFloat(b []byte, v float64) []byte {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return append(b, "null"...)
	}
	abs := math.Abs(v)
	format := byte('f')
	if abs != 0 && (abs < 1e-6 || abs >= 1e21) {
		format = 'e'
	}
	b = strconv.AppendFloat(b, v, format, -1, 64)
	if format == 'e' {
		// clean up e-09 to e-9, as encoding/json does
		n := len(b)
		if n >= 4 && b[n-4] == 'e' && b[n-3] == '-' && b[n-2] == '0' {
			b[n-2] = b[n-1]
			b = b[:n-1]
		}
	}
	return b
}

func appendInt(b []byte, v int) []byte { return strconv.AppendInt(b, int64(v), 10) }
