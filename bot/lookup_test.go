package bot

import (
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/pybrarian/pybrarian/content"
)

var update = flag.Bool("update", false, "rewrite golden files in testdata/")

// seedEntries are the libraries, frameworks and concepts of the two seed articles, with the names
// learners use for them.
var seedEntries = map[string][]string{
	"tensorflow":          {"TensorFlow", "tf"},
	"scikit-learn":        {"Scikit-Learn", "sklearn", "scikit learn"},
	"numpy":               {"NumPy", "np"},
	"keras":               {"Keras"},
	"torch":               {"PyTorch", "torch"},
	"lightgbm":            {"LightGBM", "lgbm"},
	"eli5":                {"ELI5"},
	"scipy":               {"SciPy"},
	"theano":              {"Theano"},
	"pandas":              {"Pandas", "pd"},
	"requests":            {"Requests"},
	"scrapy":              {"Scrapy"},
	"wxpython":            {"wxPython"},
	"pillow":              {"Pillow", "PIL"},
	"sqlalchemy":          {"SQLAlchemy"},
	"beautifulsoup4":      {"BeautifulSoup", "Beautiful Soup", "bs4"},
	"twisted":             {"Twisted"},
	"matplotlib":          {"matplotlib", "plt"},
	"pygame":              {"Pygame"},
	"pyglet":              {"Pyglet"},
	"pyqt6":               {"PyQt", "PyQt5", "pyQT"},
	"pygobject":           {"PyGTK", "pyGtk", "PyGObject"},
	"scapy":               {"Scapy"},
	"pywin32":             {"pywin32"},
	"nltk":                {"NLTK"},
	"nose":                {"nose"},
	"sympy":               {"SymPy"},
	"ipython":             {"IPython"},
	"django":              {"Django"},
	"tornado":             {"Tornado"},
	"flask":               {"Flask"},
	"mvc":                 {"MVC", "Model-View-Controller"},
	"wsgi":                {"WSGI"},
	"full-stack-vs-micro": {"full-stack-vs-micro"},
	"asyncio-event-loop":  {"asyncio", "event loop"},
}

// typo swaps two adjacent letters in the middle of a name, the commonest slip.
func typo(name string) string {
	r := []rune(name)
	i := len(r) / 2
	if r[i-1] == r[i] {
		i++
	}
	r[i-1], r[i] = r[i], r[i-1]
	return string(r)
}

func TestLookupSeedEntries(t *testing.T) {
	b := newTestBot(t)
	for id, names := range seedEntries {
		e, ok := b.kb.Entry(id)
		if !ok {
			t.Errorf("seed entry %q is missing from the knowledge base", id)
			continue
		}
		all := append(append([]string{id, e.Name}, e.Aliases...), names...)
		for _, name := range all {
			if got := entryOf(ask(b, "en", "/lib "+name)); got != id {
				t.Errorf("/lib %s → entry %q, want %q", name, got, id)
			}
		}
		if n := len([]rune(content.Normalize(e.Name))); n >= 4 {
			q := typo(content.Normalize(e.Name))
			rs := ask(b, "en", "/lib "+q)
			switch got := entryOf(rs); {
			case got == id:
				if !strings.Contains(rs[0].Text.PlainText(), q) {
					t.Errorf("/lib %s: the reply should say the typo was corrected:\n%s", q, rs[0].Text.PlainText())
				}
				if c := rs[0].Card; c == nil || !strings.Contains(c.Note.PlainText(), q) {
					t.Errorf("/lib %s: the card should say the typo was corrected too", q)
				}
			case got == "" && strings.Contains(plain(rs), "/lib "+id):
				// Equally close to another name ("scarpy": scrapy or scapy): suggesting is right.
			default:
				t.Errorf("/lib %s (typo) → entry %q, want %q or a suggestion of it\n%s", q, got, id, plain(rs))
			}
		}
	}
}

