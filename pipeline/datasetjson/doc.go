// Package datasetjson provides a reader for CDISC Dataset-JSON version 1.1
// datasets, in both representations: JSON (one object whose "rows" hold the
// rows, file extension .json) and NDJSON (the metadata object on the first
// line, one JSON array per row on each following line, .ndjson).
//
// Read decodes a dataset into a Table: the dataset attributes
// (datasetJSONVersion, itemGroupOID, name, label, records, …) and the
// columns in order, each a Column with its metadata (itemOID, name, label,
// dataType, targetDataType, length, displayFormat, keySequence) and its
// values, typed by dataType: Float for integer, decimal, float and double
// (and the SAS day or second number of date, datetime and time columns
// with targetDataType "integer", as ADaM uses), String for string, URI,
// decimal, date, datetime and time, Bool for boolean, and Missing for null.
// Decoding streams with encoding/json's Decoder (Token for the metadata,
// one row at a time for the rows), so a large file is never held in memory
// as JSON beside its columns.
//
// Values are checked against their column's dataType (a string in an
// integer column, a number in a decimal column — decimals are strings in
// version 1.1 — or an integer with a fraction is an error), rows against
// the number of columns, and the number of rows against "records". Errors
// are *Error values with the byte offset (and, from ReadFile, the line and
// column), the 1-based row and the column name.
//
// Column.Cell, Table.Records and Table.WriteCSV render the cells a CSV
// reader would see, by the same rules as package xport, so that the same
// data read from Dataset-JSON, XPORT or CSV go through the same
// validation.
//
// # References
//
//   - CDISC Data Exchange Standards Team. CDISC Dataset-JSON Specification,
//     version 1.1 (final, 2024-12-05), with its NDJSON representation:
//     https://github.com/cdisc-org/DataExchange-DatasetJson (doc/dataset-json1-1.md).
//   - CDISC ODM Data Formats, for the data types.
//
// The R equivalent is datasetjson::read_dataset_json (atorus-research); in
// SAS, the %read_datasetjson macro of the CDISC dataset-json-sas project,
// or PROC JSON for writing.
package datasetjson
