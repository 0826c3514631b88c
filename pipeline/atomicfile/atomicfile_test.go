package atomicfile

import (
	"bytes"
	"errors"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

func TestWriteReplacesOnlyOnSuccess(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "sub", "out.csv")
	if err := WriteBytes(path, []byte("first\n")); err != nil {
		t.Fatal(err)
	}
	boom := errors.New("boom")
	err := Write(path, func(w io.Writer) error {
		io.WriteString(w, "half a line")
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("Write error = %v, want wrapped %v", err, boom)
	}
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != "first\n" {
		t.Errorf("after failed write, file = %q, want the previous content", got)
	}
	ents, err := os.ReadDir(filepath.Dir(path))
	if err != nil {
		t.Fatal(err)
	}
	if len(ents) != 1 {
		var names []string
		for _, e := range ents {
			names = append(names, e.Name())
		}
		t.Errorf("directory holds %v, want only out.csv (temporary file left behind)", names)
	}
}

// A temporary file left by a killed run is removed by the next write of
// the same destination; those of other destinations and other hidden
// files are kept.
func TestWriteRemovesStaleTempFiles(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "adtte.csv")
	stale := []string{".adtte.csv.tmp-123", ".adtte.csv.tmp-99999"}
	keep := []string{".other.csv.tmp-1", ".adtte.csv.bak", "adtte.csv.tmp-1"}
	for _, name := range append(append([]string{}, stale...), keep...) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte("half"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := WriteBytes(path, []byte("whole\n")); err != nil {
		t.Fatal(err)
	}
	for _, name := range stale {
		if _, err := os.Stat(filepath.Join(dir, name)); !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("stale %s: Stat error %v, want it removed", name, err)
		}
	}
	for _, name := range keep {
		if _, err := os.Stat(filepath.Join(dir, name)); err != nil {
			t.Errorf("%s was removed (%v): only temporary files of adtte.csv may be", name, err)
		}
	}
	if got, _ := os.ReadFile(path); string(got) != "whole\n" {
		t.Errorf("file = %q", got)
	}
}

// fullWriter accepts limit bytes, then fails as a full disk does.
type fullWriter struct {
	w     io.Writer
	limit int
}

func (f *fullWriter) Write(p []byte) (int, error) {
	if len(p) > f.limit {
		n, _ := f.w.Write(p[:f.limit])
		f.limit = 0
		return n, &fs.PathError{Op: "write", Path: "x", Err: syscall.ENOSPC}
	}
	f.limit -= len(p)
	return f.w.Write(p)
}

// A full disk (simulated by a writer that fails with ENOSPC) gives
// ErrNoSpace, leaves the previous file intact and no temporary file.
func TestWriteFullDiskInjected(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "results.json")
	if err := WriteBytes(path, []byte("earlier\n")); err != nil {
		t.Fatal(err)
	}
	big := bytes.Repeat([]byte("0123456789"), 1<<15) // 320 KiB, beyond the buffer
	err := write(path, func(w io.Writer) error { _, err := w.Write(big); return err },
		func(w io.Writer) io.Writer { return &fullWriter{w: w, limit: 1000} })
	checkFailed(t, err, ErrNoSpace, "free space", path, "earlier\n")
}

// A real full file system: a 64 KiB tmpfs (needs root; skipped otherwise).
func TestWriteFullTmpfs(t *testing.T) {
	dir := mountTmpfs(t, "size=64k")
	path := filepath.Join(dir, "results.json")
	if err := WriteBytes(path, []byte("earlier\n")); err != nil {
		t.Fatal(err)
	}
	big := bytes.Repeat([]byte("x"), 256<<10)
	checkFailed(t, WriteBytes(path, big), ErrNoSpace, "free space", path, "earlier\n")
}

// An output folder that cannot be written: chmod 0500, or, as root (who
// ignores permissions), a tmpfs remounted read-only.
func TestWriteUnwritableFolder(t *testing.T) {
	var dir string
	if os.Geteuid() == 0 {
		dir = mountTmpfs(t, "size=1m")
	} else {
		dir = t.TempDir()
	}
	path := filepath.Join(dir, "figures.json")
	if err := WriteBytes(path, []byte("earlier\n")); err != nil {
		t.Fatal(err)
	}
	if os.Geteuid() == 0 {
		if out, err := exec.Command("mount", "-o", "remount,ro", dir).CombinedOutput(); err != nil {
			t.Skipf("cannot remount read-only: %v %s", err, out)
		}
	} else {
		if err := os.Chmod(dir, 0o500); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { os.Chmod(dir, 0o700) })
	}
	checkFailed(t, WriteBytes(path, []byte("new\n")), ErrNotWritable, "cannot be written", path, "earlier\n")
}

// checkFailed checks that err wraps sentinel and mentions path and hint,
// that path still holds want and that no temporary file is left.
func checkFailed(t *testing.T, err, sentinel error, hint, path, want string) {
	t.Helper()
	if !errors.Is(err, sentinel) || !strings.Contains(err.Error(), hint) || !strings.Contains(err.Error(), path) {
		t.Errorf("error %v, want %v naming %s with %q", err, sentinel, path, hint)
	}
	if got, err := os.ReadFile(path); err != nil || string(got) != want {
		t.Errorf("after the failure %s = %q (%v), want the earlier %q", path, got, err, want)
	}
	ents, _ := os.ReadDir(filepath.Dir(path))
	for _, e := range ents {
		if strings.HasPrefix(e.Name(), TempPrefix(path)) {
			t.Errorf("temporary file %s left behind", e.Name())
		}
	}
}

// mountTmpfs mounts a tmpfs with the options at a new temporary folder,
// unmounted at the end of the test; it skips the test when that is not
// possible (not root, no mount command).
func mountTmpfs(t *testing.T, opts string) string {
	t.Helper()
	if os.Geteuid() != 0 {
		t.Skip("mounting a tmpfs needs root")
	}
	dir := t.TempDir()
	if out, err := exec.Command("mount", "-t", "tmpfs", "-o", opts, "tmpfs", dir).CombinedOutput(); err != nil {
		t.Skipf("cannot mount a tmpfs: %v %s", err, out)
	}
	t.Cleanup(func() { exec.Command("umount", dir).Run() })
	return dir
}

// TestWriteLargeFile: a file of several writeback chunks (whose disk
// writeback is started as it is written) has exactly the bytes written.
func TestWriteLargeFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "big.csv")
	want := bytes.Repeat([]byte("0123456789abcdef\n"), (2*writebackChunk+12345)/17)
	err := Write(path, func(w io.Writer) error {
		for rest := want; len(rest) > 0; {
			n := min(len(rest), 100000)
			if _, err := w.Write(rest[:n]); err != nil {
				return err
			}
			rest = rest[n:]
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(path)
	if err != nil || !bytes.Equal(got, want) {
		t.Errorf("read back %d bytes (%v), want the %d written", len(got), err, len(want))
	}
}
