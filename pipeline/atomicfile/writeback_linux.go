//go:build linux

package atomicfile

import (
	"os"
	"syscall"
)

// syncFileRangeWrite is SYNC_FILE_RANGE_WRITE of linux/fs.h: start the
// writeback of a range's dirty pages, without waiting for it.
const syncFileRangeWrite = 2

// startWriteback asks the kernel to start writing bytes off … off+n-1 of
// f to disk. It is advice: an error only loses the overlap, and Sync still
// makes the file durable.
func startWriteback(f *os.File, off, n int64) {
	_ = syscall.SyncFileRange(int(f.Fd()), off, n, syncFileRangeWrite)
}
