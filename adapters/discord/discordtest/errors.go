package discordtest

import (
	"fmt"
	"net/http"
	"strings"
)

// JSON error codes the fake answers with, named as in Discord's documentation
// (topics/opcodes-and-status-codes, "JSON Error Codes").
const (
	CodeGeneral                 = 0
	CodeUnknownChannel          = 10003
	CodeUnknownMessage          = 10008
	CodeUnknownWebhook          = 10015
	CodeUnknownInteraction      = 10062
	CodeMaxDailyCommandCreates  = 30034
	CodeAlreadyAcknowledged     = 40060
	CodeMissingAccess           = 50001
	CodeCannotEditOthersMessage = 50005
	CodeCannotSendEmptyMessage  = 50006
	CodeCannotSendToUser        = 50007
	CodeMissingPermissions      = 50013
	CodeInvalidWebhookToken     = 50027
	CodeInvalidFormBody         = 50035
	CodeInvalidJSON             = 50109
)

// codeMessages are Discord's texts for the codes above.
var codeMessages = map[int]string{
	CodeUnknownChannel:          "Unknown Channel",
	CodeUnknownMessage:          "Unknown Message",
	CodeUnknownWebhook:          "Unknown Webhook",
	CodeUnknownInteraction:      "Unknown interaction",
	CodeMaxDailyCommandCreates:  "Max number of daily application command creates has been reached (200)",
	CodeAlreadyAcknowledged:     "Interaction has already been acknowledged.",
	CodeMissingAccess:           "Missing Access",
	CodeCannotEditOthersMessage: "Cannot edit a message authored by another user",
	CodeCannotSendEmptyMessage:  "Cannot send an empty message",
	CodeCannotSendToUser:        "Cannot send messages to this user",
	CodeMissingPermissions:      "Missing Permissions",
	CodeInvalidWebhookToken:     "Invalid Webhook Token",
	CodeInvalidFormBody:         "Invalid Form Body",
	CodeInvalidJSON:             "The request body contains invalid JSON.",
}

// APIError is an error body as Discord sends it: {"code", "message", "errors"}. Errors holds the
// per-field tree of a 50035 Invalid Form Body answer, e.g.
// {"data": {"content": {"_errors": [{"code": "BASE_TYPE_MAX_LENGTH", "message": "…"}]}}};
// RetryAfter is set on the 429s that carry a code, such as 30034.
type APIError struct {
	Status     int            `json:"-"`
	Code       int            `json:"code"`
	Message    string         `json:"message"`
	Errors     map[string]any `json:"errors,omitempty"`
	RetryAfter float64        `json:"retry_after,omitempty"`
}

func (e *APIError) Error() string {
	return fmt.Sprintf("HTTP %d: %d %s %v", e.Status, e.Code, e.Message, e.Errors)
}

// apiError returns the error Discord answers with for code, with its usual text; code 0 gets
// the bare "<status>: <reason>" text Discord uses for plain HTTP failures.
func apiError(status, code int) *APIError {
	msg, ok := codeMessages[code]
	if !ok || code == CodeGeneral {
		msg = fmt.Sprintf("%d: %s", status, http.StatusText(status))
	}
	return &APIError{Status: status, Code: code, Message: msg}
}

// fieldError is one complaint about one field of a request body, at a path such as
// "data.embeds.0.title".
type fieldError struct {
	path, code, message string
}

// problems collects field errors while a body is validated.
type problems []fieldError

func (p *problems) add(path, code, format string, args ...any) {
	*p = append(*p, fieldError{path: path, code: code, message: fmt.Sprintf(format, args...)})
}

// maxLen complains when s is longer than max characters. Discord counts characters, so the fake
// counts runes.
func (p *problems) maxLen(path, s string, max int) {
	if n := runeLen(s); n > max {
		p.add(path, "BASE_TYPE_MAX_LENGTH", "Must be %d or fewer in length.", max)
	}
}

// between complains when s is not between min and max characters long.
func (p *problems) between(path, s string, min, max int) {
	if n := runeLen(s); n < min || n > max {
		p.add(path, "BASE_TYPE_BAD_LENGTH", "Must be between %d and %d in length.", min, max)
	}
}

// maxItems complains when a list has more than max elements.
func (p *problems) maxItems(path string, n, max int) {
	if n > max {
		p.add(path, "BASE_TYPE_MAX_LENGTH", "Must be %d or fewer in length.", max)
	}
}

// formError turns the collected problems into Discord's 400 Invalid Form Body, or nil when there
// are none.
func (p problems) formError() *APIError {
	if len(p) == 0 {
		return nil
	}
	tree := map[string]any{}
	for _, fe := range p {
		node := tree
		for _, part := range strings.Split(fe.path, ".") {
			next, ok := node[part].(map[string]any)
			if !ok {
				next = map[string]any{}
				node[part] = next
			}
			node = next
		}
		list, _ := node["_errors"].([]any)
		node["_errors"] = append(list, map[string]any{"code": fe.code, "message": fe.message})
	}
	e := apiError(http.StatusBadRequest, CodeInvalidFormBody)
	e.Errors = tree
	return e
}

// Paths reports every field path named in a form error, "data.content" style, to make failure
// messages and assertions short.
func (e *APIError) Paths() []string {
	var out []string
	var walk func(prefix string, node map[string]any)
	walk = func(prefix string, node map[string]any) {
		for k, v := range node {
			if k == "_errors" {
				out = append(out, strings.TrimSuffix(prefix, "."))
				continue
			}
			if m, ok := v.(map[string]any); ok {
				walk(prefix+k+".", m)
			}
		}
	}
	walk("", e.Errors)
	sortStrings(out)
	return out
}
