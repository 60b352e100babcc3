package content

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Names are the words that give an entry away in a quiz question: its id, names and aliases, and the
// distinctive stems of its display name. A question that contains one of them answers itself ("Which
// of these talks HTTP/2?" → HTTPX), and a right choice that alone contains one is picked without
// knowing anything ("What is CatBoost for?" → "…boosting…").
//
// The stems of a display name are: each word of three or more letters, including those of a
// parenthesised expansion ("MVC (Model–View–Controller)" → model, view, controller), with trailing
// digits dropped ("PyQt6" → pyqt); the name without a leading or trailing "py" (pyqt → qt, scipy →
// sci, pytest → test); and each camel-case part ("FastAPI" → fast, api; "CatBoost" → cat, boost).
// Words every entry could use (python, library, web…) are never stems. The Chinese name contributes
// the Han words of its expansion ("模型", "视图", "控制器").
type Names struct {
	whole []string // normalised-case names and aliases, matched as whole words (Han: as substrings)
	stems []string // matched at the start of a word, or as the whole of a longer word's start
}

// genericWords are never stems: nearly any entry's text may use them.
var genericWords = map[string]bool{
	"python": true, "library": true, "libraries": true, "web": true, "framework": true, "frameworks": true,
	"toolkit": true, "tool": true, "tools": true, "project": true, "open": true, "and": true, "the": true,
	"for": true, "with": true, "vs": true, "data": true, "lib": true,
}

// GiveawayNames returns the words that give e away.
func (e *Entry) GiveawayNames() Names {
	var n Names
	addWhole := func(s string) {
		s = strings.ToLower(strings.TrimSpace(s))
		if s != "" && !genericWords[s] {
			n.whole = append(n.whole, s)
		}
	}
	addWhole(e.ID)
	addWhole(e.Name)
	addWhole(e.NameZH)
	addWhole(stripParens(e.Name))
	addWhole(stripParens(e.NameZH))
	for _, a := range e.Aliases {
		addWhole(a)
	}
	addStem := func(s string) {
		s = strings.ToLower(s)
		if utf8.RuneCountInString(s) >= 2 && !genericWords[s] {
			n.stems = append(n.stems, s)
		}
	}
	for _, w := range latinWords(e.Name) {
		w = strings.TrimRightFunc(w, unicode.IsDigit)
		lw := strings.ToLower(w)
		if genericWords[lw] {
			continue
		}
		if len(lw) >= 3 {
			addStem(lw)
		}
		if t, ok := strings.CutPrefix(lw, "py"); ok && t != "" {
			addStem(t)
		} else if t, ok := strings.CutSuffix(lw, "py"); ok && t != "" {
			addStem(t)
		}
		parts := camelParts(w)
		for _, part := range parts {
			part = strings.ToLower(part)
			// A two-letter part is a stem only beside generic parts ("OpenCV" → cv, "wxPython" → wx):
			// next to a distinctive part it is noise ("spaCy" → cy).
			if part == "py" || len(part) < 3 && !onlyGenericBesides(parts, part) {
				continue
			}
			addStem(part)
		}
	}
	if i := strings.IndexAny(e.NameZH, "(（"); i >= 0 {
		for _, w := range strings.FieldsFunc(e.NameZH[i:], func(r rune) bool { return !unicode.Is(unicode.Han, r) }) {
			if utf8.RuneCountInString(w) >= 2 {
				n.whole = append(n.whole, w)
			}
		}
	}
	return n
}

// onlyGenericBesides reports whether every part other than part is a generic word or "py".
func onlyGenericBesides(parts []string, part string) bool {
	for _, p := range parts {
		if p = strings.ToLower(p); p != part && p != "py" && !genericWords[p] {
			return false
		}
	}
	return true
}

// In returns the name or stem of the entry that s contains, or "".
func (n Names) In(s string) string { return n.InScanned(Scan(s)) }

// Scanned is a text prepared for Names.InScanned: lowercased and split into words once, so that
// checking it against the names of many entries does not split it again each time.
type Scanned struct {
	lower string
	words []string
}

