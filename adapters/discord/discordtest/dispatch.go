package discordtest

import (
	"slices"
	"testing"
)

// dispatchLocked sends an event to every live session whose shard covers the guild ("" for a
// DM), as Discord does (two bot processes on one shard both get it); filter, when set, may
// reshape or withhold (nil) the payload per session. It returns the sequence number on the
// first connected session (else the first queued delivery), or why there was none.
func (s *Server) dispatchLocked(guildID, t string, d any, filter func(*gwSession) any) (int64, string) {
	var first, connected int64
	for _, sess := range s.gw.sessions {
		if !sess.alive || !sess.wants(guildID) {
			continue
		}
		payload := d
		if filter != nil {
			if payload = filter(sess); payload == nil {
				continue
			}
		}
		seq := s.sendEventLocked(sess, t, payload)
		if first == 0 {
			first = seq
		}
		if connected == 0 && sess.conn != nil {
			connected = seq
		}
	}
	if first == 0 && filter == nil {
		return 0, "no gateway session to dispatch " + t + " to: the bot has not identified (call Open first)"
	}
	if connected != 0 {
		return connected, ""
	}
	return first, ""
}

// Dispatch sends any event to the bot's session(s), for events the fake has no helper for, and
// returns the sequence number it went out with.
func (s *Server) Dispatch(tb testing.TB, t string, data any) int64 {
	tb.Helper()
	s.mu.Lock()
	defer s.mu.Unlock()
	seq, err := s.dispatchLocked("", t, data, nil)
	if err != "" {
		tb.Fatalf("discordtest: Dispatch: %s", err)
	}
	return seq
}

// messageIntentFilter withholds message events from sessions without the intent for the
// channel's kind and blanks the content, embeds and components of other users' guild messages
// for sessions without MESSAGE_CONTENT, unless the bot is mentioned.
func messageIntentFilter(m *Message, wire map[string]any) func(*gwSession) any {
	return func(sess *gwSession) any {
		intents := sess.identify.Intents
		need := IntentGuildMessages
		if m.GuildID == "" {
			need = IntentDirectMessages
		}
		if intents&need == 0 {
			return nil
		}
		if m.GuildID != "" && m.Author.ID != BotUser.ID && intents&IntentMessageContent == 0 &&
			!slices.Contains(m.Pings().Users, BotUser.ID) {
			blank := map[string]any{}
			for k, v := range wire {
				blank[k] = v
			}
			blank["content"], blank["embeds"], blank["components"], blank["attachments"] = "", []any{}, []any{}, []any{}
			return blank
		}
		return wire
	}
}

// echoLocked tells the bot's sessions about a change to one of its messages (MESSAGE_CREATE,
// MESSAGE_UPDATE, MESSAGE_DELETE), as Discord does; ephemeral messages are not announced.
func (s *Server) echoLocked(t string, m *Message) {
	if m == nil || m.Ephemeral() {
		return
	}
	var wire map[string]any
	if t == "MESSAGE_DELETE" {
		wire = map[string]any{"id": m.ID, "channel_id": m.ChannelID}
		if m.GuildID != "" {
			wire["guild_id"] = m.GuildID
		}
	} else {
		wire = s.wireMessage(m)
	}
	s.dispatchLocked(m.GuildID, t, wire, messageIntentFilter(m, wire))
}

// PostUserMessage has a user post a message in a channel and sends MESSAGE_CREATE to the bot,
// subject to its intents: GUILD_MESSAGES or DIRECT_MESSAGES to get the event at all, and
// MESSAGE_CONTENT to see the text of guild messages that do not mention it.
func (s *Server) PostUserMessage(tb testing.TB, channelID string, u User, content string) Message {
	tb.Helper()
	s.mu.Lock()
	defer s.mu.Unlock()
	ch := s.channels[channelID]
	if ch == nil {
		tb.Fatalf("discordtest: PostUserMessage: unknown channel %s", channelID)
	}
	if _, ok := s.users[u.ID]; !ok {
		s.users[u.ID] = u
	}
	m := &Message{Author: u, Content: content}
	s.storeLocked(ch, m)
	wire := s.wireMessage(m)
	if ch.guildID != "" {
		wire["member"] = map[string]any{"roles": []any{}, "joined_at": "2024-01-01T00:00:00.000000+00:00", "deaf": false, "mute": false, "flags": 0}
	}
	s.dispatchLocked(m.GuildID, "MESSAGE_CREATE", wire, messageIntentFilter(m, wire))
	return *m
}
