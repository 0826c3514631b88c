# Test files for package xport (pipeline/xport), written by R's haven.
# Run from this directory:  Rscript make_testdata.R
# Writes
#   lung.csv                 survival::lung as an ADTTE-like table (the truth)
#   lung_v5.xpt, lung_v8.xpt haven::write_xpt(lung_adtte, path, version = 5 / 8)
#   special.csv              the special table's cells as package xport renders them
#   special_v5.xpt           version 5: dates, datetimes, times, special missing values
#   special_v8.xpt           version 8: the same plus long names and labels over 40 bytes
#   latin1_v5.xpt            latin1 text (haven writes UTF-8 only: the bytes are patched, see below)
#   latin1.csv               its text as UTF-8
# Numbers are written with sprintf("%.17g") so that they parse to the same
# double; missing numbers are written as "" (empty cell).
library(survival)
library(haven)

num <- function(x) ifelse(is.na(x), "", sprintf("%.17g", x))

# 1. survival::lung as ADTTE. lung has no treatment arm: TRTP is derived from
#    the institution code's parity (only the file's shape matters here).
#    CNSR = 1 for status 1 (censored), 0 for status 2 (dead).
lung_adtte <- data.frame(
  STUDYID = "LUNG",
  USUBJID = sprintf("LUNG-%03d", seq_len(nrow(lung))),
  TRTP = ifelse(!is.na(lung$inst) & lung$inst %% 2 == 1, "ARM A", "ARM B"),
  PARAMCD = "TTDEATH",
  AVAL = as.numeric(lung$time),
  AVALM = lung$time / 30.4375,          # months: fractional values
  CNSR = as.numeric(ifelse(lung$status == 2, 0, 1)),
  AGE = as.numeric(lung$age),
  SEX = ifelse(lung$sex == 1, "M", "F"),
  PHECOG = as.numeric(lung$ph.ecog),    # one NA
  WTLOSS = as.numeric(lung$wt.loss),    # 14 NA
  stringsAsFactors = FALSE)
attr(lung_adtte$AVAL, "label") <- "Analysis Value"
attr(lung_adtte$CNSR, "label") <- "Censor"
attr(lung_adtte$AVAL, "format.sas") <- "8"
write_xpt(lung_adtte, "lung_v5.xpt", version = 5, name = "ADTTE", label = "Time to death (survival::lung)")
write_xpt(lung_adtte, "lung_v8.xpt", version = 8, name = "ADTTE", label = "Time to death (survival::lung)")
out <- lung_adtte
for (v in names(out)) if (is.numeric(out[[v]])) out[[v]] <- num(out[[v]])
write.csv(out, "lung.csv", row.names = FALSE, na = "")

# 2. Dates, datetimes, times and SAS special missing values.
#    haven::tagged_na("A") is written as SAS's .A (haven wants upper case).
sp <- data.frame(
  ID = c(1, 2, 3, 4, 5, 6),
  ADT = as.numeric(as.Date(c("2024-01-15", "1959-12-31", "1960-01-01", NA, "2000-02-29", "1582-10-15")) - as.Date("1960-01-01")),
  ADY10 = as.numeric(as.Date(c("2024-01-16", NA, "1960-01-02", "1999-12-31", "2100-03-01", "1900-01-01")) - as.Date("1960-01-01")),
  ADTD = c(0, 1, -1, 366, NA, 23000),
  ADTE = c(23754, 23755.75, NA, -3653, 0, 10),
  ADTM = c(0, 86399, 2e9, NA, -1, 1893456000.5),
  ATM = c(0, 3600 * 10 + 30 * 60, 86399, NA, 59.25, 90000),
  X = c(1.5, NA, tagged_na("A"), tagged_na("Z"), tagged_na("_"), -0.1),
  C = c("a", "", "  lead", "trail  ", "caf\u00e9", "x"),
  stringsAsFactors = FALSE)
