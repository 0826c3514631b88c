# Reference values for the Aalen-Johansen estimators of package cmprsk
# (pipeline/cmprsk), from R's survival package (multi-state survfit).
# Run from this directory:  Rscript make_aj_reference.R
# Writes the input data sets
#   mgus2_cr.csv   survival::mgus2 as competing risks (vignette "compete"):
#                  etime = ifelse(pstat == 1, ptime, futime),
#                  event = ifelse(pstat == 1, 1, 2 * death)
#   mgus2_ms.csv   survival::mgus2 as an illness-death model (tmerge, vignette)
#   cr_entry.csv   simulated competing risks, whole-day times (ties), delayed entry
#   response.csv   simulated not responding -> response -> relapse, with dropout
#                  and re-response, counting-process rows
# and the reference values
#   aj_reference.csv  fit$time, n.risk, n.event, n.censor, pstate, std.err,
#                     lower, upper per data set, curve, conf.type and state
#   aj_rmean.csv      summary(fit, rmean = tau)$table of a fit with influence = TRUE
# Numbers are written with sprintf("%.17g"); NA is written as NA.
library(survival)

num <- function(x) ifelse(is.na(x), "NA", sprintf("%.17g", x))

# 1. mgus2 competing risks.
m <- mgus2
cr <- data.frame(id = m$id, sex = as.integer(m$sex == "M"), age = m$age,
                 etime = ifelse(m$pstat == 1, m$ptime, m$futime),
                 event = ifelse(m$pstat == 1, 1L, 2L * m$death))
write.csv(cr, "mgus2_cr.csv", row.names = FALSE, quote = FALSE)

# 2. mgus2 illness-death, as in the survival vignette "compete", section 2.
d2 <- tmerge(mgus2, mgus2, id = id, death = event(futime, death), pcm = event(ptime, pstat))
ev <- with(d2, ifelse(death == 1, 2L, pcm))
# from state: 0 before pcm, 1 after (tmerge rows after a pcm event start in pcm)
from <- ave(ev, d2$id, FUN = function(e) c(0L, cumsum(e == 1)[-length(e)]))
ms <- data.frame(id = d2$id, sex = as.integer(d2$sex == "M"), tstart = d2$tstart,
                 tstop = d2$tstop, from = from, to = ev)
write.csv(ms, "mgus2_ms.csv", row.names = FALSE, quote = FALSE)

# 3. Simulated competing risks with ties and delayed entry.
set.seed(20261201)
n <- 300
entry <- floor(runif(n, 0, 40)) * (runif(n) < 0.4)
t1 <- rexp(n, 1 / 120); t2 <- rexp(n, 1 / 200); cc <- runif(n, 20, 400)
tt <- ceiling(pmin(t1, t2, cc))
st <- ifelse(tt == ceiling(cc) & cc < pmin(t1, t2), 0L, ifelse(t1 < t2, 1L, 2L))
keep <- tt > entry
sim <- data.frame(id = seq_len(sum(keep)), entry = entry[keep], time = tt[keep], status = st[keep],
                  arm = rep(0:1, length.out = sum(keep)))
write.csv(sim, "cr_entry.csv", row.names = FALSE, quote = FALSE)

# 4. Simulated response/relapse chain: states 0 = not responding, 1 = response,
#    2 = relapse, 3 = dropout (absorbing); 2 -> 1 (re-response) allowed.
#    Whole-week times, so transitions tie. Counting-process rows.
set.seed(20261202)
rows <- list()
rate <- list("0" = c(`1` = 1 / 8, `3` = 1 / 40), "1" = c(`2` = 1 / 20, `3` = 1 / 60),
             "2" = c(`1` = 1 / 15, `3` = 1 / 30))
for (i in 1:250) {
  t <- 0; s <- 0L; fu <- ceiling(runif(1, 10, 80))
  repeat {
    r <- rate[[as.character(s)]]
    w <- rexp(length(r), r)
    tn <- ceiling(t + min(w))
    if (tn <= t) tn <- t + 1
    if (tn >= fu) { rows[[length(rows) + 1]] <- c(i, t, fu, s, -1L); break }
    to <- as.integer(names(r)[which.min(w)])
    rows[[length(rows) + 1]] <- c(i, t, tn, s, to)
    t <- tn; s <- to
    if (s == 3L) break
  }
}
resp <- as.data.frame(do.call(rbind, rows))
names(resp) <- c("id", "tstart", "tstop", "from", "to")
write.csv(resp, "response.csv", row.names = FALSE, quote = FALSE)

