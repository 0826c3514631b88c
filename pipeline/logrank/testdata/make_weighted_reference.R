# Reference values for the weighted log-rank tests, MaxCombo and delayed entry
# of package logrank (pipeline/logrank). Run from this directory:
#   Rscript make_weighted_reference.R
# It reads aml.csv, veteran.csv and sim.csv (written by make_reference.R),
# writes lung.csv (survival::lung), the delayed-entry data sets
# entry_<dataset>.csv, and
#   weighted_reference.csv  dataset, analysis, test, source, quantity, i, j, value
#   maxcombo_reference.csv  dataset, analysis, quantity, i, j, value
#   mvnorm_reference.csv    case, quantity, i, j, value
# Numbers are written with sprintf("%.17g").
#
# survdiff supports only right-censored data ("Right censored data only" for
# Surv(entry, time, status) in survival 3.5.3), and has only the weights
# S(t-)^rho. So the weighted tests are computed here from their formula by
# weighted_test() below, a plain loop over the event times, and checked
# (stopifnot) against every second source that exists:
#   fh:RHO:0 without entry        survdiff(Surv(time, status) ~ arm [+ strata(stratum)], rho = RHO)
#   logrank with and without entry coxph(Surv([entry,] time, status) ~ factor(arm) [+ strata(stratum)],
#                                  ties = "exact")$score  (the exact-partial-likelihood score test
#                                  at beta = 0 is the log-rank test with hypergeometric variance)
#   gehan, tarone_ware, peto_peto, fh:RHO:GAMMA without entry, unstratified:
#                                  coin::logrank_test(Surv(time, status) ~ factor(arm),
#                                  type = "Gehan-Breslow", "Tarone-Ware", "Prentice-Marek",
#                                  "Fleming-Harrington"): the centred linear statistic (sum over the
#                                  second arm of coin's scores minus its expectation) is O - E of the second arm.
#                                  coin's variance is the permutation variance of the scores
#                                  (conditional on all scores), not the sum over event times of
#                                  the hypergeometric variances used by survdiff and SAS, so only
#                                  the statistic U is compared. coin's "Peto-Peto" is the KM
#                                  S(t-), that is fh:1:0; SAS TEST=PETO's weight is coin's
#                                  "Prentice-Marek".
# The MaxCombo p-values: see rank3_prob() below. The rectangle probabilities
# of mvnorm_reference.csv come from mvtnorm::pmvnorm with the deterministic
# Miwa algorithm (steps = 4096), checked against GenzBretz (abseps = 1e-9).
suppressPackageStartupMessages({
  library(survival)
  library(coin)
  library(mvtnorm)
})

num <- function(x) ifelse(is.na(x), "NA", sprintf("%.17g", x))

# survival::lung: status 2 = dead, arm = sex - 1, stratum = ph.ecog (the one
# subject without ph.ecog is left out).
lung2 <- with(lung[!is.na(lung$ph.ecog), ],
              data.frame(time = time, status = as.integer(status == 2),
                         arm = sex - 1L, stratum = as.integer(ph.ecog)))
write.csv(lung2, "lung.csv", row.names = FALSE, quote = FALSE)

datasets <- list(aml = read.csv("aml.csv"), veteran = read.csv("veteran.csv"),
                 lung = lung2, sim = read.csv("sim.csv")[, c("time", "status", "arm", "stratum")])

# Delayed entry: whole-day entry times uniform on [0, time/2), so that entry
# times tie with event times of other subjects (a subject entering at t is
# not at risk at t).
set.seed(20261201)
for (ds in names(datasets)) {
  d <- datasets[[ds]]
  d$entry <- floor(runif(nrow(d)) * d$time / 2)
  stopifnot(all(d$entry < d$time))
  write.csv(d, paste0("entry_", ds, ".csv"), row.names = FALSE, quote = FALSE)
  datasets[[paste0("entry_", ds)]] <- d
}

