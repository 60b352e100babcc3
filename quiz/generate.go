package quiz

import (
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/pybrarian/pybrarian/content"
)

// maxDistractors is how many wrong answers a card offers besides "I don't know".
const maxDistractors = 3

// maxExplain is the longest explanation the generator composes: what a Telegram quiz poll shows.
const maxExplain = 200

// Problem is a fact the generator could not turn into a sound card, reported by `bot lint`. A
// warning is a card left out on purpose (a purpose line that names its entry, say): the bank is
// sound, but the content writer may want to reword.
type Problem struct {
	Entry   string // entry id
	File    string // the entry's source file
	Msg     string
	Warning bool
}

func (p Problem) String() string {
	if p.Warning {
		return fmt.Sprintf("%s: %s: warning: %s", p.File, p.Entry, p.Msg)
	}
	return fmt.Sprintf("%s: %s: %s", p.File, p.Entry, p.Msg)
}

// generator builds the cards of one knowledge base.
type generator struct {
	kb       *content.KB
	sibs     map[string][]*content.Entry // entries sharing a topic, per entry id
	normed   map[string]string
	names    map[string]content.Names    // giveaway names, per entry id
	holders  map[string][]*content.Entry // trait key → entries with that trait
	contrast map[string]map[string]bool  // trait key → keys of traits that exclude it
	newest   int                         // the newest decade any entry first appeared in
	// Memos: the generator compares the same texts many times.
	words    map[string][]string        // content words of a text (Similar)
	parts    map[string][]string        // Parts of a choice
	scans    map[string]content.Scanned // a text, lowercased and split into words (named)
	cards    []*Card
	problems []Problem
}

func newGenerator(kb *content.KB) *generator {
	g := &generator{
		kb: kb, normed: map[string]string{}, names: map[string]content.Names{},
		holders: map[string][]*content.Entry{}, contrast: map[string]map[string]bool{},
		words: map[string][]string{}, parts: map[string][]string{}, scans: map[string]content.Scanned{},
	}
	link := func(a, b string) {
		if g.contrast[a] == nil {
			g.contrast[a] = map[string]bool{}
		}
		g.contrast[a][b] = true
	}
	for _, e := range kb.Entries() {
		for _, t := range e.Quiz.Traits {
			g.holders[t.Key] = append(g.holders[t.Key], e)
			for _, c := range t.Contrasts {
				link(t.Key, c)
				link(c, t.Key)
			}
		}
		g.newest = max(g.newest, decade(e.Quiz.Facts.Year))
	}
	return g
}

// siblings returns the entries sharing a topic with e, ordered by a hash of (seed, sibling) so the
// choice of distractors is stable for a given knowledge base yet varies from card to card. Peers
// (entries sharing a trait with e) come first, then entries of the same kind: a framework question
// is best answered among similar frameworks. Concepts and libraries are never each other's
// siblings: "which library is this?" is no question for a concept.
func (g *generator) siblings(e *content.Entry, seed string) []*content.Entry {
	base, ok := g.sibs[e.ID]
	if !ok {
		for _, o := range g.kb.Entries() {
			if o.ID != e.ID && slices.ContainsFunc(e.Topics, o.InTopic) &&
				(o.Kind == content.KindConcept) == (e.Kind == content.KindConcept) {
				base = append(base, o)
			}
		}
		if g.sibs == nil {
			g.sibs = map[string][]*content.Entry{}
		}
		g.sibs[e.ID] = base
	}
	type keyed struct {
		e          *content.Entry
		peer, same bool
		h          uint64
	}
	ks := make([]keyed, len(base))
	for i, o := range base {
		ks[i] = keyed{o, holdsSharedTrait(e, o), o.Kind == e.Kind, mix(seed, o.ID)}
	}
	first := func(x, y bool) int {
		switch {
		case x == y:
			return 0
		case x:
			return -1
		}
		return 1
	}
	slices.SortFunc(ks, func(a, b keyed) int {
		if c := first(a.peer, b.peer); c != 0 {
			return c
		}
		if c := first(a.same, b.same); c != 0 {
			return c
		}
		return byHash(a.h, b.h, a.e.ID, b.e.ID)
	})
	out := make([]*content.Entry, len(ks))
	for i, k := range ks {
		out[i] = k.e
	}
	return out
}

