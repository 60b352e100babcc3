package discordtest

import (
	"encoding/json"
	"net/http"
	"strconv"
)

// restRoutes lists the endpoints the fake serves, relative to /api/v9. More specific paths come
// first: "@original" and "@me" before a bare id.
func (s *Server) restRoutes() []route {
	r := func(p string, auth bool, fn func(*Call, map[string]string) (int, any, *APIError)) route {
		return route{pat: mustPattern(p), auth: auth, fn: fn}
	}
	return []route{
		r("GET /gateway", false, s.getGateway),
		r("GET /gateway/bot", true, s.getGatewayBot),
		r("GET /users/@me", true, s.getMe),
		r("POST /users/@me/channels", true, s.openDM),

		r("GET /applications/{app}/commands", true, s.getCommands),
		r("PUT /applications/{app}/commands", true, s.putCommands),
		r("GET /applications/{app}/guilds/{guild}/commands", true, s.getCommands),
		r("PUT /applications/{app}/guilds/{guild}/commands", true, s.putCommands),

		r("POST /interactions/{id}/{token}/callback", false, s.callback),
		r("GET /webhooks/{app}/{token}/messages/@original", false, s.getOriginal),
		r("PATCH /webhooks/{app}/{token}/messages/@original", false, s.editOriginal),
		r("DELETE /webhooks/{app}/{token}/messages/@original", false, s.deleteOriginal),
		r("POST /webhooks/{app}/{token}", false, s.followup),
		r("GET /webhooks/{app}/{token}/messages/{message}", false, s.getFollowup),
		r("PATCH /webhooks/{app}/{token}/messages/{message}", false, s.editFollowup),
		r("DELETE /webhooks/{app}/{token}/messages/{message}", false, s.deleteFollowup),

		r("POST /channels/{channel}/messages", true, s.createMessage),
		r("GET /channels/{channel}/messages/{message}", true, s.getMessage),
		r("PATCH /channels/{channel}/messages/{message}", true, s.editMessage),
		r("DELETE /channels/{channel}/messages/{message}", true, s.deleteMessage),
	}
}

func (s *Server) getGateway(*Call, map[string]string) (int, any, *APIError) {
	return http.StatusOK, map[string]any{"url": s.gatewayURL()}, nil
}

func (s *Server) getGatewayBot(*Call, map[string]string) (int, any, *APIError) {
	return http.StatusOK, map[string]any{
		"url": s.gatewayURL(), "shards": 1,
		"session_start_limit": map[string]any{"total": 1000, "remaining": 999, "reset_after": 14400000, "max_concurrency": 1},
	}, nil
}

func (s *Server) getMe(*Call, map[string]string) (int, any, *APIError) {
	me := BotUser.wire()
	me["verified"], me["mfa_enabled"], me["flags"] = true, false, 0
	return http.StatusOK, me, nil
}

// openDM is POST /users/@me/channels {"recipient_id"}: the same user always gets the same
// channel.
func (s *Server) openDM(c *Call, _ map[string]string) (int, any, *APIError) {
	var body struct {
		RecipientID string `json:"recipient_id"`
	}
	var p problems
	if err := json.Unmarshal(c.Body, &body); err != nil || body.RecipientID == "" {
		p.add("recipient_id", "BASE_TYPE_REQUIRED", "This field is required")
	} else if _, err := strconv.ParseUint(body.RecipientID, 10, 64); err != nil {
		p.add("recipient_id", "NUMBER_TYPE_COERCE", "Value %q is not snowflake.", body.RecipientID)
	}
	if e := p.formError(); e != nil {
		return 0, nil, e
	}
	ch := s.dmChannelLocked(body.RecipientID)
	s.notifyLocked()
	return http.StatusOK, s.wireChannel(ch), nil
}

func (s *Server) wireChannel(ch *channel) map[string]any {
	w := map[string]any{"id": ch.id, "type": ch.kind, "flags": 0, "last_message_id": nil}
	if n := len(ch.messages); n > 0 {
		w["last_message_id"] = ch.messages[n-1]
	}
	if ch.kind == 1 {
		w["recipients"] = []any{s.userLocked(ch.recipient).wire()}
	} else {
		w["guild_id"], w["name"], w["position"] = ch.guildID, "channel-"+ch.id, 0
	}
	return w
}

