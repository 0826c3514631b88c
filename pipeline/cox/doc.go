// Package cox provides Cox proportional hazards regression for right-censored
// survival data, with Efron (default) or Breslow handling of tied event times,
// stratified baseline hazards, the Wald, likelihood-ratio and score tests, and
// explicit statuses for numerical trouble (non-convergence, monotone
// likelihood, singular information matrix).
//
// The fitting algorithm follows R survival's coxph.fit / coxfit6: Newton–Raphson
// from beta = 0 on centred and scaled covariates, step halving when the
// partial log-likelihood decreases, and convergence when the relative change in
// the log-likelihood is at most Options.Eps. Results agree with
//
//	coxph(Surv(time, status) ~ x1 + ... + strata(s), ties = "efron")
//
// to about 1e-13 relative on the reference data sets in testdata/ (1e-8 for a
// diverging coefficient under monotone likelihood); the tests require 1e-6. SAS PROC PHREG gives the same numbers with TIES=EFRON or
// TIES=BRESLOW (the SAS default).
package cox
