// Package content is Pybrarian's bilingual knowledge base: the entries about Python libraries,
// frameworks, tools and concepts, loaded from human-editable YAML files, validated, and indexed for
// name lookup (with typo tolerance) and search by purpose.
//
// The package has no dependencies on chat platforms or storage; the core (package bot) renders its
// entries as replies and the quiz (package quiz) generates cards from their structured facts.
package content

import (
	"slices"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// Lang is a reply language. Pybrarian speaks English and Chinese; every text in the knowledge base
// exists in both, so a Lang is always one of the two constants below.
type Lang string

const (
	English Lang = "en"
	Chinese Lang = "zh"
)

// ParseLocale maps a platform locale or language tag to the language Pybrarian answers in: any
// Chinese tag (zh, zh-CN, zh_TW, zh-Hans…) gives Chinese, everything else (including "") English.
func ParseLocale(tag string) Lang {
	t := strings.ToLower(strings.TrimSpace(tag))
	if t == "zh" || strings.HasPrefix(t, "zh-") || strings.HasPrefix(t, "zh_") {
		return Chinese
	}
	return English
}

// Text is a string in both languages. The loader guarantees both halves are present for every
// required field, so In never has to fall back in a valid knowledge base.
type Text struct {
	EN string `yaml:"en" json:"en"`
	ZH string `yaml:"zh" json:"zh"`
}

// In returns the text in lang, falling back to the other language when that half is empty
// (possible only for optional fields that were left out).
func (t Text) In(lang Lang) string {
	if lang == Chinese && t.ZH != "" {
		return t.ZH
	}
	if t.EN != "" {
		return t.EN
	}
	return t.ZH
}

// IsZero reports whether neither language is set, i.e. an optional field was omitted.
func (t Text) IsZero() bool { return t.EN == "" && t.ZH == "" }

// Lists is a list of short phrases in both languages; the two lists need not have the same length.
type Lists struct {
	EN []string `yaml:"en"`
	ZH []string `yaml:"zh"`
}

// In returns the phrases in lang.
func (l Lists) In(lang Lang) []string {
	if lang == Chinese {
		return l.ZH
	}
	return l.EN
}

// Kind says what sort of thing an entry describes; replies and quiz questions word themselves by it
// ("which of these frameworks…").
type Kind string

// Entry kinds.
const (
	KindLibrary   Kind = "library"
	KindFramework Kind = "framework"
	KindTool      Kind = "tool"
	KindConcept   Kind = "concept"
)

// Status records whether a project is still a good choice today. The seed articles are years old,
// so an entry states where a project stands now rather than repeating what was true then.
type Status string

// Entry statuses.
const (
	StatusActive       Status = "active"
	StatusMaintenance  Status = "maintenance"
	StatusUnmaintained Status = "unmaintained"
	StatusDiscontinued Status = "discontinued"
	StatusSuperseded   Status = "superseded"
)

// Retired reports whether the project should no longer be picked for new work.
func (s Status) Retired() bool {
	return s == StatusUnmaintained || s == StatusDiscontinued || s == StatusSuperseded
}

// Links are the entry's official pages. Docs is always set; PyPI is set for every project published there.
type Links struct {
	Docs   string `yaml:"docs"`
	PyPI   string `yaml:"pypi"`
	Source string `yaml:"source"`
}

// Entry is one library, framework, tool or concept. Entries are immutable once loaded and shared by
// every request, so callers must not modify them.
type Entry struct {
	ID           string   `yaml:"id"`
	Name         string   `yaml:"name"`
	NameZH       string   `yaml:"name_zh"`
	Kind         Kind     `yaml:"kind"`
	Aliases      []string `yaml:"aliases"`
	Topics       []string `yaml:"topics"`
	Status       Status   `yaml:"status"`
	SupersededBy []string `yaml:"superseded_by"`
	StatusNote   Text     `yaml:"status_note"`
	Links        Links    `yaml:"links"`
	Related      []string `yaml:"related"`
	Summary      Text     `yaml:"summary"`
	Details      Text     `yaml:"details"`
	Correction   Text     `yaml:"correction"`
	Uses         Lists    `yaml:"uses"`
	Features     Lists    `yaml:"features"`
	PickWhen     Text     `yaml:"pick_when"`
	Tips         []Text   `yaml:"tips"`
	Quiz         Quiz     `yaml:"quiz"`

	// Source is where the entry was loaded from ("entries/flask.yaml", or a path under
	// BOT_CONTENT_DIR), for problem reports.
	Source string `yaml:"-"`
}

// DisplayName is the entry's name in lang: the Chinese name where one is given, else the name.
func (e *Entry) DisplayName(lang Lang) string {
	if lang == Chinese && e.NameZH != "" {
		return e.NameZH
	}
	return e.Name
}

// InTopic reports whether the entry belongs to the topic with the given id.
func (e *Entry) InTopic(id string) bool {
	for _, t := range e.Topics {
		if t == id {
			return true
		}
	}
	return false
}

// Quiz holds the structured facts the quiz generates questions from. Facts are data, not prose, so a
// question's wrong answers can be drawn from the same facts of sibling entries, and every card can
// say why its answer is right.
type Quiz struct {
	Clue    Clue `yaml:"clue"`
	Purpose Text `yaml:"purpose"`
	// Origin says who started the entry, where and when, naming each creator, organisation and the
	// year of the facts: it explains the answer of the cards asking for them.
	Origin Text `yaml:"origin"`
	// Internals says what the entry is built on and written in, naming each atom of those facts.
	Internals Text    `yaml:"internals"`
	Facts     Facts   `yaml:"facts"`
	Traits    []Trait `yaml:"traits"`
	// Partly lists keys of other entries' traits that are partly true of this entry (Tornado, too,
	// leaves the database to other libraries, without being a micro-framework): the quiz neither
	// states them of it, true or false, nor offers it as a wrong answer to them.
	Partly    []string   `yaml:"partly"`
	Myths     []Myth     `yaml:"myths"`
	Questions []Question `yaml:"questions"`
}

// Touches reports whether the entry has the trait key, or has it in part: either way it can be
// neither a wrong answer to the trait nor the subject of a false statement made from it.
func (q *Quiz) Touches(key string) bool {
	return slices.Contains(q.Partly, key) || slices.ContainsFunc(q.Traits, func(t Trait) bool { return t.Key == key })
}

// Clue describes an entry without naming it, for "which library is this?"; Why explains which
// details of the description point at the entry.
type Clue struct {
	Text `yaml:",inline"`
	Why  Text `yaml:"why"`
}

// Atom is one item of a fact: a person, an organisation, a language, a library. In YAML it is a plain
// string when it reads the same in both languages ("Wes McKinney", "C++") and a mapping {en, zh} when
// it does not; a person whom learners of the ecosystem can be expected to know carries
// `notable: true`, and only notable people are asked about.
type Atom struct {
	EN      string
	ZH      string
	Notable bool
}

// UnmarshalYAML reads an atom from a string or from {en, zh, notable}; a missing zh is the en text.
func (a *Atom) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind == yaml.ScalarNode {
		*a = Atom{EN: n.Value, ZH: n.Value}
		return nil
	}
	var m struct {
		EN      string `yaml:"en"`
		ZH      string `yaml:"zh"`
		Notable bool   `yaml:"notable"`
	}
	if err := n.Decode(&m); err != nil {
		return err
	}
	if m.ZH == "" {
		m.ZH = m.EN
	}
	*a = Atom(m)
	return nil
}

