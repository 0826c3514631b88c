package faults

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// Subjects is the size of the simulated input: large enough that every
// stage writes for a while (derive writes about 5 MB).
const Subjects = 10000

var (
	setupOnce sync.Once
	setupErr  error
	workDir   string // holds build/bin and the simulated study S
	rootDir   string // the module root
)

func TestMain(m *testing.M) {
	code := m.Run()
	if workDir != "" {
		os.RemoveAll(workDir)
	}
	os.Exit(code)
}

// setup builds the programs into workDir/build/bin and simulates the
// input study into workDir/S, once.
func setup(t *testing.T) (bin, study string) {
	t.Helper()
	setupOnce.Do(func() { setupErr = build() })
	if setupErr != nil {
		t.Fatal(setupErr)
	}
	return filepath.Join(workDir, "build", "bin"), filepath.Join(workDir, "S")
}

func build() error {
	out, err := exec.Command("go", "env", "GOMOD").Output()
	if err != nil {
		return err
	}
	rootDir = filepath.Dir(strings.TrimSpace(string(out)))
	if workDir, err = os.MkdirTemp("", "ketcurves-faults-"); err != nil {
		return err
	}
	bin := filepath.Join(workDir, "build", "bin")
	cmd := exec.Command("go", "build", "-trimpath", "-o", bin+string(filepath.Separator),
		"./cmd/ingest", "./cmd/derive", "./cmd/fit", "./cmd/plot", "./cmd/report", "./cmd/simulate")
	cmd.Dir = rootDir
	if out, err := cmd.CombinedOutput(); err != nil {
		return errors.New("go build: " + err.Error() + "\n" + string(out))
	}
	src := filepath.Join(rootDir, "datasets", "stard-level1")
	s := filepath.Join(workDir, "S")
	if err := os.MkdirAll(s, 0o755); err != nil {
		return err
	}
	sc, err := os.ReadFile(filepath.Join(src, "scenario.yaml"))
	if err != nil {
		return err
	}
	big := bytes.Replace(sc, []byte("n: 2876 "), []byte(fmt.Sprintf("n: %d ", Subjects)), 1)
	if bytes.Equal(big, sc) {
		return errors.New("datasets/stard-level1/scenario.yaml has no `n: 2876 ` to enlarge: update the fault test")
	}
	if err := os.WriteFile(filepath.Join(s, "scenario.yaml"), big, 0o644); err != nil {
		return err
	}
	st, err := os.ReadFile(filepath.Join(src, "study.yaml"))
	if err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(s, "study.yaml"), st, 0o644); err != nil {
		return err
	}
	if out, err := exec.Command(filepath.Join(bin, "simulate"), "-scenario", filepath.Join(s, "scenario.yaml"), "-out", s).CombinedOutput(); err != nil {
		return errors.New("simulate: " + err.Error() + "\n" + string(out))
	}
	return nil
}

// stages are the pipeline's stages as the Makefile runs them, with paths
// relative to a run folder holding S (the study) and O (the outputs).
var stages = []struct {
	name string
	args []string
}{
	{"derive", []string{"-study", "S", "-out", "O/adtte.csv", "-exclusions", "O/derive_exclusions.csv"}},
	{"ingest", []string{"-study", "S", "-adtte", "O/adtte.csv", "-out", "O"}},
	{"fit", []string{"-adtte", "O/adtte.csv", "-study", "S/study.yaml", "-out", "O/tables"}},
	{"plot", []string{"-results", "O/tables/results.json", "-adtte", "O/adtte.csv", "-out", "O/figures"}},
	{"report", []string{"-results", "O/tables/results.json", "-figures", "O/figures", "-ingest", "O/ingest.json", "-exclusions", "O/derive_exclusions.csv", "-out", "O"}},
}

// newRun makes a run folder with S linked to the study.
func newRun(t *testing.T, study string) string {
	t.Helper()
	dir := t.TempDir()
	if err := os.Symlink(study, filepath.Join(dir, "S")); err != nil {
		t.Fatal(err)
	}
	return dir
}

func stageCmd(bin, run string, k int) *exec.Cmd {
	cmd := exec.Command(filepath.Join(bin, stages[k].name), stages[k].args...)
	cmd.Dir = run
	return cmd
}

// tree returns the SHA-256 of every file below run/O, by path relative
// to run/O.
func tree(t *testing.T, run string) map[string]string {
	t.Helper()
	out := map[string]string{}
	base := filepath.Join(run, "O")
	filepath.WalkDir(base, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return nil
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return nil // removed meanwhile
		}
		rel, _ := filepath.Rel(base, p)
		sum := sha256.Sum256(data)
		out[rel] = hex.EncodeToString(sum[:])
		return nil
	})
	return out
}