# weighted_test: the k-sample weighted log-rank test from its formula.
# At each distinct event time t of a stratum, with n at risk (entry < t <= time),
# d events, n_g at risk and d_g events in group g:
#   S(t-)   = prod over earlier event times u of the stratum of (1 - d_u / n_u)  (pooled KM)
#   St(t)   = prod over event times u <= t of (1 - d_u / (n_u + 1))            (Peto-Peto, SAS)
#   w       = 1, S(t-)^rho (1 - S(t-))^gamma, St(t), n or sqrt(n)
#   O_g    += w d_g;  E_g += w d n_g / n
#   V_gh   += w^2 d (n - d) / (n - 1) (n_g / n) (delta_gh - n_h / n)   (n > 1)
# Also returns, for MaxCombo, the per-time weights and variance terms of group 2.
weighted_test <- function(d, kind, rho = 0, gamma = 0, strata = FALSE) {
  k <- max(d$arm) + 1
  entry <- if (is.null(d$entry)) rep(-Inf, nrow(d)) else d$entry
  st <- if (strata) d$stratum else rep(0L, nrow(d))
  O <- E <- numeric(k); V <- matrix(0, k, k)
  w_all <- c(); v2_all <- c(); u2_all <- c()
  for (s in sort(unique(st))) {
    in_s <- st == s
    S <- 1; St <- 1
    for (t in sort(unique(d$time[in_s & d$status == 1]))) {
      risk <- in_s & entry < t & d$time >= t
      dead <- risk & d$time == t & d$status == 1
      n <- sum(risk); dd <- sum(dead)
      ng <- tabulate(d$arm[risk] + 1, k); dg <- tabulate(d$arm[dead] + 1, k)
      St <- St * (1 - dd / (n + 1))
      w <- switch(kind, logrank = 1, fh = S^rho * (1 - S)^gamma, peto_peto = St,
                  gehan = n, tarone_ware = sqrt(n))
      O <- O + w * dg
      E <- E + w * dd * ng / n
      vt <- if (n > 1) dd * (n - dd) / (n - 1) * (outer(ng, ng, function(a, b) -a * b) / n^2 + diag(ng / n, k)) else matrix(0, k, k)
      V <- V + w^2 * vt
      if (k == 2) {
        w_all <- c(w_all, w); v2_all <- c(v2_all, vt[2, 2]); u2_all <- c(u2_all, dg[2] - dd * ng[2] / n)
      }
      S <- S * (1 - dd / n)
    }
  }
  used <- which(E > 0)[-1]
  x <- (O - E)[used]
  chisq <- if (length(used) > 0) drop(t(x) %*% solve(V[used, used, drop = FALSE], x)) else NA
  list(n = tabulate(d$arm + 1, k), obs = O, exp = E, var = V, chisq = chisq, df = length(used),
       pvalue = pchisq(chisq, length(used), lower.tail = FALSE),
       w = w_all, v2 = v2_all, u2 = u2_all)
}

tests <- list(
  logrank = list(kind = "logrank"),
  "fh:1:0" = list(kind = "fh", rho = 1, gamma = 0),
  "fh:0.5:0" = list(kind = "fh", rho = 0.5, gamma = 0),
  "fh:0:1" = list(kind = "fh", rho = 0, gamma = 1),
  "fh:1:1" = list(kind = "fh", rho = 1, gamma = 1),
  "fh:2:0.5" = list(kind = "fh", rho = 2, gamma = 0.5),
  peto_peto = list(kind = "peto_peto"),
  gehan = list(kind = "gehan"),
  tarone_ware = list(kind = "tarone_ware"))

