// Package ipd provides one-stage and two-stage meta-analysis of individual
// participant data (IPD) from several randomized studies of a time-to-event
// endpoint, each comparing a treated arm with a control arm.
//
// The one-stage analysis (OneStage) is a Cox model stratified by study,
// each study with its own baseline hazard and one common treatment log
// hazard ratio, together with the likelihood-ratio test of the
// treatment-by-study interaction (heterogeneity of the treatment effect
// across studies). The two-stage analysis (TwoStage) fits a Cox model per
// study and pools the log hazard ratios with package meta (inverse
// variance weights; REML between-study variance by default).
//
// The numbers match R's survival package: coxph(Surv(time, status) ~ trt +
// strata(study)), coxph(Surv(time, status) ~ trt:factor(study) +
// strata(study)) and anova() of the two; and metafor's rma(yi, sei = sei,
// method = "REML") for the two-stage pooling. SAS: PROC PHREG with a
// STRATA study statement, and the interaction term trt*study.
package ipd