// sendableLocked finds a channel the bot may post in: 404 Unknown Channel for one it does not
// know, 403 Cannot send messages to this user for a DM with someone who closed their DMs.
func (s *Server) sendableLocked(id string) (*channel, *APIError) {
	ch := s.channels[id]
	if ch == nil {
		return nil, apiError(http.StatusNotFound, CodeUnknownChannel)
	}
	if ch.kind == 1 && s.closedDM[ch.recipient] {
		return nil, apiError(http.StatusForbidden, CodeCannotSendToUser)
	}
	return ch, nil
}

func (s *Server) createMessage(c *Call, params map[string]string) (int, any, *APIError) {
	ch, e := s.sendableLocked(params["channel"])
	if e != nil {
		return 0, nil, e
	}
	obj, e := decodeObject(c.Body)
	if e != nil {
		return 0, nil, e
	}
	var p problems
	f := decodeMessageFields(obj, c.Files, "", &p)
	validateMessage(f, "", channelRules, &p)
	if e := p.formError(); e != nil {
		return 0, nil, e
	}
	if f.empty() {
		return 0, nil, apiError(http.StatusBadRequest, CodeCannotSendEmptyMessage)
	}
	m := &Message{Author: BotUser, Content: f.Content, Embeds: f.Embeds, Components: f.Components,
		Flags: f.Flags, TTS: f.TTS, AllowedMentions: f.AllowedMentions, Files: f.Files, ReplyTo: f.Reference}
	if f.Reference != "" {
		m.Type = 19
	}
	s.storeLocked(ch, m)
	s.echoLocked("MESSAGE_CREATE", m)
	return http.StatusOK, s.wireMessage(m), nil
}

// channelMessageLocked finds a message in a channel, or 404 Unknown Message.
func (s *Server) channelMessageLocked(params map[string]string) (*Message, *APIError) {
	if s.channels[params["channel"]] == nil {
		return nil, apiError(http.StatusNotFound, CodeUnknownChannel)
	}
	m := s.messages[params["message"]]
	if m == nil || m.Deleted || m.ChannelID != params["channel"] {
		return nil, apiError(http.StatusNotFound, CodeUnknownMessage)
	}
	return m, nil
}

func (s *Server) getMessage(_ *Call, params map[string]string) (int, any, *APIError) {
	m, e := s.channelMessageLocked(params)
	if e != nil {
		return 0, nil, e
	}
	return http.StatusOK, s.wireMessage(m), nil
}

func (s *Server) editMessage(c *Call, params map[string]string) (int, any, *APIError) {
	m, e := s.channelMessageLocked(params)
	if e != nil {
		return 0, nil, e
	}
	if m.Author.ID != BotUser.ID {
		return 0, nil, apiError(http.StatusForbidden, CodeCannotEditOthersMessage)
	}
	status, body, e := s.applyEditLocked(c, m)
	if e == nil {
		s.echoLocked("MESSAGE_UPDATE", s.messages[m.ID])
	}
	return status, body, e
}

// applyEditLocked validates an edit body and applies it.
func (s *Server) applyEditLocked(c *Call, m *Message) (int, any, *APIError) {
	obj, e := decodeObject(c.Body)
	if e != nil {
		return 0, nil, e
	}
	var p problems
	f := decodeMessageFields(obj, c.Files, "", &p)
	validateMessage(f, "", editRules, &p)
	if e := p.formError(); e != nil {
		return 0, nil, e
	}
	n := s.editLocked(m, f)
	return http.StatusOK, s.wireMessage(n), nil
}

func (s *Server) deleteMessage(_ *Call, params map[string]string) (int, any, *APIError) {
	m, e := s.channelMessageLocked(params)
	if e != nil {
		return 0, nil, e
	}
	s.deleteLocked(m)
	s.echoLocked("MESSAGE_DELETE", m)
	return http.StatusNoContent, nil, nil
}

func (s *Server) deleteLocked(m *Message) {
	n := *m
	n.Deleted = true
	s.messages[n.ID] = &n
	s.notifyLocked()
}
