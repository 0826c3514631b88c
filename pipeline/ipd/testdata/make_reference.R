# Reference values for package ipd (pipeline/ipd), from R's survival and metafor.
# Run from this directory:  Rscript make_reference.R
# Writes the input data sets
#   veteran.csv  survival::veteran: time, status, trt (1 = test chemotherapy), study = celltype
#   ttresp.csv   time to response (PARAMCD TTRESP) of the three bundled ketamine vs
#                midazolam studies, pooled from reports/<study>/adtte.csv: study, usubjid,
#                trt (1 = KETAMINE), AVAL, CNSR
# and the reference values
#   reference.csv  dataset, quantity, term, value
# Numbers are written with sprintf("%.17g").
library(survival)
library(metafor)

num <- function(x) ifelse(is.na(x), "NA", sprintf("%.17g", x))

vet <- data.frame(time = veteran$time, status = veteran$status,
                  trt = as.integer(veteran$trt == 2), study = as.character(veteran$celltype))
write.csv(vet, "veteran.csv", row.names = FALSE, quote = FALSE)

studies <- c("fineberg2023-bpd", "murrough2013-ajp", "su2023-si")
tt <- do.call(rbind, lapply(studies, function(s) {
  a <- read.csv(file.path("..", "..", "..", "reports", s, "adtte.csv"), stringsAsFactors = FALSE)
  a <- a[a$PARAMCD == "TTRESP", ]
  data.frame(study = s, usubjid = a$USUBJID, trt = as.integer(a$TRTP == "KETAMINE"),
             AVAL = a$AVAL, CNSR = a$CNSR)
}))
write.csv(tt, "ttresp.csv", row.names = FALSE, quote = FALSE)

rows <- list()
add <- function(dataset, quantity, term, value) {
  rows[[length(rows) + 1]] <<- data.frame(dataset = dataset, quantity = quantity, term = term, value = num(value))
}

reference <- function(name, d) {
  # One stage: common effect, stratified by study.
  fit0 <- coxph(Surv(time, status) ~ trt + strata(study), data = d)
  s0 <- summary(fit0)
  add(name, "coef", "trt", coef(fit0)[["trt"]])
  add(name, "se", "trt", sqrt(vcov(fit0))[1, 1])
  add(name, "hr_lower", "trt", s0$conf.int[1, "lower .95"])
  add(name, "hr_upper", "trt", s0$conf.int[1, "upper .95"])
  add(name, "p", "trt", s0$coefficients[1, "Pr(>|z|)"])
  add(name, "loglik0", "", fit0$loglik[1])
  add(name, "loglik", "common", fit0$loglik[2])
  # Interaction: one treatment term per study.
  fit1 <- coxph(Surv(time, status) ~ trt:factor(study) + strata(study), data = d)
  add(name, "loglik", "interaction", fit1$loglik[2])
  for (j in seq_along(coef(fit1))) {
    add(name, "coef", names(coef(fit1))[j], coef(fit1)[j])
    add(name, "se", names(coef(fit1))[j], sqrt(diag(vcov(fit1)))[j])
  }
  a <- anova(fit0, fit1)
  add(name, "lr_chisq", "interaction", a$Chisq[2])
  add(name, "lr_df", "interaction", a$Df[2])
  add(name, "lr_p", "interaction", a[["Pr(>|Chi|)"]][2])
  # Two stage: per-study Cox, then REML pooling (z and Knapp-Hartung).
  lev <- sort(unique(d$study))
  yi <- sei <- numeric(length(lev))
  for (j in seq_along(lev)) {
    f <- coxph(Surv(time, status) ~ trt, data = d[d$study == lev[j], ])
    yi[j] <- coef(f)[["trt"]]
    sei[j] <- sqrt(vcov(f))[1, 1]
    add(name, "study_coef", lev[j], yi[j])
    add(name, "study_se", lev[j], sei[j])
  }
  for (test in c("z", "knha")) {
    m <- rma(yi, sei = sei, method = "REML", test = test)
    add(name, paste0("reml_", test, "_estimate"), "", m$b[1])
    add(name, paste0("reml_", test, "_se"), "", m$se)
    add(name, paste0("reml_", test, "_lower"), "", m$ci.lb)
    add(name, paste0("reml_", test, "_upper"), "", m$ci.ub)
    add(name, paste0("reml_", test, "_tau2"), "", m$tau2)
  }
}

reference("veteran", vet)
tt2 <- data.frame(time = tt$AVAL, status = 1 - tt$CNSR, trt = tt$trt, study = tt$study)
reference("ttresp", tt2)

write.csv(do.call(rbind, rows), "reference.csv", row.names = FALSE, quote = FALSE)
writeLines(c(R.version.string, paste("survival", packageVersion("survival")),
             paste("metafor", packageVersion("metafor"))), "R_VERSION")
