// Package km provides the Kaplan–Meier (product-limit) estimator of a
// survival function for right-censored data, optionally with delayed entry
// (left truncation: Options.Entry), with Greenwood standard errors,
// pointwise confidence intervals ("log", "log-log", "plain") and
// Brookmeyer–Crowley confidence intervals for quantiles such as the median.
//
// The numbers match R's survival package: survfit(Surv(time, status) ~ 1,
// conf.type = ...) — survfit(Surv(entry, time, status) ~ 1, ...) with
// delayed entry — summary(fit, censored = TRUE) and
// quantile(fit, probs = ...). The SAS equivalent is PROC LIFETEST
// (METHOD=KM, CONFTYPE=LOGLOG|LOG|LINEAR); SAS's default conf type is
// log-log, which is also this package's default, while R's default is log.
package km
