# Reference values for package icens (pipeline/icens), from R's survival
# package and an independent base-R implementation.
# Run from this directory:  Rscript make_reference.R
#
# Writes the input data sets (one CSV each: lower, upper, group; upper = Inf
# for right-censored rows):
#   bcos.csv     breast cosmesis data, Finkelstein & Wolfe (1985) Biometrics
#                41:731-740, as shipped in R package interval 1.1-1.0
#                (data(bcos)) and in SAS/STAT PROC ICLIFETEST example 4;
#                group 0 = Rad (radiotherapy), 1 = RadChem
#   lung.csv     survival::lung made interval-censored on a 61-day visit
#                grid: deaths of ph.ecog == 0 patients exact, other deaths in
#                (61(k-1), 61k], censored at their time; group = sex - 1
#   veteran.csv  survival::veteran on a 30-day grid, censored at their time;
#                group = trt - 1, group4 = celltype (squamous, smallcell,
#                adeno, large = 0..3)
#   visits.csv   simulated time to response (days) with visits at 40 min,
#                4 h, day 1, 2, 3, 7, 14, some missed; 3 arms
#   aml.csv      survival::aml, exact and right-censored only (the NPMLE is
#                the Kaplan-Meier estimate)
# and the references
#   npmle_reference.csv   Turnbull intervals, masses and S by an independent
#                base-R EM (turnbull() below) converged to a duality gap of
#                1e-13, per data set and curve (all, or group g)
#   survfit_tight.csv     survfit's own Turnbull code (survival:::survfitTurnbull)
#                with its stopping rule tightened from 5e-5 to 1e-12:
#                time, surv at R's representative times
#   survfit_default.csv   summary(survfit(Surv(lower, upper, type =
#                "interval2") ~ 1)) exactly as R gives it (eps 5e-5)
#   quantile_reference.csv quantile(tight fit, probs = c(.25, .5, .75))
#   test_reference.csv    the interval package's ictest(..., method = "pclt")
#                statistics, re-implemented from its source (scoresFromFit,
#                perm::permTS / permKS asymptotic form), on the masses above
#   score_reference.csv   the per-subject scores behind test_reference.csv
# Numbers are written with sprintf("%.17g").
library(survival)

num <- function(x) ifelse(is.na(x), "NA", sprintf("%.17g", x))
wcsv <- function(d, f) write.csv(d, f, row.names = FALSE, quote = FALSE)

# 1. Breast cosmesis (Finkelstein & Wolfe 1985), months.
bcos <- data.frame(
  lower = c(45, 6, 0, 46, 46, 7, 17, 7, 37, 0, 4, 15, 11, 22, 46, 46, 25, 46, 26, 46, 27, 36, 46, 36, 37, 40, 17, 46, 11, 38, 5, 37, 0, 18, 24, 36, 5, 19, 17, 24, 32, 33, 19, 37, 34, 36,
            8, 0, 24, 17, 17, 24, 16, 13, 11, 16, 18, 17, 32, 23, 44, 14, 0, 5, 12, 11, 33, 31, 13, 19, 34, 13, 16, 35, 15, 11, 22, 10, 30, 13, 10, 8, 4, 11, 14, 4, 34, 30, 18, 16, 35, 21, 11, 48),
  upper = c(Inf, 10, 7, Inf, Inf, 16, Inf, 14, 44, 8, 11, Inf, 15, Inf, Inf, Inf, 37, Inf, 40, Inf, 34, 44, Inf, 48, Inf, Inf, 25, Inf, 18, Inf, 12, Inf, 5, Inf, Inf, Inf, 11, 35, 25, Inf, Inf, Inf, 26, Inf, Inf, Inf,
            12, 22, 31, 27, 23, 30, 24, Inf, 13, 20, 25, 26, Inf, Inf, 48, 17, 5, 8, 20, Inf, 40, Inf, 39, 32, Inf, Inf, 24, Inf, 22, 17, 32, 35, 34, Inf, 17, 21, 9, Inf, 19, 8, Inf, 36, 24, 60, 39, Inf, 20, Inf),
  group = rep(0:1, c(46, 48)))

# 2. lung on a 61-day visit grid.
grid <- 61
dead <- lung$status == 2
exact <- dead & !is.na(lung$ph.ecog) & lung$ph.ecog == 0
k <- ceiling(lung$time / grid)
lungd <- data.frame(
  lower = ifelse(!dead, lung$time, ifelse(exact, lung$time, grid * (k - 1))),
  upper = ifelse(!dead, Inf, ifelse(exact, lung$time, grid * k)),
  group = lung$sex - 1L)

# 3. veteran on a 30-day grid.
k <- ceiling(veteran$time / 30)
vet <- data.frame(
  lower = ifelse(veteran$status == 1, 30 * (k - 1), veteran$time),
  upper = ifelse(veteran$status == 1, 30 * k, Inf),
  group = veteran$trt - 1L,
  group4 = as.integer(veteran$celltype) - 1L)

