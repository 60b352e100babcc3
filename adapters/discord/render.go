package discord

import (
	"bytes"
	"fmt"
	"net/url"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/bwmarrin/discordgo"

	"github.com/pybrarian/pybrarian/bot"
	"github.com/pybrarian/pybrarian/content"
)

// Discord's limits on what one message carries (resources/message, components/reference).
// Discord counts characters; so does the adapter, as runes.
const (
	maxContent          = 2000
	maxEmbedTitle       = 256
	maxEmbedDescription = 4096
	maxEmbedFields      = 25
	maxFieldName        = 256
	maxFieldValue       = 1024
	maxFooterText       = 2048
	maxEmbedTotal       = 6000 // every text of every embed of one message together
	maxRows             = 5
	maxRowButtons       = 5
	maxButtonLabel      = 80
	maxCustomID         = 100
	maxButtonURL        = 512
)

// commandPrefix starts the custom id of a button that stands for a command the user "types" by
// pressing it ("cmd:/quiz pandas"). Choice data never starts with it: the core's start with "q:".
const commandPrefix = "cmd:"

// message is one Discord message a reply renders to.
type message struct {
	content    string
	embeds     []*discordgo.MessageEmbed
	components []discordgo.MessageComponent
	// private asks for an ephemeral message, where an interaction response allows one.
	private bool
	// edit asks to replace the message whose button was pressed, where that is what is answered.
	edit bool
	// files are attached to the message.
	files []*discordgo.File
}

// none is the allowed_mentions every message carries: parse nothing, so no text the bot echoes
// (a query with @everyone, a name like <@123>) can notify anyone, and a reply does not ping the
// person it answers.
func none() *discordgo.MessageAllowedMentions {
	return &discordgo.MessageAllowedMentions{Parse: []discordgo.AllowedMentionType{}}
}

// render lays out a reply as Discord messages: an entry card as an embed with its links as
// buttons, its note above; anything else as markdown split at the content limit, with the
// buttons on the last part. A reply with nothing to show renders to no message.
func render(r bot.Reply) []message {
	base := message{private: r.Private, edit: r.Edit}
	if c := r.Card; c != nil {
		m := base
		m.content = fitMarkdown(c.Note, maxContent)
		m.embeds = []*discordgo.MessageEmbed{cardEmbed(c)}
		links := c.Links
		if links == nil {
			links = r.Buttons
		}
		m.components = components(nil, links)
		return []message{m}
	}
	text, labels := r.Text, choiceLabels(r.Choices)
	if labels.listed {
		// The choices do not fit on buttons: list them in full under the question.
		var t bot.Markup
		t.Append(r.Text)
		for i, c := range r.Choices {
			t.Line().Bold(fmt.Sprintf("%d.", i+1)).Plain(" " + c.Label)
		}
		text = t
	}
	comps := components(labels.choices, r.Buttons)
	parts := renderMarkdown(text, maxContent)
	if len(parts) == 0 {
		if comps == nil {
			return nil
		}
		parts = []string{"…"}
	}
	out := make([]message, len(parts))
	for i, p := range parts {
		out[i] = base
		out[i].content = p
		out[i].edit = base.edit && i == 0
	}
	out[len(out)-1].components = comps
	last := &out[len(out)-1]
	if f := r.File; f != nil {
		last.files = append(last.files, &discordgo.File{Name: f.Name, ContentType: f.MIME, Reader: bytes.NewReader(f.Data)})
	}
	if f := r.Image; f != nil {
		// The picture is attached and shown in an embed under the text, at the embed's width.
		last.files = append(last.files, &discordgo.File{Name: f.Name, ContentType: f.MIME, Reader: bytes.NewReader(f.Data)})
		last.embeds = append(last.embeds, &discordgo.MessageEmbed{Color: embedColor,
			Image: &discordgo.MessageEmbedImage{URL: "attachment://" + f.Name}})
	}
	return out
}

// buttonChoices are a question's choices as they go on buttons.
type buttonChoices struct {
	choices []bot.Choice
	// listed is set when some label was too long for a button, so the buttons carry numbers and
	// the text lists the choices.
	listed bool
}

