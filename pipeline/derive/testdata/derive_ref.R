# derive_ref.R: an independent base-R derivation of the four plans of
# fixture/study.yaml (hard-coded below), written from the rules in
# pipeline/derive/PLAN.md without looking at the Go code. Its output,
# fixture/ref_adtte.csv, is compared with Derive by TestAgainstR.
#
#   cd pipeline/derive/testdata && go run gen_fixture.go && Rscript derive_ref.R
adsl <- read.csv("fixture/adsl.csv", stringsAsFactors = FALSE, na.strings = "")
adqs <- read.csv("fixture/adqs.csv", stringsAsFactors = FALSE, na.strings = "")
adce <- read.csv("fixture/adce.csv", stringsAsFactors = FALSE, na.strings = "")

madrs <- function(id, drop_missing = TRUE, drop_unsched = FALSE) {
  q <- adqs[adqs$USUBJID == id & adqs$PARAMCD == "MADRS", ]
  q <- q[order(q$ADY), ]
  if (drop_unsched) q <- q[!grepl("^UNSCHED", toupper(q$AVISIT)), ]
  if (drop_missing) q <- q[!is.na(q$AVAL), ]
  q
}
baseline <- function(q) {
  b <- q[q$ADY <= 0 & !is.na(q$AVAL), ]
  if (nrow(b) == 0) NULL else b[nrow(b), ]
}
out <- list()
emit <- function(id, paramcd, excluded, aval = NA, cnsr = NA, lower = NA, upper = NA, srcady = NA) {
  out[[length(out) + 1]] <<- data.frame(USUBJID = id, PARAMCD = paramcd, EXCLUDED = excluded,
    AVAL = aval, CNSR = cnsr, ILOWER = lower, IUPPER = upper, SRCADY = srcady)
}
# previous adequate assessment of w before row i, else NA
prev_adequate <- function(w, i) {
  k <- which(!is.na(w$AVAL) & seq_len(nrow(w)) < i)
  if (length(k) == 0) NA else w$ADY[max(k)]
}
last_adequate <- function(w) {
  k <- which(!is.na(w$AVAL))
  if (length(k) == 0) NA else w$ADY[max(k)]
}
resp_day <- list() # TTRESP event study day per subject (anchor of TTRELR)
# after_discontinuation: ignore (the default of every plan): a discontinued
# subject's records after EOSDY are not used (EOSDY itself is)
eos_cut <- function(w, s) if (is.na(s$DCSREAS)) w else w[w$ADY <= s$EOSDY, ]

