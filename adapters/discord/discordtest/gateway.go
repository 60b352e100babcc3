package discordtest

import (
	"bytes"
	"compress/zlib"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gorilla/websocket"
)

// gatewayPath is where the fake's websocket listens; GET /gateway hands out its URL.
const gatewayPath = "/gateway-ws"

// HeartbeatInterval is the heartbeat_interval the fake's HELLO announces, in milliseconds:
// Discord's usual value. Clients heartbeat on wall time, so within a test they send only the
// first, immediate heartbeat.
const HeartbeatInterval = 41250

// Gateway intents the fake looks at (events/gateway "Gateway Intents").
const (
	IntentGuilds         int64 = 1 << 0
	IntentGuildMembers   int64 = 1 << 1 // privileged
	IntentGuildPresences int64 = 1 << 8 // privileged
	IntentGuildMessages  int64 = 1 << 9
	IntentDirectMessages int64 = 1 << 12
	IntentMessageContent int64 = 1 << 15 // privileged

	privilegedIntents = IntentGuildMembers | IntentGuildPresences | IntentMessageContent
)

// Gateway close codes the fake uses (topics/opcodes-and-status-codes "Gateway Close Event Codes").
const (
	CloseUnknownError         = 4000
	CloseUnknownOpcode        = 4001
	CloseDecodeError          = 4002
	CloseNotAuthenticated     = 4003
	CloseAuthenticationFailed = 4004
	CloseAlreadyAuthenticated = 4005
	CloseInvalidSeq           = 4007
	CloseSessionTimedOut      = 4009
	CloseInvalidShard         = 4010
	CloseDisallowedIntents    = 4014
)

// writeWait bounds one websocket write in wall time, so a client that stopped reading cannot
// wedge the fake.
const writeWait = 5 * time.Second

// Identify is an IDENTIFY (op 2) the bot sent.
type Identify struct {
	Token          string
	Intents        int64
	Shard          *[2]int
	Compress       bool
	LargeThreshold int
	Properties     map[string]string
	At             time.Time
	Raw            json.RawMessage
}

// Resume is a RESUME (op 6) the bot sent. OK is false when the session could not be resumed and
// the fake answered INVALID_SESSION; Replayed counts the events sent again.
type Resume struct {
	SessionID string
	Seq       int64
	OK        bool
	Replayed  int
	At        time.Time
}

// Heartbeat is a HEARTBEAT (op 1) the bot sent, with the last sequence number it had seen
// (nil before any).
type Heartbeat struct {
	Seq *int64
	At  time.Time
}

type gateway struct {
	upgrader    websocket.Upgrader
	closed      bool
	conns       map[*gwConn]bool
	connections int
	sessions    []*gwSession // oldest first
	identifies  []Identify
	resumes     []Resume
	heartbeats  []Heartbeat
	denied      int64 // intents the application may not use
}

func (g *gateway) init() {
	g.conns = map[*gwConn]bool{}
	g.upgrader = websocket.Upgrader{CheckOrigin: func(*http.Request) bool { return true }}
}

type gwSession struct {
	id       string
	identify Identify
	seq      int64
	log      []gwEvent
	conn     *gwConn // nil while the bot is away
	alive    bool    // false once it can no longer be resumed
}

type gwEvent struct {
	seq   int64
	frame []byte
}

type gwConn struct {
	id      int
	ws      *websocket.Conn
	wmu     sync.Mutex
	session *gwSession // set by IDENTIFY or RESUME
	query   url.Values
}

func (s *Server) gatewayURL() string {
	return "ws" + strings.TrimPrefix(s.srv.URL, "http") + gatewayPath
}

// DenyPrivilegedIntents makes the fake close with 4014 Disallowed intents when the bot
// identifies with GUILD_MEMBERS, GUILD_PRESENCES or MESSAGE_CONTENT, as Discord does for an
// application whose privileged intents are not enabled in the developer portal.
func (s *Server) DenyPrivilegedIntents() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.gw.denied = privilegedIntents
}

