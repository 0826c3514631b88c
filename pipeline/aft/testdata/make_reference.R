# Reference values for package aft (pipeline/aft), from R's survival package
# (survreg, predict.survreg) and, for the generalized gamma, an independent
# base-R maximum-likelihood fit (flexsurv is not installable here).
# Run from this directory:  Rscript make_reference.R
# Writes the input data sets
#   lung.csv          survival::lung, NA rows of time/status/age/sex/ph.ecog dropped
#   lung_visits.csv   the same subjects with times rounded to 60-day visit intervals
#   sim_interval.csv  simulated Weibull AFT trial with irregular visits (interval2)
# and the reference values
#   survreg_fit.csv       loglik[1], loglik[2], scale, df, AIC, iter, Chisq per fit
#   survreg_coef.csv      summary(fit)$table per term
#   survreg_var.csv       fit$var, element by element
#   survreg_quantile.csv  predict(fit, newdata, type = "quantile", p = c(.25, .5, .75), se.fit = TRUE)
#   survreg_survci.csv    S(t | x) with delta-method CIs on the z = (log t - lp)/scale scale, from fit$var
#   gengamma.csv          generalized gamma MLE (mu coefficients, log sigma, Q), SEs, loglik,
#                         on lung (right-censored) and lung_visits (interval2)
# Numbers are written with sprintf("%.17g"); NA is written as NA.
library(survival)
sink("R_VERSION"); cat(R.version.string, "; survival", as.character(packageVersion("survival")), "\n"); sink()

num <- function(x) ifelse(is.na(x), "NA", sprintf("%.17g", x))
wcsv <- function(d, f) write.csv(d, f, row.names = FALSE, quote = FALSE, na = "NA")

# 1. lung: status 1 = censored, 2 = dead; female = sex == 2.
lung0 <- survival::lung[, c("time", "status", "age", "sex", "ph.ecog")]
lung0 <- lung0[complete.cases(lung0), ]
lung <- data.frame(time = lung0$time, status = as.integer(lung0$status == 2),
                   age = lung0$age, female = as.integer(lung0$sex == 2), ph.ecog = lung0$ph.ecog)
wcsv(lung, "lung.csv")

# 2. lung_visits: events known only to lie between visits every 60 days,
#    (60k - 60, 60k]; an event before the first visit is left-censored
#    (lower NA); every 10th event is kept exact; censorings stay right-censored.
ev <- lung$status == 1
k <- ceiling(lung$time / 60)
lower <- ifelse(ev, 60 * (k - 1), lung$time)
upper <- ifelse(ev, 60 * k, NA)
lower[ev & lower == 0] <- NA
exact <- which(ev)[seq(1, sum(ev), by = 10)]
lower[exact] <- upper[exact] <- lung$time[exact]
visits <- data.frame(lower = lower, upper = upper, age = lung$age, female = lung$female, ph.ecog = lung$ph.ecog)
wcsv(visits, "lung_visits.csv")

# 3. sim_interval: Weibull AFT (scale 0.7), arm effect log TR = 0.5, normal z;
#    visits at 7-day steps with jitter; dropout at a uniform time.
set.seed(20261201)
n <- 300
arm <- rep(0:1, each = n / 2)
z <- round(rnorm(n), 3)
t <- exp(3 + 0.5 * arm + 0.3 * z + 0.7 * log(rexp(n)))
drop <- runif(n, 20, 150)
lo <- up <- numeric(n)
for (i in seq_len(n)) {
  v <- cumsum(7 + round(runif(30, -2, 2)))
  v <- v[v <= drop[i]]
  if (length(v) == 0 || t[i] > max(v)) {      # right-censored at the last visit (or dropout)
    lo[i] <- if (length(v)) max(v) else drop[i]; up[i] <- NA
  } else {
    j <- which(v >= t[i])[1]
    lo[i] <- if (j == 1) NA else v[j - 1]; up[i] <- v[j]
  }
}
sim <- data.frame(lower = lo, upper = up, arm = arm, z = z)
wcsv(sim, "sim_interval.csv")

# The R calls compared in the Go tests (reference_test.go quotes them):
calls <- list(
  lung = function(d) survreg(Surv(time, status) ~ age + female + ph.ecog, data = lung, dist = d),
  lung_null = function(d) survreg(Surv(time, status) ~ 1, data = lung, dist = d),
  lung_visits = function(d) survreg(Surv(lower, upper, type = "interval2") ~ age + female + ph.ecog, data = visits, dist = d),
  sim_interval = function(d) survreg(Surv(lower, upper, type = "interval2") ~ arm + z, data = sim, dist = d))
newdata <- list(
  lung = data.frame(age = c(50, 62, 75), female = c(0, 1, 0), ph.ecog = c(0, 1, 2)),
  lung_visits = data.frame(age = c(50, 62, 75), female = c(0, 1, 0), ph.ecog = c(0, 1, 2)),
  sim_interval = data.frame(arm = c(0, 1, 1), z = c(0, 0, 1.5)))
