// Package cmprsk provides estimators for competing risks and multi-state
// data: Aalen–Johansen state occupation probabilities for any transition
// structure (AalenJohansen) and cumulative incidence functions
// (CumulativeIncidence) with infinitesimal-jackknife standard errors,
// pointwise confidence intervals and restricted mean time in state; Gray's
// K-sample test of cumulative incidence (GrayTest); and the Fine–Gray
// proportional subdistribution hazards model (FineGray).
//
// # Aalen–Johansen
//
// At each time t with transitions, the row vector of state occupation
// probabilities is multiplied by the stochastic matrix of the observed
// transition proportions:
//
//	p(t) = p(t-) H(t),   H_jk = d_jk/n_j (k ≠ j),   H_jj = 1 - Σ_k d_jk/n_j
//
// For competing risks (one initial state, one absorbing state per cause)
// p_k(t) is the cumulative incidence F_k(t) = Σ_{t_j <= t} Ŝ(t_j-) d_kj/n_j.
// For not responding → response → relapse, p_response(t) is Temkin's (1978)
// probability of being in response. The standard error is survival's
// infinitesimal jackknife, computed in O(n log n) (see AalenJohansen), and
// the limits are on the log scale by default, as R's survfit for
// multi-state data (conf.type = "log"). Numbers match
//
//	survfit(Surv(time, factor(status, 0:K)) ~ 1)
//	survfit(Surv(tstart, tstop, state) ~ 1, id = id, istate = istate)
//	print(fit, rmean = tau)    # with influence = TRUE for se(rmean)
//
// from R's survival 3.5 to about 1e-12 on the reference data in testdata.
//
// # Gray's test
//
// For each cause, the score of group k compares its estimated
// subdistribution hazard with the pooled one, weighted by (1 - F̂(t-))^ρ:
//
//	s_k = Σ_t (1 - F̂⁰(t-))^ρ { d_1k(t) - d_1(t) R_k(t) / Σ_r R_r(t) },
//	R_k(t) = Y_k(t) (1 - F̂_k(t-)) / Ŝ_k(t-)
//
// and s'V⁻¹s is chi-squared on (groups - 1) df, V as in Gray (1988) and
// cmprsk's crstm.f; strata add their scores and variances. It matches
// cmprsk::cuminc(ftime, fstatus, group, strata, rho)$Tests.
//
// # Fine–Gray
//
// The subdistribution hazard of cause 1 is λ₁(t | x) = λ₁₀(t) exp(βᵀx).
// β maximises the log pseudo-likelihood whose risk set keeps subjects with
// a competing failure, weighted by the censoring distribution G:
//
//	ℓ(β) = Σ_{cause i} { βᵀx_i - log Σ_j r_j(t_i) exp(βᵀx_j) },
//	r_j(s) = 1 (t_j >= s),  G(s-)/G(t_j-) (t_j < s, competing failure),  0 otherwise
//
// The sums over the risk set are running sums over the data sorted by time
// (the forward–backward scan of Kawaguchi et al. 2021), so a Newton step
// costs O(n p²) instead of crr's O(n²); the sandwich variance of Fine & Gray
// (1999) is computed the same way. It matches cmprsk::crr(ftime, fstatus,
// cov1, failcode, cencode = 0) and summary(fit).
//
// # Errors and statuses
//
// Caller mistakes (slices of different lengths, an invalid option) panic.
// Bad data (a status code out of range, an entry not before its time, rows
// of a subject that overlap or leave a gap) is an error that says what is
// wrong. Numerical trouble is a Status on the result: StatusNoEvents,
// StatusSingular, StatusNotConverged (StatusOK otherwise).
//
// # References
//
//   - Aalen OO, Johansen S (1978) An empirical transition matrix for
//     non-homogeneous Markov chains based on censored observations. Scand J
//     Statist 5:141–150.
//   - Temkin NR (1978) An analysis for transient states with application to
//     tumor shrinkage. Biometrics 34:571–580.
//   - Gray RJ (1988) A class of K-sample tests for comparing the cumulative
//     incidence of a competing risk. Ann Statist 16:1141–1154.
//   - Fine JP, Gray RJ (1999) A proportional hazards model for the
//     subdistribution of a competing risk. JASA 94:496–509.
//   - Kawaguchi ES, Shih JH, Suchard MA, Zhou Z (2021) Scalable algorithms
//     for large competing risks data. J Comput Graph Stat 30:685–693.
//   - Therneau T, Crowson C, Atkinson E. Multi-state models and competing
//     risks (vignette of R's survival package).
package cmprsk
