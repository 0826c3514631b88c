# Reference values for package cure (pipeline/cure): mixture cure models
# fitted by full maximum likelihood with base R's optim, written independently
# of the Go code (R has no mixture cure package installed here: smcure and
# flexsurv are not installable, so the likelihood is coded below).
# Run from this directory:  Rscript make_reference.R
# Writes the input data sets
#   colon.csv  survival::colon, recurrence records (etype == 1): time (days),
#              status, arm (0 Obs, 1 Lev, 2 Lev+5FU), lev, lev5fu (arm dummies), node4
#   sim.csv    a simulated two-arm trial with responder fractions 0.4 and 0.7
#              (seed and model below)
# and the reference values
#   cure_loglik.csv    maximised log-likelihood per fit, n, events, max |gradient|
#   cure_coef.csv      estimate and standard error (inverse observed information) per term
#   cure_summary.csv   per-arm responder fraction and latency median with 95% CIs
#   cure_curve.csv     population survival, CDF, hazard at a few times per arm profile
#   cure_plateau.csv   KM plateau length and the Maller-Zhou q_n test per arm
# Numbers are written with sprintf("%.17g").
library(survival)

num <- function(x) ifelse(is.na(x), "NA", sprintf("%.17g", x))

## Data -----------------------------------------------------------------------
d <- colon[colon$etype == 1, ]
colon1 <- data.frame(time = d$time, status = d$status,
                     arm = as.integer(d$rx) - 1L,
                     lev = as.integer(d$rx == "Lev"), lev5fu = as.integer(d$rx == "Lev+5FU"),
                     node4 = d$node4)
write.csv(colon1, "colon.csv", row.names = FALSE, quote = FALSE)

# Simulated trial: arm 0/1, x ~ N(0, 1); logit pi = g0 + g1 arm + g2 x with
# pi = 0.4 (arm 0) and 0.7 (arm 1) at x = 0; responders' latency Weibull AFT
# log T = 3 + 0.3 arm - 0.2 x + 0.5 W (W standard minimum extreme value);
# administrative censoring uniform on (20, 150) days.
set.seed(20260301)
n <- 600
arm <- rep(0:1, each = n / 2)
x <- round(rnorm(n), 3)
pi <- plogis(qlogis(0.4) + (qlogis(0.7) - qlogis(0.4)) * arm + 0.5 * x)
resp <- runif(n) < pi
w <- log(-log(runif(n)))  # standard minimum extreme value
tresp <- exp(3 + 0.3 * arm - 0.2 * x + 0.5 * w)
cens <- runif(n, 20, 150)
time <- ifelse(resp, pmin(tresp, cens), cens)
status <- as.integer(resp & tresp <= cens)
sim <- data.frame(time = round(time, 4), status = status, arm = arm, x = x)
write.csv(sim, "sim.csv", row.names = FALSE, quote = FALSE)

## Likelihood -----------------------------------------------------------------
# par = (incidence coefficients on Z, latency coefficients on X, log sigma).
# Subject i: a = Z gamma (logit of pi), eta = X beta, z = (log t - eta)/sigma;
#   event:    log pi + log f_u(t),  f_u(t) = f_W(z) / (sigma t)
#   censored: log(1 - pi + pi S_u(t)),  S_u(t) = S_W(z)
# W standard minimum extreme value (Weibull) or standard normal (log-normal).
parts <- function(par, Z, X) {
  pz <- ncol(Z); px <- ncol(X)
  list(a = drop(Z %*% par[1:pz]), eta = drop(X %*% par[pz + 1:px]), s = par[pz + px + 1])
}
loglik <- function(par, time, status, Z, X, dist) {
  p <- parts(par, Z, X); sig <- exp(p$s)
  lt <- log(time); z <- (lt - p$eta) / sig
  lp <- plogis(p$a, log.p = TRUE); l1p <- plogis(p$a, lower.tail = FALSE, log.p = TRUE)
  if (dist == "weibull") {
    logf <- z - exp(z) - p$s - lt; logS <- -exp(z)
  } else {
    logf <- dnorm(z, log = TRUE) - p$s - lt; logS <- pnorm(z, lower.tail = FALSE, log.p = TRUE)
  }
  b <- lp + logS; m <- pmax(l1p, b)
  lc <- m + log(exp(l1p - m) + exp(b - m))
  sum(ifelse(status == 1, lp + logf, lc))
}
gradient <- function(par, time, status, Z, X, dist) {
  p <- parts(par, Z, X); sig <- exp(p$s)
  z <- (log(time) - p$eta) / sig
  pr <- plogis(p$a)
  if (dist == "weibull") {
    S <- exp(-exp(z)); dS <- -exp(z) * S; dg <- 1 - exp(z)
  } else {
    S <- pnorm(z, lower.tail = FALSE); dS <- -dnorm(z); dg <- -z
  }
  D <- 1 - pr + pr * S
  da <- ifelse(status == 1, 1 - pr, -pr * (1 - pr) * (1 - S) / D)
  deta <- ifelse(status == 1, -dg / sig, -pr * dS / (sig * D))
  ds <- ifelse(status == 1, -z * dg - 1, -pr * z * dS / D)
  c(drop(t(Z) %*% da), drop(t(X) %*% deta), sum(ds))
}

