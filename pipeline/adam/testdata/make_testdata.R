# Test files for package adam (pipeline/adam): survival::lung as an ADTTE in
# the four formats adam reads, for the test that every format gives the
# table and the fit results of the CSV version (formats_test.go).
# Run from this directory:  Rscript make_testdata.R
# Writes
#   lung_adtte.csv           write.csv(lung_adtte, na = "")            (the truth)
#   lung_adtte_v5.xpt        haven::write_xpt(lung_adtte, version = 5)
#   lung_adtte_v8.xpt        haven::write_xpt(lung_adtte8, version = 8) (labels over 40 bytes)
#   lung_adtte.json          CDISC Dataset-JSON v1.1, written with jsonlite
#   lung_adtte.ndjson        the same as NDJSON
#   R_VERSION
# lung has no treatment arm: TRTP is derived from the institution code's
# parity (only the file's shape matters). CNSR = 1 for status 1 (censored),
# 0 for status 2 (dead). AVALM (months) is rounded to 4 decimals so that
# write.csv's 15 significant digits are the shortest round-trip form of
# the double, which is how package xport renders a number.
library(survival)
library(haven)
library(jsonlite)

n <- nrow(lung)
lung_adtte <- data.frame(
  STUDYID = "LUNG",
  USUBJID = sprintf("LUNG-%03d", seq_len(n)),
  TRTP = ifelse(!is.na(lung$inst) & lung$inst %% 2 == 1, "ARM A", "ARM B"),
  PARAMCD = "TTDEATH",
  AVAL = as.numeric(lung$time),
  AVALM = round(lung$time / 30.4375, 4),
  CNSR = as.numeric(ifelse(lung$status == 2, 0, 1)),
  AGE = as.numeric(lung$age),
  SEX = ifelse(lung$sex == 1, "M", "F"),
  PHECOG = as.numeric(lung$ph.ecog),    # one NA
  WTLOSS = as.numeric(lung$wt.loss),    # 14 NA
  EVNTDESC = ifelse(lung$status == 2, "DEATH", ""),
  CNSDTDSC = ifelse(lung$status == 2, "", "LAST KNOWN ALIVE"),
  stringsAsFactors = FALSE)
write.csv(lung_adtte, "lung_adtte.csv", row.names = FALSE, na = "")

attr(lung_adtte$AVAL, "label") <- "Analysis Value"
attr(lung_adtte$CNSR, "label") <- "Censor"
write_xpt(lung_adtte, "lung_adtte_v5.xpt", version = 5, name = "ADTTE", label = "Time to death (survival::lung)")
lung_adtte8 <- lung_adtte
attr(lung_adtte8$WTLOSS, "label") <- "Weight loss in the last six months (pounds), patient-reported"
write_xpt(lung_adtte8, "lung_adtte_v8.xpt", version = 8, name = "ADTTE", label = "Time to death (survival::lung)")

# Dataset-JSON v1.1: numbers with 17 significant digits (they parse to the
# same double), null for NA, strings JSON-encoded by jsonlite.
num <- function(x) ifelse(is.na(x), "null", sprintf("%.17g", x))
str <- function(x) vapply(x, function(s) as.character(toJSON(s, auto_unbox = TRUE)), "")
col <- function(name, label, type, ...) list(itemOID = paste0("IT.ADTTE.", name), name = name, label = label, dataType = type, ...)
columns <- list(
  col("STUDYID", "Study Identifier", "string", length = 4),
  col("USUBJID", "Unique Subject Identifier", "string", length = 8, keySequence = 1),
  col("TRTP", "Planned Treatment", "string", length = 5),
  col("PARAMCD", "Parameter Code", "string", length = 7, keySequence = 2),
  col("AVAL", "Analysis Value", "integer"),
  col("AVALM", "Analysis Value (months)", "double"),
  col("CNSR", "Censor", "integer"),
  col("AGE", "Age", "integer"),
  col("SEX", "Sex", "string", length = 1),
  col("PHECOG", "ECOG performance score", "integer"),
  col("WTLOSS", "Weight loss (pounds)", "integer"),
  col("EVNTDESC", "Event Description", "string", length = 5),
  col("CNSDTDSC", "Censor Date Description", "string", length = 16))
meta <- list(
  datasetJSONCreationDateTime = "2026-12-01T09:00:00",
  datasetJSONVersion = "1.1.0",
  fileOID = "ketcurves.pipeline.adam.testdata.lung_adtte",
  originator = "ketcurves",
  sourceSystem = list(name = "R", version = as.character(getRversion())),
  studyOID = "LUNG",
  itemGroupOID = "IG.ADTTE",
  records = n,
  name = "ADTTE",
  label = "Time to death (survival::lung)")
d <- lung_adtte
rows <- paste0("[", paste(str(d$STUDYID), str(d$USUBJID), str(d$TRTP), str(d$PARAMCD),
  num(d$AVAL), num(d$AVALM), num(d$CNSR), num(d$AGE), str(d$SEX), num(d$PHECOG),
  num(d$WTLOSS), str(d$EVNTDESC), str(d$CNSDTDSC), sep = ", "), "]")
metajson <- as.character(toJSON(meta, auto_unbox = TRUE))
colsjson <- as.character(toJSON(columns, auto_unbox = TRUE))
json <- paste0(sub("}$", "", metajson), ",\"columns\":", colsjson, ",\"rows\":[\n",
  paste(rows, collapse = ",\n"), "\n]}\n")
writeBin(charToRaw(enc2utf8(json)), "lung_adtte.json")
ndmeta <- paste0(sub("}$", "", metajson), ",\"columns\":", colsjson, "}")
writeBin(charToRaw(enc2utf8(paste0(ndmeta, "\n", paste(rows, collapse = "\n"), "\n"))), "lung_adtte.ndjson")

writeLines(paste0("R ", getRversion(), " survival ", packageVersion("survival"), " haven ",
  packageVersion("haven"), " jsonlite ", packageVersion("jsonlite")), "R_VERSION")
