// Package faults holds the end-to-end fault tests of the pipeline; it has
// no code of its own. Its tests build the stage programs (derive, ingest,
// fit, plot, report) with go build and check that
//
//   - a stage killed with SIGKILL while it writes leaves every output
//     either absent or complete and identical to an uninterrupted run, and
//     that a rerun gives byte-identical outputs and removes the hidden
//     temporary files (.NAME.tmp-*) of the killed run (package
//     atomicfile);
//   - an output folder that cannot be written (chmod 0500, or a read-only
//     tmpfs as root) or is full (a small tmpfs, as root) gives a clear
//     error and leaves the earlier outputs intact;
//   - make study works on a folder whose path has spaces.
//
// The input is the STAR*D level-1 scenario of datasets/stard-level1
// simulated at a larger size, so that every stage runs long enough to be
// killed mid-write. go test -short skips the kill test.
package faults
