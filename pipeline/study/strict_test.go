package study

import (
	"fmt"
	"runtime"
	"strings"
	"testing"
)

// Parse goes through yamlstrict: an alias bomb (10^11 nodes once expanded)
// is an error, found in bounded memory.
func TestParseAliasBomb(t *testing.T) {
	var b strings.Builder
	b.WriteString("id: S1\nprovenance:\n  citations: &a0 [x, x, x, x, x, x, x, x, x, x]\n  notes: x\nx0: &b0 [*a0]\n")
	for i := 1; i <= 10; i++ {
		fmt.Fprintf(&b, "x%d: &b%d [*b%d, *b%d, *b%d, *b%d, *b%d, *b%d, *b%d, *b%d, *b%d, *b%d]\n", i, i, i-1, i-1, i-1, i-1, i-1, i-1, i-1, i-1, i-1, i-1)
	}
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	_, err := Parse("study.yaml", []byte(b.String()))
	runtime.ReadMemStats(&after)
	if err == nil || !strings.Contains(err.Error(), "study.yaml: more than") {
		t.Errorf("error %v, want the node limit", err)
	}
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 64<<20 {
		t.Errorf("rejecting the bomb allocated %d MB, want < 64 MB", alloc>>20)
	}
}
