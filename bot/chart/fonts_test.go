package chart

import (
	"encoding/binary"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"codeberg.org/go-fonts/liberation/liberationsansregular"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/font/sfnt"
)

// wqyMicroHei is the font the Chinese goldens are drawn with (Debian's fonts-wqy-microhei).
const wqyMicroHei = "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"

// misalign rebuilds a single-face font with every table one byte past a four-byte boundary, the way
// fonts-wqy-microhei is built.
func misalign(tb testing.TB, ttf []byte) []byte {
	tb.Helper()
	version, recs, err := tableDirectory(ttf, 0)
	if err != nil {
		tb.Fatal(err)
	}
	out := make([]byte, 12+16*len(recs))
	copy(out, version[:])
	copy(out[4:12], ttf[4:12])
	for i, r := range recs {
		out = append(out, 0) // one byte of padding before each table
		d := out[12+16*i:]
		copy(d, r.tag[:])
		binary.BigEndian.PutUint32(d[4:], r.checksum)
		binary.BigEndian.PutUint32(d[8:], uint32(len(out)))
		binary.BigEndian.PutUint32(d[12:], r.length)
		out = append(out, ttf[r.offset:r.offset+r.length]...)
		for len(out)%4 != 1 {
			out = append(out, 0)
		}
	}
	return out
}

// collection wraps single-face fonts into a TrueType collection.
func collection(faces ...[]byte) []byte {
	head := make([]byte, 12+4*len(faces))
	copy(head, "ttcf")
	binary.BigEndian.PutUint32(head[4:], 0x00010000)
	binary.BigEndian.PutUint32(head[8:], uint32(len(faces)))
	out := head
	for i, f := range faces {
		off := uint32(len(out))
		for len(out)%4 != 0 {
			out = append(out, 0)
			off++
		}
		binary.BigEndian.PutUint32(out[12+4*i:], off)
		// Table offsets in a collection count from the start of the file.
		f = append([]byte(nil), f...)
		_, recs, _ := tableDirectory(f, 0)
		for j := range recs {
			binary.BigEndian.PutUint32(f[12+16*j+8:], recs[j].offset+off)
		}
		out = append(out, f...)
	}
	return out
}

func TestParseFacesRealigns(t *testing.T) {
	orig := liberationsansregular.TTF
	bad := misalign(t, orig)
	if _, err := opentype.Parse(bad); err == nil {
		t.Fatal("sfnt parses misaligned tables now; the realignment may be unnecessary")
	}
	want, err := opentype.Parse(orig)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name  string
		data  []byte
		faces int
	}{
		{"font", orig, 1},
		{"misaligned font", bad, 1},
		{"collection", collection(orig, orig), 2},
		{"misaligned collection", collection(bad, orig, bad), 3},
	} {
		faces, err := parseFaces(tc.data)
		if err != nil || len(faces) != tc.faces {
			t.Errorf("%s: parseFaces = %d faces, %v; want %d", tc.name, len(faces), err, tc.faces)
			continue
		}
		var b1, b2 sfnt.Buffer
		for _, f := range faces {
			for _, r := range "Ag%…" {
				g1, _ := f.GlyphIndex(&b1, r)
				g2, _ := want.GlyphIndex(&b2, r)
				if g1 != g2 || g1 == 0 {
					t.Errorf("%s: glyph of %q = %d, want %d", tc.name, r, g1, g2)
				}
			}
			if name, _ := f.Name(&b1, sfnt.NameIDFamily); name != "Liberation Sans" {
				t.Errorf("%s: family %q", tc.name, name)
			}
		}
	}
	for _, bad := range [][]byte{nil, []byte("not a font at all"), []byte("ttcf\x00\x01\x00\x00\x00\x00\x00\x09")} {
		if _, err := parseFaces(bad); err == nil {
			t.Errorf("parseFaces(%q) succeeded", bad)
		}
	}
}

func TestLoadCJK(t *testing.T) {
	dir := t.TempDir()
	latin := filepath.Join(dir, "latin.ttf")
	if err := os.WriteFile(latin, liberationsansregular.TTF, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := loadCJK(latin); err == nil {
		t.Errorf("loadCJK(a Latin font) succeeded")
	}
	if _, err := loadCJK(filepath.Join(dir, "missing.ttc")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("loadCJK(missing file) = %v", err)
	}

	// The system fonts the search prefers, when installed: the face chosen is the proportional,
	// Simplified Chinese one.
	for _, tc := range []struct{ path, family string }{
		{wqyMicroHei, "WenQuanYi Micro Hei"},
		{"/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", "Noto Sans CJK SC"},
		{"/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", "WenQuanYi Zen Hei"},
	} {
		if _, err := os.Stat(tc.path); err != nil {
			t.Logf("%s not installed", tc.path)
			continue
		}
		f, err := loadCJK(tc.path)
		if err != nil || f.family != tc.family {
			t.Errorf("loadCJK(%q) = %q, %v; want %q", tc.path, f.family, err, tc.family)
		}
	}
}

func TestFaceScore(t *testing.T) {
	// Faces of one collection: the first of each pair is preferred.
	for _, pair := range [][2]string{
		{"Noto Sans CJK SC", "Noto Sans CJK JP"},
		{"Noto Sans CJK SC", "Noto Sans Mono CJK SC"},
		{"Source Han Sans CN", "Source Han Sans"},
		{"WenQuanYi Micro Hei", "WenQuanYi Micro Hei Mono"},
	} {
		if faceScore(pair[0]) <= faceScore(pair[1]) {
			t.Errorf("faceScore(%q) <= faceScore(%q)", pair[0], pair[1])
		}
	}
}
