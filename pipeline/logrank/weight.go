package logrank

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// WeightKind names a family of weights w(t_j) of the weighted log-rank test.
type WeightKind int

const (
	// LogRankWeight is w = 1: the log-rank (Mantel–Haenszel) test.
	LogRankWeight WeightKind = iota
	// FlemingHarrington is G(ρ,γ): w = S(t_j−)^ρ (1 − S(t_j−))^γ, with S
	// the pooled Kaplan–Meier estimate of the stratum, left-continuous
	// (the product over the event times before t_j).
	FlemingHarrington
	// PetoPeto is SAS TEST=PETO: w = S̃(t_j) = Π_{t_i ≤ t_j} (1 − d_i/(n_i+1)),
	// the Peto–Peto (Prentice 1978) modified survival estimate.
	PetoPeto
	// Gehan is the Gehan–Breslow generalized Wilcoxon test, SAS
	// TEST=WILCOXON: w = n_j, the number at risk.
	Gehan
	// TaroneWare is SAS TEST=TARONE: w = sqrt(n_j).
	TaroneWare
)

// Weight is the weight function of a weighted log-rank test. Rho and Gamma
// are used by FlemingHarrington only and must be finite and >= 0; for the
// other kinds they must be 0. The zero Weight is the log-rank test.
//
// PetoPeto and FlemingHarrington{Rho: 1} (R's survdiff rho = 1, which R
// calls the "Peto & Peto modification of the Gehan-Wilcoxon test") differ
// at each event time t_j in two ways: S̃ divides by n_i + 1 instead of n_i,
// and it includes the events at t_j itself, where the Kaplan–Meier S(t_j−)
// stops before them. So S̃(t_j) = S(t_j−) (1 − d_j/(n_j+1)) when there are
// no ties and no censoring, and the two tests agree only as n grows. SAS
// TEST=PETO is PetoPeto; TEST=FLEMING(1,0) is FlemingHarrington{Rho: 1}.
// (R's coin::logrank_test calls the first "Prentice-Marek" and the second
// "Peto-Peto".)
type Weight struct {
	Kind       WeightKind
	Rho, Gamma float64 // exponents of S(t−) and 1 − S(t−) for FlemingHarrington
}

// MaxComboWeights are the four Fleming–Harrington weights G(0,0), G(1,0),
// G(0,1) and G(1,1) of the MaxCombo test (Lin et al. 2020), in this order.
var MaxComboWeights = []Weight{
	{Kind: FlemingHarrington, Rho: 0, Gamma: 0},
	{Kind: FlemingHarrington, Rho: 1, Gamma: 0},
	{Kind: FlemingHarrington, Rho: 0, Gamma: 1},
	{Kind: FlemingHarrington, Rho: 1, Gamma: 1},
}

// Validate returns an error if w is not a valid weight: an unknown kind,
// Rho or Gamma negative, NaN or infinite, or non-zero for a kind other than
// FlemingHarrington.
func (w Weight) Validate() error {
	switch w.Kind {
	case FlemingHarrington:
		for _, p := range []struct {
			name string
			v    float64
		}{{"rho", w.Rho}, {"gamma", w.Gamma}} {
			if math.IsNaN(p.v) || math.IsInf(p.v, 0) || p.v < 0 {
				return fmt.Errorf("Fleming-Harrington %s = %v: it must be a finite number >= 0", p.name, p.v)
			}
		}
	case LogRankWeight, PetoPeto, Gehan, TaroneWare:
		if w.Rho != 0 || w.Gamma != 0 {
			return fmt.Errorf("weight %s has rho = %v, gamma = %v: only Fleming-Harrington (fh:RHO:GAMMA) takes exponents", w.Kind, w.Rho, w.Gamma)
		}
	default:
		return fmt.Errorf("unknown weight kind %d", int(w.Kind))
	}
	return nil
}