// strangers are the entries that are not e's siblings (nor e), only those of e's sort (concepts for
// a concept, packages for a package) unless anySort. The closest come first — related to e, then
// related to what e is related to, so pandas meets JAX (both relate to NumPy) before Celery — and
// otherwise in a stable pseudo-random order.
func (g *generator) strangers(e *content.Entry, seed string, anySort bool) []*content.Entry {
	sibs := g.siblings(e, seed)
	type keyed struct {
		e         *content.Entry
		closeness int
		h         uint64
	}
	var ks []keyed
	for _, o := range g.kb.Entries() {
		sameSort := (o.Kind == content.KindConcept) == (e.Kind == content.KindConcept)
		if o.ID != e.ID && !slices.Contains(sibs, o) && (anySort || sameSort) {
			ks = append(ks, keyed{o, closeness(e, o), mix(seed, o.ID)})
		}
	}
	slices.SortFunc(ks, func(a, b keyed) int {
		if a.closeness != b.closeness {
			return b.closeness - a.closeness
		}
		return byHash(a.h, b.h, a.e.ID, b.e.ID)
	})
	out := make([]*content.Entry, len(ks))
	for i, k := range ks {
		out[i] = k.e
	}
	return out
}

// closeness is 2 when a and b list each other (either way) as related, 1 when they list a related
// entry in common, 0 otherwise.
func closeness(a, b *content.Entry) int {
	switch {
	case slices.Contains(a.Related, b.ID) || slices.Contains(b.Related, a.ID):
		return 2
	case slices.ContainsFunc(a.Related, func(id string) bool { return slices.Contains(b.Related, id) }):
		return 1
	}
	return 0
}

// byHash orders by hash, then by id for the (unlikely) equal hashes: a stable pseudo-random order.
func byHash(ha, hb uint64, a, b string) int {
	switch {
	case ha < hb:
		return -1
	case ha > hb:
		return 1
	}
	return strings.Compare(a, b)
}

// mix hashes strings into a number for stable pseudo-random orders (FNV-1a: fixed forever, so
// distractor choices and choice orders never change between releases by accident).
func mix(parts ...string) uint64 {
	const offset, prime = 14695981039346656037, 1099511628211
	h := uint64(offset)
	for i, p := range parts {
		if i > 0 {
			h *= prime // a zero byte between parts: h ^= 0 is a no-op
		}
		for j := 0; j < len(p); j++ {
			h ^= uint64(p[j])
			h *= prime
		}
	}
	return h
}

// holdsSharedTrait reports whether a and b both have one trait: they are peers, of which each
// one's other traits make plausible false statements about the other.
func holdsSharedTrait(a, b *content.Entry) bool {
	for _, t := range a.Quiz.Traits {
		if slices.ContainsFunc(b.Quiz.Traits, func(o content.Trait) bool { return o.Key == t.Key }) {
			return true
		}
	}
	return false
}

// sharesTrait reports whether b has, wholly or partly, one of a's traits, or a one of b's.
func sharesTrait(a, b *content.Entry) bool {
	for _, t := range a.Quiz.Traits {
		if b.Quiz.Touches(t.Key) {
			return true
		}
	}
	for _, t := range b.Quiz.Traits {
		if a.Quiz.Touches(t.Key) {
			return true
		}
	}
	return false
}

// norm is content.Normalize, memoised: the generator compares the same texts many times.
func (g *generator) norm(s string) string {
	n, ok := g.normed[s]
	if !ok {
		n = content.Normalize(s)
		g.normed[s] = n
	}
	return n
}

// giveaway returns the words that give e away (content.Entry.GiveawayNames), memoised.
func (g *generator) giveaway(e *content.Entry) content.Names {
	n, ok := g.names[e.ID]
	if !ok {
		n = e.GiveawayNames()
		g.names[e.ID] = n
	}
	return n
}

// named reports the word of e's names that t contains in either language, or "".
func (g *generator) named(e *content.Entry, t content.Text) string {
	n := g.giveaway(e)
	if w := n.InScanned(g.scan(t.EN)); w != "" {
		return w
	}
	return n.InScanned(g.scan(t.ZH))
}

// scan is content.Scan, memoised: the same texts are checked against the names of every entry.
func (g *generator) scan(s string) content.Scanned {
	sc, ok := g.scans[s]
	if !ok {
		sc = content.Scan(s)
		g.scans[s] = sc
	}
	return sc
}

// partsOf is Parts, memoised.
func (g *generator) partsOf(s string) []string {
	p, ok := g.parts[s]
	if !ok {
		p = Parts(s)
		g.parts[s] = p
	}
	return p
}

// similar is Similar, memoised.
func (g *generator) similar(a, b content.Text) bool {
	return similarWords(g.wordsOf(a.EN), g.wordsOf(b.EN))
}

// wordsOf is contentWords, memoised.
func (g *generator) wordsOf(s string) []string {
	w, ok := g.words[s]
	if !ok {
		w = contentWords(s)
		g.words[s] = w
	}
	return w
}

