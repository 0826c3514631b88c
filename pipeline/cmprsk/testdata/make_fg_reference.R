# Reference values for FineGray (pipeline/cmprsk), from cmprsk::crr.
# Run from this directory after make_aj_reference.R (which writes mgus2_cr.csv):
#   Rscript make_fg_reference.R
# Writes
#   fg_sim.csv        simulated competing risks with whole-day times (ties),
#                     a binary and a continuous covariate
#   fg_reference.csv  summary(crr(...)) columns per data set, cause and term,
#                     with loglik, loglik.null, converged, and the var and
#                     invinf matrices (var_1 ... var_p, invinf_1 ... invinf_p)
# Numbers are written with sprintf("%.17g").
library(cmprsk)
num <- function(x) sprintf("%.17g", x)

cr <- read.csv("mgus2_cr.csv")

set.seed(20261204)
n <- 500
trt <- rbinom(n, 1, 0.5); score <- rnorm(n)
t1 <- rexp(n, exp(0.5 * trt - 0.3 * score) / 100); t2 <- rexp(n, 1 / 150)
cc <- runif(n, 0, 300)
time <- ceiling(pmin(t1, t2, cc))
status <- ifelse(cc < pmin(t1, t2), 0L, ifelse(t1 < t2, 1L, 2L))
sim <- data.frame(time = time, status = status, trt = trt, score = score)
write.csv(sim, "fg_sim.csv", row.names = FALSE, quote = FALSE)

out <- list()
add <- function(ds, cause, fit) {
  s <- summary(fit)
  p <- length(fit$coef)
  row <- data.frame(dataset = ds, cause = cause, term = names(fit$coef),
    coef = num(s$coef[, "coef"]), se = num(s$coef[, "se(coef)"]), z = num(s$coef[, "z"]),
    p = num(2 * pnorm(-abs(s$coef[, "z"]))),
    hr = num(s$conf.int[, 1]), lower = num(s$conf.int[, 3]), upper = num(s$conf.int[, 4]),
    loglik = num(fit$loglik), loglik.null = num(fit$loglik.null), converged = fit$converged)
  for (j in 1:p) row[[paste0("var_", j)]] <- num(fit$var[, j])
  for (j in 1:p) row[[paste0("invinf_", j)]] <- num(fit$invinf[, j])
  out[[length(out) + 1]] <<- row
}
time_crr <- function(expr) { t0 <- proc.time()[["elapsed"]]; force(expr); proc.time()[["elapsed"]] - t0 }
for (cause in 1:2) {
  # The R calls compared in the Go tests:
  add("mgus2_cr", cause, crr(cr$etime, cr$event, cbind(age = cr$age, sex = cr$sex), failcode = cause, cencode = 0))
  add("fg_sim", cause, crr(sim$time, sim$status, cbind(trt = sim$trt, score = sim$score), failcode = cause, cencode = 0))
}
# p-values are written as 2 * pnorm(-|z|): summary.crr rounds them with signif().
ref <- do.call(rbind, lapply(out, function(r) { r[setdiff(c(paste0("var_", 1:2), paste0("invinf_", 1:2)), names(r))] <- NA; r }))
write.csv(ref, "fg_reference.csv", row.names = FALSE, quote = FALSE)