func TestPhrasings(t *testing.T) {
	b := newTestBot(t)
	tests := []struct {
		locale, text, entry string
		zh                  bool // reply in Chinese
	}{
		{"en", "what is flask?", "flask", false},
		{"en", "What's Flask", "flask", false},
		{"en", "whats pandas", "pandas", false},
		{"en", "tell me about requests", "requests", false},
		{"en", "What is the Django library?", "django", false},
		{"en", "explain numpy", "numpy", false},
		{"en", "what is pnadas", "pandas", false},
		{"en", "djnago", "django", false},
		{"en", "what is bs4", "beautifulsoup4", false},
		{"en", "WHAT IS  SKLEARN ??", "scikit-learn", false},
		{"en", "pandas是什么", "pandas", true},
		{"en", "pandas是什么？", "pandas", true},
		{"en", "什么是Flask", "flask", true},
		{"en", "介绍一下django", "django", true},
		{"en", "numpy是啥", "numpy", true},
		{"en", "ｐａｎｄａｓ是什么？", "pandas", true},
		{"zh-CN", "what is flask", "flask", true},
		{"zh-Hant", "/lib flask", "flask", true},
		{"en-US", "/lib flask", "flask", false},
	}
	for _, tt := range tests {
		rs := ask(b, tt.locale, tt.text)
		if got := entryOf(rs); got != tt.entry {
			t.Errorf("%q → entry %q, want %q\n%s", tt.text, got, tt.entry, plain(rs))
			continue
		}
		e, _ := b.kb.Entry(tt.entry)
		want := e.Summary.EN
		if tt.zh {
			want = e.Summary.ZH
		}
		if !strings.Contains(rs[0].Text.PlainText(), strings.Split(want, "`")[0]) {
			t.Errorf("%q (locale %q): reply is not in the expected language:\n%s", tt.text, tt.locale, rs[0].Text.PlainText())
		}
	}
}

func TestNotFoundIsHonest(t *testing.T) {
	b := newTestBot(t)
	for _, text := range []string{"/lib rails", "what is love?", "/lib qwertyuiop", "什么是爱情", "/lib spring"} {
		rs := ask(b, "en", text)
		if len(rs) != 1 {
			t.Errorf("%q: got %d replies, want 1", text, len(rs))
			continue
		}
		if rs[0].Entry != "" {
			t.Errorf("%q presented entry %q as the answer; want an honest not-found", text, rs[0].Entry)
		}
		txt := rs[0].Text.PlainText()
		if !strings.Contains(txt, "don't know") && !strings.Contains(txt, "不知道") {
			t.Errorf("%q: reply does not say the name is unknown:\n%s", text, txt)
		}
	}
}

func TestNotFoundSuggests(t *testing.T) {
	b := newTestBot(t)
	rs := ask(b, "en", "/lib scikit")
	if len(rs) != 1 || rs[0].Entry != "" {
		t.Fatalf("/lib scikit: %+v, want one not-found reply", rs)
	}
	txt := rs[0].Text.PlainText()
	for _, want := range []string{"Did you mean", "/lib scikit-learn", "/lib scikit-image"} {
		if !strings.Contains(txt, want) {
			t.Errorf("/lib scikit: reply lacks %q:\n%s", want, txt)
		}
	}
}

func TestGroupChatterIsIgnored(t *testing.T) {
	b := newTestBot(t)
	for _, text := range []string{"black", "what is love?", "lol", "/unknowncommand"} {
		if rs := askGroup(b, text); len(rs) != 0 {
			t.Errorf("group message %q got a reply: %s", text, plain(rs))
		}
	}
	if got := entryOf(askGroup(b, "what is flask?")); got != "flask" {
		t.Errorf("group question about flask → %q, want flask", got)
	}
}

func TestCompare(t *testing.T) {
	b := newTestBot(t)
	for _, text := range []string{"flask vs django", "/lib flask django", "Flask vs. Django?", "flask和django的区别", "compare flask and django", "/lib flask, django"} {
		rs := ask(b, "en", text)
		if len(rs) != 1 {
			t.Errorf("%q: %d replies, want 1", text, len(rs))
			continue
		}
		txt := rs[0].Text.PlainText()
		if rs[0].Entry != "" {
			t.Errorf("%q: a comparison must not present one entry as the answer", text)
		}
		wants := []string{"Flask", "Django", "micro-framework"}
		if strings.ContainsAny(text, "和区别") {
			wants[2] = "微框架"
		}
		for _, want := range wants {
			if !strings.Contains(txt, want) {
				t.Errorf("%q: comparison lacks %q:\n%s", text, want, txt)
			}
		}
		// Chinese sentences set a Latin name apart from the Chinese that follows it.
		if strings.ContainsAny(text, "和区别") && regexp.MustCompile(`(Flask|Django)\p{Han}`).MatchString(txt) {
			t.Errorf("%q: a Latin name runs into Chinese text:\n%s", text, txt)
		}
	}
	rs := ask(b, "en", "flask vs rails")
	if len(rs) != 1 || !strings.Contains(rs[0].Text.PlainText(), "rails") {
		t.Errorf("flask vs rails: want a not-found about rails, got %s", plain(rs))
	}
}