out <- list(); rm <- list()
add <- function(ds, cv, ct, fit) {
  k <- ncol(fit$pstate)
  lo <- matrix(fit$lower, ncol = k); up <- matrix(fit$upper, ncol = k) # arcsin drops dim
  for (j in seq_len(k)) {
    out[[length(out) + 1]] <<- data.frame(
      dataset = ds, curve = cv, conftype = ct, state = j - 1L, time = num(fit$time),
      n.risk = fit$n.risk[, j], n.event = fit$n.event[, j], n.censor = fit$n.censor,
      pstate = num(fit$pstate[, j]), std.err = num(fit$std.err[, j]),
      lower = num(lo[, j]), upper = num(up[, j]))
  }
}
addmean <- function(ds, cv, fit, tau) {
  tab <- summary(fit, rmean = tau)$table
  rm[[length(rm) + 1]] <<- data.frame(dataset = ds, curve = cv, tau = tau,
    state = seq_len(nrow(tab)) - 1L, rmean = num(tab[, "rmean"]), se = num(tab[, "se(rmean)"]))
}
crlev <- function(x) factor(x, 0:2, labels = c("censor", "1", "2"))

for (cv in c("all", "0", "1")) {
  dd <- if (cv == "all") cr else cr[cr$sex == as.integer(cv), ]
  for (ct in c("log", "log-log", "plain", "logit", "arcsin")) {
    # The R call compared in the Go tests:
    fit <- survfit(Surv(etime, crlev(event)) ~ 1, data = dd, conf.type = ct)
    add("mgus2_cr", cv, ct, fit)
  }
  fit <- survfit(Surv(etime, crlev(event)) ~ 1, data = dd, influence = TRUE)
  for (tau in c(100, 200, 500)) addmean("mgus2_cr", cv, fit, tau)
}

for (cv in c("all", "0", "1")) {
  dd <- if (cv == "all") sim else sim[sim$arm == as.integer(cv), ]
  fit <- survfit(Surv(entry, time, crlev(status)) ~ 1, data = dd, id = id)
  add("cr_entry", cv, "log", fit)
  fit <- survfit(Surv(entry, time, crlev(status)) ~ 1, data = dd, id = id, influence = TRUE)
  addmean("cr_entry", cv, fit, 150)
}

for (cv in c("all", "0", "1")) {
  dd <- if (cv == "all") ms else ms[ms$sex == as.integer(cv), ]
  st <- factor(ifelse(dd$to < 0, 0L, dd$to), 0:2, labels = c("censor", "pcm", "death"))
  fit <- survfit(Surv(tstart, tstop, st) ~ 1, data = dd, id = id)
  add("mgus2_ms", cv, "log", fit)
  fit <- survfit(Surv(tstart, tstop, st) ~ 1, data = dd, id = id, influence = TRUE)
  addmean("mgus2_ms", cv, fit, 300)
}

{
  st <- factor(ifelse(resp$to < 0, 0L, resp$to + 1L), 0:4,
               labels = c("censor", "nonresp", "response", "relapse", "dropout"))
  ist <- factor(resp$from + 1L, 1:4, labels = c("nonresp", "response", "relapse", "dropout"))
  fit <- survfit(Surv(tstart, tstop, st) ~ 1, data = resp, id = id, istate = ist)
  stopifnot(identical(fit$states, c("nonresp", "response", "relapse", "dropout")))
  add("response", "all", "log", fit)
  fit <- survfit(Surv(tstart, tstop, st) ~ 1, data = resp, id = id, istate = ist, influence = TRUE)
  addmean("response", "all", fit, 30)
  addmean("response", "all", fit, 60)
}

write.csv(do.call(rbind, out), "aj_reference.csv", row.names = FALSE, quote = FALSE)
write.csv(do.call(rbind, rm), "aj_rmean.csv", row.names = FALSE, quote = FALSE)
