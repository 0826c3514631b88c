// Package study reads and validates a study description, study.yaml.
//
// A study is a folder datasets/<study>/ holding study.yaml and CDISC-ADaM-style
// CSV files (see datasets/README.md for the data contract). study.yaml names
// the study, its arms with their drug class, the control (reference) arm, the
// endpoints, the analysis conventions and the provenance of the data.
//
// Decoding is strict: an unknown key, a value of the wrong type, an unknown
// arm class or a control arm that is not among the arms is an error that
// names the file and the line, and says how to fix it.
package study
