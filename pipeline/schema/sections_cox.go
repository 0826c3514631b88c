package schema

// Sections of the methods built on the Cox model.

// ZPHSection is the section of method zph: R cox.zph's table.
type ZPHSection struct {
	Transform string    `json:"transform"`
	Tests     []ZPHTest `json:"tests"` // one per term, then GLOBAL
	// Residuals are the scaled Schoenfeld residuals (schoenfeld.csv).
	Residuals []SchoenfeldRow `json:"residuals"`
	Status    string          `json:"status"`
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
