package discordtest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"mime"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/pybrarian/pybrarian/adapters/discord"
)

// APIVersion is the REST and gateway version the fake serves: discordgo v0.28.1's
// (discordgo.APIVersion). Other versions get 404.
const APIVersion = "9"

// Token is the bot token the fake accepts, sent as "Authorization: Bot <Token>"; any other
// gets 401, and the gateway closes with 4004 Authentication failed.
const Token = "fake-bot-token.discordtest"

// Fixed ids, so tests and golden files can name them. Discord ids are snowflakes: decimal
// strings of a 64-bit number whose high bits are a millisecond timestamp.
const (
	AppID     = "1100000000000000001" // the application, and its bot user
	GuildID   = "1200000000000000001" // a guild the bot is in
	ChannelID = "1300000000000000001" // a text channel in GuildID
)

// User is a Discord user as the fake reports it.
type User struct {
	ID         string `json:"id"`
	Username   string `json:"username"`
	GlobalName string `json:"global_name,omitempty"`
	Bot        bool   `json:"bot,omitempty"`
}

func (u User) wire() map[string]any {
	m := map[string]any{"id": u.ID, "username": u.Username, "discriminator": "0", "avatar": nil, "public_flags": 0}
	if u.GlobalName != "" {
		m["global_name"] = u.GlobalName
	} else {
		m["global_name"] = nil
	}
	if u.Bot {
		m["bot"] = true
	}
	return m
}

// Users the fake knows from the start.
var (
	BotUser = User{ID: AppID, Username: "pybrarian", Bot: true}
	Alice   = User{ID: "1400000000000000001", Username: "alice", GlobalName: "Alice"}
	Bob     = User{ID: "1400000000000000002", Username: "bob", GlobalName: "Bob"}
)

// WaitTimeout bounds every Wait and Await helper in wall time, so a missing call fails the test
// instead of hanging it. It is a safety net, not a means of synchronisation.
var WaitTimeout = 10 * time.Second

// ServerOption configures a Server.
type ServerOption func(*Server)

// WithClock makes the fake judge deadlines and delays on c, typically the clock the code under
// test also uses. By default the fake has a clock of its own, reachable through Server.Clock.
func WithClock(c *Clock) ServerOption { return func(s *Server) { s.clock = c } }

// Call is one REST request the fake received, recorded once it was answered.
type Call struct {
	Seq    int // 1-based order over all calls
	Method string
	Path   string // relative to /api/v9, e.g. "/channels/1300000000000000001/messages"
	Route  string // the route that matched, e.g. "POST /channels/{channel}/messages"; "" if none
	Query  url.Values
	Header http.Header
	Body   json.RawMessage // the JSON body; payload_json for multipart uploads
	Files  []string        // names of uploaded files in a multipart body
	At     time.Time       // on the fake clock, after any scripted delay

	Status int       // what the fake answered
	Error  *APIError // the error body, when Status is not 2xx
	Fault  *Fault    // the scripted fault that produced the answer, if any
}

// Decode unmarshals the request body.
func (c *Call) Decode(v any) error {
	if len(c.Body) == 0 {
		return fmt.Errorf("%s %s: no body", c.Method, c.Path)
	}
	return json.Unmarshal(c.Body, v)
}

// String shows the call in failure messages.
func (c *Call) String() string {
	s := fmt.Sprintf("#%d %s %s → %d", c.Seq, c.Method, c.Path, c.Status)
	if c.Error != nil {
		s += fmt.Sprintf(" (code %d %s %v)", c.Error.Code, c.Error.Message, c.Error.Paths())
	}
	if len(c.Body) > 0 {
		body := string(c.Body)
		if len(body) > 300 {
			body = body[:300] + "…"
		}
		s += " " + body
	}
	return s
}

// Server is the fake. Create it with NewServer; it stops when the test ends.
type Server struct {
	srv    *httptest.Server
	clock  *Clock
	routes []route
	done   chan struct{} // closed by Close, releasing requests held by a Slow fault

	closeOnce sync.Once

	mu      sync.Mutex
	changed chan struct{} // closed and replaced on every change a test may wait for
	calls   []*Call
	faults  []*faultRule
	lastID  uint64

	users    map[string]User
	guilds   map[string]*guild
	channels map[string]*channel
	dms      map[string]string // user id → DM channel id
	closedDM map[string]bool   // users who do not accept DMs from the bot
	messages map[string]*Message

	commands    map[string][]*Command // by guild id, "" for global
	commandIDs  map[string]string     // scope/type/name → id, kept across overwrites
	creates     map[string]int        // scope/day → commands created that day
	invocations map[string]*Invocation

	gw gateway
}

