package content

import (
	"strings"
	"testing"
	"testing/fstest"
	"unicode/utf8"
)

// FuzzLookup feeds arbitrary text to name lookup and topic resolution. Besides never panicking, a
// lookup must cost no more for a long query than for one just past the longest name: it may
// allocate only a bounded amount, whatever the query's length. The quadratic deletion
// neighbourhood that once let a 4,096-letter message cost seconds fails this check at once.
func FuzzLookup(f *testing.F) {
	for _, s := range []string{"pandas", "pnadas", "ｓｃｉｋｉｔ learn", "框架", "", "\xff\xfe", strings.Repeat("q", 300), strings.Repeat("画图", 200), "rails"} {
		f.Add(s)
	}
	kb := testKB(f)
	kb.Search("warm", English, 1) // the search index builds in the background: let it finish, so it does not count
	limit := kb.names.longest + maxDeletes
	f.Fuzz(func(t *testing.T, q string) {
		m := kb.Lookup(q)
		if m.Entry != nil && len(m.Suggestions) > 0 {
			t.Errorf("Lookup(%q) has both an entry and suggestions", q)
		}
		if len(m.Suggestions) > 3 {
			t.Errorf("Lookup(%q) suggests %d entries, want at most 3", q, len(m.Suggestions))
		}
		kb.ResolveTopic(q)
		kb.Complete(q, 25)
		k, tooLong := NormalizeUpTo(q, limit)
		if n := utf8.RuneCountInString(k); n > limit {
			t.Errorf("NormalizeUpTo read %d runes, want at most %d", n, limit)
		}
		if !tooLong && k != Normalize(q) {
			t.Errorf("NormalizeUpTo(%q) = %q, Normalize = %q", q, k, Normalize(q))
		}
		if allocs := testing.AllocsPerRun(1, func() { kb.Lookup(q) }); allocs > 64 {
			t.Errorf("Lookup(%d bytes) made %v allocations, want a bounded number", len(q), allocs)
		}
	})
}

// FuzzSearch checks that a search of any text stays bounded and well-formed.
func FuzzSearch(f *testing.F) {
	for _, s := range []string{"scraping", "a library for plotting", "有什么库可以画图", "", strings.Repeat("plot ", 1000)} {
		f.Add(s)
	}
	kb := testKB(f)
	f.Fuzz(func(t *testing.T, q string) {
		hits := kb.Search(q, English, 5)
		if len(hits) > 5 {
			t.Errorf("Search returned %d hits, want at most 5", len(hits))
		}
		for _, h := range hits {
			if h.Entry == nil || h.Reason == "" {
				t.Errorf("Search(%q) returned an empty hit %+v", q, h)
			}
		}
	})
}

// FuzzLoad loads an arbitrary entry file laid over the embedded knowledge base: the loader reports
// problems, and never panics, whatever the YAML.
func FuzzLoad(f *testing.F) {
	seed, err := embedded.ReadFile("data/entries/flask.yaml")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(seed)
	f.Add([]byte("id: x\nname: [\n"))
	f.Add([]byte("id: &a [*a]\n"))
	f.Add([]byte("quiz:\n  traits:\n    - key: a\n      en: b\n"))
	f.Fuzz(func(t *testing.T, body []byte) {
		src := Source{Name: "fuzz", FS: fstest.MapFS{"entries/fuzz.yaml": {Data: body}}}
		kb, err := Load(Embedded(), src)
		if err == nil && kb == nil {
			t.Fatal("Load returned neither a knowledge base nor an error")
		}
		Lint(src)
	})
}