# 4. Simulated time to response: visits at 40 min, 4 h, day 1, 2, 3, 7, 14,
#    each attended with probability 0.85; the response is seen at the first
#    attended visit after it, else the subject is censored at the last
#    attended visit (0 if none). Median response 0.5, 3 and 10 days by arm.
set.seed(20261201)
visits <- c(0.02778, 0.1667, 1, 2, 3, 7, 14)
n <- 300
arm <- rep(0:2, each = n / 3)
t <- rexp(n, log(2) / c(0.5, 3, 10)[arm + 1])
lo <- hi <- numeric(n)
for (i in seq_len(n)) {
  att <- visits[runif(length(visits)) < 0.85]
  before <- att[att < t[i]]; after <- att[att >= t[i]]
  lo[i] <- if (length(before)) max(before) else 0
  hi[i] <- if (length(after)) min(after) else Inf
}
sim <- data.frame(lower = lo, upper = hi, group = arm)

# 5. aml: exact and right-censored.
amld <- data.frame(lower = aml$time, upper = ifelse(aml$status == 1, aml$time, Inf),
                   group = as.integer(aml$x == "Nonmaintained"))

datasets <- list(bcos = bcos, lung = lungd, veteran = vet, visits = sim, aml = amld)
for (ds in names(datasets)) wcsv(datasets[[ds]], paste0(ds, ".csv"))

# Independent NPMLE: Turnbull intervals by sorting the ends ([ before ]
# before ( at equal times; an exact time t is [t and t]), the incidence
# matrix A, and plain EM (Turnbull 1976) until max_j d_j/n - 1 < 1e-13.
innermost <- function(L, R) {
  ex <- L == R
  tt <- c(L, R); ty <- c(ifelse(ex, 0, 2), rep(1, length(R)))
  o <- order(tt, ty); tt <- tt[o]; ty <- ty[o]
  k <- which(ty[-length(ty)] != 1 & ty[-1] == 1)
  unique(data.frame(lower = tt[k], upper = tt[k + 1]))
}
incidence <- function(L, R, iv) {
  pt <- iv$lower == iv$upper
  t(sapply(seq_along(L), function(i) {
    if (L[i] == R[i]) as.numeric(pt & iv$lower == L[i])
    else as.numeric(((pt & iv$lower > L[i]) | (!pt & iv$lower >= L[i])) & iv$upper <= R[i])
  }))
}
turnbull <- function(L, R) {
  iv <- innermost(L, R)
  A <- incidence(L, R, iv)
  if (nrow(iv) == 1) A <- matrix(A, ncol = 1)
  n <- length(L)
  p <- colSums(A) / sum(A)
  for (it in 1:2000000) {
    d <- colSums(A / as.vector(A %*% p))
    if (max(d / n) - 1 < 1e-13 && max(p * abs(d / n - 1)) < 1e-15) break
    p <- p * d / n
    p <- p / sum(p)
  }
  list(iv = iv, A = A, p = p, iter = it, gap = max(d / n) - 1)
}

# survfit's Turnbull code with its stopping rule tightened.
tight <- survival:::survfitTurnbull
src <- deparse(tight)
stopifnot(sum(grepl("5e-05", src, fixed = TRUE)) == 1)
tight <- eval(parse(text = sub("5e-05", "1e-12", src, fixed = TRUE)))
environment(tight) <- asNamespace("survival")
tightfit <- function(d) {
  y <- aeqSurv(Surv(d$lower, d$upper, type = "interval2"))
  tight(factor(rep(1, nrow(d))), y, weights = rep(1, nrow(d)), se.fit = FALSE,
        conf.type = "none")
}

# interval::scoresFromFit (Fay & Shaw 2010), re-typed: per-interval scores
# c*_j, then each subject's mass-weighted mean over the intervals it contains.
scores_from_fit <- function(A, pf, scores) {
  k <- length(pf)
  phat <- c(0, pf); Shat <- 1 - cumsum(phat)
  if (scores == "logrank1") {
    Stilde <- exp(-c(0, cumsum(phat[2:(k + 1)] / Shat[1:k])))
    num <- Shat[1:k] * log(Stilde[1:k]) - Shat[2:(k + 1)] * log(Stilde[2:(k + 1)])
  } else if (scores == "logrank2") {
    slogs <- function(s) ifelse(s > 0, s * log(s), 0)
    num <- slogs(Shat[1:k]) - slogs(Shat[2:(k + 1)])
  } else {
    num <- pf * (Shat[1:k] + Shat[2:(k + 1)] - 1)
  }
  # p * c*_j is num (division by p_j and multiplication undone)
  as.vector((A %*% num) / (A %*% pf))
}
# perm package, method = "pclt": k-sample chi-square sum_g U_g^2/n_g / s^2,
# two-sample Z = U_2 / sqrt(V_22).
pclt <- function(cc, g) {
  n <- length(cc); s2 <- sum((cc - mean(cc))^2) / (n - 1)
  lev <- sort(unique(g))
  ng <- sapply(lev, function(x) sum(g == x))
  U <- sapply(lev, function(x) sum(cc[g == x])) - ng * mean(cc)
  chisq <- sum(U^2 / ng) / s2
  df <- length(lev) - 1
  z <- if (length(lev) == 2) U[2] / sqrt(s2 * ng[2] * (n - ng[2]) / n) else NA
  list(U = U, chisq = chisq, df = df, p = pchisq(chisq, df, lower.tail = FALSE), z = z)
}

