// Package telegramtest is a fake Telegram Bot API server for end-to-end tests of the Telegram
// adapter: the real client library talks HTTP to it, so the tests exercise the same requests,
// form encoding and error bodies as production, without a token or the internet.
//
// It serves getMe, getUpdates (long polling, honouring offset and timeout), sendMessage,
// sendDocument and sendPhoto (multipart uploads, the files recorded),
// editMessageText, answerCallbackQuery, setMyCommands, answerInlineQuery, sendPoll, getChatMember,
// setWebhook and deleteWebhook; records every call with its form fields (JSON values decoded); and
// answers the next calls of a method with an injected fault (429 with retry_after, 403, 500).
// getChatMember reports every user a member unless SetChatMember says otherwise.
package telegramtest

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// Token is the token the fake accepts; any other gets 401 Unauthorized, as Telegram answers a
// revoked or mistyped token.
const Token = "123456:TEST-token_for-the-fake"

// Bot is the account getMe describes.
var Bot = User{ID: 123456, IsBot: true, FirstName: "Pybrarian", UserName: "pybrarian_bot"}

// User is the subset of Telegram's User object the fake reports, and scripted messages carry.
type User struct {
	ID        int64  `json:"id"`
	IsBot     bool   `json:"is_bot"`
	FirstName string `json:"first_name"`
	UserName  string `json:"username,omitempty"`
	Lang      string `json:"language_code,omitempty"`
}

// WaitTimeout bounds every Wait helper, so a missing call fails the test instead of hanging it.
var WaitTimeout = 10 * time.Second

// Fault is an error answer to inject. Code and Description become the usual {"ok":false} body;
// RetryAfter adds parameters.retry_after (Telegram's flood control); Body, when set, is sent raw
// instead (a proxy's HTML error page, say).
type Fault struct {
	Code        int
	Description string
	RetryAfter  int
	Body        string
}

// Call is one request the fake received.
type Call struct {
	Seq    int // 1-based order over all calls
	Method string
	Form   url.Values
	// Fault is what the fake answered instead of success, or nil.
	Fault *Fault
	// MessageID is the id of the message sent or edited; PollID the id of the poll sent.
	MessageID int
	PollID    string
	// Files are the files uploaded with the call, by form field ("document", "photo").
	Files map[string]File
	// At is when the call arrived, on the clock SetClock gave (zero without one): what rate
	// limits are judged by, as Telegram judges them on arrival.
	At time.Time
}

// File is an uploaded file.
type File struct {
	Name string
	Data []byte
}

// Get returns a form field as sent.
func (c *Call) Get(field string) string { return c.Form.Get(field) }

// Decode unmarshals a form field that carries JSON (reply_markup, results, commands, options…).
func (c *Call) Decode(field string, v any) error {
	s := c.Form.Get(field)
	if s == "" {
		return fmt.Errorf("%s: field %q is missing", c.Method, field)
	}
	if err := json.Unmarshal([]byte(s), v); err != nil {
		return fmt.Errorf("%s: field %q: %w", c.Method, field, err)
	}
	return nil
}

// Fields returns every form field, with JSON objects and arrays decoded into Go values, for
// readable failure messages.
func (c *Call) Fields() map[string]any {
	out := map[string]any{}
	for k, vs := range c.Form {
		v := vs[0]
		if strings.HasPrefix(v, "{") || strings.HasPrefix(v, "[") {
			var x any
			if json.Unmarshal([]byte(v), &x) == nil {
				out[k] = x
				continue
			}
		}
		out[k] = v
	}
	return out
}

// String shows the call in failure messages.
func (c *Call) String() string { return fmt.Sprintf("#%d %s %v", c.Seq, c.Method, c.Fields()) }

// Server is the fake. Create it with NewServer; it stops when the test ends.
type Server struct {
	srv *httptest.Server

	mu         sync.Mutex
	calls      []*Call
	changed    chan struct{} // closed and replaced whenever calls, updates or polling change
	updates    []pending     // not yet confirmed by an offset
	nextUpdate int
	nextMsg    int
	nextPoll   int
	polling    int // getUpdates requests in progress
	faults     map[string][]Fault
	members    map[[2]int64]string // (chat, user) -> status getChatMember reports
	now        func() time.Time
}

