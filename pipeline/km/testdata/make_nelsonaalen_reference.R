# Reference values for the Nelson-Aalen estimator and the milestone rates of
# package km (pipeline/km/nelsonaalen.go, milestone.go), from R's survival
# package. Run from this directory:  Rscript make_nelsonaalen_reference.R
# Reads the committed aml.csv, veteran.csv, sim.csv and entry_sim.csv
# (written by make_reference.R and make_entry_reference.R), writes
#   lung.csv                      survival::lung as time, status (0/1), arm (sex - 1)
#   km_nelsonaalen_reference.csv  survfit(..., ctype = 1) cumhaz, std.chaz and CIs
#   km_milestone_reference.csv    summary(survfit(...), times = ...) per curve and conf.type
#   km_milestone_contrast.csv     arm 1 vs arm 0 at each milestone (formulas below)
# Numbers are written with sprintf("%.17g"); NA is written as NA.
library(survival)

num <- function(x) ifelse(is.na(x), "NA", sprintf("%.17g", x))

# survival::lung (NCCTG advanced lung cancer), arm = sex - 1 (0 male, 1 female).
lung2 <- data.frame(time = lung$time, status = as.integer(lung$status == 2),
                    arm = lung$sex - 1L)
write.csv(lung2, "lung.csv", row.names = FALSE, quote = FALSE)

datasets <- list(
  aml = read.csv("aml.csv"), veteran = read.csv("veteran.csv"),
  lung = lung2, sim = read.csv("sim.csv"), entry_sim = read.csv("entry_sim.csv"))

fitcurve <- function(dd, ...) {
  if (is.null(dd$entry)) survfit(Surv(time, status) ~ 1, data = dd, ...)
  else survfit(Surv(entry, time, status) ~ 1, data = dd, ...)
}

# 1. Nelson-Aalen. The R call compared in the Go tests:
#      fit <- survfit(Surv(time, status) ~ 1, data = dd, ctype = 1)
#      fit$cumhaz, fit$std.chaz
#    survival 3.5's std.chaz is the Aalen (Poisson) standard error
#    sqrt(sum d/n^2) (src/survfitkm.c: v2 += d1/(nrisk*nrisk)); checked here.
#    Confidence limits: survival's own transform of the cumulative hazard, as
#    plot(fit, cumhaz = TRUE, conf.type = ct) draws them:
#      survival:::survfit_confint(cumhaz, std.chaz, logse = FALSE, conf.type = ct,
#                                 conf.int = 0.95, ulimit = FALSE)
#    for ct = "log" (H exp(+-z se/H), checked against that formula) and "plain"
#    (H +- z se, lower limit clipped at 0).
z <- qnorm(0.975)
narows <- list()
for (ds in names(datasets)) {
  d <- datasets[[ds]]
  for (cv in c("all", sort(unique(d$arm)))) {
    dd <- if (cv == "all") d else d[d$arm == as.integer(cv), ]
    fit <- fitcurve(dd, ctype = 1)
    stopifnot(isTRUE(all.equal(fit$std.chaz, sqrt(cumsum(fit$n.event / fit$n.risk^2)))),
              isTRUE(all.equal(fit$cumhaz, cumsum(fit$n.event / fit$n.risk))))
    for (ct in c("log", "plain")) {
      ci <- survival:::survfit_confint(fit$cumhaz, fit$std.chaz, logse = FALSE,
                                       conf.type = ct, conf.int = 0.95, ulimit = FALSE)
      if (ct == "log") {
        h <- ifelse(fit$cumhaz == 0, NA, fit$cumhaz)
        stopifnot(isTRUE(all.equal(ci$lower, h * exp(-z * fit$std.chaz / h))),
                  isTRUE(all.equal(ci$upper, h * exp(z * fit$std.chaz / h))))
      }
      narows[[length(narows) + 1]] <- data.frame(
        dataset = ds, curve = cv, conftype = ct, time = num(fit$time),
        n.risk = fit$n.risk, n.event = fit$n.event, n.censor = fit$n.censor,
        cumhaz = num(fit$cumhaz), std.chaz = num(fit$std.chaz),
        lower = num(ci$lower), upper = num(ci$upper))
    }
  }
}
write.csv(do.call(rbind, narows), "km_nelsonaalen_reference.csv", row.names = FALSE, quote = FALSE)