// clash reports whether a wrong choice c would be partly right or read the same as the answer (or
// as another choice) a: the same text in either language, or an item in common ("NumPy" against
// "NumPy and SciPy").
func (g *generator) clash(a, c content.Text) bool {
	if g.norm(a.EN) == g.norm(c.EN) || g.norm(a.ZH) == g.norm(c.ZH) {
		return true
	}
	return Overlap(g.partsOf(a.EN), g.partsOf(c.EN)) || Overlap(g.partsOf(a.ZH), g.partsOf(c.ZH))
}

// choices assembles answer-first choices, dropping candidates that clash with the answer or with an
// earlier candidate, and stopping at maxDistractors.
func (g *generator) choices(answer content.Text, candidates []content.Text) []content.Text {
	out := []content.Text{answer}
	for _, c := range candidates {
		if len(out) > maxDistractors {
			break
		}
		if c.IsZero() || slices.ContainsFunc(out, func(o content.Text) bool { return g.clash(o, c) }) {
			continue
		}
		out = append(out, c)
	}
	return out
}

// entryChoices is choices over entries' names, checking keep only for the entries it gets to: the
// same choices as filtering first, without testing siblings that would never be offered.
func (g *generator) entryChoices(answer content.Text, candidates []*content.Entry, keep func(*content.Entry) bool) []content.Text {
	out := []content.Text{answer}
	for _, o := range candidates {
		if len(out) > maxDistractors {
			break
		}
		c := entryName(o)
		if c.IsZero() || slices.ContainsFunc(out, func(x content.Text) bool { return g.clash(x, c) }) || !keep(o) {
			continue
		}
		out = append(out, c)
	}
	return out
}

// card is what the generator knows of a card before adding it.
type card struct {
	kind    Kind
	key     string // part of the id: the fact key, trait key, question key…
	fact    string // what it tests, when that is not key
	answer  *content.Entry
	prompt  content.Text
	choices []content.Text
	explain content.Text
}

func (g *generator) add(e *content.Entry, c card) {
	if len(c.choices) < 2 {
		return // no distinct wrong answer exists among the siblings: no card rather than a bad one
	}
	fact := c.fact
	if fact == "" {
		fact = c.key
	}
	out := &Card{
		ID: CardID(e.ID, c.key, c.kind), Entry: e.ID, Kind: c.kind, Key: c.key, Fact: e.ID + "/" + fact,
		Topics: e.Topics, Prompt: c.prompt, Choices: c.choices, Explain: c.explain,
	}
	if c.answer != nil {
		out.AnswerEntry = c.answer.ID
	}
	g.cards = append(g.cards, out)
}

func (g *generator) problem(e *content.Entry, format string, args ...any) {
	g.problems = append(g.problems, Problem{Entry: e.ID, File: e.Source, Msg: fmt.Sprintf(format, args...)})
}

func (g *generator) warn(e *content.Entry, format string, args ...any) {
	g.problems = append(g.problems, Problem{Entry: e.ID, File: e.Source, Msg: fmt.Sprintf(format, args...), Warning: true})
}

func names(es []*content.Entry) []content.Text {
	out := make([]content.Text, len(es))
	for i, e := range es {
		out[i] = entryName(e)
	}
	return out
}

func entryName(e *content.Entry) content.Text {
	return content.Text{EN: e.DisplayName(content.English), ZH: e.DisplayName(content.Chinese)}
}

// sentence makes "<Name> <predicate>." and "<名称><谓语>。", with the spacing Chinese text
// puts between Latin and Chinese characters.
func sentence(name, predicate content.Text) content.Text {
	return content.Text{
		EN: name.EN + " " + predicate.EN + ".",
		ZH: content.JoinZH(name.ZH, predicate.ZH) + "。",
	}
}

// fit returns the first text that fits a quiz poll's explanation in both languages, or the last.
func fit(texts ...content.Text) content.Text {
	for _, t := range texts {
		if utf8.RuneCountInString(t.EN) <= maxExplain && utf8.RuneCountInString(t.ZH) <= maxExplain {
			return t
		}
	}
	return texts[len(texts)-1]
}

// generate turns every entry's quiz facts into cards.
func (g *generator) generate() {
	g.nearDuplicates()
	for _, e := range g.kb.Entries() {
		g.identify(e)
		g.purpose(e)
		g.traits(e)
		g.falseStatements(e)
		g.facts(e)
		g.status(e)
		g.questions(e)
	}
}

