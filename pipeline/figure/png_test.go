package figure

import (
	"bytes"
	"encoding/binary"
	"image"
	"image/color"
	"image/png"
	"testing"

	"gonum.org/v1/plot/vg"
)

// TestWritePNGPixels checks that writePNG's files decode, through
// image/png, to exactly the pixels of the image written, for a rendered
// figure (at 300 dpi, several IDAT chunks), odd sizes, a sub-image and
// (through image/png) images that are not opaque RGBA.
func TestWritePNGPixels(t *testing.T) {
	var fig bytes.Buffer
	if err := fixtureFigure(t, "RESP").Render(&fig, "png", 16*vg.Centimeter, 12*vg.Centimeter); err != nil {
		t.Fatal(err)
	}
	rendered, err := png.Decode(&fig)
	if err != nil {
		t.Fatal(err)
	}
	gradient := image.NewRGBA(image.Rect(0, 0, 7, 3))
	for y := range 3 {
		for x := range 7 {
			gradient.Set(x, y, color.RGBA{uint8(40 * x), uint8(90 * y), uint8(x * y), 0xff})
		}
	}
	translucent := image.NewRGBA(image.Rect(0, 0, 2, 2))
	translucent.Set(1, 1, color.RGBA{0x20, 0x10, 0, 0x40})
	for _, tc := range []struct {
		name string
		img  image.Image
	}{
		{"figure", rendered},
		{"gradient 7x3", gradient},
		{"sub-image", gradient.SubImage(image.Rect(2, 1, 6, 3))},
		{"translucent", translucent},
		{"gray", image.NewGray(image.Rect(0, 0, 3, 3))},
	} {
		t.Run(tc.name, func(t *testing.T) {
			img := tc.img
			var buf bytes.Buffer
			if err := writePNG(&buf, img, 150); err != nil {
				t.Fatal(err)
			}
			got, err := png.Decode(&buf)
			if err != nil {
				t.Fatal(err)
			}
			b := img.Bounds()
			if got.Bounds().Dx() != b.Dx() || got.Bounds().Dy() != b.Dy() {
				t.Fatalf("size %v, want %v", got.Bounds().Size(), b.Size())
			}
			for y := b.Min.Y; y < b.Max.Y; y++ {
				for x := b.Min.X; x < b.Max.X; x++ {
					g := color.NRGBAModel.Convert(got.At(x-b.Min.X, y-b.Min.Y))
					w := color.NRGBAModel.Convert(img.At(x, y))
					if g != w {
						t.Fatalf("pixel (%d, %d) = %v, want %v", x, y, g, w)
					}
				}
			}
		})
	}
}

// TestWritePNGResolution checks the pHYs chunk: the DPI in pixels per
// metre (150 dpi = 5906 px/m), unit metre; none for a DPI of 0.
func TestWritePNGResolution(t *testing.T) {
	img := image.NewRGBA(image.Rect(0, 0, 4, 4))
	for i := range img.Pix {
		img.Pix[i] = 0xff
	}
	for _, tc := range []struct {
		dpi  int
		want uint32 // 0: no pHYs chunk
	}{
		{150, 5906}, {300, 11811}, {72, 2835}, {0, 0},
	} {
		var buf bytes.Buffer
		if err := writePNG(&buf, img, tc.dpi); err != nil {
			t.Fatal(err)
		}
		data := buf.Bytes()
		i := bytes.Index(data, []byte("pHYs"))
		if tc.want == 0 {
			if i >= 0 {
				t.Errorf("dpi %d: pHYs chunk written", tc.dpi)
			}
			continue
		}
		if i < 0 || len(data) < i+13 {
			t.Fatalf("dpi %d: no pHYs chunk", tc.dpi)
		}
		x, y, unit := binary.BigEndian.Uint32(data[i+4:]), binary.BigEndian.Uint32(data[i+8:]), data[i+12]
		if x != tc.want || y != tc.want || unit != 1 {
			t.Errorf("dpi %d: pHYs %d × %d per unit %d, want %d × %d per metre (1)", tc.dpi, x, y, unit, tc.want, tc.want)
		}
	}
}
