package figure

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ketcurves/ketcurves/pipeline/schema"
)

func TestManifest(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "figures")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	for name, content := range map[string]string{"B.svg": "b", "A.csv": "a"} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	results := filepath.Join(filepath.Dir(dir), "tables", "results.json")
	sw := schema.Software{Program: "ketcurves plot", GoVersion: "go1.0", Modules: map[string]string{"z/z": "v2", "a/a": "v1"}}
	// Names in any order, repeated: hashed once each, sorted.
	m, err := NewManifest(dir, results, []byte("{}"), []string{"B.svg", "A.csv", "B.svg"}, sw)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := m.WriteJSON(&buf); err != nil {
		t.Fatal(err)
	}
	// SHA-256 values from sha256sum: printf '{}', printf a, printf b.
	want := `{
  "schema": "ketcurves.figures/v1",
  "results_file": "../tables/results.json",
  "results_sha256": "44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a",
  "software": {
    "program": "ketcurves plot",
    "go_version": "go1.0",
    "modules": {
      "a/a": "v1",
      "z/z": "v2"
    }
  },
  "files": [
    {
      "file": "A.csv",
      "sha256": "ca978112ca1bbdcafac231b39a23dc4da786eff8147c4e72b9807785afee48bb"
    },
    {
      "file": "B.svg",
      "sha256": "3e23e8160039594a33894f6564e1b1348bbd7a0088d42c4acb73eeaed59c009d"
    }
  ]
}
`
	if buf.String() != want {
		t.Errorf("figures.json:\n%s\nwant:\n%s", buf.String(), want)
	}

	// No file: an empty list, not null.
	m, err = NewManifest(dir, results, nil, nil, sw)
	if err != nil {
		t.Fatal(err)
	}
	buf.Reset()
	m.WriteJSON(&buf)
	if !strings.Contains(buf.String(), `"files": []`) {
		t.Errorf("manifest without files:\n%s", buf.String())
	}

	// A missing file is an error naming it.
	if _, err := NewManifest(dir, results, nil, []string{"C.png"}, sw); err == nil || !strings.Contains(err.Error(), filepath.Join(dir, "C.png")) {
		t.Errorf("missing file: error %v", err)
	}
}

func TestSoftware(t *testing.T) {
	sw := Software("ketcurves plot")
	if sw.Program != "ketcurves plot" || !strings.HasPrefix(sw.GoVersion, "go") {
		t.Errorf("Software = %+v", sw)
	}
}
