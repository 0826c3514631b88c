// Package atomicfile writes output files so that a reader never sees a
// half-written file: the content goes to a temporary file in the same
// directory, which is synced and then renamed over the destination.
//
// Every stage of the ketcurves pipeline writes its outputs through this
// package. If the stage fails, the temporary file is removed and any previous
// version of the destination is left untouched.
//
// # Temporary files
//
// The temporary file of a destination DIR/NAME is DIR/.NAME.tmp-RANDOM
// (hidden, in the same directory so that the rename is atomic; RANDOM is
// the decimal suffix of os.CreateTemp). A process killed while writing
// (SIGKILL, power loss) cannot remove it, so Write removes every stale
// temporary file of the same destination (every DIR/.NAME.tmp-* entry that
// is a regular file) before it creates its own. The rule assumes one
// writer per destination at a time, as in the pipeline, where each output
// has one stage; two processes writing the same path at once are not
// supported (one of them may fail, and the file is the last one renamed).
// Temporary files of other destinations are left alone.
//
// # Errors
//
// An output directory that cannot be written (permissions, a read-only
// file system) or a full disk gives an error naming the destination and
// saying what to do; ErrNotWritable and ErrNoSpace can be tested with
// errors.Is. The previous content of the destination is unchanged.
package atomicfile
