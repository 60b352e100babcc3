package content_test

import (
	"testing"

	"github.com/pybrarian/pybrarian/content"
)

// TestEmbeddedContentIsValid is the content lint run as a test: the shipped knowledge base must load
// without a single problem and cover what the seed articles teach.
func TestEmbeddedContentIsValid(t *testing.T) {
	kb, err := content.Load(content.Embedded())
	if err != nil {
		t.Fatalf("embedded content has problems:\n%v", err)
	}
	if n := len(kb.Entries()); n < 92 {
		t.Errorf("knowledge base has %d entries, want at least 92 (the seeds plus 60 more)", n)
	}
	seedTopics := map[string][]string{
		"ml":         {"tensorflow", "scikit-learn", "numpy", "keras", "torch", "lightgbm", "eli5", "scipy", "theano", "pandas"},
		"essentials": {"requests", "scrapy", "wxpython", "pillow", "sqlalchemy", "beautifulsoup4", "twisted", "numpy", "scipy", "matplotlib", "pygame", "pyglet", "pyqt6", "pygobject", "scapy", "pywin32", "nltk", "nose", "sympy", "ipython"},
		"frameworks": {"django", "tornado", "flask", "twisted", "mvc", "wsgi"},
	}
	for topic, ids := range seedTopics {
		for _, id := range ids {
			e, ok := kb.Entry(id)
			if !ok {
				t.Errorf("seed entry %q is missing", id)
			} else if !e.InTopic(topic) {
				t.Errorf("seed entry %q is not in topic %q", id, topic)
			}
		}
	}
	if got := len(kb.TopicEntries("ml")); got != 10 {
		t.Errorf("topic ml has %d entries, want exactly the ten ML seeds", got)
	}
	if got := len(kb.TopicEntries("essentials")); got != 20 {
		t.Errorf("topic essentials has %d entries, want exactly the twenty everyday seeds", got)
	}
	// The seeds are dated; these entries must say what changed.
	for _, id := range []string{"theano", "nose", "twisted", "keras", "eli5"} {
		if e, ok := kb.Entry(id); ok && e.Correction.IsZero() {
			t.Errorf("entry %q has no correction of the dated seed facts", id)
		}
	}
	for id, want := range map[string]content.Status{"theano": content.StatusDiscontinued, "nose": content.StatusUnmaintained} {
		if e, ok := kb.Entry(id); ok && !e.Status.Retired() {
			t.Errorf("entry %q has status %q, want %q or another retired status", id, e.Status, want)
		}
	}
}

func BenchmarkLoadEmbedded(b *testing.B) {
	for b.Loop() {
		if _, err := content.Load(content.Embedded()); err != nil {
			b.Fatal(err)
		}
	}
}

func TestExactForgivesNoTypos(t *testing.T) {
	kb, err := content.Load(content.Embedded())
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct{ name, want string }{
		{"pandas", "pandas"},
		{"Scikit-Learn", "scikit-learn"},
		{"sklearn", "scikit-learn"}, // an alias
		{"pnadas", ""},              // Lookup forgives this typo; Exact does not
		{"Django and Flask", ""},
	} {
		got := ""
		if e, ok := kb.Exact(tt.name); ok {
			got = e.ID
		}
		if got != tt.want {
			t.Errorf("Exact(%q) = %q, want %q", tt.name, got, tt.want)
		}
	}
}
