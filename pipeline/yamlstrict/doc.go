// Package yamlstrict is the one strict YAML loader of ketcurves, used for
// study.yaml, scenario.yaml and power designs. Beyond yaml.v3 with
// KnownFields, it
//
//   - accepts one document only (a second after --- is an error with its
//     line);
//   - checks scalar types against the destination: a boolean must be true
//     or false (not "yes", a quoted string or 1), an integer must be written
//     as one (2.9 is not silently truncated to 2), a number must not be a
//     quoted string; a struct with its own UnmarshalYAML is checked field
//     by field too (it is assumed to decode a mapping into its fields, as
//     study.Derivation does), other types with their own UnmarshalYAML
//     are left to it;
//   - bounds the input: at most MaxBytes bytes and MaxNodes nodes after
//     expanding aliases, so that an alias bomb ("billion laughs") is an
//     error in bounded memory.
//
// Errors name the file and the line, and say how to fix the value; an
// empty file wraps ErrEmpty.
package yamlstrict
