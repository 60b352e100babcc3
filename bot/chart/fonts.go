package chart

import (
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"strings"

	"golang.org/x/image/font/opentype"
	"golang.org/x/image/font/sfnt"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/font/liberation"
)

// The typefaces the Renderer registers in its font cache.
const (
	latinTypeface font.Typeface = "Liberation" // bundled with gonum/plot, always present
	latinVariant  font.Variant  = "Sans"
	cjkTypeface   font.Typeface = "CJK" // the system font found at start-up, if any
)

// systemFontPaths lists where NewRenderer looks for a CJK font when none is named, in order of
// preference: Debian's fonts-wqy-microhei (small, what CI installs), Debian's fonts-noto-cjk, then the
// same families where other distributions put them. A candidate is used only if it parses and has
// Chinese glyphs, so a missing or unreadable file just moves the search on.
var systemFontPaths = []string{
	"/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",                     // Debian, Ubuntu: fonts-wqy-microhei
	"/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",             // Debian, Ubuntu: fonts-noto-cjk
	"/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",                       // Debian, Ubuntu: fonts-wqy-zenhei
	"/usr/share/fonts/wenquanyi/wqy-microhei/wqy-microhei.ttc",           // Arch: wqy-microhei
	"/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc",                  // Arch: noto-fonts-cjk
	"/usr/share/fonts/google-noto-cjk/NotoSansCJK-Regular.ttc",           // Fedora: google-noto-cjk-fonts
	"/usr/share/fonts/noto/NotoSansCJK-Regular.ttc",                      // Alpine: font-noto-cjk
	"/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",          // Debian: fonts-droid-fallback
	"/System/Library/Fonts/Hiragino Sans GB.ttc",                         // macOS
	"/System/Library/Fonts/STHeiti Medium.ttc",                           // macOS
	"/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc",            // Debian, Ubuntu: fonts-noto-cjk
	"/usr/share/fonts/truetype/arphic/uming.ttc",                         // Debian, Ubuntu: fonts-arphic-uming
	"/usr/share/fonts/truetype/noto/NotoSansCJK-Regular.ttc",             // older Ubuntu layouts
	"/usr/share/fonts/opentype/noto/NotoSansCJKsc-Regular.otf",           // single-face Noto builds
	"/usr/share/fonts/adobe-source-han-sans/SourceHanSansCN-Regular.otf", // Arch: adobe-source-han-sans-cn-fonts
}

// loadedFont is a CJK face ready for the cache, with where it came from for the log.
type loadedFont struct {
	face   *opentype.Font
	path   string
	family string
}

// loadCJK reads the font file at path and picks its best face for Simplified Chinese. It fails when
// the file cannot be read or parsed, or has no Chinese glyphs.
func loadCJK(path string) (loadedFont, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return loadedFont{}, err
	}
	faces, err := parseFaces(data)
	if err != nil {
		return loadedFont{}, fmt.Errorf("parse %s: %w", path, err)
	}
	var (
		best      loadedFont
		bestScore = -1
		buf       sfnt.Buffer
	)
	for _, f := range faces {
		if !covers(f, &buf, "中文学习") {
			continue
		}
		family, _ := f.Name(&buf, sfnt.NameIDFamily)
		if s := faceScore(family); s > bestScore {
			best, bestScore = loadedFont{face: f, path: path, family: family}, s
		}
	}
	if best.face == nil {
		return loadedFont{}, fmt.Errorf("%s: no face with Chinese glyphs", path)
	}
	return best, nil
}

// faceScore prefers a collection's Simplified Chinese face (Noto's "SC", Source Han's "CN") and its
// proportional face over a monospaced one (wqy's "Micro Hei Mono").
func faceScore(family string) int {
	s := 0
	for _, w := range strings.Fields(family) {
		switch w {
		case "SC", "CN", "GB", "Hans":
			s += 2
		case "Mono":
			s--
		}
	}
	return s + 1
}

// covers reports whether every rune of s has a glyph in f.
func covers(f *opentype.Font, buf *sfnt.Buffer, s string) bool {
	for _, r := range s {
		if i, err := f.GlyphIndex(buf, r); err != nil || i == 0 {
			return false
		}
	}
	return true
}

