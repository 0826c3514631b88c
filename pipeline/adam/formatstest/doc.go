// Package formatstest holds the test that an ADTTE read from SAS XPORT
// (versions 5 and 8) or Dataset-JSON (JSON and NDJSON) gives fit results
// identical to the same data read from CSV. It is a package of its own so
// that package adam's tests do not depend on package fit, which imports
// adam.
package formatstest