func (s *Server) serveGateway(w http.ResponseWriter, r *http.Request) {
	ws, err := s.gw.upgrader.Upgrade(w, r, nil)
	if err != nil {
		return
	}
	s.mu.Lock()
	if s.gw.closed {
		s.mu.Unlock()
		ws.Close()
		return
	}
	s.gw.connections++
	c := &gwConn{id: s.gw.connections, ws: ws, query: r.URL.Query()}
	s.gw.conns[c] = true
	s.sendLocked(c, frame(10, map[string]any{"heartbeat_interval": HeartbeatInterval}, nil, ""), false)
	s.notifyLocked()
	s.mu.Unlock()

	for {
		mt, data, err := ws.ReadMessage()
		if err != nil {
			s.connGone(c, err)
			return
		}
		var in struct {
			Op int             `json:"op"`
			D  json.RawMessage `json:"d"`
		}
		if mt != websocket.TextMessage || json.Unmarshal(data, &in) != nil {
			s.closeConn(c, CloseDecodeError, "Error while decoding payload.")
			continue
		}
		s.mu.Lock()
		code, reason := s.handleOpLocked(c, in.Op, in.D)
		s.mu.Unlock()
		if code != 0 {
			s.closeConn(c, code, reason)
		}
	}
}

// frame encodes a gateway payload.
func frame(op int, d any, seq *int64, t string) []byte {
	p := map[string]any{"op": op, "d": d, "s": nil, "t": nil}
	if seq != nil {
		p["s"] = *seq
	}
	if t != "" {
		p["t"] = t
	}
	b, err := json.Marshal(p)
	if err != nil {
		panic(err)
	}
	return b
}

// sendLocked writes one payload, zlib-compressed in a binary frame when the bot identified with
// compress: true, as Discord does. Errors are left for the read loop to notice.
func (s *Server) sendLocked(c *gwConn, b []byte, compress bool) {
	mt := websocket.TextMessage
	if compress {
		var buf bytes.Buffer
		zw := zlib.NewWriter(&buf)
		zw.Write(b)
		zw.Close()
		b, mt = buf.Bytes(), websocket.BinaryMessage
	}
	c.wmu.Lock()
	defer c.wmu.Unlock()
	c.ws.SetWriteDeadline(time.Now().Add(writeWait))
	_ = c.ws.WriteMessage(mt, b)
}

// closeConn closes a connection with a gateway close code.
func (s *Server) closeConn(c *gwConn, code int, reason string) {
	c.wmu.Lock()
	_ = c.ws.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(code, reason), time.Now().Add(writeWait))
	c.wmu.Unlock()
	c.ws.Close()
	s.mu.Lock()
	defer s.mu.Unlock()
	if sess := c.session; sess != nil {
		switch code {
		case CloseInvalidSeq, CloseSessionTimedOut, CloseAuthenticationFailed, CloseInvalidShard, CloseDisallowedIntents:
			sess.alive = false
		}
	}
}

// connGone cleans up after a connection ended. A client that closed with 1000 or 1001 has ended
// its session, which Discord then refuses to resume; any other end leaves it resumable.
func (s *Server) connGone(c *gwConn, err error) {
	c.ws.Close()
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.gw.conns, c)
	if sess := c.session; sess != nil && sess.conn == c {
		sess.conn = nil
		var ce *websocket.CloseError
		if errors.As(err, &ce) && (ce.Code == websocket.CloseNormalClosure || ce.Code == websocket.CloseGoingAway) {
			sess.alive = false
		}
	}
	s.notifyLocked()
}

func (s *Server) closeGateway() {
	s.mu.Lock()
	s.gw.closed = true
	var conns []*gwConn
	for c := range s.gw.conns {
		conns = append(conns, c)
	}
	s.mu.Unlock()
	for _, c := range conns {
		c.ws.NetConn().Close()
	}
}