func TestFind(t *testing.T) {
	b := newTestBot(t)
	tests := []struct {
		text string
		want string // an entry that must be among the results
	}{
		{"/find scraping", "scrapy"},
		{"/find web scraping", "beautifulsoup4"},
		{"a library for plotting", "matplotlib"},
		{"is there a library for plotting charts?", "matplotlib"},
		{"有什么库可以画图", "matplotlib"},
		{"/find 爬虫", "scrapy"},
		{"/find testing", "pytest"},
		{"/find dataframes", "pandas"},
	}
	for _, tt := range tests {
		rs := ask(b, "en", tt.text)
		if len(rs) != 1 {
			t.Errorf("%q: %d replies", tt.text, len(rs))
			continue
		}
		if !strings.Contains(rs[0].Text.PlainText(), "/lib "+tt.want) {
			t.Errorf("%q: results lack %s:\n%s", tt.text, tt.want, rs[0].Text.PlainText())
		}
	}
	if rs := ask(b, "en", "/find"); !rs[0].Private || !strings.Contains(rs[0].Text.PlainText(), "/find") {
		t.Errorf("/find without words should explain usage privately, got %+v", rs)
	}
}

func TestHelpInBothLanguages(t *testing.T) {
	b := newTestBot(t)
	for _, tt := range []struct{ locale, want string }{{"en", "Commands"}, {"zh", "命令"}} {
		for _, cmd := range []string{"/help", "/start"} {
			txt := plain(ask(b, tt.locale, cmd))
			if !strings.Contains(txt, tt.want) {
				t.Errorf("%s in %s lacks %q:\n%s", cmd, tt.locale, tt.want, txt)
			}
			for _, c := range b.Commands() {
				if !strings.Contains(txt, "/"+c.Name) {
					t.Errorf("%s in %s does not explain /%s", cmd, tt.locale, c.Name)
				}
			}
		}
	}
}

func TestLibListsTopics(t *testing.T) {
	b := newTestBot(t)
	txt := plain(ask(b, "en", "/lib"))
	for _, tp := range b.kb.Topics() {
		if !strings.Contains(txt, tp.Name.EN) {
			t.Errorf("/lib does not list topic %q", tp.ID)
		}
	}
	if !strings.Contains(txt, "scikit-learn") || !strings.Contains(txt, "Django") {
		t.Errorf("/lib does not list entries:\n%s", txt)
	}
	if txt := plain(ask(b, "zh", "/lib 框架")); !strings.Contains(txt, "Django") || !strings.Contains(txt, "Web 框架") {
		t.Errorf("/lib 框架 should list the frameworks topic in Chinese:\n%s", txt)
	}
}

// TestGoldenReplies pins the rendering of representative replies; run with -update after an
// intended change and review the diff.
func TestGoldenReplies(t *testing.T) {
	b := newTestBot(t)
	tests := []struct{ name, locale, text string }{
		{"lib-pandas-en", "en", "/lib pandas"},
		{"lib-pandas-zh", "zh", "pandas是什么"},
		{"lib-typo", "en", "what is pnadas"},
		{"compare-flask-django", "en", "flask vs django"},
		{"find-scraping", "en", "/find scraping"},
		{"not-found", "en", "/lib rails"},
		{"help-zh", "zh", "/help"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := plain(ask(b, tt.locale, tt.text)) + "\n"
			path := filepath.Join("testdata", tt.name+".golden")
			if *update {
				if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("reading golden file (run with -update to create it): %v", err)
			}
			if diff := cmp.Diff(string(want), got); diff != "" {
				t.Errorf("%s: reply differs from %s (-want +got):\n%s", tt.text, path, diff)
			}
		})
	}
}

func BenchmarkLookup(b *testing.B) {
	kb := testKB(b)
	for _, q := range []struct{ name, q string }{
		{"exact", "pandas"}, {"alias", "sklearn"}, {"typo", "pnadas"}, {"miss", "rails"},
	} {
		b.Run(q.name, func(b *testing.B) {
			for b.Loop() {
				kb.Lookup(q.q)
			}
		})
	}
}

func BenchmarkHandleLookup(b *testing.B) {
	bt := newTestBot(b)
	for b.Loop() {
		ask(bt, "en", "what is flask?")
	}
}