// parseFaces parses a font file or a font collection (.ttc, .otc) into its faces. Faces whose tables
// do not start on four-byte boundaries, which golang.org/x/image/font/sfnt rejects ("invalid table
// offset", golang/go#46384) and which is how fonts-wqy-microhei and fonts-wqy-zenhei are built, are
// copied into a new single-face file with the same tables realigned.
func parseFaces(data []byte) ([]*opentype.Font, error) {
	offsets, err := faceOffsets(data)
	if err != nil {
		return nil, err
	}
	var coll *opentype.Collection
	if len(offsets) > 1 || string(data[:4]) == "ttcf" {
		if coll, err = opentype.ParseCollection(data); err != nil {
			return nil, err
		}
	}
	faces := make([]*opentype.Font, 0, len(offsets))
	var firstErr error
	for i, off := range offsets {
		var f *opentype.Font
		aligned, err := tablesAligned(data, off)
		switch {
		case err != nil:
		case !aligned:
			var single []byte
			if single, err = realign(data, off); err == nil {
				f, err = opentype.Parse(single)
			}
		case coll != nil:
			f, err = coll.Font(i)
		default:
			f, err = opentype.Parse(data)
		}
		if err != nil {
			if firstErr == nil {
				firstErr = fmt.Errorf("face %d: %w", i, err)
			}
			continue
		}
		faces = append(faces, f)
	}
	if len(faces) == 0 {
		return nil, firstErr
	}
	return faces, nil
}

var errFontFormat = errors.New("not a TrueType or OpenType font")

// faceOffsets returns where each face's table directory starts: once for a single font, once per
// face for a collection.
func faceOffsets(data []byte) ([]uint32, error) {
	if len(data) < 12 {
		return nil, errFontFormat
	}
	switch string(data[:4]) {
	case "ttcf":
		n := binary.BigEndian.Uint32(data[8:])
		if n == 0 || n > 256 || uint64(len(data)) < 12+4*uint64(n) {
			return nil, errFontFormat
		}
		offs := make([]uint32, n)
		for i := range offs {
			offs[i] = binary.BigEndian.Uint32(data[12+4*i:])
		}
		return offs, nil
	case "\x00\x01\x00\x00", "OTTO", "true":
		return []uint32{0}, nil
	}
	return nil, errFontFormat
}

// tableRecord is one entry of a face's table directory.
type tableRecord struct {
	tag            [4]byte
	checksum       uint32
	offset, length uint32
}

// tableDirectory reads the table directory of the face starting at off, checking every table lies
// inside data.
func tableDirectory(data []byte, off uint32) (version [4]byte, recs []tableRecord, err error) {
	if uint64(off)+12 > uint64(len(data)) {
		return version, nil, errFontFormat
	}
	copy(version[:], data[off:])
	n := int(binary.BigEndian.Uint16(data[off+4:]))
	if uint64(off)+12+16*uint64(n) > uint64(len(data)) {
		return version, nil, errFontFormat
	}
	recs = make([]tableRecord, n)
	for i := range recs {
		b := data[int(off)+12+16*i:]
		copy(recs[i].tag[:], b)
		recs[i].checksum = binary.BigEndian.Uint32(b[4:])
		recs[i].offset = binary.BigEndian.Uint32(b[8:])
		recs[i].length = binary.BigEndian.Uint32(b[12:])
		if uint64(recs[i].offset)+uint64(recs[i].length) > uint64(len(data)) {
			return version, nil, fmt.Errorf("table %q outside the file", recs[i].tag[:])
		}
	}
	return version, recs, nil
}

// tablesAligned reports whether every table of the face at off starts on a four-byte boundary.
func tablesAligned(data []byte, off uint32) (bool, error) {
	_, recs, err := tableDirectory(data, off)
	if err != nil {
		return false, err
	}
	for _, r := range recs {
		if r.offset%4 != 0 {
			return false, nil
		}
	}
	return true, nil
}

// realign copies the face at off into a single-face font file whose tables each start on a four-byte
// boundary, in directory order, zero-padded. Checksums are kept as they are: sfnt ignores them.
func realign(data []byte, off uint32) ([]byte, error) {
	version, recs, err := tableDirectory(data, off)
	if err != nil {
		return nil, err
	}
	size := 12 + 16*len(recs)
	for _, r := range recs {
		size += int(r.length+3) &^ 3
	}
	out := make([]byte, size)
	copy(out, version[:])
	copy(out[4:12], data[off+4:off+12]) // numTables, searchRange, entrySelector, rangeShift
	pos := uint32(12 + 16*len(recs))
	for i, r := range recs {
		d := out[12+16*i:]
		copy(d, r.tag[:])
		binary.BigEndian.PutUint32(d[4:], r.checksum)
		binary.BigEndian.PutUint32(d[8:], pos)
		binary.BigEndian.PutUint32(d[12:], r.length)
		copy(out[pos:], data[r.offset:r.offset+r.length])
		pos += (r.length + 3) &^ 3
	}
	return out, nil
}

// newFontCache returns a cache holding Liberation (for Latin text, and for anything gonum/plot draws
// in its default font) and, when cjk is set, the CJK face under cjkTypeface. It belongs to one
// Renderer: gonum/plot's global cache is never touched.
func newFontCache(cjk *opentype.Font) *font.Cache {
	cache := font.NewCache(liberation.Collection())
	if cjk != nil {
		cache.Add(font.Collection{{Font: font.Font{Typeface: cjkTypeface}, Face: cjk}})
	}
	return cache
}
