package telegramtest

import (
	"regexp"
	"strings"
	"sync/atomic"
	"unicode/utf16"
)

// Chat is where a scripted message is sent: its id and type ("private", "group", "supergroup").
type Chat struct {
	ID   int64
	Type string
}

// Private is the private chat with u.
func Private(u User) Chat { return Chat{u.ID, "private"} }

var messageIDs atomic.Int64

var mention = regexp.MustCompile(`@\w+`)

// Entities lists what Telegram marks in text: a bot_command at the start, else @mentions.
// Offsets and lengths count UTF-16 units, as Telegram's do.
func Entities(text string) []map[string]any {
	u16 := func(s string) int { return len(utf16.Encode([]rune(s))) }
	var out []map[string]any
	if strings.HasPrefix(text, "/") {
		word, _, _ := strings.Cut(text, " ")
		return append(out, map[string]any{"type": "bot_command", "offset": 0, "length": u16(word)})
	}
	for _, m := range mention.FindAllStringIndex(text, -1) {
		out = append(out, map[string]any{"type": "mention", "offset": u16(text[:m[0]]), "length": u16(text[m[0]:m[1]])})
	}
	return out
}

// JSON is the chat as Telegram's Chat object shows it; groups have a title.
func (c Chat) JSON() map[string]any {
	m := map[string]any{"id": c.ID, "type": c.Type}
	if c.Type != "private" {
		m["title"] = "Python learners"
	}
	return m
}

// Message is a text message as Telegram sends it in an update, entities marked.
func Message(c Chat, from User, text string) map[string]any {
	m := map[string]any{"message_id": int(messageIDs.Add(1)), "date": 1, "chat": c.JSON(), "from": from, "text": text}
	if e := Entities(text); len(e) > 0 {
		m["entities"] = e
	}
	return m
}

// PushMessage queues an update carrying Message(c, from, text) and returns the message.
func (s *Server) PushMessage(c Chat, from User, text string) map[string]any {
	m := Message(c, from, text)
	s.PushUpdate(map[string]any{"message": m})
	return m
}
