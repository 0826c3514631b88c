// Package cure provides mixture cure models for right-censored data: a
// logistic model for the fraction that eventually has the event (for a
// time-to-response endpoint, the responder fraction: "how many respond")
// and a Weibull or log-normal accelerated failure time model for the time
// to the event among them (the latency: "how fast"),
//
//	S(t | z, x) = 1 - π(z) + π(z) S_u(t | x)
//	logit π(z)  = γ_0 + z'γ
//	log T       = β_0 + x'β + σ W     (among the susceptible)
//
// fitted by full maximum likelihood (Fit), with standard errors from the
// observed information, per-profile summaries with delta-method intervals
// (Model.Summary), fitted curves with the methods of gonum's distuv
// distributions (Curve: Survival, CDF, Prob, Hazard, Quantile), and a check
// that the data identify a cure fraction at all: the Kaplan–Meier plateau
// per arm and the Maller–Zhou test of sufficient follow-up (PlateauTest).
// Bootstrap gives seeded, parallel, stratified bootstrap standard errors
// and percentile intervals that do not depend on the number of workers.
//
// The model is Farewell's (1982) parametric mixture; Peng & Dear (2000) and
// R's smcure (Cai et al. 2012) fit the mixture with a semiparametric latency
// by EM. Results agree with a base-R maximisation
// of the same likelihood (optim BFGS, reltol 1e-14, then optimHess) to
// about 1e-10 relative on survival's colon data and on a simulated trial
// (testdata/make_reference.R); the tests require 1e-6.
//
// Numerical trouble is reported in Model.Status, never as an error:
// "no_plateau" (the cure fraction is not identified by the data),
// "not_estimable" (singular information, or an estimate at π = 0 or 1),
// "not_converged". Data that cannot be fitted (no subjects, no events,
// non-positive or non-finite times, non-finite covariates) is an error.
package cure