// String returns the canonical public name of w, which ParseTest reads
// back: "logrank", "fh:RHO:GAMMA" (numbers in the shortest form that reads
// back exactly, e.g. "fh:1:0", "fh:0.5:1"), "peto_peto", "gehan" or
// "tarone_ware". FlemingHarrington with Rho = Gamma = 0 is "fh:0:0", the
// same test as "logrank" under another name.
func (w Weight) String() string {
	switch w.Kind {
	case FlemingHarrington:
		return "fh:" + strconv.FormatFloat(w.Rho, 'g', -1, 64) + ":" + strconv.FormatFloat(w.Gamma, 'g', -1, 64)
	default:
		return w.Kind.String()
	}
}

// String returns the public name of the kind ("fh" for FlemingHarrington).
func (k WeightKind) String() string {
	switch k {
	case LogRankWeight:
		return "logrank"
	case FlemingHarrington:
		return "fh"
	case PetoPeto:
		return "peto_peto"
	case Gehan:
		return "gehan"
	case TaroneWare:
		return "tarone_ware"
	}
	return fmt.Sprintf("WeightKind(%d)", int(k))
}

// Test is a test named in an analysis plan: a weighted log-rank test
// (MaxCombo false, run by Weighted) or the MaxCombo test (MaxCombo true,
// Weight unused, run by MaxCombo).
type Test struct {
	MaxCombo bool
	Weight   Weight
}

// String returns the canonical public name of t: "maxcombo" or its
// Weight's name.
func (t Test) String() string {
	if t.MaxCombo {
		return "maxcombo"
	}
	return t.Weight.String()
}

// TestNames lists the public test names ParseTest accepts, for messages.
const TestNames = "logrank, fh:RHO:GAMMA (RHO, GAMMA decimal numbers >= 0, e.g. fh:1:0), peto_peto, gehan, tarone_ware, maxcombo"

// ParseTest reads a public test name: "logrank", "fh:RHO:GAMMA" with RHO
// and GAMMA decimal numbers >= 0 (e.g. "fh:1:0", "fh:0.5:0"), "peto_peto",
// "gehan", "tarone_ware" or "maxcombo". Names are case-sensitive and have
// no spaces. It returns an error naming the valid forms for anything else.
func ParseTest(name string) (Test, error) {
	switch name {
	case "maxcombo":
		return Test{MaxCombo: true}, nil
	case "logrank":
		return Test{Weight: Weight{Kind: LogRankWeight}}, nil
	case "peto_peto":
		return Test{Weight: Weight{Kind: PetoPeto}}, nil
	case "gehan":
		return Test{Weight: Weight{Kind: Gehan}}, nil
	case "tarone_ware":
		return Test{Weight: Weight{Kind: TaroneWare}}, nil
	}
	rest, ok := strings.CutPrefix(name, "fh:")
	if !ok {
		return Test{}, fmt.Errorf("unknown test %q: the tests are %s", name, TestNames)
	}
	rhoText, gammaText, ok := strings.Cut(rest, ":")
	if !ok {
		return Test{}, fmt.Errorf("test %q: a Fleming-Harrington test is written fh:RHO:GAMMA, e.g. fh:1:0", name)
	}
	rho, err := parseExponent(rhoText)
	if err != nil {
		return Test{}, fmt.Errorf("test %q: rho %w", name, err)
	}
	gamma, err := parseExponent(gammaText)
	if err != nil {
		return Test{}, fmt.Errorf("test %q: gamma %w", name, err)
	}
	return Test{Weight: Weight{Kind: FlemingHarrington, Rho: rho, Gamma: gamma}}, nil
}

// parseExponent reads a decimal number >= 0 (digits with an optional
// fraction: no sign, exponent, hex, Inf or NaN).
func parseExponent(s string) (float64, error) {
	digits, dot := 0, 0
	for _, c := range s {
		switch {
		case c >= '0' && c <= '9':
			digits++
		case c == '.':
			dot++
		default:
			if c == '-' {
				return 0, fmt.Errorf("%q is negative: it must be a decimal number >= 0 such as 0, 1 or 0.5", s)
			}
			return 0, fmt.Errorf("%q is not a decimal number >= 0 such as 0, 1 or 0.5", s)
		}
	}
	if digits == 0 || dot > 1 {
		return 0, fmt.Errorf("%q is not a decimal number >= 0 such as 0, 1 or 0.5", s)
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsInf(v, 0) {
		return 0, fmt.Errorf("%q is not a finite decimal number", s)
	}
	return v, nil
}
