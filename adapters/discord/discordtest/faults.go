package discordtest

import (
	"fmt"
	"hash/fnv"
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Fault is a scripted misbehaviour for the next calls matching a pattern (see FailNext).
//
// Status 429 answers a rate limit the way Discord does: the JSON body
// {"message", "retry_after", "global"} plus Retry-After and, for a per-route limit, the
// X-RateLimit-Limit/Remaining/Reset/Reset-After/Bucket/Scope headers; for a global one,
// X-RateLimit-Global and X-RateLimit-Scope: global. Any other Status answers
// {"code": Code, "message": Message}, or Body verbatim when set (a Cloudflare HTML page, say).
// Delay holds the request until the fake clock has moved on by that much, as a slow network
// would, and then answers the fault, or the normal answer when Status is 0; the request is
// judged at the delayed time, so a delayed interaction callback can miss its deadline.
type Fault struct {
	Status     int
	Code       int
	Message    string
	RetryAfter float64 // seconds, for 429
	Global     bool    // 429 only: the bot-wide limit rather than the route's
	Shared     bool    // 429 only: X-RateLimit-Scope: shared (a resource limit, not the bot's)
	Body       string
	Delay      time.Duration
}

// RateLimited is a per-route 429 asking the client to wait retryAfter seconds.
func RateLimited(retryAfter float64) Fault { return Fault{Status: 429, RetryAfter: retryAfter} }

// GloballyRateLimited is a 429 for the bot's global limit (50 requests/s), which stops every
// route, not just the one called.
func GloballyRateLimited(retryAfter float64) Fault {
	return Fault{Status: 429, RetryAfter: retryAfter, Global: true}
}

// Refused is a JSON error with Discord's usual message for code, e.g.
// Refused(403, CodeCannotSendToUser) for a user who has closed their DMs.
func Refused(status, code int) Fault { return Fault{Status: status, Code: code} }

// Unavailable is a server failure: 500 with Discord's JSON body, or for 502, 503 and 504 the
// HTML page Cloudflare puts in front of an unreachable API.
func Unavailable(status int) Fault {
	if status >= 502 && status <= 504 {
		text := strconv.Itoa(status) + " " + http.StatusText(status)
		return Fault{Status: status, Body: "<html><head><title>" + text + "</title></head><body><center><h1>" + text + "</h1></center><hr><center>cloudflare</center></body></html>"}
	}
	return Fault{Status: status}
}

// Slow answers normally, after the fake clock has moved on by d.
func Slow(d time.Duration) Fault { return Fault{Delay: d} }

// pattern matches requests by method and path relative to /api/v9: "POST /channels/{id}/messages".
// A segment in braces or "*" matches any one segment; a last segment "..." matches the rest;
// method "*" matches any method.
type pattern struct {
	text   string
	method string
	segs   []string
}

func parsePattern(p string) (pattern, error) {
	method, path, ok := strings.Cut(strings.TrimSpace(p), " ")
	if !ok || !strings.HasPrefix(path, "/") {
		return pattern{}, fmt.Errorf("discordtest: pattern %q is not \"METHOD /path\"", p)
	}
	return pattern{text: p, method: strings.ToUpper(method), segs: strings.Split(path[1:], "/")}, nil
}

func mustPattern(p string) pattern {
	pt, err := parsePattern(p)
	if err != nil {
		panic(err)
	}
	return pt
}

// match reports whether the request matches, with the values of the braced segments.
func (pt pattern) match(method string, segs []string) (map[string]string, bool) {
	if pt.method != "*" && pt.method != method {
		return nil, false
	}
	return pt.matchPath(segs)
}

func (pt pattern) matchPath(segs []string) (map[string]string, bool) {
	params := map[string]string{}
	for i, ps := range pt.segs {
		if ps == "..." && i == len(pt.segs)-1 {
			return params, true
		}
		if i >= len(segs) {
			return nil, false
		}
		switch {
		case ps == "*":
		case strings.HasPrefix(ps, "{") && strings.HasSuffix(ps, "}"):
			params[ps[1:len(ps)-1]] = segs[i]
		case ps != segs[i]:
			return nil, false
		}
	}
	if len(segs) != len(pt.segs) {
		return nil, false
	}
	return params, true
}

type faultRule struct {
	pat  pattern
	left int
	f    Fault
}

// FailNext makes the next n calls matching pattern answer f. The pattern is a method and a path
// relative to /api/v9, with "{name}" or "*" for any one segment: "POST
// /interactions/{id}/{token}/callback", "* /channels/*/messages". Rules are consulted in the
// order they were added; a call uses up one answer of the first rule it matches.
func (s *Server) FailNext(pattern string, n int, f Fault) {
	pt := mustPattern(pattern)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = append(s.faults, &faultRule{pat: pt, left: n, f: f})
}

// takeFaultLocked returns the fault the call should get, if any, using it up.
func (s *Server) takeFaultLocked(method string, segs []string) *Fault {
	for i, r := range s.faults {
		if _, ok := r.pat.match(method, segs); ok {
			f := r.f
			if r.left--; r.left <= 0 {
				s.faults = append(s.faults[:i:i], s.faults[i+1:]...)
			}
			return &f
		}
	}
	return nil
}

// writeFault answers a scripted error; route names the matched route for the rate-limit
// bucket header.
func (s *Server) writeFault(w http.ResponseWriter, f *Fault, route string) *APIError {
	if f.Status == http.StatusTooManyRequests {
		return s.writeRateLimit(w, f, route)
	}
	e := apiError(f.Status, f.Code)
	if f.Message != "" {
		e.Message = f.Message
	}
	if f.Body != "" {
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(f.Status)
		fmt.Fprint(w, f.Body)
		return e
	}
	writeJSON(w, f.Status, e)
	return e
}

func (s *Server) writeRateLimit(w http.ResponseWriter, f *Fault, route string) *APIError {
	h := w.Header()
	h.Set("Retry-After", strconv.Itoa(int(math.Ceil(f.RetryAfter))))
	msg := "You are being rate limited."
	switch {
	case f.Global:
		h.Set("X-RateLimit-Global", "true")
		h.Set("X-RateLimit-Scope", "global")
	default:
		scope := "user"
		if f.Shared {
			scope = "shared"
			msg = "The resource is being rate limited."
		}
		reset := s.clock.Now().Add(time.Duration(f.RetryAfter * float64(time.Second)))
		h.Set("X-RateLimit-Limit", "5")
		h.Set("X-RateLimit-Remaining", "0")
		h.Set("X-RateLimit-Reset", strconv.FormatFloat(float64(reset.UnixMilli())/1000, 'f', 3, 64))
		h.Set("X-RateLimit-Reset-After", strconv.FormatFloat(f.RetryAfter, 'f', 3, 64))
		h.Set("X-RateLimit-Bucket", bucketOf(route))
		h.Set("X-RateLimit-Scope", scope)
	}
	if f.Message != "" {
		msg = f.Message
	}
	writeJSON(w, http.StatusTooManyRequests, map[string]any{"message": msg, "retry_after": f.RetryAfter, "global": f.Global})
	return &APIError{Status: http.StatusTooManyRequests, Code: f.Code, Message: msg}
}

// bucketOf makes an opaque bucket id from a route, as Discord's X-RateLimit-Bucket is.
func bucketOf(route string) string {
	h := fnv.New64a()
	h.Write([]byte(route))
	return strconv.FormatUint(h.Sum64(), 16)
}
