package discordtest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"testing"
	"time"
)

// Message flags the fake looks at (resources/message "Message Flags").
const (
	FlagSuppressEmbeds        = 1 << 2
	FlagEphemeral             = 1 << 6
	FlagLoading               = 1 << 7 // a deferred response still "thinking"
	FlagSuppressNotifications = 1 << 12
	FlagVoiceMessage          = 1 << 13
	FlagComponentsV2          = 1 << 15
)

// Message is a message as a channel's members see it, with what the sender asked for about
// mentions. Tests read these to check what the bot showed; the fake never mutates a Message
// it has handed out.
type Message struct {
	ID        string
	ChannelID string
	GuildID   string // "" in a DM
	Author    User
	Type      int // 0 default, 19 reply, 20 chat-input command response

	Content         string
	Embeds          []Embed
	Components      []Component
	Flags           int
	TTS             bool
	AllowedMentions *AllowedMentions // nil when the request had none
	Files           []string         // names of attached files
	ReplyTo         string           // the message this one replies to (message_reference)

	// WebhookID is the application id for interaction responses and follow-ups, which Discord
	// sends through the interaction's webhook; InteractionID names the interaction.
	WebhookID     string
	InteractionID string

	CreatedAt time.Time
	EditedAt  time.Time // zero until edited
	Edits     int
	Deleted   bool
}

// Ephemeral reports whether only the invoking user sees the message.
func (m Message) Ephemeral() bool { return m.Flags&FlagEphemeral != 0 }

// Loading reports whether the message is a deferred response's "thinking…" placeholder.
func (m Message) Loading() bool { return m.Flags&FlagLoading != 0 }

// Embed is a rich embed as sent.
type Embed struct {
	Type        string       `json:"type,omitempty"`
	Title       string       `json:"title,omitempty"`
	Description string       `json:"description,omitempty"`
	URL         string       `json:"url,omitempty"`
	Timestamp   string       `json:"timestamp,omitempty"`
	Color       int          `json:"color,omitempty"`
	Footer      *EmbedFooter `json:"footer,omitempty"`
	Image       *EmbedMedia  `json:"image,omitempty"`
	Thumbnail   *EmbedMedia  `json:"thumbnail,omitempty"`
	Author      *EmbedAuthor `json:"author,omitempty"`
	Fields      []EmbedField `json:"fields,omitempty"`
}

// EmbedFooter is an embed's footer.
type EmbedFooter struct {
	Text    string `json:"text"`
	IconURL string `json:"icon_url,omitempty"`
}

// EmbedAuthor is an embed's author line.
type EmbedAuthor struct {
	Name    string `json:"name"`
	URL     string `json:"url,omitempty"`
	IconURL string `json:"icon_url,omitempty"`
}

// EmbedMedia is an embed's image or thumbnail.
type EmbedMedia struct {
	URL    string `json:"url"`
	Width  int    `json:"width,omitempty"`
	Height int    `json:"height,omitempty"`
}

// EmbedField is one name/value field of an embed.
type EmbedField struct {
	Name   string `json:"name"`
	Value  string `json:"value"`
	Inline bool   `json:"inline,omitempty"`
}

// Component types (components/reference).
const (
	ComponentActionRow         = 1
	ComponentButton            = 2
	ComponentStringSelect      = 3
	ComponentTextInput         = 4
	ComponentUserSelect        = 5
	ComponentRoleSelect        = 6
	ComponentMentionableSelect = 7
	ComponentChannelSelect     = 8
)

// ButtonLink is the style of a button that opens a URL instead of sending an interaction.
const ButtonLink = 5

// Component is any message component: an action row holding Components, a button, a select
// menu, or a modal's text input. Fields that do not apply to its Type are empty.
type Component struct {
	Type       int         `json:"type"`
	Components []Component `json:"components,omitempty"`

	CustomID string          `json:"custom_id,omitempty"`
	Style    int             `json:"style,omitempty"`
	Label    string          `json:"label,omitempty"`
	URL      string          `json:"url,omitempty"`
	SKUID    string          `json:"sku_id,omitempty"`
	Emoji    *ComponentEmoji `json:"emoji,omitempty"`
	Disabled bool            `json:"disabled,omitempty"`

	Placeholder string         `json:"placeholder,omitempty"`
	MinValues   *int           `json:"min_values,omitempty"`
	MaxValues   int            `json:"max_values,omitempty"`
	Options     []SelectOption `json:"options,omitempty"`

	Value     string `json:"value,omitempty"`
	Required  *bool  `json:"required,omitempty"`
	MinLength int    `json:"min_length,omitempty"`
	MaxLength int    `json:"max_length,omitempty"`
}

