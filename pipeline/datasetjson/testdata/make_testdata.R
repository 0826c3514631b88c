# Test files for package datasetjson (pipeline/datasetjson): survival::lung as
# an ADTTE-like table in CDISC Dataset-JSON v1.1, in the JSON and the NDJSON
# representation, and the cells a CSV reader should see.
# Run from this directory:  Rscript make_testdata.R
# Writes lung.json, lung.ndjson and lung.csv.
#
# Numbers are written with sprintf("%.17g"), so that the JSON number and the
# CSV cell parse to the same double; strings are JSON-encoded by jsonlite.
# Missing values are null in JSON and "" in the CSV.
library(survival)
library(jsonlite)

num <- function(x) ifelse(is.na(x), "null", sprintf("%.17g", x))
str <- function(x) ifelse(is.na(x), "null", vapply(x, function(s) as.character(toJSON(s, auto_unbox = TRUE)), ""))
csvnum <- function(x) ifelse(is.na(x), "", sprintf("%.17g", x))

n <- nrow(lung)
# lung has no treatment arm: TRTP is derived from the institution code's
# parity (only the file's shape matters). CNSR = 1 for status 1 (censored).
d <- data.frame(
  STUDYID = "LUNG",
  USUBJID = sprintf("LUNG-%03d", seq_len(n)),
  TRTP = ifelse(!is.na(lung$inst) & lung$inst %% 2 == 1, "ARM A", "ARM B"),
  PARAMCD = "TTDEATH",
  AVAL = lung$time,
  AVALM = lung$time / 30.4375,
  AVALC = sprintf("%.2f", lung$time / 7),                  # decimal, exchanged as a string
  CNSR = ifelse(lung$status == 2, 0L, 1L),
  AGE = lung$age,
  SEX = ifelse(lung$sex == 1, "M", "F"),
  PHECOG = lung$ph.ecog,                                    # integer with one null
  WTLOSS = lung$wt.loss,                                    # float with 14 nulls
  ADT = as.Date("2020-01-01") + lung$time,                  # date, targetDataType integer, ISO string
  STARTDT = as.numeric(as.Date("2020-01-01") - as.Date("1960-01-01")), # date as a SAS day number
  ADTM = format(as.POSIXct("2020-01-01 08:30:00", tz = "UTC") + lung$time * 86400, "%Y-%m-%dT%H:%M:%S", tz = "UTC"),
  DEATHFL = lung$status == 2,                               # boolean
  NOTE = c("caf\u00e9", "a \"quoted\" word", "back\\slash", "tab\there", rep("", n - 4)),
  stringsAsFactors = FALSE)
d$NOTE[10] <- NA

columns <- list(
  list(itemOID = "IT.ADTTE.STUDYID", name = "STUDYID", label = "Study Identifier", dataType = "string", length = 4),
  list(itemOID = "IT.ADTTE.USUBJID", name = "USUBJID", label = "Unique Subject Identifier", dataType = "string", length = 8, keySequence = 1),
  list(itemOID = "IT.ADTTE.TRTP", name = "TRTP", label = "Planned Treatment", dataType = "string", length = 5),
  list(itemOID = "IT.ADTTE.PARAMCD", name = "PARAMCD", label = "Parameter Code", dataType = "string", length = 8, keySequence = 2),
  list(itemOID = "IT.ADTTE.AVAL", name = "AVAL", label = "Analysis Value", dataType = "integer"),
  list(itemOID = "IT.ADTTE.AVALM", name = "AVALM", label = "Analysis Value (months)", dataType = "double"),
  list(itemOID = "IT.ADTTE.AVALC", name = "AVALC", label = "Analysis Value (weeks)", dataType = "decimal", targetDataType = "decimal", length = 8),
  list(itemOID = "IT.ADTTE.CNSR", name = "CNSR", label = "Censor", dataType = "integer"),
  list(itemOID = "IT.ADTTE.AGE", name = "AGE", label = "Age", dataType = "integer"),
  list(itemOID = "IT.ADTTE.SEX", name = "SEX", label = "Sex", dataType = "string", length = 1),
  list(itemOID = "IT.ADTTE.PHECOG", name = "PHECOG", label = "ECOG performance score", dataType = "integer"),
  list(itemOID = "IT.ADTTE.WTLOSS", name = "WTLOSS", label = "Weight loss (pounds)", dataType = "float"),
  list(itemOID = "IT.ADTTE.ADT", name = "ADT", label = "Analysis Date", dataType = "date", targetDataType = "integer", displayFormat = "E8601DA."),
  list(itemOID = "IT.ADTTE.STARTDT", name = "STARTDT", label = "Time to Event Origin Date", dataType = "date", targetDataType = "integer", displayFormat = "DATE9."),
  list(itemOID = "IT.ADTTE.ADTM", name = "ADTM", label = "Analysis Datetime", dataType = "datetime"),
  list(itemOID = "IT.ADTTE.DEATHFL", name = "DEATHFL", label = "Death", dataType = "boolean"),
  list(itemOID = "IT.ADTTE.NOTE", name = "NOTE", label = "Note", dataType = "string", length = 20))