for (r in seq_len(nrow(adsl))) {
  s <- adsl[r, ]
  id <- s$USUBJID

  ## TTRESP: reduction 0.5 sustained over 2, missing: break, rescue; origin dose
  q <- madrs(id, drop_missing = FALSE)
  b <- baseline(q)
  if (is.null(b) || b$AVAL <= 0) {
    emit(id, "TTRESP", 1)
  } else {
    w <- q[q$ADY > max(0, b$ADY), ]
    if (!is.na(s$RESCDY)) w <- w[w$ADY < s$RESCDY, ]
    w <- eos_cut(w, s)
    met <- !is.na(w$AVAL) & (b$AVAL - w$AVAL) / b$AVAL >= 0.5
    ev <- NA
    if (nrow(w) >= 2) for (i in 1:(nrow(w) - 1)) if (met[i] && met[i + 1]) { ev <- i; break }
    if (!is.na(ev)) {
      emit(id, "TTRESP", 0, w$ADY[ev], 0, prev_adequate(w, ev), w$ADY[ev], w$ADY[ev])
      resp_day[[id]] <- w$ADY[ev]
    } else {
      t <- last_adequate(w)
      if (is.na(t)) t <- 0
      emit(id, "TTRESP", 0, t, 1, t, NA)
    }
  }

  ## TTREMIT: at_most 10, unscheduled ignored, missing skipped, max_day 56; origin dose;
  ## baseline required (the default of event rules): no baseline, excluded
  q <- madrs(id, drop_unsched = TRUE)
  b <- baseline(q)
  if (is.null(b)) {
    emit(id, "TTREMIT", 1)
  } else {
    w <- eos_cut(q[q$ADY > max(0, b$ADY) & q$ADY <= 56, ], s)
    ev <- which(w$AVAL <= 10)[1]
    if (!is.na(ev)) {
      emit(id, "TTREMIT", 0, w$ADY[ev], 0, prev_adequate(w, ev), w$ADY[ev], w$ADY[ev])
    } else {
      t <- last_adequate(w)
      if (is.na(t)) t <- 0
      emit(id, "TTREMIT", 0, t, 1, t, NA)
    }
  }

  ## TTRELAPSE: origin and anchor randomization, in response (MADRS <= 20) at
  ## the anchor, MADRS >= 22 confirmed by the next assessment 5-15 days later,
  ## or HOSPITALIZATION; rescue
  q <- madrs(id)
  b <- baseline(q)
  rd <- s$RANDDY
  pre <- q[!is.na(rd) & q$ADY <= rd, ]
  if (is.na(rd) || nrow(pre) == 0 || pre$AVAL[nrow(pre)] > 20) {
    emit(id, "TTRELAPSE", 1)
  } else {
    start <- max(0, if (is.null(b)) 0 else b$ADY, rd)
    stop <- if (is.na(s$RESCDY)) Inf else s$RESCDY # exclusive
    w <- eos_cut(q[q$ADY > start & q$ADY < stop, ], s)
    ev <- NA
    if (nrow(w) >= 2) for (i in 1:(nrow(w) - 1)) {
      gap <- w$ADY[i + 1] - w$ADY[i]
      if (w$AVAL[i] >= 22 && w$AVAL[i + 1] >= 22 && gap >= 5 && gap <= 15) { ev <- i; break }
    }
    ce <- eos_cut(adce[adce$USUBJID == id & adce$CETERM == "HOSPITALIZATION" & adce$ADY > start & adce$ADY < stop, ], s)$ADY
    ce <- if (length(ce) == 0) NA else min(ce)
    if (!is.na(ce) && (is.na(ev) || ce < w$ADY[ev])) {
      emit(id, "TTRELAPSE", 0, ce - rd, 0, ce - rd, ce - rd, ce)
    } else if (!is.na(ev)) {
      emit(id, "TTRELAPSE", 0, w$ADY[ev] - rd, 0, prev_adequate(w, ev) - rd, w$ADY[ev] - rd, w$ADY[ev])
    } else {
      t <- last_adequate(w)
      t <- if (is.na(t)) 0 else t - rd
      emit(id, "TTRELAPSE", 0, t, 1, t, NA)
    }
  }

  ## TTRELR: anchor = the TTRESP event visit, origin dose (delayed entry),
  ## first MADRS >= 22 after the anchor, no confirmation
  a <- resp_day[[id]]
  q <- madrs(id)
  b <- baseline(q)
  if (is.null(a)) {
    emit(id, "TTRELR", 1)
  } else {
    w <- eos_cut(q[q$ADY > max(0, if (is.null(b)) 0 else b$ADY, a), ], s)
    ev <- which(w$AVAL >= 22)[1]
    if (!is.na(ev)) {
      lo <- prev_adequate(w, ev)
      if (is.na(lo)) lo <- a # the entry time
      emit(id, "TTRELR", 0, w$ADY[ev], 0, lo, w$ADY[ev], w$ADY[ev])
    } else if (nrow(w) == 0) {
      emit(id, "TTRELR", 1) # no assessment after the anchor
    } else {
      t <- last_adequate(w)
      emit(id, "TTRELR", 0, t, 1, t, NA)
    }
  }
}
ref <- do.call(rbind, out)
write.csv(ref, "fixture/ref_adtte.csv", row.names = FALSE, na = "")
cat(sprintf("%d rows, %d excluded\n", nrow(ref), sum(ref$EXCLUDED)))
