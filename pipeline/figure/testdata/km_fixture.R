# Reference Kaplan-Meier rows and numbers at risk for the figure tests.
# Run from this folder:  Rscript km_fixture.R
# Writes: fixture_data.csv (synthetic subjects), km_<PARAMCD>.csv (survfit rows,
# as the fit stage writes km.csv) and atrisk_<PARAMCD>.csv (numbers at risk at
# the figure's tick times, from summary.survfit(times = ticks, extend = TRUE),
# which is what survminer::ggsurvplot(risk.table = TRUE) shows).
suppressMessages(library(survival))
set.seed(20261125)

# RESP: time to response, 40-minute resolution, log time scale.
# ketamine: fast responders; conventional: responses over weeks; both
# censored at 28 days, some drop-outs.
n <- 24
tk <- rexp(n, rate = 1 / 1.5)           # days
tc <- rexp(n, rate = 1 / 20)
dk <- runif(n, 0.05, 60); dc <- runif(n, 1, 60)
grid <- function(t) pmax(round(t * 36) / 36, 1 / 36)   # 40 min units
resp <- data.frame(
  PARAMCD = "RESP",
  TRTP = rep(c("KET", "SSRI"), each = n),
  AVAL = grid(pmin(c(tk, tc), c(dk, dc), 28)),
  CNSR = as.integer(!(c(tk, tc) <= pmin(c(dk, dc), 28)))
)
# RELAPSE: time to relapse after response, days, linear axis, 180 days.
m <- 20
rk <- rexp(m, rate = 1 / 90); rc <- rexp(m, rate = 1 / 150)
cens <- runif(2 * m, 30, 250)
relapse <- data.frame(
  PARAMCD = "RELAPSE",
  TRTP = rep(c("KET", "SSRI"), each = m),
  AVAL = ceiling(pmin(c(rk, rc), cens, 180)),
  CNSR = as.integer(!(c(rk, rc) <= pmin(cens, 180)))
)
d <- rbind(resp, relapse)
write.csv(d, "fixture_data.csv", row.names = FALSE, quote = FALSE)

# Tick times the figure package draws (the Go test checks them first).
ticks <- list(RESP = c(40 / 1440, 4 / 24, 1, 7, 28), RELAPSE = seq(0, 196, by = 28))
g <- function(x) ifelse(is.na(x), "", sprintf("%.17g", x))

for (p in c("RESP", "RELAPSE")) {
  fit <- survfit(Surv(AVAL, 1 - CNSR) ~ TRTP, data = d[d$PARAMCD == p, ],
                 conf.type = "log-log")
  s <- summary(fit, censored = TRUE)
  arm <- sub("TRTP=", "", as.character(s$strata))
  km <- data.frame(arm = arm, time = g(s$time), n_risk = s$n.risk,
                   n_event = s$n.event, n_censor = s$n.censor, surv = g(s$surv),
                   std_err = g(s$std.err), lower = g(s$lower), upper = g(s$upper))
  write.csv(km, paste0("km_", p, ".csv"), row.names = FALSE, quote = FALSE)
  a <- summary(fit, times = ticks[[p]], extend = TRUE)
  ar <- data.frame(arm = sub("TRTP=", "", as.character(a$strata)), time = g(a$time), n_risk = a$n.risk)
  write.csv(ar, paste0("atrisk_", p, ".csv"), row.names = FALSE, quote = FALSE)
}