newdata$lung_null <- data.frame(row = 1:2)
dists <- c("exponential", "weibull", "lognormal", "loglogistic")
std <- list(exponential = function(z) exp(-exp(z)), weibull = function(z) exp(-exp(z)),
            lognormal = function(z) pnorm(-z), loglogistic = function(z) 1 / (1 + exp(z)))
probs <- c(0.25, 0.5, 0.75)
grid <- c(30, 100, 200, 365, 500)

fits <- coefs <- vars <- quants <- survs <- list()
for (ds in names(calls)) for (d in dists) {
  fit <- calls[[ds]](d)
  s <- summary(fit)
  tab <- s$table
  nvar <- length(fit$coefficients)
  df <- sum(fit$df)
  fits[[length(fits) + 1]] <- data.frame(dataset = ds, dist = d,
    loglik0 = num(fit$loglik[1]), loglik = num(fit$loglik[2]), scale = num(fit$scale),
    df = df, aic = num(AIC(fit)), iter = fit$iter,
    chisq = num(2 * diff(fit$loglik)), converged = as.integer(fit$iter < 30))
  coefs[[length(coefs) + 1]] <- data.frame(dataset = ds, dist = d, term = rownames(tab),
    coef = num(tab[, 1]), se = num(tab[, 2]), z = num(tab[, 3]), p = num(tab[, 4]))
  V <- fit$var
  rn <- c(names(fit$coefficients), rep("Log(scale)", nrow(V) - nvar))
  dimnames(V) <- list(rn, rn)
  vars[[length(vars) + 1]] <- data.frame(dataset = ds, dist = d,
    row = rep(rownames(V), ncol(V)), col = rep(colnames(V), each = nrow(V)), value = num(c(V)))
  nd <- newdata[[ds]]
  pq <- predict(fit, newdata = nd, type = "quantile", p = probs, se.fit = TRUE)
  fitq <- matrix(pq$fit, nrow = nrow(nd)); seq <- matrix(pq$se.fit, nrow = nrow(nd))
  quants[[length(quants) + 1]] <- data.frame(dataset = ds, dist = d,
    newrow = rep(seq_len(nrow(nd)) - 1, length(probs)), p = rep(probs, each = nrow(nd)),
    quantile = num(c(fitq)), se = num(c(seq)))
  # S(t | x) with a 95% delta-method CI on z = (log t - x'b)/scale:
  # dz/db = -x/scale, dz/dlog(scale) = -z; S = S0(z) is decreasing in z.
  X <- model.matrix(delete.response(terms(fit)), nd)
  lp <- drop(X %*% fit$coefficients)
  for (i in seq_len(nrow(nd))) for (tt in grid) {
    zz <- (log(tt) - lp[i]) / fit$scale
    g <- -X[i, ] / fit$scale
    if (nrow(V) > ncol(X)) g <- c(g, -zz)
    se <- sqrt(drop(t(g) %*% V %*% g))
    q <- qnorm(0.975)
    survs[[length(survs) + 1]] <- data.frame(dataset = ds, dist = d, newrow = i - 1, time = tt,
      surv = num(std[[d]](zz)), lower = num(std[[d]](zz + q * se)), upper = num(std[[d]](zz - q * se)), se.z = num(se))
  }
}
wcsv(do.call(rbind, fits), "survreg_fit.csv")
wcsv(do.call(rbind, coefs), "survreg_coef.csv")
wcsv(do.call(rbind, vars), "survreg_var.csv")
wcsv(do.call(rbind, quants), "survreg_quantile.csv")
wcsv(do.call(rbind, survs), "survreg_survci.csv")

