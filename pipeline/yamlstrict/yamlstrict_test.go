package yamlstrict

import (
	"fmt"
	"runtime"
	"strings"
	"testing"
)

type plan struct {
	Synthetic bool               `yaml:"synthetic"`
	Sustained int                `yaml:"sustained"`
	Level     float64            `yaml:"level"`
	Name      string             `yaml:"name"`
	Items     []item             `yaml:"items"`
	Extra     map[string]float64 `yaml:"extra"`
	Plan      *custom            `yaml:"plan"`
	Limit     *int               `yaml:"limit"`
}

// custom decodes itself, as study.Derivation does: its fields are still
// type-checked.
type custom struct {
	Sustained *int `yaml:"sustained"`
}

type customPlain custom

func (c *custom) UnmarshalYAML(unmarshal func(any) error) error {
	return unmarshal((*customPlain)(c))
}

type item struct {
	On bool `yaml:"on"`
}

func TestDecode(t *testing.T) {
	for i, test := range []struct {
		doc  string
		want string // "" means no error
	}{
		{"synthetic: true\nsustained: 2\nlevel: 0.95\nname: yes\n", ""},
		{"level: 1\n", ""},
		{"synthetic: \"yes\"\n", `line 1: "yes" is not a boolean`},
		{"synthetic: yes\n", `line 1: "yes" is not a boolean`},
		{"synthetic: 1\n", `"1" is not a boolean`},
		{"sustained: 2.9\n", `line 1: "2.9" is not a whole number`},
		{"sustained: \"3\"\n", `"3" is not a whole number`},
		{"level: \"0.9\"\n", `"0.9" is not a number`},
		{"items:\n  - on: true\n  - on: maybe\n", `line 3: "maybe" is not a boolean`},
		{"extra: {a: x}\n", `"x" is not a number`},
		{"nmae: x\n", "field nmae not found"},
		{"name: a\n---\nname: b\n", "line 2: a second YAML document"},
		{"", "the file is empty"},
		{"# only a comment\n", "the file is empty"},
		{"plan:\n  sustained: 2\n", ""},
		{"plan:\n  sustained: 2.9\n", `line 2: "2.9" is not a whole number`},
		{"limit: ~\n", ""},
		{"limit: null\nlevel: 0.5\n", ""},
		{"sustained: ~\n", `"~" is not a whole number`},
	} {
		var p plan
		_, err := Decode("plan.yaml", []byte(test.doc), &p, "see the docs")
		switch {
		case test.want == "" && err != nil:
			t.Errorf("test %d: %v", i, err)
		case test.want != "" && (err == nil || !strings.Contains(err.Error(), test.want)):
			t.Errorf("test %d: error %v, want %q", i, err, test.want)
		}
	}
}

// An alias bomb is rejected without expanding it.
func TestAliasBomb(t *testing.T) {
	var b strings.Builder
	b.WriteString("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n")
	for i := 1; i <= 8; i++ {
		fmt.Fprintf(&b, "a%d: &a%d [*a%d, *a%d, *a%d, *a%d, *a%d, *a%d, *a%d, *a%d, *a%d, *a%d]\n", i, i, i-1, i-1, i-1, i-1, i-1, i-1, i-1, i-1, i-1, i-1)
	}
	var v map[string]any
	_, err := Decode("bomb.yaml", []byte(b.String()), &v, "")
	if err == nil || !strings.Contains(err.Error(), "more than") {
		t.Errorf("error %v, want the node limit", err)
	}
}

func TestTooLarge(t *testing.T) {
	var v plan
	_, err := Decode("big.yaml", []byte("name: "+strings.Repeat("x", MaxBytes)), &v, "")
	if err == nil || !strings.Contains(err.Error(), "at most") {
		t.Errorf("error %v, want the size limit", err)
	}
}

func ExampleDecode() {
	var p struct {
		Synthetic bool `yaml:"synthetic"`
	}
	_, err := Decode("study.yaml", []byte("synthetic: \"yes\"\n"), &p, "")
	fmt.Println(err)
	// Output: study.yaml: line 1: "yes" is not a boolean: write true or false
}

// Bomb returns a "billion laughs" document: level i is a list of ten
// aliases of level i-1, so that the last expands to 10^levels scalars.
func bomb(levels int) []byte {
	var b strings.Builder
	b.WriteString("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n")
	for i := 1; i <= levels; i++ {
		fmt.Fprintf(&b, "a%d: &a%d [", i, i)
		for j := range 10 {
			if j > 0 {
				b.WriteString(", ")
			}
			fmt.Fprintf(&b, "*a%d", i-1)
		}
		b.WriteString("]\n")
	}
	return []byte(b.String())
}

// A bomb of 10^12 nodes is rejected in bounded memory (well under 64 MB
// allocated in all) and time.
func TestAliasBombBoundedMemory(t *testing.T) {
	data := bomb(11)
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	var v plan
	_, err := Decode("bomb.yaml", data, &v, "")
	runtime.ReadMemStats(&after)
	if err == nil || !strings.Contains(err.Error(), "more than 100000 YAML nodes") {
		t.Errorf("error %v, want the node limit", err)
	}
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 64<<20 {
		t.Errorf("rejecting the bomb allocated %d MB, want < 64 MB", alloc>>20)
	}
}
