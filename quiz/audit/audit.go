// Package audit checks a quiz bank the way a demanding learner reads it, against eight rules: no
// giveaways, no partly-right wrong choices, explanations that explain, no trivia, balanced true/false
// statements built from real contrasts, rounds that ask each fact once, Chinese spacing, and breadth.
// `bot lint` prints the count of each rule and fails when one is broken; a test over `bot cards`
// does the same.
package audit

import (
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/pybrarian/pybrarian/content"
	"github.com/pybrarian/pybrarian/quiz"
)

// Rule is one rule and how often the bank breaks it.
type Rule struct {
	N    int
	Name string
	// Count is how many cards (or rounds, question texts, entries) break the rule; 0 means the bank
	// meets it.
	Count int
	// Detail is a figure that helps read Count ("true 52 %", "1004 cards").
	Detail string
	// Examples are the first few offences, "card-id entry: what is wrong".
	Examples []string
}

// maxExamples is how many offences a rule lists.
const maxExamples = 8

func (r *Rule) offend(c quiz.Exported, format string, args ...any) {
	r.Count++
	if len(r.Examples) < maxExamples {
		r.Examples = append(r.Examples, fmt.Sprintf("%s %s/%s: %s", c.ID, c.Entry, c.Kind, fmt.Sprintf(format, args...)))
	}
}

func (r *Rule) note(format string, args ...any) {
	r.Count++
	if len(r.Examples) < maxExamples {
		r.Examples = append(r.Examples, fmt.Sprintf(format, args...))
	}
}

// Planner is what the round rule needs from a bank: the cards of a scope and a new learner's round.
// *quiz.Bank implements it.
type Planner interface {
	In(quiz.Scope) []*quiz.Card
	Plan(user string, scope quiz.Scope, n int) []*quiz.Card
}

// Limits the rules set.
const (
	// GiveawayShare is the share of the bank that may name its answer, each case justified in content.
	GiveawayShare = 0.01
	// MaxExplanation is the longest explanation, in characters: what a Telegram quiz poll shows.
	MaxExplanation = 200
	// MinYearGap is how far apart a wrong year must be from the right one.
	MinYearGap = 3
	// MinTrueShare and MaxTrueShare bound the share of true statements among true/false cards.
	MinTrueShare, MaxTrueShare = 0.40, 0.60
	// MinCards is the smallest bank that keeps the quiz's breadth.
	MinCards = 900
	// MinSeedKinds is how many card kinds every entry of a seed topic must have.
	MinSeedKinds = 5
)

// Check runs every rule over cards, the bank as `bot cards` exports it, generated from kb; p plans
// rounds from the same bank.
func Check(kb *content.KB, cards []quiz.Exported, p Planner) []Rule {
	a := &auditor{kb: kb, cards: cards, names: map[string]*content.Entry{}, gives: map[string]content.Names{}}
	for _, e := range kb.Entries() {
		a.names[content.Normalize(e.DisplayName(content.English))] = e
		a.names[content.Normalize(e.DisplayName(content.Chinese))] = e
	}
	return []Rule{
		a.giveaways(), a.partlyRight(), a.explanations(), a.trivia(),
		a.statements(), a.rounds(p), a.spacing(), a.breadth(),
	}
}

type auditor struct {
	kb    *content.KB
	cards []quiz.Exported
	names map[string]*content.Entry // normalised display name → entry
	gives map[string]content.Names
}

func (a *auditor) giveawayNames(e *content.Entry) content.Names {
	n, ok := a.gives[e.ID]
	if !ok {
		n = e.GiveawayNames()
		a.gives[e.ID] = n
	}
	return n
}

var langs = []content.Lang{content.English, content.Chinese}

func trueFalse(c quiz.Exported) bool { return c.Kind == quiz.KindTrue || c.Kind == quiz.KindFalse }

// answerEntry returns the entry the right choice names, or nil.
func (a *auditor) answerEntry(c quiz.Exported) *content.Entry {
	if trueFalse(c) {
		return nil
	}
	right := c.Choices[c.Answer]
	if e := a.names[content.Normalize(right.EN)]; e != nil {
		return e
	}
	return a.names[content.Normalize(right.ZH)]
}

func (a *auditor) entry(id string) *content.Entry {
	e, _ := a.kb.Entry(id)
	return e
}

// factName is the part of a card's fact after the entry ("created" in "pandas/created").
func factName(c quiz.Exported) string {
	_, f, _ := strings.Cut(c.Fact, "/")
	return f
}

