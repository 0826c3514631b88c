# Reference values for package trajectory (pipeline/trajectory), from base R.
# Run from this directory:  Rscript make_reference.R
# Writes the inputs
#   chickweight.csv  R's datasets::ChickWeight (Crowder & Hand 1990): weight of
#                    50 chicks by day (Time) and diet; chicks drop out, so the
#                    later days have fewer chicks. No visit labels.
#   bpd_scores.csv   datasets/fineberg2023-bpd adqs.csv (synthetic) joined with
#                    adsl.csv's TRT01P as ARM.
# and the references
#   means_reference.csv  per dataset, parameter, arm and visit:
#                        n, mean, sd, se and t.test(x, conf.level = 0.95)$conf.int
#                        (conf.level 0.90 as well for ChickWeight).
# Numbers are written with sprintf("%.17g"); NA is written as NA.
num <- function(x) ifelse(is.na(x), "NA", sprintf("%.17g", x))

cw <- data.frame(USUBJID = paste0("CHICK", as.character(ChickWeight$Chick)),
                 ARM = paste0("DIET", as.character(ChickWeight$Diet)),
                 PARAMCD = "WEIGHT", AVISIT = "", ADY = ChickWeight$Time,
                 AVAL = ChickWeight$weight)
write.csv(cw, "chickweight.csv", row.names = FALSE, quote = FALSE)

adqs <- read.csv("../../../datasets/fineberg2023-bpd/adqs.csv", stringsAsFactors = FALSE)
adsl <- read.csv("../../../datasets/fineberg2023-bpd/adsl.csv", stringsAsFactors = FALSE)
bpd <- merge(adqs, data.frame(USUBJID = adsl$USUBJID, ARM = adsl$TRT01P), by = "USUBJID", sort = FALSE)
bpd <- bpd[order(bpd$USUBJID, bpd$PARAMCD, bpd$ADY), c("USUBJID", "ARM", "PARAMCD", "AVISIT", "ADY", "AVAL")]
write.csv(bpd, "bpd_scores.csv", row.names = FALSE, quote = FALSE)

rows <- list()
summarise <- function(name, d, level) {
  # The R calls compared in the Go tests: the means of
  #   aggregate(AVAL ~ PARAMCD + AVISIT + ADY + ARM, data = d, FUN = mean)
  # and, per group, t.test(AVAL, conf.level = level)$conf.int.
  agg <- aggregate(AVAL ~ PARAMCD + AVISIT + ADY + ARM, data = d, FUN = mean)
  for (i in seq_len(nrow(agg))) {
    g <- agg[i, ]
    x <- d$AVAL[d$PARAMCD == g$PARAMCD & d$AVISIT == g$AVISIT & d$ADY == g$ADY & d$ARM == g$ARM]
    n <- length(x)
    ci <- c(NA, NA)
    if (n >= 2 && sd(x) > 0) ci <- t.test(x, conf.level = level)$conf.int
    rows[[length(rows) + 1]] <<- data.frame(dataset = name, level = level,
      param = g$PARAMCD, arm = g$ARM, visit = g$AVISIT, day = num(g$ADY), n = n,
      mean = num(g$AVAL), sd = num(sd(x)), se = num(sd(x) / sqrt(n)),
      lower = num(ci[1]), upper = num(ci[2]))
  }
}
summarise("chickweight", cw, 0.95)
summarise("chickweight", cw, 0.90)
summarise("bpd", bpd, 0.95)
write.csv(do.call(rbind, rows), "means_reference.csv", row.names = FALSE, quote = FALSE)
