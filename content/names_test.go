package content

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

func TestNormalize(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"Scikit-Learn", "scikitlearn"},
		{"  Beautiful   Soup ", "beautifulsoup"},
		{"ＰＡＮＤＡＳ", "pandas"},
		{"pandas？", "pandas"},
		{"机器 学习", "机器学习"},
		{"C++", "c"},
		{"!!!", ""},
	} {
		if got := normalize(tt.in); got != tt.want {
			t.Errorf("normalize(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestOSADistance(t *testing.T) {
	for _, tt := range []struct {
		a, b string
		max  int
		want int
	}{
		{"pandas", "pandas", 2, 0},
		{"pnadas", "pandas", 2, 1}, // adjacent swap counts once
		{"djnago", "django", 2, 1},
		{"pandas", "panda", 2, 1},
		{"flask", "flake", 2, 2},
		{"kitten", "sitting", 3, 3},
		{"abc", "xyzabc", 2, 3}, // gives up past max
		{"", "ab", 2, 2},
	} {
		if got := osaDistance([]rune(tt.a), []rune(tt.b), tt.max, nil); got != tt.want {
			t.Errorf("osaDistance(%q, %q, %d) = %d, want %d", tt.a, tt.b, tt.max, got, tt.want)
		}
	}
}

// TestNameIndexFindsEveryTypo checks the deletion index against brute force: every name within the
// allowance must be found, whatever the edit.
func TestNameIndexFindsEveryTypo(t *testing.T) {
	names := [][]string{{"tensorflow", "tf"}, {"matplotlib", "plt"}, {"requests"}, {"sqlalchemy"}, {"beautifulsoup4", "bs4"}}
	ix := newNameIndex(names)
	rng := rand.New(rand.NewPCG(1, 2))
	for item, ns := range names {
		k := []rune(normalize(ns[0]))
		for trial := 0; trial < 200; trial++ {
			q := mutate(rng, k, maxTypos(len(k)))
			r := ix.lookup(string(q), 3)
			got := r.exact
			if got < 0 {
				got = r.typo
			}
			if got != int32(item) && osaDistance(q, k, 3, nil) <= maxTypos(len(q)) {
				t.Errorf("lookup(%q) = %d, want %d (%q)", string(q), got, item, ns[0])
			}
		}
	}
}

func mutate(rng *rand.Rand, s []rune, edits int) []rune {
	out := append([]rune(nil), s...)
	for e := 0; e < edits; e++ {
		i := rng.IntN(len(out))
		switch rng.IntN(4) {
		case 0: // delete
			out = append(out[:i], out[i+1:]...)
		case 1: // insert
			out = append(out[:i], append([]rune{rune('a' + rng.IntN(26))}, out[i:]...)...)
		case 2: // substitute
			out[i] = rune('a' + rng.IntN(26))
		case 3: // swap
			if i+1 < len(out) {
				out[i], out[i+1] = out[i+1], out[i]
			}
		}
	}
	return out
}

// syntheticKB builds a knowledge base of n entries with invented names, to show how lookup cost grows
// with the size of the knowledge base.
func syntheticKB(n int) *KB {
	rng := rand.New(rand.NewPCG(7, 7))
	syll := []string{"ka", "lo", "mi", "py", "to", "ra", "ne", "su", "qu", "zen", "dat", "flo", "gri", "vox", "lib", "sci"}
	var entries []loadedEntry
	seen := map[string]bool{}
	for len(entries) < n {
		var name string
		for i := 0; i < 3+rng.IntN(3); i++ {
			name += syll[rng.IntN(len(syll))]
		}
		if seen[name] {
			continue
		}
		seen[name] = true
		e := &Entry{ID: name, Name: name, Aliases: []string{name + "x", "py" + name},
			Summary: Text{EN: "A library for " + name, ZH: "用于" + name + "的库"}}
		entries = append(entries, loadedEntry{Entry: e})
	}
	return newKB(nil, entries)
}

func BenchmarkLookupSynthetic(b *testing.B) {
	for _, n := range []int{100, 1000, 10000} {
		kb := syntheticKB(n)
		name := kb.Entries()[n/2].ID
		typo := []rune(name)
		typo[1], typo[2] = typo[2], typo[1]
		for _, q := range []struct{ kind, q string }{{"exact", name}, {"typo", string(typo)}, {"miss", "qqqqqqqqqq"}} {
			b.Run(fmt.Sprintf("n=%d/%s", n, q.kind), func(b *testing.B) {
				for b.Loop() {
					kb.Lookup(q.q)
				}
			})
		}
	}
}