meta <- list(
  datasetJSONCreationDateTime = "2026-12-01T09:00:00",
  datasetJSONVersion = "1.1.0",
  fileOID = "ketcurves.pipeline.datasetjson.testdata.lung",
  originator = "ketcurves",
  sourceSystem = list(name = "R", version = as.character(getRversion())),
  studyOID = "LUNG",
  itemGroupOID = "IG.ADTTE",
  records = n,
  name = "ADTTE",
  label = "Time to death (survival::lung)")

rows <- paste0("[", paste(str(d$STUDYID), str(d$USUBJID), str(d$TRTP), str(d$PARAMCD),
  num(d$AVAL), num(d$AVALM), str(d$AVALC), num(d$CNSR), num(d$AGE), str(d$SEX),
  num(d$PHECOG), num(d$WTLOSS), str(format(d$ADT, "%Y-%m-%d")), num(d$STARTDT),
  str(d$ADTM), ifelse(d$DEATHFL, "true", "false"), str(d$NOTE), sep = ", "), "]")

metajson <- as.character(toJSON(meta, auto_unbox = TRUE))
colsjson <- as.character(toJSON(columns, auto_unbox = TRUE))

# JSON: one object, attributes in the specification's order, a row per line.
json <- c(paste0(sub("}$", "", metajson), ",\"columns\":", colsjson, ",\"rows\":["),
          paste0("  ", rows, c(rep(",", n - 1), "")), "]}")
writeLines(json, "lung.json", useBytes = TRUE)

# NDJSON: the metadata (with the columns) on line 1, a row per line.
writeLines(c(paste0(sub("}$", "", metajson), ",\"columns\":", colsjson, "}"), rows), "lung.ndjson", useBytes = TRUE)

# The cells a CSV reader should see (package datasetjson's Column.Cell):
# dates with targetDataType integer as ISO 8601, booleans as true/false.
cells <- data.frame(STUDYID = d$STUDYID, USUBJID = d$USUBJID, TRTP = d$TRTP, PARAMCD = d$PARAMCD,
  AVAL = csvnum(d$AVAL), AVALM = csvnum(d$AVALM), AVALC = d$AVALC, CNSR = csvnum(d$CNSR),
  AGE = csvnum(d$AGE), SEX = d$SEX, PHECOG = csvnum(d$PHECOG), WTLOSS = csvnum(d$WTLOSS),
  ADT = format(d$ADT, "%Y-%m-%d"), STARTDT = "2020-01-01", ADTM = d$ADTM,
  DEATHFL = ifelse(d$DEATHFL, "true", "false"), NOTE = ifelse(is.na(d$NOTE), "", d$NOTE),
  stringsAsFactors = FALSE)
write.csv(cells, "lung.csv", row.names = FALSE, na = "", fileEncoding = "UTF-8")
# SAS day numbers of ADT, for the targetDataType integer conversion.
write.csv(data.frame(ADT = csvnum(as.numeric(d$ADT - as.Date("1960-01-01")))), "lung_adt_days.csv", row.names = FALSE)

writeLines(paste0("R", getRversion(), " survival ", packageVersion("survival"), " jsonlite ", packageVersion("jsonlite")), "R_VERSION")