type guild struct {
	id, name string
	channels []string
}

type channel struct {
	id, guildID string
	kind        int    // 0 guild text, 1 DM
	recipient   string // DM only
	messages    []string
}

// NewServer starts a fake Discord for the test, knowing the guild GuildID with the text channel
// ChannelID and the users Alice and Bob.
func NewServer(tb testing.TB, opts ...ServerOption) *Server {
	tb.Helper()
	s := &Server{
		changed:     make(chan struct{}),
		done:        make(chan struct{}),
		users:       map[string]User{},
		guilds:      map[string]*guild{},
		channels:    map[string]*channel{},
		dms:         map[string]string{},
		closedDM:    map[string]bool{},
		messages:    map[string]*Message{},
		commands:    map[string][]*Command{},
		commandIDs:  map[string]string{},
		creates:     map[string]int{},
		invocations: map[string]*Invocation{},
	}
	for _, o := range opts {
		o(s)
	}
	if s.clock == nil {
		s.clock = NewClock(time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC))
	}
	s.gw.init()
	for _, u := range []User{BotUser, Alice, Bob} {
		s.users[u.ID] = u
	}
	s.AddChannel(GuildID, ChannelID)
	s.routes = s.restRoutes()
	s.srv = httptest.NewServer(http.HandlerFunc(s.serveHTTP))
	tb.Cleanup(s.Close)
	return s
}

// URL is the fake's base URL, e.g. http://127.0.0.1:41234, to use where https://discord.com
// would be (the adapter's DISCORD_API_BASE).
func (s *Server) URL() string { return s.srv.URL }

// Clock is the clock the fake judges deadlines on.
func (s *Server) Clock() *Clock { return s.clock }

// Transport returns a RoundTripper that sends discordgo's requests for https://discord.com to
// the fake; set it on the session's http.Client. It is the adapter's own
// discord.BaseURLTransport, so tests exercise the production rewrite.
func (s *Server) Transport() http.RoundTripper {
	rt, err := discord.BaseURLTransport(s.srv.URL, s.srv.Client().Transport)
	if err != nil {
		panic(err) // the httptest URL is always valid
	}
	return rt
}

// Close stops the gateway and the HTTP server; it runs by itself when the test ends. A client
// still connected sees its socket drop.
func (s *Server) Close() {
	s.closeOnce.Do(func() { close(s.done) })
	s.closeGateway()
	s.srv.Close()
}

// AddChannel makes a guild text channel known, creating the guild if needed; messages to an
// unknown channel get 404 Unknown Channel.
func (s *Server) AddChannel(guildID, channelID string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.addChannelLocked(guildID, channelID)
}

func (s *Server) addChannelLocked(guildID, channelID string) *channel {
	g := s.guilds[guildID]
	if g == nil {
		g = &guild{id: guildID, name: "Guild " + guildID}
		s.guilds[guildID] = g
	}
	c := s.channels[channelID]
	if c == nil {
		c = &channel{id: channelID, guildID: guildID}
		s.channels[channelID] = c
		g.channels = append(g.channels, channelID)
	}
	return c
}

// AddUser makes a user known by name; any numeric id is accepted where a user is expected, but a
// known one is reported with its name.
func (s *Server) AddUser(u User) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.users[u.ID] = u
}

// CloseDMs makes the user refuse direct messages from the bot: opening the DM channel still
// works, as on Discord, but sending to it answers 403 with code 50007.
func (s *Server) CloseDMs(userID string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.closedDM[userID] = true
}

func (s *Server) userLocked(id string) User {
	if u, ok := s.users[id]; ok {
		return u
	}
	return User{ID: id, Username: "user" + id}
}

// dmChannelLocked returns the DM channel with the user, opening it on first use.
func (s *Server) dmChannelLocked(userID string) *channel {
	if id, ok := s.dms[userID]; ok {
		return s.channels[id]
	}
	c := &channel{id: s.newIDLocked(), kind: 1, recipient: userID}
	s.channels[c.id] = c
	s.dms[userID] = c.id
	return c
}