# 2. Milestones: the proportion with the event by time t, 1 - S(t), and its
#    CI, 1 - the CI of S(t). The R call compared in the Go tests:
#      fit <- survfit(Surv(time, status) ~ 1, data = dd, conf.type = ct)
#      s <- summary(fit, times = tt, extend = TRUE)
#      1 - s$surv, s$std.err, 1 - s$upper, 1 - s$lower, s$n.risk
#    summary(..., extend = FALSE), R's default, drops the times after the
#    last observation, the "beyond follow-up" status in Go (beyond = TRUE here).
milestones <- list(aml = c(0, 5, 12, 24, 36, 45, 48, 60, 161, 200),
                   veteran = c(1, 30, 90, 180, 365, 999, 1000),
                   lung = c(5, 90, 180, 365, 730, 1022, 1100),
                   sim = c(10, 30, 60, 90, 180, 250))
ms <- list(); mc <- list()
for (ds in names(milestones)) {
  d <- datasets[[ds]]
  tt <- milestones[[ds]]
  for (ct in c("log", "log-log", "plain")) {
    arms <- list()
    for (cv in c("all", sort(unique(d$arm)))) {
      dd <- if (cv == "all") d else d[d$arm == as.integer(cv), ]
      fit <- fitcurve(dd, conf.type = ct)
      s <- summary(fit, times = tt, extend = TRUE)
      stopifnot(isTRUE(all.equal(s$time, tt)))
      r <- data.frame(dataset = ds, curve = cv, conftype = ct, time = num(tt),
                      beyond = tt > max(fit$time), n.risk = s$n.risk,
                      rate = num(1 - s$surv), std.err = num(s$std.err),
                      lower = num(1 - s$upper), upper = num(1 - s$lower))
      ms[[length(ms) + 1]] <- r
      arms[[cv]] <- list(f = 1 - s$surv, se = s$std.err, beyond = tt > max(fit$time))
    }
    # Arm 1 vs arm 0 at each milestone (only the two-arm data sets): risk
    # difference F1 - F0 with Greenwood variances, Wald CI and two-sided p;
    # risk ratio F1/F0 on the log scale, delta method
    #   se(log F) = se(F)/F,  se(log F1/F0) = sqrt(se1^2/F1^2 + se0^2/F0^2).
    if (!all(c("0", "1") %in% names(arms)) || length(unique(d$arm)) != 2) next
    a0 <- arms[["0"]]; a1 <- arms[["1"]]
    diff <- a1$f - a0$f
    sed <- sqrt(a1$se^2 + a0$se^2)
    lr <- log(a1$f / a0$f)
    ser <- sqrt(a1$se^2 / a1$f^2 + a0$se^2 / a0$f^2)
    bad <- a0$beyond | a1$beyond
    na <- function(x) ifelse(bad | !is.finite(x), NA, x)
    mc[[length(mc) + 1]] <- data.frame(
      dataset = ds, conftype = ct, time = num(tt), beyond = bad,
      diff = num(na(diff)), diff.se = num(na(sed)),
      diff.lower = num(na(diff - z * sed)), diff.upper = num(na(diff + z * sed)),
      diff.p = num(na(2 * pnorm(-abs(diff) / sed))),
      ratio = num(na(exp(lr))), logratio.se = num(na(ser)),
      ratio.lower = num(na(exp(lr - z * ser))), ratio.upper = num(na(exp(lr + z * ser))),
      ratio.p = num(na(2 * pnorm(-abs(lr) / ser))))
  }
}
write.csv(do.call(rbind, ms), "km_milestone_reference.csv", row.names = FALSE, quote = FALSE)
write.csv(do.call(rbind, mc), "km_milestone_contrast.csv", row.names = FALSE, quote = FALSE)
