package quiz

import (
	"slices"
	"strings"

	"github.com/pybrarian/pybrarian/content"
)

// stopWords carry no meaning of their own in a trait.
var stopWords = map[string]bool{
	"a": true, "an": true, "the": true, "and": true, "or": true, "of": true, "to": true, "in": true,
	"on": true, "for": true, "with": true, "by": true, "from": true, "its": true, "it": true, "is": true,
	"are": true, "was": true, "as": true, "at": true, "that": true, "which": true, "can": true, "also": true,
	"into": true, "your": true, "you": true, "their": true, "such": true, "than": true, "each": true,
	"every": true, "one": true, "own": true, "has": true, "have": true, "be": true, "any": true, "all": true,
	"so": true, "no": true, "not": true, "without": true, "through": true, "other": true, "many": true,
	"python": true,
}

// contentWords are a text's meaningful English words, crudely stemmed ("builds", "building" → "build"),
// sorted and without repeats.
func contentWords(s string) []string {
	var out []string
	for _, w := range strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '+')
	}) {
		if stopWords[w] {
			continue
		}
		for _, suf := range []string{"ing", "ed", "es", "s"} {
			if len(w) > len(suf)+3 && strings.HasSuffix(w, suf) {
				w = strings.TrimSuffix(w, suf)
				break
			}
		}
		out = append(out, w)
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// Similar reports whether two traits say nearly the same thing: half or more of their meaningful
// words in common, and at least two. Such traits under different keys are one property that
// several entries share, and should be declared once in traits.yaml.
func Similar(a, b content.Text) bool { return similarWords(contentWords(a.EN), contentWords(b.EN)) }

// similarWords is Similar for two sorted word lists.
func similarWords(wa, wb []string) bool {
	common := 0
	for i, j := 0, 0; i < len(wa) && j < len(wb); {
		switch c := strings.Compare(wa[i], wb[j]); {
		case c == 0:
			common++
			i++
			j++
		case c < 0:
			i++
		default:
			j++
		}
	}
	union := len(wa) + len(wb) - common
	return common >= 2 && union > 0 && 2*common >= union
}
