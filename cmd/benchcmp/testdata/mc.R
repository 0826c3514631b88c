# R side of the Monte Carlo comparison (benchcmp compare, task mc): a plain
# loop over simulated two-arm trials, each analysed with survdiff (log-rank)
# and coxph (Efron), on one core, as a statistician would write it. The
# design is cmd/power/examples/ketamine-vs-ssri.yaml: 100 per arm, SSRI
# median 35 days (exponential), hazard ratio 1.8 for ketamine, follow-up
# uniform on (42, 56) days, exponential dropout 0.004 a day.
#
#   Rscript mc.R TRIALS
#
# Prints the power of both tests ("key value" lines). R's random numbers
# differ from Go's, so the powers agree only up to Monte Carlo error.
args <- commandArgs(trailingOnly = TRUE)
trials <- if (length(args) >= 1) as.integer(args[1]) else 10000L
suppressPackageStartupMessages(library(survival))
set.seed(1)
n <- 100
rate0 <- log(2) / 35
rate <- c(rep(rate0, n), rep(rate0 * 1.8, n))
arm <- rep(0:1, each = n)
reject_lr <- 0
reject_cox <- 0
t0 <- proc.time()[["elapsed"]]
for (i in seq_len(trials)) {
  t <- rexp(2 * n, rate)
  cens <- pmin(runif(2 * n, 42, 56), rexp(2 * n, 0.004))
  time <- pmin(t, cens)
  status <- as.integer(t <= cens)
  lr <- survdiff(Surv(time, status) ~ arm)
  if (pchisq(lr$chisq, 1, lower.tail = FALSE) < 0.05) reject_lr <- reject_lr + 1
  fit <- coxph(Surv(time, status) ~ arm, ties = "efron")
  z <- coef(fit) / sqrt(vcov(fit)[1, 1])
  if (2 * pnorm(-abs(z)) < 0.05) reject_cox <- reject_cox + 1
}
cat("trials", trials, "\n")
cat("power_logrank", reject_lr / trials, "\n")
cat("power_cox", reject_cox / trials, "\n")
cat("loop_s", sprintf("%.3f", proc.time()[["elapsed"]] - t0), "\n")
