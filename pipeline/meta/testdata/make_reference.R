# Reference values for package meta (pipeline/meta), from R's metafor package.
# Run from this directory:  Rscript make_reference.R
# Writes the input data sets
#   bcg.csv        metafor's dat.bcg as log risk ratios:
#                  escalc(measure = "RR", ai = tpos, bi = tneg, ci = cpos, di = cneg, data = dat.bcg)
#   riley_os.csv   metadat's dat.riley2003, outcome == "OS": log hazard ratios (MYCN, neuroblastoma)
#   hr4.csv        the first four studies of riley_os.csv as hr,lower,upper (95% CI rounded to 4 digits)
# and the reference values
#   meta_reference.csv      rma(), confint() and predict() per data set, method and test
#   leave1out_reference.csv leave1out() per data set, method and test
#   regtest_reference.csv   regtest(yi, vi, model = "lm", predictor = "sei") (classical Egger test)
# Numbers are written with sprintf("%.17g"); NA is written as NA.
#
# metafor solves the Paule-Mandel equation and the Q-profile limits with
# uniroot(tol = .Machine$double.eps^0.25), about 1.2e-4 absolute in tau^2;
# the Go code solves them to machine precision, so this script asks for
# tol = 1e-12. REML uses metafor's default Fisher scoring (threshold 1e-5),
# which the Go code replicates step by step, and also threshold 1e-12.
suppressPackageStartupMessages(library(metafor))

num <- function(x) if (is.null(x)) "NA" else ifelse(is.na(x), "NA", sprintf("%.17g", x))

bcg <- escalc(measure = "RR", ai = tpos, bi = tneg, ci = cpos, di = cneg, data = dat.bcg)
bcg <- data.frame(study = paste0(gsub(",", "", bcg$author), " ", bcg$year),
                  yi = as.numeric(bcg$yi), vi = as.numeric(bcg$vi))
bcg$sei <- sqrt(bcg$vi)
write.csv(bcg, "bcg.csv", row.names = FALSE, quote = FALSE)

riley <- dat.riley2003[dat.riley2003$outcome == "OS", ]
riley <- data.frame(study = paste0("study", riley$study), yi = riley$yi, vi = riley$sei^2, sei = riley$sei)
write.csv(riley, "riley_os.csv", row.names = FALSE, quote = FALSE)

z <- qnorm(0.975)
hr4 <- data.frame(study = riley$study[1:4], hr = round(exp(riley$yi[1:4]), 4),
                  lower = round(exp(riley$yi[1:4] - z * riley$sei[1:4]), 4),
                  upper = round(exp(riley$yi[1:4] + z * riley$sei[1:4]), 4))
write.csv(hr4, "hr4.csv", row.names = FALSE, quote = FALSE)
hr4$yi <- log(hr4$hr)
hr4$sei <- (log(hr4$upper) - log(hr4$lower)) / (2 * qnorm(0.975))
hr4$vi <- hr4$sei^2

datasets <- list(bcg = bcg, riley_os = riley, hr4 = hr4)
fits <- list(
  list(method = "FE", test = "z", control = list()),
  list(method = "DL", test = "z", control = list()),
  list(method = "DL", test = "knha", control = list()),
  list(method = "REML", test = "z", control = list()),
  list(method = "REML", test = "knha", control = list()),
  list(method = "REML", test = "z", control = list(threshold = 1e-12), tag = "REML_tight"),
  list(method = "PM", test = "z", control = list(tol = 1e-12)),
  list(method = "PM", test = "knha", control = list(tol = 1e-12)))

main <- NULL
l1o <- NULL
for (dn in names(datasets)) {
  d <- datasets[[dn]]
  for (f in fits) {
    tag <- if (is.null(f$tag)) f$method else f$tag
    m <- rma(yi, vi, data = d, method = f$method, test = f$test, control = f$control)
    if (f$method == "FE") {
      tci <- c(NA, NA); i2ci <- c(NA, NA); h2ci <- c(NA, NA); pil <- NA; piu <- NA
    } else {
      ci <- confint(m, control = list(tol = 1e-12))
      tci <- ci$random["tau^2", 2:3]; i2ci <- ci$random["I^2(%)", 2:3]; h2ci <- ci$random["H^2", 2:3]
      p <- predict(m)
      pil <- p$pi.lb; piu <- p$pi.ub
    }
    main <- rbind(main, data.frame(dataset = dn, method = tag, test = f$test, k = m$k,
      estimate = num(m$b[1]), se = num(m$se), stat = num(m$zval), pval = num(m$pval),
      lower = num(m$ci.lb), upper = num(m$ci.ub), tau2 = num(m$tau2),
      tau2_lower = num(tci[1]), tau2_upper = num(tci[2]),
      i2 = num(m$I2), i2_lower = num(i2ci[1]), i2_upper = num(i2ci[2]),
      h2 = num(m$H2), h2_lower = num(h2ci[1]), h2_upper = num(h2ci[2]),
      q = num(m$QE), q_p = num(m$QEp), pi_lower = num(pil), pi_upper = num(piu),
      iterations = if (is.null(m$iter)) NA else m$iter))
    if (is.null(f$tag)) {
      lo <- leave1out(m)
      l1o <- rbind(l1o, data.frame(dataset = dn, method = tag, test = f$test, omitted = d$study,
        estimate = num(lo$estimate), se = num(lo$se), stat = num(if (is.null(lo$zval)) lo$tval else lo$zval), pval = num(lo$pval),
        lower = num(lo$ci.lb), upper = num(lo$ci.ub), q = num(lo$Q), q_p = num(lo$Qp),
        tau2 = num(lo$tau2), i2 = num(lo$I2), h2 = num(lo$H2)))
    }
  }
}
write.csv(main, "meta_reference.csv", row.names = FALSE, quote = FALSE)
write.csv(l1o, "leave1out_reference.csv", row.names = FALSE, quote = FALSE)

eg <- NULL
for (dn in c("bcg", "riley_os")) {
  d <- datasets[[dn]]
  r <- regtest(d$yi, d$vi, model = "lm", predictor = "sei")
  eg <- rbind(eg, data.frame(dataset = dn, k = nrow(d), stat = num(r$zval), pval = num(r$pval),
    df = r$ddf, limit = num(r$est), limit_lower = num(r$ci.lb), limit_upper = num(r$ci.ub)))
}
write.csv(eg, "regtest_reference.csv", row.names = FALSE, quote = FALSE)
writeLines(paste0(R.version$major, ".", R.version$minor, " metafor ", packageVersion("metafor")), "R_VERSION")
