package content

import (
	"slices"
	"strings"
	"sync"
)

// KB is a loaded, validated and indexed knowledge base. It is read-only after Load and safe for
// concurrent use by any number of goroutines.
type KB struct {
	topics  []*Topic
	entries []*Entry // sorted by id
	byID    map[string]*Entry
	names   *nameIndex
	topicNm *nameIndex          // topic names, ids and aliases
	search  func() *searchIndex // built in the background; the first search waits for it
}

func newKB(topics []loadedTopic, entries []loadedEntry) *KB {
	kb := &KB{byID: make(map[string]*Entry, len(entries))}
	for _, t := range topics {
		kb.topics = append(kb.topics, t.Topic)
	}
	for _, e := range entries {
		kb.entries = append(kb.entries, e.Entry)
		kb.byID[e.ID] = e.Entry
	}
	slices.SortFunc(kb.entries, func(a, b *Entry) int { return strings.Compare(a.ID, b.ID) })

	// Lookups are what users send most, so Load returns once the name index is built; the search
	// index builds alongside and /find waits for it only if it comes before the index is done.
	done := make(chan *searchIndex, 1)
	go func() { done <- newSearchIndex(kb.entries) }()
	kb.search = sync.OnceValue(func() *searchIndex { return <-done })
	names := make([][]string, len(kb.entries))
	for i, e := range kb.entries {
		names[i] = entryNames(e)
	}
	kb.names = newNameIndex(names)
	tnames := make([][]string, len(kb.topics))
	for i, t := range kb.topics {
		tnames[i] = append([]string{t.ID, t.Name.EN, t.Name.ZH}, t.Aliases...)
	}
	kb.topicNm = newNameIndex(tnames)
	return kb
}

// entryNames lists every name an entry answers to: its id, display names (with and without a
// parenthesised expansion) and aliases.
func entryNames(e *Entry) []string {
	names := []string{e.ID, e.Name}
	if s := stripParens(e.Name); s != e.Name {
		names = append(names, s)
	}
	if e.NameZH != "" {
		names = append(names, e.NameZH)
		if s := stripParens(e.NameZH); s != e.NameZH {
			names = append(names, s)
		}
	}
	return append(names, e.Aliases...)
}

// Entries returns every entry, sorted by id. The slice is shared: do not modify it.
func (kb *KB) Entries() []*Entry { return kb.entries }

// Entry returns the entry with the given id, or nil and false.
func (kb *KB) Entry(id string) (*Entry, bool) {
	e, ok := kb.byID[id]
	return e, ok
}

// Topics returns the topics in the order the content lists them. The slice is shared: do not modify it.
func (kb *KB) Topics() []*Topic { return kb.topics }

// Topic returns the topic with the given id, or nil and false.
func (kb *KB) Topic(id string) (*Topic, bool) {
	for _, t := range kb.topics {
		if t.ID == id {
			return t, true
		}
	}
	return nil, false
}

// TopicEntries returns the entries in the topic, sorted by id.
func (kb *KB) TopicEntries(id string) []*Entry {
	var out []*Entry
	for _, e := range kb.entries {
		if e.InTopic(id) {
			out = append(out, e)
		}
	}
	return out
}

// MatchKind says how a lookup found its entry, so replies can tell the user when a typo was corrected.
type MatchKind int

// Match kinds, from best to worst.
const (
	NoMatch MatchKind = iota
	ExactMatch
	TypoMatch
)

// Match is the result of a name lookup. Entry is set only when one entry clearly matches (exactly, or
// within the typo allowance for the query's length); otherwise Suggestions holds up to three close
// names, which must be presented as suggestions and never as the answer.
type Match struct {
	Kind        MatchKind
	Entry       *Entry
	Suggestions []*Entry
}

// Lookup finds the entry a user means by name: case, spacing and punctuation are ignored, aliases
// count, and small typos are forgiven ("pnadas" finds pandas) with an allowance that grows with the
// length of the name, so short unknown words never match a different library.
func (kb *KB) Lookup(name string) Match {
	r := kb.names.lookup(name, 3)
	m := Match{Kind: NoMatch}
	switch {
	case r.exact >= 0:
		m.Kind, m.Entry = ExactMatch, kb.entries[r.exact]
	case r.typo >= 0:
		m.Kind, m.Entry = TypoMatch, kb.entries[r.typo]
	}
	if m.Entry == nil {
		for _, i := range r.suggestions {
			m.Suggestions = append(m.Suggestions, kb.entries[i])
		}
	}
	return m
}

// Exact finds the entry whose name or alias is name, ignoring case, spacing and punctuation like
// Lookup, but forgiving no typos: the cheap check for "is this text exactly an entry's name?".
func (kb *KB) Exact(name string) (*Entry, bool) {
	if i, ok := kb.names.exact[normalize(name)]; ok {
		return kb.entries[i], true
	}
	return nil, false
}

// ResolveTopic finds a topic by id, English or Chinese name or alias, forgiving small typos ("框架",
// "framworks").
func (kb *KB) ResolveTopic(name string) (*Topic, bool) {
	r := kb.topicNm.lookup(name, 0)
	switch {
	case r.exact >= 0:
		return kb.topics[r.exact], true
	case r.typo >= 0:
		return kb.topics[r.typo], true
	}
	return nil, false
}

// Complete returns up to limit entries with a name that starts with prefix (normalised as Lookup
// normalises), in name order, for autocompletion as the user types. Only a bounded prefix of the
// input is read.
func (kb *KB) Complete(prefix string, limit int) []*Entry {
	var out []*Entry
	for _, i := range kb.names.complete(prefix, limit) {
		out = append(out, kb.entries[i])
	}
	return out
}