func choiceLabels(cs []bot.Choice) buttonChoices {
	out := buttonChoices{choices: cs}
	for _, c := range cs {
		if utf8.RuneCountInString(c.Label) > maxButtonLabel {
			out.listed = true
		}
	}
	if out.listed {
		out.choices = make([]bot.Choice, len(cs))
		for i, c := range cs {
			out.choices[i] = bot.Choice{Label: clip(fmt.Sprintf("%d. %s", i+1, c.Label), maxButtonLabel), Data: c.Data}
		}
	}
	return out
}

// components lays out buttons: the choices in rows of five, then the links and commands. What
// does not fit in five rows, and buttons Discord would refuse (a custom id of more than 100
// characters, a link that is not http(s)), are left out rather than failing the message.
func components(choices []bot.Choice, buttons []bot.Button) []discordgo.MessageComponent {
	seen := map[string]bool{}
	var choiceRow, otherRow []discordgo.MessageComponent
	for _, c := range choices {
		if c.Data == "" || len(c.Data) > maxCustomID || seen[c.Data] {
			continue
		}
		seen[c.Data] = true
		choiceRow = append(choiceRow, discordgo.Button{Label: label(c.Label), Style: discordgo.PrimaryButton, CustomID: c.Data})
	}
	for _, b := range buttons {
		switch {
		case b.URL != "":
			if u := linkURL(b.URL); u != "" {
				otherRow = append(otherRow, discordgo.Button{Label: label(b.Label), Style: discordgo.LinkButton, URL: u})
			}
		case b.Command != "":
			id := commandPrefix + b.Command
			if utf8.RuneCountInString(id) > maxCustomID || seen[id] {
				continue
			}
			seen[id] = true
			otherRow = append(otherRow, discordgo.Button{Label: label(b.Label), Style: discordgo.SecondaryButton, CustomID: id})
		}
	}
	var rows []discordgo.MessageComponent
	for _, group := range [][]discordgo.MessageComponent{choiceRow, otherRow} {
		for len(group) > 0 && len(rows) < maxRows {
			n := min(len(group), maxRowButtons)
			rows = append(rows, discordgo.ActionsRow{Components: group[:n]})
			group = group[n:]
		}
	}
	return rows
}

// label keeps a button's text within Discord's limit and never empty.
func label(s string) string {
	s = strings.TrimSpace(s)
	if s == "" {
		return "…"
	}
	return clip(s, maxButtonLabel)
}

// linkURL returns u if Discord takes it for a link, else "".
func linkURL(u string) string {
	p, err := url.Parse(u)
	if err != nil || (p.Scheme != "http" && p.Scheme != "https") || p.Host == "" || len(u) > maxButtonURL {
		return ""
	}
	return u
}

// Embed colours by entry kind: Python's blue for libraries, green for frameworks, Python's
// yellow for tools, purple for concepts.
// embedColor is the stripe of embeds of no particular kind: Discord's own blurple.
const embedColor = 0x5865F2

var kindColours = map[content.Kind]int{
	content.KindLibrary:   0x3776AB,
	content.KindFramework: 0x2E8B57,
	content.KindTool:      0xFFD43B,
	content.KindConcept:   0x9B59B6,
}

// cardEmbed lays out an entry card as an embed within Discord's limits: text that does not fit
// is cut with "…", and when the whole is too long the last fields go first.
func cardEmbed(c *bot.EntryCard) *discordgo.MessageEmbed {
	e := &discordgo.MessageEmbed{
		Type:        discordgo.EmbedTypeRich,
		Title:       clip(escapeInline(c.Title), maxEmbedTitle),
		Description: fitMarkdown(c.Description, maxEmbedDescription),
		Color:       kindColours[c.Kind],
	}
	if e.Color == 0 {
		e.Color = embedColor
	}
	if len(c.Links) > 0 {
		e.URL = linkURL(c.Links[0].URL)
	}
	if c.Subtitle != "" {
		// Footers show no markdown, so the subtitle goes as it is.
		e.Footer = &discordgo.MessageEmbedFooter{Text: clip(c.Subtitle, maxFooterText)}
	}
	for _, f := range c.Fields {
		if len(e.Fields) == maxEmbedFields {
			break
		}
		name, value := clip(escapeInline(f.Name), maxFieldName), fitMarkdown(f.Value, maxFieldValue)
		if strings.TrimSpace(name) == "" || strings.TrimSpace(value) == "" {
			continue // Discord refuses empty field names and values
		}
		e.Fields = append(e.Fields, &discordgo.MessageEmbedField{Name: name, Value: value})
	}
	for embedSize(e) > maxEmbedTotal && len(e.Fields) > 0 {
		e.Fields = e.Fields[:len(e.Fields)-1]
	}
	if over := embedSize(e) - maxEmbedTotal; over > 0 {
		e.Description = clip(e.Description, max(utf8.RuneCountInString(e.Description)-over, 1))
	}
	return e
}

