# Reference values for pipeline/fit's end-to-end test (fit_reference_test.go).
# Run from pipeline/fit/testdata:  Rscript make_reference.R
# Needs R with the survival package (Debian: r-base-core r-cran-survival).
#
# Two ADTTE datasets with ties:
#   example_adtte.csv  copy of datasets/example/adtte.csv (visit-grid times: many ties)
#   veteran_adtte.csv  survival::veteran (Veterans' Administration lung cancer trial)
#                      recast as ADTTE: TRTP = STANDARD/TEST, PARAMCD = TTDEATH,
#                      covariates KARNO (numeric) and CELLTYPE (character), stratum PRIOR.
# For every (dataset, conf.type, ties) the script writes what ketcurves' fit
# writes, with the same columns, so that the Go test compares file to file.
suppressMessages(library(survival))
f17 <- function(x) ifelse(is.na(x), "", sprintf("%.17g", x))

v <- survival::veteran
vet <- data.frame(STUDYID = "VETERAN", USUBJID = sprintf("V%03d", seq_len(nrow(v))),
                  TRTP = ifelse(v$trt == 1, "STANDARD", "TEST"), PARAMCD = "TTDEATH",
                  AVAL = v$time, CNSR = 1 - v$status, KARNO = v$karno,
                  CELLTYPE = as.character(v$celltype), PRIOR = ifelse(v$prior == 0, "NO", "YES"))
write.csv(vet, "veteran_adtte.csv", row.names = FALSE, quote = FALSE)

cases <- list(
  list(name = "example", file = "example_adtte.csv", control = "MIDAZOLAM",
       covariates = c("AGE", "SEX"), strata = "STRATUM"),
  list(name = "veteran", file = "veteran_adtte.csv", control = "STANDARD",
       covariates = c("KARNO", "CELLTYPE"), strata = "PRIOR")
)

for (cs in cases) {
  d <- read.csv(cs$file, stringsAsFactors = FALSE)
  for (ct in c("log", "log-log", "plain")) {
    km <- NULL; qs <- NULL
    for (p in unique(d$PARAMCD)) {
      dp <- d[d$PARAMCD == p, ]
      arms <- c(cs$control, setdiff(sort(unique(dp$TRTP)), cs$control))
      for (a in sort(unique(dp$TRTP))) {
        da <- dp[dp$TRTP == a, ]
        # The exact call: survfit(Surv(AVAL, 1 - CNSR) ~ 1, data = da, conf.type = ct)
        fit <- survfit(Surv(AVAL, 1 - CNSR) ~ 1, data = da, conf.type = ct)
        s <- summary(fit, censored = TRUE)
        km <- rbind(km, data.frame(paramcd = p, arm = a, time = f17(s$time), n_risk = s$n.risk,
                                   n_event = s$n.event, n_censor = s$n.censor, surv = f17(s$surv),
                                   std_err = f17(s$std.err), lower = f17(s$lower), upper = f17(s$upper)))
        q <- quantile(fit, probs = c(0.25, 0.5, 0.75))
        qs <- rbind(qs, data.frame(paramcd = p, arm = a, quantile = c(0.25, 0.5, 0.75),
                                   time = f17(q$quantile), lower = f17(q$lower), upper = f17(q$upper)))
      }
    }
    write.csv(km, sprintf("ref_%s_%s_km.csv", cs$name, ct), row.names = FALSE, quote = FALSE)
    write.csv(qs, sprintf("ref_%s_%s_quantiles.csv", cs$name, ct), row.names = FALSE, quote = FALSE)
  }
  for (ties in c("efron", "breslow")) {
    tests <- NULL; cx <- NULL
    for (p in unique(d$PARAMCD)) {
      dp <- d[d$PARAMCD == p, ]
      dp$TRTP <- relevel(factor(dp$TRTP), ref = cs$control)
      # survdiff(Surv(AVAL, 1 - CNSR) ~ TRTP + strata(<strata>), data = dp)
      sd <- survdiff(as.formula(sprintf("Surv(AVAL, 1 - CNSR) ~ TRTP + strata(%s)", cs$strata)), data = dp)
      df <- length(sd$n) - 1
      tests <- rbind(tests, data.frame(paramcd = p, test = "logrank", statistic = f17(sd$chisq), df = df,
                                       p_value = f17(pchisq(sd$chisq, df, lower.tail = FALSE))))
      # coxph(Surv(AVAL, 1 - CNSR) ~ TRTP + <covariates> + strata(<strata>), data = dp, ties = ties)
      fml <- as.formula(sprintf("Surv(AVAL, 1 - CNSR) ~ TRTP + %s + strata(%s)",
                                paste(cs$covariates, collapse = " + "), cs$strata))
      fit <- coxph(fml, data = dp, ties = ties)
      sm <- summary(fit)
      tests <- rbind(tests,
        # summary.coxph rounds its Wald statistic to 2 decimals: use fit$wald.test.
        data.frame(paramcd = p, test = "cox_wald", statistic = f17(fit$wald.test), df = sm$waldtest["df"],
                   p_value = f17(pchisq(fit$wald.test, sm$waldtest["df"], lower.tail = FALSE))),
        data.frame(paramcd = p, test = "cox_lr", statistic = f17(sm$logtest["test"]), df = sm$logtest["df"], p_value = f17(sm$logtest["pvalue"])),
        data.frame(paramcd = p, test = "cox_score", statistic = f17(sm$sctest["test"]), df = sm$sctest["df"], p_value = f17(sm$sctest["pvalue"])))
      co <- sm$coefficients; ci <- sm$conf.int
      term <- rownames(co)
      term <- sub("^TRTP", "TRTP:", term)
      for (cv in cs$covariates) term <- sub(sprintf("^%s(.+)$", cv), sprintf("%s:\\1", cv), term)
      cx <- rbind(cx, data.frame(paramcd = p, term = term, coef = f17(co[, "coef"]), hr = f17(co[, "exp(coef)"]),
                                 se = f17(co[, "se(coef)"]), z = f17(co[, "z"]), p_value = f17(co[, "Pr(>|z|)"]),
                                 hr_lower = f17(ci[, "lower .95"]), hr_upper = f17(ci[, "upper .95"])))
    }
    write.csv(tests, sprintf("ref_%s_%s_tests.csv", cs$name, ties), row.names = FALSE, quote = FALSE)
    write.csv(cx, sprintf("ref_%s_%s_cox.csv", cs$name, ties), row.names = FALSE, quote = FALSE)
  }
}
writeLines(sprintf("R %s, survival %s", getRversion(), packageVersion("survival")), "reference_versions.txt")

