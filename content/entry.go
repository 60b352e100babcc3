// Package content is Pybrarian's bilingual knowledge base: the entries about Python libraries,
// frameworks, tools and concepts, loaded from human-editable YAML files, validated, and indexed for
// name lookup (with typo tolerance) and search by purpose.
//
// The package has no dependencies on chat platforms or storage; the core (package bot) renders its
// entries as replies and the quiz (package quiz) generates cards from their structured facts.
package content

import (
	"strconv"
	"strings"
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
// question's wrong answers can be drawn from the same facts of sibling entries.
type Quiz struct {
	Clue      Text       `yaml:"clue"`
	Purpose   Text       `yaml:"purpose"`
	Facts     Facts      `yaml:"facts"`
	Traits    []Trait    `yaml:"traits"`
	Questions []Question `yaml:"questions"`
}

// Facts are keyed facts about an entry. Each key asks the same question of every entry ("who created
// X?"), so the values of siblings serve as wrong answers.
type Facts struct {
	Creator      Text `yaml:"creator"`
	Organisation Text `yaml:"organisation"`
	Year         int  `yaml:"year"`
	BuiltOn      Text `yaml:"built_on"`
	WrittenIn    Text `yaml:"written_in"`
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

// Get returns the fact's value for key, and false when the entry does not record it.
func (f Facts) Get(key FactKey) (Text, bool) {
	var t Text
	switch key {
	case FactCreator:
		t = f.Creator
	case FactOrganisation:
		t = f.Organisation
	case FactBuiltOn:
		t = f.BuiltOn
	case FactWrittenIn:
		t = f.WrittenIn
	case FactYear:
		if f.Year == 0 {
			return Text{}, false
		}
		y := strconv.Itoa(f.Year)
		t = Text{EN: y, ZH: y}
	}
	return t, !t.IsZero()
}

// Trait is a statement true of the entry. Entries sharing a trait key share the trait, which is how the
// quiz knows a sibling's trait is false for this entry.
type Trait struct {
	Key  string `yaml:"key"`
	Text `yaml:",inline"`
}

// Question is a hand-written multiple-choice question, used where keyed facts cannot express the
// point (concepts, mostly).
type Question struct {
	Key     string `yaml:"key"`
	Q       Text   `yaml:"q"`
	Answer  Text   `yaml:"answer"`
	Wrong   []Text `yaml:"wrong"`
	Explain Text   `yaml:"explain"`
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
