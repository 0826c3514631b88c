package schema

import (
	"encoding/json"
	"math"
)

// SchemaVersion identifies the layout of results.json. Later sections are
// added as new optional fields; existing fields keep their meaning.
const SchemaVersion = "ketcurves.results/v1"

// Results is the content of results.json: everything the fit stage computed
// for one ADTTE file, the conventions used and the provenance of the input.
type Results struct {
	Schema      string      `json:"schema"`
	Study       StudyInfo   `json:"study"`
	Input       Input       `json:"input"`
	Conventions Conventions `json:"conventions"`
	Status      Status      `json:"status"` // "ok" or the first non-ok endpoint status
	Endpoints   []Endpoint  `json:"endpoints"`
	// Figures holds the plan's axes of the figures drawn from the
	// subjects' data (study.yaml figures), by figure name:
	// <PARAMCD>-trajectory, <PARAMCD>-spaghetti, swimmer.
	Figures  map[string]FigureSettings `json:"figures,omitempty"`
	Software Software                  `json:"software"`
	Warnings []string                  `json:"warnings,omitempty"`
}

// StudyInfo describes the study, from study.yaml when one was given.
type StudyInfo struct {
	ID        string    `json:"id"`
	Title     string    `json:"title,omitempty"`
	Design    string    `json:"design,omitempty"`
	Synthetic bool      `json:"synthetic"`
	Arms      []ArmInfo `json:"arms"`
	Control   string    `json:"control"`
	// ControlSource says how the reference arm was chosen:
	// "flag" (-control), "study" (study.yaml) or "first-sorted".
	ControlSource string   `json:"control_source"`
	Citations     []string `json:"citations,omitempty"`
	Source        string   `json:"source,omitempty"`
}

// ArmInfo is one arm.
type ArmInfo struct {
	Name  string `json:"name"`
	Label string `json:"label,omitempty"`
	Class string `json:"class,omitempty"`
}

// Input identifies the analysed file.
type Input struct {
	File   string `json:"file"`   // path as given on the command line
	SHA256 string `json:"sha256"` // of the file bytes
	Rows   int    `json:"rows"`   // data rows read
}

// Conventions records every convention that changes a number.
type Conventions struct {
	TimeUnit       string   `json:"time_unit"`       // "days"
	Censoring      string   `json:"censoring"`       // "CNSR: 0 = event, 1 = censored (ADaM)"
	ConfType       string   `json:"conf_type"`       // log | log-log | plain
	ConfLevel      float64  `json:"conf_level"`      // e.g. 0.95
	Variance       string   `json:"variance"`        // "Greenwood"
	QuantileMethod string   `json:"quantile_method"` // "Brookmeyer-Crowley, as R quantile.survfit"
	Ties           string   `json:"ties"`            // efron | breslow
	ReferenceArm   string   `json:"reference_arm"`
	Covariates     []string `json:"covariates,omitempty"`
	Strata         string   `json:"strata,omitempty"`
	Subgroups      []string `json:"subgroups,omitempty"`
	Allow          []string `json:"allow,omitempty"`
	// Profile is the convention profile: "r" (the default) or "sas".
	Profile string `json:"profile,omitempty"`
	// CategoricalReference is how the reference level of a categorical
	// covariate is chosen: "first" (sorted, as R) or "last" (as SAS CLASS).
	CategoricalReference string `json:"categorical_reference,omitempty"`
	// Methods are the analyses run, in order (fit.Methods names).
	Methods []string `json:"methods,omitempty"`
	// Options are the methods' own settings as given, by option name.
	Options map[string]string `json:"options,omitempty"`
	// EntryColumn is "ENTRY" when delayed entry was used.
	EntryColumn string `json:"entry_column,omitempty"`
}

// Software records the versions that produced the results.
type Software struct {
	Program   string            `json:"program"`
	GoVersion string            `json:"go_version"`
	Modules   map[string]string `json:"modules,omitempty"`
}