// giveaways is rule 1: no question names its answer, and no right choice alone names the card's
// subject.
func (a *auditor) giveaways() Rule {
	r := Rule{N: 1, Name: "giveaways: the question names its answer, or only the right choice names the subject"}
	justified := 0
	for _, c := range a.cards {
		if trueFalse(c) {
			continue
		}
		subject := a.entry(c.Entry)
		why := ""
		if ans := a.answerEntry(c); ans != nil {
			n := a.giveawayNames(ans)
			for _, lang := range langs {
				if w := n.In(c.Question.In(lang)); w != "" && why == "" {
					why = fmt.Sprintf("the question contains %q, which names the answer %s", w, ans.Name)
				}
			}
		}
		if ans := a.answerEntry(c); subject != nil && (ans == nil || ans.ID != subject.ID) {
			n := a.giveawayNames(subject)
			for _, lang := range langs {
				right := n.In(c.Choices[c.Answer].In(lang))
				if right == "" || why != "" {
					continue
				}
				alone := true
				for i, ch := range c.Choices {
					if i != c.Answer && n.In(ch.In(lang)) != "" {
						alone = false
					}
				}
				if alone {
					why = fmt.Sprintf("only the right choice contains %q, which names %s", right, subject.Name)
				}
			}
		}
		if why == "" {
			continue
		}
		if nameJustified(subject, factName(c)) {
			justified++
			continue
		}
		r.offend(c, "%s", why)
	}
	if limit := int(GiveawayShare * float64(len(a.cards))); justified > limit {
		r.note("%d justified giveaways, more than %d (1 %% of the bank)", justified, limit)
	}
	r.Detail = fmt.Sprintf("%d justified in content", justified)
	return r
}

// partlyRight is rule 2: no wrong choice lists a subset or a superset of the right choice's items,
// no wrong choice of a fact card names something its entry uses, and no wrong choice of a "which of
// these…" card has the trait asked about.
func (a *auditor) partlyRight() Rule {
	r := Rule{N: 2, Name: "partly-right wrong choices"}
	for _, c := range a.cards {
		if trueFalse(c) {
			continue
		}
	choices:
		for i, ch := range c.Choices {
			if i == c.Answer {
				continue
			}
			for _, lang := range langs {
				if quiz.Nested(quiz.Parts(ch.In(lang)), quiz.Parts(c.Choices[c.Answer].In(lang))) {
					r.offend(c, "wrong choice %q overlaps the right one %q", ch.In(lang), c.Choices[c.Answer].In(lang))
					break choices
				}
			}
			if e := a.entry(c.Entry); c.Kind == quiz.KindFact && e != nil {
				for _, p := range quiz.Parts(ch.EN) {
					if e.Quiz.Facts.Uses.Has(content.Atom{EN: p}) {
						r.offend(c, "wrong choice %q names %s, which %s uses (quiz.facts.uses)", ch.EN, p, e.ID)
						break choices
					}
				}
			}
			if c.Kind == quiz.KindWhich {
				if w := a.names[content.Normalize(ch.EN)]; w != nil && w.Quiz.Touches(factName(c)) {
					r.offend(c, "wrong choice %s also has trait %q", w.Name, factName(c))
					break choices
				}
			}
		}
	}
	return r
}

func hasTrait(e *content.Entry, key string) bool {
	return slices.ContainsFunc(e.Quiz.Traits, func(t content.Trait) bool { return t.Key == key })
}

// explanations is rule 3: every explanation, in both languages and within a quiz poll's length,
// says why the answer is right — it is not the entry's summary (except for "what is it for?"), a
// fact card's explanation contains the answer, and a card answered by an entry names it.
func (a *auditor) explanations() Rule {
	r := Rule{N: 3, Name: "explanations that do not explain the answer"}
	for _, c := range a.cards {
		e := a.entry(c.Entry)
		why := ""
		for _, lang := range langs {
			x := c.Explanation.In(lang)
			if why != "" {
				break
			}
			switch {
			case strings.TrimSpace(c.Explanation.In(lang)) == "" || (lang == content.Chinese && c.Explanation.ZH == ""):
				why = "no explanation in " + string(lang)
			case utf8.RuneCountInString(x) > MaxExplanation:
				why = fmt.Sprintf("the %s explanation has %d characters, more than %d", lang, utf8.RuneCountInString(x), MaxExplanation)
			case e != nil && c.Kind != quiz.KindPurpose && strings.Contains(x, e.Summary.In(lang)):
				why = "the explanation is the entry's summary"
			case c.Kind == quiz.KindFact && !containsParts(x, c.Choices[c.Answer].In(lang)):
				why = fmt.Sprintf("the %s explanation does not state the answer %q", lang, c.Choices[c.Answer].In(lang))
			}
			if why == "" {
				if ans := a.answerEntry(c); ans != nil && a.giveawayNames(ans).In(x) == "" {
					why = fmt.Sprintf("the %s explanation does not name the answer %s", lang, ans.Name)
				}
			}
		}
		if why != "" {
			r.offend(c, "%s", why)
		}
	}
	return r
}

