# make_reference_ext.R writes the test data and R survival reference values
# for the extensions of package cox: delayed entry (counting-process data),
# the robust sandwich variance, cox.zph and piecewise hazard ratios. It
# complements make_reference.R (whose outputs it reads but does not change).
# Run from this directory:
#
#   Rscript make_reference_ext.R
#
# Outputs (all committed):
#   lung_inst.csv      survival::lung, complete cases of time, status, age, sex,
#                      ph.ecog, inst (226 rows), plus a made-up delayed-entry
#                      column "entry" (seeded; 0 for about half the patients)
#   heart.csv          survival::heart (Stanford heart transplant, counting process)
#   sim_entry.csv      ENTRY column for sim.csv (same row order, seeded)
#   reference_ext.csv  case, quantity, term, value (sprintf("%.17g"))
#   zph_residuals.csv  case, row, time, stratum, x, term, y: cox.zph's $time,
#                      $strata, $x and $y (scaled Schoenfeld residuals)
#   calls_ext.txt      case <TAB> R call
suppressPackageStartupMessages(library(survival))

# ---- data ------------------------------------------------------------------
lung_inst <- lung[complete.cases(lung[, c("time", "status", "age", "sex", "ph.ecog", "inst")]),
                  c("time", "status", "age", "sex", "ph.ecog", "inst")]
set.seed(20261201)
late <- runif(nrow(lung_inst)) < 0.5
# entry strictly before time, whole days, often equal to other patients' times
lung_inst$entry <- ifelse(late, floor(runif(nrow(lung_inst)) * lung_inst$time * 0.6), 0)
write.csv(lung_inst, "lung_inst.csv", row.names = FALSE, quote = FALSE)

heart_csv <- heart[, c("start", "stop", "event", "age", "year", "surgery", "transplant", "id")]
heart_csv$transplant <- as.integer(as.character(heart_csv$transplant))
write.csv(heart_csv, "heart.csv", row.names = FALSE, quote = FALSE)

sim <- read.csv("sim.csv")
set.seed(20261202)
late <- runif(nrow(sim)) < 0.6
ENTRY <- ifelse(late, floor(runif(nrow(sim)) * sim$AVAL), 0)  # whole days, < AVAL
write.csv(data.frame(USUBJID = sim$USUBJID, ENTRY = ENTRY), "sim_entry.csv",
          row.names = FALSE, quote = FALSE)

sim$ARM <- factor(sim$ARM, levels = c("SSRI", "Ketamine", "Esketamine"))
sim$SEX <- factor(sim$SEX, levels = c("F", "M"))
sim$ENTRY <- read.csv("sim_entry.csv")$ENTRY
sim$KET <- as.integer(sim$ARM == "Ketamine")
sim$ESK <- as.integer(sim$ARM == "Esketamine")
lung_inst <- read.csv("lung_inst.csv")
heart <- read.csv("heart.csv")

# Piecewise data sets: survSplit at the cuts, episode tgroup = 1, 2, ...
lung_split <- survSplit(Surv(time, status == 2) ~ ., data = lung_inst, cut = c(180, 365),
                        episode = "tgroup")
sim_split <- survSplit(Surv(AVAL, 1 - CNSR) ~ ., data = sim, cut = c(7, 21), episode = "tgroup")
sim_split_entry <- survSplit(Surv(ENTRY, AVAL, 1 - CNSR) ~ ., data = sim, cut = c(7, 21),
                             episode = "tgroup")