// handleOpLocked answers one payload from the bot; a non-zero code closes the connection.
func (s *Server) handleOpLocked(c *gwConn, op int, d json.RawMessage) (int, string) {
	defer s.notifyLocked()
	now := s.clock.Now()
	switch op {
	case 1:
		hb := Heartbeat{At: now}
		var seq int64
		if json.Unmarshal(d, &seq) == nil && string(d) != "null" {
			hb.Seq = &seq
		}
		s.gw.heartbeats = append(s.gw.heartbeats, hb)
		s.sendLocked(c, frame(11, nil, nil, ""), false)
		return 0, ""
	case 2:
		return s.identifyLocked(c, d, now)
	case 6:
		return s.resumeLocked(c, d, now)
	case 3, 4, 8: // presence, voice state, request guild members: accepted, not modelled
		if c.session == nil {
			return CloseNotAuthenticated, "Not authenticated."
		}
		return 0, ""
	}
	return CloseUnknownOpcode, "Unknown opcode."
}

func validToken(t string) bool { return strings.TrimPrefix(t, "Bot ") == Token }

func (s *Server) identifyLocked(c *gwConn, d json.RawMessage, now time.Time) (int, string) {
	if c.session != nil {
		return CloseAlreadyAuthenticated, "Already authenticated."
	}
	var in struct {
		Token          string            `json:"token"`
		Intents        int64             `json:"intents"`
		Shard          *[2]int           `json:"shard"`
		Compress       bool              `json:"compress"`
		LargeThreshold int               `json:"large_threshold"`
		Properties     map[string]string `json:"properties"`
	}
	if err := json.Unmarshal(d, &in); err != nil {
		return CloseDecodeError, "Error while decoding payload."
	}
	id := Identify{Token: in.Token, Intents: in.Intents, Shard: in.Shard, Compress: in.Compress,
		LargeThreshold: in.LargeThreshold, Properties: in.Properties, At: now, Raw: d}
	s.gw.identifies = append(s.gw.identifies, id)
	switch {
	case !validToken(in.Token):
		return CloseAuthenticationFailed, "Authentication failed."
	case in.Intents&s.gw.denied != 0:
		return CloseDisallowedIntents, "Disallowed intent(s)."
	case in.Shard != nil && (in.Shard[1] < 1 || in.Shard[0] < 0 || in.Shard[0] >= in.Shard[1]):
		return CloseInvalidShard, "Invalid shard."
	}
	sess := &gwSession{id: fmt.Sprintf("%032x", len(s.gw.identifies)), identify: id, conn: c, alive: true}
	s.gw.sessions = append(s.gw.sessions, sess)
	c.session = sess

	var guilds []any
	var ours []*guild
	for _, g := range s.sortedGuildsLocked() {
		if sess.wants(g.id) {
			ours = append(ours, g)
			guilds = append(guilds, map[string]any{"id": g.id, "unavailable": true})
		}
	}
	if guilds == nil {
		guilds = []any{}
	}
	me := BotUser.wire()
	me["verified"], me["mfa_enabled"], me["flags"] = true, false, 0
	ready := map[string]any{
		"v": 9, "user": me, "guilds": guilds, "session_id": sess.id, "session_type": "normal",
		"resume_gateway_url": s.gatewayURL(), "application": map[string]any{"id": AppID, "flags": 0},
		"private_channels": []any{}, "relationships": []any{}, "presences": []any{},
		"guild_join_requests": []any{}, "geo_ordered_rtc_regions": []any{}, "user_settings": map[string]any{},
	}
	if in.Shard != nil {
		ready["shard"] = in.Shard
	}
	s.sendEventLocked(sess, "READY", ready)
	if in.Intents&IntentGuilds != 0 {
		for _, g := range ours {
			s.sendEventLocked(sess, "GUILD_CREATE", s.wireGuildLocked(g))
		}
	}
	return 0, ""
}

func (s *Server) sortedGuildsLocked() []*guild {
	var out []*guild
	for _, g := range s.guilds {
		out = append(out, g)
	}
	sort.Slice(out, func(a, b int) bool { return snowflakeLess(out[a].id, out[b].id) })
	return out
}

func (s *Server) wireGuildLocked(g *guild) map[string]any {
	channels := []any{}
	for _, id := range g.channels {
		channels = append(channels, s.wireChannel(s.channels[id]))
	}
	return map[string]any{
		"id": g.id, "name": g.name, "unavailable": false, "owner_id": Alice.ID, "preferred_locale": "en-US",
		"joined_at": "2024-01-01T00:00:00.000000+00:00", "member_count": 3, "large": false,
		"channels": channels, "threads": []any{}, "roles": []any{}, "emojis": []any{}, "stickers": []any{},
		"members": []any{}, "presences": []any{}, "voice_states": []any{}, "features": []any{},
	}
}