# Subgroup analyses (fit -subgroups PRIOR): within each level of PRIOR,
#   survdiff(Surv(AVAL, 1 - CNSR) ~ TRTP, data = ds)
#   coxph(Surv(AVAL, 1 - CNSR) ~ TRTP + KARNO + CELLTYPE, data = ds, ties = "efron")
# (the subgroup column is also the strata column, so within a subgroup the
# analysis is unstratified).
d <- read.csv("veteran_adtte.csv", stringsAsFactors = FALSE)
sg <- NULL
for (lv in sort(unique(d$PRIOR))) {
  ds <- d[d$PRIOR == lv, ]
  ds$TRTP <- relevel(factor(ds$TRTP), ref = "STANDARD")
  sd <- survdiff(Surv(AVAL, 1 - CNSR) ~ TRTP, data = ds)
  df <- length(sd$n) - 1
  fit <- coxph(Surv(AVAL, 1 - CNSR) ~ TRTP + KARNO + CELLTYPE, data = ds, ties = "efron")
  co <- summary(fit)$coefficients; ci <- summary(fit)$conf.int
  sg <- rbind(sg, data.frame(paramcd = "TTDEATH", subgroup = "PRIOR", level = lv, term = "TRTP:TEST",
                             n = nrow(ds), events = sum(1 - ds$CNSR),
                             hr = f17(co["TRTPTEST", "exp(coef)"]), hr_lower = f17(ci["TRTPTEST", "lower .95"]),
                             hr_upper = f17(ci["TRTPTEST", "upper .95"]), p_value = f17(co["TRTPTEST", "Pr(>|z|)"]),
                             logrank_chisq = f17(sd$chisq), logrank_df = df,
                             logrank_p = f17(pchisq(sd$chisq, df, lower.tail = FALSE)), status = "ok"))
}
write.csv(sg, "ref_veteran_subgroups.csv", row.names = FALSE, quote = FALSE)