// Endpoint holds the analysis of one PARAMCD.
type Endpoint struct {
	Paramcd string `json:"paramcd"`
	// Subgroup and Level are set on the subgroup analyses of Subgroups:
	// the analysis of the rows whose column Subgroup equals Level.
	Subgroup  string `json:"subgroup,omitempty"`
	Level     string `json:"level,omitempty"`
	Label     string `json:"label,omitempty"`
	Kind      string `json:"kind,omitempty"` // study.Kind*: response, relapse, ...
	TimeScale string `json:"time_scale,omitempty"`
	// YLabel is the plan's y-axis label for the endpoint's figures; empty
	// means the label that follows Kind.
	YLabel string `json:"y_label,omitempty"`
	// Figure holds the plan's settings of the endpoint's figures.
	Figure    *FigureSettings `json:"figure,omitempty"`
	Status    Status          `json:"status"`             // "ok" or the first of Statuses
	Statuses  []Status        `json:"statuses,omitempty"` // every non-ok status found
	Allowed   bool            `json:"allowed"`            // true when every non-ok status is allowed by the plan
	Messages  []string        `json:"messages,omitempty"`
	Arms      []ArmSummary    `json:"arms"`
	KM        KMRows          `json:"km"`
	Quantiles []QuantileRow   `json:"quantiles"`
	Tests     []TestRow       `json:"tests"`
	Cox       *CoxResult      `json:"cox,omitempty"`
	// EventTypes is set when the endpoint was analysed with an event-type
	// column (competing events).
	EventTypes *EventTypes `json:"event_types,omitempty"`
	// Subgroups holds the same analyses within each level of each subgroup
	// column (Conventions.Subgroups); empty without subgroups.
	Subgroups []Endpoint `json:"subgroups,omitempty"`
	// Sections holds the results of the analyses that have no field above,
	// by method name (nelson_aalen, zph, ...). Each is written as a key of
	// the endpoint object named as the method, so that every method's
	// results sit under its public name; see SetSection and Section.
	Sections map[string]json.RawMessage `json:"-"`
}

// ArmSummary counts subjects and events in one arm.
type ArmSummary struct {
	Arm      string  `json:"arm"`
	N        int     `json:"n"`
	Events   int     `json:"events"`
	Censored int     `json:"censored"`
	Observed float64 `json:"observed"` // log-rank observed events
	Expected float64 `json:"expected"` // log-rank expected events
}

// KMRow is one row of km.csv. Lower and Upper are nil where R gives NA.
type KMRow struct {
	Arm     string   `json:"arm"`
	Time    float64  `json:"time"`
	NRisk   int      `json:"n_risk"`
	NEvent  int      `json:"n_event"`
	NCensor int      `json:"n_censor"`
	Surv    float64  `json:"surv"`
	StdErr  *float64 `json:"std_err"` // nil where R gives NA (S = 0 after an event at the last time)
	Lower   *float64 `json:"lower"`
	Upper   *float64 `json:"upper"`
}

// QuantileRow is one row of quantiles.csv. Nil means not reached.
type QuantileRow struct {
	Arm      string   `json:"arm"`
	Quantile float64  `json:"quantile"` // 0.25, 0.5, 0.75 of the event-time distribution
	Time     *float64 `json:"time"`
	Lower    *float64 `json:"lower"`
	Upper    *float64 `json:"upper"`
}

// TestRow is one row of tests.csv.
type TestRow struct {
	Test      string  `json:"test"` // logrank, fh:RHO:GAMMA, ..., cox_wald, cox_lr, cox_score
	Statistic float64 `json:"statistic"`
	DF        int     `json:"df"`
	PValue    float64 `json:"p_value"`
	// N is the number of rows the test used: every row of the endpoint for
	// the unadjusted tests (rows with an empty stratum are left out of a
	// stratified test), the Cox model's rows for the Cox tests.
	N int `json:"n"`
}

