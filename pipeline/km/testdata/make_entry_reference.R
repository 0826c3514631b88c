# Reference values for delayed entry (left truncation) in package km, from
# R's survival package. Run from this directory:  Rscript make_entry_reference.R
# Writes the input data sets (entry_sim.csv, entry_gap.csv, entry_gapcens.csv,
# entry_near.csv: columns id, entry, time, status, arm) and
#   km_entry_reference.csv  summary(fit, censored = TRUE) per curve and conf.type
#   km_entry_quantiles.csv  quantile(fit, probs = ..., conf.int = TRUE)
# Numbers are written with sprintf("%.17g"); NA is written as NA.
library(survival)

num <- function(x) ifelse(is.na(x), "NA", sprintf("%.17g", x))

# 1. Simulated 3-arm trial with whole-day times (events, censorings and
#    entries tie), about half the subjects entering late. Arm 2 has no
#    censoring, so its curve reaches 0.
set.seed(20261126)
n <- 150
arm <- rep(0:2, each = n / 3)
rate <- c(1 / 40, 1 / 60, 1 / 25)[arm + 1]
ev <- ceiling(rexp(n, rate))
cens <- ceiling(runif(n, 5, 120))
cens[arm == 2] <- Inf
time <- pmin(ev, cens)
status <- as.integer(ev <= cens)
late <- runif(n) < 0.5
entry <- ifelse(late, floor(runif(n, 0, time)), 0)
stopifnot(all(entry < time))
sim <- data.frame(id = seq_len(n), entry = entry, time = time, status = status, arm = arm)

# 2. The risk set empties with an event (S drops to 0) and refills: S stays 0.
gap <- data.frame(id = 1:5, entry = c(0, 0, 5, 5, 6), time = c(2, 3, 8, 9, 10),
                  status = c(1, 1, 1, 0, 1), arm = 0L)

# 3. The risk set empties by censoring (S stays at 0.5) and refills at 5 and 7;
#    entries at 7 equal an event time (not at risk there).
gapcens <- data.frame(id = 1:7, entry = c(0, 0, 5, 5, 7, 7, 6), time = c(2, 3, 8, 9, 10, 12, 7),
                      status = c(1, 0, 1, 0, 1, 1, 1), arm = 0L)

# 4. Times within R's all.equal tolerance of each other (timefix = TRUE,
#    survival:::aeqSurv over entry and time together): an entry 1e-10 after an
#    event time is an entry at that time.
near <- data.frame(id = 1:8,
                   entry = c(0, 0, 2 + 1e-10, 1, 3, 0, 2.5, 0),
                   time  = c(2, 4, 5, 3 + 1e-11, 6, 3, 7, 6 - 1e-12),
                   status = c(1, 1, 0, 1, 1, 0, 1, 1), arm = 0L)

datasets <- list(entry_sim = sim, entry_gap = gap, entry_gapcens = gapcens, entry_near = near)
for (ds in names(datasets)) {
  d <- datasets[[ds]]
  write.csv(data.frame(id = d$id, entry = num(d$entry), time = num(d$time), status = d$status, arm = d$arm),
            paste0(ds, ".csv"), row.names = FALSE, quote = FALSE)
}
probs <- c(0.1, 0.25, 0.5, 0.75, 0.9)

rows <- list(); qrows <- list()
for (ds in names(datasets)) {
  d <- datasets[[ds]]
  curves <- c("all", sort(unique(d$arm)))
  if (length(curves) == 2) curves <- "all"
  for (cv in curves) {
    dd <- if (cv == "all") d else d[d$arm == as.integer(cv), ]
    for (ct in c("log", "log-log", "plain")) {
      # The R call compared in the Go tests:
      fit <- survfit(Surv(entry, time, status) ~ 1, data = dd, conf.type = ct, conf.int = 0.95)
      s <- summary(fit, censored = TRUE)
      # R lists the distinct event and censoring times only, not entry times.
      stopifnot(all(s$time %in% dd$time), length(s$time) == length(unique(fit$time)))
      rows[[length(rows) + 1]] <- data.frame(
        dataset = ds, curve = cv, conftype = ct, time = num(s$time),
        n.risk = s$n.risk, n.event = s$n.event, n.censor = s$n.censor,
        surv = num(s$surv), std.err = num(s$std.err),
        lower = num(s$lower), upper = num(s$upper))
      q <- quantile(fit, probs = probs, conf.int = TRUE)
      qrows[[length(qrows) + 1]] <- data.frame(
        dataset = ds, curve = cv, conftype = ct, prob = num(probs),
        quantile = num(q$quantile), lower = num(q$lower), upper = num(q$upper))
    }
  }
}
write.csv(do.call(rbind, rows), "km_entry_reference.csv", row.names = FALSE, quote = FALSE)
write.csv(do.call(rbind, qrows), "km_entry_quantiles.csv", row.names = FALSE, quote = FALSE)
