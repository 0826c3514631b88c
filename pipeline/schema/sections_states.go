package schema

// Section of method states: the response → relapse chain as a multi-state
// model (not responding → in response → relapsed, dropout competing at
// each stage). Nil pointers are undefined values (R's NA), written as null
// and as empty CSV cells.

// StatesSection is the section of method states, on the relapse endpoint.
type StatesSection struct {
	// Response and Relapse are the PARAMCDs of the two endpoints chained;
	// the section sits on the relapse endpoint.
	Response string `json:"response"`
	Relapse  string `json:"relapse"`
	// States are the states in model order: "not responding", "in
	// response", "relapsed", and "dropped out" with an event-type column.
	States []string `json:"states"`
	// TimeAxis says what the times count: days from the response
	// endpoint's time origin (its ORIGDY).
	TimeAxis string `json:"time_axis"`
	// Tau is the horizon of the mean durations; TauRule "plan" (given) or
	// "shortest follow-up" (the smallest of the arms' last times).
	Tau     float64 `json:"tau"`
	TauRule string  `json:"tau_rule"`
	// Subjects counts the subjects of each arm by path through the chain.
	Subjects []StatesArmCount `json:"subjects"`
	// Curves are the rows of states.csv: the Aalen–Johansen probability of
	// being in each state per arm at every time.
	Curves []StateRow `json:"curves"`
	// Durations are the mean times in each state up to Tau per arm (rows
	// of states_duration.csv for the state "in response").
	Durations []StateDuration `json:"durations"`
	// Contrasts compare the mean time in response of each arm with the
	// reference arm.
	Contrasts []StateDurationContrast `json:"contrasts"`
	// DurationKM is the Kaplan–Meier curve of the duration of response
	// (time from response to relapse) among the responders followed for
	// relapse, per arm (duration_km.csv).
	DurationKM []KMRow `json:"duration_km"`
}

// StatesArmCount counts one arm's subjects along the chain.
type StatesArmCount struct {
	Arm      string `json:"arm"`
	Subjects int    `json:"subjects"` // subjects with a response-endpoint row in the model
	// Responders entered "in response"; FollowedForRelapse of them have a
	// relapse-endpoint row (the others are censored at their response).
	Responders         int `json:"responders"`
	FollowedForRelapse int `json:"followed_for_relapse"`
	Relapsed           int `json:"relapsed"`
	// DroppedOutBefore and DroppedOutInResponse count the competing events
	// before a response and in response.
	DroppedOutBefore     int `json:"dropped_out_before_response"`
	DroppedOutInResponse int `json:"dropped_out_in_response"`
	// LeftOut counts subjects censored at their entry time (no time at
	// risk), left out of the model as R's Surv would reject them.
	LeftOut int `json:"left_out"`
}

// StateRow is one row of states.csv: the probability of being in State at
// Time in Arm, with its infinitesimal-jackknife SE and pointwise CI.
type StateRow struct {
	Arm    string   `json:"arm"`
	Time   float64  `json:"time"`
	State  string   `json:"state"`
	Prob   float64  `json:"prob"`
	StdErr *float64 `json:"std_err"`
	Lower  *float64 `json:"lower"`
	Upper  *float64 `json:"upper"`
}

// StateDuration is the restricted mean time in each state up to Tau in
// one arm: Mean[j] = ∫_0^Tau p_j(t) dt for state States[j] of the
// section, with its SE. InResponse, SE, Lower and Upper repeat the state
// "in response" with its Wald CI.
type StateDuration struct {
	Arm        string     `json:"arm"`
	Tau        float64    `json:"tau"`
	InResponse float64    `json:"mean_in_response"`
	SE         *float64   `json:"se"`
	Lower      *float64   `json:"lower"`
	Upper      *float64   `json:"upper"`
	Mean       []float64  `json:"mean_in_state"`
	MeanSE     []*float64 `json:"se_in_state"`
	// LastTime is the arm's last observed time; Beyond is true when Tau
	// lies after it (the curves are carried forward flat).
	LastTime float64 `json:"last_time"`
	Beyond   bool    `json:"beyond_follow_up,omitempty"`
}

// StateDurationContrast is the difference in mean time in response up to
// Tau of Arm minus Reference, with its Wald CI and two-sided p-value.
type StateDurationContrast struct {
	Arm       string   `json:"arm"`
	Reference string   `json:"reference"`
	Tau       float64  `json:"tau"`
	Estimate  float64  `json:"estimate"`
	SE        *float64 `json:"se"`
	Lower     *float64 `json:"lower"`
	Upper     *float64 `json:"upper"`
	PValue    *float64 `json:"p_value"`
	Status    string   `json:"status"`
}
