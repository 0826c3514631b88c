# R side of `benchcmp compare` (make bench): the same work as `benchcmp task`,
# in a fresh R process, timed as a whole by the caller (/usr/bin/time -v or
# wait4 rusage: wall clock and peak resident set size).
#
#   Rscript bench.R cox  FILE   read.csv + coxph(Efron) on arm, age, sex, baseline score
#   Rscript bench.R kmlr FILE   read.csv + survfit by arm + survdiff by arm
#
# It prints the phase times (proc.time, elapsed seconds) and the estimates on
# stdout, one "key value" pair a line, so the caller can check that both
# programs computed the same numbers.
args <- commandArgs(trailingOnly = TRUE)
if (length(args) != 2 || !(args[1] %in% c("cox", "kmlr")))
  stop("usage: Rscript bench.R cox|kmlr FILE")
task <- args[1]
file <- args[2]
suppressPackageStartupMessages(library(survival))
t0 <- proc.time()[["elapsed"]]
d <- read.csv(file)
t1 <- proc.time()[["elapsed"]]
d$TRTP <- factor(d$TRTP)  # control arm ESCITALOPRAM sorts first
if (task == "cox") {
  fit <- coxph(Surv(AVAL, 1 - CNSR) ~ TRTP + AGE + SEX + BASEMADRS, data = d, ties = "efron")
  t2 <- proc.time()[["elapsed"]]
  cat("coef", sprintf("%.10g", coef(fit)), "\n")
  cat("loglik", sprintf("%.10g", fit$loglik[2]), "\n")
} else {
  km <- survfit(Surv(AVAL, 1 - CNSR) ~ TRTP, data = d)
  lr <- survdiff(Surv(AVAL, 1 - CNSR) ~ TRTP, data = d)
  t2 <- proc.time()[["elapsed"]]
  cat("median", sprintf("%.10g", summary(km)$table[, "median"]), "\n")
  cat("chisq", sprintf("%.10g", lr$chisq), "\n")
}
cat("rows", nrow(d), "\n")
cat("read_s", sprintf("%.3f", t1 - t0), "\n")
cat("analysis_s", sprintf("%.3f", t2 - t1), "\n")
cat("R", R.version$major, R.version$minor, "survival", as.character(packageVersion("survival")), "\n")
