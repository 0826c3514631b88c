package schema

// TurnbullSection is the section of method turnbull: the NPMLE of each arm
// from the interval-censored event times (ILOWER, IUPPER].
type TurnbullSection struct {
	Arms []TurnbullArm `json:"arms"`
}

// TurnbullArm is one arm's NPMLE and its quartiles.
type TurnbullArm struct {
	Arm        string         `json:"arm"`
	N          int            `json:"n"`
	Status     string         `json:"status"`
	Iterations int            `json:"iterations"`
	Intervals  []TurnbullRow  `json:"intervals"`
	Quantiles  []IntervalTime `json:"quantiles"`
}

// TurnbullRow is one row of turnbull.csv: a support interval (Lower,
// Upper] (a point when equal; Upper nil is +Inf), its mass and S after it.
type TurnbullRow struct {
	Lower float64  `json:"lower"`
	Upper *float64 `json:"upper"`
	Mass  float64  `json:"mass"`
	Surv  float64  `json:"surv"`
}

// IntervalTime is a quantile of an NPMLE: the time, with the interval
// [Lower, Upper] of times where F crosses Prob (nil when not reached).
type IntervalTime struct {
	Prob  float64  `json:"prob"`
	Time  *float64 `json:"time"`
	Lower *float64 `json:"lower"`
	Upper *float64 `json:"upper"`
}
