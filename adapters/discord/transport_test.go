package discord_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/pybrarian/pybrarian/adapters/discord"
)

// recorder answers every request with 204 and remembers where it was sent.
type recorder struct{ got []*http.Request }

func (r *recorder) RoundTrip(req *http.Request) (*http.Response, error) {
	r.got = append(r.got, req)
	return &http.Response{StatusCode: http.StatusNoContent, Body: io.NopCloser(strings.NewReader("")), Request: req}, nil
}

func TestBaseURLTransportRewrites(t *testing.T) {
	tests := []struct {
		name, base, in, want string
	}{
		{"api call", "http://127.0.0.1:8080", "https://discord.com/api/v9/users/@me", "http://127.0.0.1:8080/api/v9/users/@me"},
		{"query kept", "http://127.0.0.1:8080", "https://discord.com/api/v9/webhooks/1/tok?wait=true", "http://127.0.0.1:8080/api/v9/webhooks/1/tok?wait=true"},
		{"base path prefixed", "https://proxy.example/discord/", "https://discord.com/api/v9/gateway", "https://proxy.example/discord/api/v9/gateway"},
		{"escaped path kept", "http://fake", "https://discord.com/api/v9/channels/1/messages/2/reactions/%E2%9C%85/@me", "http://fake/api/v9/channels/1/messages/2/reactions/%E2%9C%85/@me"},
		{"other host untouched", "http://fake", "https://cdn.discordapp.com/avatars/1/a.png", "https://cdn.discordapp.com/avatars/1/a.png"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := &recorder{}
			rt, err := discord.BaseURLTransport(tt.base, rec)
			if err != nil {
				t.Fatal(err)
			}
			req := httptest.NewRequest("GET", tt.in, nil)
			req.RequestURI = ""
			resp, err := rt.RoundTrip(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if got := rec.got[0].URL.String(); got != tt.want {
				t.Errorf("RoundTrip(%q) sent to %q, want %q", tt.in, got, tt.want)
			}
			if req.URL.String() != tt.in {
				t.Errorf("RoundTrip modified the caller's request: URL now %q", req.URL)
			}
		})
	}
}

func TestBaseURLTransportRejectsBadBase(t *testing.T) {
	for _, base := range []string{"", "127.0.0.1:8080", "ftp://host", "http://", "http://host/?x=1", "http://user:pw@host"} {
		if _, err := discord.BaseURLTransport(base, nil); err == nil {
			t.Errorf("BaseURLTransport(%q) = nil error, want an error", base)
		}
	}
}

func TestBaseURLTransportReachesServer(t *testing.T) {
	var gotPath, gotHost string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		gotPath, gotHost = r.URL.Path, r.Host
		w.WriteHeader(http.StatusNoContent)
	}))
	defer srv.Close()
	rt, err := discord.BaseURLTransport(srv.URL, nil)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := (&http.Client{Transport: rt}).Get("https://discord.com/api/v9/gateway")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if gotPath != "/api/v9/gateway" || gotHost != strings.TrimPrefix(srv.URL, "http://") {
		t.Errorf("server saw host %q path %q, want %q /api/v9/gateway", gotHost, gotPath, strings.TrimPrefix(srv.URL, "http://"))
	}
}
