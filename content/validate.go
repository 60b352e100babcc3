package content

import (
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Length limits, in characters. They come from where the text is shown: a Telegram quiz-poll
// explanation holds 200 characters and a Discord button label 80.
const (
	maxSummary = 200
	maxClue    = 200
	maxTip     = 280
	maxLabel   = 60
)

var (
	idPattern       = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]*$`)
	traitKeyPattern = regexp.MustCompile(`^[a-z0-9][a-z0-9-]*$`)
	hanSpaceHan     = regexp.MustCompile(`[\p{Han}\x{3000}-\x{303F}\x{FF00}-\x{FFEF}] [\p{Han}\x{3000}-\x{303F}\x{FF00}-\x{FFEF}]`)
)

var (
	validKinds    = []Kind{KindLibrary, KindFramework, KindTool, KindConcept}
	validStatuses = []Status{StatusActive, StatusMaintenance, StatusUnmaintained, StatusDiscontinued, StatusSuperseded}
)

func (l *loader) validate() {
	topicIDs := map[string]bool{}
	for _, t := range l.topics {
		if !idPattern.MatchString(t.ID) {
			l.addf(t.file, t.line, "topic id %q must be lowercase letters, digits and dashes", t.ID)
		}
		topicIDs[t.ID] = true
		if t.Name.EN == "" || t.Name.ZH == "" {
			l.addf(t.file, t.line, "topic %q: name needs both en and zh", t.ID)
		}
	}
	ids := map[string]bool{}
	for _, e := range l.entries {
		ids[e.ID] = true
	}
	l.resolveShared()
	owner := map[string]string{} // normalised name or alias -> entry id
	for _, e := range l.entries {
		v := entryCheck{l: l, e: e}
		v.check(topicIDs, ids)
		v.checkNames(owner, false)
	}
	// Aliases after every id and name, so an alias that clashes is reported at the alias.
	for _, e := range l.entries {
		entryCheck{l: l, e: e}.checkNames(owner, true)
	}
	l.checkTraitKeys()
	l.checkPeople()
	for _, t := range l.topics {
		n := 0
		for _, e := range l.entries {
			if e.InTopic(t.ID) {
				n++
			}
		}
		if n == 0 && len(l.entries) > 0 {
			l.addf(t.file, t.line, "topic %q has no entries", t.ID)
		}
	}
}

// entryCheck validates one entry, reporting each problem at the line of the offending field.
type entryCheck struct {
	l *loader
	e loadedEntry
}

func (v entryCheck) addf(field, format string, args ...any) {
	v.l.addf(v.e.file, lineOf(v.e.node, field), format, args...)
}

func (v entryCheck) check(topics, ids map[string]bool) {
	e := v.e
	if !idPattern.MatchString(e.ID) {
		v.addf("id", "id %q must be the lowercase PyPI name (letters, digits, '.', '_', '-')", e.ID)
	}
	if strings.TrimSpace(e.Name) == "" {
		v.addf("name", "name is missing")
	}
	if !slices.Contains(validKinds, e.Kind) {
		v.addf("kind", "kind %q is not one of %v", e.Kind, validKinds)
	}
	if !slices.Contains(validStatuses, e.Status) {
		v.addf("status", "status %q is not one of %v", e.Status, validStatuses)
	}
	if e.Status == StatusSuperseded && len(e.SupersededBy) == 0 {
		v.addf("status", "a superseded entry needs superseded_by")
	}
	if e.Status != StatusActive {
		v.text("status_note", e.StatusNote, 0)
	}
	if len(e.Topics) == 0 {
		v.addf("topics", "topics is empty")
	}
	for i, t := range e.Topics {
		if !topics[t] {
			v.addf(fmt.Sprintf("topics.%d", i), "unknown topic %q", t)
		}
	}
	for i, r := range e.Related {
		if !ids[r] {
			v.addf(fmt.Sprintf("related.%d", i), "related entry %q does not exist", r)
		} else if r == e.ID {
			v.addf(fmt.Sprintf("related.%d", i), "an entry cannot be related to itself")
		}
	}
	for i, r := range e.SupersededBy {
		if !ids[r] {
			v.addf(fmt.Sprintf("superseded_by.%d", i), "superseded_by entry %q does not exist", r)
		}
	}
	v.link("links.docs", e.Links.Docs, true)
	v.link("links.pypi", e.Links.PyPI, e.Kind != KindConcept && e.Kind != KindTool)
	v.link("links.source", e.Links.Source, false)
	if e.Links.PyPI != "" && !strings.HasPrefix(e.Links.PyPI, "https://pypi.org/project/") {
		v.addf("links.pypi", "links.pypi should be https://pypi.org/project/<name>/")
	}

	v.text("summary", e.Summary, maxSummary)
	v.text("details", e.Details, 0)
	v.text("pick_when", e.PickWhen, 0)
	if !e.Correction.IsZero() {
		v.text("correction", e.Correction, 0)
	}
	v.lists("uses", e.Uses)
	v.lists("features", e.Features)
	if len(e.Tips) == 0 {
		v.addf("tips", "at least one tip is needed (the daily tip draws from them)")
	}
	for i, t := range e.Tips {
		v.text(fmt.Sprintf("tips.%d", i), t, maxTip)
	}
	v.quiz()
}

func (v entryCheck) quiz() {
	defer v.explanations()
	q := v.e.Quiz
	v.text("quiz.clue", q.Clue.Text, maxClue)
	v.optional("quiz.clue.why", q.Clue.Why, maxSummary)
	v.text("quiz.purpose", q.Purpose, maxLabel)
	v.optional("quiz.origin", q.Origin, maxSummary)
	v.optional("quiz.internals", q.Internals, maxSummary)
	names := v.e.GiveawayNames()
	for _, lang := range []Lang{English, Chinese} {
		if name := v.namedIn(q.Clue.In(lang)); name != "" {
			v.addf("quiz.clue."+string(lang), "clue gives the answer away: it contains %q", name)
		} else if stem := names.In(q.Clue.In(lang)); stem != "" {
			v.addf("quiz.clue."+string(lang), "clue gives the answer away: %q is a stem of the name", stem)
		}
	}
	for _, k := range FactKeys {
		if k == FactYear {
			continue
		}
		as, _ := q.Facts.Get(k)
		at := "quiz.facts." + string(k)
		for i, a := range as {
			if strings.TrimSpace(a.EN) == "" || strings.TrimSpace(a.ZH) == "" {
				v.addf(at, "%s: item %d needs text in both languages", at, i+1)
			}
		}
		if t := as.Text(); utf8.RuneCountInString(t.EN) > maxLabel || utf8.RuneCountInString(t.ZH) > maxLabel {
			v.addf(at, "%s is longer than %d characters: it is a button label", at, maxLabel)
		}
	}
	if y := q.Facts.Year; y != 0 && (y < 1950 || y > 2100) {
		v.addf("quiz.facts.year", "year %d is not a plausible release year", y)
	}
	seen := map[string]bool{}
	for i, t := range q.Traits {
		at := fmt.Sprintf("quiz.traits.%d", i)
		if !traitKeyPattern.MatchString(t.Key) {
			v.addf(at, "trait key %q must be lowercase letters, digits and dashes", t.Key)
		}
		if seen[t.Key] {
			v.addf(at, "trait key %q appears twice", t.Key)
		}
		seen[t.Key] = true
		v.optional(at, t.Text, maxSummary) // no text at all is reported by resolveShared
		v.optional(at+".why", t.Why, maxSummary)
		if w := names.In(t.EN + " " + t.ZH); w != "" && t.NameOK == "" && !t.Shared {
			v.addf(at, "trait %q repeats %q from the entry's name: a true statement would be a tautology and \"which of these\" would answer itself (reword, or give name_ok a reason)", t.Key, w)
		}
	}
	for i, m := range q.Myths {
		at := fmt.Sprintf("quiz.myths.%d", i)
		if !traitKeyPattern.MatchString(m.Key) {
			v.addf(at, "myth key %q must be lowercase letters, digits and dashes", m.Key)
		}
		if seen[m.Key] {
			v.addf(at, "key %q is used twice", m.Key)
		}
		seen[m.Key] = true
		v.text(at, m.Text, maxSummary)
		v.text(at+".truth", m.Truth, maxSummary)
	}
	seen = map[string]bool{}
	for i, qu := range q.Questions {
		at := fmt.Sprintf("quiz.questions.%d", i)
		if !traitKeyPattern.MatchString(qu.Key) {
			v.addf(at, "question key %q must be lowercase letters, digits and dashes", qu.Key)
		}
		if seen[qu.Key] {
			v.addf(at, "question key %q appears twice", qu.Key)
		}
		seen[qu.Key] = true
		v.text(at+".q", qu.Q, 0)
		v.text(at+".answer", qu.Answer, maxLabel)
		v.text(at+".explain", qu.Explain, maxSummary)
		if len(qu.Wrong) == 0 || len(qu.Wrong) > 3 {
			v.addf(at+".wrong", "a question needs one to three wrong answers, has %d", len(qu.Wrong))
		}
		for j, w := range qu.Wrong {
			v.text(fmt.Sprintf("%s.wrong.%d", at, j), w, maxLabel)
			for _, lang := range []Lang{English, Chinese} {
				if strings.EqualFold(w.In(lang), qu.Answer.In(lang)) {
					v.addf(fmt.Sprintf("%s.wrong.%d", at, j), "wrong answer equals the right answer (%s)", lang)
				}
			}
		}
	}
}

// maxOrigin leaves room in a 200-character explanation for the decade that precedes the origin
// sentence on "in which decade…?" cards.
const maxOrigin = maxSummary - 15

// explanations checks that every card the entry makes can say why its answer is right: a why for
// the clue and for each trait, a truth for each myth, an origin sentence naming each creator,
// organisation and the year, an internals sentence naming what it is built on and written in, and
// facts that are data (one atom per item) rather than trivia ("written in Python").
func (v entryCheck) explanations() {
	q := v.e.Quiz
	names := v.e.GiveawayNames()
	v.text("quiz.clue.why", q.Clue.Why, maxSummary)
	if !q.Clue.Why.IsZero() && (names.In(q.Clue.Why.EN) == "" || names.In(q.Clue.Why.ZH) == "") {
		v.addf("quiz.clue.why", "clue.why must name the entry in both languages: it explains an answer that is the entry")
	}
	for i, t := range q.Traits {
		at := fmt.Sprintf("quiz.traits.%d.why", i)
		v.text(at, t.Why, maxSummary)
		if !t.Why.IsZero() && (names.In(t.Why.EN) == "" || names.In(t.Why.ZH) == "") {
			v.addf(at, "trait %q: why must name the entry in both languages, since \"which of these\" is answered by it", t.Key)
		}
	}
	f := q.Facts
	var who, what Atoms
	who = append(append(who, f.Creator...), f.Organisation...)
	what = append(append(what, f.BuiltOn...), f.WrittenIn...)
	if len(who) > 0 || f.Year != 0 {
		v.text("quiz.origin", q.Origin, maxOrigin)
	} else if !q.Origin.IsZero() {
		v.addf("quiz.origin", "origin explains creator, organisation and year facts, and this entry has none")
	}
	if len(what) > 0 {
		v.text("quiz.internals", q.Internals, maxSummary)
	} else if !q.Internals.IsZero() {
		v.addf("quiz.internals", "internals explains built_on and written_in facts, and this entry has neither")
	}
	mention := func(field string, t Text, a Atom) {
		if !t.IsZero() && (!strings.Contains(t.EN, a.EN) || !strings.Contains(t.ZH, a.ZH)) {
			v.addf(field, "%s must name %q (%q in Chinese): it explains the card whose answer that is", field, a.EN, a.ZH)
		}
	}
	for _, a := range who {
		mention("quiz.origin", q.Origin, a)
	}
	if y := f.Year; y != 0 {
		mention("quiz.origin", q.Origin, Atom{EN: strconv.Itoa(y), ZH: strconv.Itoa(y)})
	}
	for _, a := range what {
		mention("quiz.internals", q.Internals, a)
	}
	for _, k := range FactKeys {
		as, _ := f.Get(k)
		for _, a := range as {
			if prose.MatchString(a.EN) || prose.MatchString(a.ZH) {
				v.addf("quiz.facts."+string(k), "%q reads like a list: give each item as an atom of its own", a.EN)
			}
		}
	}
	for _, a := range f.Uses {
		if prose.MatchString(a.EN) || prose.MatchString(a.ZH) {
			v.addf("quiz.facts.uses", "%q reads like a list: give each item as an atom of its own", a.EN)
		}
		if f.BuiltOn.Has(a) {
			v.addf("quiz.facts.uses", "%q is in built_on already", a.EN)
		}
	}
	if len(f.WrittenIn) == 1 && strings.EqualFold(f.WrittenIn[0].EN, "Python") {
		v.addf("quiz.facts.written_in", "written_in is only Python: leave it out (every Python package is written in Python)")
	}
}

// prose finds a fact atom that lists several items ("NumPy and SciPy", "Python、C").
var prose = regexp.MustCompile(`, | and | or |、|和|或`)

// optional checks a text that may be left out, and when given must be complete.
func (v entryCheck) optional(field string, t Text, max int) {
	if !t.IsZero() {
		v.text(field, t, max)
	}
}

// resolveShared fills each entry's references to shared traits from traits.yaml, and reports a
// reference to an undeclared trait or a declared trait redefined in an entry.
func (l *loader) resolveShared() {
	byKey := map[string]loadedTrait{}
	for _, t := range l.shared {
		byKey[t.Key] = t
		if !traitKeyPattern.MatchString(t.Key) {
			l.addf(t.file, t.line, "trait key %q must be lowercase letters, digits and dashes", t.Key)
		}
		if strings.TrimSpace(t.EN) == "" || strings.TrimSpace(t.ZH) == "" {
			l.addf(t.file, t.line, "shared trait %q needs en and zh", t.Key)
		}
	}
	for _, e := range l.entries {
		for i := range e.Quiz.Traits {
			t := &e.Quiz.Traits[i]
			decl, shared := byKey[t.Key]
			switch {
			case t.Text.IsZero() && !shared:
				l.addf(e.file, lineOf(e.node, fmt.Sprintf("quiz.traits.%d", i)), "trait %q has no text and is not declared in traits.yaml", t.Key)
			case !t.Text.IsZero() && shared:
				l.addf(e.file, lineOf(e.node, fmt.Sprintf("quiz.traits.%d", i)), "trait %q is declared in %s: list it here by key (and why) only", t.Key, decl.file)
			case shared:
				t.Text = decl.Text
				t.Shared = true
				for _, c := range decl.Contrasts {
					if !slices.Contains(t.Contrasts, c) {
						t.Contrasts = append(t.Contrasts, c)
					}
				}
			}
		}
	}
}

// namedIn returns the name, id or alias of the entry that s mentions, or "".
func (v entryCheck) namedIn(s string) string {
	e := v.e
	names := append([]string{e.ID, e.Name, e.NameZH, stripParens(e.Name)}, e.Aliases...)
	lower := strings.ToLower(s)
	for _, n := range names {
		n = strings.ToLower(strings.TrimSpace(n))
		if n == "" {
			continue
		}
		if containsWord(lower, n) {
			return n
		}
	}
	return ""
}

func stripParens(s string) string {
	if i := strings.IndexAny(s, "(（"); i > 0 {
		return strings.TrimSpace(s[:i])
	}
	return s
}

// containsWord reports whether word occurs in s without letters or digits glued to either side, so the
// alias "pd" is found in "pd.read_csv" but not in "updated".
// HasWord reports whether s contains word as a whole word ("NumPy-style" has "numpy"; "Scapy" has
// no "py"), ignoring case.
func HasWord(s, word string) bool { return containsWord(strings.ToLower(s), strings.ToLower(word)) }

func containsWord(s, word string) bool {
	for from := 0; ; {
		i := strings.Index(s[from:], word)
		if i < 0 {
			return false
		}
		i += from
		before, _ := utf8.DecodeLastRuneInString(s[:i])
		after, _ := utf8.DecodeRuneInString(s[i+len(word):])
		if !isWordRune(before) && !isWordRune(after) || isHan(firstRune(word)) {
			return true
		}
		from = i + 1
	}
}

func isWordRune(r rune) bool {
	return r != utf8.RuneError && (unicode.IsLetter(r) || unicode.IsDigit(r)) && !isHan(r)
}

func firstRune(s string) rune {
	r, _ := utf8.DecodeRuneInString(s)
	return r
}

func isHan(r rune) bool { return unicode.Is(unicode.Han, r) }

// checkNames claims the entry's ids and names (or, with aliases set, its aliases) in owner,
// reporting any that another entry already claimed.
func (v entryCheck) checkNames(owner map[string]string, aliases bool) {
	e := v.e
	check := func(field, name string) {
		k := normalize(name)
		if k == "" {
			v.addf(field, "name %q has no letters or digits", name)
			return
		}
		if prev, ok := owner[k]; ok && prev != e.ID {
			v.addf(field, "%q already names entry %q", name, prev)
			return
		}
		owner[k] = e.ID
	}
	if aliases {
		for i, a := range e.Aliases {
			check(fmt.Sprintf("aliases.%d", i), a)
		}
		return
	}
	check("id", e.ID)
	check("name", e.Name)
	if e.NameZH != "" {
		check("name_zh", e.NameZH)
	}
	if s := stripParens(e.Name); s != e.Name {
		check("name", s)
	}
}

func (v entryCheck) text(field string, t Text, max int) {
	for _, lang := range []Lang{English, Chinese} {
		s := t.EN
		if lang == Chinese {
			s = t.ZH
		}
		at := field + "." + string(lang)
		switch {
		case strings.TrimSpace(s) == "":
			v.addf(at, "%s is missing", at)
		case max > 0 && utf8.RuneCountInString(s) > max:
			v.addf(at, "%s is %d characters, at most %d allowed", at, utf8.RuneCountInString(s), max)
		case strings.Count(s, "`")%2 != 0:
			v.addf(at, "%s has an unclosed ` code span", at)
		case lang == Chinese && hanSpaceHan.MatchString(s):
			v.addf(at, "%s has a space between Chinese characters (a folded YAML line? use | or one line)", at)
		case lang == Chinese && SpacingProblem(s) != "":
			v.addf(at, "%s needs a space between Latin and Chinese text at %q", at, SpacingProblem(s))
		}
	}
}