// Scan prepares s for Names.InScanned.
func Scan(s string) Scanned {
	lower := strings.ToLower(s)
	return Scanned{lower: lower, words: latinWords(lower)}
}

// InScanned is In for a text already scanned.
func (n Names) InScanned(s Scanned) string {
	for _, w := range n.whole {
		if containsWord(s.lower, w) {
			return w
		}
	}
	for _, stem := range n.stems {
		for _, w := range s.words {
			// "boosting" starts with the stem "boost"; "http" is how "httpx" starts. A word must be
			// four letters or more to count as a stem's start, so "the" is not Theano.
			if strings.HasPrefix(w, stem) || len(w) >= 4 && !genericWords[w] && strings.HasPrefix(stem, w) {
				return stem
			}
		}
	}
	return ""
}

// latinWords splits s into runs of letters and digits that are not Han characters.
func latinWords(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return !isWordRune(r) })
}

// camelParts splits a word at case changes: "FastAPI" → Fast, API; "LightGBM" → Light, GBM;
// "XGBoost" → XG, Boost. Where capitals run into lowercase letters the split is ambiguous ("MLflow"
// is ML + flow), so both readings are returned. Digits end a part and are dropped.
func camelParts(w string) []string {
	rs := []rune(w)
	var parts []string
	start := 0
	cut := func(from, to int) {
		if to > from {
			parts = append(parts, string(rs[from:to]))
		}
	}
	// The two readings of an ambiguous split are kept only where they are three letters or more:
	// a wrong two-letter reading ("GO" in "GObject") would match far too many words.
	cutLong := func(from, to int) {
		if to-from >= 3 {
			cut(from, to)
		}
	}
	for i := 1; i <= len(rs); i++ {
		if i == len(rs) || unicode.IsDigit(rs[i]) {
			cut(start, i)
			start = i + 1
			continue
		}
		prev, cur := rs[i-1], rs[i]
		switch {
		case unicode.IsLower(prev) && unicode.IsUpper(cur):
			cut(start, i)
			start = i
		case unicode.IsUpper(prev) && unicode.IsLower(cur) && i-1 > start:
			cutLong(start, i) // "MLf…": ML as an acronym
			end := i
			for end < len(rs) && unicode.IsLower(rs[end]) {
				end++
			}
			cutLong(i, end) // "…flow" on its own
			cutLong(start, i-1)
			start = i - 1
		}
	}
	return parts
}

// SpacingProblem returns the first place in a Chinese text where Latin letters, digits or a code
// span touch a Chinese character without the space the knowledge base puts between them
// ("aiohttp基于" instead of "aiohttp 基于"), or "" when there is none. Full-width punctuation needs
// no space on either side.
func SpacingProblem(s string) string {
	prev := rune(-1)
	for i, r := range s {
		if isLatinSide(prev) && r >= utf8.RuneSelf && isHan(r) || prev >= utf8.RuneSelf && isHan(prev) && isLatinSide(r) {
			rs := []rune(s)
			at := utf8.RuneCountInString(s[:i])
			return string(rs[max(0, at-6):min(len(rs), at+6)])
		}
		prev = r
	}
	return ""
}

// isLatinSide reports whether r is a character that takes a space before or after Chinese text:
// Latin letters and digits, the end of a code span, and the + and # of C++ and C#.
func isLatinSide(r rune) bool {
	return r < utf8.RuneSelf && (unicode.IsLetter(r) || unicode.IsDigit(r)) || r == '`' || r == '+' || r == '#'
}

// JoinZH joins two pieces of Chinese text, with a space between them when one ends in Latin text
// and the other starts with a Chinese character ("aiohttp" + "基于" → "aiohttp 基于").
func JoinZH(a, b string) string {
	last, _ := utf8.DecodeLastRuneInString(a)
	first, _ := utf8.DecodeRuneInString(b)
	if isLatinSide(last) && (isHan(first) || isLatinSide(first)) || isHan(last) && isLatinSide(first) {
		return a + " " + b
	}
	return a + b
}
