// Package aft provides parametric accelerated failure time (AFT) models
// equal to R survival's survreg: the location-scale model
//
//	log T = x'beta + sigma W
//
// with exponential, Weibull, log-normal and log-logistic T, for right-,
// left- and interval-censored times (R's Surv(L, R, type = "interval2")),
// and the generalized gamma distribution of Prentice (1974), which nests
// the Weibull (Q = 1) and the log-normal (Q = 0).
//
// Fit returns a Model with the coefficients, log(scale), their Wald
// statistics and variance (R's summary(fit)$table and fit$var), the
// log-likelihoods of the model and of the intercept-only model, AIC, time
// ratios with confidence intervals, iterations and an explicit Status for
// numerical trouble. Model.At gives the fitted distribution of T for a
// covariate vector (a value with Survival, CDF, Hazard, Quantile, Prob and
// LogProb methods, in the style of gonum's distuv); PredictQuantile gives
// quantiles with delta-method standard errors as
// predict(fit, type = "quantile", se.fit = TRUE); SurvivalCurve gives S(t)
// with pointwise intervals.
//
// Estimates agree with survreg to about 1e-9 relative (and iteration counts
// are the same) on the reference data sets in testdata/; the tests require
// 1e-6.
package aft