// Text returns the atom's display text in both languages.
func (a Atom) Text() Text { return Text{EN: a.EN, ZH: a.ZH} }

// Atoms is a fact's value: the items it lists. In YAML it is a list of atoms, or a single atom.
type Atoms []Atom

// UnmarshalYAML reads a list of atoms, or one atom on its own.
func (as *Atoms) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind != yaml.SequenceNode {
		var a Atom
		if err := n.Decode(&a); err != nil {
			return err
		}
		*as = Atoms{a}
		return nil
	}
	var list []Atom
	if err := n.Decode(&list); err != nil {
		return err
	}
	*as = list
	return nil
}

// In returns the atoms as one phrase in lang: "Werkzeug and Jinja2", "Python, Cython and C",
// "Werkzeug 和 Jinja2", "Python、Cython 和 C"; "" when there are none.
func (as Atoms) In(lang Lang) string {
	var s string
	for i, a := range as {
		text := a.Text().In(lang)
		switch {
		case i == 0:
			s = text
		case i < len(as)-1 && lang == Chinese:
			s += "、" + text
		case i < len(as)-1:
			s += ", " + text
		case lang == Chinese:
			s = JoinZH(JoinZH(s, "和"), text)
		default:
			s += " and " + text
		}
	}
	return s
}

// Text returns the atoms as one phrase in both languages.
func (as Atoms) Text() Text { return Text{EN: as.In(English), ZH: as.In(Chinese)} }

