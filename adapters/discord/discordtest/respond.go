package discordtest

import (
	"encoding/json"
	"net/http"
	"slices"
)

// callbackAllowed says which callback types answer which interaction types
// (receiving-and-responding "Interaction Callback Type").
func callbackAllowed(interaction, callback int) bool {
	switch callback {
	case CallbackPong:
		return interaction == InteractionPing
	case CallbackMessage, CallbackDeferredMessage:
		return interaction == InteractionCommand || interaction == InteractionComponent || interaction == InteractionModalSubmit
	case CallbackDeferredUpdate, CallbackUpdateMessage:
		return interaction == InteractionComponent || interaction == InteractionModalSubmit
	case CallbackAutocomplete:
		return interaction == InteractionAutocomplete
	case CallbackModal:
		return interaction == InteractionCommand || interaction == InteractionComponent
	}
	return false
}

// callback is POST /interactions/{id}/{token}/callback: exactly one accepted answer per
// interaction, within 3 s of dispatch on the fake clock.
func (s *Server) callback(c *Call, params map[string]string) (int, any, *APIError) {
	inv := s.invocations[params["id"]]
	if inv == nil || inv.Token != params["token"] {
		return 0, nil, apiError(http.StatusNotFound, CodeUnknownInteraction)
	}
	if inv.response != nil {
		return 0, nil, apiError(http.StatusBadRequest, CodeAlreadyAcknowledged)
	}
	if c.At.Sub(inv.DispatchedAt) > InteractionDeadline {
		return 0, nil, apiError(http.StatusNotFound, CodeUnknownInteraction)
	}
	obj, e := decodeObject(c.Body)
	if e != nil {
		return 0, nil, e
	}
	var p problems
	var typ int
	if raw, ok := obj["type"]; !ok || json.Unmarshal(raw, &typ) != nil {
		p.add("type", "BASE_TYPE_REQUIRED", "This field is required")
		return 0, nil, p.formError()
	}
	if !callbackAllowed(inv.Type, typ) {
		p.add("type", "INTERACTION_RESPONSE_TYPE_INVALID", "Callback type %d is not valid for an interaction of type %d.", typ, inv.Type)
		return 0, nil, p.formError()
	}
	data := map[string]json.RawMessage{}
	if raw, ok := obj["data"]; ok && string(raw) != "null" {
		if err := json.Unmarshal(raw, &data); err != nil {
			p.add("data", "DICT_TYPE_CONVERT", "Only dictionaries may be used in a DictType")
			return 0, nil, p.formError()
		}
	}
	f := decodeMessageFields(data, c.Files, "data.", &p)
	switch typ {
	case CallbackMessage, CallbackUpdateMessage:
		validateMessage(f, "data.", interactionRules, &p)
	case CallbackDeferredMessage:
		if f.Flags&^FlagEphemeral != 0 {
			p.add("data.flags", "MESSAGE_FLAGS_INVALID", "Only EPHEMERAL may be set on a deferred response.")
		}
	case CallbackAutocomplete:
		validateChoices(f.Choices, "data.choices", &p)
	case CallbackModal:
		validateModal(f, "data.", &p)
	}
	if (typ == CallbackDeferredUpdate || typ == CallbackUpdateMessage) && inv.MessageID == "" {
		p.add("type", "INTERACTION_RESPONSE_TYPE_INVALID", "There is no message to update: the modal was not opened from a component.")
	}
	if e := p.formError(); e != nil {
		return 0, nil, e
	}
	if typ == CallbackMessage && f.empty() {
		return 0, nil, apiError(http.StatusBadRequest, CodeCannotSendEmptyMessage)
	}

	ch := s.channels[inv.ChannelID]
	switch typ {
	case CallbackMessage:
		m := s.interactionMessage(inv, f)
		m.Flags = f.Flags
		s.storeLocked(ch, m)
		s.echoLocked("MESSAGE_CREATE", m)
		inv.original = m.ID
	case CallbackDeferredMessage:
		m := &Message{Author: BotUser, WebhookID: AppID, InteractionID: inv.ID, Flags: FlagLoading | f.Flags&FlagEphemeral}
		if inv.Type == InteractionCommand {
			m.Type = 20
		}
		s.storeLocked(ch, m)
		s.echoLocked("MESSAGE_CREATE", m)
		inv.original = m.ID
	case CallbackDeferredUpdate:
		inv.original = inv.MessageID
	case CallbackUpdateMessage:
		inv.original = inv.MessageID
		if m := s.messages[inv.MessageID]; m != nil {
			s.echoLocked("MESSAGE_UPDATE", s.editLocked(m, f))
		}
	}
	inv.response = &Response{
		Type: typ, Content: f.Content, Embeds: f.Embeds, Components: f.Components, Flags: f.Flags,
		TTS: f.TTS, AllowedMentions: f.AllowedMentions, Files: f.Files, Choices: f.Choices,
		CustomID: f.CustomID, Title: f.Title, At: c.At, Raw: c.Body,
	}
	close(inv.answered)
	s.notifyLocked()
	if c.Query.Get("with_response") == "true" {
		out := map[string]any{"interaction": map[string]any{"id": inv.ID, "type": inv.Type}}
		if m := s.messages[inv.original]; m != nil && (typ == CallbackMessage || typ == CallbackUpdateMessage) {
			out["resource"] = map[string]any{"type": typ, "message": s.wireMessage(m)}
		} else {
			out["resource"] = map[string]any{"type": typ}
		}
		return http.StatusOK, out, nil
	}
	return http.StatusNoContent, nil, nil
}