// embedSize is what counts towards the 6,000 characters of a message's embeds.
func embedSize(e *discordgo.MessageEmbed) int {
	n := utf8.RuneCountInString(e.Title) + utf8.RuneCountInString(e.Description)
	for _, f := range e.Fields {
		n += utf8.RuneCountInString(f.Name) + utf8.RuneCountInString(f.Value)
	}
	if e.Footer != nil {
		n += utf8.RuneCountInString(e.Footer.Text)
	}
	return n
}

// fitMarkdown renders m in at most limit characters, cutting it with "…" if it is longer.
func fitMarkdown(m bot.Markup, limit int) string {
	parts := renderMarkdown(m, limit-1)
	switch len(parts) {
	case 0:
		return ""
	case 1:
		return parts[0]
	}
	return parts[0] + "…"
}

// clip shortens s to at most n runes, marking a cut with "…".
func clip(s string, n int) string {
	if len(bot.ClipRunes(s, n)) == len(s) {
		return s
	}
	return strings.TrimRightFunc(bot.ClipRunes(s, n-1), unicode.IsSpace) + "…"
}

// markdownChars are the characters that start Discord markdown: emphasis, underline, strike,
// spoilers, code, block quotes, headings and subtext, lists, masked links, and the angle
// brackets of mentions, channels, emoji and timestamps.
const markdownChars = "\\*_~`|><[]#-"

// escapeRune writes r so that Discord shows it as the character it is. A "@" gets a zero-width
// space after it, so "@everyone", "@here" and a typed <@id> stay text even where
// allowed_mentions would let them through.
func escapeRune(b *strings.Builder, r rune) {
	switch {
	case r == '@':
		b.WriteString("@\u200b")
	case strings.ContainsRune(markdownChars, r):
		b.WriteByte('\\')
		b.WriteRune(r)
	default:
		b.WriteRune(r)
	}
}

// escapeText escapes user and content text for Discord markdown.
func escapeText(s string) string {
	var b strings.Builder
	for _, r := range s {
		escapeRune(&b, r)
	}
	return b.String()
}