func isTemp(rel string) bool { return strings.Contains(filepath.Base(rel), ".tmp-") }

// TestKillEachStage kills each stage with SIGKILL as soon as one of its
// temporary files appears, checks that every output is absent or
// complete (identical to the uninterrupted run) and the earlier stages'
// outputs intact, then reruns the stage and checks byte-identical
// outputs and no temporary file left.
func TestKillEachStage(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the whole pipeline several times (about 30 s)")
	}
	bin, study := setup(t)
	ref := newRun(t, study)
	snap := make([]map[string]string, len(stages)) // the outputs after each stage
	for k := range stages {
		if out, err := stageCmd(bin, ref, k).CombinedOutput(); err != nil {
			t.Fatalf("uninterrupted %s: %v\n%s", stages[k].name, err, out)
		}
		snap[k] = tree(t, ref)
	}
	killed := 0
	for k, st := range stages {
		run := newRun(t, study)
		var before map[string]string
		if k > 0 {
			before = snap[k-1]
			for rel := range before {
				copyFile(t, filepath.Join(ref, "O", rel), filepath.Join(run, "O", rel))
			}
		}
		if killMidWrite(t, stageCmd(bin, run, k), filepath.Join(run, "O")) {
			killed++
		} else {
			t.Logf("%s finished before a temporary file was seen", st.name)
		}
		for rel, sum := range tree(t, run) {
			switch want, ok := snap[k][rel]; {
			case isTemp(rel):
			case !ok:
				t.Errorf("killed %s: unexpected file %s", st.name, rel)
			case sum != want:
				t.Errorf("killed %s: %s is partial or different from the uninterrupted run", st.name, rel)
			}
		}
		after := tree(t, run)
		for rel, sum := range before {
			if after[rel] != sum {
				t.Errorf("killed %s: the earlier output %s was changed", st.name, rel)
			}
		}
		if out, err := stageCmd(bin, run, k).CombinedOutput(); err != nil {
			t.Fatalf("rerun of %s: %v\n%s", st.name, err, out)
		}
		got := tree(t, run)
		for rel, sum := range got {
			if isTemp(rel) {
				t.Errorf("rerun of %s: temporary file %s of the killed run was not removed", st.name, rel)
			} else if snap[k][rel] != sum {
				t.Errorf("rerun of %s: %s differs from the uninterrupted run", st.name, rel)
			}
		}
		for rel := range snap[k] {
			if _, ok := got[rel]; !ok {
				t.Errorf("rerun of %s: %s missing", st.name, rel)
			}
		}
	}
	if killed < 3 {
		t.Errorf("only %d of %d stages were killed mid-write: enlarge the input", killed, len(stages))
	}
}

// killMidWrite starts cmd and kills it with SIGKILL when a temporary file
// appears below dir; it reports whether it did before cmd ended.
func killMidWrite(t *testing.T, cmd *exec.Cmd, dir string) bool {
	t.Helper()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() { cmd.Wait(); close(done) }()
	for {
		select {
		case <-done:
			return false
		default:
		}
		if hasTemp(dir) {
			cmd.Process.Signal(syscall.SIGKILL)
			<-done
			return true
		}
		time.Sleep(200 * time.Microsecond)
	}
}

