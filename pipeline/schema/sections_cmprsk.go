package schema

// EventTypes says, for an endpoint analysed with an event-type column,
// which event is of interest and which compete, and how many of each
// occurred per arm. The CNSR = 0 rows of a competing type are censored in
// the analyses of the event of interest (KM, log-rank, Cox: the Cox model
// is then the cause-specific model) and are causes of their own in the
// competing-risks analyses (cif, finegray).
type EventTypes struct {
	Column          string `json:"column"`
	EventOfInterest string `json:"event_of_interest"`
	// Competing lists the competing event types in sorted order; cause k
	// (k = 2, 3, …) of the competing-risks tables is Competing[k-2], cause 1
	// the event of interest.
	Competing []string         `json:"competing"`
	Counts    []EventTypeCount `json:"counts"`
}

// EventTypeCount counts one arm's rows by outcome.
type EventTypeCount struct {
	Arm      string `json:"arm"`
	Type     string `json:"type"` // an event type, or "censored"
	Subjects int    `json:"subjects"`
}

// CIFRow is one row of cif.csv: the Aalen–Johansen cumulative incidence of
// one cause in one arm after Time.
type CIFRow struct {
	Arm    string   `json:"arm"`
	Cause  string   `json:"cause"`
	Time   float64  `json:"time"`
	NRisk  int      `json:"n_risk"`
	CIF    float64  `json:"cif"`
	StdErr *float64 `json:"std_err"`
	Lower  *float64 `json:"lower"`
	Upper  *float64 `json:"upper"`
}

// FineGrayTerm is one row of finegray.csv: a subdistribution hazard ratio
// for Cause.
type FineGrayTerm struct {
	Cause     string   `json:"cause"`
	Term      string   `json:"term"`
	Reference string   `json:"reference,omitempty"`
	Coef      *float64 `json:"coef"`
	SE        *float64 `json:"se"`
	HR        *float64 `json:"hr"`
	HRLower   *float64 `json:"hr_lower"`
	HRUpper   *float64 `json:"hr_upper"`
	PValue    *float64 `json:"p_value"`
}

// FineGraySection is the section of method finegray: one model per cause.
type FineGraySection struct {
	Models []FineGrayModel `json:"models"`
}

// FineGrayModel is the Fine–Gray model of one cause.
type FineGrayModel struct {
	Cause      string         `json:"cause"`
	N          int            `json:"n"`
	Events     int            `json:"events"`
	Competing  int            `json:"competing"`
	Status     string         `json:"status"`
	Iterations int            `json:"iterations"`
	LogLik     *float64       `json:"loglik"`
	Terms      []FineGrayTerm `json:"terms"`
}
