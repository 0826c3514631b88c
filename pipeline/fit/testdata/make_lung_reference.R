# Reference values for the regression tests of R's lung data as a new user
# would bring it: exported with write.csv, so missing cells are written NA.
# Run from this folder: Rscript make_lung_reference.R
# Writes lung_adtte.csv (the input) and lung_reference.csv (the values).
suppressPackageStartupMessages(library(survival))
d <- survival::lung
adtte <- data.frame(
  STUDYID = "LUNG", USUBJID = sprintf("L%03d", seq_len(nrow(d))),
  TRTP = ifelse(d$sex == 1, "MALE", "FEMALE"), PARAMCD = "OS",
  AVAL = d$time, CNSR = ifelse(d$status == 2, 0, 1),
  AGE = d$age, PHECOG = d$ph.ecog,
  ECOG = ifelse(is.na(d$ph.ecog), NA, paste0("ECOG", d$ph.ecog)),
  WTLOSS = d$wt.loss, INST = d$inst)
write.csv(adtte, "lung_adtte.csv", row.names = FALSE)  # NA cells as NA

x <- read.csv("lung_adtte.csv")
out <- list()
add <- function(what, value) out[[length(out) + 1]] <<- data.frame(what = what, value = value)
# Unadjusted log-rank test on every row (survdiff uses all 228).
sd <- survdiff(Surv(AVAL, 1 - CNSR) ~ TRTP, data = x)
add("logrank_chisq", sd$chisq); add("logrank_n", sum(sd$n)); add("logrank_observed_FEMALE", sd$obs[1])
# Fleming-Harrington G(1,0): survdiff(rho = 1).
add("fh10_chisq", survdiff(Surv(AVAL, 1 - CNSR) ~ TRTP, data = x, rho = 1)$chisq)
# Cox with a categorical covariate that has NA: na.omit leaves 227 rows.
f <- coxph(Surv(AVAL, 1 - CNSR) ~ TRTP + AGE + ECOG, data = x, ties = "efron")
add("cox_n", f$n); add("cox_events", f$nevent)
for (nm in names(coef(f))) add(paste0("coef_", nm), coef(f)[[nm]])
for (nm in names(coef(f))) add(paste0("se_", nm), sqrt(diag(f$var))[which(names(coef(f)) == nm)])
add("cox_loglik", f$loglik[2])
# Numeric covariates with NA (WTLOSS): 214 complete rows.
g <- coxph(Surv(AVAL, 1 - CNSR) ~ TRTP + AGE + WTLOSS, data = x, ties = "efron")
add("cox2_n", g$n)
for (nm in names(coef(g))) add(paste0("cox2_coef_", nm), coef(g)[[nm]])
# Robust SE clustered by institution (INST has one NA: 226 rows), and
# cox.zph with the km transform on that fit.
h <- coxph(Surv(AVAL, 1 - CNSR) ~ TRTP + AGE + ECOG, data = x, ties = "efron", cluster = INST)
add("cox3_n", h$n)
for (nm in names(coef(h))) add(paste0("cox3_robust_se_", nm), sqrt(diag(h$var))[which(names(coef(h)) == nm)])
z <- cox.zph(h, transform = "km", terms = FALSE)
for (nm in rownames(z$table)) add(paste0("zph_chisq_", nm), z$table[nm, "chisq"])
# Piecewise: survSplit at 180 and 365 days, a treatment effect per interval.
s <- survSplit(Surv(AVAL, 1 - CNSR) ~ ., data = x, cut = c(180, 365), episode = "tgroup")
s$MALE <- as.numeric(s$TRTP == "MALE")
p <- coxph(Surv(tstart, AVAL, event) ~ MALE:strata(tgroup), data = s, ties = "efron")
for (k in 1:3) add(paste0("piecewise_coef_", k), coef(p)[[k]])
# Treatment-by-subgroup interaction (subgroup ECOG): LR test.
i0 <- coxph(Surv(AVAL, 1 - CNSR) ~ TRTP + AGE + ECOG, data = x)
i1 <- coxph(Surv(AVAL, 1 - CNSR) ~ TRTP + AGE + ECOG + TRTP:ECOG, data = x)
a <- anova(i0, i1)
add("interaction_ECOG_chisq", a$Chisq[2]); add("interaction_ECOG_df", a$Df[2])
# Weibull AFT: survreg on the complete cases of AGE.
w <- survreg(Surv(AVAL, 1 - CNSR) ~ TRTP + AGE, data = x, dist = "weibull")
for (nm in names(coef(w))) add(paste0("aft_coef_", nm), coef(w)[[nm]])
add("aft_scale", w$scale); add("aft_loglik", w$loglik[2])
add("aft_median_FEMALE", predict(w, newdata = data.frame(TRTP = "FEMALE", AGE = mean(x$AGE)), type = "quantile", p = 0.5))

# Competing risks on survival's mgus2 (the compete vignette's coding):
# progression (PCM) competes with death; written as an ADTTE with EVNTTYPE.
m <- survival::mgus2
etime <- with(m, ifelse(pstat == 1, ptime, futime))
ev <- with(m, ifelse(pstat == 1, 1, 2 * death))
cr <- data.frame(STUDYID = "MGUS2", USUBJID = sprintf("M%04d", m$id), TRTP = ifelse(m$sex == "M", "MALE", "FEMALE"),
  PARAMCD = "PCM", AVAL = etime, CNSR = ifelse(ev == 0, 1, 0),
  EVNTTYPE = ifelse(ev == 1, "PCM", ifelse(ev == 2, "DEATH", "")), AGE = m$age)
write.csv(cr, "mgus2_adtte.csv", row.names = FALSE, na = "")
suppressPackageStartupMessages(library(cmprsk))
ci <- cuminc(cr$AVAL, ev, cr$TRTP)
add("gray_PCM", ci$Tests[1, "stat"]); add("gray_DEATH", ci$Tests[2, "stat"])
fg <- crr(cr$AVAL, ev, cbind(MALE = as.numeric(cr$TRTP == "MALE"), AGE = cr$AGE), failcode = 1, cencode = 0)
add("crr_coef_MALE", fg$coef[1]); add("crr_coef_AGE", fg$coef[2]); add("crr_se_MALE", sqrt(diag(fg$var))[1])
aj <- survfit(Surv(AVAL, factor(ev, 0:2, c("censored", "PCM", "DEATH"))) ~ TRTP, data = cr)
s <- summary(aj, times = 120)
add("cif120_FEMALE_PCM", s$pstate[1, 2]); add("cif120_MALE_DEATH", s$pstate[2, 3])
write.csv(do.call(rbind, out), "lung_reference.csv", row.names = FALSE)
writeLines(c(R.version.string, paste("survival", packageVersion("survival"))), "lung_R_version.txt")