// nearDuplicates warns about traits of different keys that read alike: if they state one property,
// it should be declared once in traits.yaml, or the quiz will offer one holder as a wrong answer for
// the other.
func (g *generator) nearDuplicates() {
	type owned struct {
		e *content.Entry
		t content.Trait
	}
	var all []owned
	seen := map[string]bool{}
	for _, e := range g.kb.Entries() {
		for _, t := range e.Quiz.Traits {
			if !seen[t.Key] {
				seen[t.Key] = true
				all = append(all, owned{e, t})
			}
		}
	}
	// Only traits with a word in common can be similar: an index from word to the traits using it
	// finds them without comparing every pair.
	using := map[string][]int{}
	for i, a := range all {
		later := map[int]bool{}
		for _, w := range g.wordsOf(a.t.EN) {
			for _, j := range using[w] {
				later[j] = true
			}
			using[w] = append(using[w], i)
		}
		for _, j := range slices.Sorted(maps.Keys(later)) {
			b := all[j]
			if a.e.ID != b.e.ID && g.similar(b.t.Text, a.t.Text) {
				g.warn(b.e, "trait %q reads like %s's trait %q: if they say the same thing, declare one shared trait in traits.yaml", b.t.Key, a.e.ID, a.t.Key)
			}
		}
	}
}

var kindNoun = map[content.Kind]content.Text{
	content.KindLibrary:   {EN: "library", ZH: "库"},
	content.KindFramework: {EN: "framework", ZH: "框架"},
	content.KindTool:      {EN: "tool", ZH: "工具"},
	content.KindConcept:   {EN: "concept", ZH: "概念"},
}

// mentioned reports whether t names o: a wrong choice the question itself names is no real choice.
func (g *generator) mentioned(o *content.Entry, t content.Text) bool { return g.named(o, t) != "" }

func (g *generator) identify(e *content.Entry) {
	noun := kindNoun[e.Kind]
	prompt := content.Text{
		EN: fmt.Sprintf("Which %s is this? %s", noun.EN, e.Quiz.Clue.EN),
		ZH: fmt.Sprintf("这是哪个%s？%s", noun.ZH, e.Quiz.Clue.ZH),
	}
	// A sibling sharing a trait might also fit the description.
	choices := g.entryChoices(entryName(e), g.siblings(e, "identify:"+e.ID), func(o *content.Entry) bool {
		return !sharesTrait(e, o) && !g.mentioned(o, e.Quiz.Clue.Text)
	})
	explain := e.Quiz.Clue.Why
	if explain.IsZero() {
		explain = e.Summary
	}
	g.add(e, card{kind: KindIdentify, key: "clue", answer: e, prompt: prompt, choices: choices, explain: explain})
}

func (g *generator) purpose(e *content.Entry) {
	if w := g.named(e, e.Quiz.Purpose); w != "" {
		g.warn(e, "purpose %q contains %q, which names the entry: no \"what is it for?\" card", e.Quiz.Purpose.EN, w)
		return
	}
	var cands []content.Text
	for _, o := range g.siblings(e, "purpose:"+e.ID) {
		if !sharesTrait(e, o) { // siblings with a shared trait tend to serve the same purpose
			cands = append(cands, o.Quiz.Purpose)
		}
	}
	name := entryName(e)
	prompt := content.Text{
		EN: fmt.Sprintf("What is %s mainly used for?", name.EN),
		ZH: content.JoinZH(name.ZH, "主要用来做什么？"),
	}
	if e.Kind == content.KindConcept {
		prompt = content.Text{
			EN: fmt.Sprintf("What is %s about?", name.EN),
			ZH: content.JoinZH(name.ZH, "讲的是什么？"),
		}
	}
	g.add(e, card{kind: KindPurpose, key: "purpose", prompt: prompt,
		choices: g.choices(e.Quiz.Purpose, cands), explain: e.Summary})
}

var (
	trueText  = content.Text{EN: "True", ZH: "对"}
	falseText = content.Text{EN: "False", ZH: "错"}
)

func statement(name, predicate content.Text) content.Text {
	s := sentence(name, predicate)
	return content.Text{EN: "True or false: " + s.EN, ZH: "判断对错：" + s.ZH}
}

// traitFact is the fact a trait tests: its own key, or the fact it is about.
func traitFact(t content.Trait) string {
	if t.About != "" {
		return t.About
	}
	return t.Key
}

