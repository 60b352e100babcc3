package bot

import (
	"strings"
	"unicode"

	"github.com/pybrarian/pybrarian/content"
	"github.com/pybrarian/pybrarian/quiz"
)

// SuggestScope is what Suggest suggests.
type SuggestScope int

// Suggest scopes.
const (
	// SuggestEntries suggests knowledge-base entries, for /lib and inline search.
	SuggestEntries SuggestScope = iota
	// SuggestQuizScopes suggests what /quiz accepts: topics, libraries with cards, and "all".
	SuggestQuizScopes
)

// Suggestion is one autocompletion: Value is what the command takes (an entry or topic id), Label
// what the user reads.
type Suggestion struct {
	Value string
	Label string
}

// Limits of suggestions, Discord's (the stricter platform).
const (
	MaxSuggestions     = 25
	maxSuggestionLabel = 100
	maxSuggestQuery    = 100 // runes of the query read
)

// popular are suggested for an empty query, in this order, where the knowledge base has them: the
// libraries people look up first.
var popular = []string{"requests", "pandas", "numpy", "flask", "django", "fastapi", "matplotlib", "pytest", "scikit-learn", "pydantic"}

// Suggest completes what a user is typing, for platform menus that ask as the user types (Discord
// autocomplete, Telegram inline mode): the entry the text names first, then names it begins, then
// entries whose purpose it describes. It reads no store and its cost is bounded whatever the
// query, so it can answer within any platform deadline.
func (b *Bot) Suggest(query string, lang content.Lang, scope SuggestScope, limit int) []Suggestion {
	limit = min(max(limit, 0), MaxSuggestions)
	query = strings.TrimSpace(ClipRunes(query, maxSuggestQuery))
	if strings.ContainsFunc(query, isHan) {
		lang = content.Chinese
	}
	var out []Suggestion
	seen := map[string]bool{}
	add := func(value, label string) {
		if len(out) < limit && value != "" && !seen[value] {
			seen[value] = true
			out = append(out, Suggestion{Value: value, Label: ClipRunes(label, maxSuggestionLabel)})
		}
	}
	if scope == SuggestQuizScopes {
		b.suggestScopes(query, lang, add)
		return out
	}
	b.suggestEntries(query, lang, add, nil)
	return out
}

// entryLabel is "pandas — tabular data analysis".
func entryLabel(e *content.Entry, lang content.Lang) string {
	label := e.DisplayName(lang)
	if p := e.Quiz.Purpose.In(lang); p != "" {
		label += " — " + strings.ReplaceAll(p, "`", "")
	}
	return label
}

// suggestEntries adds entries for query; keep, when set, filters them.
func (b *Bot) suggestEntries(query string, lang content.Lang, add func(value, label string), keep func(*content.Entry) bool) {
	addEntry := func(e *content.Entry) {
		if e != nil && (keep == nil || keep(e)) {
			add(e.ID, entryLabel(e, lang))
		}
	}
	if query == "" {
		for _, id := range popular {
			e, _ := b.kb.Entry(id)
			addEntry(e)
		}
		for _, e := range b.kb.Entries() {
			addEntry(e)
		}
		return
	}
	addEntry(b.kb.Lookup(query).Entry)
	for _, e := range b.kb.Complete(query, MaxSuggestions) {
		addEntry(e)
	}
	for _, h := range b.kb.Search(query, lang, MaxSuggestions) {
		addEntry(h.Entry)
	}
}

func (b *Bot) suggestScopes(query string, lang content.Lang, add func(value, label string)) {
	bank := b.quiz.Bank()
	addTopic := func(id string) {
		add(id, bank.ScopeName(quiz.Scope{Topic: id}, lang))
	}
	norm := content.Normalize(query)
	matches := func(names ...string) bool {
		for _, n := range names {
			if strings.HasPrefix(content.Normalize(n), norm) {
				return true
			}
		}
		return false
	}
	if t, ok := b.kb.ResolveTopic(query); ok && query != "" {
		addTopic(t.ID)
	}
	if matches(quiz.TopicAll, bank.ScopeName(quiz.Scope{Topic: quiz.TopicAll}, lang)) {
		addTopic(quiz.TopicAll)
	}
	for _, t := range b.kb.Topics() {
		if matches(append([]string{t.ID, t.Name.EN, t.Name.ZH}, t.Aliases...)...) {
			addTopic(t.ID)
		}
	}
	hasCards := func(e *content.Entry) bool { return len(bank.In(quiz.Scope{Entry: e.ID})) > 0 }
	b.suggestEntries(query, lang, add, hasCards)
}

// ClipRunes cuts s to at most n runes, reading no further than it needs: the bound on any text
// the bot echoes or puts in a platform field with a length limit.
func ClipRunes(s string, n int) string {
	i := 0
	for j := range s {
		if i == n {
			return s[:j]
		}
		i++
	}
	return s
}

// clip shortens user text that is echoed back to n runes, marking the cut with "…": a reply never
// grows with what a user sends.
func clip(s string, n int) string {
	if len(ClipRunes(s, n)) == len(s) {
		return s
	}
	return ClipRunes(s, n-1) + "…"
}

func isHan(r rune) bool { return unicode.Is(unicode.Han, r) }
