// Package rmst provides the restricted mean survival time (RMST) and the
// restricted mean time lost (RMTL) of Kaplan–Meier curves up to a horizon
// tau, with Greenwood plug-in standard errors and Wald confidence
// intervals, and the unadjusted two-arm contrasts of survRM2's rmst2: the
// RMST difference, the RMST ratio and the RMTL ratio (log scale, delta
// method), each with its confidence interval and two-sided p-value.
//
// The curves are km.Curve values from km.KaplanMeier; the confidence level
// is the curves'. Per arm the numbers equal R survival's
//
//	print(survfit(Surv(time, status) ~ arm), rmean = tau)   # rmean, se(rmean)
//
// and the contrasts and the default horizon (DefaultTau) survRM2's
// rmst2(time, status, arm, tau) (Uno et al. 2014), whose formulas are
// transcribed in testdata/make_reference.R. Unlike rmst2, a horizon after
// an arm's last observation is not an error: the curve is extended flat, as
// R's survfit does, and CheckTau (and Comparison.Warnings) report it.
//
// Statuses (Estimate.Status, km.Contrast.Status) are km's: StatusOK,
// StatusZeroVariance, StatusZeroEstimate; a value a status makes undefined
// is NaN.
package rmst
