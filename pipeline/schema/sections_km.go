package schema

// Sections of the Kaplan–Meier-based methods. Nil pointers are undefined
// values (R's NA), written as null and as empty CSV cells.

// CumHazRow is one row of nelson_aalen.csv: the Nelson–Aalen cumulative
// hazard of one arm at one time (method nelson_aalen).
type CumHazRow struct {
	Arm    string   `json:"arm"`
	Time   float64  `json:"time"`
	NRisk  int      `json:"n_risk"`
	NEvent int      `json:"n_event"`
	CumHaz float64  `json:"cumhaz"`
	StdErr float64  `json:"std_err"`
	Lower  *float64 `json:"lower"`
	Upper  *float64 `json:"upper"`
}

// RMSTSection is the section of method rmst.
type RMSTSection struct {
	Tau float64 `json:"tau"`
	// TauRule says how Tau was chosen: "plan" (given), or "survRM2" (the
	// smallest of the arms' largest observed times).
	TauRule   string         `json:"tau_rule"`
	Arms      []RMSTRow      `json:"arms"`
	Contrasts []RMSTContrast `json:"contrasts"`
}

// RMSTRow is one row of rmst.csv: the restricted mean time to event and
// time lost of one arm up to Tau.
type RMSTRow struct {
	Arm       string  `json:"arm"`
	Tau       float64 `json:"tau"`
	RMST      float64 `json:"rmst"`
	SE        float64 `json:"se"`
	Lower     float64 `json:"lower"`
	Upper     float64 `json:"upper"`
	RMTL      float64 `json:"rmtl"`
	RMTLLower float64 `json:"rmtl_lower"`
	RMTLUpper float64 `json:"rmtl_upper"`
	Events    int     `json:"events"`
	LastTime  float64 `json:"last_time"`
	Beyond    bool    `json:"beyond_follow_up"`
	Status    string  `json:"status"`
}

// RMSTContrast is one row of rmst_contrast.csv: arm versus the reference
// arm, as difference (RMST_arm − RMST_ref), ratio (RMST_arm / RMST_ref) or
// rmtl_ratio.
type RMSTContrast struct {
	Arm       string   `json:"arm"`
	Reference string   `json:"reference"`
	Contrast  string   `json:"contrast"`
	Estimate  *float64 `json:"estimate"`
	Lower     *float64 `json:"lower"`
	Upper     *float64 `json:"upper"`
	PValue    *float64 `json:"p_value"`
	Method    string   `json:"method"`
	Status    string   `json:"status"`
}

// MilestoneRow is one row of milestones.csv: the proportion of an arm with
// the event by Time, or a contrast of two arms at Time.
type MilestoneRow struct {
	Time float64 `json:"time"`
	Arm  string  `json:"arm"`
	// Reference is the reference arm of a contrast; empty for a rate.
	Reference string `json:"reference,omitempty"`
	// Measure is "rate", "difference" or "ratio".
	Measure  string   `json:"measure"`
	NRisk    int      `json:"n_risk"`
	Estimate *float64 `json:"estimate"`
	StdErr   *float64 `json:"std_err"`
	Lower    *float64 `json:"lower"`
	Upper    *float64 `json:"upper"`
	PValue   *float64 `json:"p_value"`
	Method   string   `json:"method"`
	Status   string   `json:"status"`
}
