package telegram

import (
	"fmt"
	"html"
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/pybrarian/pybrarian/bot"
)

// maxMessageLen is Telegram's limit on a message's text after entity parsing, in UTF-16 code units
// (the unit Telegram measures text in).
const maxMessageLen = 4096

// maxCallbackData is Telegram's limit on callback_data, in bytes.
const maxCallbackData = 64

// commandPrefix marks callback data that stands for a command the user "types" by pressing a
// button ("cmd:/quiz pandas").
const commandPrefix = "cmd:"

// renderHTML renders m in Telegram's HTML parse mode, split into messages of at most limit UTF-16
// units of visible text, breaking between lines (and inside a line only when the line alone is
// too long). Every span is escaped, so neither content nor user text can inject markup.
func renderHTML(m bot.Markup, limit int) []string {
	limit = max(limit, 2) // room for a bullet or any one rune
	var parts []string
	var cur []string
	size := 0
	flush := func() {
		for len(cur) > 0 && cur[len(cur)-1] == "" {
			cur = cur[:len(cur)-1]
		}
		if len(cur) > 0 {
			parts = append(parts, strings.Join(cur, "\n"))
		}
		cur, size = nil, 0
	}
	for _, line := range m.Lines() {
		for _, piece := range splitLine(line, limit) {
			n := visibleLen(piece)
			if len(cur) > 0 && size+1+n > limit {
				flush()
			}
			if len(cur) == 0 && n == 0 {
				continue // no part starts with an empty line
			}
			if len(cur) > 0 {
				size++
			}
			cur = append(cur, renderLine(piece))
			size += n
		}
	}
	flush()
	return parts
}

func utf16Len(s string) int {
	n := 0
	for _, r := range s {
		n += utf16.RuneLen(r)
	}
	return n
}

func spanLen(s bot.Span) int {
	if s.Style == bot.Bullet {
		return utf16Len(bullet)
	}
	return utf16Len(s.Text)
}

func visibleLen(line []bot.Span) int {
	n := 0
	for _, s := range line {
		n += spanLen(s)
	}
	return n
}

const bullet = "• "

// splitLine cuts a line longer than limit into pieces that fit, preferring to cut after a space.
func splitLine(line []bot.Span, limit int) [][]bot.Span {
	if visibleLen(line) <= limit {
		return [][]bot.Span{line}
	}
	var out [][]bot.Span
	var cur []bot.Span
	room := limit
	for _, s := range line {
		for spanLen(s) > room {
			var head, tail string
			if s.Style != bot.Bullet { // a bullet is indivisible
				head, tail = cutText(s.Text, room)
			}
			if head == "" {
				if len(cur) > 0 { // start a new piece and try again with the whole limit
					out, cur, room = append(out, cur), nil, limit
					continue
				}
				// Only a limit below 2 gets here (one rune wider than the limit): take the rune.
				_, n := utf8.DecodeRuneInString(s.Text)
				head, tail = s.Text[:max(n, 1)], s.Text[max(n, 1):]
			}
			cur = append(cur, bot.Span{Style: s.Style, Text: head, URL: s.URL})
			out, cur, room = append(out, cur), nil, limit
			s.Text = tail
		}
		if s.Text != "" || s.Style == bot.Bullet {
			cur = append(cur, s)
			room -= spanLen(s)
		}
	}
	if len(cur) > 0 {
		out = append(out, cur)
	}
	return out
}

// cutText splits s so that head has at most room UTF-16 units, at the last space if there is one
// in the second half, else at a rune boundary.
func cutText(s string, room int) (head, tail string) {
	n, end, space := 0, 0, -1
	for i, r := range s {
		if n+utf16.RuneLen(r) > room {
			break
		}
		n += utf16.RuneLen(r)
		end = i + utf8.RuneLen(r)
		if r == ' ' && n > room/2 {
			space = end
		}
	}
	if space > 0 && end < len(s) {
		end = space
	}
	return s[:end], s[end:]
}

func renderLine(line []bot.Span) string {
	var b strings.Builder
	for _, s := range line {
		t := html.EscapeString(s.Text)
		switch s.Style {
		case bot.Bold:
			b.WriteString("<b>" + t + "</b>")
		case bot.Italic:
			b.WriteString("<i>" + t + "</i>")
		case bot.Code:
			b.WriteString("<code>" + t + "</code>")
		case bot.Link:
			if s.URL == "" {
				b.WriteString(t)
			} else {
				b.WriteString(`<a href="` + html.EscapeString(s.URL) + `">` + t + "</a>")
			}
		case bot.Bullet:
			b.WriteString(bullet)
		default:
			b.WriteString(t)
		}
	}
	return b.String()
}

// keyboard builds a reply's inline keyboard: each quiz choice on its own row (labels stay
// readable on phones), link buttons in one row, command buttons in another. A choice whose data
// Telegram would refuse fails the whole reply, since a question missing an option is wrong; a
// command button that does not fit is left out.
func keyboard(r bot.Reply) (*tgbotapi.InlineKeyboardMarkup, error) {
	var rows [][]tgbotapi.InlineKeyboardButton
	for _, c := range r.Choices {
		if c.Data == "" || len(c.Data) > maxCallbackData {
			return nil, fmt.Errorf("telegram: choice %q has %d bytes of data, Telegram takes 1-%d", c.Label, len(c.Data), maxCallbackData)
		}
		rows = append(rows, tgbotapi.NewInlineKeyboardRow(tgbotapi.NewInlineKeyboardButtonData(label(c.Label), c.Data)))
	}
	var links, cmds []tgbotapi.InlineKeyboardButton
	for _, b := range r.Buttons {
		switch {
		case b.URL != "":
			links = append(links, tgbotapi.NewInlineKeyboardButtonURL(label(b.Label), b.URL))
		case b.Command != "":
			data := commandPrefix + b.Command
			if len(data) > maxCallbackData {
				continue
			}
			cmds = append(cmds, tgbotapi.NewInlineKeyboardButtonData(label(b.Label), data))
		}
	}
	for _, row := range [][]tgbotapi.InlineKeyboardButton{links, cmds} {
		if len(row) > 0 {
			rows = append(rows, row)
		}
	}
	if len(rows) == 0 {
		return nil, nil
	}
	return &tgbotapi.InlineKeyboardMarkup{InlineKeyboard: rows}, nil
}

// label keeps a button's text non-empty, which Telegram requires.
func label(s string) string {
	if strings.TrimSpace(s) == "" {
		return "…"
	}
	return s
}

// truncate shortens s to at most n UTF-16 units, marking the cut with an ellipsis, for fields with
// hard limits (poll questions and options, explanations, notices).
func truncate(s string, n int) string {
	if utf16Len(s) <= n {
		return s
	}
	head, _ := cutText(s, n-1)
	return strings.TrimRight(head, " ") + "…"
}
