package atomicfile

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
)

// Sentinel errors wrapped by Write's errors, for callers that branch.
var (
	// ErrNotWritable: the output directory cannot be written (permission
	// denied or a read-only file system).
	ErrNotWritable = errors.New("the output folder is not writable")
	// ErrNoSpace: the disk or quota is full.
	ErrNoSpace = errors.New("no space left on the output device")
)

// TempPrefix returns the prefix of the temporary files of the destination
// path: "." + base name + ".tmp-".
func TempPrefix(path string) string {
	return "." + filepath.Base(path) + ".tmp-"
}

// Write creates or replaces the file at path with the bytes written by fill.
// The parent directory is created if needed, and stale temporary files of
// path left by a killed run are removed (see the package documentation).
// The data are written to a temporary file in the same directory and
// renamed onto path only when fill returns nil and the data have been
// flushed and synced; otherwise the temporary file is removed and the error
// is returned.
func Write(path string, fill func(w io.Writer) error) error {
	return write(path, fill, nil)
}

// write is Write with an optional wrapper of the temporary file's writer
// (tests inject faults with it).
func write(path string, fill func(w io.Writer) error, wrap func(io.Writer) io.Writer) (err error) {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return explain(fmt.Sprintf("could not create the folder of %s", path), dir, err)
	}
	if err := RemoveStale(path); err != nil {
		return err
	}
	f, err := os.CreateTemp(dir, TempPrefix(path)+"*")
	if err != nil {
		return explain(fmt.Sprintf("could not create a temporary file for %s", path), dir, err)
	}
	tmp := f.Name()
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(tmp)
		}
	}()
	var w io.Writer = &writebackWriter{f: f}
	if wrap != nil {
		w = wrap(w)
	}
	bw := bufio.NewWriterSize(w, 1<<16)
	if err := fill(bw); err != nil {
		return explain(fmt.Sprintf("could not write %s", path), dir, err)
	}
	if err := bw.Flush(); err != nil {
		return explain(fmt.Sprintf("could not write %s", path), dir, err)
	}
	if err := f.Sync(); err != nil {
		return explain(fmt.Sprintf("could not sync %s", path), dir, err)
	}
	if err := f.Chmod(0o644); err != nil {
		return explain(fmt.Sprintf("could not set permissions of %s", path), dir, err)
	}
	if err := f.Close(); err != nil {
		return explain(fmt.Sprintf("could not close %s", path), dir, err)
	}
	if err := os.Rename(tmp, path); err != nil {
		return explain(fmt.Sprintf("could not rename the temporary file onto %s", path), dir, err)
	}
	return nil
}

// RemoveStale removes the temporary files of path left by a killed run:
// the regular files DIR/.NAME.tmp-* of path DIR/NAME. A directory that
// does not exist has none.
func RemoveStale(path string) error {
	dir := filepath.Dir(path)
	ents, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return explain(fmt.Sprintf("could not list the folder of %s", path), dir, err)
	}
	prefix := TempPrefix(path)
	for _, e := range ents {
		if !e.Type().IsRegular() || !strings.HasPrefix(e.Name(), prefix) {
			continue
		}
		if err := os.Remove(filepath.Join(dir, e.Name())); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return explain(fmt.Sprintf("could not remove the stale temporary file %s", e.Name()), dir, err)
		}
	}
	return nil
}

// explain wraps err with what was being done and, for a directory that
// cannot be written or a full disk, what to do about it.
func explain(what, dir string, err error) error {
	switch {
	case errors.Is(err, fs.ErrPermission) || errors.Is(err, syscall.EROFS):
		return fmt.Errorf("%s: %w: %s cannot be written (%w): choose another output folder or make it writable; earlier outputs were left unchanged", what, ErrNotWritable, dir, err)
	case errors.Is(err, syscall.ENOSPC) || errors.Is(err, syscall.EDQUOT):
		return fmt.Errorf("%s: %w (%w): free space on the disk of %s or choose another output folder; earlier outputs were left unchanged", what, ErrNoSpace, err, dir)
	}
	return fmt.Errorf("%s: %w", what, err)
}

// WriteBytes is Write for content already in memory.
func WriteBytes(path string, data []byte) error {
	return Write(path, func(w io.Writer) error {
		_, err := w.Write(data)
		return err
	})
}

// writebackWriter writes to f and, every writebackChunk bytes, starts the
// disk writeback of what it wrote (on Linux, sync_file_range): the disk
// then works while the rest of a large file is formatted, and the final
// Sync has little left to wait for (a 77 MB km.csv: 0.2 s less).
type writebackWriter struct {
	f                *os.File
	written, started int64
}

// writebackChunk is the number of bytes written between two writebacks.
const writebackChunk = 8 << 20

func (w *writebackWriter) Write(p []byte) (int, error) {
	n, err := w.f.Write(p)
	w.written += int64(n)
	if w.written-w.started >= writebackChunk {
		startWriteback(w.f, w.started, w.written-w.started)
		w.started = w.written
	}
	return n, err
}
