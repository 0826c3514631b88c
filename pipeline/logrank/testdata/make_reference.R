# Reference values for package logrank (pipeline/logrank), from R's survival package.
# Run from this directory:  Rscript make_reference.R
# Writes the input data sets (sim.csv, aml.csv, veteran.csv, early.csv) and
# logrank_reference.csv in long form: dataset, test, quantity, i, j, value, with
#   quantity n, obs, exp (per group i), var (i, j), chisq, df, pvalue
# from survdiff(Surv(time, status) ~ factor(arm)) ("plain") and
# survdiff(Surv(time, status) ~ factor(arm) + strata(stratum)) ("strata").
# obs and exp are summed over strata (rowSums), as survdiff's chisq uses them.
# Numbers are written with sprintf("%.17g").
library(survival)

num <- function(x) ifelse(is.na(x), "NA", sprintf("%.17g", x))

# 1. Simulated 3-arm trial with 3 sites (strata), whole-day times with ties;
#    the same generator as pipeline/km/testdata/make_reference.R.
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
sim <- data.frame(id = seq_len(n), time = time, status = status, arm = arm, stratum = site)
write.csv(sim, "sim.csv", row.names = FALSE, quote = FALSE)

# 2. survival::aml, arm 0 = Maintained, 1 = Nonmaintained; no strata.
aml2 <- data.frame(time = aml$time, status = aml$status,
                   arm = as.integer(aml$x == "Nonmaintained"), stratum = 0L)
write.csv(aml2, "aml.csv", row.names = FALSE, quote = FALSE)

# 3. survival::veteran, arm = trt - 1, stratum = cell type (0..3).
vet <- data.frame(time = veteran$time, status = veteran$status, arm = veteran$trt - 1L,
                  stratum = as.integer(veteran$celltype) - 1L)
write.csv(vet, "veteran.csv", row.names = FALSE, quote = FALSE)

# 4. aml plus a third arm whose two subjects are censored before the first
#    event: expected 0, so survdiff drops the arm from the test (df = 1).
early <- rbind(aml2, data.frame(time = c(1, 2), status = 0L, arm = 2L, stratum = 0L))
write.csv(early, "early.csv", row.names = FALSE, quote = FALSE)

datasets <- list(sim = sim, aml = aml2, veteran = vet, early = early)
rows <- list()
add <- function(ds, test, quantity, i, j, value)
  rows[[length(rows) + 1]] <<- data.frame(dataset = ds, test = test, quantity = quantity,
                                          i = i, j = j, value = num(value))
for (ds in names(datasets)) {
  d <- datasets[[ds]]
  for (test in c("plain", "strata")) {
    if (test == "strata" && length(unique(d$stratum)) < 2) next
    # The R calls compared in the Go tests:
    sd <- if (test == "plain") survdiff(Surv(time, status) ~ factor(arm), data = d)
          else survdiff(Surv(time, status) ~ factor(arm) + strata(stratum), data = d)
    obs <- if (is.matrix(sd$obs)) rowSums(sd$obs) else sd$obs
    exp <- if (is.matrix(sd$exp)) rowSums(sd$exp) else sd$exp
    k <- length(obs)
    for (i in 1:k) {
      add(ds, test, "n", i - 1, "", as.vector(sd$n)[i])
      add(ds, test, "obs", i - 1, "", obs[i])
      add(ds, test, "exp", i - 1, "", exp[i])
      for (j in 1:k) add(ds, test, "var", i - 1, j - 1, sd$var[i, j])
    }
    add(ds, test, "chisq", "", "", sd$chisq)
    add(ds, test, "df", "", "", sum(exp > 0) - 1)
    add(ds, test, "pvalue", "", "", sd$pvalue)
  }
}
write.csv(do.call(rbind, rows), "logrank_reference.csv", row.names = FALSE, quote = FALSE)
cat("R", R.version$major, ".", R.version$minor, " survival ", format(packageVersion("survival")), "\n",
    sep = "", file = "R_VERSION")
