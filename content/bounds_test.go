package content

import (
	"fmt"
	"strings"
	"sync"
	"testing"
)

// hostileQueries are inputs an attacker would send: long runs of one letter (the worst case of a
// deletion neighbourhood), long runs of a real name, and mixed scripts.
func hostileQueries(n int) map[string]string {
	return map[string]string{
		"letters": strings.Repeat("q", n),
		"name":    strings.Repeat("pandas", n/6+1)[:n],
		"han":     strings.Repeat("画图", n/2+1),
		"words":   strings.Repeat("plot ", n/5+1),
	}
}

// TestLookupCostIsBounded checks that a lookup reads only a bounded prefix of its query: the work
// for a 64 Ki-rune query is the work for a query just past the longest name. It counts the runes
// the normaliser reads, which is what the deletion neighbourhood grows with, rather than timing.
func TestLookupCostIsBounded(t *testing.T) {
	kb := testKB(t)
	limit := kb.names.longest + maxDeletes
	for name, q := range hostileQueries(1 << 16) {
		k, tooLong := NormalizeUpTo(q, limit)
		if !tooLong {
			continue // mostly punctuation or spaces: short once normalised
		}
		if n := len([]rune(k)); n > limit {
			t.Errorf("%s: normalised %d runes, want at most %d", name, n, limit)
		}
		if m := kb.Lookup(q); m.Entry != nil || len(m.Suggestions) != 0 {
			t.Errorf("%s: Lookup of a 64 Ki-rune query = %v, want no match", name, m.Entry)
		}
	}
	// Just within the bound, typos are still forgiven.
	if m := kb.Lookup("asgi asynchronous server gateway interfac"); m.Entry == nil || m.Entry.ID != "asgi" {
		t.Errorf("Lookup(the longest name with a typo) = %v, want asgi", m.Entry)
	}
}

func TestSearchReadsABoundedQuery(t *testing.T) {
	kb := testKB(t)
	long := "scraping " + strings.Repeat("zzz ", 1<<14)
	if hits := kb.Search(long, English, 5); len(hits) == 0 || hits[0].Entry.ID != "scrapy" {
		t.Errorf("Search(scraping + 64 KiB of noise) = %v, want scrapy first", hits)
	}
}

// BenchmarkLookupLength shows lookup cost against query length: flat once the query is longer
// than the longest name plus the edit allowance.
func BenchmarkLookupLength(b *testing.B) {
	kb := testKB(b)
	for _, n := range []int{16, 64, 256, 1024, 4096, 16384, 65536} {
		q := strings.Repeat("q", n)
		b.Run(fmt.Sprintf("runes=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				kb.Lookup(q)
			}
		})
	}
}

func BenchmarkSearchLength(b *testing.B) {
	kb := testKB(b)
	kb.Search("warm", English, 5)
	for _, n := range []int{16, 256, 4096, 65536} {
		q := strings.Repeat("plot data ", n/10+1)[:n]
		b.Run(fmt.Sprintf("runes=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				kb.Search(q, English, 5)
			}
		})
	}
}

var (
	embeddedOnce sync.Once
	embeddedKB   *KB
	embeddedErr  error
)

// testKB loads the embedded knowledge base once for the package's internal tests.
func testKB(tb testing.TB) *KB {
	tb.Helper()
	embeddedOnce.Do(func() { embeddedKB, embeddedErr = Load(Embedded()) })
	if embeddedErr != nil {
		tb.Fatal(embeddedErr)
	}
	return embeddedKB
}
