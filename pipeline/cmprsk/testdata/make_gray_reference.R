# Reference values for GrayTest (pipeline/cmprsk), from cmprsk::cuminc.
# Run from this directory after make_aj_reference.R (which writes mgus2_cr.csv):
#   Rscript make_gray_reference.R
# Writes
#   gray_sim.csv        simulated competing risks, 3 arms, 2 sites, whole-day times (ties)
#   gray_reference.csv  cuminc(...)$Tests per data set, grouping, strata and rho
# Numbers are written with sprintf("%.17g").
library(cmprsk)
num <- function(x) sprintf("%.17g", x)

cr <- read.csv("mgus2_cr.csv")
cr$old <- as.integer(cr$age >= 70)

set.seed(20261203)
n <- 400
arm <- sample(0:2, n, replace = TRUE)
site <- sample(1:2, n, replace = TRUE)
t1 <- rexp(n, c(1 / 100, 1 / 70, 1 / 130)[arm + 1]); t2 <- rexp(n, 1 / 150)
cc <- runif(n, 10, 300)
time <- ceiling(pmin(t1, t2, cc))
status <- ifelse(cc < pmin(t1, t2), 0L, ifelse(t1 < t2, 1L, 2L))
status[sample(n, 15)] <- 3L  # a third cause, rare
sim <- data.frame(time = time, status = status, arm = arm, site = site)
write.csv(sim, "gray_sim.csv", row.names = FALSE, quote = FALSE)

out <- list()
add <- function(ds, grp, strata, rho, tests) {
  out[[length(out) + 1]] <<- data.frame(dataset = ds, group = grp, strata = strata, rho = rho,
    cause = rownames(tests), stat = num(tests[, "stat"]), pv = num(tests[, "pv"]), df = tests[, "df"])
}
for (rho in c(0, 1)) {
  # The R calls compared in the Go tests:
  add("mgus2_cr", "sex", "none", rho, cuminc(cr$etime, cr$event, cr$sex, rho = rho)$Tests)
  add("mgus2_cr", "sex", "old", rho, cuminc(cr$etime, cr$event, cr$sex, strata = cr$old, rho = rho)$Tests)
  add("gray_sim", "arm", "none", rho, cuminc(sim$time, sim$status, sim$arm, rho = rho)$Tests)
  add("gray_sim", "arm", "site", rho, cuminc(sim$time, sim$status, sim$arm, strata = sim$site, rho = rho)$Tests)
}
write.csv(do.call(rbind, out), "gray_reference.csv", row.names = FALSE, quote = FALSE)