# fit maximises the log-likelihood: optim BFGS (reltol 1e-14) from a start
# given by glm (incidence) and survreg on the events only (latency), three
# Newton steps on optimHess's Hessian (central differences of the analytic
# gradient), and checks the analytic gradient against central differences
# of the log-likelihood.
fit <- function(time, status, Z, X, dist) {
  fn <- function(par) -loglik(par, time, status, Z, X, dist)
  gr <- function(par) -gradient(par, time, status, Z, X, dist)
  g0 <- coef(glm(status ~ Z - 1, family = binomial))
  sr <- survreg(Surv(time[status == 1]) ~ X[status == 1, ] - 1, dist = dist)
  start <- unname(c(g0, coef(sr), log(sr$scale)))
  o <- optim(start, fn, gr, method = "BFGS", control = list(reltol = 1e-14, maxit = 10000))
  par <- o$par
  for (k in 1:3) {
    H <- optimHess(par, fn, gr, control = list(ndeps = rep(1e-5, length(par))))
    par <- par - solve(H, gr(par))
  }
  # Analytic gradient against central differences of the log-likelihood.
  h <- 1e-5
  ng <- sapply(seq_along(par), function(j) {
    e <- replace(numeric(length(par)), j, h); (fn(par + e) - fn(par - e)) / (2 * h)
  })
  stopifnot(max(abs(ng - gr(par))) < 1e-4 * max(1, abs(fn(par)) / length(time)))
  H <- optimHess(par, fn, gr, control = list(ndeps = rep(1e-5, length(par))))
  list(par = par, loglik = -fn(par), vcov = solve(H), maxgrad = max(abs(gr(par))),
       convergence = o$convergence)
}

## Fits -----------------------------------------------------------------------
models <- list(
  colon = list(data = colon1,
               Z = cbind("(Intercept)" = 1, lev = colon1$lev, lev5fu = colon1$lev5fu, node4 = colon1$node4),
               X = cbind("(Intercept)" = 1, lev = colon1$lev, lev5fu = colon1$lev5fu, node4 = colon1$node4),
               times = c(100, 365, 1000, 2000, 3000)),
  # Different designs: node4 in the incidence only.
  colon_sep = list(data = colon1,
               Z = cbind("(Intercept)" = 1, lev = colon1$lev, lev5fu = colon1$lev5fu, node4 = colon1$node4),
               X = cbind("(Intercept)" = 1, lev = colon1$lev, lev5fu = colon1$lev5fu),
               times = c(100, 365, 1000, 2000, 3000)),
  sim = list(data = sim,
             Z = cbind("(Intercept)" = 1, arm = sim$arm, x = sim$x),
             X = cbind("(Intercept)" = 1, arm = sim$arm, x = sim$x),
             times = c(5, 20, 60, 120)))

