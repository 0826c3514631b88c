// Package meta provides two-stage meta-analysis of study estimates given on
// an analysis scale (a log hazard ratio, a log risk ratio, a difference)
// with their standard errors: the inverse-variance fixed-effect model and
// the random-effects model with the DerSimonian–Laird, REML and
// Paule–Mandel between-study variance τ², the Hartung–Knapp–Sidik–Jonkman
// (HKSJ) adjustment, Cochran's Q test, I² and H², the Q-profile confidence
// interval for τ² (with the I² and H² intervals it implies), the prediction
// interval, leave-one-out sensitivity analysis (LeaveOneOut) and Egger's
// regression test for funnel-plot asymmetry (Egger). FromRatio turns a
// published ratio with its 95% CI into the log-scale estimate and standard
// error, and Result.Ratio turns a pooled log-scale result back. Forest draws
// a forest plot with gonum/plot.
//
// The numbers match R's metafor package (version 3.8-1):
// rma(yi, vi, method = "FE" | "DL" | "REML" | "PM", test = "z" | "knha"),
// confint(fit), predict(fit), leave1out(fit) and
// regtest(yi, vi, model = "lm", predictor = "sei"). SAS has no built-in
// equivalent; PROC MIXED with the sampling variances fixed (PARMS /
// HOLD=) gives the REML fit.
//
// Values that do not apply are NaN with the reason documented at the field
// (for example the τ² interval of a fixed-effect model); numerical trouble
// is a Status (StatusNotConverged, StatusTooFewStudies), never a silent NaN.
package meta