rows <- list()
add <- function(...) rows[[length(rows) + 1]] <<- data.frame(..., stringsAsFactors = FALSE)
put <- function(ds, analysis, test, source, r) {
  k <- length(r$obs)
  for (i in 1:k) {
    add(dataset = ds, analysis = analysis, test = test, source = source, quantity = "n", i = i - 1, j = "", value = num(r$n[i]))
    add(dataset = ds, analysis = analysis, test = test, source = source, quantity = "obs", i = i - 1, j = "", value = num(r$obs[i]))
    add(dataset = ds, analysis = analysis, test = test, source = source, quantity = "exp", i = i - 1, j = "", value = num(r$exp[i]))
    for (j in 1:k)
      add(dataset = ds, analysis = analysis, test = test, source = source, quantity = "var", i = i - 1, j = j - 1, value = num(r$var[i, j]))
  }
  add(dataset = ds, analysis = analysis, test = test, source = source, quantity = "chisq", i = "", j = "", value = num(r$chisq))
  add(dataset = ds, analysis = analysis, test = test, source = source, quantity = "df", i = "", j = "", value = num(r$df))
  add(dataset = ds, analysis = analysis, test = test, source = source, quantity = "pvalue", i = "", j = "", value = num(r$pvalue))
}
close_to <- function(a, b, tol = 1e-9) all(abs(a - b) <= tol * pmax(1, abs(b)))

for (ds in names(datasets)) {
  d <- datasets[[ds]]
  has_entry <- !is.null(d$entry)
  for (strata in c(FALSE, TRUE)) {
    analysis <- if (strata) "strata" else "plain"
    for (test in names(tests)) {
      a <- tests[[test]]
      r <- weighted_test(d, a$kind, if (is.null(a$rho)) 0 else a$rho, if (is.null(a$gamma)) 0 else a$gamma, strata)
      source <- "formula"
      if (!has_entry && a$kind %in% c("logrank", "fh") && (is.null(a$gamma) || a$gamma == 0)) {
        # The R calls compared in the Go tests for fh:RHO:0 without entry:
        rho <- if (is.null(a$rho)) 0 else a$rho
        sd <- if (strata) survdiff(Surv(time, status) ~ factor(arm) + strata(stratum), data = d, rho = rho)
              else survdiff(Surv(time, status) ~ factor(arm), data = d, rho = rho)
        sobs <- if (is.matrix(sd$obs)) rowSums(sd$obs) else sd$obs
        sexp <- if (is.matrix(sd$exp)) rowSums(sd$exp) else sd$exp
        stopifnot(close_to(sobs, r$obs), close_to(sexp, r$exp), close_to(sd$var, r$var), close_to(sd$chisq, r$chisq))
        r$obs <- sobs; r$exp <- sexp; r$var <- sd$var; r$chisq <- sd$chisq; r$pvalue <- sd$pvalue
        source <- "survdiff"
      }
      if (a$kind == "logrank") {
        f <- if (has_entry) Surv(d$entry, d$time, d$status) else Surv(d$time, d$status)
        cx <- if (strata) coxph(f ~ factor(arm) + strata(stratum), data = d, ties = "exact")
              else coxph(f ~ factor(arm), data = d, ties = "exact")
        stopifnot(close_to(cx$score, r$chisq, 1e-7))
        if (has_entry) source <- "formula+coxph"
      }
      if (!has_entry && !strata && max(d$arm) == 1 && a$kind != "logrank") {
        ct <- switch(a$kind,
                     fh = logrank_test(Surv(time, status) ~ factor(arm), data = d, type = "Fleming-Harrington", rho = a$rho, gamma = a$gamma),
                     peto_peto = logrank_test(Surv(time, status) ~ factor(arm), data = d, type = "Prentice-Marek"),
                     gehan = logrank_test(Surv(time, status) ~ factor(arm), data = d, type = "Gehan-Breslow"),
                     tarone_ware = logrank_test(Surv(time, status) ~ factor(arm), data = d, type = "Tarone-Ware"))
        U <- drop(statistic(ct, "linear")) - drop(expectation(ct))
        stopifnot(close_to(U, r$obs[2] - r$exp[2]))
        cat(sprintf("%-8s %-12s coin U %.10g = formula O-E %.10g; coin var %.10g, hypergeometric var %.10g\n",
                    ds, test, U, r$obs[2] - r$exp[2], drop(covariance(ct)), r$var[2, 2]))
        if (source == "formula") source <- "formula+coin"
      }
      put(ds, analysis, test, source, r)
    }
  }
}
write.csv(do.call(rbind, rows), "weighted_reference.csv", row.names = FALSE, quote = FALSE)

