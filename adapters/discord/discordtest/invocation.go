package discordtest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"
)

// Invocation is an interaction the fake has dispatched. Its methods report how the bot answered:
// Await for the initial response, Original and Followups for what the user ends up seeing.
type Invocation struct {
	s *Server

	ID           string
	Token        string
	Type         int    // InteractionCommand, InteractionComponent, …
	Name         string // the command name, or the custom id of the component or modal
	GuildID      string // "" in a DM
	ChannelID    string
	User         User
	Locale       string
	MessageID    string          // the message a component was on
	DispatchedAt time.Time       // on the fake clock; the 3 s deadline runs from here
	Seq          int64           // gateway sequence number of the INTERACTION_CREATE
	Payload      json.RawMessage // the interaction object as dispatched

	// guarded by s.mu
	response  *Response
	answered  chan struct{}
	original  string // id of the message the response created or updated
	followups []string
}

// Response is the initial response the bot made to an interaction: the callback type and its
// data as sent. Message fields are empty for types 5, 6, 8 and 9 unless the bot sent them.
type Response struct {
	Type            int
	Content         string
	Embeds          []Embed
	Components      []Component
	Flags           int
	TTS             bool
	AllowedMentions *AllowedMentions
	Files           []string
	Choices         []Choice // type 8
	CustomID, Title string   // type 9
	At              time.Time
	Raw             json.RawMessage
}

// Ephemeral reports whether the response asked to be seen by the invoking user only.
func (r *Response) Ephemeral() bool { return r.Flags&FlagEphemeral != 0 }

// Await waits for the bot's initial response and returns it. It fails the test when the fake
// clock passes the 3 s deadline first (Discord would have shown "The application did not
// respond"), and, as a safety net, after WaitTimeout of wall time.
func (inv *Invocation) Await(tb testing.TB) *Response {
	tb.Helper()
	var r *Response
	inv.s.wait(tb, fmt.Sprintf("the response to interaction %s (%s)", inv.ID, inv.Name), func() (bool, string) {
		if inv.response != nil {
			r = inv.response
			return true, ""
		}
		if late := inv.s.clock.Now().Sub(inv.DispatchedAt); late > InteractionDeadline {
			return false, fmt.Sprintf("no response within %v of dispatch (the fake clock is %v past dispatch)", InteractionDeadline, late)
		}
		return false, ""
	})
	return r
}

// Answered is closed once the bot's initial response has been accepted, for tests that select
// on it alongside other events.
func (inv *Invocation) Answered() <-chan struct{} { return inv.answered }

// Response returns the accepted initial response, if any yet.
func (inv *Invocation) Response() (*Response, bool) {
	inv.s.mu.Lock()
	defer inv.s.mu.Unlock()
	return inv.response, inv.response != nil
}

// Callbacks returns every callback request for the interaction, accepted or refused.
func (inv *Invocation) Callbacks() []*Call {
	inv.s.mu.Lock()
	defer inv.s.mu.Unlock()
	return inv.recordedCallbacksLocked()
}

func (inv *Invocation) recordedCallbacksLocked() []*Call {
	prefix := "/interactions/" + inv.ID + "/"
	var out []*Call
	for _, c := range inv.s.calls {
		if c.Method == http.MethodPost && strings.HasPrefix(c.Path, prefix) && strings.HasSuffix(c.Path, "/callback") {
			out = append(out, c)
		}
	}
	return out
}

// WaitCallback waits for the nth callback request (1-based), whatever it was answered, to check
// a refused one.
func (inv *Invocation) WaitCallback(tb testing.TB, n int) *Call {
	tb.Helper()
	var c *Call
	inv.s.wait(tb, fmt.Sprintf("callback %d for interaction %s", n, inv.ID), func() (bool, string) {
		if cs := inv.recordedCallbacksLocked(); len(cs) >= n {
			c = cs[n-1]
			return true, ""
		}
		return false, ""
	})
	return c
}

// Original returns the message the initial response created or updated, as it stands now: the
// reply for types 4 and 5, the component's message for 6 and 7.
func (inv *Invocation) Original() (Message, bool) {
	inv.s.mu.Lock()
	defer inv.s.mu.Unlock()
	m, ok := inv.s.messages[inv.original]
	if !ok {
		return Message{}, false
	}
	return *m, true
}

// WaitOriginal waits until the original response satisfies cond (after a deferral, say:
// func(m Message) bool { return !m.Loading() }) and returns it.
func (inv *Invocation) WaitOriginal(tb testing.TB, cond func(Message) bool) Message {
	tb.Helper()
	var out Message
	inv.s.wait(tb, "the original response of interaction "+inv.ID+" to match", func() (bool, string) {
		m, ok := inv.s.messages[inv.original]
		if !ok {
			return false, ""
		}
		out = *m
		return cond(out), ""
	})
	return out
}

// Followups returns the follow-up messages sent with the interaction's token, oldest first.
func (inv *Invocation) Followups() []Message {
	inv.s.mu.Lock()
	defer inv.s.mu.Unlock()
	return inv.followupsLocked()
}

func (inv *Invocation) followupsLocked() []Message {
	var out []Message
	for _, id := range inv.followups {
		out = append(out, *inv.s.messages[id])
	}
	return out
}

// WaitFollowups waits for at least n follow-up messages and returns them.
func (inv *Invocation) WaitFollowups(tb testing.TB, n int) []Message {
	tb.Helper()
	var out []Message
	inv.s.wait(tb, fmt.Sprintf("%d follow-ups to interaction %s", n, inv.ID), func() (bool, string) {
		out = inv.followupsLocked()
		return len(out) >= n, ""
	})
	return out
}