// escapeInline escapes the characters that format text in a title or field name, where
// line-level markdown (headings, lists, quotes) does not apply.
func escapeInline(s string) string {
	var b strings.Builder
	for _, r := range s {
		if strings.ContainsRune("\\*_~`|", r) {
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// renderMarkdown renders m as Discord markdown split into parts of at most limit characters,
// between lines where it can and inside a line only when the line alone is too long. Every span
// is escaped, so neither content nor user text can inject formatting or mentions.
func renderMarkdown(m bot.Markup, limit int) []string {
	limit = max(limit, 8) // room for any one span's markers and a character
	var parts []string
	var cur []string
	size := 0
	flush := func() {
		for len(cur) > 0 && strings.TrimSpace(cur[len(cur)-1]) == "" {
			cur = cur[:len(cur)-1]
		}
		if len(cur) > 0 {
			parts = append(parts, strings.Join(cur, "\n"))
		}
		cur, size = nil, 0
	}
	for _, line := range m.Lines() {
		for _, piece := range renderLine(line, limit) {
			n := utf8.RuneCountInString(piece)
			if len(cur) > 0 && size+1+n > limit {
				flush()
			}
			if len(cur) == 0 && strings.TrimSpace(piece) == "" {
				continue // no part starts with an empty line
			}
			if len(cur) > 0 {
				size++
			}
			cur = append(cur, piece)
			size += n
		}
	}
	flush()
	return parts
}

// renderLine renders one line as one or more pieces of at most limit characters; an empty line
// is one empty piece.
func renderLine(line []bot.Span, limit int) []string {
	var out []string
	var b strings.Builder
	n := 0
	flush := func() {
		out = append(out, b.String())
		b.Reset()
		n = 0
	}
	// add appends a rendered span if it fits. Two markers meeting ("**a***b*") would read as
	// other markers, so a zero-width space goes between them.
	add := func(s string) bool {
		if strings.HasSuffix(b.String(), "*") && strings.HasPrefix(s, "*") {
			s = "\u200b" + s
		}
		w := utf8.RuneCountInString(s)
		if n+w > limit {
			return false
		}
		b.WriteString(s)
		n += w
		return true
	}
	for _, s := range line {
		if add(renderSpan(s)) {
			continue
		}
		if n > 0 {
			flush()
			if add(renderSpan(s)) {
				continue
			}
		}
		// The span alone is longer than a part: cut it. A link that long is shown as its text
		// and address, which can be cut anywhere.
		if s.Style == bot.Link {
			s = bot.Span{Style: bot.Plain, Text: strings.TrimSpace(s.Text + " " + s.URL)}
		}
		for s.Text != "" {
			head, tail := cutSpan(s, limit-n-1)
			if head == "" {
				if n > 0 {
					flush()
					continue
				}
				_, size := utf8.DecodeRuneInString(s.Text)
				head, tail = s.Text[:size], s.Text[size:]
			}
			add(renderSpan(bot.Span{Style: s.Style, Text: head, URL: s.URL}))
			s.Text = tail
			if tail != "" {
				flush()
			}
		}
	}
	if n > 0 || len(out) == 0 {
		flush()
	}
	return out
}

// cutSpan splits the span's text so that the head renders in at most room characters, at the
// last space in the second half if there is one.
func cutSpan(s bot.Span, room int) (head, tail string) {
	fits := func(k int) bool {
		return utf8.RuneCountInString(renderSpan(bot.Span{Style: s.Style, Text: s.Text[:k], URL: s.URL})) <= room
	}
	// The longest prefix that fits, by binary search over rune boundaries.
	var bounds []int
	for i := range s.Text {
		if i > 0 {
			bounds = append(bounds, i)
		}
	}
	lo, hi := 0, len(bounds) // bounds[:lo] fit
	for lo < hi {
		mid := (lo + hi + 1) / 2
		if fits(bounds[mid-1]) {
			lo = mid
		} else {
			hi = mid - 1
		}
	}
	if lo == 0 {
		return "", s.Text
	}
	end := bounds[lo-1]
	if sp := strings.LastIndexByte(s.Text[:end], ' '); sp > end/2 {
		end = sp + 1
	}
	return s.Text[:end], s.Text[end:]
}

const bullet = "• "

// renderSpan renders one span. Emphasis markers go inside the span's surrounding spaces, where
// Discord recognises them.
func renderSpan(s bot.Span) string {
	switch s.Style {
	case bot.Bullet:
		return bullet
	case bot.Bold:
		return emphasis("**", s.Text)
	case bot.Italic:
		return emphasis("*", s.Text)
	case bot.Code:
		return code(s.Text)
	case bot.Link:
		return link(s.Text, s.URL)
	}
	return escapeText(s.Text)
}

func emphasis(marker, text string) string {
	core := strings.TrimSpace(text)
	if core == "" {
		return text
	}
	i := strings.Index(text, core)
	return text[:i] + marker + escapeText(core) + marker + text[i+len(core):]
}

// code renders inline code. Nothing is escaped inside backticks, so backticks in the text become
// a look-alike that cannot end the span.
func code(text string) string {
	if strings.TrimSpace(text) == "" {
		return text
	}
	return "`" + strings.ReplaceAll(text, "`", "ˋ") + "`"
}

// link renders a masked link, or the bare URL when the text is the URL; the angle brackets keep
// Discord from adding a preview.
func link(text, u string) string {
	if linkURL(u) == "" {
		return escapeText(text)
	}
	safe := strings.NewReplacer(" ", "%20", "<", "%3C", ">", "%3E", ")", "%29").Replace(u)
	if text == "" || text == u {
		return "<" + safe + ">"
	}
	return "[" + escapeText(text) + "](<" + safe + ">)"
}
