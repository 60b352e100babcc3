package content

import (
	"math"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Hit is one search result: the entry and the phrase from it that matched best, in the searcher's
// language where possible, so the reply can say why the entry was chosen.
type Hit struct {
	Entry  *Entry
	Field  Field
	Reason string
	Score  float64
}

// Field names the part of an entry a search matched.
type Field int

// Searchable fields.
const (
	FieldName Field = iota
	FieldPurpose
	FieldUses
	FieldFeatures
	FieldSummary
)

// fieldWeight says how strongly a match in each field suggests the entry is what the user is after:
// what an entry is for counts more than a word in its summary.
var fieldWeight = [...]float64{
	FieldName:     2,
	FieldPurpose:  3,
	FieldUses:     3,
	FieldFeatures: 1.5,
	FieldSummary:  1,
}

type phrase struct {
	entry int32
	field Field
	lang  Lang
	text  string
	terms []string
}

type posting struct {
	entry  int32
	weight float64 // summed field weights of the phrases containing the term
}

type searchIndex struct {
	entries  []*Entry
	names    [][]string // normalised names per entry, for the name bonus
	phrases  []phrase
	postings map[string][]posting
	byEntry  [][]int32 // phrase indices per entry
}

func newSearchIndex(entries []*Entry) *searchIndex {
	ix := &searchIndex{entries: entries, postings: map[string][]posting{}, byEntry: make([][]int32, len(entries)), names: make([][]string, len(entries))}
	weights := map[string]float64{}
	for i, e := range entries {
		add := func(f Field, lang Lang, texts ...string) {
			for _, t := range texts {
				ix.byEntry[i] = append(ix.byEntry[i], int32(len(ix.phrases)))
				ix.phrases = append(ix.phrases, phrase{entry: int32(i), field: f, lang: lang, text: t, terms: terms(t, false)})
			}
		}
		add(FieldName, English, entryNames(e)...)
		for _, n := range entryNames(e) {
			ix.names[i] = append(ix.names[i], normalize(n))
		}
		for _, lang := range []Lang{English, Chinese} {
			add(FieldPurpose, lang, e.Quiz.Purpose.In(lang))
			add(FieldUses, lang, e.Uses.In(lang)...)
			add(FieldFeatures, lang, e.Features.In(lang)...)
			add(FieldSummary, lang, e.Summary.In(lang))
		}
		clear(weights)
		for _, p := range ix.byEntry[i] {
			ph := ix.phrases[p]
			for j, t := range ph.terms {
				if !slices.Contains(ph.terms[:j], t) { // count a term once per phrase
					weights[t] += fieldWeight[ph.field]
				}
			}
		}
		for t, w := range weights {
			ix.postings[t] = append(ix.postings[t], posting{entry: int32(i), weight: w})
		}
	}
	return ix
}

// Search ranks entries by how well their purpose, uses, features and summary (in both languages)
// match a description of a need ("scraping", "a library for plotting", "画图"), best first, at most
// limit of them. Entries scoring far below the best are dropped rather than padded in.
func (kb *KB) Search(query string, lang Lang, limit int) []Hit {
	return kb.search().search(query, lang, limit)
}

// Bounds on what a search reads of its query, so its cost does not grow with what a user can
// send: a need is described in a few words, and the terms past these add nothing but work.
const (
	maxQueryBytes = 512
	maxQueryTerms = 24
)

func (ix *searchIndex) search(query string, lang Lang, limit int) []Hit {
	if len(query) > maxQueryBytes {
		query = strings.ToValidUTF8(query[:maxQueryBytes], "")
	}
	var qterms []string
	for _, t := range terms(query, true) {
		if !slices.Contains(qterms, t) {
			qterms = append(qterms, t)
		}
		if len(qterms) == maxQueryTerms {
			break
		}
	}
	if len(qterms) == 0 {
		return nil
	}
	n := float64(len(ix.entries))
	scores := map[int32]float64{}
	idf := map[string]float64{}
	for _, t := range qterms {
		ps := ix.postings[t]
		if len(ps) == 0 {
			continue
		}
		idf[t] = math.Log(1 + n/float64(len(ps)))
		for _, p := range ps {
			// Saturate so that one term repeated across many phrases cannot dominate.
			scores[p.entry] += idf[t] * (p.weight / (p.weight + 2))
		}
		// A library named after the need ("scraping" → Scrapy, "plotting" → Matplotlib,
		// "testing" → pytest) is usually the canonical answer: count the name like a purpose.
		if len(t) >= 4 && t[0] < utf8.RuneSelf {
			for e, names := range ix.names {
				if slices.ContainsFunc(names, func(n string) bool { return strings.Contains(n, t) }) {
					scores[int32(e)] += idf[t] * (fieldWeight[FieldPurpose] / (fieldWeight[FieldPurpose] + 2))
				}
			}
		}
	}
	type scored struct {
		entry int32
		score float64
	}
	var ranked []scored
	for e, s := range scores {
		ranked = append(ranked, scored{e, s})
	}
	slices.SortFunc(ranked, func(a, b scored) int {
		if a.score != b.score {
			if a.score > b.score {
				return -1
			}
			return 1
		}
		return int(a.entry - b.entry)
	})
	var out []Hit
	for _, r := range ranked {
		if r.score < ranked[0].score*0.4 || len(out) == limit {
			break
		}
		field, reason := ix.reason(r.entry, idf, lang)
		out = append(out, Hit{Entry: ix.entries[r.entry], Field: field, Reason: reason, Score: r.score})
	}
	return out
}

// reason picks the entry's phrase that best explains the match: the most matched query weight, then
// the searcher's language, then the more telling field.
func (ix *searchIndex) reason(entry int32, idf map[string]float64, lang Lang) (Field, string) {
	bestScore, best := -1.0, int32(-1)
	for _, p := range ix.byEntry[entry] {
		ph := ix.phrases[p]
		if ph.field == FieldName {
			continue
		}
		s := 0.0
		for _, t := range ph.terms {
			s += idf[t]
		}
		if s == 0 {
			continue
		}
		s *= fieldWeight[ph.field]
		if ph.lang == lang {
			s *= 1.5
		}
		if s > bestScore {
			bestScore, best = s, p
		}
	}
	if best < 0 {
		e := ix.entries[entry]
		return FieldPurpose, e.Quiz.Purpose.In(lang)
	}
	return ix.phrases[best].field, ix.phrases[best].text
}

// stopwords are words that say nothing about what the user needs.
var stopwords = stemSet(`a an the for to of in on and or with without by from into at as is are be
	i me my we you want need would like can could should do does how what which who there any some good
	best great recommend library libraries lib package packages module tool tools framework python py use
	using used something thing way make doing help find search please about`)

func stemSet(words string) map[string]bool {
	set := map[string]bool{}
	for _, w := range strings.Fields(words) {
		set[stem(w)] = true
	}
	return set
}

// zhFillers are question words stripped from Chinese queries before they are split into terms.
var zhFillers = []string{
	"有没有", "有什么", "有哪些", "什么", "哪个", "哪些", "可以", "能够", "用来", "用于", "推荐", "一个", "一些",
	"请问", "我想", "想要", "需要", "怎么", "如何", "工具", "框架", "的库", "库", "包", "吗", "呢", "的", "用", "做", "能", "来", "个",
}

// terms splits text into search terms: stemmed English words without stopwords, and overlapping
// character pairs for Chinese (which has no spaces), with single characters only for one-character runs.
// A query also loses its Chinese question words ("有什么库可以画图" → "画图"); indexed text keeps them,
// since its pairs that span a question word simply never match. Terms are substrings of the
// lowercased text wherever possible, so indexing thousands of phrases allocates little.
func terms(text string, query bool) []string {
	out := make([]string, 0, len(text)/4)
	wordStart, hanStart := -1, -1
	flushWord := func(end int) {
		if wordStart >= 0 {
			w := text[wordStart:end]
			if strings.IndexFunc(w, func(r rune) bool { return unicode.IsUpper(r) || r >= 0x80 }) >= 0 {
				w = foldWidth(strings.ToLower(w))
			}
			if w = stem(w); len(w) > 1 && !stopwords[w] {
				out = append(out, w)
			}
			wordStart = -1
		}
	}
	flushHan := func(end int) {
		if hanStart < 0 {
			return
		}
		run := text[hanStart:end]
		hanStart = -1
		if query {
			for _, f := range zhFillers {
				run = strings.ReplaceAll(run, f, " ")
			}
		}
		for _, part := range strings.Fields(run) {
			out = appendPairs(out, part)
		}
	}
	for i, r := range text {
		switch {
		case isHan(r):
			flushWord(i)
			if hanStart < 0 {
				hanStart = i
			}
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			flushHan(i)
			if wordStart < 0 {
				wordStart = i
			}
		default:
			flushWord(i)
			flushHan(i)
		}
	}
	flushWord(len(text))
	flushHan(len(text))
	return out
}

// appendPairs appends the overlapping two-character substrings of a run of Chinese characters, or the
// run itself when it is a single character.
func appendPairs(out []string, run string) []string {
	first, size := utf8.DecodeRuneInString(run)
	if first == utf8.RuneError || size == len(run) {
		return append(out, run)
	}
	for i := 0; i < len(run); {
		_, a := utf8.DecodeRuneInString(run[i:])
		if i+a >= len(run) {
			break
		}
		_, b := utf8.DecodeRuneInString(run[i+a:])
		out = append(out, run[i:i+a+b])
		i += a
	}
	return out
}

// foldWidth maps full-width ASCII (common from Chinese keyboards) to ASCII, copying only when needed.
func foldWidth(s string) string {
	if !strings.ContainsFunc(s, func(r rune) bool { return r >= 0xFF01 && r <= 0xFF5E }) {
		return s
	}
	return strings.Map(func(r rune) rune {
		if r >= 0xFF01 && r <= 0xFF5E {
			return r - 0xFEE0
		}
		return r
	}, s)
}

// stem strips common English endings so that "plotting", "plots" and "plot", or "scraping" and
// "scrape", meet in one term. It is deliberately crude: both sides of a comparison go through it.
func stem(w string) string {
	if len(w) <= 3 {
		return w
	}
	if strings.Contains(w, "isation") {
		w = strings.Replace(w, "isation", "ization", 1)
	}
	if strings.HasSuffix(w, "ise") {
		w = w[:len(w)-3] + "ize"
	}
	for _, suf := range []string{"ations", "ation", "ings", "ing", "ies", "es", "ed", "ers", "er", "s"} {
		if strings.HasSuffix(w, suf) && len(w)-len(suf) >= 3 {
			base := w[:len(w)-len(suf)]
			if suf == "ies" {
				base += "y"
			}
			if suf == "s" && strings.HasSuffix(base, "s") {
				break // "class", "process"
			}
			w = base
			break
		}
	}
	if n := len(w); n >= 4 && w[n-1] == w[n-2] && !strings.ContainsRune("aeiouls", rune(w[n-1])) {
		w = w[:n-1] // "plott" -> "plot"
	}
	if n := len(w); n > 4 && w[n-1] == 'e' {
		w = w[:n-1]
	}
	return w
}
