// Package cmprsk provides estimators for competing risks and multi-state
// data: Aalen–Johansen state occupation probabilities for an arbitrary
// transition structure (AalenJohansen) and cumulative incidence functions
// (CumulativeIncidence), with infinitesimal-jackknife standard errors,
// pointwise confidence intervals and restricted mean time in state.
//
// The numbers match R's survival package (multi-state survfit, survival
// 3.5): survfit(Surv(time, factor(status)) ~ 1) and survfit(Surv(tstart,
// tstop, state) ~ 1, id = id, istate = ...), with print(fit, rmean = tau).
//
// Estimators take column slices of numbers and know nothing of files; they
// return errors for bad data and explicit statuses for numerical trouble.
package cmprsk
