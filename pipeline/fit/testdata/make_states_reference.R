# Reference values for the states method of pipeline/fit (analysis_states_test.go):
# the response -> relapse chain as a multi-state model, from R's survival package.
# Run from pipeline/fit/testdata:  Rscript make_states_reference.R
# Needs R with the survival package (R 4.2.2, survival 3.5.3: states_R_version.txt).
#
# Three ADTTE files with a response endpoint (TTRESP) and a relapse endpoint
# (TTRELAPSE), and ORIGDY, the study day of each endpoint's time origin:
#   states_murrough_adtte.csv  copy of reports/murrough2013-relapse/adtte.csv (cmd/derive
#                              output: relapse timed from day 11 with ENTRY 1; one arm)
#   states_mgus2_adtte.csv     survival::mgus2 as not responding -> in response -> relapsed:
#                              "response" = progression to a plasma cell malignancy (PCM),
#                              "relapse" = death after PCM, death before PCM = dropped out
#                              (competing, EVNTTYPE DEATH); TRTP = sex (F, M). As in the
#                              survival vignette "compete", a PCM on the day of death counts
#                              as death without PCM. Time in months (the method says days).
#   states_sim_adtte.csv       simulated two-arm chain on a visit grid (ties), dropout at
#                              both stages (LACK_OF_EFFICACY before response, ADVERSE_EVENT
#                              in response), responders not followed for relapse, and both
#                              ways cmd/derive times a relapse: origin at the response
#                              (ORIGDY = response day) or at the dose with ENTRY = response.
#
# The counting-process data are built here from the ADTTE rows, independently of the Go
# code: on the axis t = study day - ORIGDY of the subject's TTRESP row,
#   (ENTRY_resp, t_resp]  not responding -> in response | dropped out | censored
#   (t_resp, t_rel]       in response -> relapsed | dropped out | censored,
#                         t_rel = ORIGDY_rel + AVAL_rel - ORIGDY_resp
# and a responder without a TTRELAPSE row is censored in response at t_resp.
# For every file and conf.type the script writes what the method writes:
#   states_ref_<name>_<ct>.csv       states.csv: pstate, std.err, lower, upper of
#       survfit(Surv(tstart, tstop, state) ~ TRTP, data = ms, id = id, istate = istate, conf.type = ct)
#   states_ref_<name>_<ct>_km.csv    duration_km.csv: summary(survfit(Surv(dur, rel) ~ TRTP,
#       conf.type = ct), censored = TRUE) among the responders with a TTRELAPSE row
#   states_ref_<name>_duration.csv   states_duration.csv: rmean and se(rmean) of "in response"
#       from summary(survfit(..., influence = TRUE), rmean = tau)$table (= print(fit, rmean = tau)),
#       Wald limits, and the difference of each arm from the reference with its Wald CI
suppressMessages(library(survival))
f17 <- function(x) ifelse(is.na(x), "", sprintf("%.17g", x))
writeLines(c(R.version.string, paste("survival", packageVersion("survival"))), "states_R_version.txt")

# --- mgus2 as ADTTE ---
m <- survival::mgus2
pcm <- m$pstat == 1 & m$ptime < m$futime
resp <- data.frame(STUDYID = "MGUS2", USUBJID = sprintf("M%04d", m$id), TRTP = as.character(m$sex),
                   PARAMCD = "TTRESP", AVAL = ifelse(pcm, m$ptime, m$futime),
                   CNSR = ifelse(pcm | m$death == 1, 0L, 1L),
                   EVNTTYPE = ifelse(pcm, "RESPONSE", ifelse(m$death == 1, "DEATH", "")), ORIGDY = 0)
rel <- data.frame(STUDYID = "MGUS2", USUBJID = sprintf("M%04d", m$id), TRTP = as.character(m$sex),
                  PARAMCD = "TTRELAPSE", AVAL = m$futime - m$ptime, CNSR = 1L - m$death,
                  EVNTTYPE = ifelse(m$death == 1, "RELAPSE", ""), ORIGDY = m$ptime)[pcm, ]
mg <- rbind(resp, rel)
mg <- mg[order(mg$USUBJID, mg$PARAMCD != "TTRESP"), ]
write.csv(mg, "states_mgus2_adtte.csv", row.names = FALSE, quote = FALSE, na = "")