npmle_rows <- list(); tight_rows <- list(); default_rows <- list(); q_rows <- list()
test_rows <- list(); score_rows <- list()
for (ds in names(datasets)) {
  d <- datasets[[ds]]
  curves <- c("all", sort(unique(d$group)))
  for (cv in curves) {
    dd <- if (cv == "all") d else d[d$group == as.integer(cv), ]
    tb <- turnbull(dd$lower, dd$upper)
    npmle_rows[[length(npmle_rows) + 1]] <- data.frame(dataset = ds, curve = cv,
      lower = num(tb$iv$lower), upper = num(tb$iv$upper), mass = num(tb$p),
      surv = num(rev(cumsum(rev(c(tb$p[-1], 0))))), iter = tb$iter)
    # survfit's Turnbull code adds a phantom subject when no row is left- or
    # interval-censored (its wtmat is then one row of 1s with weight 1, spread
    # over the event times), so for aml its curve is not the Kaplan-Meier
    # estimate; aml is compared with package km instead.
    if (ds != "aml") {
    # The R calls compared in the Go tests:
    fit <- survfit(Surv(lower, upper, type = "interval2") ~ 1, data = dd)
    s <- summary(fit, censored = TRUE)
    default_rows[[length(default_rows) + 1]] <- data.frame(dataset = ds, curve = cv,
      time = num(s$time), surv = num(s$surv))
    tf <- tightfit(dd)
    tight_rows[[length(tight_rows) + 1]] <- data.frame(dataset = ds, curve = cv,
      time = num(tf$time), surv = num(tf$surv))
    tso <- survfit(Surv(lower, upper, type = "interval2") ~ 1, data = dd)
    tso$time <- tf$time; tso$surv <- tf$surv; tso$n.risk <- tf$n.risk
    tso$n.event <- tf$n.event; tso$n.censor <- tf$n.censor
    tso$std.err <- NULL; tso$lower <- NULL; tso$upper <- NULL; tso$conf.type <- "none"
    q <- quantile(tso, probs = c(0.25, 0.5, 0.75), conf.int = FALSE)
    q_rows[[length(q_rows) + 1]] <- data.frame(dataset = ds, curve = cv,
      prob = c(0.25, 0.5, 0.75), quantile = num(q))
    }
    if (cv == "all") {
      for (gcol in intersect(c("group", "group4"), names(d))) {
        for (sc in c("logrank1", "logrank2", "wmw")) {
          cc <- scores_from_fit(tb$A, tb$p, sc)
          pt <- pclt(cc, d[[gcol]])
          test_rows[[length(test_rows) + 1]] <- data.frame(dataset = ds, groups = gcol,
            scores = sc, k = length(pt$U), chisq = num(pt$chisq), df = pt$df, p = num(pt$p),
            z = num(pt$z), u = paste(num(pt$U), collapse = ";"))
          if (gcol == "group")
            score_rows[[length(score_rows) + 1]] <- data.frame(dataset = ds, scores = sc,
              row = seq_along(cc) - 1L, score = num(cc))
        }
      }
    }
  }
}
wcsv(do.call(rbind, npmle_rows), "npmle_reference.csv")
wcsv(do.call(rbind, tight_rows), "survfit_tight.csv")
wcsv(do.call(rbind, default_rows), "survfit_default.csv")
wcsv(do.call(rbind, q_rows), "quantile_reference.csv")
wcsv(do.call(rbind, test_rows), "test_reference.csv")
wcsv(do.call(rbind, score_rows), "score_reference.csv")

# Published: Fay & Shaw (2010) J Stat Softw 36(2), section 4.2, bcos:
#   ictest(..., scores = "logrank1"): Z = -2.6684, p = 0.007622, U(Rad) = -9.141846
#   ictest(..., scores = "logrank2"): Z = -2.6839, p = 0.007277, U(Rad) = -9.944182
#   ictest(..., scores = "wmw"):      Z = -2.1672, p = 0.03022,  U(Rad) = -5.656724
print(do.call(rbind, test_rows)[1:3, ])

cat("R", R.version$major, ".", R.version$minor, " survival ", format(packageVersion("survival")), "\n",
    sep = "", file = "R_VERSION")
