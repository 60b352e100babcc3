package quiz

import (
	"regexp"
	"strings"

	"github.com/pybrarian/pybrarian/content"
)

// partSep splits a choice into the items it lists: punctuation that separates items, and the words
// that join them ("and", "or", "with"; 和, 或, 与, 及 in Chinese).
var partSep = regexp.MustCompile(`(?i)[,/()（）、，;；:：]|\s+(?:and|or|with)\s+|以及|或者|[和或与及]`)

// Parts splits a choice into the items it names, the way a learner reads it: "Python, C++ and CUDA"
// is {python, c, cuda}… (normalised: lowercase letters and digits, a leading article dropped), so two
// choices can be compared item by item. A choice that names nothing splittable is one part.
func Parts(s string) []string {
	s = strings.NewReplacer("`", "", "++", "pp", "#", "sharp").Replace(s) // C++ is not C
	var out []string
	seen := map[string]bool{}
	for _, p := range partSep.Split(s, -1) {
		p = strings.TrimSpace(p)
		for _, article := range []string{"the ", "a ", "an "} {
			if len(p) > len(article) && strings.EqualFold(p[:len(article)], article) {
				p = p[len(article):]
			}
		}
		if n := content.Normalize(p); n != "" && !seen[n] {
			seen[n] = true
			out = append(out, n)
		}
	}
	return out
}

// Nested reports whether one list of parts contains the other: such a wrong choice is partly right
// ("NumPy" against "NumPy and SciPy").
func Nested(a, b []string) bool {
	return len(a) > 0 && len(b) > 0 && (subset(a, b) || subset(b, a))
}

// Overlap reports whether two lists of parts share any part.
func Overlap(a, b []string) bool {
	for _, x := range a {
		for _, y := range b {
			if x == y {
				return true
			}
		}
	}
	return false
}

func subset(a, b []string) bool {
	for _, x := range a {
		found := false
		for _, y := range b {
			if x == y {
				found = true
				break
			}
		}
		if !found {
			return false
		}
	}
	return true
}
