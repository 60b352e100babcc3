package quiz

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/pybrarian/pybrarian/content"
)

// maxDistractors is how many wrong answers a card offers besides "I don't know".
const maxDistractors = 3

// Problem is a fact the generator could not turn into a sound card, reported by `bot lint`.
type Problem struct {
	Entry string // entry id
	File  string // the entry's source file
	Msg   string
}

func (p Problem) String() string { return fmt.Sprintf("%s: %s: %s", p.File, p.Entry, p.Msg) }

// generator builds the cards of one knowledge base.
type generator struct {
	kb       *content.KB
	sibs     map[string][]*content.Entry // entries sharing a topic, per entry id
	normed   map[string]string
	cards    []*Card
	problems []Problem
}

// siblings returns the entries sharing a topic with e, ordered by a hash of (seed, sibling) so the
// choice of distractors is stable for a given knowledge base yet varies from card to card. Entries
// of the same kind come first: a framework question is best answered among frameworks.
func (g *generator) siblings(e *content.Entry, seed string) []*content.Entry {
	base, ok := g.sibs[e.ID]
	if !ok {
		for _, o := range g.kb.Entries() {
			if o.ID != e.ID && slices.ContainsFunc(e.Topics, o.InTopic) {
				base = append(base, o)
			}
		}
		if g.sibs == nil {
			g.sibs = map[string][]*content.Entry{}
		}
		g.sibs[e.ID] = base
	}
	type keyed struct {
		e    *content.Entry
		same bool
		h    uint64
	}
	ks := make([]keyed, len(base))
	for i, o := range base {
		ks[i] = keyed{o, o.Kind == e.Kind, mix(seed, o.ID)}
	}
	slices.SortFunc(ks, func(a, b keyed) int {
		if a.same != b.same {
			if a.same {
				return -1
			}
			return 1
		}
		return byHash(a.h, b.h, a.e.ID, b.e.ID)
	})
	out := make([]*content.Entry, len(ks))
	for i, k := range ks {
		out[i] = k.e
	}
	return out
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

func hasTrait(e *content.Entry, key string) bool {
	for _, t := range e.Quiz.Traits {
		if t.Key == key {
			return true
		}
	}
	return false
}

func sharesTrait(a, b *content.Entry) bool {
	for _, t := range a.Quiz.Traits {
		if hasTrait(b, t.Key) {
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

// sameText reports whether two choices would read the same in either language, which would make a
// question ambiguous for whoever reads that language.
func (g *generator) sameText(a, b content.Text) bool {
	return g.norm(a.EN) == g.norm(b.EN) || g.norm(a.ZH) == g.norm(b.ZH)
}

// choices assembles answer-first choices, dropping candidates that read the same as the answer or
// as an earlier candidate, and stopping at maxDistractors.
func (g *generator) choices(answer content.Text, candidates []content.Text) []content.Text {
	out := []content.Text{answer}
	for _, c := range candidates {
		if len(out) > maxDistractors {
			break
		}
		if c.IsZero() || slices.ContainsFunc(out, func(o content.Text) bool { return g.sameText(o, c) }) {
			continue
		}
		out = append(out, c)
	}
	return out
}

func (g *generator) add(e *content.Entry, kind Kind, key string, prompt content.Text, ch []content.Text, explain content.Text) {
	if len(ch) < 2 {
		return // no distinct wrong answer exists among the siblings: no card rather than a bad one
	}
	c := &Card{
		ID: CardID(e.ID, key, kind), Entry: e.ID, Kind: kind, Key: key, Fact: e.ID + "/" + key,
		Topics: e.Topics, Prompt: prompt, Choices: ch, Explain: explain,
	}
	switch kind {
	case KindIdentify, KindWhich, KindStatus:
		c.AnswerEntry = e.ID
	case KindFact:
		if key == string(content.FactYear) {
			c.Fact = e.ID + "/created"
		}
	}
	if kind == KindStatus {
		c.Fact = e.ID + "/status"
	}
	g.cards = append(g.cards, c)
}

func (g *generator) problem(e *content.Entry, format string, args ...any) {
	g.problems = append(g.problems, Problem{Entry: e.ID, File: e.Source, Msg: fmt.Sprintf(format, args...)})
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

// generate turns every entry's quiz facts into cards.
func (g *generator) generate() {
	for _, e := range g.kb.Entries() {
		g.identify(e)
		g.purpose(e)
		g.traits(e)
		g.facts(e)
		g.status(e)
		g.questions(e)
	}
}

var kindNoun = map[content.Kind]content.Text{
	content.KindLibrary:   {EN: "library", ZH: "库"},
	content.KindFramework: {EN: "framework", ZH: "框架"},
	content.KindTool:      {EN: "tool", ZH: "工具"},
	content.KindConcept:   {EN: "concept", ZH: "概念"},
}

func (g *generator) identify(e *content.Entry) {
	var others []*content.Entry
	for _, o := range g.siblings(e, "identify:"+e.ID) {
		if !sharesTrait(e, o) { // a sibling sharing a trait might also fit the description
			others = append(others, o)
		}
	}
	noun := kindNoun[e.Kind]
	prompt := content.Text{
		EN: fmt.Sprintf("Which %s is this? %s", noun.EN, e.Quiz.Clue.EN),
		ZH: fmt.Sprintf("这是哪个%s？%s", noun.ZH, e.Quiz.Clue.ZH),
	}
	g.add(e, KindIdentify, "clue", prompt, g.choices(entryName(e), names(others)), e.Summary)
}

func (g *generator) purpose(e *content.Entry) {
	var cands []content.Text
	for _, o := range g.siblings(e, "purpose:"+e.ID) {
		if !sharesTrait(e, o) { // siblings with a shared trait tend to serve the same purpose
			cands = append(cands, o.Quiz.Purpose)
		}
	}
	name := entryName(e)
	prompt := content.Text{
		EN: fmt.Sprintf("What is %s mainly used for?", name.EN),
		ZH: fmt.Sprintf("%s 主要用来做什么？", name.ZH),
	}
	if e.Kind == content.KindConcept {
		prompt = content.Text{
			EN: fmt.Sprintf("What is %s about?", name.EN),
			ZH: fmt.Sprintf("%s 讲的是什么？", name.ZH),
		}
	}
	g.add(e, KindPurpose, "purpose", prompt, g.choices(e.Quiz.Purpose, cands), e.Summary)
}

var (
	trueText  = content.Text{EN: "True", ZH: "对"}
	falseText = content.Text{EN: "False", ZH: "错"}
)

func statement(name content.Text, trait content.Text) content.Text {
	return content.Text{
		EN: fmt.Sprintf("True or false: %s %s.", name.EN, trait.EN),
		ZH: fmt.Sprintf("判断对错：%s%s。", name.ZH, trait.ZH),
	}
}

// traits makes, per trait, a true statement and a "which of these" question, and per entry one
// false statement borrowed from a sibling that does not share the trait.
func (g *generator) traits(e *content.Entry) {
	name := entryName(e)
	sibs := g.siblings(e, "false:"+e.ID)
	for _, t := range e.Quiz.Traits {
		g.add(e, KindTrue, t.Key, statement(name, t.Text), []content.Text{trueText, falseText}, e.Summary)

		var without []*content.Entry
		for _, o := range g.siblings(e, "which:"+e.ID+":"+t.Key) {
			if !hasTrait(o, t.Key) {
				without = append(without, o)
			}
		}
		prompt := content.Text{
			EN: fmt.Sprintf("Which of these %s?", t.EN),
			ZH: fmt.Sprintf("以下哪一个%s？", t.ZH),
		}
		g.add(e, KindWhich, t.Key, prompt, g.choices(name, names(without)), e.Summary)

		for _, o := range sibs {
			for _, ot := range o.Quiz.Traits {
				if ot.Key != t.Key && g.sameText(ot.Text, t.Text) {
					g.problem(e, "trait %q reads the same as %s's trait %q: give both the same key", t.Key, o.ID, ot.Key)
				}
			}
		}
	}
	// One false statement: the first sibling trait this entry does not have.
	for _, o := range sibs {
		for _, ot := range o.Quiz.Traits {
			if hasTrait(e, ot.Key) {
				continue
			}
			explain := content.Text{
				EN: fmt.Sprintf("That is true of %s, not %s. %s", o.DisplayName(content.English), name.EN, e.Summary.EN),
				ZH: fmt.Sprintf("这说的是 %s，不是 %s。%s", o.DisplayName(content.Chinese), name.ZH, e.Summary.ZH),
			}
			g.add(e, KindFalse, "not:"+ot.Key, statement(name, ot.Text), []content.Text{falseText, trueText}, explain)
			return
		}
	}
}

var factPrompts = map[content.FactKey]content.Text{
	content.FactCreator:      {EN: "Who created %s?", ZH: "%s 是谁创建的？"},
	content.FactOrganisation: {EN: "Which organisation is behind %s?", ZH: "%s 背后是哪个组织？"},
	content.FactYear:         {EN: "In which year was %s first released?", ZH: "%s 是哪一年首次发布的？"},
	content.FactBuiltOn:      {EN: "What is %s built on?", ZH: "%s 是基于什么构建的？"},
	content.FactWrittenIn:    {EN: "What is %s mainly written in?", ZH: "%s 主要是用什么语言编写的？"},
}

func (g *generator) facts(e *content.Entry) {
	name := entryName(e)
	for _, key := range content.FactKeys {
		atoms, ok := e.Quiz.Facts.Get(key)
		if !ok {
			continue
		}
		answer := atoms.Text()
		var cands []content.Text
		for _, o := range g.siblings(e, "fact:"+e.ID+":"+string(key)) {
			vs, ok := o.Quiz.Facts.Get(key)
			if !ok {
				continue
			}
			v := vs.Text()
			cands = append(cands, v)
			if en, zh := g.norm(v.EN) == g.norm(answer.EN), g.norm(v.ZH) == g.norm(answer.ZH); en != zh {
				g.problem(e, "fact %s %q reads the same as %s's in one language only", key, answer.EN, o.ID)
			}
		}
		if key == content.FactYear {
			cands = append(cands, nearbyYears(e.Quiz.Facts.Year, mix("year", e.ID))...)
		}
		p := factPrompts[key]
		prompt := content.Text{EN: fmt.Sprintf(p.EN, name.EN), ZH: fmt.Sprintf(p.ZH, name.ZH)}
		g.add(e, KindFact, string(key), prompt, g.choices(answer, cands), e.Summary)
	}
}

// nearbyYears returns plausible wrong years around y in a stable order, as a fallback when the
// siblings record too few distinct years.
func nearbyYears(y int, seed uint64) []content.Text {
	offsets := []int{-3, -2, 2, 3, -4, 4}
	r := int(seed % uint64(len(offsets)))
	var out []content.Text
	for i := range offsets {
		s := strconv.Itoa(y + offsets[(i+r)%len(offsets)])
		out = append(out, content.Text{EN: s, ZH: s})
	}
	return out
}

func (g *generator) status(e *content.Entry) {
	if !e.Status.Retired() {
		return
	}
	var active []*content.Entry
	for _, o := range g.siblings(e, "status:"+e.ID) {
		if o.Status == content.StatusActive {
			active = append(active, o)
		}
	}
	prompt := content.Text{
		EN: "Which of these should no longer be picked for new projects?",
		ZH: "以下哪一个已不建议在新项目中使用？",
	}
	explain := e.StatusNote
	if explain.IsZero() {
		explain = e.Summary
	}
	g.add(e, KindStatus, "retired", prompt, g.choices(entryName(e), names(active)), explain)
}

func (g *generator) questions(e *content.Entry) {
	for _, q := range e.Quiz.Questions {
		ch := []content.Text{q.Answer}
		for _, w := range q.Wrong {
			if slices.ContainsFunc(ch, func(o content.Text) bool { return g.sameText(o, w) }) {
				g.problem(e, "question %q: choice %q is not distinct from another choice", q.Key, w.EN)
				continue
			}
			ch = append(ch, w)
		}
		g.add(e, KindQuestion, q.Key, q.Q, ch, q.Explain)
	}
}
