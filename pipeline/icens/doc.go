// Package icens provides estimators for interval-censored event times, such
// as a response first seen at a visit and known only to have happened since
// the previous one: the Turnbull nonparametric maximum likelihood estimate
// (NPMLE) of the event-time distribution (Turnbull), its quantiles
// (NPMLE.Quantile), the k-sample weighted logrank tests of Sun (1996),
// Finkelstein (1986) and the Wilcoxon-type test of Fay (1996) in their
// asymptotic permutation form (WeightedLogrank), and the conversion of
// ADTTE rows (AVAL, ILOWER, IUPPER, CNSR) to intervals (FromADTTE).
//
// An observation is an interval (lower, upper]: lower = 0 is
// left-censored, upper = +Inf right-censored and lower = upper an exact
// time, as R's Surv(lower, upper, type = "interval2").
//
// The log-likelihood of masses p_j on the Turnbull intervals is
//
//	loglik(p) = sum_i log sum_j α_ij p_j     (α_ij = 1 if observation i contains interval j)
//
// maximised by a self-consistency (EM) iteration accelerated by SQUAREM and
// stopped by the Kuhn–Tucker conditions (see Turnbull and Options.Tol).
// Numerical trouble is a Status (NotConverged, NoEvents), not a NaN.
//
// The numbers match R: survfit(Surv(lower, upper, type = "interval2") ~ 1)
// of the survival package (with its EM tolerance tightened; its default
// stops about 1e-3 short on some data), and the interval package's
// ictest(..., method = "pclt") (Fay & Shaw 2010), whose published breast
// cosmesis results are reproduced in the tests. SAS: PROC ICLIFETEST.
//
// References: Turnbull (1976) JRSS B 38:290–295; Gentleman & Geyer (1994)
// Biometrika 81:618–623; Varadhan & Roland (2008) Scand J Stat 35:335–353;
// Finkelstein (1986) Biometrics 42:845–854; Sun (1996) Stat Med
// 15:1387–1395; Fay (1999) Stat Med 18:273–285; Fay & Shaw (2010) J Stat
// Softw 36(2).
package icens
