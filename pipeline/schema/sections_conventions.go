package schema

// ConventionRow is one key estimate of an endpoint under R's and SAS's
// default conventions (method cross_conventions, cross_conventions.csv).
type ConventionRow struct {
	// Quantity names the estimate, e.g. "median KETAMINE", "HR TRTP:KETAMINE",
	// "p cox_wald".
	Quantity string   `json:"quantity"`
	R        *float64 `json:"r"`
	RLower   *float64 `json:"r_lower"`
	RUpper   *float64 `json:"r_upper"`
	SAS      *float64 `json:"sas"`
	SASLower *float64 `json:"sas_lower"`
	SASUpper *float64 `json:"sas_upper"`
	// RelDiff is the largest relative difference between the two profiles
	// over the estimate and its limits; nil when one is undefined.
	RelDiff *float64 `json:"rel_diff"`
	// Changes names a conclusion that differs between the profiles: "CI
	// excludes 1 under one profile only", "p on opposite sides of 0.05", or
	// "" when none does.
	Changes string `json:"changes"`
}
