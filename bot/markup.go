package bot

import (
	"strings"
)

// Style is how a span of text is shown.
type Style uint8

// Span styles. Bullet starts a list item; its Text is empty.
const (
	Plain Style = iota
	Bold
	Italic
	Code
	Link
	Bullet
)

// Span is a run of text in one style. Link spans carry their URL. Line breaks appear only as "\n"
// inside Plain spans, so a renderer can split a message into lines without cutting a styled span.
type Span struct {
	Style Style
	Text  string
	URL   string
}

// Markup is formatted text built from spans rather than parsed from a markup language, so user input
// and content can never inject formatting: each adapter escapes every span for its platform.
type Markup struct {
	spans []Span
}

// Text starts a Markup with plain text.
func Text(s string) Markup { var m Markup; return *m.Plain(s) }

// Spans returns the spans in order. The slice is shared: do not modify it.
func (m *Markup) Spans() []Span { return m.spans }

// IsEmpty reports whether there is no text at all.
func (m *Markup) IsEmpty() bool { return len(m.spans) == 0 }

func (m *Markup) add(st Style, s, url string) *Markup {
	if s == "" && st != Bullet {
		return m
	}
	if st == Bullet {
		// A list item starts on a line of its own.
		if n := len(m.spans); n > 0 && !strings.HasSuffix(m.spans[n-1].Text, "\n") {
			m.add(Plain, "\n", "")
		}
	}
	if st == Plain && len(m.spans) > 0 && m.spans[len(m.spans)-1].Style == Plain {
		m.spans[len(m.spans)-1].Text += s
		return m
	}
	m.spans = append(m.spans, Span{Style: st, Text: s, URL: url})
	return m
}

// Plain appends unformatted text.
func (m *Markup) Plain(s string) *Markup { return m.add(Plain, s, "") }

// Bold appends bold text.
func (m *Markup) Bold(s string) *Markup { return m.add(Bold, s, "") }

// Italic appends italic text.
func (m *Markup) Italic(s string) *Markup { return m.add(Italic, s, "") }

// Code appends inline code.
func (m *Markup) Code(s string) *Markup { return m.add(Code, s, "") }

// Link appends a link; where a platform cannot show link text, renderers show the URL.
func (m *Markup) Link(text, url string) *Markup { return m.add(Link, text, url) }

// Line ends the current line.
func (m *Markup) Line() *Markup { return m.add(Plain, "\n", "") }

// Para ends the current paragraph with an empty line.
func (m *Markup) Para() *Markup { return m.add(Plain, "\n\n", "") }

// Item starts a list item on a new line.
func (m *Markup) Item() *Markup { return m.add(Bullet, "", "") }

// Content appends knowledge-base text, in which `backticks` mark code spans.
func (m *Markup) Content(s string) *Markup {
	parts := strings.Split(s, "`")
	for i, p := range parts {
		if i%2 == 1 {
			m.Code(p)
		} else {
			m.Plain(p)
		}
	}
	return m
}

// Append adds all of o's spans.
func (m *Markup) Append(o Markup) *Markup {
	for _, s := range o.spans {
		m.add(s.Style, s.Text, s.URL)
	}
	return m
}

// PlainText renders the markup without formatting: what the terminal shows and what tests compare.
// Links show as "text (url)" unless the text is the URL itself.
func (m Markup) PlainText() string {
	var b strings.Builder
	for _, s := range m.spans {
		switch s.Style {
		case Bullet:
			b.WriteString("• ")
		case Link:
			b.WriteString(s.Text)
			if s.URL != "" && s.URL != s.Text {
				b.WriteString(" (" + s.URL + ")")
			}
		default:
			b.WriteString(s.Text)
		}
	}
	return strings.TrimRight(b.String(), "\n ")
}

// Lines splits the markup at line breaks, so adapters can split long messages between lines.
// Empty lines are kept as empty slices.
func (m Markup) Lines() [][]Span {
	lines := [][]Span{nil}
	for _, s := range m.spans {
		if s.Style != Plain || !strings.Contains(s.Text, "\n") {
			lines[len(lines)-1] = append(lines[len(lines)-1], s)
			continue
		}
		parts := strings.Split(s.Text, "\n")
		for i, p := range parts {
			if i > 0 {
				lines = append(lines, nil)
			}
			if p != "" {
				lines[len(lines)-1] = append(lines[len(lines)-1], Span{Style: Plain, Text: p})
			}
		}
	}
	return lines
}