# MaxCombo (Lin et al. 2020) for the two-arm data sets: Z_a = (O_2 - E_2)/sqrt(V_22)
# for G(0,0), G(1,0), G(0,1), G(1,1); Cov(U_a, U_b) = sum w_a w_b v_22.
# The weights satisfy w(0,1) = 1 - S = w(0,0) - w(1,0), so U(0,1) = U(0,0) - U(1,0)
# and the correlation matrix has rank 3: Z_3 = a Z_1 + b Z_2 exactly.
# Miwa() needs a non-singular matrix and GenzBretz() reaches only about 1e-6
# here, so P(l < Z < u) is computed by conditioning, with nested integrate()
# (QUADPACK) over z1 and z2 given z1, the constraint on Z_3 narrowing the
# z2 interval and Z_4 | z1, z2 normal in closed form:
#   P = int phi(z1) int phi(z2 | z1) [Phi((u4 - m4)/s4) - Phi((l4 - m4)/s4)] dz2 dz1
# GenzBretz (abseps 1e-9) is a check at its own accuracy (stopifnot 1e-5).
combo <- list(c(0, 0), c(1, 0), c(0, 1), c(1, 1))
rank3_prob <- function(R, l, u) {
  ab <- solve(R[1:2, 1:2], R[1:2, 3])              # Z_3 = a Z_1 + b Z_2
  stopifnot(abs(drop(t(ab) %*% R[1:2, 1:2] %*% ab) - 1) < 1e-10)
  r12 <- R[1, 2]; s2 <- sqrt(1 - r12^2)
  B <- solve(R[1:2, 1:2], R[1:2, 4])              # E(Z_4 | z1, z2) = B1 z1 + B2 z2
  s4 <- sqrt(1 - drop(t(B) %*% R[1:2, 4]))
  clip <- function(x) pmin(pmax(x, -12), 12)
  inner <- function(z1) {
    # z2 in [l2, u2] and l3 <= a z1 + b z2 <= u3
    lo <- l[2]; hi <- u[2]
    b3 <- sort(c((l[3] - ab[1] * z1) / ab[2], (u[3] - ab[1] * z1) / ab[2]))
    lo <- clip(max(lo, b3[1])); hi <- clip(min(hi, b3[2]))
    if (hi <= lo) return(0)
    f <- function(z2) {
      m4 <- B[1] * z1 + B[2] * z2
      dnorm(z2, r12 * z1, s2) * (pnorm((u[4] - m4) / s4) - pnorm((l[4] - m4) / s4))
    }
    integrate(f, lo, hi, rel.tol = 1e-12, abs.tol = 1e-15, subdivisions = 1000L)$value
  }
  g <- function(z1) dnorm(z1) * vapply(z1, inner, 0)
  integrate(g, clip(l[1]), clip(u[1]), rel.tol = 1e-10, abs.tol = 1e-13, subdivisions = 1000L)$value
}
genz <- GenzBretz(maxpts = 2e6, abseps = 1e-9, releps = 0)
rows <- list()
for (ds in names(datasets)) {
  d <- datasets[[ds]]
  if (max(d$arm) != 1) next
  for (strata in c(FALSE, TRUE)) {
    analysis <- if (strata) "strata" else "plain"
    rs <- lapply(combo, function(rg) weighted_test(d, "fh", rg[1], rg[2], strata))
    U <- sapply(rs, function(r) r$obs[2] - r$exp[2])
    W <- sapply(rs, function(r) r$w)
    v2 <- rs[[1]]$v2
    C <- t(W) %*% (W * v2)
    stopifnot(close_to(diag(C), sapply(rs, function(r) r$var[2, 2])))
    Z <- U / sqrt(diag(C))
    R <- cov2cor(C)
    m <- max(abs(Z))
    p2 <- 1 - rank3_prob(R, rep(-m, 4), rep(m, 4))
    p2g <- 1 - pmvnorm(lower = rep(-m, 4), upper = rep(m, 4), corr = R, algorithm = genz)
    pu <- 1 - rank3_prob(R, rep(-Inf, 4), rep(max(Z), 4))
    pl <- 1 - rank3_prob(R, rep(min(Z), 4), rep(Inf, 4))
    stopifnot(abs(p2 - p2g) < 1e-5)
    addm <- function(q, i, j, v) rows[[length(rows) + 1]] <<- data.frame(dataset = ds, analysis = analysis, quantity = q, i = i, j = j, value = num(v))
    for (a in 1:4) {
      addm("z", a - 1, "", Z[a])
      for (b in 1:4) addm("corr", a - 1, b - 1, R[a, b])
    }
    addm("p", "", "", p2); addm("p_upper", "", "", pu); addm("p_lower", "", "", pl)
    cat(sprintf("%-14s %-6s maxcombo max|Z| %.6f p %.12g (GenzBretz %.8g) upper %.10g lower %.10g\n",
                ds, analysis, m, p2, p2g, pu, pl))
  }
}
write.csv(do.call(rbind, rows), "maxcombo_reference.csv", row.names = FALSE, quote = FALSE)