// SetClock stamps every call from now on with now() as it arrives (Call.At), so tests can check
// the pace of sends on the same clock the adapters wait on.
func (s *Server) SetClock(now func() time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.now = now
}

type pending struct {
	id  int
	raw json.RawMessage
}

// NewServer starts a fake Bot API server for the test.
func NewServer(tb testing.TB) *Server {
	tb.Helper()
	s := &Server{changed: make(chan struct{}), nextUpdate: 1, nextMsg: 1000, faults: map[string][]Fault{}}
	s.srv = httptest.NewServer(http.HandlerFunc(s.serve))
	tb.Cleanup(s.srv.Close)
	return s
}

// Endpoint is the API endpoint in the client library's format (TELEGRAM_API_ENDPOINT).
func (s *Server) Endpoint() string { return s.srv.URL + "/bot%s/%s" }

// Close stops the server early, to test what happens when the Bot API cannot be reached.
func (s *Server) Close() { s.srv.Close() }

func (s *Server) notifyLocked() {
	close(s.changed)
	s.changed = make(chan struct{})
}

// PushUpdate queues an update for getUpdates. update_id is assigned when u has none; the id is
// returned.
func (s *Server) PushUpdate(u map[string]any) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	id, ok := u["update_id"].(int)
	if !ok {
		id = s.nextUpdate
		u["update_id"] = id
	}
	s.nextUpdate = max(s.nextUpdate, id+1)
	raw, err := json.Marshal(u)
	if err != nil {
		panic(err)
	}
	s.updates = append(s.updates, pending{id: id, raw: raw})
	s.notifyLocked()
	return id
}

// PushRaw queues an update given as raw JSON with an explicit id, which may be malformed in any
// other way.
func (s *Server) PushRaw(id int, raw string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.nextUpdate = max(s.nextUpdate, id+1)
	s.updates = append(s.updates, pending{id: id, raw: json.RawMessage(raw)})
	s.notifyLocked()
}

// NextUpdateID is the id PushUpdate will assign next.
func (s *Server) NextUpdateID() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.nextUpdate
}

// SetChatMember sets the status getChatMember reports for user in chat ("creator",
// "administrator", "member", "left", ...). Users not set are members.
func (s *Server) SetChatMember(chat, user int64, status string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.members == nil {
		s.members = map[[2]int64]string{}
	}
	s.members[[2]int64{chat, user}] = status
}

// Fail makes the next call of method answer f; several Fail calls queue up.
func (s *Server) Fail(method string, f Fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults[method] = append(s.faults[method], f)
}

// Calls returns the calls of method so far ("" for all), in order.
func (s *Server) Calls(method string) []*Call {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []*Call
	for _, c := range s.calls {
		if method == "" || c.Method == method {
			out = append(out, c)
		}
	}
	return out
}

// CallsAfter returns the calls after seq, leaving out getUpdates (which repeats all the time).
func (s *Server) CallsAfter(seq int) []*Call {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []*Call
	for _, c := range s.calls {
		if c.Seq > seq && c.Method != "getUpdates" {
			out = append(out, c)
		}
	}
	return out
}

// LastSeq is the sequence number of the latest call (0 before any).
func (s *Server) LastSeq() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.calls)
}

// wait blocks until cond, evaluated under the server's lock after every change, holds.
func (s *Server) wait(tb testing.TB, what string, cond func() bool) {
	tb.Helper()
	deadline := time.NewTimer(WaitTimeout)
	defer deadline.Stop()
	for {
		s.mu.Lock()
		ok := cond()
		ch := s.changed
		s.mu.Unlock()
		if ok {
			return
		}
		select {
		case <-ch:
		case <-deadline.C:
			tb.Fatalf("telegramtest: timed out waiting for %s; calls so far:\n%s", what, s.dump())
		}
	}
}

func (s *Server) dump() string {
	var b strings.Builder
	for _, c := range s.Calls("") {
		if c.Method != "getUpdates" {
			b.WriteString(c.String() + "\n")
		}
	}
	return b.String()
}