// ComponentEmoji is the emoji on a button or select option.
type ComponentEmoji struct {
	ID       string `json:"id,omitempty"`
	Name     string `json:"name,omitempty"`
	Animated bool   `json:"animated,omitempty"`
}

// SelectOption is one option of a string select menu.
type SelectOption struct {
	Label       string          `json:"label"`
	Value       string          `json:"value"`
	Description string          `json:"description,omitempty"`
	Emoji       *ComponentEmoji `json:"emoji,omitempty"`
	Default     bool            `json:"default,omitempty"`
}

// FindComponent returns the component with the custom id anywhere in the tree, or nil.
func FindComponent(components []Component, customID string) *Component {
	for i := range components {
		c := &components[i]
		if c.CustomID == customID && c.Type != ComponentActionRow {
			return c
		}
		if f := FindComponent(c.Components, customID); f != nil {
			return f
		}
	}
	return nil
}

// Buttons returns the labels of every button, row by row, for compact assertions.
func (m Message) Buttons() []string {
	var out []string
	var walk func([]Component)
	walk = func(cs []Component) {
		for _, c := range cs {
			if c.Type == ComponentButton {
				out = append(out, c.Label)
			}
			walk(c.Components)
		}
	}
	walk(m.Components)
	return out
}

// AllowedMentions is the allowed_mentions object a request carried. A "parse" of null arrives
// as a nil Parse, which Discord treats like [] (nothing is parsed); ParseNull tells them apart
// for tests that care about the exact JSON.
type AllowedMentions struct {
	Parse       []string `json:"parse"`
	Users       []string `json:"users,omitempty"`
	Roles       []string `json:"roles,omitempty"`
	RepliedUser bool     `json:"replied_user,omitempty"`
	ParseNull   bool     `json:"-"`
}

// Pings is who a message notifies.
type Pings struct {
	Users    []string
	Roles    []string
	Everyone bool // @everyone or @here
}

var (
	userMention = regexp.MustCompile(`<@!?(\d+)>`)
	roleMention = regexp.MustCompile(`<@&(\d+)>`)
	everyoneRe  = regexp.MustCompile(`@(everyone|here)\b`)
)

// Pings works out who the message notifies from its content and allowed_mentions, with
// Discord's defaults when the request had none: bot messages parse users, roles and @everyone;
// interaction responses and webhook messages parse users only. (Whether the bot may mention
// @everyone at all is a permission the fake does not model.)
func (m Message) Pings() Pings {
	parse := []string{"users", "roles", "everyone"}
	var users, roles []string
	if m.WebhookID != "" {
		parse = []string{"users"}
	}
	if am := m.AllowedMentions; am != nil {
		parse, users, roles = am.Parse, am.Users, am.Roles
	}
	var p Pings
	for _, sm := range userMention.FindAllStringSubmatch(m.Content, -1) {
		if (slices.Contains(parse, "users") || slices.Contains(users, sm[1])) && !slices.Contains(p.Users, sm[1]) {
			p.Users = append(p.Users, sm[1])
		}
	}
	for _, sm := range roleMention.FindAllStringSubmatch(m.Content, -1) {
		if (slices.Contains(parse, "roles") || slices.Contains(roles, sm[1])) && !slices.Contains(p.Roles, sm[1]) {
			p.Roles = append(p.Roles, sm[1])
		}
	}
	p.Everyone = slices.Contains(parse, "everyone") && everyoneRe.MatchString(m.Content)
	return p
}

