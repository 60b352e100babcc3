package content

import (
	"hash/maphash"
	"slices"
	"strings"
	"unicode"
)

// Normalize reduces a name to the form lookups compare: full-width characters folded to ASCII,
// lowercase, and everything except letters and digits removed ("Scikit-Learn" and "ｓｃｉｋｉｔ learn"
// both become "scikitlearn").
func Normalize(s string) string { k, _ := NormalizeUpTo(s, -1); return k }

func normalize(s string) string { k, _ := NormalizeUpTo(s, -1); return k }

// NormalizeUpTo is Normalize that stops once the result would have more than limit runes (no
// limit when limit < 0) and reports whether it stopped early. Comparing user text with names of
// bounded length needs no more than that, so the cost stays bounded whatever the user sends.
func NormalizeUpTo(s string, limit int) (string, bool) {
	var b strings.Builder
	n := 0
	for _, r := range s {
		if r >= 0xFF01 && r <= 0xFF5E { // full-width ASCII block
			r -= 0xFEE0
		}
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			if n == limit {
				return b.String(), true
			}
			if n == 0 {
				b.Grow(min(len(s), 64))
			}
			b.WriteRune(unicode.ToLower(r))
			n++
		}
	}
	return b.String(), false
}

// maxTypos is how many edits a query of n characters may be away from a name and still count as that
// name. Short words get none, so "love" or "rails" never turn into some other library.
func maxTypos(n int) int {
	switch {
	case n <= 3:
		return 0
	case n <= 8:
		return 1
	default:
		return 2
	}
}

// maxDeletes bounds the deletion neighbourhood stored per name: enough for two edits, which covers
// the typo allowance plus one more edit for suggestions.
const maxDeletes = 2

// nameIndex finds names by exact normalised form, by edit distance (through a deletion index, so a
// lookup costs a few dozen binary searches however many names there are), and by prefix.
type nameIndex struct {
	exact  map[string]int32
	keys   []nameKey
	byName []int32   // indices into keys, sorted by normalised name, for prefix search
	dels   []delLink // sorted by hash
	seed   maphash.Seed
	// longest is the length in runes of the longest normalised name. A query more than maxDeletes
	// runes longer is farther than any allowance from every name and is no prefix of one, so a
	// lookup reads at most longest+maxDeletes+1 runes of it: its cost does not grow with its length.
	longest int
}

type nameKey struct {
	norm  string
	runes []rune
	item  int32
}

type delLink struct {
	hash uint64
	key  int32
}

// newNameIndex indexes items, each with its list of names; lookups return item indices.
func newNameIndex(items [][]string) *nameIndex {
	ix := &nameIndex{exact: map[string]int32{}, seed: maphash.MakeSeed()}
	for item, names := range items {
		for _, n := range names {
			k := normalize(n)
			if k == "" {
				continue
			}
			if _, dup := ix.exact[k]; dup {
				continue
			}
			ix.exact[k] = int32(item)
			ix.keys = append(ix.keys, nameKey{norm: k, runes: []rune(k), item: int32(item)})
			ix.longest = max(ix.longest, len(ix.keys[len(ix.keys)-1].runes))
		}
	}
	ix.byName = make([]int32, len(ix.keys))
	for i := range ix.keys {
		ix.byName[i] = int32(i)
		for _, h := range ix.deletionHashes(ix.keys[i].norm, maxDeletes) {
			ix.dels = append(ix.dels, delLink{hash: h, key: int32(i)})
		}
	}
	slices.SortFunc(ix.byName, func(a, b int32) int { return strings.Compare(ix.keys[a].norm, ix.keys[b].norm) })
	slices.SortFunc(ix.dels, func(a, b delLink) int {
		switch {
		case a.hash < b.hash:
			return -1
		case a.hash > b.hash:
			return 1
		}
		return int(a.key - b.key)
	})
	return ix
}

// deletionHashes returns the sorted, distinct hashes of s and of every string made by deleting up to
// n of its runes (n is at most 2), without building the strings: the deletion neighbourhood that
// makes edit-distance lookups a matter of hash probes.
func (ix *nameIndex) deletionHashes(s string, n int) []uint64 {
	var bounds []int // byte offset of each rune, plus len(s)
	for i := range s {
		bounds = append(bounds, i)
	}
	bounds = append(bounds, len(s))
	runes := len(bounds) - 1
	buf := make([]byte, 0, len(s))
	// cut hashes s without runes i and j (j < 0 for a single deletion).
	cut := func(i, j int) uint64 {
		buf = append(buf[:0], s[:bounds[i]]...)
		if j < 0 {
			buf = append(buf, s[bounds[i+1]:]...)
		} else {
			buf = append(buf, s[bounds[i+1]:bounds[j]]...)
			buf = append(buf, s[bounds[j+1]:]...)
		}
		return maphash.Bytes(ix.seed, buf)
	}
	hashes := []uint64{maphash.String(ix.seed, s)}
	if n >= 1 && runes > 1 {
		for i := 0; i < runes; i++ {
			hashes = append(hashes, cut(i, -1))
		}
	}
	if n >= 2 && runes > 2 {
		for i := 0; i < runes; i++ {
			for j := i + 1; j < runes; j++ {
				hashes = append(hashes, cut(i, j))
			}
		}
	}
	slices.Sort(hashes)
	return slices.Compact(hashes)
}