func (v entryCheck) lists(field string, l Lists) {
	if len(l.EN) == 0 {
		v.addf(field+".en", "%s.en is empty", field)
	}
	if len(l.ZH) == 0 {
		v.addf(field+".zh", "%s.zh is empty", field)
	}
	for i, s := range l.EN {
		if strings.TrimSpace(s) == "" {
			v.addf(fmt.Sprintf("%s.en.%d", field, i), "empty item")
		}
	}
	for i, s := range l.ZH {
		if strings.TrimSpace(s) == "" {
			v.addf(fmt.Sprintf("%s.zh.%d", field, i), "empty item")
		}
	}
}

func (v entryCheck) link(field, raw string, required bool) {
	if raw == "" {
		if required {
			v.addf(field, "%s is missing", field)
		}
		return
	}
	u, err := url.Parse(raw)
	if err != nil || u.Scheme != "https" || u.Host == "" || strings.ContainsAny(raw, " \t") {
		v.addf(field, "%s %q is not a well-formed https URL", field, raw)
	}
}

// checkTraitKeys checks how traits are shared: a trait declared in traits.yaml is held by two
// entries or more, a trait written in an entry belongs to that entry alone, and the keys that
// partly, contrasts and about refer to exist; an entry never holds two traits that exclude each other.
func (l *loader) checkTraitKeys() {
	holders := map[string][]loadedEntry{}
	for _, e := range l.entries {
		for _, t := range e.Quiz.Traits {
			holders[t.Key] = append(holders[t.Key], e)
		}
	}
	for _, t := range l.shared {
		if n := len(holders[t.Key]); n < 2 {
			l.addf(t.file, t.line, "shared trait %q is held by %d entries: a trait of one entry belongs in that entry", t.Key, n)
		}
		for _, c := range t.Contrasts {
			if len(holders[c]) == 0 {
				l.addf(t.file, t.line, "shared trait %q contrasts with %q, which no entry has", t.Key, c)
			}
		}
	}
	for _, e := range l.entries {
		keys := map[string]bool{}
		for _, t := range e.Quiz.Traits {
			keys[t.Key] = true
		}
		for _, m := range e.Quiz.Myths {
			keys[m.Key] = true
		}
		for _, q := range e.Quiz.Questions {
			keys[q.Key] = true
		}
		facts := map[string]bool{"clue": true, "purpose": true, "status": true, "creator": true, "organisation": true, "created": true, "built_on": true, "written_in": true}
		for i, t := range e.Quiz.Traits {
			at := fmt.Sprintf("quiz.traits.%d", i)
			if !t.Shared && len(holders[t.Key]) > 1 {
				l.addf(e.file, lineOf(e.node, at), "trait %q is written out in %d entries: declare it once in traits.yaml", t.Key, len(holders[t.Key]))
			}
			for _, c := range t.Contrasts {
				if len(holders[c]) == 0 {
					l.addf(e.file, lineOf(e.node, at), "trait %q contrasts with %q, which no entry has", t.Key, c)
				}
				if keys[c] {
					l.addf(e.file, lineOf(e.node, at), "the entry has both %q and %q, which exclude each other", t.Key, c)
				}
			}
			if t.About != "" && !keys[t.About] && !facts[t.About] {
				l.addf(e.file, lineOf(e.node, at), "trait %q is about %q, which is neither a key of this entry nor a fact", t.Key, t.About)
			}
		}
		for i, k := range e.Quiz.Partly {
			at := fmt.Sprintf("quiz.partly.%d", i)
			switch {
			case keys[k]:
				l.addf(e.file, lineOf(e.node, at), "%q is one of this entry's own traits, not partly true of it", k)
			case len(holders[k]) == 0:
				l.addf(e.file, lineOf(e.node, at), "no entry has trait %q", k)
			}
		}
		for i, m := range e.Quiz.Myths {
			about, _ := strings.CutPrefix(m.About, "not:")
			if m.About != "" && !keys[about] && !facts[about] && len(holders[about]) == 0 {
				l.addf(e.file, lineOf(e.node, fmt.Sprintf("quiz.myths.%d", i)), "myth %q is about %q, which is no key or fact", m.Key, m.About)
			}
		}
	}
}

// checkPeople reports a person written differently in two entries: another Chinese name, or
// notable in one entry but not the other.
func (l *loader) checkPeople() {
	type seen struct {
		atom Atom
		file string
	}
	people := map[string]seen{}
	for _, e := range l.entries {
		for i, a := range e.Quiz.Facts.Creator {
			prev, ok := people[a.EN]
			if !ok {
				people[a.EN] = seen{a, e.file}
				continue
			}
			if prev.atom != a {
				l.addf(e.file, lineOf(e.node, fmt.Sprintf("quiz.facts.creator.%d", i)),
					"%s is written differently in %s (Chinese name or notable flag): keep one form", a.EN, prev.file)
			}
		}
	}
}