// traits makes, per trait, a true statement and — for a trait no other entry has — a "which of these"
// question. A trait that repeats the entry's name makes neither: the statement would be a tautology
// and the question would answer itself.
func (g *generator) traits(e *content.Entry) {
	name := entryName(e)
	for _, t := range e.Quiz.Traits {
		if w := g.named(e, t.Text); w != "" && t.NameOK == "" {
			g.warn(e, "trait %q contains %q, which names the entry: no card", t.Key, w)
			continue
		}
		explain := t.Why
		if explain.IsZero() {
			explain = sentence(name, t.Text)
		}
		g.add(e, card{kind: KindTrue, key: t.Key, fact: traitFact(t), prompt: statement(name, t.Text),
			choices: []content.Text{trueText, falseText}, explain: explain})

		if len(g.holders[t.Key]) > 1 {
			continue // the same question would have a different answer for each entry that has it
		}
		prompt := content.JoinZH("以下哪一个", t.ZH)
		q := content.Text{EN: fmt.Sprintf("Which of these %s?", t.EN), ZH: prompt + "？"}
		choices := g.entryChoices(name, g.siblings(e, "which:"+e.ID+":"+t.Key), func(o *content.Entry) bool {
			return !o.Quiz.Touches(t.Key) && !g.mentioned(o, q) && !g.hasSimilarTrait(o, t.Text)
		})
		g.add(e, card{kind: KindWhich, key: t.Key, fact: traitFact(t), answer: e, prompt: q, choices: choices, explain: explain})
	}
}

// hasSimilarTrait reports whether o states something close to t under another key: then o is no
// safe wrong answer for t, nor t a safe false statement about o.
func (g *generator) hasSimilarTrait(o *content.Entry, t content.Text) bool {
	return slices.ContainsFunc(o.Quiz.Traits, func(ot content.Trait) bool { return g.similar(ot.Text, t) })
}

// falseStatements states the entry's myths, then borrows traits the entry does not have from
// siblings of the same sort — traits that contrast with one of its own first, then traits of its
// peers (siblings sharing a trait with it, so the statement stays plausible) — until false
// statements are about as many as true ones. Concepts borrow nothing: one concept's property stated
// of another is a category error, so their false statements are written by hand as myths.
func (g *generator) falseStatements(e *content.Entry) {
	name := entryName(e)
	for _, m := range e.Quiz.Myths {
		fact := m.About
		if fact == "" {
			fact = m.Key
		}
		g.add(e, card{kind: KindFalse, key: m.Key, fact: fact, prompt: statement(name, m.Text),
			choices: []content.Text{falseText, trueText}, explain: m.Truth})
	}
	if e.Kind == content.KindConcept {
		return
	}
	want := 0
	for _, c := range g.cards {
		if c.Entry == e.ID && c.Kind == KindTrue {
			want++
		}
	}
	want = max(want-len(e.Quiz.Myths), 0)
	if want == 0 && len(e.Quiz.Myths) == 0 {
		want = 1
	}
	type borrowed struct {
		owner    *content.Entry
		trait    content.Trait
		contrast *content.Trait // the entry's own trait it contrasts with, if any
		h        uint64
	}
	var cands []borrowed
	seen := map[string]bool{}
	for _, o := range g.siblings(e, "false:"+e.ID) {
		peer := holdsSharedTrait(e, o)
		for _, ot := range o.Quiz.Traits {
			if seen[ot.Key] || e.Quiz.Touches(ot.Key) {
				continue
			}
			b := borrowed{owner: o, trait: ot, h: mix("false", e.ID, ot.Key)}
			for i, own := range e.Quiz.Traits {
				if g.contrast[ot.Key][own.Key] {
					b.contrast = &e.Quiz.Traits[i]
					break
				}
			}
			if b.contrast == nil && !peer || g.named(e, ot.Text) != "" || g.named(o, ot.Text) != "" ||
				g.hasSimilarTrait(e, ot.Text) || g.statedAsMyth(e, ot) {
				continue
			}
			seen[ot.Key] = true
			cands = append(cands, b)
		}
	}
	slices.SortFunc(cands, func(a, b borrowed) int {
		if (a.contrast != nil) != (b.contrast != nil) {
			if a.contrast != nil {
				return -1
			}
			return 1
		}
		return byHash(a.h, b.h, a.trait.Key, b.trait.Key)
	})
	for _, b := range cands[:min(want, len(cands))] {
		owners := listNames(b.owner, g.holders[b.trait.Key])
		head := content.Text{
			EN: fmt.Sprintf("That describes %s, not %s.", owners.EN, name.EN),
			ZH: content.JoinZH("这说的是", owners.ZH) + "，" + content.JoinZH("不是", name.ZH) + "。",
		}
		fact := "not:" + b.trait.Key
		var instead content.Text
		key := content.FactKey(b.trait.About)
		atoms, hasFact := e.Quiz.Facts.Get(key)
		switch {
		case b.contrast != nil:
			fact = traitFact(*b.contrast)
			instead = sentence(name, b.contrast.Text)
		case hasFact:
			// "Transformers was created at Meta" is best answered by who did create it.
			fact = factKeyName(key)
			instead = g.factExplain(e, key, atoms.Text())
		default:
			instead = purposeSentence(name, e.Quiz.Purpose)
		}
		explain := fit(content.Text{EN: head.EN + " " + instead.EN, ZH: head.ZH + instead.ZH}, head)
		g.add(e, card{kind: KindFalse, key: "not:" + b.trait.Key, fact: fact, prompt: statement(name, b.trait.Text),
			choices: []content.Text{falseText, trueText}, explain: explain})
	}
}

