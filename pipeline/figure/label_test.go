package figure

import (
	"bytes"
	"strings"
	"testing"
)

// Changing one arm label changes a figure only where that label appears:
// every SVG line that differs holds the old or the new label. The new
// label has the old one's characters in another order, so that the layout
// (the legend's width) stays the same.
func TestArmLabelChangesOnlyItsLines(t *testing.T) {
	res := exampleResults(t)
	old := res.Study.Arms[0].Label
	r := []rune(old)
	for i, j := 0, len(r)-1; i < j; i, j = i+1, j-1 {
		r[i], r[j] = r[j], r[i]
	}
	changed := string(r)
	if changed == old {
		t.Fatalf("label %q is a palindrome", old)
	}
	render := func(label string) map[string][]string {
		res.Study.Arms[0].Label = label
		out := map[string][]string{}
		for _, k := range Kinds {
			for i := range res.Endpoints {
				ep := &res.Endpoints[i]
				if !k.AppliesTo(res, ep) {
					continue
				}
				d, err := k.Build(res, ep, WithSVGFonts(false))
				if err != nil {
					t.Fatalf("%s %s: %v", k.Name, ep.Paramcd, err)
				}
				var b bytes.Buffer
				if err := d.Render(&b, "svg", DefaultWidth, DefaultHeight); err != nil {
					t.Fatal(err)
				}
				out[k.Name+"/"+ep.Paramcd] = strings.Split(b.String(), "\n")
			}
		}
		return out
	}
	a, b := render(old), render(changed)
	res.Study.Arms[0].Label = old
	esc := func(s string) string { return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;").Replace(s) }
	touched := 0
	for name, la := range a {
		lb := b[name]
		if len(la) != len(lb) {
			t.Errorf("%s: %d lines, %d after the label change", name, len(la), len(lb))
			continue
		}
		for i := range la {
			if la[i] == lb[i] {
				continue
			}
			touched++
			if !strings.Contains(la[i], esc(old)) && !strings.Contains(lb[i], esc(changed)) {
				t.Errorf("%s line %d changed without the label:\n%s\n%s", name, i+1, la[i], lb[i])
			}
		}
	}
	if touched == 0 {
		t.Error("no figure shows the arm label")
	}
}
