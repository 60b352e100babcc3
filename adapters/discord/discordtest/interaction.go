package discordtest

import "time"

// Interaction types (interactions/receiving-and-responding "Interaction Type").
const (
	InteractionPing         = 1
	InteractionCommand      = 2
	InteractionComponent    = 3
	InteractionAutocomplete = 4
	InteractionModalSubmit  = 5
)

// Interaction callback types, the "type" of an interaction response.
const (
	CallbackPong            = 1
	CallbackMessage         = 4 // CHANNEL_MESSAGE_WITH_SOURCE
	CallbackDeferredMessage = 5 // DEFERRED_CHANNEL_MESSAGE_WITH_SOURCE: "thinking…", edit later
	CallbackDeferredUpdate  = 6 // DEFERRED_UPDATE_MESSAGE: components only, no visible change
	CallbackUpdateMessage   = 7 // UPDATE_MESSAGE: components only, edit the component's message
	CallbackAutocomplete    = 8 // APPLICATION_COMMAND_AUTOCOMPLETE_RESULT
	CallbackModal           = 9
)

// InteractionDeadline is how long Discord waits for the initial response before it invalidates
// the interaction; later callbacks get 404 Unknown interaction.
const InteractionDeadline = 3 * time.Second

// TokenLifetime is how long the interaction token serves follow-ups and edits.
const TokenLifetime = 15 * time.Minute

// Permission bits used in interactions' app_permissions and member permissions.
const (
	PermAddReactions       int64 = 1 << 6
	PermViewChannel        int64 = 1 << 10
	PermSendMessages       int64 = 1 << 11
	PermEmbedLinks         int64 = 1 << 14
	PermAttachFiles        int64 = 1 << 15
	PermReadMessageHistory int64 = 1 << 16
	PermMentionEveryone    int64 = 1 << 17
	PermUseExternalEmojis  int64 = 1 << 18

	// DefaultPermissions is what the bot and an ordinary member may do in a guild channel
	// unless an interaction says otherwise.
	DefaultPermissions = PermAddReactions | PermViewChannel | PermSendMessages | PermEmbedLinks |
		PermAttachFiles | PermReadMessageHistory | PermUseExternalEmojis
	// dmPermissions is app_permissions in the bot's DM: the docs add ATTACH_FILES,
	// EMBED_LINKS, MENTION_EVERYONE and USE_EXTERNAL_EMOJIS to the basics.
	dmPermissions = PermAddReactions | PermViewChannel | PermSendMessages | PermReadMessageHistory |
		PermAttachFiles | PermEmbedLinks | PermMentionEveryone | PermUseExternalEmojis
)

// Option is a command option as the user filled it in. Build them with StringOption,
// IntegerOption and friends; Focus marks the one being typed in an autocomplete interaction.
type Option struct {
	Name    string
	Type    int
	Value   any
	Focused bool
	Options []Option // a subcommand's or group's options
}

// StringOption is a STRING option.
func StringOption(name, value string) Option {
	return Option{Name: name, Type: OptionString, Value: value}
}

// IntegerOption is an INTEGER option.
func IntegerOption(name string, value int64) Option {
	return Option{Name: name, Type: OptionInteger, Value: value}
}

// NumberOption is a NUMBER option.
func NumberOption(name string, value float64) Option {
	return Option{Name: name, Type: OptionNumber, Value: value}
}

// BooleanOption is a BOOLEAN option.
func BooleanOption(name string, value bool) Option {
	return Option{Name: name, Type: OptionBoolean, Value: value}
}

// UserOption is a USER option naming a user id.
func UserOption(name, userID string) Option {
	return Option{Name: name, Type: OptionUser, Value: userID}
}

// SubcommandOption is a subcommand with its options.
func SubcommandOption(name string, opts ...Option) Option {
	return Option{Name: name, Type: OptionSubcommand, Options: opts}
}

// SubcommandGroupOption is a group of subcommands.
func SubcommandGroupOption(name string, subs ...Option) Option {
	return Option{Name: name, Type: OptionSubcommandGroup, Options: subs}
}

// Focus marks the option as the one the user is typing, for Autocomplete. Discord sends the
// partial input as it stands, so a focused option's value need not be valid yet.
func (o Option) Focus() Option {
	o.Focused = true
	return o
}

