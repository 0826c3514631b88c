package schema

// AFTSection is the section of methods aft (right-censored) and ic_aft
// (interval-censored from ILOWER/IUPPER): one fitted model per
// distribution.
type AFTSection struct {
	Models []AFTModel `json:"models"`
	// Profile says at which covariate values the per-arm curves and
	// quantiles are computed.
	Profile string `json:"profile"`
	// Best is the distribution with the smallest AIC among the models with
	// status ok; empty when none.
	Best string `json:"best,omitempty"`
}

// AFTModel is one accelerated-failure-time model (a row of
// aft_models.csv, its terms in aft.csv, its per-arm quantiles and
// curves).
type AFTModel struct {
	Dist     string   `json:"dist"`
	Status   string   `json:"status"`
	Messages []string `json:"messages,omitempty"`
	N        int      `json:"n"`
	Events   int      `json:"events"`
	// Counts of the observations by kind (interval-censored fits).
	Exact, Right, Left, Interval int
	LogLik                       *float64      `json:"loglik"`
	DF                           int           `json:"df"`
	AIC                          *float64      `json:"aic"`
	Scale                        *float64      `json:"scale"`
	Q                            *float64      `json:"q,omitempty"` // generalized gamma shape
	Iterations                   int           `json:"iterations"`
	Terms                        []AFTTerm     `json:"terms"`
	Quantiles                    []AFTQuantile `json:"quantiles"`
	Curves                       []AFTCurvePt  `json:"curves"`
}

// AFTTerm is one row of aft.csv: a coefficient on the log-time scale, as
// survreg names it ((Intercept), TRTP:<arm>, covariates, Log(scale)), with
// the time ratio exp(coef) for location terms.
type AFTTerm struct {
	Term      string   `json:"term"`
	Reference string   `json:"reference,omitempty"`
	Coef      *float64 `json:"coef"`
	SE        *float64 `json:"se"`
	Z         *float64 `json:"z"`
	PValue    *float64 `json:"p_value"`
	TimeRatio *float64 `json:"time_ratio,omitempty"`
	TRLower   *float64 `json:"time_ratio_lower,omitempty"`
	TRUpper   *float64 `json:"time_ratio_upper,omitempty"`
}

// AFTQuantile is a quantile of the fitted distribution for an arm, with
// its delta-method CI (predict(survreg, type = "quantile", se.fit = TRUE)).
type AFTQuantile struct {
	Arm      string   `json:"arm"`
	Quantile float64  `json:"quantile"`
	Time     *float64 `json:"time"`
	SE       *float64 `json:"se"`
	Lower    *float64 `json:"lower"`
	Upper    *float64 `json:"upper"`
}

// AFTCurvePt is a point of an arm's fitted S(t) with its pointwise CI,
// for overlay on the Kaplan–Meier curve.
type AFTCurvePt struct {
	Arm   string   `json:"arm"`
	Time  float64  `json:"time"`
	Surv  float64  `json:"surv"`
	Lower *float64 `json:"lower"`
	Upper *float64 `json:"upper"`
}