// wants reports whether the session's shard receives the guild's events (DMs, guildID "", go to
// shard 0): shard_id = (guild_id >> 22) % num_shards.
func (sess *gwSession) wants(guildID string) bool {
	sh := sess.identify.Shard
	if sh == nil || sh[1] <= 1 {
		return true
	}
	if guildID == "" {
		return sh[0] == 0
	}
	id, _ := strconv.ParseUint(guildID, 10, 64)
	return int((id>>22)%uint64(sh[1])) == sh[0]
}

func (s *Server) resumeLocked(c *gwConn, d json.RawMessage, now time.Time) (int, string) {
	if c.session != nil {
		return CloseAlreadyAuthenticated, "Already authenticated."
	}
	var in struct {
		Token     string `json:"token"`
		SessionID string `json:"session_id"`
		Seq       int64  `json:"seq"`
	}
	if err := json.Unmarshal(d, &in); err != nil {
		return CloseDecodeError, "Error while decoding payload."
	}
	r := Resume{SessionID: in.SessionID, Seq: in.Seq, At: now}
	if !validToken(in.Token) {
		s.gw.resumes = append(s.gw.resumes, r)
		return CloseAuthenticationFailed, "Authentication failed."
	}
	var sess *gwSession
	for _, x := range s.gw.sessions {
		if x.id == in.SessionID && x.alive {
			sess = x
		}
	}
	if sess == nil {
		s.gw.resumes = append(s.gw.resumes, r)
		s.sendLocked(c, frame(9, false, nil, ""), false)
		return 0, ""
	}
	if in.Seq > sess.seq {
		s.gw.resumes = append(s.gw.resumes, r)
		return CloseInvalidSeq, "Invalid seq."
	}
	if old := sess.conn; old != nil && old != c {
		old.session = nil
		go old.ws.NetConn().Close()
	}
	sess.conn, c.session = c, sess
	for _, ev := range sess.log {
		if ev.seq > in.Seq {
			s.sendLocked(c, ev.frame, sess.identify.Compress)
			r.Replayed++
		}
	}
	r.OK = true
	s.gw.resumes = append(s.gw.resumes, r)
	s.sendEventLocked(sess, "RESUMED", map[string]any{})
	return 0, ""
}

// sendEventLocked dispatches an event (op 0) on the session with its next sequence number,
// keeping it for replay on resume, and returns that number.
func (s *Server) sendEventLocked(sess *gwSession, t string, d any) int64 {
	sess.seq++
	seq := sess.seq
	b := frame(0, d, &seq, t)
	if t != "RESUMED" {
		sess.log = append(sess.log, gwEvent{seq: seq, frame: b})
	}
	if sess.conn != nil {
		s.sendLocked(sess.conn, b, sess.identify.Compress)
	}
	s.notifyLocked()
	return seq
}

// currentConnLocked is the newest connection with a session, for the server-initiated gateway
// actions.
func (s *Server) currentConnLocked() *gwConn {
	for i := len(s.gw.sessions) - 1; i >= 0; i-- {
		if c := s.gw.sessions[i].conn; c != nil {
			return c
		}
	}
	return nil
}

func (s *Server) mustConn(tb testing.TB, what string) *gwConn {
	tb.Helper()
	c := s.currentConnLocked()
	if c == nil {
		tb.Fatalf("discordtest: %s: no connected gateway session", what)
	}
	return c
}

// Reconnect sends op 7 RECONNECT, as Discord does before moving a session to another server:
// the bot should close the socket and resume.
func (s *Server) Reconnect(tb testing.TB) {
	tb.Helper()
	s.mu.Lock()
	defer s.mu.Unlock()
	s.sendLocked(s.mustConn(tb, "Reconnect"), frame(7, nil, nil, ""), false)
}