# Rectangle probabilities of the 4-variate normal for the integrator alone:
#   pmvnorm(lower, upper, corr = R, algorithm = Miwa(steps = 4096))
eq <- function(r) { R <- matrix(r, 4, 4); diag(R) <- 1; R }
cases <- list(
  indep = list(R = diag(4), lower = rep(-1.5, 4), upper = rep(1.5, 4)),
  eq06 = list(R = eq(0.6), lower = rep(-2, 4), upper = rep(2, 4)),
  eq06_upper = list(R = eq(0.6), lower = rep(-Inf, 4), upper = rep(2, 4)),
  eq0999 = list(R = eq(0.999), lower = rep(-2.5, 4), upper = rep(2.5, 4)),
  mixed = list(R = matrix(c(1, 0.9, 0.5, 0.7, 0.9, 1, 0.3, 0.5, 0.5, 0.3, 1, 0.8, 0.7, 0.5, 0.8, 1), 4, 4),
               lower = c(-3, -2.2, -1, -2.5), upper = c(3, 2.2, 1.8, 1.5)),
  tail = list(R = eq(0.7), lower = rep(-4.5, 4), upper = rep(4.5, 4)))
miwa <- Miwa(steps = 4096)
genz <- GenzBretz(maxpts = 2e6, abseps = 1e-9, releps = 0)
rows <- list()
for (cs in names(cases)) {
  x <- cases[[cs]]
  p <- pmvnorm(lower = x$lower, upper = x$upper, corr = x$R, algorithm = miwa)
  pg <- pmvnorm(lower = x$lower, upper = x$upper, corr = x$R, algorithm = genz)
  stopifnot(abs(p - pg) < 1e-6)
  addc <- function(q, i, j, v) rows[[length(rows) + 1]] <<- data.frame(case = cs, quantity = q, i = i, j = j, value = num(v))
  for (a in 1:4) {
    addc("lower", a - 1, "", x$lower[a]); addc("upper", a - 1, "", x$upper[a])
    for (b in 1:4) addc("corr", a - 1, b - 1, x$R[a, b])
  }
  addc("p", "", "", p)
  cat(sprintf("mvnorm %-10s %.12g\n", cs, p))
}
write.csv(do.call(rbind, rows), "mvnorm_reference.csv", row.names = FALSE, quote = FALSE)

cat("R", R.version$major, ".", R.version$minor, " survival ", format(packageVersion("survival")),
    " coin ", format(packageVersion("coin")), " mvtnorm ", format(packageVersion("mvtnorm")), "\n",
    sep = "", file = "R_VERSION_weighted")
