# R side of `benchcmp compare` (make bench): the same work as the fit
# command lines it is timed against, in a fresh R process, timed as a whole
# by the caller (/usr/bin/time or wait4 rusage: wall clock, CPU and peak
# resident set size).
#
#   Rscript bench.R cox      FILE  read.csv + coxph(Efron) on arm, age, sex, baseline score
#                                  (fit -methods cox -covariates AGE,SEX,BASEMADRS)
#   Rscript bench.R kmlr     FILE  read.csv + survfit by arm + survdiff by arm
#                                  (fit -methods km,tests)
#   Rscript bench.R aft      FILE  read.csv + survreg(dist = "weibull") on the same four terms
#                                  (fit -methods aft -aft weibull -covariates AGE,SEX,BASEMADRS)
#   Rscript bench.R finegray FILE  read.csv + cmprsk::crr for RESPONSE, DROPOUT competing,
#                                  on the same four terms, with crr's default variance = TRUE
#                                  (fit -methods finegray -event-column EVNTTYPE
#                                   -event-of-interest RESPONSE -covariates AGE,SEX,BASEMADRS)
#
# It prints the estimates on stdout, one "key value..." line each, under the
# keys benchcmp reads from fit's tables (coef, se, lr, loglik, median,
# chisq, rows), then the phase times (proc.time, elapsed seconds) and the
# versions.
args <- commandArgs(trailingOnly = TRUE)
tasks <- c("cox", "kmlr", "aft", "finegray")
if (length(args) != 2 || !(args[1] %in% tasks))
  stop("usage: Rscript bench.R cox|kmlr|aft|finegray FILE")
task <- args[1]
file <- args[2]
suppressPackageStartupMessages(library(survival))
t0 <- proc.time()[["elapsed"]]
d <- read.csv(file)
t1 <- proc.time()[["elapsed"]]
d$TRTP <- factor(d$TRTP)  # control arm ESCITALOPRAM sorts first
num <- function(x) sprintf("%.10g", x)
if (task == "cox") {
  fit <- coxph(Surv(AVAL, 1 - CNSR) ~ TRTP + AGE + SEX + BASEMADRS, data = d, ties = "efron")
  t2 <- proc.time()[["elapsed"]]
  cat("coef", num(coef(fit)), "\n")
  cat("lr", num(2 * diff(fit$loglik)), "\n")
} else if (task == "kmlr") {
  km <- survfit(Surv(AVAL, 1 - CNSR) ~ TRTP, data = d)
  lr <- survdiff(Surv(AVAL, 1 - CNSR) ~ TRTP, data = d)
  t2 <- proc.time()[["elapsed"]]
  cat("median", num(summary(km)$table[, "median"]), "\n")
  cat("chisq", num(lr$chisq), "\n")
} else if (task == "aft") {
  fit <- survreg(Surv(AVAL, 1 - CNSR) ~ TRTP + AGE + SEX + BASEMADRS, data = d, dist = "weibull")
  t2 <- proc.time()[["elapsed"]]
  cat("coef", num(c(coef(fit), log(fit$scale))), "\n")
  cat("loglik", num(fit$loglik[2]), "\n")
} else {
  suppressPackageStartupMessages(library(cmprsk))
  status <- ifelse(d$CNSR == 1, "censored", d$EVNTTYPE)
  x <- model.matrix(~ TRTP + AGE + SEX + BASEMADRS, d)[, -1]
  fit <- crr(d$AVAL, status, x, failcode = "RESPONSE", cencode = "censored")
  t2 <- proc.time()[["elapsed"]]
  cat("coef", num(fit$coef), "\n")
  cat("se", num(sqrt(diag(fit$var))), "\n")
}
cat("rows", nrow(d), "\n")
cat("read_s", sprintf("%.3f", t1 - t0), "\n")
cat("analysis_s", sprintf("%.3f", t2 - t1), "\n")
cat("R", R.version$major, R.version$minor, "survival", as.character(packageVersion("survival")), "\n")
