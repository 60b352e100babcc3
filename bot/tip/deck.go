package tip

import (
	"encoding/binary"
	"hash/fnv"
	"slices"
	"strconv"
	"time"

	"github.com/pybrarian/pybrarian/content"
)

// Tip is one tip of the knowledge base: the entry it belongs to and its text in both languages.
type Tip struct {
	// ID names the tip: its entry's id and its place among the entry's tips ("pandas/0").
	ID    string
	Entry *content.Entry
	Text  content.Text
}

// Deck deals the tip of the day. Days are counted in cycles as long as the deck: within a cycle
// every tip comes once, in an order shuffled by a hash of the cycle's number and the tip's id, so
// the order is fixed (the same on every replica and after every restart), differs from cycle to
// cycle, and no tip repeats before all have come.
type Deck struct {
	tips []Tip // sorted by ID
}

// epoch is day 0 of the deck's count.
var epoch = time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)

// NewDeck builds the deck from every tip in kb.
func NewDeck(kb *content.KB) *Deck {
	var tips []Tip
	for _, e := range kb.Entries() {
		for i, t := range e.Tips {
			if !t.IsZero() {
				tips = append(tips, Tip{ID: e.ID + "/" + strconv.Itoa(i), Entry: e, Text: t})
			}
		}
	}
	slices.SortFunc(tips, func(a, b Tip) int { return compareStrings(a.ID, b.ID) })
	return &Deck{tips: tips}
}

// Len is the number of tips, the length of a cycle.
func (d *Deck) Len() int { return len(d.tips) }

// On returns the tip of date day ("2026-03-08"): the same for everyone whose local date it is.
// It reports false for an empty deck or a malformed date.
func (d *Deck) On(day Date) (Tip, bool) {
	t, err := time.Parse(time.DateOnly, string(day))
	if err != nil || len(d.tips) == 0 {
		return Tip{}, false
	}
	n := int64(t.Sub(epoch).Hours()) / 24
	size := int64(len(d.tips))
	cycle, pos := floorDiv(n, size)
	return d.cycle(cycle)[pos], true
}

// cycle is the deck in the order of cycle c.
func (d *Deck) cycle(c int64) []Tip {
	type keyed struct {
		k uint64
		t Tip
	}
	ks := make([]keyed, len(d.tips))
	for i, t := range d.tips {
		h := fnv.New64a()
		var b [8]byte
		binary.BigEndian.PutUint64(b[:], uint64(c))
		h.Write(b[:])
		h.Write([]byte(t.ID))
		ks[i] = keyed{h.Sum64(), t}
	}
	slices.SortFunc(ks, func(a, b keyed) int {
		switch {
		case a.k < b.k:
			return -1
		case a.k > b.k:
			return 1
		}
		return compareStrings(a.t.ID, b.t.ID)
	})
	out := make([]Tip, len(ks))
	for i, k := range ks {
		out[i] = k.t
	}
	return out
}

func floorDiv(n, d int64) (q, r int64) {
	q, r = n/d, n%d
	if r < 0 {
		q, r = q-1, r+d
	}
	return q, r
}

func compareStrings(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}