// wire renders the message as Discord's message object.
func (s *Server) wireMessage(m *Message) map[string]any {
	embeds := m.Embeds
	if embeds == nil {
		embeds = []Embed{}
	}
	components := m.Components
	if components == nil {
		components = []Component{}
	}
	attachments := []map[string]any{}
	for i, f := range m.Files {
		attachments = append(attachments, map[string]any{"id": fmt.Sprint(i), "filename": f, "size": 0, "url": "https://cdn.discordapp.com/attachments/" + m.ChannelID + "/" + m.ID + "/" + f})
	}
	mentions := []map[string]any{}
	pings := m.Pings()
	for _, id := range pings.Users {
		mentions = append(mentions, s.userLocked(id).wire())
	}
	roles := pings.Roles
	if roles == nil {
		roles = []string{}
	}
	w := map[string]any{
		"id": m.ID, "channel_id": m.ChannelID, "author": m.Author.wire(), "type": m.Type,
		"content": m.Content, "embeds": embeds, "components": components, "flags": m.Flags,
		"tts": m.TTS, "timestamp": m.CreatedAt.UTC().Format(time.RFC3339Nano), "edited_timestamp": nil,
		"mention_everyone": pings.Everyone, "mentions": mentions, "mention_roles": roles,
		"attachments": attachments, "pinned": false,
	}
	if !m.EditedAt.IsZero() {
		w["edited_timestamp"] = m.EditedAt.UTC().Format(time.RFC3339Nano)
	}
	if m.GuildID != "" {
		w["guild_id"] = m.GuildID
	}
	if m.WebhookID != "" {
		w["webhook_id"] = m.WebhookID
		w["application_id"] = m.WebhookID
	}
	if m.ReplyTo != "" {
		w["message_reference"] = map[string]any{"message_id": m.ReplyTo, "channel_id": m.ChannelID}
	}
	return w
}

// storeLocked files a new message in its channel.
func (s *Server) storeLocked(ch *channel, m *Message) {
	m.ID = s.newIDLocked()
	m.ChannelID = ch.id
	m.GuildID = ch.guildID
	m.CreatedAt = s.clock.Now()
	s.messages[m.ID] = m
	ch.messages = append(ch.messages, m.ID)
	s.notifyLocked()
}

// editLocked applies the fields present in an edit. Message structs handed to tests are
// copies, so the stored one is replaced rather than changed in place.
func (s *Server) editLocked(m *Message, f *messageFields) *Message {
	n := *m
	if f.has["content"] {
		n.Content = f.Content
	}
	if f.has["embeds"] {
		n.Embeds = f.Embeds
	}
	if f.has["components"] {
		n.Components = f.Components
	}
	if f.has["allowed_mentions"] {
		n.AllowedMentions = f.AllowedMentions
	}
	if f.has["flags"] {
		const editable = FlagSuppressEmbeds | FlagComponentsV2
		n.Flags = n.Flags&^editable | f.Flags&editable
	}
	if len(f.Files) > 0 || f.has["attachments"] {
		n.Files = f.Files
	}
	n.Flags &^= FlagLoading
	n.EditedAt = s.clock.Now()
	n.Edits++
	s.messages[n.ID] = &n
	s.notifyLocked()
	return &n
}

// Messages returns the messages in a channel that have not been deleted, oldest first.
func (s *Server) Messages(channelID string) []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.messagesLocked(channelID)
}

func (s *Server) messagesLocked(channelID string) []Message {
	ch := s.channels[channelID]
	if ch == nil {
		return nil
	}
	var out []Message
	for _, id := range ch.messages {
		if m := s.messages[id]; !m.Deleted {
			out = append(out, *m)
		}
	}
	return out
}

// DMs returns the messages in the bot's DM channel with the user, oldest first.
func (s *Server) DMs(userID string) []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	id, ok := s.dms[userID]
	if !ok {
		return nil
	}
	return s.messagesLocked(id)
}

// Message returns a message by id, deleted or not.
func (s *Server) Message(id string) (Message, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	m, ok := s.messages[id]
	if !ok {
		return Message{}, false
	}
	return *m, true
}

// WaitMessages waits until the channel holds at least n messages and returns them.
func (s *Server) WaitMessages(tb testing.TB, channelID string, n int) []Message {
	tb.Helper()
	var out []Message
	s.wait(tb, fmt.Sprintf("%d messages in channel %s", n, channelID), func() (bool, string) {
		out = s.messagesLocked(channelID)
		return len(out) >= n, ""
	})
	return out
}