func (o Option) wire() map[string]any {
	w := map[string]any{"name": o.Name, "type": o.Type}
	if o.Value != nil {
		w["value"] = o.Value
	}
	if o.Focused {
		w["focused"] = true
	}
	if len(o.Options) > 0 {
		var sub []any
		for _, so := range o.Options {
			sub = append(sub, so.wire())
		}
		w["options"] = sub
	}
	return w
}

// Interaction describes something a user does that reaches the bot as INTERACTION_CREATE. Build
// one with SlashCommand, Autocomplete, Button, Select or ModalSubmit, then adjust where and by whom
// with the With/In methods; Server.Interact dispatches it. Values are copied, so a base
// interaction can be reused.
type Interaction struct {
	typ      int
	name     string
	options  []Option
	customID string
	values   []string
	fields   map[string]string
	message  string

	placed             bool
	guildID, channelID string
	dm                 bool
	user               *User
	locale             string
	guildLocale        string
	appPermissions     *int64
	memberPermissions  *int64
	roles              []string
}

// SlashCommand is a slash command with its options, by default run by Alice in ChannelID of
// GuildID with locale en-US. The command must have been registered (globally, or in that guild)
// and the options must match its registration, as the Discord client guarantees.
func SlashCommand(name string, opts ...Option) Interaction {
	return Interaction{typ: InteractionCommand, name: name, options: opts}
}

// Autocomplete is the user typing into a command option: exactly one option must be Focus()ed,
// and that option must be registered with autocomplete. The bot answers with callback type 8.
func Autocomplete(name string, opts ...Option) Interaction {
	return Interaction{typ: InteractionAutocomplete, name: name, options: opts}
}

// Button is a press of the button with the custom id, on the newest bot message carrying it
// unless OnMessage names one. The press happens where that message is, by Alice unless By says
// otherwise (by the user who saw it, for an ephemeral message).
func Button(customID string) Interaction {
	return Interaction{typ: InteractionComponent, customID: customID}
}

// Select is a choice in the select menu with the custom id; values must be among a string
// select's options and within its min/max.
func Select(customID string, values ...string) Interaction {
	return Interaction{typ: InteractionComponent, customID: customID, values: values}
}

// ModalSubmit is the user submitting the modal the bot opened with the custom id, giving the
// text inputs' values by their custom ids. It is sent where, and by whom, the modal was opened.
func ModalSubmit(customID string, values map[string]string) Interaction {
	return Interaction{typ: InteractionModalSubmit, customID: customID, fields: values}
}

// InGuild places the interaction in a guild text channel (which becomes known to the fake).
func (i Interaction) InGuild(guildID, channelID string) Interaction {
	i.placed, i.dm, i.guildID, i.channelID = true, false, guildID, channelID
	return i
}

// InDM places the interaction in the user's DM with the bot: the payload carries user instead
// of member, and no guild_id or guild_locale.
func (i Interaction) InDM() Interaction {
	i.placed, i.dm, i.guildID, i.channelID = true, true, "", ""
	return i
}

// By sets the user who triggers the interaction.
func (i Interaction) By(u User) Interaction {
	i.user = &u
	return i
}

// WithLocale sets the user's client language ("zh-CN", "en-US", …); the guild keeps its own
// guild_locale, en-US unless WithGuildLocale changes it.
func (i Interaction) WithLocale(locale string) Interaction {
	i.locale = locale
	return i
}

// WithGuildLocale sets the guild's preferred locale.
func (i Interaction) WithGuildLocale(locale string) Interaction {
	i.guildLocale = locale
	return i
}

// WithAppPermissions sets what the bot may do where the interaction happens (app_permissions),
// to test a channel where it cannot embed links, say.
func (i Interaction) WithAppPermissions(p int64) Interaction {
	i.appPermissions = &p
	return i
}

// WithMemberPermissions sets the invoking member's permissions and roles (guild only).
func (i Interaction) WithMemberPermissions(p int64, roles ...string) Interaction {
	i.memberPermissions, i.roles = &p, roles
	return i
}

// OnMessage names the message whose component is used.
func (i Interaction) OnMessage(messageID string) Interaction {
	i.message = messageID
	return i
}