type nameResult struct {
	exact, typo int32 // item index or -1
	suggestions []int32
}

type candidate struct {
	item int32
	dist int
}

// lookup resolves q. A typo match needs a unique best item within maxTypos; when none is found, up
// to maxSuggest items within one more edit, or whose names start with q, are suggested.
func (ix *nameIndex) lookup(q string, maxSuggest int) nameResult {
	res := nameResult{exact: -1, typo: -1}
	k, tooLong := NormalizeUpTo(q, ix.longest+maxDeletes)
	if k == "" || tooLong {
		return res
	}
	if item, ok := ix.exact[k]; ok {
		res.exact = item
		return res
	}
	qr := []rune(k)
	allow := maxTypos(len(qr))
	// One edit beyond the allowance finds plausible suggestions, except for short words, where it
	// mostly finds unrelated names ("love" → nose).
	radius := min(allow+1, maxDeletes)
	if len(qr) <= 4 {
		radius = allow
	}
	var cands []candidate
	if allow > 0 {
		cands = ix.near(qr, k, allow)
		if len(cands) > 0 && (len(cands) == 1 || cands[1].dist > cands[0].dist) {
			res.typo = cands[0].item
			return res
		}
	}
	if maxSuggest == 0 {
		return res
	}
	if radius > allow {
		cands = ix.near(qr, k, radius)
	}
	add := func(item int32) {
		if len(res.suggestions) < maxSuggest && !slices.Contains(res.suggestions, item) {
			res.suggestions = append(res.suggestions, item)
		}
	}
	for _, c := range cands {
		add(c.item)
	}
	if len(qr) >= 3 {
		i, _ := slices.BinarySearchFunc(ix.byName, k, func(key int32, k string) int {
			return strings.Compare(ix.keys[key].norm, k)
		})
		for ; i < len(ix.byName) && strings.HasPrefix(ix.keys[ix.byName[i]].norm, k); i++ {
			add(ix.keys[ix.byName[i]].item)
		}
	}
	return res
}

// complete returns up to limit distinct items with a name starting with q, in name order.
func (ix *nameIndex) complete(q string, limit int) []int32 {
	k, tooLong := NormalizeUpTo(q, ix.longest)
	if k == "" || tooLong {
		return nil
	}
	var out []int32
	i, _ := slices.BinarySearchFunc(ix.byName, k, func(key int32, k string) int {
		return strings.Compare(ix.keys[key].norm, k)
	})
	for ; i < len(ix.byName) && len(out) < limit && strings.HasPrefix(ix.keys[ix.byName[i]].norm, k); i++ {
		if item := ix.keys[ix.byName[i]].item; !slices.Contains(out, item) {
			out = append(out, item)
		}
	}
	return out
}

// near returns the items with a name within radius edits of q, closest first (ties by item order).
func (ix *nameIndex) near(qr []rune, q string, radius int) []candidate {
	var cands []candidate
	rows := make([]int, 3*(maxNameRunes+1))
	for _, h := range ix.deletionHashes(q, radius) {
		i, _ := slices.BinarySearchFunc(ix.dels, h, func(l delLink, h uint64) int {
			switch {
			case l.hash < h:
				return -1
			case l.hash > h:
				return 1
			}
			return 0
		})
		for ; i < len(ix.dels) && ix.dels[i].hash == h; i++ {
			key := &ix.keys[ix.dels[i].key]
			dist := osaDistance(qr, key.runes, radius, rows)
			if dist > radius {
				continue
			}
			found := false
			for j := range cands {
				if cands[j].item == key.item {
					cands[j].dist = min(cands[j].dist, dist)
					found = true
				}
			}
			if !found {
				cands = append(cands, candidate{key.item, dist})
			}
		}
	}
	slices.SortFunc(cands, func(a, b candidate) int {
		if a.dist != b.dist {
			return a.dist - b.dist
		}
		return int(a.item - b.item)
	})
	return cands
}

// maxNameRunes bounds the names compared by edit distance; longer queries are truncated for the
// comparison (no library name comes close).
const maxNameRunes = 64

// osaDistance is the optimal-string-alignment edit distance (insertions, deletions, substitutions and
// swaps of adjacent characters, each costing one). It gives up early and returns max+1 once the
// distance must exceed max.
func osaDistance(a, b []rune, max int, scratch []int) int {
	if d := len(a) - len(b); d > max || -d > max {
		return max + 1
	}
	a, b = a[:min(len(a), maxNameRunes)], b[:min(len(b), maxNameRunes)]
	if len(scratch) < 3*(len(b)+1) {
		scratch = make([]int, 3*(len(b)+1))
	}
	// Three rolling rows: two back (for swaps), previous and current.
	n := len(b) + 1
	prev2, prev, cur := scratch[:n], scratch[n:2*n], scratch[2*n:3*n]
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		rowMin := cur[0]
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			v := min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				v = min(v, prev2[j-2]+1)
			}
			cur[j] = v
			rowMin = min(rowMin, v)
		}
		if rowMin > max {
			return max + 1
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(b)]
}
