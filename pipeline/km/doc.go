// Package km provides the Kaplan–Meier (product-limit) estimator of a
// survival function for right-censored data, optionally with delayed entry
// (left truncation: Options.Entry), with Greenwood standard errors,
// pointwise confidence intervals ("log", "log-log", "plain") and
// Brookmeyer–Crowley confidence intervals for quantiles such as the median.
// From the same risk sets it gives the Nelson–Aalen cumulative hazard with
// the Aalen standard error (NelsonAalen, Curve.NelsonAalen) and milestone
// event rates 1 - S(t) (Curve.Milestone), compared between two arms by
// their difference and ratio (CompareMilestone). Contrast, WaldDifference
// and WaldRatio are the two-arm contrast type and its Wald and log-scale
// delta-method constructors, shared with package rmst. Values that cannot
// be estimated are NaN with a Status saying why (StatusBeyondFollowUp,
// StatusZeroVariance, StatusVarianceNotEstimable, StatusZeroEstimate).
//
// The numbers match R's survival package: survfit(Surv(time, status) ~ 1,
// conf.type = ...) — survfit(Surv(entry, time, status) ~ 1, ...) with
// delayed entry — summary(fit, censored = TRUE),
// quantile(fit, probs = ...), fit$cumhaz and fit$std.chaz (ctype = 1), and
// summary(fit, times = ...). The SAS equivalent is PROC LIFETEST
// (METHOD=KM, CONFTYPE=LOGLOG|LOG|LINEAR); SAS's default conf type is
// log-log, which is also this package's default, while R's default is log.
package km