attr(sp$ADT, "format.sas") <- "DATE9"
attr(sp$ADY10, "format.sas") <- "YYMMDD10"
attr(sp$ADTD, "format.sas") <- "DATE"
attr(sp$ADTE, "format.sas") <- "E8601DA"
attr(sp$ADTM, "format.sas") <- "DATETIME20"
attr(sp$ATM, "format.sas") <- "TIME8"
attr(sp$X, "format.sas") <- "8.2"
attr(sp$X, "label") <- "A number with special missing values"
write_xpt(sp, "special_v5.xpt", version = 5, name = "SPECIAL", label = "Dates and missing values")
sp8 <- sp
names(sp8)[names(sp8) == "X"] <- "A_LONG_VARIABLE_NAME"
attr(sp8$A_LONG_VARIABLE_NAME, "label") <- "A label that is longer than the forty bytes of a version 5 namestr"
write_xpt(sp8, "special_v8.xpt", version = 8, name = "SPECIAL_LONG_NAME", label = "Dates and missing values")

# Expected cells: dates as ISO 8601 (floor of fractional days), datetimes as
# YYYY-MM-DDThh:mm:ss[.fff], times as hh:mm:ss[.fff], missing as "".
iso_date <- function(d) ifelse(is.na(d), "", format(as.Date(floor(d), origin = "1960-01-01"), "%Y-%m-%d"))
iso_dt <- function(s) {
  t <- as.POSIXct(s, origin = "1960-01-01", tz = "UTC")
  ifelse(is.na(s), "", ifelse(s == floor(s), format(t, "%Y-%m-%dT%H:%M:%S", tz = "UTC"),
         sub("0+$", "", format(t, "%Y-%m-%dT%H:%M:%OS3", tz = "UTC"))))
}
iso_tm <- function(s) {
  h <- floor(s / 3600); m <- floor((s - 3600 * h) / 60); sec <- s - 3600 * h - 60 * m
  ss <- ifelse(sec == floor(sec), sprintf("%02d", as.integer(sec)), sub("0+$", "", sprintf("%06.3f", sec)))
  ifelse(is.na(s), "", sprintf("%02d:%02d:%s", as.integer(h), as.integer(m), ss))
}
cells <- data.frame(ID = num(sp$ID), ADT = iso_date(sp$ADT), ADY10 = iso_date(sp$ADY10),
  ADTD = iso_date(sp$ADTD), ADTE = iso_date(sp$ADTE), ADTM = iso_dt(sp$ADTM),
  ATM = iso_tm(sp$ATM), X = num(sp$X), XTAG = ifelse(is.na(na_tag(sp$X)), "", na_tag(sp$X)),
  C = sub(" +$", "", sp$C), stringsAsFactors = FALSE)
write.csv(cells, "special.csv", row.names = FALSE, na = "", fileEncoding = "UTF-8")

# 3. latin1 text. haven writes UTF-8 only, so the file is written with ASCII
#    placeholders ("#" for each latin1 byte) and the placeholders are
#    replaced by the latin1 bytes afterwards.
l1 <- data.frame(ID = c(1, 2, 3), TXT = c("caf#", "na#ve", "#t#"), stringsAsFactors = FALSE)
write_xpt(l1, "latin1_v5.xpt", version = 5, name = "LATIN1")
truth <- c("caf\u00e9", "na\u00efve", "\u00e9t\u00e9")
raw <- readBin("latin1_v5.xpt", "raw", file.size("latin1_v5.xpt"))
obs <- grepRaw("OBS     HEADER RECORD", raw) + 80 - 20
bytes <- raw[obs:length(raw)]
patch <- charToRaw(iconv(paste0(truth, collapse = ""), "UTF-8", "latin1"))
holes <- which(bytes == charToRaw("#"))
stopifnot(length(holes) == 4)
bytes[holes] <- patch[c(4, 7, 10, 12)]
raw[obs:length(raw)] <- bytes
writeBin(raw, "latin1_v5.xpt")
write.csv(data.frame(ID = num(l1$ID), TXT = truth), "latin1.csv", row.names = FALSE, fileEncoding = "UTF-8")

writeLines(paste0("R", getRversion(), " survival ", packageVersion("survival"), " haven ", packageVersion("haven")), "R_VERSION")
