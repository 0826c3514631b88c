// Package fit is the modelling stage of the pipeline: for every endpoint
// (PARAMCD) of an ADTTE table it estimates the Kaplan–Meier curve of each arm
// with Greenwood variance and confidence intervals, the quartiles with
// Brookmeyer–Crowley intervals, the k-sample log-rank test and a Cox
// proportional-hazards model of treatment (plus optional covariates and
// strata), and writes km.csv, quantiles.csv, tests.csv, cox.csv and
// results.json (columns in reports/README.md).
//
// # Conventions
//
//   - CNSR: 0 = event, 1 = censored (ADaM). AVAL in days.
//   - Confidence intervals: log-log by default, as SAS PROC LIFETEST
//     (CONFTYPE=LOGLOG); R survfit's default is log. Level 0.95.
//   - Ties in Cox: Efron by default, as R coxph; SAS PROC PHREG defaults to
//     Breslow.
//   - Reference arm: Options.Control, else the study's control arm, else the
//     first TRTP in sorted (byte) order.
//   - Covariates: a column whose non-empty values all parse as numbers is
//     numeric; any other column is categorical, dummy-coded against its first
//     level in sorted order, as R does for a character column. Rows with an
//     empty covariate or stratum are left out of the log-rank test and the
//     Cox model (R's na.omit), and the number left out is reported.
//   - Strata: a stratified log-rank test (survdiff with strata()) and a
//     stratified Cox model (coxph with strata()).
//
// # Numerical trouble
//
// An endpoint whose analysis meets trouble — an arm without events, a Cox
// fit that does not converge, a monotone likelihood, a singular information
// matrix, fewer than two arms, a log-rank test or Cox model that cannot be
// computed or is not finite (not_estimable) — gets an explicit status (one of
// study.Statuses) with messages. Numbers that are not estimable are never
// printed: their cells are empty. schema.Results.Err reports every status that the
// plan does not allow, so that the make target fails. Analyze returns an
// error wrapping ErrNoRows for a table without accepted rows.
package fit