// listNames names the entries that hold a borrowed trait, first the one it was borrowed from: "PyQt6
// and PySide6", "PyTorch, JAX and others" ("PyQt6 和 PySide6", "PyTorch、JAX 等"). Naming only
// one holder of a shared trait would suggest that it alone has it.
func listNames(first *content.Entry, holders []*content.Entry) content.Text {
	es := []*content.Entry{first}
	for _, h := range holders {
		if h != first {
			es = append(es, h)
		}
	}
	var en, zh []string
	for _, e := range es[:min(len(es), 3)] {
		n := entryName(e)
		en, zh = append(en, n.EN), append(zh, n.ZH)
	}
	switch {
	case len(es) == 1:
		return content.Text{EN: en[0], ZH: zh[0]}
	case len(es) > 3:
		en, zh = en[:2], zh[:2]
		return content.Text{EN: strings.Join(en, ", ") + " and others", ZH: content.JoinZH(strings.Join(zh, "、"), "等")}
	}
	last := len(en) - 1
	return content.Text{
		EN: strings.Join(en[:last], ", ") + " and " + en[last],
		ZH: content.JoinZH(content.JoinZH(strings.Join(zh[:last], "、"), "和"), zh[last]),
	}
}

// statedAsMyth reports whether one of e's myths already says t falsely: a myth about "not:<key>",
// or one that reads like t.
func (g *generator) statedAsMyth(e *content.Entry, t content.Trait) bool {
	return slices.ContainsFunc(e.Quiz.Myths, func(m content.Myth) bool {
		return m.About == "not:"+t.Key || g.similar(m.Text, t.Text)
	})
}

// purposeSentence says what an entry is for: "What Flask is for: small web apps…",
// "Flask 的用途是：…".
func purposeSentence(name, purpose content.Text) content.Text {
	en := strings.ReplaceAll(purpose.EN, ": ", " — ") // one colon a sentence
	zh := strings.ReplaceAll(purpose.ZH, "：", "——")
	return content.Text{
		EN: fmt.Sprintf("What %s is for: %s.", name.EN, lowerFirst(en)),
		ZH: content.JoinZH(name.ZH, "的用途是："+zh+"。"),
	}
}

// lowerFirst lowercases the first letter of a phrase unless its first word is an acronym or a
// name ("Async HTTP requests" → "async HTTP requests"; "JIT-compiling…", "OpenGL windows" and
// "GTK apps" stay as they are).
func lowerFirst(s string) string {
	word, _, _ := strings.Cut(s, " ")
	r, n := utf8.DecodeRuneInString(word)
	if !unicode.IsUpper(r) || strings.ContainsFunc(word[n:], unicode.IsUpper) {
		return s
	}
	return string(unicode.ToLower(r)) + s[n:]
}

var factPrompts = map[content.FactKey]content.Text{
	content.FactCreator:      {EN: "Who created %s?", ZH: "是谁创建的？"},
	content.FactOrganisation: {EN: "Which organisation is behind %s?", ZH: "背后是哪个组织？"},
	content.FactYear:         {EN: "In which decade was %s first released?", ZH: "是在哪个年代首次发布的？"},
	content.FactBuiltOn:      {EN: "What is %s built on?", ZH: "是基于什么构建的？"},
	content.FactWrittenIn:    {EN: "What is %s mainly written in?", ZH: "主要是用什么语言编写的？"},
}

var conceptYearPrompt = content.Text{EN: "In which decade was %s first described?", ZH: "是在哪个年代首次提出的？"}

// factNames are the fact keys as cards name them ("pandas/created").
var factNames = map[content.FactKey]string{content.FactYear: "created"}

// factKeyName is the fact key as cards name it.
func factKeyName(key content.FactKey) string {
	if n := factNames[key]; n != "" {
		return n
	}
	return string(key)
}