func hasTemp(dir string) bool {
	found := false
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && isTemp(p) {
			found = true
			return filepath.SkipAll
		}
		return nil
	})
	return found
}

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	data, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Dir(to), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(to, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

// An output folder that is full (a 1 MiB tmpfs, as root) or cannot be
// written (read-only tmpfs as root, chmod 0500 otherwise) makes derive
// fail with a clear message; the earlier outputs stay as they were and
// no temporary file is left.
func TestFullAndUnwritableOutput(t *testing.T) {
	bin, study := setup(t)
	for _, c := range []struct {
		name, want string
	}{
		{"full", "no space left on the output device"},
		{"unwritable", "cannot be written"},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			root := os.Geteuid() == 0
			if root {
				mount(t, dir, "size=1m")
			} else if c.name == "full" {
				t.Skip("a full disk is simulated as root only (a tmpfs); see atomicfile's tests")
			}
			earlier := map[string]string{"adtte.csv": "earlier adtte\n", "derive_exclusions.csv": "earlier exclusions\n"}
			for name, s := range earlier {
				if err := os.WriteFile(filepath.Join(dir, name), []byte(s), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			if c.name == "unwritable" {
				if root {
					if out, err := exec.Command("mount", "-o", "remount,ro", dir).CombinedOutput(); err != nil {
						t.Skipf("remount read-only: %v %s", err, out)
					}
				} else {
					os.Chmod(dir, 0o500)
					t.Cleanup(func() { os.Chmod(dir, 0o700) })
				}
			}
			var stderr bytes.Buffer
			cmd := exec.Command(filepath.Join(bin, "derive"), "-study", study, "-out", filepath.Join(dir, "adtte.csv"), "-exclusions", filepath.Join(dir, "derive_exclusions.csv"))
			cmd.Stdout, cmd.Stderr = io.Discard, &stderr
			err := cmd.Run()
			var ee *exec.ExitError
			if !errors.As(err, &ee) || ee.ExitCode() != 1 {
				t.Errorf("derive: %v, want exit status 1", err)
			}
			if msg := stderr.String(); !strings.Contains(msg, c.want) || !strings.Contains(msg, "adtte.csv") || !strings.Contains(msg, "earlier outputs were left unchanged") {
				t.Errorf("stderr %q, want %q naming adtte.csv", msg, c.want)
			}
			var names []string
			ents, _ := os.ReadDir(dir)
			for _, e := range ents {
				names = append(names, e.Name())
			}
			sort.Strings(names)
			if strings.Join(names, ",") != "adtte.csv,derive_exclusions.csv" {
				t.Errorf("folder holds %v, want only the earlier outputs", names)
			}
			for name, s := range earlier {
				if got, _ := os.ReadFile(filepath.Join(dir, name)); string(got) != s {
					t.Errorf("%s = %q, want the earlier %q", name, got, s)
				}
			}
		})
	}
}

func mount(t *testing.T, dir, opts string) {
	t.Helper()
	if out, err := exec.Command("mount", "-t", "tmpfs", "-o", opts, "tmpfs", dir).CombinedOutput(); err != nil {
		t.Skipf("cannot mount a tmpfs: %v %s", err, out)
	}
	t.Cleanup(func() { exec.Command("umount", dir).Run() })
}

// make study works on a folder whose path has spaces, with an output
// folder whose path has spaces: the commands name the study through a
// link with a safe name, and the report is written where OUT says.
func TestMakeStudyPathWithSpaces(t *testing.T) {
	bin, _ := setup(t)
	if _, err := exec.LookPath("make"); err != nil {
		t.Skip("make is not installed")
	}
	tmp := t.TempDir()
	dir := filepath.Join(tmp, "path with space", "my study")
	for _, name := range []string{"study.yaml", "adtte.csv"} {
		copyFile(t, filepath.Join(rootDir, "datasets", "example", name), filepath.Join(dir, name))
	}
	out := filepath.Join(tmp, "out dir", "my report")
	buildDir := filepath.Dir(bin)
	// The binaries were just built from the tree; other edits of the
	// sources since then must not make make rebuild them (it would take
	// most of the test's time), so they are dated a little in the future.
	future := time.Now().Add(10 * time.Minute)
	bins, _ := filepath.Glob(filepath.Join(bin, "*"))
	for _, b := range bins {
		os.Chtimes(b, future, future)
	}
	args := []string{"--no-print-directory", "-C", rootDir, "study", "DIR=" + dir + "/", "OUT=" + out, "BUILD=" + buildDir}

	dry, err := exec.Command("make", append([]string{"-n"}, args...)...).CombinedOutput()
	if err != nil {
		t.Fatalf("make -n: %v\n%s", err, dry)
	}
	link := filepath.Join(buildDir, "links", "user-my_study")
	if target, err := os.Readlink(link); err != nil || target != dir {
		t.Errorf("link %s -> %q (%v), want %q", link, target, err, dir)
	}
	if !strings.Contains(string(dry), "-adtte "+link+"/adtte.csv") || !strings.Contains(string(dry), "-out "+link+"-out/tables") {
		t.Errorf("make -n commands do not go through the links:\n%s", dry)
	}
	if strings.Contains(string(dry), "empty variable name") {
		t.Errorf("make -n: %s", dry)
	}
	real, err := exec.Command("make", args...).CombinedOutput()
	if err != nil {
		t.Fatalf("make study: %v\n%s", err, real)
	}
	for _, f := range []string{"report.html", "ingest.json", "tables/results.json", "figures/figures.json"} {
		if _, err := os.Stat(filepath.Join(out, f)); err != nil {
			t.Errorf("make study wrote no %s in %q: %v\n%s", f, out, err, real)
		}
	}
}
