// Package logrank provides the k-sample log-rank test for right-censored
// data, optionally stratified, with the same numbers as R's
// survival::survdiff (rho = 0) and SAS PROC LIFETEST's STRATA ... /
// TEST=LOGRANK (GROUP= for the stratified test).
package logrank
