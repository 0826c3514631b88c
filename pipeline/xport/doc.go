// Package xport provides a reader and a writer for SAS transport files in
// the XPORT format: version 5 (SAS TS-140) and its version 8/9 extension
// (LIBV8, MEMBV8, NAMSTV8, LABELV8 and LABELV9 headers: member and variable
// names up to 32 bytes, labels over 40 bytes, format names over 8). XPORT
// version 5 is the format of datasets in FDA submissions.
//
// Decode turns one member (SAS dataset) of a file into a Table: its name and
// label and its variables in order, each a Column with name, label, type
// (Numeric or Char), length, format and informat, and values. Numeric
// values are []float64, converted exactly from IBM System/370 hexadecimal
// floating point (LENGTH 3–7 included), with a Missing kind per cell: the
// ordinary missing value ".", the special missing values ".A"–".Z" and
// "._". A missing cell is NaN in Float; Missing says which missing value it
// is. Character values are []string with trailing blanks removed, as SAS
// does. Text is UTF-8 by default (invalid UTF-8 is an error naming the byte
// offset and the variable) or latin1 (Options.Encoding).
//
// Column.Cell, Table.Records and Table.WriteCSV render a table as the cells
// a CSV reader would see — missing numbers as "", numbers in shortest
// round-trip decimal form, SAS dates, datetimes and times (by their format:
// DATE9., YYMMDD10., E8601DA., DATETIME20., TIME8., …) as ISO 8601
// strings — so that the same data read from XPORT or from CSV go through
// the same validation. See Column.Cell for the exact rules.
//
// Write writes tables as an XPORT version 5 file; its observations are byte
// for byte those haven::write_xpt (ReadStat) writes.
//
// # File layout
//
// An XPORT file is a sequence of 80-byte records: a library header (3
// records), then for each member a member header, two descriptor records, a
// NAMESTR header, one NAMESTR of 140 bytes per variable (136 on VAX/VMS,
// told by the member header) packed across records, in version 8 optionally
// a LABELV8/LABELV9 section, an OBS header and the observations, packed
// across records; the last record of each section is padded with blanks.
// Members follow one another; Options.Member chooses one by name. The
// number of observations is not stored: it is the length of the
// observation section divided by the observation length, less trailing
// all-blank observations within the last record (padding; see Decode's
// rule). A file cut exactly at the end of an observation therefore reads
// without error, with fewer observations.
//
// Files that are not XPORT are rejected with ErrNotXPORT, and CPORT files
// (PROC CPORT: "**COMPRESSED**", "LIB CONTROL") with ErrCPORT, with a
// message saying how to export the data instead. Every error is an *Error
// with the byte offset, the member and, where relevant, the variable.
// Memory is bounded by the file size (see MaxVariables): declared counts
// are checked against the bytes present before anything is allocated.
//
// # References
//
//   - SAS Institute. The Record Layout of a Data Set in SAS Transport
//     (XPORT) Format. Technical Support document TS-140.
//   - SAS Institute. Record Layout of a SAS Version 8 or 9 Data Set in SAS
//     Transport Format (the V8 extension: LIBV8, MEMBV8, NAMSTV8, LABELV8,
//     LABELV9, OBSV8).
//   - IBM. z/Architecture Principles of Operation, SA22-7832, chapter 18,
//     "Hexadecimal-Floating-Point Instructions" (number representation).
//
// The R equivalents are haven::read_xpt and haven::write_xpt(version = 5
// or 8); in SAS, LIBNAME x XPORT "file.xpt" with PROC COPY, or the
// %XPT2LOC and %LOC2XPT macros for version 8/9 files.
package xport