// InvalidateSession sends op 9 INVALID_SESSION. With resumable false the session is gone and
// the bot must identify again; with true it may still resume it.
func (s *Server) InvalidateSession(tb testing.TB, resumable bool) {
	tb.Helper()
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.mustConn(tb, "InvalidateSession")
	sess := c.session
	sess.conn, c.session = nil, nil
	if !resumable {
		sess.alive = false
	}
	s.sendLocked(c, frame(9, resumable, nil, ""), false)
	s.notifyLocked()
}

// DropConnection cuts the bot's socket without a close frame, as a network failure would; the
// session stays resumable.
func (s *Server) DropConnection(tb testing.TB) {
	tb.Helper()
	s.mu.Lock()
	c := s.mustConn(tb, "DropConnection")
	s.mu.Unlock()
	c.ws.NetConn().Close()
}

// CloseGateway closes the bot's socket with a gateway close code. Codes that end the session on
// Discord (4004, 4007, 4009, 4010, 4014) make it unresumable here too.
func (s *Server) CloseGateway(tb testing.TB, code int, reason string) {
	tb.Helper()
	s.mu.Lock()
	c := s.mustConn(tb, "CloseGateway")
	s.mu.Unlock()
	s.closeConn(c, code, reason)
}

// RequestHeartbeat sends op 1, asking the bot to heartbeat at once.
func (s *Server) RequestHeartbeat(tb testing.TB) {
	tb.Helper()
	s.mu.Lock()
	defer s.mu.Unlock()
	s.sendLocked(s.mustConn(tb, "RequestHeartbeat"), frame(1, nil, nil, ""), false)
}

// Identifies returns the IDENTIFY payloads received so far.
func (s *Server) Identifies() []Identify {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Identify(nil), s.gw.identifies...)
}

// WaitIdentify waits for the nth IDENTIFY (1-based) and returns it.
func (s *Server) WaitIdentify(tb testing.TB, n int) Identify {
	tb.Helper()
	var out Identify
	s.wait(tb, fmt.Sprintf("IDENTIFY %d", n), func() (bool, string) {
		if len(s.gw.identifies) >= n {
			out = s.gw.identifies[n-1]
			return true, ""
		}
		return false, ""
	})
	return out
}

// Resumes returns the RESUME attempts received so far.
func (s *Server) Resumes() []Resume {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Resume(nil), s.gw.resumes...)
}

// WaitResume waits for the nth RESUME attempt (1-based) and returns it.
func (s *Server) WaitResume(tb testing.TB, n int) Resume {
	tb.Helper()
	var out Resume
	s.wait(tb, fmt.Sprintf("RESUME %d", n), func() (bool, string) {
		if len(s.gw.resumes) >= n {
			out = s.gw.resumes[n-1]
			return true, ""
		}
		return false, ""
	})
	return out
}

// Heartbeats returns the heartbeats received so far.
func (s *Server) Heartbeats() []Heartbeat {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Heartbeat(nil), s.gw.heartbeats...)
}

// WaitHeartbeat waits for the nth heartbeat (1-based) and returns it.
func (s *Server) WaitHeartbeat(tb testing.TB, n int) Heartbeat {
	tb.Helper()
	var out Heartbeat
	s.wait(tb, fmt.Sprintf("heartbeat %d", n), func() (bool, string) {
		if len(s.gw.heartbeats) >= n {
			out = s.gw.heartbeats[n-1]
			return true, ""
		}
		return false, ""
	})
	return out
}

// WaitDisconnected waits until the bot has no gateway connection open, after it closed its
// session, say.
func (s *Server) WaitDisconnected(tb testing.TB) {
	tb.Helper()
	s.wait(tb, "the gateway connections to close", func() (bool, string) { return len(s.gw.conns) == 0, "" })
}

// WaitSessionEnded waits until the bot has ended the gateway session with the id (READY's
// session_id) by closing its socket with code 1000 or 1001, as discordgo's Close does.
func (s *Server) WaitSessionEnded(tb testing.TB, sessionID string) {
	tb.Helper()
	s.wait(tb, "the end of gateway session "+sessionID, func() (bool, string) {
		for _, sess := range s.gw.sessions {
			if sess.id == sessionID {
				return !sess.alive && sess.conn == nil, ""
			}
		}
		return false, "no such session"
	})
}

// Connections counts the websocket connections opened so far.
func (s *Server) Connections() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.gw.connections
}
