package xport

import (
	"encoding/binary"
	"errors"
	"math"
)

// ibmToFloat converts a big-endian IBM System/370 hexadecimal floating-point
// number of 2 to 8 bytes to an IEEE 754 double. A number shorter than 8
// bytes (a SAS variable stored with LENGTH 3–7) is its leading bytes: the
// missing low-order fraction bytes are zero.
//
// The IBM format (TS-140, "IBM floating point"; Principles of Operation,
// chapter 9) is a sign bit s, a 7-bit base-16 exponent e in excess-64 and a
// 56-bit fraction f read as 0.f:
//
//	x = (-1)^s · f · 2^(4(e-64) - 56)
//
// Every IBM number lies within the range of normal doubles (2^-312 … 2^252),
// so the only rounding is of f to 53 bits when it has more significant bits
// (round half to even, by Go's uint64 → float64 conversion); numbers written
// from doubles, as SAS on IEEE hardware and haven write them, have at most
// 53 and convert exactly. A zero fraction is zero whatever the exponent and
// sign (an "unnormalized zero"); it is returned as +0.
func ibmToFloat(b []byte) float64 {
	var buf [8]byte
	copy(buf[:], b)
	u := binary.BigEndian.Uint64(buf[:])
	frac := u & (1<<56 - 1)
	if frac == 0 {
		return 0
	}
	exp := int((u >> 56) & 0x7f)
	// float64(frac)·2^k with 2^k built from its bits: k is in [-312, 196],
	// so 2^k and the product are normal doubles and the product is exact.
	k := 4*(exp-64) - 56
	x := float64(frac) * math.Float64frombits(uint64(k+1023)<<52)
	if u>>63 != 0 {
		x = -x
	}
	return x
}

// Errors of floatToIBM.
var (
	errIBMRange  = errors.New("outside the range of IBM floating point (about 5.4e-79 to 7.2e75 in magnitude)")
	errNotFinite = errors.New("not a finite number (use a missing value instead of NaN or ±Inf)")
)

// floatToIBM converts a finite double to the 8-byte IBM hexadecimal
// floating-point number of XPORT files. The conversion is exact: a double
// has 53 significant bits and the IBM fraction 56, of which at most 3 are
// leading zeros after base-16 normalization. Zero (either sign) is written
// as eight zero bytes. Magnitudes below 16^-65 or at or above 16^63 are an
// error (errIBMRange); NaN and ±Inf are errNotFinite.
func floatToIBM(x float64) ([8]byte, error) {
	var out [8]byte
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return out, errNotFinite
	}
	if x == 0 {
		return out, nil
	}
	var sign uint64
	if x < 0 {
		sign = 1 << 63
		x = -x
	}
	f, e := math.Frexp(x) // x = f·2^e, f in [0.5, 1)
	// x = F·16^E with F in [1/16, 1): E = ceil(e/4).
	E := e / 4
	if e > 4*E {
		E++
	}
	if E+64 < 0 || E+64 > 127 {
		return out, errIBMRange
	}
	// F·2^56 = f·2^(56+e-4E), an integer because 56+e-4E >= 53.
	frac := uint64(math.Ldexp(f, 56+e-4*E))
	u := sign | uint64(E+64)<<56 | frac
	binary.BigEndian.PutUint64(out[:], u)
	return out, nil
}
