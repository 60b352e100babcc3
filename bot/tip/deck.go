package tip

import (
	"bufio"
	_ "embed"
	"encoding/binary"
	"hash/fnv"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/pybrarian/pybrarian/content"
)

//go:generate go run gen_joined.go

// Tip is one tip of the knowledge base: the entry it belongs to and its text in both languages.
type Tip struct {
	// ID names the tip: its entry's id and its place among the entry's tips ("pandas/0"). New
	// tips go at the end of an entry's list, so ids never move.
	ID    string
	Entry *content.Entry
	Text  content.Text
}

// joined is the deck's ledger: the day each tip joined the deck, "YYYY-MM-DD id" a line,
// append-only (gen_joined.go adds new tips two days ahead).
//
//go:embed joined.txt
var joined string

// Deck deals the tip of the day. Days are counted in cycles from 1 January 2024: a cycle holds
// every tip that had joined the deck by its first day, each once, in an order shuffled by a hash
// of the cycle's number and the tip's id, and the next cycle starts when it ends. So the tip of a
// date is the same on every replica and after every restart, no tip repeats before all have
// come, and a tip added later joins at the first cycle that starts after its day in the ledger:
// every day before that keeps its tip. A tip of the ledger that the knowledge base no longer has
// gives its days to the next tip of its cycle that it still has.
type Deck struct {
	tips  map[string]Tip
	pins  []pin // every tip of the ledger or the knowledge base, by join day
	mu    sync.Mutex
	cycle []cycle // the cycles from the epoch, computed as days ask for them
}

type pin struct {
	day int64 // days since the epoch
	id  string
}

type cycle struct {
	start int64
	order []string
}

// epoch is day 0 of the deck's count.
var epoch = time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)

// NewDeck builds the deck from every tip in kb and the ledger. A tip the ledger does not list
// (one added under BOT_CONTENT_DIR, or before go generate ran) joins two days after the ledger's
// newest day.
func NewDeck(kb *content.KB) *Deck {
	return newDeck(tipsOf(kb), joined)
}

// tipsOf lists every tip in kb.
func tipsOf(kb *content.KB) []Tip {
	var tips []Tip
	for _, e := range kb.Entries() {
		for i, t := range e.Tips {
			if !t.IsZero() {
				tips = append(tips, Tip{ID: e.ID + "/" + strconv.Itoa(i), Entry: e, Text: t})
			}
		}
	}
	return tips
}

func newDeck(tips []Tip, ledger string) *Deck {
	d := &Deck{tips: map[string]Tip{}}
	for _, t := range tips {
		d.tips[t.ID] = t
	}
	seen := map[string]bool{}
	newest := int64(0)
	sc := bufio.NewScanner(strings.NewReader(ledger))
	for sc.Scan() {
		day, id, ok := strings.Cut(strings.TrimSpace(sc.Text()), " ")
		t, err := time.Parse(time.DateOnly, day)
		if !ok || err != nil || seen[id] {
			continue // comments, blank lines
		}
		n := daysSince(t)
		d.pins = append(d.pins, pin{n, id})
		seen[id] = true
		newest = max(newest, n)
	}
	for id := range d.tips {
		if !seen[id] {
			d.pins = append(d.pins, pin{newest + 2, id})
		}
	}
	slices.SortFunc(d.pins, func(a, b pin) int {
		if a.day != b.day {
			return int(a.day - b.day)
		}
		return strings.Compare(a.id, b.id)
	})
	return d
}

func daysSince(t time.Time) int64 { return int64(t.Sub(epoch).Hours()) / 24 }

// Len is the number of tips the knowledge base has.
func (d *Deck) Len() int { return len(d.tips) }

// On returns the tip of date day ("2026-03-08"): the same for everyone whose local date it is.
// It reports false for an empty deck or a malformed date.
func (d *Deck) On(day Date) (Tip, bool) {
	t, err := time.Parse(time.DateOnly, string(day))
	if err != nil || len(d.tips) == 0 {
		return Tip{}, false
	}
	n := daysSince(t)
	var c cycle
	if n < 0 {
		// Before the epoch (a test, a clock gone wrong): the first cycle's tips, cycled back.
		first := d.members(0)
		if len(first) == 0 {
			first = d.members(d.pins[0].day)
		}
		k, pos := floorDiv(n, int64(len(first)))
		c = cycle{start: n - pos, order: shuffle(first, k)}
	} else {
		c = d.cycleOf(n)
	}
	pos := int(n - c.start)
	for i := range c.order {
		if tp, ok := d.tips[c.order[(pos+i)%len(c.order)]]; ok {
			return tp, true
		}
	}
	return Tip{}, false
}

// cycleOf returns the cycle day n (n >= 0) falls in, computing the cycles up to it.
func (d *Deck) cycleOf(n int64) cycle {
	d.mu.Lock()
	defer d.mu.Unlock()
	for {
		if k := len(d.cycle); k > 0 {
			last := d.cycle[k-1]
			if n < last.start+int64(len(last.order)) {
				i, _ := slices.BinarySearchFunc(d.cycle, n, func(c cycle, n int64) int {
					switch {
					case n < c.start:
						return 1
					case n >= c.start+int64(len(c.order)):
						return -1
					}
					return 0
				})
				return d.cycle[i]
			}
		}
		start := int64(0)
		if k := len(d.cycle); k > 0 {
			start = d.cycle[k-1].start + int64(len(d.cycle[k-1].order))
		}
		members := d.members(start)
		if len(members) == 0 {
			members = d.members(d.pins[0].day) // nothing had joined yet: the first tips
		}
		d.cycle = append(d.cycle, cycle{start: start, order: shuffle(members, int64(len(d.cycle)))})
	}
}

// members are the ids of the tips that joined by day n.
func (d *Deck) members(n int64) []string {
	var out []string
	for _, p := range d.pins {
		if p.day > n {
			break
		}
		out = append(out, p.id)
	}
	return out
}

// shuffle orders ids for cycle k: by a hash of k and the id.
func shuffle(ids []string, k int64) []string {
	type keyed struct {
		h  uint64
		id string
	}
	ks := make([]keyed, len(ids))
	for i, id := range ids {
		h := fnv.New64a()
		var b [8]byte
		binary.BigEndian.PutUint64(b[:], uint64(k))
		h.Write(b[:])
		h.Write([]byte(id))
		ks[i] = keyed{h.Sum64(), id}
	}
	slices.SortFunc(ks, func(a, b keyed) int {
		switch {
		case a.h < b.h:
			return -1
		case a.h > b.h:
			return 1
		}
		return strings.Compare(a.id, b.id)
	})
	out := make([]string, len(ks))
	for i, k := range ks {
		out[i] = k.id
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
