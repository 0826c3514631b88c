# Reference values for mc.RestrictedMean, from R survival's
# print(survfit(...), rmean = tau), i.e. survival:::survmean: the restricted
# mean ("rmean") and its standard error ("se(rmean)").
#
#   Rscript make_reference.R   (writes rmst_data.csv and rmst_reference.csv)
suppressPackageStartupMessages(library(survival))
# aml (Miller 1981): maintained arm and both arms pooled; ovarian; a small
# set whose last time is an event with n = d (S drops to 0) and tied times.
small <- data.frame(time = c(1, 2, 2, 3, 5, 5, 5, 8), status = c(1, 1, 0, 1, 0, 1, 1, 1))
sets <- list(
  aml_maintained = subset(aml, x == "Maintained")[, c("time", "status")],
  aml_all = aml[, c("time", "status")],
  ovarian = data.frame(time = ovarian$futime, status = ovarian$fustat),
  small = small
)
taus <- list(
  aml_maintained = c(10, 13, 30, 161, 200),
  aml_all = c(5, 23, 45, 100),
  ovarian = c(100, 365, 638, 1000, 1227),
  small = c(1, 1.5, 2, 5, 8, 10)
)
data <- do.call(rbind, lapply(names(sets), function(s) data.frame(set = s, sets[[s]])))
write.csv(data, "rmst_data.csv", row.names = FALSE)
ref <- do.call(rbind, lapply(names(sets), function(s) {
  fit <- survfit(Surv(time, status) ~ 1, data = sets[[s]])
  do.call(rbind, lapply(taus[[s]], function(tau) {
    tab <- summary(fit, rmean = tau)$table  # same numbers as print(fit, rmean = tau)
    data.frame(set = s, tau = tau, rmean = sprintf("%.15g", tab[["rmean"]]), se = sprintf("%.15g", tab[["se(rmean)"]]))
  }))
}))
write.csv(ref, "rmst_reference.csv", row.names = FALSE, quote = FALSE)
writeLines(c(R.version.string, paste("survival", packageVersion("survival"))), "R_version.txt")
