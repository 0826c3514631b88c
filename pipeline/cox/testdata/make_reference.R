# make_reference.R writes the test data sets and R survival's coxph reference
# values for package cox. Run from this directory:
#
#   Rscript make_reference.R
#
# Outputs (all committed):
#   sim.csv        simulated trial, 150 subjects, integer-day times with many ties
#   mono.csv       sim.csv with every event of arm "Esketamine" censored (monotone likelihood)
#   lung.csv       survival::lung, complete cases of time, status, age, sex, ph.ecog
#   reference.csv  case, quantity, term, value (sprintf("%.17g"); NA for R's NA)
#   warnings.txt   case <TAB> R warning text, one line per warning
suppressPackageStartupMessages(library(survival))

# ---- data ------------------------------------------------------------------
set.seed(20261125)
n <- 150
ARM <- sample(c("SSRI", "Ketamine", "Esketamine"), n, replace = TRUE)
AGE <- round(rnorm(n, 45, 12))
SEX <- sample(c("F", "M"), n, replace = TRUE)
STRATUM <- sample(1:3, n, replace = TRUE)
lin <- ifelse(ARM == "Ketamine", 0.7, ifelse(ARM == "Esketamine", 0.4, 0)) +
  0.02 * (AGE - 45) - 0.3 * (SEX == "M") + 0.2 * (STRATUM - 2)
evtime <- ceiling(rexp(n, rate = exp(lin) / 20))
cnstime <- sample(5:60, n, replace = TRUE)
AVAL <- pmin(evtime, cnstime)
CNSR <- as.integer(evtime > cnstime)
sim <- data.frame(USUBJID = sprintf("SIM-%03d", 1:n), AVAL, CNSR, ARM, AGE, SEX, STRATUM)
write.csv(sim, "sim.csv", row.names = FALSE, quote = FALSE)

mono <- sim
mono$CNSR[mono$ARM == "Esketamine"] <- 1L
write.csv(mono, "mono.csv", row.names = FALSE, quote = FALSE)

lungcc <- lung[complete.cases(lung[, c("time", "status", "age", "sex", "ph.ecog")]),
               c("time", "status", "age", "sex", "ph.ecog")]
write.csv(lungcc, "lung.csv", row.names = FALSE, quote = FALSE)

# Factor coding as the Go tests build it: control arm first (treatment contrasts).
prep <- function(d) {
  d$ARM <- factor(d$ARM, levels = c("SSRI", "Ketamine", "Esketamine"))
  d$SEX <- factor(d$SEX, levels = c("F", "M"))
  d$AGE2 <- 2 * d$AGE + 1
  d
}
sim <- prep(read.csv("sim.csv"))
mono <- prep(read.csv("mono.csv"))
lungcc <- read.csv("lung.csv")

# ---- fits ------------------------------------------------------------------
cases <- list(
  sim_efron          = quote(coxph(Surv(AVAL, 1 - CNSR) ~ ARM + AGE + SEX, data = sim)),
  sim_breslow        = quote(coxph(Surv(AVAL, 1 - CNSR) ~ ARM + AGE + SEX, data = sim, ties = "breslow")),
  sim_strata_efron   = quote(coxph(Surv(AVAL, 1 - CNSR) ~ ARM + AGE + SEX + strata(STRATUM), data = sim)),
  sim_strata_breslow = quote(coxph(Surv(AVAL, 1 - CNSR) ~ ARM + AGE + SEX + strata(STRATUM), data = sim, ties = "breslow")),
  sim_arm_efron      = quote(coxph(Surv(AVAL, 1 - CNSR) ~ ARM, data = sim)),
  lung_efron         = quote(coxph(Surv(time, status == 2) ~ age + sex + ph.ecog, data = lungcc)),
  lung_breslow       = quote(coxph(Surv(time, status == 2) ~ age + sex + ph.ecog, data = lungcc, ties = "breslow")),
  lung_strata_efron  = quote(coxph(Surv(time, status == 2) ~ age + ph.ecog + strata(sex), data = lungcc)),
  mono_efron         = quote(coxph(Surv(AVAL, 1 - CNSR) ~ ARM + AGE + SEX, data = mono)),
  mono_breslow       = quote(coxph(Surv(AVAL, 1 - CNSR) ~ ARM + AGE + SEX, data = mono, ties = "breslow")),
  singular_efron     = quote(coxph(Surv(AVAL, 1 - CNSR) ~ AGE + SEX + AGE2, data = sim)),
  maxiter2_efron     = quote(coxph(Surv(AVAL, 1 - CNSR) ~ ARM + AGE + SEX, data = sim, iter.max = 2))
)

num <- function(x) ifelse(is.na(x), "NA", sprintf("%.17g", x))
rows <- list()
warns <- character()
add <- function(case, quantity, term, value) {
  rows[[length(rows) + 1]] <<- data.frame(case = case, quantity = quantity, term = term,
                                          value = num(value))
}
calls <- character()
for (case in names(cases)) {
  w <- character()
  fit <- withCallingHandlers(eval(cases[[case]]),
    warning = function(cond) { w <<- c(w, conditionMessage(cond)); invokeRestart("muffleWarning") })
  for (msg in w) warns <- c(warns, paste0(case, "\t", gsub("[\t\n]", " ", msg)))
  calls <- c(calls, paste0(case, "\t", deparse1(cases[[case]])))
  s <- summary(fit)
  ct <- s$coefficients
  ci <- s$conf.int
  for (term in names(coef(fit))) {
    add(case, "coef", term, coef(fit)[term])
    add(case, "se", term, if (term %in% rownames(ct)) ct[term, "se(coef)"] else NA)
    add(case, "z", term, if (term %in% rownames(ct)) ct[term, "z"] else NA)
    add(case, "p", term, if (term %in% rownames(ct)) ct[term, "Pr(>|z|)"] else NA)
    add(case, "hr", term, if (term %in% rownames(ci)) ci[term, "exp(coef)"] else NA)
    add(case, "lower", term, if (term %in% rownames(ci)) ci[term, "lower .95"] else NA)
    add(case, "upper", term, if (term %in% rownames(ci)) ci[term, "upper .95"] else NA)
  }
  v <- fit$var
  tn <- names(coef(fit))
  for (i in seq_along(tn)) for (j in seq_along(tn)) add(case, "var", paste0(tn[i], ":", tn[j]), v[i, j])
  add(case, "loglik0", "", fit$loglik[1])
  add(case, "loglik", "", fit$loglik[2])
  # summary() rounds the Wald statistic to 2 decimals for printing: take
  # fit$wald.test (its p value in summary() is computed from the unrounded one).
  add(case, "waldtest_unrounded", "", fit$wald.test)
  for (tst in c("waldtest", "logtest", "sctest")) {
    add(case, tst, "", s[[tst]]["test"])
    add(case, paste0(tst, "_df"), "", s[[tst]]["df"])
    add(case, paste0(tst, "_p"), "", s[[tst]]["pvalue"])
  }
  add(case, "iter", "", fit$iter)
  add(case, "n", "", fit$n)
  add(case, "events", "", fit$nevent)
}
ref <- do.call(rbind, rows)
write.csv(ref, "reference.csv", row.names = FALSE, quote = FALSE)
writeLines(warns, "warnings.txt")
writeLines(calls, "calls.txt")
cat(R.version.string, "survival", as.character(packageVersion("survival")), "\n",
    file = "R_version.txt")