// factSentences state a fact when the entry gives no origin or internals sentence.
var factSentences = map[content.FactKey]content.Text{
	content.FactCreator:      {EN: "%s was created by %s.", ZH: "由 %s 创建。"},
	content.FactOrganisation: {EN: "%s comes from %s.", ZH: "出自 %s。"},
	content.FactBuiltOn:      {EN: "%s is built on %s.", ZH: "构建在 %s 之上。"},
	content.FactWrittenIn:    {EN: "%s is mainly written in %s.", ZH: "主要用 %s 编写。"},
}

func (g *generator) facts(e *content.Entry) {
	name := entryName(e)
	for _, key := range content.FactKeys {
		atoms, ok := e.Quiz.Facts.Get(key)
		if !ok {
			continue
		}
		var answer content.Text
		var cands []content.Text
		switch key {
		case content.FactYear:
			answer, cands = decades(e.Quiz.Facts.Year, g.newest)
		case content.FactCreator:
			if !atoms.Notable() {
				continue // people are asked about only when learners can be expected to know them
			}
			fallthrough
		default:
			answer = atoms.Text()
			if w := g.named(e, answer); w != "" {
				g.warn(e, "%s %q contains %q, which names the entry: no card", key, answer.EN, w)
				continue
			}
			if key == content.FactWrittenIn && len(atoms) == 1 && g.norm(atoms[0].EN) == "python" {
				g.warn(e, "written_in is only Python: no card (every package is written in Python)")
				continue
			}
			// Siblings' values first; when they give too few (few siblings name notable people, or
			// record what they are built on), another entry's of the same sort may do, and for people
			// any entry's: a concept's author is as plausible a wrong answer as a library's.
			// Languages are not: a stranger's "Cython" is half right for NumPy, so the fixed
			// fallbacks below stand in for them.
			seed := "fact:" + e.ID + ":" + string(key)
			values := func(pool []*content.Entry) {
				for _, o := range pool {
					vs, ok := o.Quiz.Facts.Get(key)
					if !ok || key == content.FactCreator && !vs.Notable() || overlaps(atoms, vs) || g.named(e, vs.Text()) != "" ||
						halfRight(e, vs) {
						continue // another entry's value that names this one ("built on Matplotlib") is no choice
					}
					cands = append(cands, vs.Text())
				}
			}
			values(g.siblings(e, seed))
			if key != content.FactWrittenIn && len(g.choices(answer, cands)) <= maxDistractors {
				values(g.strangers(e, seed, key == content.FactCreator))
			}
			if key == content.FactWrittenIn {
				for _, lang := range fallbackLanguages {
					if !overlaps(atoms, content.Atoms{lang}) {
						cands = append(cands, lang.Text())
					}
				}
			}
		}
		p := factPrompts[key]
		if key == content.FactYear && e.Kind == content.KindConcept {
			p = conceptYearPrompt // an idea is described, not released
		}
		prompt := content.Text{EN: fmt.Sprintf(p.EN, name.EN), ZH: content.JoinZH(name.ZH, p.ZH)}
		fact := factKeyName(key)
		g.add(e, card{kind: KindFact, key: string(key), fact: fact, prompt: prompt,
			choices: g.choices(answer, cands), explain: g.factExplain(e, key, answer)})
	}
}

// fallbackLanguages are wrong answers for "what is X mainly written in?" when the siblings record
// too few other languages.
var fallbackLanguages = []content.Atom{{EN: "Rust", ZH: "Rust"}, {EN: "C++", ZH: "C++"}, {EN: "Go", ZH: "Go"}, {EN: "Java", ZH: "Java"}}

// factExplain states the fact with its context: the entry's origin sentence for who, where and when,
// its internals sentence for what it is built on and in. Without them, a plain sentence states it.
func (g *generator) factExplain(e *content.Entry, key content.FactKey, answer content.Text) content.Text {
	name := entryName(e)
	var context content.Text
	switch key {
	case content.FactCreator, content.FactOrganisation, content.FactYear:
		context = e.Quiz.Origin
	default:
		context = e.Quiz.Internals
	}
	if key == content.FactYear {
		if context.IsZero() {
			y := strconv.Itoa(e.Quiz.Facts.Year)
			context = content.Text{
				EN: fmt.Sprintf("%s was first released in %s.", name.EN, y),
				ZH: content.JoinZH(name.ZH, "于 "+y+" 年首次发布。"),
			}
		}
		return content.Text{EN: answer.EN + ": " + context.EN, ZH: answer.ZH + "：" + context.ZH}
	}
	if !context.IsZero() {
		return context
	}
	s := factSentences[key]
	return content.Text{EN: fmt.Sprintf(s.EN, name.EN, answer.EN), ZH: content.JoinZH(name.ZH, fmt.Sprintf(s.ZH, answer.ZH))}
}

