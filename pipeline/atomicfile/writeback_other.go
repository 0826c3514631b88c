//go:build !linux

package atomicfile

import "os"

// startWriteback does nothing where the kernel has no sync_file_range:
// Sync writes the whole file at the end.
func startWriteback(f *os.File, off, n int64) {}