# 4. Generalized gamma (Prentice 1974; flexsurv's gengamma parameterisation):
#    w = (log t - mu)/sigma, a = Q^-2, mu = x'b,
#    log f(t) = -log(sigma t) + log|Q| + a log a + a (Q w - exp(Q w)) - lgamma(a),
#    S(t) = 1 - pgamma(a exp(Q w), a) for Q > 0, pgamma(a exp(Q w), a) for Q < 0,
#    lognormal at Q = 0. Fitted by optim (BFGS, reltol 1e-12) on the
#    negative log-likelihood from the Weibull survreg fit (Q = 1), then Newton
#    steps with the finite-difference Hessian gg_hess (below); SEs from its inverse
#    in the centred-covariate parameterisation.
# S(t) of the generalized gamma, mu = x'b.
gg_surv <- function(t, mu, sigma, Q) {
  w <- (log(t) - mu) / sigma
  if (abs(Q) < 1e-8) return(pnorm(w, lower.tail = FALSE))
  a <- Q^-2
  pgamma(a * exp(Q * w), a, lower.tail = Q < 0)
}
# Negative log-likelihood for interval2 data (tlo, thi): tlo NA = left-censored,
# thi NA = right-censored, tlo == thi exact, else interval-censored.
gg_nll <- function(par, X, tlo, thi) {
  p <- ncol(X)
  mu <- drop(X %*% par[1:p]); sigma <- exp(par[p + 1]); Q <- par[p + 2]
  exact <- !is.na(tlo) & !is.na(thi) & tlo == thi
  right <- is.na(thi); left <- is.na(tlo); inter <- !(exact | right | left)
  t <- tlo[exact]; m <- mu[exact]
  w <- (log(t) - m) / sigma
  if (abs(Q) < 1e-8) {
    ld <- dnorm(w, log = TRUE) - log(sigma * t)
  } else {
    a <- Q^-2
    ld <- -log(sigma * t) + log(abs(Q)) + a * log(a) + a * (Q * w - exp(Q * w)) - lgamma(a)
  }
  ll <- sum(ld) + sum(log(gg_surv(tlo[right], mu[right], sigma, Q))) +
    sum(log(1 - gg_surv(thi[left], mu[left], sigma, Q))) +
    sum(log(gg_surv(tlo[inter], mu[inter], sigma, Q) - gg_surv(thi[inter], mu[inter], sigma, Q)))
  -ll
}
gg_grad <- function(par, ...) {
  h <- 1e-6 * pmax(1, abs(par))
  sapply(seq_along(par), function(j) {
    e <- replace(numeric(length(par)), j, h[j])
    (gg_nll(par + e, ...) - gg_nll(par - e, ...)) / (2 * h[j])
  })
}
# Hessian of gg_nll by central second differences, with steps that move the
# linear predictor by about 1e-4 whatever the covariate's units (optimHess's
# default ndeps = 1e-3 on a coefficient of age, about 60, is too coarse for
# SEs to 1e-5).
gg_hess <- function(par, X, ...) {
  p <- length(par)
  h <- 1e-4 / c(pmax(1, apply(abs(X), 2, max)), 1, 1)
  f0 <- gg_nll(par, X, ...)
  H <- matrix(0, p, p)
  for (j in 1:p) for (k in 1:j) {
    ej <- replace(numeric(p), j, h[j]); ek <- replace(numeric(p), k, h[k])
    H[j, k] <- H[k, j] <- if (j == k) {
      (gg_nll(par + ej, X, ...) - 2 * f0 + gg_nll(par - ej, X, ...)) / h[j]^2
    } else {
      (gg_nll(par + ej + ek, X, ...) - gg_nll(par + ej - ek, X, ...) -
       gg_nll(par - ej + ek, X, ...) + gg_nll(par - ej - ek, X, ...)) / (4 * h[j] * h[k])
    }
  }
  H
}
lungR <- data.frame(lower = lung$time, upper = ifelse(lung$status == 1, lung$time, NA),
                    age = lung$age, female = lung$female, ph.ecog = lung$ph.ecog)
gg_calls <- list(
  lung = list(formula = ~ age + female + ph.ecog, data = lungR),
  lung_null = list(formula = ~ 1, data = lungR),
  lung_visits = list(formula = ~ age + female + ph.ecog, data = visits))
gg <- list()
for (ds in names(gg_calls)) {
  cl <- gg_calls[[ds]]
  X <- model.matrix(cl$formula, cl$data)
  lo <- cl$data$lower; up <- cl$data$upper
  wf <- survreg(update(cl$formula, Surv(lower, upper, type = "interval2") ~ .), data = cl$data, dist = "weibull")
  start <- c(coef(wf), log(wf$scale), 1)
  o <- optim(start, gg_nll, gg_grad, X = X, tlo = lo, thi = up,
             method = "BFGS", control = list(reltol = 1e-12, maxit = 10000))
  par <- o$par
  for (it in 1:5) {
    H <- gg_hess(par, X = X, tlo = lo, thi = up)
    par <- par - solve(H, gg_grad(par, X = X, tlo = lo, thi = up))
  }
  # SEs from the Hessian in the parameterisation with centred covariates
  # (mu = b0c + sum b_j (x_j - m_j)), which removes the near-collinearity of
  # the intercept and age; then back: b = A bc, Var = A Vc A'.
  k <- ncol(X)
  cm <- c(0, colMeans(X)[-1])
  A <- diag(k + 2)
  if (k > 1) A[1, 2:k] <- -cm[2:k]
  Hc <- gg_hess(solve(A, par), X = sweep(X, 2, cm), tlo = lo, thi = up)
  se <- sqrt(diag(A %*% solve(Hc) %*% t(A)))
  ll <- -gg_nll(par, X = X, tlo = lo, thi = up)
  gg[[length(gg) + 1]] <- data.frame(dataset = ds, term = c(colnames(X), "log(sigma)", "Q"),
    est = num(par), se = num(se), loglik = num(ll), optim_convergence = o$convergence)
}
wcsv(do.call(rbind, gg), "gengamma.csv")