// DMChannel returns the id of the DM channel between the bot and the user, opening it if
// needed, as POST /users/@me/channels would.
func (s *Server) DMChannel(userID string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.dmChannelLocked(userID).id
}

// discordEpoch is the first millisecond of 2015, where snowflake timestamps start.
const discordEpoch = 1420070400000

// newIDLocked returns a fresh snowflake whose timestamp is the fake clock's time, strictly
// increasing, so ids sort in creation order as Discord's do.
func (s *Server) newIDLocked() string {
	ms := uint64(s.clock.Now().UnixMilli() - discordEpoch)
	id := ms << 22
	if id <= s.lastID {
		id = s.lastID + 1
	}
	s.lastID = id
	return strconv.FormatUint(id, 10)
}

// snowflakeLess orders ids numerically, which is creation order.
func snowflakeLess(a, b string) bool {
	x, _ := strconv.ParseUint(a, 10, 64)
	y, _ := strconv.ParseUint(b, 10, 64)
	return x < y
}

func (s *Server) notifyLocked() {
	close(s.changed)
	s.changed = make(chan struct{})
}

// Calls returns the REST calls matching pattern so far, in order; "" returns all. The pattern
// has FailNext's form: "POST /interactions/{id}/{token}/callback".
func (s *Server) Calls(pat string) []*Call {
	var pt *pattern
	if pat != "" {
		p := mustPattern(pat)
		pt = &p
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []*Call
	for _, c := range s.calls {
		if pt == nil || callMatches(*pt, c) {
			out = append(out, c)
		}
	}
	return out
}

func callMatches(pt pattern, c *Call) bool {
	_, ok := pt.match(c.Method, splitPath(c.Path))
	return ok
}

// LastSeq is the sequence number of the latest REST call (0 before any).
func (s *Server) LastSeq() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.calls)
}

// WaitCall waits for the nth call (1-based) matching pattern and returns it.
func (s *Server) WaitCall(tb testing.TB, pat string, n int) *Call {
	tb.Helper()
	pt := mustPattern(pat)
	var found *Call
	s.wait(tb, fmt.Sprintf("call %d of %s", n, pat), func() (bool, string) {
		k := 0
		for _, c := range s.calls {
			if callMatches(pt, c) {
				if k++; k == n {
					found = c
					return true, ""
				}
			}
		}
		return false, ""
	})
	return found
}

// wait blocks until cond, evaluated under the server's lock after every change of the fake's
// state or clock, holds; a non-empty failure from cond fails the test at once.
func (s *Server) wait(tb testing.TB, what string, cond func() (bool, string)) {
	tb.Helper()
	deadline := time.NewTimer(WaitTimeout)
	defer deadline.Stop()
	for {
		ticked := s.clock.changes()
		s.mu.Lock()
		ok, failure := cond()
		ch := s.changed
		s.mu.Unlock()
		if failure != "" {
			tb.Fatalf("discordtest: %s: %s\nREST calls so far:\n%s", what, failure, s.dump())
		}
		if ok {
			return
		}
		select {
		case <-ch:
		case <-ticked:
		case <-deadline.C:
			tb.Fatalf("discordtest: timed out after %v (wall time) waiting for %s\nREST calls so far:\n%s", WaitTimeout, what, s.dump())
		}
	}
}

func (s *Server) dump() string {
	var b strings.Builder
	for _, c := range s.Calls("") {
		b.WriteString("  " + c.String() + "\n")
	}
	return b.String()
}

// route is one REST endpoint.
type route struct {
	pat  pattern
	auth bool // needs the bot token
	fn   func(c *Call, p map[string]string) (status int, body any, err *APIError)
}

func splitPath(p string) []string { return strings.Split(strings.TrimPrefix(p, "/"), "/") }

// maxBody bounds request bodies; Discord's own limit with attachments is larger, but the fake
// only needs the JSON.
const maxBody = 8 << 20

