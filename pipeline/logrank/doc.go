// Package logrank provides the k-sample log-rank test and the weighted
// log-rank family for right-censored data, optionally stratified and
// optionally with delayed entry (left truncation), and the MaxCombo test of
// Lin et al. (2020) for two groups.
//
//   - LogRank: the log-rank test, with the same numbers as R's
//     survival::survdiff (rho = 0) and SAS PROC LIFETEST's STRATA ... /
//     TEST=LOGRANK (GROUP= for the stratified test).
//   - Weighted: the weighted tests (Weight: logrank, Fleming–Harrington
//     fh:ρ:γ, peto_peto, gehan, tarone_ware) from one sort of the data, with
//     Data.Entry for delayed entry; fh:ρ:0 is survdiff(..., rho = ρ) number
//     for number, and the SAS equivalents are TEST=FLEMING(ρ,γ), PETO,
//     WILCOXON and TARONE.
//   - MaxCombo: the maximum of the standardized G(0,0), G(1,0), G(0,1),
//     G(1,1) statistics with two- and one-sided p-values from their joint
//     normal distribution, integrated deterministically (about 1e-11).
//   - ParseTest: the public test names of an analysis plan ("logrank",
//     "fh:1:0", "peto_peto", "gehan", "tarone_ware", "maxcombo"); Test.String
//     gives the canonical name back.
//
// Times (and entry times, jointly) are tied as R's aeqSurv ties them
// (package survtime). Data problems are returned as errors, matching
// ErrTooFewGroups, ErrNoEvents or ErrZeroVariance where a caller may branch;
// numerical trouble in MaxCombo is reported in MaxComboResult.Status.
package logrank