// Has reports whether one of the atoms names the same thing as a, going by the English text with
// case, spacing and punctuation ignored.
func (as Atoms) Has(a Atom) bool {
	return slices.ContainsFunc(as, func(x Atom) bool { return Normalize(x.EN) == Normalize(a.EN) })
}

// Notable reports whether there are atoms and every one of them is marked notable.
func (as Atoms) Notable() bool {
	for _, a := range as {
		if !a.Notable {
			return false
		}
	}
	return len(as) > 0
}

// Facts are keyed facts about an entry. Each key asks the same question of every entry ("who created
// X?"), so the values of siblings serve as wrong answers once no atom of theirs is also an atom of
// the right answer.
type Facts struct {
	Creator      Atoms `yaml:"creator"`
	Organisation Atoms `yaml:"organisation"`
	Year         int   `yaml:"year"`
	BuiltOn      Atoms `yaml:"built_on"`
	WrittenIn    Atoms `yaml:"written_in"`
	// Uses are other things the entry depends on or works with without being built on them
	// (seaborn needs NumPy; pandas plots through Matplotlib). No card asks about them: they keep
	// another entry's built_on value that would be half right out of the wrong answers.
	Uses Atoms `yaml:"uses"`
}

// FactKey names one of the keyed facts; it is part of a quiz card's stable id.
type FactKey string

// The fact keys, in the order questions are generated.
const (
	FactCreator      FactKey = "creator"
	FactOrganisation FactKey = "organisation"
	FactYear         FactKey = "year"
	FactBuiltOn      FactKey = "built_on"
	FactWrittenIn    FactKey = "written_in"
)

// FactKeys lists every fact key in generation order.
var FactKeys = []FactKey{FactCreator, FactOrganisation, FactYear, FactBuiltOn, FactWrittenIn}

// Get returns the fact's atoms for key (the year as one atom), and false when the entry does not
// record it.
func (f Facts) Get(key FactKey) (Atoms, bool) {
	var as Atoms
	switch key {
	case FactCreator:
		as = f.Creator
	case FactOrganisation:
		as = f.Organisation
	case FactBuiltOn:
		as = f.BuiltOn
	case FactWrittenIn:
		as = f.WrittenIn
	case FactYear:
		if f.Year != 0 {
			y := strconv.Itoa(f.Year)
			as = Atoms{{EN: y, ZH: y}}
		}
	}
	return as, len(as) > 0
}

// Trait is a statement true of the entry, written as a verb phrase: "<Name> <en>." and
// "<名称><zh>。". A trait that several entries share is declared once in traits.yaml and listed by
// key alone in each entry; entries sharing a trait key share the trait, which is how the quiz knows
// a sibling's trait is false for this entry.
type Trait struct {
	Key  string `yaml:"key"`
	Text `yaml:",inline"`
	// Why explains the statement for this entry, naming the entry: what the learner reads after a
	// card built from the trait.
	Why Text `yaml:"why"`
	// Contrasts are keys of traits that exclude this one (a micro-framework is not full-stack): false
	// statements prefer them, and an entry may not hold both.
	Contrasts []string `yaml:"contrasts"`
	// About is the key of another fact of the entry that this trait tests too ("status" for "is no
	// longer developed"), so a round does not ask both.
	About string `yaml:"about"`
	// NameOK, when set, is why the trait may repeat the entry's name.
	NameOK string `yaml:"name_ok"`
	// Shared reports whether the trait comes from traits.yaml.
	Shared bool `yaml:"-"`
}

// Myth is a plausible false statement about the entry, typically one older articles make ("Flask
// runs in debug mode by default"), written like a trait; Truth says what is true instead.
type Myth struct {
	Key   string `yaml:"key"`
	Text  `yaml:",inline"`
	Truth Text   `yaml:"truth"`
	About string `yaml:"about"`
}

// Question is a hand-written multiple-choice question, used where keyed facts cannot express the
// point (concepts, mostly).
type Question struct {
	Key     string `yaml:"key"`
	Q       Text   `yaml:"q"`
	Answer  Text   `yaml:"answer"`
	Wrong   []Text `yaml:"wrong"`
	Explain Text   `yaml:"explain"`
	About   string `yaml:"about"`   // as Trait.About
	NameOK  string `yaml:"name_ok"` // as Trait.NameOK
}

// Topic groups entries for /lib listings and quiz rounds.
type Topic struct {
	ID      string   `yaml:"id"`
	Name    Text     `yaml:"name"`
	Aliases []string `yaml:"aliases"`
	// Seed marks the topics of the seed articles the knowledge base grew from; their entries must
	// keep a varied set of quiz cards.
	Seed bool `yaml:"seed"`
}