func (s *Server) serveHTTP(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path == gatewayPath || strings.HasPrefix(r.URL.Path, gatewayPath+"/") {
		s.serveGateway(w, r)
		return
	}
	w.Header().Set("Date", s.clock.Now().UTC().Format(http.TimeFormat))
	c := &Call{Method: r.Method, Query: r.URL.Query(), Header: r.Header.Clone()}
	path, ok := strings.CutPrefix(r.URL.Path, "/api/v"+APIVersion)
	if !ok || (path != "" && path[0] != '/') {
		c.Path = r.URL.Path
		s.finish(w, c, http.StatusNotFound, nil, apiError(http.StatusNotFound, CodeGeneral))
		return
	}
	c.Path = path
	if err := readBody(r, c); err != nil {
		s.finish(w, c, http.StatusBadRequest, nil, apiError(http.StatusBadRequest, CodeInvalidJSON))
		return
	}

	segs := splitPath(path)
	var rt *route
	var params map[string]string
	pathMatched := false
	for i := range s.routes {
		if p, ok := s.routes[i].pat.matchPath(segs); ok {
			pathMatched = true
			if s.routes[i].pat.method == r.Method {
				rt, params = &s.routes[i], p
				break
			}
		}
	}

	s.mu.Lock()
	f := s.takeFaultLocked(r.Method, segs)
	s.mu.Unlock()
	c.Fault = f
	if f != nil && f.Delay > 0 {
		select {
		case <-s.clock.After(f.Delay):
		case <-r.Context().Done():
			return
		case <-s.done:
			return
		}
	}
	c.At = s.clock.Now()
	w.Header().Set("Date", c.At.UTC().Format(http.TimeFormat))

	switch {
	case rt == nil && pathMatched:
		s.finish(w, c, http.StatusMethodNotAllowed, nil, apiError(http.StatusMethodNotAllowed, CodeGeneral))
		return
	case rt == nil:
		s.finish(w, c, http.StatusNotFound, nil, apiError(http.StatusNotFound, CodeGeneral))
		return
	}
	c.Route = rt.pat.text
	if rt.auth && r.Header.Get("Authorization") != "Bot "+Token {
		s.finish(w, c, http.StatusUnauthorized, nil, apiError(http.StatusUnauthorized, CodeGeneral))
		return
	}
	if f != nil && f.Status != 0 {
		e := s.writeFault(w, f, rt.pat.text)
		s.record(c, f.Status, e)
		return
	}
	s.mu.Lock()
	status, body, e := rt.fn(c, params)
	s.mu.Unlock()
	s.finish(w, c, status, body, e)
}

// finish writes the answer and records the call.
func (s *Server) finish(w http.ResponseWriter, c *Call, status int, body any, e *APIError) {
	if c.At.IsZero() {
		c.At = s.clock.Now()
	}
	if e != nil {
		status = e.Status
		if e.RetryAfter > 0 {
			w.Header().Set("Retry-After", strconv.Itoa(int(math.Ceil(e.RetryAfter))))
		}
		writeJSON(w, status, e)
	} else if status == http.StatusNoContent {
		w.WriteHeader(status)
	} else {
		writeJSON(w, status, body)
	}
	s.record(c, status, e)
}

func (s *Server) record(c *Call, status int, e *APIError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c.Status, c.Error = status, e
	c.Seq = len(s.calls) + 1
	s.calls = append(s.calls, c)
	s.notifyLocked()
}

// readBody keeps the JSON body of the request; for a multipart upload, its payload_json part
// and the names of the files.
func readBody(r *http.Request, c *Call) error {
	raw, err := io.ReadAll(io.LimitReader(r.Body, maxBody))
	if err != nil {
		return err
	}
	if len(bytes.TrimSpace(raw)) == 0 {
		return nil
	}
	mt, params, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if mt != "multipart/form-data" {
		if !json.Valid(raw) {
			return fmt.Errorf("body is not JSON")
		}
		c.Body = raw
		return nil
	}
	mr := multipart.NewReader(bytes.NewReader(raw), params["boundary"])
	for {
		part, err := mr.NextPart()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		data, err := io.ReadAll(part)
		if err != nil {
			return err
		}
		if part.FormName() == "payload_json" {
			if !json.Valid(data) {
				return fmt.Errorf("payload_json is not JSON")
			}
			c.Body = data
		} else if part.FileName() != "" {
			c.Files = append(c.Files, part.FileName())
		}
	}
}

func writeJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	_ = json.NewEncoder(w).Encode(v)
}

func runeLen(s string) int { return utf8.RuneCountInString(s) }

func sortStrings(s []string) { sort.Strings(s) }
