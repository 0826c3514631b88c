package atomicfile

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// Write creates or replaces the file at path with the bytes written by fill.
// The parent directory is created if needed. The data are written to a
// temporary file in the same directory and renamed onto path only when fill
// returns nil and the data have been flushed and synced; otherwise the
// temporary file is removed and the error is returned.
func Write(path string, fill func(w io.Writer) error) (err error) {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("could not create directory for %s: %w", path, err)
	}
	f, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return fmt.Errorf("could not create temporary file for %s: %w", path, err)
	}
	tmp := f.Name()
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(tmp)
		}
	}()
	bw := bufio.NewWriterSize(f, 1<<16)
	if err := fill(bw); err != nil {
		return fmt.Errorf("could not write %s: %w", path, err)
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("could not write %s: %w", path, err)
	}
	if err := f.Sync(); err != nil {
		return fmt.Errorf("could not sync %s: %w", path, err)
	}
	if err := f.Chmod(0o644); err != nil {
		return fmt.Errorf("could not set permissions of %s: %w", path, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("could not close %s: %w", path, err)
	}
	if err := os.Rename(tmp, path); err != nil {
		return fmt.Errorf("could not rename temporary file onto %s: %w", path, err)
	}
	return nil
}

// WriteBytes is Write for content already in memory.
func WriteBytes(path string, data []byte) error {
	return Write(path, func(w io.Writer) error {
		_, err := w.Write(data)
		return err
	})
}
