package discordtest

import (
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
)

// Interact dispatches the interaction as INTERACTION_CREATE to the bot's gateway session (or
// queues it for the session's resume if the bot is reconnecting) and returns it for awaiting.
// The test fails if no session has identified, or if the interaction could not happen on
// Discord: an unregistered command, options that do not match the registration, a button no
// bot message carries.
func (s *Server) Interact(tb testing.TB, i Interaction) *Invocation {
	tb.Helper()
	s.mu.Lock()
	defer s.mu.Unlock()
	inv, payload, err := s.buildLocked(i)
	if err != "" {
		tb.Fatalf("discordtest: Interact: %s", err)
	}
	inv.DispatchedAt = s.clock.Now()
	payload["id"], payload["token"] = inv.ID, inv.Token
	raw, jerr := json.Marshal(payload)
	if jerr != nil {
		tb.Fatalf("discordtest: Interact: %v", jerr)
	}
	inv.Payload = raw
	seq, err := s.dispatchLocked(inv.GuildID, "INTERACTION_CREATE", json.RawMessage(raw), nil)
	if err != "" {
		tb.Fatalf("discordtest: Interact: %s", err)
	}
	inv.Seq = seq
	s.invocations[inv.ID] = inv
	s.notifyLocked()
	return inv
}

// buildLocked turns the description into an invocation and its payload, or explains why the
// interaction could not happen.
func (s *Server) buildLocked(i Interaction) (*Invocation, map[string]any, string) {
	inv := &Invocation{s: s, ID: s.newIDLocked(), Type: i.typ, answered: make(chan struct{})}
	inv.Token = "aW50ZXJhY3Rpb246" + inv.ID + ":discordtest"
	user := Alice
	if i.user != nil {
		user = *i.user
	}
	data := map[string]any{}
	var msg *Message

	switch i.typ {
	case InteractionCommand, InteractionAutocomplete:
		inv.Name = i.name
	case InteractionComponent:
		inv.Name = i.customID
		m, c, err := s.componentLocked(i)
		if err != "" {
			return nil, nil, err
		}
		msg = m
		inv.MessageID = m.ID
		data["custom_id"], data["component_type"] = i.customID, c.Type
		if isSelect(c.Type) {
			data["values"] = append([]string{}, i.values...)
		}
		mch := s.channels[m.ChannelID]
		if i.placed && (i.dm != (mch.kind == 1) || !i.dm && i.channelID != m.ChannelID) {
			return nil, nil, fmt.Sprintf("message %s is in channel %s, not where the interaction was placed", m.ID, m.ChannelID)
		}
		i.placed, i.channelID, i.guildID, i.dm = true, m.ChannelID, mch.guildID, mch.kind == 1
		// Only the DM's recipient sees a DM, and only the invoking user an ephemeral reply.
		seer := ""
		if mch.kind == 1 {
			seer = mch.recipient
		}
		if orig := s.invocations[m.InteractionID]; m.Ephemeral() && orig != nil {
			seer = orig.User.ID
		}
		if seer != "" {
			if i.user == nil {
				user = s.userLocked(seer)
			} else if i.user.ID != seer {
				return nil, nil, fmt.Sprintf("user %s cannot see message %s (only %s can)", i.user.ID, m.ID, seer)
			}
		}
	case InteractionModalSubmit:
		inv.Name = i.customID
		opener, err := s.modalOpenerLocked(i)
		if err != "" {
			return nil, nil, err
		}
		if !i.placed {
			i.placed, i.guildID, i.channelID, i.dm = true, opener.GuildID, opener.ChannelID, opener.GuildID == ""
		}
		if i.user == nil {
			user = opener.User
		}
		keys := make([]string, 0, len(i.fields))
		for k := range i.fields {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		rows := []any{}
		for _, k := range keys {
			rows = append(rows, map[string]any{"type": ComponentActionRow, "components": []any{
				map[string]any{"type": ComponentTextInput, "custom_id": k, "value": i.fields[k]},
			}})
		}
		data["custom_id"], data["components"] = i.customID, rows
		if opener.MessageID != "" {
			msg = s.messages[opener.MessageID]
			inv.MessageID = opener.MessageID
		}
	default:
		return nil, nil, fmt.Sprintf("interaction type %d is not supported", i.typ)
	}

	if !i.placed {
		i.guildID, i.channelID = GuildID, ChannelID
	}
	var ch *channel
	if i.dm {
		ch = s.dmChannelLocked(user.ID)
		i.guildID = ""
	} else if ch = s.channels[i.channelID]; ch == nil || ch.guildID != i.guildID {
		ch = s.addChannelLocked(i.guildID, i.channelID)
	}
	inv.GuildID, inv.ChannelID, inv.User = i.guildID, ch.id, user
	if _, ok := s.users[user.ID]; !ok {
		s.users[user.ID] = user
	}

	if i.typ == InteractionCommand || i.typ == InteractionAutocomplete {
		cmd := s.commandLocked(inv.GuildID, i.name, CommandChatInput)
		if cmd == nil {
			return nil, nil, fmt.Sprintf("command %q is not registered %s (registered: %s)", i.name, s.scopeText(inv.GuildID), s.registeredLocked(inv.GuildID))
		}
		if inv.GuildID == "" && !allowedInDM(cmd) {
			return nil, nil, fmt.Sprintf("command %q cannot be used in DMs (dm_permission/contexts)", i.name)
		}
		focused := 0
		if err := checkOptions(cmd.Options, i.options, i.name, i.typ == InteractionAutocomplete, &focused); err != "" {
			return nil, nil, err
		}
		if i.typ == InteractionAutocomplete && focused != 1 {
			return nil, nil, fmt.Sprintf("autocomplete for %q needs exactly one focused option, got %d", i.name, focused)
		}
		var opts []any
		for _, o := range i.options {
			opts = append(opts, o.wire())
		}
		data["id"], data["name"], data["type"] = cmd.ID, cmd.Name, CommandChatInput
		if opts != nil {
			data["options"] = opts
		}
		if cmd.GuildID != "" {
			data["guild_id"] = cmd.GuildID
		}
	}

	locale := i.locale
	if locale == "" {
		locale = "en-US"
	}
	inv.Locale = locale
	payload := map[string]any{
		"application_id": AppID, "type": i.typ, "data": data, "version": 1,
		"channel_id": ch.id, "locale": locale, "entitlements": []any{},
	}
	if msg != nil {
		payload["message"] = s.wireMessage(msg)
	}
	if i.dm {
		perms := dmPermissions
		if i.appPermissions != nil {
			perms = *i.appPermissions
		}
		payload["user"] = user.wire()
		payload["app_permissions"] = strconv.FormatInt(perms, 10)
		payload["channel"] = map[string]any{"id": ch.id, "type": 1}
		payload["context"] = 1
		payload["authorizing_integration_owners"] = map[string]any{"0": "0"}
	} else {
		perms, member := DefaultPermissions, DefaultPermissions
		if i.appPermissions != nil {
			perms = *i.appPermissions
		}
		if i.memberPermissions != nil {
			member = *i.memberPermissions
		}
		guildLocale := i.guildLocale
		if guildLocale == "" {
			guildLocale = "en-US"
		}
		roles := append([]string{}, i.roles...)
		payload["guild_id"] = inv.GuildID
		payload["guild_locale"] = guildLocale
		payload["guild"] = map[string]any{"id": inv.GuildID, "locale": guildLocale, "features": []any{}}
		payload["member"] = map[string]any{
			"user": user.wire(), "roles": roles, "joined_at": "2024-01-01T00:00:00.000000+00:00",
			"permissions": strconv.FormatInt(member, 10), "nick": nil, "avatar": nil,
			"deaf": false, "mute": false, "flags": 0, "pending": false,
		}
		payload["app_permissions"] = strconv.FormatInt(perms, 10)
		payload["channel"] = map[string]any{"id": ch.id, "type": 0, "guild_id": inv.GuildID, "name": "channel-" + ch.id}
		payload["context"] = 0
		payload["authorizing_integration_owners"] = map[string]any{"0": inv.GuildID}
	}
	return inv, payload, ""
}

func (s *Server) scopeText(guildID string) string {
	if guildID == "" {
		return "globally (the interaction is in a DM)"
	}
	return "in guild " + guildID + " or globally"
}

func (s *Server) registeredLocked(guildID string) string {
	var names []string
	for _, scope := range []string{guildID, ""} {
		for _, c := range s.commands[scope] {
			names = append(names, c.Name)
		}
		if guildID == "" {
			break
		}
	}
	if len(names) == 0 {
		return "none"
	}
	return strings.Join(names, ", ")
}

func allowedInDM(cmd *Command) bool {
	if cmd.DMPermission != nil && !*cmd.DMPermission {
		return false
	}
	return len(cmd.Contexts) == 0 || slices.Contains(cmd.Contexts, 1)
}

// checkOptions compares what the user filled in with the registration, as the Discord client
// enforces: known names, matching types, values among the choices, required options present
// (except in autocomplete, where the user is still typing).
func checkOptions(reg []CommandOption, given []Option, path string, autocomplete bool, focused *int) string {
	seen := map[string]bool{}
	for _, o := range given {
		r := findOption(reg, o.Name)
		if r == nil {
			return fmt.Sprintf("%s: option %q is not registered", path, o.Name)
		}
		if r.Type != o.Type {
			return fmt.Sprintf("%s: option %q is registered with type %d, given type %d", path, o.Name, r.Type, o.Type)
		}
		seen[o.Name] = true
		if o.Focused {
			*focused++
			if !autocomplete {
				return fmt.Sprintf("%s: option %q is focused outside an autocomplete interaction", path, o.Name)
			}
			if !r.Autocomplete {
				return fmt.Sprintf("%s: option %q is focused but not registered with autocomplete", path, o.Name)
			}
			continue
		}
		if o.Type == OptionSubcommand || o.Type == OptionSubcommandGroup {
			if err := checkOptions(r.Options, o.Options, path+" "+o.Name, autocomplete, focused); err != "" {
				return err
			}
			continue
		}
		if len(r.Choices) > 0 && !hasChoice(r.Choices, o.Value) {
			return fmt.Sprintf("%s: option %q value %v is not one of its choices", path, o.Name, o.Value)
		}
	}
	if !autocomplete {
		for _, r := range reg {
			if r.Required && !seen[r.Name] {
				return fmt.Sprintf("%s: required option %q is missing", path, r.Name)
			}
		}
	}
	return ""
}

func hasChoice(choices []Choice, v any) bool {
	for _, c := range choices {
		if fmt.Sprint(c.Value) == fmt.Sprint(v) {
			return true
		}
	}
	return false
}

// componentLocked finds the message and component a Button or Select interaction uses.
func (s *Server) componentLocked(i Interaction) (*Message, *Component, string) {
	var candidates []*Message
	if i.message != "" {
		m := s.messages[i.message]
		if m == nil || m.Deleted {
			return nil, nil, fmt.Sprintf("message %s does not exist", i.message)
		}
		candidates = []*Message{m}
	} else {
		for _, m := range s.messages {
			if !m.Deleted && m.Author.ID == BotUser.ID && FindComponent(m.Components, i.customID) != nil {
				candidates = append(candidates, m)
			}
		}
		sort.Slice(candidates, func(a, b int) bool { return snowflakeLess(candidates[b].ID, candidates[a].ID) })
	}
	if len(candidates) == 0 {
		return nil, nil, fmt.Sprintf("no bot message carries a component with custom_id %q", i.customID)
	}
	m := candidates[0]
	c := FindComponent(m.Components, i.customID)
	switch {
	case c == nil:
		return nil, nil, fmt.Sprintf("message %s has no component with custom_id %q", m.ID, i.customID)
	case c.Disabled:
		return nil, nil, fmt.Sprintf("component %q on message %s is disabled", i.customID, m.ID)
	case i.values == nil && c.Type != ComponentButton:
		return nil, nil, fmt.Sprintf("component %q is a type %d, not a button; use Select", i.customID, c.Type)
	case i.values != nil && !isSelect(c.Type):
		return nil, nil, fmt.Sprintf("component %q is a type %d, not a select menu; use Button", i.customID, c.Type)
	case c.Type == ComponentButton && c.Style == ButtonLink:
		return nil, nil, fmt.Sprintf("button %q is a link button, which sends no interaction", i.customID)
	}
	if isSelect(c.Type) {
		lo, hi := 1, 1
		if c.MinValues != nil {
			lo = *c.MinValues
		}
		if c.MaxValues > 0 {
			hi = c.MaxValues
		}
		if len(i.values) < lo || len(i.values) > hi {
			return nil, nil, fmt.Sprintf("select %q takes %d to %d values, given %d", i.customID, lo, hi, len(i.values))
		}
		if c.Type == ComponentStringSelect {
			for _, v := range i.values {
				if !slices.ContainsFunc(c.Options, func(o SelectOption) bool { return o.Value == v }) {
					return nil, nil, fmt.Sprintf("select %q has no option %q", i.customID, v)
				}
			}
		}
	}
	return m, c, ""
}

// modalOpenerLocked finds the newest invocation the bot answered with the modal.
func (s *Server) modalOpenerLocked(i Interaction) (*Invocation, string) {
	var opener *Invocation
	for _, inv := range s.invocations {
		r := inv.response
		if r != nil && r.Type == CallbackModal && r.CustomID == i.customID &&
			(opener == nil || snowflakeLess(opener.ID, inv.ID)) {
			opener = inv
		}
	}
	if opener == nil {
		return nil, fmt.Sprintf("the bot opened no modal with custom_id %q", i.customID)
	}
	for k := range i.fields {
		if FindComponent(opener.response.Components, k) == nil {
			return nil, fmt.Sprintf("modal %q has no text input %q", i.customID, k)
		}
	}
	return opener, ""
}
