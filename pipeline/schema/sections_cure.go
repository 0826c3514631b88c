package schema

// CureSection is the section of method cure: a mixture cure model with a
// logistic model of the fraction who ever have the event ("how many
// respond") and an AFT model of the time to it among them ("how fast").
type CureSection struct {
	Latency  string      `json:"latency"` // weibull or lognormal
	Status   string      `json:"status"`
	Messages []string    `json:"messages,omitempty"`
	N        int         `json:"n"`
	Events   int         `json:"events"`
	LogLik   *float64    `json:"loglik"`
	Profile  string      `json:"profile"`
	Arms     []CureArm   `json:"arms"`
	Terms    []CureTerm  `json:"terms"`
	Plateaus []CureCheck `json:"plateaus"`
}

// CureArm is one row of cure.csv: an arm's fraction with the event
// eventually and its latency median among those, with CIs.
type CureArm struct {
	Arm           string   `json:"arm"`
	Fraction      *float64 `json:"fraction"`
	FractionLower *float64 `json:"fraction_lower"`
	FractionUpper *float64 `json:"fraction_upper"`
	Median        *float64 `json:"latency_median"`
	MedianLower   *float64 `json:"latency_median_lower"`
	MedianUpper   *float64 `json:"latency_median_upper"`
}

// CureTerm is one row of cure_terms.csv.
type CureTerm struct {
	Component string   `json:"component"` // incidence or latency
	Term      string   `json:"term"`
	Coef      *float64 `json:"coef"`
	SE        *float64 `json:"se"`
	Z         *float64 `json:"z"`
	PValue    *float64 `json:"p_value"`
}

// CureCheck is the identifiability check of one arm: the length and height
// of the Kaplan–Meier plateau and the Maller–Zhou test of sufficient
// follow-up.
type CureCheck struct {
	Arm       string   `json:"arm"`
	LastTime  float64  `json:"last_time"`
	LastEvent *float64 `json:"last_event"`
	Length    *float64 `json:"plateau_days"`
	KM        float64  `json:"plateau_km"`
	Count     int      `json:"maller_zhou_count"`
	P         *float64 `json:"maller_zhou_p"`
	Status    string   `json:"status"`
}