# ---- fits ------------------------------------------------------------------
cases <- list(
  # robust sandwich variance
  lung_cluster_efron          = quote(coxph(Surv(time, status == 2) ~ age + sex + ph.ecog, data = lung_inst, cluster = inst)),
  lung_cluster_breslow        = quote(coxph(Surv(time, status == 2) ~ age + sex + ph.ecog, data = lung_inst, cluster = inst, ties = "breslow")),
  lung_cluster_strata_efron   = quote(coxph(Surv(time, status == 2) ~ age + ph.ecog + strata(sex), data = lung_inst, cluster = inst)),
  lung_cluster_strata_breslow = quote(coxph(Surv(time, status == 2) ~ age + ph.ecog + strata(sex), data = lung_inst, cluster = inst, ties = "breslow")),
  lung_robust_efron           = quote(coxph(Surv(time, status == 2) ~ age + sex + ph.ecog, data = lung_inst, robust = TRUE)),
  sim_robust_strata_efron     = quote(coxph(Surv(AVAL, 1 - CNSR) ~ ARM + AGE + SEX + strata(STRATUM), data = sim, robust = TRUE)),
  sim_robust_strata_breslow   = quote(coxph(Surv(AVAL, 1 - CNSR) ~ ARM + AGE + SEX + strata(STRATUM), data = sim, robust = TRUE, ties = "breslow")),
  # delayed entry
  lung_entry_efron            = quote(coxph(Surv(entry, time, status == 2) ~ age + sex + ph.ecog, data = lung_inst)),
  lung_entry_breslow          = quote(coxph(Surv(entry, time, status == 2) ~ age + sex + ph.ecog, data = lung_inst, ties = "breslow")),
  lung_entry_cluster_strata_efron = quote(coxph(Surv(entry, time, status == 2) ~ age + ph.ecog + strata(sex), data = lung_inst, cluster = inst)),
  sim_entry_strata_efron      = quote(coxph(Surv(ENTRY, AVAL, 1 - CNSR) ~ ARM + AGE + SEX + strata(STRATUM), data = sim, cluster = USUBJID)),
  sim_entry_strata_breslow    = quote(coxph(Surv(ENTRY, AVAL, 1 - CNSR) ~ ARM + AGE + SEX + strata(STRATUM), data = sim, cluster = USUBJID, ties = "breslow")),
  heart_cluster_efron         = quote(coxph(Surv(start, stop, event) ~ age + year + surgery + transplant, data = heart, cluster = id)),
  heart_cluster_breslow       = quote(coxph(Surv(start, stop, event) ~ age + year + surgery + transplant, data = heart, cluster = id, ties = "breslow")),
  heart_cluster_strata_efron  = quote(coxph(Surv(start, stop, event) ~ age + year + transplant + strata(surgery), data = heart, cluster = id)),
  # piecewise treatment effects
  lung_piecewise_efron        = quote(coxph(Surv(tstart, time, event) ~ sex:strata(tgroup) + age + ph.ecog, data = lung_split)),
  lung_piecewise_cluster_breslow = quote(coxph(Surv(tstart, time, event) ~ sex:strata(tgroup) + age + ph.ecog, data = lung_split, cluster = inst, ties = "breslow")),
  sim_piecewise_strata_efron  = quote(coxph(Surv(tstart, AVAL, event) ~ KET:strata(tgroup) + ESK + AGE + SEX + strata(STRATUM), data = sim_split)),
  sim_piecewise_entry_efron   = quote(coxph(Surv(ENTRY, AVAL, event) ~ KET:strata(tgroup) + ESK + AGE + SEX, data = sim_split_entry))
)

# cox.zph on some of the fits above or on fits of make_reference.R.
zph_cases <- list(
  lung_zph_km       = quote(cox.zph(coxph(Surv(time, status == 2) ~ age + sex + ph.ecog, data = lung_inst), transform = "km", terms = FALSE)),
  lung_zph_rank     = quote(cox.zph(coxph(Surv(time, status == 2) ~ age + sex + ph.ecog, data = lung_inst), transform = "rank", terms = FALSE)),
  lung_zph_identity = quote(cox.zph(coxph(Surv(time, status == 2) ~ age + sex + ph.ecog, data = lung_inst), transform = "identity", terms = FALSE)),
  lung_zph_breslow_km = quote(cox.zph(coxph(Surv(time, status == 2) ~ age + sex + ph.ecog, data = lung_inst, ties = "breslow"), transform = "km", terms = FALSE)),
  lung_zph_strata_km = quote(cox.zph(coxph(Surv(time, status == 2) ~ age + ph.ecog + strata(sex), data = lung_inst), transform = "km", terms = FALSE)),
  sim_zph_strata_rank = quote(cox.zph(coxph(Surv(AVAL, 1 - CNSR) ~ ARM + AGE + SEX + strata(STRATUM), data = sim), transform = "rank", terms = FALSE)),
  sim_zph_km        = quote(cox.zph(coxph(Surv(AVAL, 1 - CNSR) ~ ARM + AGE + SEX, data = sim), transform = "km", terms = FALSE)),
  heart_zph_km      = quote(cox.zph(coxph(Surv(start, stop, event) ~ age + year + surgery + transplant, data = heart), transform = "km", terms = FALSE)),
  heart_zph_strata_identity = quote(cox.zph(coxph(Surv(start, stop, event) ~ age + year + transplant + strata(surgery), data = heart, ties = "breslow"), transform = "identity", terms = FALSE)),
  lung_entry_zph_rank = quote(cox.zph(coxph(Surv(entry, time, status == 2) ~ age + sex + ph.ecog, data = lung_inst), transform = "rank", terms = FALSE))
)