# --- simulated chain ---
set.seed(20261203)
n <- 240
grid <- c(1 / 12, 1 / 6, 1, 2, 3, 7, 14, 21, 28)
sim <- NULL
for (i in seq_len(n)) {
  arm <- if (i %% 2 == 1) "KETAMINE" else "MIDAZOLAM"
  id <- sprintf("SIM-%03d", i)
  tr <- rexp(1, if (arm == "KETAMINE") 1 / 3 else 1 / 12)
  td <- rexp(1, 1 / 60)
  tc <- sample(c(7, 14, 21, 28, 28, 28), 1)
  vr <- grid[grid >= tr][1]; vd <- ceiling(td)
  if (!is.na(vr) && vr <= tc && vr <= vd) {
    sim <- rbind(sim, data.frame(USUBJID = id, TRTP = arm, PARAMCD = "TTRESP", AVAL = vr, CNSR = 0,
                                 EVNTTYPE = "RESPONSE", ENTRY = 0, ORIGDY = 0))
    if (runif(1) < 0.1) next # not followed for relapse
    rl <- vr + 7 * ceiling(rexp(1, if (arm == "KETAMINE") 1 / 20 else 1 / 12) / 7)
    ad <- vr + ceiling(rexp(1, 1 / 90))
    ce <- vr + sample(c(14, 28, 56, 84, 84), 1)
    stop <- min(rl, ad, ce)
    cn <- if (stop == rl) 0 else if (stop == ad) 0 else 1
    ty <- if (stop == rl) "RELAPSE" else if (stop == ad) "ADVERSE_EVENT" else ""
    if (i %% 4 < 2) { # origin at the dose, delayed entry at the response
      sim <- rbind(sim, data.frame(USUBJID = id, TRTP = arm, PARAMCD = "TTRELAPSE", AVAL = stop, CNSR = cn,
                                   EVNTTYPE = ty, ENTRY = vr, ORIGDY = 0))
    } else {           # origin at the response
      sim <- rbind(sim, data.frame(USUBJID = id, TRTP = arm, PARAMCD = "TTRELAPSE", AVAL = stop - vr, CNSR = cn,
                                   EVNTTYPE = ty, ENTRY = 0, ORIGDY = vr))
    }
  } else if (vd <= tc) {
    sim <- rbind(sim, data.frame(USUBJID = id, TRTP = arm, PARAMCD = "TTRESP", AVAL = vd, CNSR = 0,
                                 EVNTTYPE = "LACK_OF_EFFICACY", ENTRY = 0, ORIGDY = 0))
  } else {
    sim <- rbind(sim, data.frame(USUBJID = id, TRTP = arm, PARAMCD = "TTRESP", AVAL = tc, CNSR = 1,
                                 EVNTTYPE = "", ENTRY = 0, ORIGDY = 0))
  }
}
sim <- cbind(STUDYID = "SIM", sim)
write.csv(sim, "states_sim_adtte.csv", row.names = FALSE, quote = FALSE, na = "")

# --- counting-process rows from an ADTTE file ---
states <- c("not responding", "in response", "relapsed", "dropped out")
msdata <- function(d) {
  r <- d[d$PARAMCD == "TTRESP", ]
  l <- d[d$PARAMCD == "TTRELAPSE", ]
  if (is.null(r$ENTRY)) r$ENTRY <- 0
  r$ENTRY[is.na(r$ENTRY)] <- 0
  ev <- if (is.null(d$EVNTTYPE)) rep("", nrow(d)) else ifelse(is.na(d$EVNTTYPE), "", d$EVNTTYPE)
  r$type <- ev[d$PARAMCD == "TTRESP"]; l$type <- ev[d$PARAMCD == "TTRELAPSE"]
  out <- NULL; dur <- NULL
  for (k in seq_len(nrow(r))) {
    s <- r[k, ]
    responded <- s$CNSR == 0 & (s$type == "" | s$type == "RESPONSE")
    to <- if (responded) "in response" else if (s$CNSR == 0) "dropped out" else "censor"
    out <- rbind(out, data.frame(id = s$USUBJID, TRTP = s$TRTP, tstart = s$ENTRY, tstop = s$AVAL,
                                 istate = "not responding", state = to))
    if (!responded) next
    j <- match(s$USUBJID, l$USUBJID)
    if (is.na(j)) next
    trel <- l$ORIGDY[j] + l$AVAL[j] - s$ORIGDY
    stopifnot(trel >= s$AVAL)
    to <- if (l$CNSR[j] == 1) "censor" else if (l$type[j] %in% c("", "RELAPSE")) "relapsed" else "dropped out"
    dur <- rbind(dur, data.frame(TRTP = s$TRTP, dur = trel - s$AVAL, rel = as.integer(to == "relapsed")))
    if (trel > s$AVAL)
      out <- rbind(out, data.frame(id = s$USUBJID, TRTP = s$TRTP, tstart = s$AVAL, tstop = trel,
                                   istate = "in response", state = to))
  }
  list(ms = out, dur = dur)
}