// containsParts reports whether text mentions every item of answer.
func containsParts(text, answer string) bool {
	have := content.Normalize(strings.NewReplacer("++", "pp", "#", "sharp").Replace(text))
	for _, p := range quiz.Parts(answer) {
		if !strings.Contains(have, p) {
			return false
		}
	}
	return true
}

func containsFold(s, sub string) bool {
	return strings.Contains(strings.ToLower(s), strings.ToLower(sub))
}

// trivia is rule 4: wrong years at least MinYearGap from the right one, creators only when notable,
// no "written in Python", and no statement that repeats its subject's name.
func (a *auditor) trivia() Rule {
	r := Rule{N: 4, Name: "trivia: near years, obscure people, \"written in Python\", tautologies"}
	for _, c := range a.cards {
		e := a.entry(c.Entry)
		switch f := factName(c); {
		case c.Kind == quiz.KindFact && f == "created":
			right, err := strconv.Atoi(c.Choices[c.Answer].EN)
			if err != nil {
				continue // decades, not years
			}
			for i, ch := range c.Choices {
				if y, err := strconv.Atoi(ch.EN); err == nil && i != c.Answer && abs(y-right) < MinYearGap {
					r.offend(c, "wrong year %d is %d from %d", y, abs(y-right), right)
					break
				}
			}
		case c.Kind == quiz.KindFact && f == "creator":
			if e != nil && !notableCreator(e) {
				r.offend(c, "asks for %s, who is not marked notable", c.Choices[c.Answer].EN)
			}
		case c.Kind == quiz.KindFact && f == "written_in":
			if p := quiz.Parts(c.Choices[c.Answer].EN); len(p) == 1 && p[0] == "python" {
				r.offend(c, "asks what a pure-Python package is written in")
			}
		case c.Kind == quiz.KindTrue && e != nil:
			// A true statement that repeats its subject's name is true by definition. (A myth may
			// name a part of the subject to deny something about it.)
			stmt := c.Question.EN
			for _, n := range []string{e.Name, e.DisplayName(content.English)} {
				stmt = strings.ReplaceAll(stmt, n, "")
			}
			if w := a.giveawayNames(e).In(stmt); w != "" {
				r.offend(c, "the statement repeats %q from its subject's name", w)
			}
		}
	}
	return r
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// statements is rule 5: true and false statements balanced, and false ones borrowed only from
// sibling entries of the same sort (a concept's property is never stated of a library).
func (a *auditor) statements() Rule {
	r := Rule{N: 5, Name: "true/false: balance and category errors"}
	var nTrue, nFalse int
	for _, c := range a.cards {
		switch c.Kind {
		case quiz.KindTrue:
			nTrue++
		case quiz.KindFalse:
			nFalse++
			e := a.entry(c.Entry)
			key, borrowed := strings.CutPrefix(factName(c), "not:")
			if !borrowed || e == nil {
				continue
			}
			sibling := false
			for _, o := range a.kb.Entries() {
				if o.ID != e.ID && hasTrait(o, key) && slices.ContainsFunc(e.Topics, o.InTopic) &&
					(o.Kind == content.KindConcept) == (e.Kind == content.KindConcept) {
					sibling = true
				}
			}
			if !sibling {
				r.offend(c, "states trait %q, which no sibling of the same sort has", key)
			}
		}
	}
	share := 0.0
	if nTrue+nFalse > 0 {
		share = float64(nTrue) / float64(nTrue+nFalse)
	}
	if share < MinTrueShare || share > MaxTrueShare {
		r.note("true statements are %.0f %% of true/false cards, outside %.0f–%.0f %%", 100*share, 100*MinTrueShare, 100*MaxTrueShare)
	}
	r.Detail = fmt.Sprintf("true %.0f %% (%d true, %d false)", 100*share, nTrue, nFalse)
	return r
}

// rounds is rule 6: a round asks each fact once, a single-entry round never answers with that entry,
// and one question text always has one right answer.
func (a *auditor) rounds(p Planner) Rule {
	r := Rule{N: 6, Name: "rounds: a fact twice, a library as its own answer, one question with two answers"}
	var texts, self, twice int
	answers := map[string]string{}
	for _, c := range a.cards {
		right := c.Choices[c.Answer].EN
		for _, q := range []string{c.Question.EN, c.Question.ZH} {
			if prev, ok := answers[q]; ok && prev != right {
				r.offend(c, "%q is also asked with the answer %q", q, prev)
				texts++
			}
			answers[q] = right
		}
	}
	var scopes []quiz.Scope
	for _, t := range a.kb.Topics() {
		scopes = append(scopes, quiz.Scope{Topic: t.ID})
	}
	scopes = append(scopes, quiz.Scope{Topic: quiz.TopicAll})
	for _, e := range a.kb.Entries() {
		s := quiz.Scope{Entry: e.ID}
		scopes = append(scopes, s)
		for _, c := range p.In(s) {
			if c.AnswerEntry == e.ID {
				self++
				r.note("/quiz %s can ask %s %s, whose answer is %s itself", e.ID, c.ID, c.Kind, e.Name)
			}
		}
	}
	for _, s := range scopes {
		for _, n := range []int{quiz.DefaultRoundSize, 10, quiz.MaxRoundSize} {
			for _, user := range []string{"ada", "grace", "linus"} {
				seen := map[string]string{}
				for _, c := range p.Plan(user, s, n) {
					if prev, ok := seen[c.Fact]; ok {
						twice++
						r.note("a %d-question round of %s for %s asks %s twice (%s and %s)", n, s, user, c.Fact, prev, c.ID)
						break
					}
					seen[c.Fact] = c.ID
				}
			}
		}
	}
	r.Detail = fmt.Sprintf("%d shared question texts, %d self-answering cards, %d rounds repeating a fact", texts, self, twice)
	return r
}

// spacing is rule 7: Chinese text puts a space between Latin text and Chinese characters.
func (a *auditor) spacing() Rule {
	r := Rule{N: 7, Name: "Chinese spacing between Latin and Chinese text"}
	for _, c := range a.cards {
		texts := []string{c.Question.ZH, c.Explanation.ZH}
		for _, ch := range c.Choices {
			texts = append(texts, ch.ZH)
		}
		for _, t := range texts {
			if p := content.SpacingProblem(t); p != "" {
				r.offend(c, "%q", p)
				break
			}
		}
	}
	return r
}

// breadth is rule 8: enough cards, every text in both languages, and every entry of a seed topic
// asked about in several ways.
func (a *auditor) breadth() Rule {
	r := Rule{N: 8, Name: "breadth: bank size, both languages, card kinds per seed entry"}
	if len(a.cards) < MinCards {
		r.note("%d cards, fewer than %d", len(a.cards), MinCards)
	}
	kinds := map[string]map[quiz.Kind]bool{}
	for _, c := range a.cards {
		texts := []content.Text{c.Question, c.Explanation}
		texts = append(texts, c.Choices...)
		for _, t := range texts {
			if strings.TrimSpace(t.EN) == "" || strings.TrimSpace(t.ZH) == "" {
				r.offend(c, "a text lacks one language")
				break
			}
		}
		if kinds[c.Entry] == nil {
			kinds[c.Entry] = map[quiz.Kind]bool{}
		}
		kinds[c.Entry][c.Kind] = true
	}
	done := map[string]bool{}
	for _, t := range a.kb.Topics() {
		if !t.Seed {
			continue
		}
		for _, e := range a.kb.TopicEntries(t.ID) {
			if done[e.ID] {
				continue
			}
			done[e.ID] = true
			if n := len(kinds[e.ID]); n < MinSeedKinds {
				r.note("seed entry %s has %d card kinds, fewer than %d", e.ID, n, MinSeedKinds)
			}
		}
	}
	r.Detail = fmt.Sprintf("%d cards", len(a.cards))
	return r
}

// nameJustified reports whether the content explains why the card of e testing fact may name its
// answer: a trait or question with that key carries a `name_ok` reason.
func nameJustified(e *content.Entry, fact string) bool {
	if e == nil {
		return false
	}
	for _, t := range e.Quiz.Traits {
		if (t.Key == fact || t.About == fact) && t.NameOK != "" {
			return true
		}
	}
	for _, q := range e.Quiz.Questions {
		if (q.Key == fact || q.About == fact) && q.NameOK != "" {
			return true
		}
	}
	return false
}

// notableCreator reports whether every creator of e is marked notable.
func notableCreator(e *content.Entry) bool { return e.Quiz.Facts.Creator.Notable() }

// Write prints one line per rule, "rule N  count  name (detail)", then each rule's examples.
func Write(w io.Writer, rules []Rule, examples bool) {
	for _, r := range rules {
		status := "ok"
		if r.Count > 0 {
			status = "BROKEN"
		}
		detail := ""
		if r.Detail != "" {
			detail = " (" + r.Detail + ")"
		}
		fmt.Fprintf(w, "rule %d  %-6s %5d  %s%s\n", r.N, status, r.Count, r.Name, detail)
		if examples {
			for _, x := range r.Examples {
				fmt.Fprintf(w, "          %s\n", x)
			}
		}
	}
}
