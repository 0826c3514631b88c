package figure

import (
	"slices"
	"testing"

	"github.com/ketcurves/ketcurves/pipeline/schema"
	"github.com/ketcurves/ketcurves/pipeline/study"
)

// TestClassStyles checks that every arm class has a style, and that the
// styles differ both in colour and in dash pattern (so that arms stay
// apart in greyscale).
func TestClassStyles(t *testing.T) {
	for i, a := range study.ArmClasses {
		sa, ok := ClassStyles[a]
		if !ok {
			t.Errorf("class %q has no style", a)
			continue
		}
		for _, b := range study.ArmClasses[i+1:] {
			sb := ClassStyles[b]
			if sa.Color == sb.Color || slices.Equal(sa.Dashes, sb.Dashes) {
				t.Errorf("classes %s and %s share a colour or a dash pattern", a, b)
			}
		}
	}
}

// TestArmStyles checks that an arm gets its class's style whatever its
// position in the study, and that arms of one class, unknown classes and
// arms the study does not list get distinct styles.
func TestArmStyles(t *testing.T) {
	ket := ClassStyles["ketamine"]
	for _, arms := range [][]schema.ArmInfo{
		{{Name: "K", Class: "ketamine"}, {Name: "C", Class: "conventional"}},
		{{Name: "C", Class: "conventional"}, {Name: "K", Class: "ketamine"}},
	} {
		s := ArmStyles(schema.StudyInfo{Arms: arms})
		if s["K"].Color != ket.Color || !slices.Equal(s["K"].Dashes, ket.Dashes) || s["C"].Color != ClassStyles["conventional"].Color {
			t.Errorf("arms %v: styles %v do not follow the classes", arms, s)
		}
	}
	s := ArmStyles(schema.StudyInfo{Arms: []schema.ArmInfo{
		{Name: "A", Class: "conventional"}, {Name: "B", Class: "conventional"}, {Name: "C", Class: "bogus"}, {Name: "D"},
	}}, "A", "X")
	if len(s) != 5 {
		t.Fatalf("%d styles, want 5: %v", len(s), s)
	}
	names := []string{"A", "B", "C", "D", "X"}
	for i, a := range names {
		for _, b := range names[i+1:] {
			if s[a].Color == s[b].Color {
				t.Errorf("arms %s and %s share colour %v", a, b, s[a].Color)
			}
		}
	}
	if s["C"].Color != ClassStyles["other"].Color {
		t.Errorf("unknown class: %v, want the style of other", s["C"])
	}
	if slices.Equal(s["A"].Dashes, s["B"].Dashes) {
		t.Error("two conventional arms share a dash pattern")
	}
}
