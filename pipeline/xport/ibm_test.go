package xport

import (
	"encoding/hex"
	"errors"
	"math"
	"math/rand/v2"
	"testing"
)

// TestIBMToFloat checks the conversion on numbers whose IBM form is known
// independently: the worked example of IBM's Principles of Operation
// (SA22-7832, "Floating-point number representation": -118.625 is
// C276A000 00000000), powers of 16, and truncated numbers whose exact value
// is a fraction computed by hand.
func TestIBMToFloat(t *testing.T) {
	for _, test := range []struct {
		hex  string
		want float64
	}{
		{"4110000000000000", 1},
		{"C276A00000000000", -118.625},
		{"4080000000000000", 0.5},
		{"4264000000000000", 100},
		{"4210000000000000", 16},
		{"3F10000000000000", 1.0 / 256},
		{"0000000000000000", 0},
		{"8000000000000000", 0},            // negative zero: zero
		{"4200000000000000", 0},            // unnormalized zero
		{"411000", 1},                      // LENGTH 3
		{"426480", 100.5},                  // LENGTH 3: 0x64.8
		{"40555555", 5592405.0 / 16777216}, // LENGTH 4: 1/3 truncated to 24 bits
		{"4110000000000001", 1 + 0x1p-52},  // 53 significant bits: exact
		{"40FFFFFFFFFFFFFF", 1},            // 56 bits of ones round to 1 (half-even)
		{"7FFFFFFFFFFFFFFF", 0x1p252},      // largest, (1-2^-56)·16^63, rounds up to 2^252
		{"0010000000000000", 0x1p-260},     // smallest normalized: 16^-65
		{"0000000000000001", 0x1p-312},     // smallest unnormalized
	} {
		b, err := hex.DecodeString(test.hex)
		if err != nil {
			t.Fatal(err)
		}
		if got := ibmToFloat(b); got != test.want || (got == 0 && math.Signbit(got)) {
			t.Errorf("ibmToFloat(%s) = %v, want %v", test.hex, got, test.want)
		}
	}
}

// TestFloatToIBM checks the known encodings the other way and the range
// errors.
func TestFloatToIBM(t *testing.T) {
	for _, test := range []struct {
		x   float64
		hex string
		err error
	}{
		{1, "4110000000000000", nil},
		{-118.625, "C276A00000000000", nil},
		{100, "4264000000000000", nil},
		{0, "0000000000000000", nil},
		{math.Copysign(0, -1), "0000000000000000", nil},
		{0x1p-260, "0010000000000000", nil},
		{0x1p-261, "", errIBMRange},
		{0x1p252, "", errIBMRange},
		{1e-80, "", errIBMRange},
		{math.MaxFloat64, "", errIBMRange},
		{math.NaN(), "", errNotFinite},
		{math.Inf(-1), "", errNotFinite},
	} {
		b, err := floatToIBM(test.x)
		if !errors.Is(err, test.err) {
			t.Errorf("floatToIBM(%v) error %v, want %v", test.x, err, test.err)
			continue
		}
		if err == nil && hex.EncodeToString(b[:]) != lower(test.hex) {
			t.Errorf("floatToIBM(%v) = %x, want %s", test.x, b, test.hex)
		}
	}
}

func lower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c >= 'A' && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}

// TestIBMRoundTrip checks that every double in IBM range survives the
// conversion both ways exactly, on random bit patterns (seeded PCG).
func TestIBMRoundTrip(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 1))
	for range 200000 {
		x := math.Float64frombits(rng.Uint64())
		b, err := floatToIBM(x)
		if err != nil {
			a := math.Abs(x)
			if !(math.IsNaN(x) || math.IsInf(x, 0) || a < 0x1p-260 || a >= 0x1p252) {
				t.Fatalf("floatToIBM(%v): %v", x, err)
			}
			continue
		}
		if got := ibmToFloat(b[:]); got != x && !(x == 0 && got == 0) {
			t.Fatalf("round trip of %v (%x) gave %v", x, b, got)
		}
	}
}