// overlaps reports whether two facts share an atom, in either language.
// halfRight reports whether a wrong answer made of vs would be half right for e: one of its atoms
// is something e uses (quiz.facts.uses: pandas plots through Matplotlib), or is named in e's summary
// or purpose, which the learner has just read ("What is JAX built on? NumPy" when JAX is "NumPy-style
// array code").
func halfRight(e *content.Entry, vs content.Atoms) bool {
	return slices.ContainsFunc(vs, func(a content.Atom) bool {
		return e.Quiz.Facts.Uses.Has(a) || content.HasWord(e.Summary.EN, a.EN) || content.HasWord(e.Quiz.Purpose.EN, a.EN)
	})
}

func overlaps(a, b content.Atoms) bool {
	for _, x := range a {
		for _, y := range b {
			if content.Normalize(x.EN) == content.Normalize(y.EN) || content.Normalize(x.ZH) == content.Normalize(y.ZH) {
				return true
			}
		}
	}
	return false
}

func decade(year int) int { return year / 10 * 10 }

// decadeText names a decade: "2000s", "2000 年代".
func decadeText(d int) content.Text {
	return content.Text{EN: fmt.Sprintf("%ds", d), ZH: fmt.Sprintf("%d 年代", d)}
}

// decades returns the decade of year and, as wrong answers, the decades around it, never after the
// newest decade of the knowledge base: asking the decade teaches the era without a year's trivia.
func decades(year, newest int) (content.Text, []content.Text) {
	d := decade(year)
	var wrong []content.Text
	for _, off := range []int{-10, 10, 20, -20, -30} {
		if w := d + off; w <= newest && len(wrong) < maxDistractors {
			wrong = append(wrong, decadeText(w))
		}
	}
	return decadeText(d), wrong
}

var (
	pluralNoun = map[content.Kind]content.Text{
		content.KindLibrary:   {EN: "libraries", ZH: "库"},
		content.KindFramework: {EN: "frameworks", ZH: "框架"},
		content.KindTool:      {EN: "tools", ZH: "工具"},
		content.KindConcept:   {EN: "concepts", ZH: "概念"},
	}
	statusPhrase = map[content.Status]content.Text{
		content.StatusUnmaintained: {EN: "is no longer maintained", ZH: "已无人维护"},
		content.StatusDiscontinued: {EN: "has been discontinued", ZH: "已停止开发"},
		content.StatusSuperseded:   {EN: "has been superseded", ZH: "已被取代"},
	}
)

func (g *generator) status(e *content.Entry) {
	if !e.Status.Retired() {
		return
	}
	var active []*content.Entry
	for _, o := range g.siblings(e, "status:"+e.ID) {
		if o.Status == content.StatusActive && o.Kind == e.Kind {
			active = append(active, o)
		}
	}
	noun, phrase := pluralNoun[e.Kind], statusPhrase[e.Status]
	prompt := content.Text{
		EN: fmt.Sprintf("Which of these %s %s?", noun.EN, phrase.EN),
		ZH: "以下哪一个" + noun.ZH + phrase.ZH + "？",
	}
	head := sentence(entryName(e), phrase)
	explain := fit(content.Text{EN: head.EN + " " + e.StatusNote.EN, ZH: head.ZH + e.StatusNote.ZH}, head)
	g.add(e, card{kind: KindStatus, key: "retired", fact: "status", answer: e, prompt: prompt,
		choices: g.choices(entryName(e), names(active)), explain: explain})
}

func (g *generator) questions(e *content.Entry) {
	for _, q := range e.Quiz.Questions {
		ch := []content.Text{q.Answer}
		for _, w := range q.Wrong {
			if slices.ContainsFunc(ch, func(o content.Text) bool {
				return g.norm(o.EN) == g.norm(w.EN) || g.norm(o.ZH) == g.norm(w.ZH) ||
					Nested(g.partsOf(o.EN), g.partsOf(w.EN)) || Nested(g.partsOf(o.ZH), g.partsOf(w.ZH))
			}) {
				g.problem(e, "question %q: choice %q is not distinct from another choice, or is part of it", q.Key, w.EN)
				continue
			}
			ch = append(ch, w)
		}
		answer, _ := g.kb.Exact(q.Answer.EN)
		fact := q.About
		if fact == "" {
			fact = q.Key
		}
		g.add(e, card{kind: KindQuestion, key: q.Key, fact: fact, answer: answer, prompt: q.Q, choices: ch, explain: q.Explain})
	}
}