num <- function(x) ifelse(is.na(x), "NA", sprintf("%.17g", x))
rows <- list()
add <- function(case, quantity, term, value) {
  rows[[length(rows) + 1]] <<- data.frame(case = case, quantity = quantity, term = term,
                                          value = num(value))
}
calls <- character()
for (case in names(cases)) {
  fit <- eval(cases[[case]])
  calls <- c(calls, paste0(case, "\t", deparse1(cases[[case]])))
  s <- summary(fit)
  ct <- s$coefficients
  ci <- s$conf.int
  robust <- !is.null(fit$naive.var)
  for (term in names(coef(fit))) {
    add(case, "coef", term, coef(fit)[term])
    add(case, "se", term, ct[term, "se(coef)"])
    if (robust) add(case, "robust_se", term, ct[term, "robust se"])
    add(case, "z", term, ct[term, "z"])
    add(case, "p", term, ct[term, "Pr(>|z|)"])
    add(case, "lower", term, ci[term, "lower .95"])
    add(case, "upper", term, ci[term, "upper .95"])
  }
  tn <- names(coef(fit))
  for (i in seq_along(tn)) for (j in seq_along(tn)) {
    add(case, "var", paste0(tn[i], ":", tn[j]), fit$var[i, j])
    if (robust) add(case, "naive_var", paste0(tn[i], ":", tn[j]), fit$naive.var[i, j])
  }
  add(case, "loglik0", "", fit$loglik[1])
  add(case, "loglik", "", fit$loglik[2])
  # summary() rounds the Wald statistic for printing; fit$wald.test is
  # unrounded (with robust variance when robust).
  add(case, "waldtest_unrounded", "", fit$wald.test)
  for (tst in c("waldtest", "logtest", "sctest", if (robust) "robscore")) {
    add(case, paste0(tst, "_df"), "", s[[tst]]["df"])
    add(case, paste0(tst, "_p"), "", s[[tst]]["pvalue"])
  }
  add(case, "sctest", "", s$sctest["test"])
  add(case, "logtest", "", s$logtest["test"])
  if (robust) add(case, "robscore", "", s$robscore["test"])
  add(case, "iter", "", fit$iter)
  add(case, "n", "", fit$n)
  add(case, "events", "", fit$nevent)
}

zrows <- list()
for (case in names(zph_cases)) {
  z <- eval(zph_cases[[case]])
  calls <- c(calls, paste0(case, "\t", deparse1(zph_cases[[case]])))
  tbl <- z$table
  for (term in rownames(tbl)) {
    add(case, "chisq", term, tbl[term, "chisq"])
    add(case, "df", term, tbl[term, "df"])
    add(case, "p", term, tbl[term, "p"])
  }
  st <- if (is.null(z$strata)) rep("", length(z$time)) else as.character(z$strata)
  for (term in colnames(z$y)) {
    zrows[[length(zrows) + 1]] <- data.frame(case = case, row = seq_along(z$time),
      time = num(z$time), stratum = st, x = num(z$x), term = term, y = num(z$y[, term]))
  }
}

write.csv(do.call(rbind, rows), "reference_ext.csv", row.names = FALSE, quote = FALSE)
write.csv(do.call(rbind, zrows), "zph_residuals.csv", row.names = FALSE, quote = FALSE)
writeLines(calls, "calls_ext.txt")
cat(R.version.string, "survival", as.character(packageVersion("survival")), "\n",
    file = "R_version.txt")