// messageFields is the message part of a create, edit or interaction-callback body. has says
// which fields were present, which matters for edits.
type messageFields struct {
	has             map[string]bool
	Content         string
	Embeds          []Embed
	Components      []Component
	Flags           int
	TTS             bool
	AllowedMentions *AllowedMentions
	Files           []string
	StickerIDs      []string
	Reference       string
	Poll            bool

	// Interaction callbacks only.
	Choices  []Choice
	CustomID string
	Title    string
}

// Choice is one autocomplete suggestion or command option choice.
type Choice struct {
	Name              string            `json:"name"`
	NameLocalizations map[string]string `json:"name_localizations,omitempty"`
	Value             any               `json:"value"`
}

// decodeMessageFields reads the fields of obj, complaining under prefix ("" or "data.") about
// any of the wrong JSON type.
func decodeMessageFields(obj map[string]json.RawMessage, files []string, prefix string, p *problems) *messageFields {
	f := &messageFields{has: map[string]bool{}, Files: files}
	field := func(name string, v any) {
		raw, ok := obj[name]
		if !ok {
			return
		}
		f.has[name] = true
		if string(raw) == "null" {
			return
		}
		if err := json.Unmarshal(raw, v); err != nil {
			p.add(prefix+name, "BASE_TYPE_INVALID", "Invalid value for %s: %v", name, err)
		}
	}
	field("content", &f.Content)
	field("embeds", &f.Embeds)
	field("components", &f.Components)
	field("flags", &f.Flags)
	field("tts", &f.TTS)
	field("sticker_ids", &f.StickerIDs)
	field("choices", &f.Choices)
	field("custom_id", &f.CustomID)
	field("title", &f.Title)
	if raw, ok := obj["allowed_mentions"]; ok {
		f.has["allowed_mentions"] = true
		if string(raw) != "null" {
			var am struct {
				Parse       json.RawMessage `json:"parse"`
				Users       []string        `json:"users"`
				Roles       []string        `json:"roles"`
				RepliedUser bool            `json:"replied_user"`
			}
			if err := json.Unmarshal(raw, &am); err != nil {
				p.add(prefix+"allowed_mentions", "BASE_TYPE_INVALID", "Invalid allowed_mentions: %v", err)
			} else {
				f.AllowedMentions = &AllowedMentions{Users: am.Users, Roles: am.Roles, RepliedUser: am.RepliedUser}
				if len(am.Parse) == 0 || string(am.Parse) == "null" {
					f.AllowedMentions.ParseNull = len(am.Parse) > 0
				} else if err := json.Unmarshal(am.Parse, &f.AllowedMentions.Parse); err != nil {
					p.add(prefix+"allowed_mentions.parse", "BASE_TYPE_INVALID", "Invalid parse: %v", err)
				}
			}
		}
	}
	if raw, ok := obj["message_reference"]; ok && string(raw) != "null" {
		var ref struct {
			MessageID string `json:"message_id"`
		}
		if json.Unmarshal(raw, &ref) == nil {
			f.Reference = ref.MessageID
		}
	}
	if raw, ok := obj["attachments"]; ok {
		f.has["attachments"] = true
		var atts []struct {
			Filename string `json:"filename"`
		}
		if json.Unmarshal(raw, &atts) == nil && len(files) == 0 {
			for _, a := range atts {
				if a.Filename != "" {
					f.Files = append(f.Files, a.Filename)
				}
			}
		}
	}
	if raw, ok := obj["poll"]; ok && string(raw) != "null" {
		f.Poll = true
	}
	return f
}

// empty reports whether a new message would show nothing, which Discord refuses with 50006.
func (f *messageFields) empty() bool {
	return f.Content == "" && len(f.Embeds) == 0 && len(f.Components) == 0 && len(f.Files) == 0 &&
		len(f.StickerIDs) == 0 && !f.Poll
}

// decodeObject reads a JSON object body; a missing or non-object body is an empty object.
func decodeObject(raw json.RawMessage) (map[string]json.RawMessage, *APIError) {
	obj := map[string]json.RawMessage{}
	if len(raw) == 0 {
		return obj, nil
	}
	if err := json.Unmarshal(raw, &obj); err != nil {
		return nil, apiError(http.StatusBadRequest, CodeInvalidJSON)
	}
	return obj, nil
}