// interactionMessage is a new message sent through the interaction's webhook.
func (s *Server) interactionMessage(inv *Invocation, f *messageFields) *Message {
	m := &Message{Author: BotUser, WebhookID: AppID, InteractionID: inv.ID, Content: f.Content,
		Embeds: f.Embeds, Components: f.Components, TTS: f.TTS, AllowedMentions: f.AllowedMentions, Files: f.Files}
	if inv.Type == InteractionCommand {
		m.Type = 20
	}
	return m
}

// webhookLocked finds the interaction behind /webhooks/{app}/{token}: 404 Unknown Webhook until
// it has been acknowledged (and for good once the 3 s deadline passed without one), 401 Invalid
// Webhook Token once the token's 15 minutes are up.
func (s *Server) webhookLocked(c *Call, params map[string]string) (*Invocation, *APIError) {
	if params["app"] != AppID {
		return nil, apiError(http.StatusNotFound, CodeUnknownWebhook)
	}
	var inv *Invocation
	for _, x := range s.invocations {
		if x.Token == params["token"] {
			inv = x
			break
		}
	}
	switch {
	case inv == nil || inv.response == nil:
		return nil, apiError(http.StatusNotFound, CodeUnknownWebhook)
	case c.At.Sub(inv.DispatchedAt) > TokenLifetime:
		return nil, apiError(http.StatusUnauthorized, CodeInvalidWebhookToken)
	}
	return inv, nil
}

// webhookMessageLocked finds a message the interaction's webhook may touch: the original
// response or one of its follow-ups.
func (s *Server) webhookMessageLocked(inv *Invocation, id string) (*Message, *APIError) {
	if id == "@original" {
		id = inv.original
	}
	m := s.messages[id]
	if m == nil || m.Deleted || (id != inv.original && !slices.Contains(inv.followups, id)) {
		return nil, apiError(http.StatusNotFound, CodeUnknownMessage)
	}
	return m, nil
}

func (s *Server) getOriginal(c *Call, params map[string]string) (int, any, *APIError) {
	params["message"] = "@original"
	return s.getFollowup(c, params)
}

func (s *Server) editOriginal(c *Call, params map[string]string) (int, any, *APIError) {
	params["message"] = "@original"
	return s.editFollowup(c, params)
}

func (s *Server) deleteOriginal(c *Call, params map[string]string) (int, any, *APIError) {
	params["message"] = "@original"
	return s.deleteFollowup(c, params)
}

func (s *Server) getFollowup(c *Call, params map[string]string) (int, any, *APIError) {
	inv, e := s.webhookLocked(c, params)
	if e != nil {
		return 0, nil, e
	}
	m, e := s.webhookMessageLocked(inv, params["message"])
	if e != nil {
		return 0, nil, e
	}
	return http.StatusOK, s.wireMessage(m), nil
}

func (s *Server) editFollowup(c *Call, params map[string]string) (int, any, *APIError) {
	inv, e := s.webhookLocked(c, params)
	if e != nil {
		return 0, nil, e
	}
	m, e := s.webhookMessageLocked(inv, params["message"])
	if e != nil {
		return 0, nil, e
	}
	status, body, e := s.applyEditLocked(c, m)
	if e == nil {
		s.echoLocked("MESSAGE_UPDATE", s.messages[m.ID])
	}
	return status, body, e
}

func (s *Server) deleteFollowup(c *Call, params map[string]string) (int, any, *APIError) {
	inv, e := s.webhookLocked(c, params)
	if e != nil {
		return 0, nil, e
	}
	m, e := s.webhookMessageLocked(inv, params["message"])
	if e != nil {
		return 0, nil, e
	}
	s.deleteLocked(m)
	s.echoLocked("MESSAGE_DELETE", m)
	return http.StatusNoContent, nil, nil
}

// followup is POST /webhooks/{app}/{token}. Right after a deferred response (type 5) Discord
// still lets the first follow-up fill in the "thinking…" message instead of posting a new one,
// keeping its ephemeral state; the fake does the same. Once the bot has deleted that message,
// a follow-up is a new message with its own flags.
func (s *Server) followup(c *Call, params map[string]string) (int, any, *APIError) {
	inv, e := s.webhookLocked(c, params)
	if e != nil {
		return 0, nil, e
	}
	obj, e := decodeObject(c.Body)
	if e != nil {
		return 0, nil, e
	}
	var p problems
	f := decodeMessageFields(obj, c.Files, "", &p)
	validateMessage(f, "", interactionRules, &p)
	if e := p.formError(); e != nil {
		return 0, nil, e
	}
	if f.empty() {
		return 0, nil, apiError(http.StatusBadRequest, CodeCannotSendEmptyMessage)
	}
	if orig := s.messages[inv.original]; inv.response.Type == CallbackDeferredMessage && orig != nil && !orig.Deleted && orig.Loading() && len(inv.followups) == 0 {
		delete(f.has, "flags")
		n := s.editLocked(orig, f)
		s.echoLocked("MESSAGE_UPDATE", n)
		return http.StatusOK, s.wireMessage(n), nil
	}
	m := s.interactionMessage(inv, f)
	m.Type = 0
	m.Flags = f.Flags
	s.storeLocked(s.channels[inv.ChannelID], m)
	s.echoLocked("MESSAGE_CREATE", m)
	inv.followups = append(inv.followups, m.ID)
	return http.StatusOK, s.wireMessage(m), nil
}
