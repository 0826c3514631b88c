// Package cox provides Cox proportional hazards regression: right-censored
// or counting-process (delayed entry, time-varying covariates) data, Efron
// (default) or Breslow handling of tied event times, stratified baseline
// hazards, the Wald, likelihood-ratio and score tests, the robust sandwich
// variance clustered by subject or centre with its Wald and score tests,
// the cox.zph test of proportional hazards with scaled Schoenfeld residuals,
// and piecewise (per time interval) treatment hazard ratios. Numerical
// trouble (non-convergence, monotone likelihood, singular information
// matrix) is an explicit status, never a silent NaN.
//
// The entry points are
//
//	CoxPH(time, event, x, names, strata, Options{...})  coxph(Surv(time, status) ~ x + strata(s))
//	  Options.Entry                                      coxph(Surv(entry, time, status) ~ ...)
//	  Options.Cluster / Options.Robust                   coxph(..., cluster = id) / coxph(..., robust = TRUE)
//	ZPH(fit, time, event, x, strata, opt, transform)    cox.zph(fit, transform, terms = FALSE)
//	SplitAt(entry, time, event, cuts)                   survSplit(..., cut = cuts, episode = "tgroup")
//	Piecewise(time, event, trt, name, x, names, strata, cuts, opt)
//	                                                    coxph(Surv(tstart, time, event) ~ trt:strata(tgroup) + x)
//
// Times get R's aeqSurv fix (package survtime) as coxph applies it: times
// equal to within sqrt(machine epsilon) are tied (entry and exit times
// jointly).
//
// The fitting algorithm follows R survival's coxph.fit / coxfit6 (agreg.fit /
// agfit4 with entry times): Newton–Raphson from beta = 0 on centred and
// scaled covariates, step halving when the partial log-likelihood decreases,
// and convergence when the relative change in the log-likelihood is at most
// Options.Eps. Results agree with R 4.2.2, survival 3.5.3 (coxph, cox.zph,
// survSplit) to about 1e-12 relative on the reference data sets in testdata/
// (survival's lung and heart, and a simulated trial; 1e-8 for a diverging
// coefficient under monotone likelihood); the tests require 1e-6. SAS PROC
// PHREG gives the same fits with TIES=EFRON or TIES=BRESLOW (the SAS
// default), COVS(AGGREGATE) with an ID statement for the robust variance,
// and (start, stop) counting-process syntax for delayed entry.
package cox
