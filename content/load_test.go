package content

import (
	"strings"
	"testing"
	"testing/fstest"
)

const testTopics = `
- id: web
  name: {en: Web, zh: 网络}
  aliases: [网站]
- id: data
  name: {en: Data, zh: 数据}
`

// validEntry is a minimal entry that passes every check; tests edit copies of it.
const validEntry = `id: alpha
name: Alpha
kind: library
aliases: [al]
topics: [web]
status: active
links:
  docs: https://alpha.example.org/
  pypi: https://pypi.org/project/alpha/
related: [beta]
summary: {en: Alpha serves web pages., zh: Alpha 用来提供网页。}
details: {en: Alpha is a small web library., zh: Alpha 是一个小型 Web 库。}
uses: {en: [web pages], zh: [网页]}
features: {en: [routing], zh: [路由]}
pick_when: {en: You need web pages., zh: 需要网页时。}
tips:
  - {en: Use alpha.run()., zh: 使用 alpha.run()。}
quiz:
  clue: {en: A tiny web toolkit., zh: 一个小型 Web 工具包。, why: {en: Alpha is tiny., zh: Alpha 很小。}}
  purpose: {en: Serving web pages, zh: 提供网页}
  facts:
    creator: {en: Ann Example, zh: Ann Example}
    year: 2011
  traits:
    - {key: tiny, en: is tiny, zh: 很小, why: {en: Alpha is tiny., zh: Alpha 很小。}}
  origin: {en: Ann Example wrote Alpha in 2011., zh: Ann Example 于 2011 年编写了 Alpha。}
`

const betaEntry = `id: beta
name: Beta
kind: library
topics: [web, data]
status: active
links:
  docs: https://beta.example.org/
  pypi: https://pypi.org/project/beta/
summary: {en: Beta stores data., zh: Beta 用来存储数据。}
details: {en: Beta is a data library., zh: Beta 是数据库。}
uses: {en: [storing data], zh: [存储数据]}
features: {en: [storage], zh: [存储]}
pick_when: {en: You need storage., zh: 需要存储时。}
tips:
  - {en: Call beta.save()., zh: 调用 beta.save()。}
quiz:
  clue: {en: A storage helper., zh: 一个存储工具。, why: {en: Beta stores data., zh: Beta 用来存储数据。}}
  purpose: {en: Storing data, zh: 存储数据}
`

func testSource(files map[string]string) Source {
	fsys := fstest.MapFS{}
	for name, body := range files {
		fsys[name] = &fstest.MapFile{Data: []byte(body)}
	}
	return Source{Name: "test", FS: fsys}
}

func TestLoadValid(t *testing.T) {
	kb, err := Load(testSource(map[string]string{
		"topics.yaml":        testTopics,
		"entries/alpha.yaml": validEntry,
		"entries/beta.yaml":  betaEntry,
	}))
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	if got := len(kb.Entries()); got != 2 {
		t.Errorf("len(Entries()) = %d, want 2", got)
	}
	if e, ok := kb.Entry("alpha"); !ok || e.Quiz.Facts.Year != 2011 || e.Source != "test/entries/alpha.yaml" {
		t.Errorf("Entry(alpha) = %+v, %v", e, ok)
	}
	if got := kb.TopicEntries("data"); len(got) != 1 || got[0].ID != "beta" {
		t.Errorf("TopicEntries(data) = %v, want [beta]", got)
	}
}

