# Reference values for package rmst (pipeline/rmst), from R's survival
# package and a transcription of survRM2's formulas (survRM2 is not
# installable here). Run from this directory:  Rscript make_reference.R
# Writes the input data sets (aml.csv, veteran.csv, lung.csv: columns time,
# status 0/1, arm 0/1) and
#   rmst_arms.csv       per arm and tau: rmean and se(rmean) of
#                       summary(survfit(...), rmean = tau), RMTL and 95% CIs;
#                       beyond: tau after the arm's last time with S > 0 there
#   rmst_contrasts.csv  per data set and tau: survRM2 rmst2's unadjusted
#                       contrasts (arm 1 vs arm 0) and its default tau
# Numbers are written with sprintf("%.17g"); NA is written as NA.
library(survival)

num <- function(x) ifelse(is.na(x), "NA", sprintf("%.17g", x))

# survival::aml, arm 1 = nonmaintained; survival::veteran, arm = trt - 1;
# survival::lung, arm = sex - 1 (status 2 = dead).
aml2 <- data.frame(time = aml$time, status = aml$status,
                   arm = as.integer(aml$x == "Nonmaintained"))
vet <- data.frame(time = veteran$time, status = veteran$status, arm = veteran$trt - 1L)
lung2 <- data.frame(time = lung$time, status = as.integer(lung$status == 2), arm = lung$sex - 1L)
datasets <- list(aml = aml2, veteran = vet, lung = lung2)
for (ds in names(datasets))
  write.csv(datasets[[ds]], paste0(ds, ".csv"), row.names = FALSE, quote = FALSE)

# One arm, after survRM2's rmst1 (Uno et al. 2014; survRM2 1.0-4, R/rmst1.R),
# written out: the area under the KM curve on [0, tau] and its Greenwood
# plug-in variance
#   RMST = sum of rectangles (t_{j} - t_{j-1}) S(t_{j-1}) up to tau
#   Var  = sum_{t_j <= tau} A_j^2 d_j / (n_j (n_j - d_j)),  A_j = int_{t_j}^tau S
#   (a term with n_j = d_j counts 0), RMTL = tau - RMST with the same se.
arm_rmst <- function(time, status, tau) {
  ft <- survfit(Surv(time, status) ~ 1)
  keep <- ft$time <= tau
  t <- c(0, ft$time[keep], tau)
  s <- c(1, ft$surv[keep])
  area <- diff(t) * s                                  # rectangle after each knot
  n <- ft$n.risk[keep]; d <- ft$n.event[keep]
  h <- ifelse(n == d, 0, d / (n * (n - d)))
  a <- rev(cumsum(rev(area)))[-1]                      # A_j = area from t_j to tau
  list(rmst = sum(area), var = sum(a^2 * h), tau = tau, last = max(ft$time),
       beyond = tau > max(ft$time) && tail(ft$surv, 1) > 0)
}

# survRM2 rmst2's default tau (R/rmst2.R, cases 1 to 4): with x0, x1 each
# arm's largest observed time, tau = max(x0, x1) when the arm with the
# smaller one has only events at its largest time (its curve ends at 0),
# else min(x0, x1).
default_tau <- function(time, status, arm) {
  x <- sapply(0:1, function(a) max(time[arm == a]))
  ev <- sapply(0:1, function(a) min(status[arm == a & time == x[a + 1]]))
  short <- if (x[1] <= x[2]) 1 else 2
  if (x[1] == x[2]) return(x[1])
  if (ev[short] == 1) max(x) else min(x)
}

z <- qnorm(0.975)
taus <- list(aml = c(12, 24.5, 36, 45, 48, 100, 161),
             veteran = c(30, 90, 180, 365, 553, 600, 999),
             lung = c(90, 180, 365, 500, 730, 965, 1000))
arows <- list(); crows <- list()
for (ds in names(datasets)) {
  d <- datasets[[ds]]
  dtau <- default_tau(d$time, d$status, d$arm)
  # The R call compared in the Go tests, per arm:
  fit <- survfit(Surv(time, status) ~ arm, data = d)
  for (tau in c(dtau, taus[[ds]])) {
    tab <- summary(fit, rmean = tau)$table
    w <- list()
    for (a in 0:1) {
      w[[a + 1]] <- arm_rmst(d$time[d$arm == a], d$status[d$arm == a], tau)
      stopifnot(isTRUE(all.equal(w[[a + 1]]$rmst, unname(tab[a + 1, "rmean"]))),
                isTRUE(all.equal(sqrt(w[[a + 1]]$var), unname(tab[a + 1, "se(rmean)"]))))
      rm <- tab[a + 1, "rmean"]; se <- tab[a + 1, "se(rmean)"]
      arows[[length(arows) + 1]] <- data.frame(
        dataset = ds, arm = a, tau = num(tau),
        last = num(w[[a + 1]]$last), beyond = w[[a + 1]]$beyond, rmean = num(rm), se = num(se),
        rmst.lower = num(rm - z * se), rmst.upper = num(rm + z * se),
        rmtl = num(tau - rm), rmtl.lower = num(tau - rm - z * se), rmtl.upper = num(tau - rm + z * se))
    }
    # survRM2 rmst2 unadjusted contrasts, arm 1 vs arm 0 (R/rmst2.R).
    r0 <- w[[1]]$rmst; r1 <- w[[2]]$rmst; v0 <- w[[1]]$var; v1 <- w[[2]]$var
    diff <- r1 - r0; sed <- sqrt(v1 + v0)
    lr <- log(r1 / r0); ser <- sqrt(v1 / r1^2 + v0 / r0^2)
    l0 <- tau - r0; l1 <- tau - r1
    ll <- log(l1 / l0); sel <- sqrt(v1 / l1^2 + v0 / l0^2)
    crows[[length(crows) + 1]] <- data.frame(
      dataset = ds, tau = num(tau), default.tau = num(dtau),
      diff = num(diff), diff.se = num(sed), diff.lower = num(diff - z * sed),
      diff.upper = num(diff + z * sed), diff.p = num(2 * pnorm(-abs(diff) / sed)),
      rmst.ratio = num(exp(lr)), rmst.logse = num(ser), rmst.ratio.lower = num(exp(lr - z * ser)),
      rmst.ratio.upper = num(exp(lr + z * ser)), rmst.ratio.p = num(2 * pnorm(-abs(lr) / ser)),
      rmtl.ratio = num(exp(ll)), rmtl.logse = num(sel), rmtl.ratio.lower = num(exp(ll - z * sel)),
      rmtl.ratio.upper = num(exp(ll + z * sel)), rmtl.ratio.p = num(2 * pnorm(-abs(ll) / sel)))
  }
}
write.csv(do.call(rbind, arows), "rmst_arms.csv", row.names = FALSE, quote = FALSE)
write.csv(do.call(rbind, crows), "rmst_contrasts.csv", row.names = FALSE, quote = FALSE)
cat("R", R.version$major, ".", R.version$minor, " survival ", format(packageVersion("survival")), "\n",
    sep = "", file = "R_VERSION")
