package discord

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
)

// discordHost is the host discordgo addresses every REST call to (discordgo.EndpointDiscord).
const discordHost = "discord.com"

// BaseURLTransport returns a RoundTripper that sends every request addressed to
// https://discord.com to base instead, keeping the path and query, and passes other requests
// (the CDN, say) through unchanged. next carries the rewritten requests; nil means
// http.DefaultTransport.
//
// It exists because discordgo builds its URLs from package variables frozen at init time:
// rewriting them is global, racy and easy to get half right, while a transport on the
// session's http.Client moves every endpoint at once, per session. The adapter uses it for the
// DISCORD_API_BASE setting (a proxy, or a fake Discord in tests); the gateway needs nothing,
// because its URL comes from GET /gateway on the same base.
//
// base is an absolute http or https URL; its path, if any, is prepended, so
// "http://127.0.0.1:8080/discord" turns https://discord.com/api/v9/users/@me into
// http://127.0.0.1:8080/discord/api/v9/users/@me.
func BaseURLTransport(base string, next http.RoundTripper) (http.RoundTripper, error) {
	u, err := url.Parse(base)
	if err != nil {
		return nil, fmt.Errorf("discord api base: %w", err)
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return nil, fmt.Errorf("discord api base %q: scheme must be http or https", base)
	}
	if u.Host == "" {
		return nil, fmt.Errorf("discord api base %q: no host", base)
	}
	if u.RawQuery != "" || u.Fragment != "" || u.User != nil {
		return nil, errors.New("discord api base: must not carry a query, fragment or credentials")
	}
	if next == nil {
		next = http.DefaultTransport
	}
	return &baseURLTransport{base: u, prefix: strings.TrimSuffix(u.Path, "/"), next: next}, nil
}

type baseURLTransport struct {
	base   *url.URL
	prefix string
	next   http.RoundTripper
}

func (t *baseURLTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if !strings.EqualFold(req.URL.Hostname(), discordHost) {
		return t.next.RoundTrip(req)
	}
	// A RoundTripper must not modify the request it is given.
	out := req.Clone(req.Context())
	out.URL.Scheme = t.base.Scheme
	out.URL.Host = t.base.Host
	out.URL.Path = t.prefix + req.URL.Path
	if req.URL.RawPath != "" {
		out.URL.RawPath = t.prefix + req.URL.RawPath
	}
	out.Host = ""
	return t.next.RoundTrip(out)
}