// TestLintProblems checks that each kind of mistake is reported at the line that has it.
func TestLintProblems(t *testing.T) {
	tests := []struct {
		name  string
		edit  func(string) string
		extra map[string]string
		want  string // "file:line: problem" substring
	}{
		{"misspelt field", func(s string) string { return strings.Replace(s, "summary:", "sumary:", 1) }, nil,
			`test/entries/alpha.yaml:11: unknown field "sumary"`},
		{"missing chinese", func(s string) string { return strings.Replace(s, ", zh: Alpha 用来提供网页。}", "}", 1) }, nil,
			`test/entries/alpha.yaml:11: summary.zh is missing`},
		{"unknown topic", func(s string) string { return strings.Replace(s, "topics: [web]", "topics: [webb]", 1) }, nil,
			`test/entries/alpha.yaml:5: unknown topic "webb"`},
		{"bad link", func(s string) string { return strings.Replace(s, "https://alpha.example.org/", "alpha.example.org", 1) }, nil,
			`test/entries/alpha.yaml:8: links.docs "alpha.example.org" is not a well-formed https URL`},
		{"missing related", func(s string) string { return strings.Replace(s, "related: [beta]", "related: [gamma]", 1) }, nil,
			`test/entries/alpha.yaml:10: related entry "gamma" does not exist`},
		{"id and file name", func(s string) string { return strings.Replace(s, "id: alpha", "id: alfa", 1) }, nil,
			`test/entries/alpha.yaml:1: id "alfa" does not match the file name`},
		{"clue names the entry", func(s string) string {
			return strings.Replace(s, "A tiny web toolkit.", `"Alpha, a tiny web toolkit."`, 1)
		}, nil,
			`test/entries/alpha.yaml:19: clue gives the answer away: it contains "alpha"`},
		{"alias owned twice", func(s string) string { return strings.Replace(s, "aliases: [al]", "aliases: [B-E-T-A]", 1) }, nil,
			`"B-E-T-A" already names entry "beta"`},
		{"superseded without successor", func(s string) string {
			return strings.Replace(s, "status: active", "status: superseded\nstatus_note: {en: Gone., zh: 已停止。}", 1)
		}, nil, `a superseded entry needs superseded_by`},
		{"status note required", func(s string) string { return strings.Replace(s, "status: active", "status: unmaintained", 1) }, nil,
			`status_note.en is missing`},
		{"summary too long", func(s string) string {
			return strings.Replace(s, "Alpha serves web pages.", strings.Repeat("x", 201), 1)
		}, nil, `summary.en is 201 characters, at most 200 allowed`},
		{"unclosed code span", func(s string) string { return strings.Replace(s, "Use alpha.run().", "Use `alpha.run().", 1) }, nil,
			"has an unclosed ` code span"},
		{"yaml syntax", func(s string) string { return s + "\n  bad: [\n" }, nil, `test/entries/alpha.yaml:`},
		{"duplicate topic", nil, map[string]string{"topics.yaml": testTopics + testTopics},
			`duplicate topic id "web"`},
		{"undeclared shared trait", func(s string) string {
			return strings.Replace(s, "{key: tiny, en: is tiny, zh: 很小, why: {en: Alpha is tiny., zh: Alpha 很小。}}", "{key: small}", 1)
		}, nil, `test/entries/alpha.yaml:25: trait "small" has no text and is not declared in traits.yaml`},
		{"shared trait redefined", nil, map[string]string{"traits.yaml": "- {key: tiny, en: is tiny, zh: 很小}\n"},
			`trait "tiny" is declared in test/traits.yaml: list it here by key (and why) only`},
		{"why without the name", func(s string) string {
			return strings.Replace(s, "why: {en: Alpha is tiny., zh: Alpha 很小。}}\n  origin", "why: {en: It is tiny., zh: 它很小。}}\n  origin", 1)
		}, nil, `trait "tiny": why must name the entry in both languages`},
		{"origin misses the year", func(s string) string { return strings.Replace(s, "wrote Alpha in 2011.", "wrote Alpha.", 1) }, nil,
			`quiz.origin must name "2011"`},
		{"fact as prose", func(s string) string {
			return strings.Replace(s, "creator: {en: Ann Example, zh: Ann Example}", "creator: {en: Ann and Bo Example, zh: Ann 和 Bo Example}", 1)
		}, nil, `"Ann and Bo Example" reads like a list: give each item as an atom of its own`},
		{"written in Python", func(s string) string {
			return strings.Replace(s, "    year: 2011\n", "    year: 2011\n    written_in: [Python]\n  internals: {en: Alpha is Python., zh: Alpha 用 Python 编写。}\n", 1)
		}, nil, `written_in is only Python`},
		{"uses repeats built_on", func(s string) string {
			return strings.Replace(s, "    year: 2011\n", "    year: 2011\n    built_on: [Werkzeug]\n    uses: [werkzeug]\n  internals: {en: Alpha wraps Werkzeug., zh: Alpha 封装了 Werkzeug。}\n", 1)
		}, nil, `"werkzeug" is in built_on already`},
		{"trait names its entry", func(s string) string {
			return strings.Replace(s, "en: is tiny, zh: 很小,", "en: is Alpha-sized, zh: 很小,", 1)
		}, nil,
			`trait "tiny" repeats "alpha" from the entry's name`},
		{"Latin glued to Chinese", func(s string) string {
			return strings.Replace(s, "zh: Alpha 用来提供网页。", "zh: Alpha用来提供网页。", 1)
		}, nil,
			`summary.zh needs a space between Latin and Chinese text`},
		{"own trait in two entries", nil, map[string]string{"entries/beta.yaml": betaEntry + "  traits:\n    - {key: tiny, en: is tiny, zh: 很小, why: {en: Beta is tiny., zh: Beta 很小。}}\n"},
			`trait "tiny" is written out in 2 entries: declare it once in traits.yaml`},
		{"shared trait held once", nil, map[string]string{"traits.yaml": "- {key: lonely, en: is alone, zh: 很孤单}\n"},
			`shared trait "lonely" is held by 0 entries`},
		{"misspelt atom field", func(s string) string {
			return strings.Replace(s, "creator: {en: Ann Example, zh: Ann Example}", "creator: [{en: Ann Example, notabel: true}]", 1)
		}, nil, `alpha.yaml:22: unknown field "quiz.facts.creator[0].notabel"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			alpha := validEntry
			if tt.edit != nil {
				alpha = tt.edit(alpha)
			}
			files := map[string]string{"topics.yaml": testTopics, "entries/alpha.yaml": alpha, "entries/beta.yaml": betaEntry}
			for k, v := range tt.extra {
				files[k] = v
			}
			ps := Lint(testSource(files))
			var lines []string
			for _, p := range ps {
				lines = append(lines, p.String())
			}
			got := strings.Join(lines, "\n")
			if !strings.Contains(got, tt.want) {
				t.Errorf("Lint() =\n%s\nwant a problem containing %q", got, tt.want)
			}
		})
	}
}

// TestFactsAndSharedTraits checks the two quiz data forms: facts as lists of atoms, and traits
// declared once in traits.yaml for the entries that share them.
func TestFactsAndSharedTraits(t *testing.T) {
	alpha := strings.NewReplacer(
		"creator: {en: Ann Example, zh: Ann Example}",
		"creator: [{en: Ann Example, notable: true}, Bo Example]\n    written_in: [C, {en: Python, zh: Python 语言}]",
		"why: {en: Alpha is tiny., zh: Alpha 很小。}}\n  origin",
		"why: {en: Alpha is tiny., zh: Alpha 很小。}}\n    - key: web-thing\n      why: {en: Alpha is a web thing., zh: Alpha 是 Web 工具。}\n  origin",
		"Ann Example wrote Alpha in 2011.", "Ann Example and Bo Example wrote Alpha in 2011.",
		"Ann Example 于 2011 年编写了 Alpha。", "Ann Example 和 Bo Example 于 2011 年编写了 Alpha。",
	).Replace(validEntry) + "  internals: {en: Alpha is written in C and Python., zh: Alpha 用 C 和 Python 语言编写。}\n"
	beta := betaEntry + "  traits:\n    - key: web-thing\n      why: {en: Beta is a web thing., zh: Beta 是 Web 工具。}\n"
	shared := "- key: web-thing\n  en: is a web thing\n  zh: 是 Web 工具\n"
	kb, err := Load(testSource(map[string]string{
		"topics.yaml": testTopics, "traits.yaml": shared, "entries/alpha.yaml": alpha, "entries/beta.yaml": beta,
	}))
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	a, _ := kb.Entry("alpha")
	if got := a.Quiz.Facts.Creator.Text(); got != (Text{EN: "Ann Example and Bo Example", ZH: "Ann Example 和 Bo Example"}) {
		t.Errorf("creator = %+v", got)
	}
	if a.Quiz.Facts.Creator.Notable() || !a.Quiz.Facts.Creator[0].Notable {
		t.Errorf("notable flags = %+v, want only Ann notable", a.Quiz.Facts.Creator)
	}
	if got := a.Quiz.Facts.WrittenIn.In(Chinese); got != "C 和 Python 语言" {
		t.Errorf("written_in zh = %q", got)
	}
	for _, id := range []string{"alpha", "beta"} {
		e, _ := kb.Entry(id)
		tr := e.Quiz.Traits[len(e.Quiz.Traits)-1]
		if tr.Key != "web-thing" || tr.EN != "is a web thing" || !tr.Shared || tr.Why.IsZero() {
			t.Errorf("%s's shared trait = %+v", id, tr)
		}
	}
}

func TestOverrideReplacesEntry(t *testing.T) {
	base := testSource(map[string]string{"topics.yaml": testTopics, "entries/alpha.yaml": validEntry, "entries/beta.yaml": betaEntry})
	over := testSource(map[string]string{
		"entries/beta.yaml": strings.Replace(betaEntry, "Beta stores data.", "Beta stores more data.", 1),
		"entries/gamma.yaml": strings.NewReplacer("id: beta", "id: gamma", "name: Beta", "name: Gamma",
			"why: {en: Beta stores data., zh: Beta 用来存储数据。}", "why: {en: Gamma stores data., zh: Gamma 用来存储数据。}").Replace(betaEntry),
	})
	over.Name = "override"
	kb, err := Load(base, over)
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	if e, _ := kb.Entry("beta"); e.Summary.EN != "Beta stores more data." || e.Source != "override/entries/beta.yaml" {
		t.Errorf("beta = %q from %s, want the override", e.Summary.EN, e.Source)
	}
	if _, ok := kb.Entry("gamma"); !ok {
		t.Errorf("Entry(gamma) missing: the override directory should add entries")
	}
}

func TestParseLocale(t *testing.T) {
	for _, tt := range []struct {
		tag  string
		want Lang
	}{
		{"zh", Chinese}, {"zh-CN", Chinese}, {"zh_TW", Chinese}, {"zh-Hans", Chinese}, {"ZH-hant-HK", Chinese},
		{"en", English}, {"en-US", English}, {"", English}, {"ja", English}, {"zhx", English},
	} {
		if got := ParseLocale(tt.tag); got != tt.want {
			t.Errorf("ParseLocale(%q) = %q, want %q", tt.tag, got, tt.want)
		}
	}
}

func TestLintSpaceInChinese(t *testing.T) {
	alpha := strings.Replace(validEntry, "zh: Alpha 用来提供网页。", "zh: Alpha 用来 提供网页。", 1)
	ps := Lint(testSource(map[string]string{"topics.yaml": testTopics, "entries/alpha.yaml": alpha, "entries/beta.yaml": betaEntry}))
	if len(ps) != 1 || !strings.Contains(ps[0].String(), "alpha.yaml:11: summary.zh has a space between Chinese characters") {
		t.Errorf("Lint() = %v, want the stray space reported at line 11", ps)
	}
}