// CoxResult is the Cox model of one endpoint.
type CoxResult struct {
	Ties       string `json:"ties"`
	Strata     string `json:"strata,omitempty"`
	N          int    `json:"n"`
	Events     int    `json:"events"`
	Iterations int    `json:"iterations"`
	Converged  bool   `json:"converged"`
	Status     string `json:"status"` // "ok", or cox.Result.Status: terms are then not estimable
	// LogLik0 and LogLik are written as null in results.json when not
	// finite (the model status is then not ok).
	// Cluster is the column of the robust variance's clusters and Clusters
	// their number; empty without a cluster.
	Cluster  string    `json:"cluster,omitempty"`
	Clusters int       `json:"clusters,omitempty"`
	LogLik0  float64   `json:"loglik_null"`
	LogLik   float64   `json:"loglik"`
	Terms    []CoxTerm `json:"terms"`
}

// MarshalJSON writes the Cox result with a non-finite log-likelihood as
// null: results.json never holds NaN or Inf (which encoding/json rejects).
func (c CoxResult) MarshalJSON() ([]byte, error) {
	type plain CoxResult // without the method
	return json.Marshal(struct {
		plain
		LogLik0 *float64  `json:"loglik_null"`
		LogLik  *float64  `json:"loglik"`
		Terms   []CoxTerm `json:"terms"`
	}{plain(c), finite(c.LogLik0), finite(c.LogLik), c.Terms})
}

// CoxTerm is one row of cox.csv.
type CoxTerm struct {
	Term string `json:"term"` // TRTP:<arm>, a numeric covariate, or <column>:<level>
	// Reference is the level a dummy-coded term is compared with: the
	// reference arm for TRTP:<arm>, the reference level for <column>:<level>;
	// empty for a numeric covariate.
	Reference string `json:"reference,omitempty"`
	// Estimable is false when the fit did not give a finite, trustworthy
	// estimate (status not ok); the numbers are then written as null in
	// results.json and as empty cells in cox.csv.
	Estimable bool    `json:"estimable"`
	Coef      float64 `json:"coef"`
	HR        float64 `json:"hr"`
	SE        float64 `json:"se"`
	Z         float64 `json:"z"`
	PValue    float64 `json:"p_value"`
	HRLower   float64 `json:"hr_lower"`
	HRUpper   float64 `json:"hr_upper"`
	// RobustSE is the robust sandwich standard error (with a cluster);
	// nil without one.
	RobustSE *float64 `json:"robust_se,omitempty"`
}

// finite returns a pointer to v, or nil when v is NaN or infinite: the
// value results.json writes as null.
func finite(v float64) *float64 {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return nil
	}
	return &v
}

// MarshalJSON writes a term that is not estimable with null numbers.
func (t CoxTerm) MarshalJSON() ([]byte, error) {
	type plain CoxTerm
	if t.Estimable {
		return json.Marshal(plain(t))
	}
	return json.Marshal(struct {
		Term      string   `json:"term"`
		Reference string   `json:"reference,omitempty"`
		Estimable bool     `json:"estimable"`
		Coef      *float64 `json:"coef"`
		HR        *float64 `json:"hr"`
		SE        *float64 `json:"se"`
		Z         *float64 `json:"z"`
		PValue    *float64 `json:"p_value"`
		HRLower   *float64 `json:"hr_lower"`
		HRUpper   *float64 `json:"hr_upper"`
	}{Term: t.Term, Reference: t.Reference})
}

// FigureSettings are the plan's settings of an endpoint's figures
// (study.yaml endpoints[].figure) or of a figure of Results.Figures
// (study.yaml figures), carried to the plot stage.
type FigureSettings struct {
	XTicks []float64 `json:"x_ticks,omitempty"`
	XRange []float64 `json:"x_range,omitempty"`
	// YLabel is set in Results.Figures only (an endpoint's y label is
	// Endpoint.YLabel).
	YLabel      string `json:"y_label,omitempty"`
	Annotate    *bool  `json:"annotate,omitempty"`
	MedianLines *bool  `json:"median_lines,omitempty"`
	Test        string `json:"test,omitempty"`
}
