# Reference values for TestExampleAgainstR (pipeline/report).
#
# The analysis below is, call for call, the "Equivalent R calls" block that
# the report prints for this study (conventions of results.json: log-log
# 95% CI, Efron ties, reference arm MIDAZOLAM, covariates AGE and SEX,
# strata STRATUM), run for each endpoint. It writes every number the report
# shows, at full precision, to r_reference.csv.
#
# adtte.csv is a copy of datasets/example/adtte.csv (SHA-256 recorded in
# results.json, input.sha256); results.json and ingest.json were written by
# the ingest and fit stages (cmd/ingest, cmd/fit) on that file.
#
# Run from this folder:  Rscript r_reference.R
# R 4.x, survival 3.5.x.
library(survival)
adtte <- read.csv("adtte.csv")
out <- data.frame(paramcd = character(), item = character(), key = character(), value = numeric())
add <- function(p, item, key, value) {
  out[nrow(out) + 1, ] <<- list(p, item, key, value)
}
for (p in c("TTRESP", "TTRELAPSE")) {
  d <- subset(adtte, PARAMCD == p)
  d$TRTP <- relevel(factor(d$TRTP), ref = "MIDAZOLAM")
  km <- survfit(Surv(AVAL, CNSR == 0) ~ TRTP, data = d, conf.type = "log-log", conf.int = 0.95)
  q <- quantile(km, probs = c(0.25, 0.5, 0.75))
  for (arm in levels(d$TRTP)) {
    row <- paste0("TRTP=", arm)
    for (j in 1:3) {
      pr <- c("0.25", "0.5", "0.75")[j]
      add(p, "quantile", paste(arm, pr, "time"), q$quantile[row, j])
      add(p, "quantile", paste(arm, pr, "lower"), q$lower[row, j])
      add(p, "quantile", paste(arm, pr, "upper"), q$upper[row, j])
    }
  }
  lr <- survdiff(Surv(AVAL, CNSR == 0) ~ TRTP + strata(STRATUM), data = d)
  add(p, "test", "logrank statistic", lr$chisq)
  add(p, "test", "logrank df", length(lr$n) - 1)
  add(p, "test", "logrank p", pchisq(lr$chisq, length(lr$n) - 1, lower.tail = FALSE))
  f <- coxph(Surv(AVAL, CNSR == 0) ~ TRTP + AGE + SEX + strata(STRATUM), data = d, ties = "efron")
  s <- summary(f)
  terms <- c(TRTPKETAMINE = "TRTP:KETAMINE", AGE = "AGE", SEXM = "SEX:M")
  for (t in names(terms)) {
    add(p, "cox", paste(terms[[t]], "hr"), s$conf.int[t, "exp(coef)"])
    add(p, "cox", paste(terms[[t]], "lower"), s$conf.int[t, "lower .95"])
    add(p, "cox", paste(terms[[t]], "upper"), s$conf.int[t, "upper .95"])
    add(p, "cox", paste(terms[[t]], "p"), s$coefficients[t, "Pr(>|z|)"])
    add(p, "cox", paste(terms[[t]], "coef"), s$coefficients[t, "coef"])
    add(p, "cox", paste(terms[[t]], "se"), s$coefficients[t, "se(coef)"])
    add(p, "cox", paste(terms[[t]], "z"), s$coefficients[t, "z"])
  }
  # summary.coxph rounds the Wald statistic: take the tests from the fit.
  df <- length(coef(f))
  lr <- 2 * (f$loglik[2] - f$loglik[1])
  add(p, "test", "cox_wald statistic", f$wald.test)
  add(p, "test", "cox_wald p", pchisq(f$wald.test, df, lower.tail = FALSE))
  add(p, "test", "cox_lr statistic", lr)
  add(p, "test", "cox_lr p", pchisq(lr, df, lower.tail = FALSE))
  add(p, "test", "cox_score statistic", f$score)
  add(p, "test", "cox_score p", pchisq(f$score, df, lower.tail = FALSE))
}
out$value <- ifelse(is.na(out$value), "NA", sprintf("%.17g", out$value))
write.csv(out, "r_reference.csv", row.names = FALSE, quote = FALSE)