lrows <- list(); crows <- list(); srows <- list(); vrows <- list()
z975 <- qnorm(0.975)
for (ds in names(models)) {
  m <- models[[ds]]; dd <- m$data
  for (dist in c("weibull", "lognormal")) {
    f <- fit(dd$time, dd$status, m$Z, m$X, dist)
    stopifnot(f$convergence == 0)
    se <- sqrt(diag(f$vcov))
    terms <- c(paste0("incidence:", colnames(m$Z)), paste0("latency:", colnames(m$X)), "latency:log(scale)")
    lrows[[length(lrows) + 1]] <- data.frame(dataset = ds, dist = dist, n = nrow(dd),
      events = sum(dd$status), loglik = num(f$loglik), maxgrad = num(f$maxgrad))
    crows[[length(crows) + 1]] <- data.frame(dataset = ds, dist = dist, term = terms,
      estimate = num(f$par), se = num(se))
    # Per-arm profile: the arm's dummies, every other covariate at its sample mean.
    pz <- ncol(m$Z); px <- ncol(m$X); s <- f$par[pz + px + 1]
    arms <- sort(unique(dd$arm))
    for (a in arms) {
      # Profile: the arm's dummies, every other column at its sample mean.
      profile <- function(M) {
        prof <- colMeans(M)
        if (ds == "sim") prof["arm"] <- a else prof[c("lev", "lev5fu")] <- c(a == 1, a == 2)
        prof
      }
      profz <- profile(m$Z); profx <- profile(m$X)
      cz <- c(profz, numeric(px + 1)); cx <- c(numeric(pz), profx, 0)
      lin <- sum(cz * f$par); selin <- sqrt(drop(t(cz) %*% f$vcov %*% cz))
      qw <- if (dist == "weibull") log(log(2)) else 0
      cx[pz + px + 1] <- exp(s) * qw
      logmed <- sum(profx * f$par[pz + 1:px]) + exp(s) * qw
      semed <- sqrt(drop(t(cx) %*% f$vcov %*% cx))
      srows[[length(srows) + 1]] <- data.frame(dataset = ds, dist = dist, arm = a,
        fraction = num(plogis(lin)), fraction.lower = num(plogis(lin - z975 * selin)),
        fraction.upper = num(plogis(lin + z975 * selin)),
        median = num(exp(logmed)), median.lower = num(exp(logmed - z975 * semed)),
        median.upper = num(exp(logmed + z975 * semed)))
      pr <- plogis(lin); eta <- sum(profx * f$par[pz + 1:px]); sig <- exp(s)
      zt <- (log(m$times) - eta) / sig
      if (dist == "weibull") {
        Su <- exp(-exp(zt)); fu <- exp(zt - exp(zt)) / (sig * m$times)
      } else {
        Su <- pnorm(zt, lower.tail = FALSE); fu <- dnorm(zt) / (sig * m$times)
      }
      S <- 1 - pr + pr * Su
      vrows[[length(vrows) + 1]] <- data.frame(dataset = ds, dist = dist, arm = a,
        time = num(m$times), survival = num(S), cdf = num(1 - S), density = num(pr * fu),
        hazard = num(pr * fu / S))
    }
  }
}
write.csv(do.call(rbind, lrows), "cure_loglik.csv", row.names = FALSE, quote = FALSE)
write.csv(do.call(rbind, crows), "cure_coef.csv", row.names = FALSE, quote = FALSE)
write.csv(do.call(rbind, srows), "cure_summary.csv", row.names = FALSE, quote = FALSE)
write.csv(do.call(rbind, vrows), "cure_curve.csv", row.names = FALSE, quote = FALSE)

## Plateau and the Maller-Zhou test -------------------------------------------
# Per arm: t_last = largest time, t_event = largest event time,
# plateau = t_last - t_event, N = #{i: 2 t_event - t_last < t_i <= t_event},
# p = (1 - N/n)^n (Maller & Zhou 1996), km = Kaplan-Meier S(t_event).
prow <- list()
for (ds in c("colon", "sim")) {
  dd <- models[[ds]]$data
  for (a in sort(unique(dd$arm))) {
    g <- dd[dd$arm == a, ]
    tl <- max(g$time); te <- max(g$time[g$status == 1])
    N <- sum(g$time > 2 * te - tl & g$time <= te)
    km <- summary(survfit(Surv(time, status) ~ 1, data = g), times = te)$surv
    prow[[length(prow) + 1]] <- data.frame(dataset = ds, arm = a, n = nrow(g),
      events = sum(g$status), last_time = num(tl), last_event = num(te),
      plateau = num(tl - te), mz_count = N, mz_p = num((1 - N / nrow(g))^nrow(g)), km = num(km))
  }
}
write.csv(do.call(rbind, prow), "cure_plateau.csv", row.names = FALSE, quote = FALSE)

cat("R", R.version$major, ".", R.version$minor, " survival ", format(packageVersion("survival")), "\n",
    sep = "", file = "R_VERSION")