// WaitCall waits for the nth call (1-based) of method and returns it.
func (s *Server) WaitCall(tb testing.TB, method string, n int) *Call {
	tb.Helper()
	var found *Call
	s.wait(tb, fmt.Sprintf("call %d of %s", n, method), func() bool {
		k := 0
		for _, c := range s.calls {
			if c.Method == method {
				if k++; k == n {
					found = c
					return true
				}
			}
		}
		return false
	})
	return found
}

// WaitCallAfter waits for the first call of method after sequence number seq and returns it.
func (s *Server) WaitCallAfter(tb testing.TB, method string, seq int) *Call {
	tb.Helper()
	var found *Call
	s.wait(tb, fmt.Sprintf("%s after #%d", method, seq), func() bool {
		for _, c := range s.calls {
			if c.Seq > seq && c.Method == method {
				found = c
				return true
			}
		}
		return false
	})
	return found
}

// WaitLongPolling waits until a getUpdates request is parked in a long poll with nothing queued.
func (s *Server) WaitLongPolling(tb testing.TB) {
	tb.Helper()
	s.wait(tb, "a long poll in progress", func() bool { return s.polling > 0 && len(s.updates) == 0 })
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	rest, ok := strings.CutPrefix(r.URL.Path, "/bot")
	token, method, ok2 := strings.Cut(rest, "/")
	if !ok || !ok2 {
		writeJSON(w, http.StatusNotFound, map[string]any{"ok": false, "error_code": 404, "description": "Not Found"})
		return
	}
	var files map[string]File
	if strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/form-data") {
		// File uploads (sendDocument, sendPhoto) come as multipart forms.
		if err := r.ParseMultipartForm(50 << 20); err != nil {
			writeJSON(w, http.StatusBadRequest, map[string]any{"ok": false, "error_code": 400, "description": "Bad Request: " + err.Error()})
			return
		}
		r.PostForm = url.Values(r.MultipartForm.Value)
		files = map[string]File{}
		for field, fhs := range r.MultipartForm.File {
			if len(fhs) == 0 {
				continue
			}
			f, err := fhs[0].Open()
			if err != nil {
				continue
			}
			data, _ := io.ReadAll(f)
			f.Close()
			files[field] = File{Name: fhs[0].Filename, Data: data}
		}
	} else if err := r.ParseForm(); err != nil {
		writeJSON(w, http.StatusBadRequest, map[string]any{"ok": false, "error_code": 400, "description": "Bad Request: " + err.Error()})
		return
	}
	c := &Call{Method: method, Form: r.PostForm, Files: files}
	s.mu.Lock()
	if s.now != nil {
		c.At = s.now()
	}
	if q := s.faults[method]; len(q) > 0 && token == Token {
		f := q[0]
		s.faults[method] = q[1:]
		c.Fault = &f
	}
	s.mu.Unlock()
	// A call is recorded once its answer is ready (getUpdates: when it starts waiting), so a test
	// that sees it can read what it returned.
	record := func() {
		s.mu.Lock()
		c.Seq = len(s.calls) + 1
		s.calls = append(s.calls, c)
		s.notifyLocked()
		s.mu.Unlock()
	}
	if token != Token {
		record()
		writeJSON(w, http.StatusUnauthorized, map[string]any{"ok": false, "error_code": 401, "description": "Unauthorized"})
		return
	}
	if f := c.Fault; f != nil {
		record()
		writeFault(w, f)
		return
	}
	var result any
	switch method {
	case "getMe":
		result = Bot
	case "getUpdates":
		record()
		s.getUpdates(w, r)
		return
	case "sendMessage", "sendDocument", "sendPhoto":
		result = s.message(c, nil)
	case "editMessageText":
		id, _ := strconv.Atoi(c.Get("message_id"))
		result = s.message(c, &id)
	case "sendPoll":
		s.mu.Lock()
		s.nextPoll++
		pollID := "poll-" + strconv.Itoa(s.nextPoll)
		c.PollID = pollID
		s.mu.Unlock()
		msg := s.message(c, nil)
		var opts []string
		_ = json.Unmarshal([]byte(c.Get("options")), &opts)
		var po []map[string]any
		for _, o := range opts {
			po = append(po, map[string]any{"text": o, "voter_count": 0})
		}
		msg["poll"] = map[string]any{"id": pollID, "question": c.Get("question"), "options": po, "type": c.Get("type")}
		result = msg
	case "getChatMember":
		uid, _ := strconv.ParseInt(c.Get("user_id"), 10, 64)
		cid, _ := strconv.ParseInt(c.Get("chat_id"), 10, 64)
		s.mu.Lock()
		status := s.members[[2]int64{cid, uid}]
		s.mu.Unlock()
		if status == "" {
			status = "member"
		}
		result = map[string]any{"status": status, "user": User{ID: uid, FirstName: "Member"}}
	case "answerCallbackQuery", "setMyCommands", "answerInlineQuery", "setWebhook", "deleteWebhook":
		result = true
	default:
		record()
		writeJSON(w, http.StatusNotFound, map[string]any{"ok": false, "error_code": 404, "description": "Not Found: method not found"})
		return
	}
	record()
	ok200(w, result)
}