cases <- list(list(name = "murrough", file = "states_murrough_adtte.csv", control = "KETAMINE"),
              list(name = "mgus2", file = "states_mgus2_adtte.csv", control = "F"),
              list(name = "sim", file = "states_sim_adtte.csv", control = "MIDAZOLAM"))
for (cs in cases) {
  d <- read.csv(cs$file, stringsAsFactors = FALSE, na.strings = c("", "NA"))
  x <- msdata(d)
  ms <- x$ms
  used <- if (any(ms$state == "dropped out")) states else states[1:3]
  ms$state <- factor(ms$state, c("censor", used))
  ms$istate <- factor(ms$istate, used)
  arms <- sort(unique(ms$TRTP))
  for (ct in c("log", "log-log")) {
    # The exact call compared in the Go test:
    fit <- survfit(Surv(tstart, tstop, state) ~ TRTP, data = ms, id = id, istate = istate, conf.type = ct)
    stopifnot(identical(fit$states, used))
    arm <- if (is.null(fit$strata)) rep(arms, length(fit$time)) else sub("TRTP=", "", rep(names(fit$strata), fit$strata))
    k <- length(used)
    lo <- matrix(fit$lower, ncol = k); up <- matrix(fit$upper, ncol = k)
    out <- NULL
    for (a in arms) for (j in seq_len(k)) {
      w <- arm == a
      out <- rbind(out, data.frame(paramcd = "TTRELAPSE", arm = a, time = f17(fit$time[w]), state = used[j],
                                   prob = f17(fit$pstate[w, j]), std_err = f17(fit$std.err[w, j]),
                                   lower = f17(lo[w, j]), upper = f17(up[w, j])))
    }
    write.csv(out, sprintf("states_ref_%s_%s.csv", cs$name, ct), row.names = FALSE, quote = FALSE)

    dd <- x$dur
    # survfit(Surv(dur, rel) ~ 1, data = dd[dd$TRTP == a, ], conf.type = ct)
    km <- NULL
    for (a in sort(unique(dd$TRTP))) {
      s <- summary(survfit(Surv(dur, rel) ~ 1, data = dd[dd$TRTP == a, ], conf.type = ct), censored = TRUE)
      km <- rbind(km, data.frame(paramcd = "TTRELAPSE", arm = a, time = f17(s$time), n_risk = s$n.risk,
                                 n_event = s$n.event, n_censor = s$n.censor, surv = f17(s$surv),
                                 std_err = f17(s$std.err), lower = f17(s$lower), upper = f17(s$upper)))
    }
    write.csv(km, sprintf("states_ref_%s_%s_km.csv", cs$name, ct), row.names = FALSE, quote = FALSE)
  }

  tau <- min(tapply(ms$tstop, ms$TRTP, max))
  # summary(fit, rmean = tau)$table, as print(fit, rmean = tau), with influence = TRUE for se(rmean)
  fit <- survfit(Surv(tstart, tstop, state) ~ TRTP, data = ms, id = id, istate = istate, influence = TRUE)
  tab <- summary(fit, rmean = tau)$table
  z <- qnorm(0.975)
  rows <- NULL; est <- c(); se <- c()
  for (a in arms) {
    key <- if (length(arms) == 1) "in response" else sprintf("TRTP=%s, in response", a)
    e <- tab[key, "rmean"]; s <- tab[key, "se(rmean)"]
    est[a] <- e; se[a] <- s
    rows <- rbind(rows, data.frame(paramcd = "TTRELAPSE", arm = a, tau = f17(tau), mean_in_response = f17(e),
                                   se = f17(s), lower = f17(e - z * s), upper = f17(e + z * s),
                                   contrast = "mean", reference = "", p_value = ""))
  }
  for (a in setdiff(arms, cs$control)) {
    e <- est[a] - est[cs$control]; s <- sqrt(se[a]^2 + se[cs$control]^2)
    rows <- rbind(rows, data.frame(paramcd = "TTRELAPSE", arm = a, tau = f17(tau), mean_in_response = f17(e),
                                   se = f17(s), lower = f17(e - z * s), upper = f17(e + z * s),
                                   contrast = "difference", reference = cs$control, p_value = f17(2 * pnorm(-abs(e / s)))))
  }
  write.csv(rows, sprintf("states_ref_%s_duration.csv", cs$name), row.names = FALSE, quote = FALSE)
  print(tab)
}
