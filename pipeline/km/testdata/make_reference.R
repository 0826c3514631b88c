# Reference values for package km (pipeline/km), from R's survival package.
# Run from this directory:  Rscript make_reference.R
# Writes the input data sets (sim.csv, aml.csv, veteran.csv, flat.csv) and
#   km_reference.csv  summary(survfit(...), censored = TRUE) columns per curve and conf.type
#   km_quantiles.csv  quantile(fit, probs = ...) with CIs per curve and conf.type
# Numbers are written with sprintf("%.17g"); NA is written as NA.
library(survival)

num <- function(x) ifelse(is.na(x), "NA", sprintf("%.17g", x))

# 1. Simulated 3-arm trial, times rounded up to whole days, so that events and
#    censorings tie. Arm 2 has little censoring so its curve reaches 0.
set.seed(20261125)
n <- 120
arm <- rep(0:2, each = n / 3)
site <- sample(0:2, n, replace = TRUE)
rate <- c(1 / 60, 1 / 90, 1 / 30)[arm + 1]
ev <- ceiling(rexp(n, rate))
cens <- ceiling(runif(n, 10, 200))
cens[arm == 2 & runif(n) < 0.8] <- Inf
time <- pmin(ev, cens)
status <- as.integer(ev <= cens)
sim <- data.frame(id = seq_len(n), time = time, status = status, arm = arm, site = site)
write.csv(sim, "sim.csv", row.names = FALSE, quote = FALSE)

# 2. survival::aml (maintained vs non-maintained chemotherapy), group 0/1.
aml2 <- data.frame(time = aml$time, status = aml$status,
                   arm = as.integer(aml$x == "Nonmaintained"))
write.csv(aml2, "aml.csv", row.names = FALSE, quote = FALSE)

# 3. survival::veteran, arm = trt - 1.
vet <- data.frame(time = veteran$time, status = veteran$status, arm = veteran$trt - 1L)
write.csv(vet, "veteran.csv", row.names = FALSE, quote = FALSE)

# 4. The small data set of survival's tests/quantile.R, whose curve has flat
#    segments exactly at some of the requested quantiles (row with NA status dropped).
flat <- data.frame(time = c(9, 1, 1, 6, 6, 8, 10), status = c(1, 1, 0, 1, 1, 0, 0), arm = 0L)
write.csv(flat, "flat.csv", row.names = FALSE, quote = FALSE)

datasets <- list(sim = sim, aml = aml2, veteran = vet, flat = flat)
probs <- c(0.1, 0.25, 0.5, 0.75, 0.9)
flatprobs <- 1 - c(13/14, 6/7, 2/3, .5, 9/35, .1)

rows <- list(); qrows <- list()
for (ds in names(datasets)) {
  d <- datasets[[ds]]
  curves <- c("all", sort(unique(d$arm)))
  for (cv in curves) {
    dd <- if (cv == "all") d else d[d$arm == as.integer(cv), ]
    for (ct in c("log", "log-log", "plain")) {
      # The R call compared in the Go tests:
      fit <- survfit(Surv(time, status) ~ 1, data = dd, conf.type = ct, conf.int = 0.95)
      s <- summary(fit, censored = TRUE)
      rows[[length(rows) + 1]] <- data.frame(
        dataset = ds, curve = cv, conftype = ct, time = num(s$time),
        n.risk = s$n.risk, n.event = s$n.event, n.censor = s$n.censor,
        surv = num(s$surv), std.err = num(s$std.err),
        lower = num(s$lower), upper = num(s$upper))
      pr <- if (ds == "flat") c(probs, flatprobs) else probs
      q <- quantile(fit, probs = pr, conf.int = TRUE)
      qrows[[length(qrows) + 1]] <- data.frame(
        dataset = ds, curve = cv, conftype = ct, prob = num(pr),
        quantile = num(q$quantile), lower = num(q$lower), upper = num(q$upper))
    }
  }
}
write.csv(do.call(rbind, rows), "km_reference.csv", row.names = FALSE, quote = FALSE)
write.csv(do.call(rbind, qrows), "km_quantiles.csv", row.names = FALSE, quote = FALSE)
cat("R", R.version$major, ".", R.version$minor, " survival ", format(packageVersion("survival")), "\n",
    sep = "", file = "R_VERSION")