// message builds the Message a send or edit returns; editID keeps the edited message's id.
func (s *Server) message(c *Call, editID *int) map[string]any {
	chatID, _ := strconv.ParseInt(c.Get("chat_id"), 10, 64)
	typ := "private"
	if chatID < 0 {
		typ = "supergroup"
	}
	s.mu.Lock()
	id := s.nextMsg
	if editID != nil {
		id = *editID
	} else {
		s.nextMsg++
	}
	c.MessageID = id
	s.mu.Unlock()
	m := map[string]any{
		"message_id": id, "date": 1, "from": Bot, "text": c.Get("text"),
		"chat": map[string]any{"id": chatID, "type": typ},
	}
	if t := c.Get("message_thread_id"); t != "" {
		m["message_thread_id"], _ = strconv.Atoi(t)
	}
	return m
}

func (s *Server) getUpdates(w http.ResponseWriter, r *http.Request) {
	offset, _ := strconv.Atoi(r.PostForm.Get("offset"))
	timeout, _ := strconv.Atoi(r.PostForm.Get("timeout"))
	limit, _ := strconv.Atoi(r.PostForm.Get("limit"))
	if limit <= 0 || limit > 100 {
		limit = 100
	}
	var expired <-chan time.Time
	if timeout > 0 {
		t := time.NewTimer(time.Duration(timeout) * time.Second)
		defer t.Stop()
		expired = t.C
	}
	s.mu.Lock()
	if offset > 0 {
		k := 0
		for k < len(s.updates) && s.updates[k].id < offset {
			k++
		}
		s.updates = s.updates[k:]
	}
	s.polling++
	s.notifyLocked()
	defer func() {
		s.mu.Lock()
		s.polling--
		s.notifyLocked()
		s.mu.Unlock()
	}()
	for {
		if n := len(s.updates); n > 0 || expired == nil {
			out := make([]json.RawMessage, 0, min(n, limit))
			for _, u := range s.updates[:min(n, limit)] {
				out = append(out, u.raw)
			}
			s.mu.Unlock()
			ok200(w, out)
			return
		}
		ch := s.changed
		s.mu.Unlock()
		select {
		case <-ch:
		case <-expired:
			expired = nil
		case <-r.Context().Done():
			return
		}
		s.mu.Lock()
	}
}

func ok200(w http.ResponseWriter, result any) {
	writeJSON(w, http.StatusOK, map[string]any{"ok": true, "result": result})
}

func writeFault(w http.ResponseWriter, f *Fault) {
	if f.Body != "" {
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(f.Code)
		fmt.Fprint(w, f.Body)
		return
	}
	body := map[string]any{"ok": false, "error_code": f.Code, "description": f.Description}
	if f.RetryAfter > 0 {
		body["parameters"] = map[string]any{"retry_after": f.RetryAfter}
	}
	writeJSON(w, f.Code, body)
}

func writeJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	_ = json.NewEncoder(w).Encode(v)
}
