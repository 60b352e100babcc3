package discord

import (
	"net/http"
	"regexp"
	"strconv"
	"time"
)

// Observer receives each REST call's method, result ("ok", "429", "403", "4xx", "5xx" or
// "error") and latency. Method names are a small fixed set the adapter derives from the route.
type Observer interface {
	APICall(platform, method, result string, took time.Duration)
}

// observed is a RoundTripper that reports every request to the Observer.
type observed struct {
	next http.RoundTripper
	obs  Observer
}

func (o observed) RoundTrip(req *http.Request) (*http.Response, error) {
	start := time.Now()
	resp, err := o.next.RoundTrip(req)
	result := "error"
	if err == nil {
		switch c := resp.StatusCode; {
		case c < 400:
			result = "ok"
		case c == http.StatusTooManyRequests || c == http.StatusForbidden:
			result = strconv.Itoa(c)
		case c >= 500:
			result = "5xx"
		default:
			result = "4xx"
		}
	}
	o.obs.APICall(Platform, routeName(req.Method, req.URL.Path), result, time.Since(start))
	return resp, err
}

// routes name the REST routes the adapter uses; ids and tokens in the path never reach a label.
var routes = []struct {
	method string
	path   *regexp.Regexp
	name   string
}{
	{"POST", regexp.MustCompile(`/interactions/\d+/[^/]+/callback$`), "interaction_callback"},
	{"PATCH", regexp.MustCompile(`/webhooks/\d+/[^/]+/messages/`), "edit_response"},
	{"DELETE", regexp.MustCompile(`/webhooks/\d+/[^/]+/messages/`), "delete_response"},
	{"POST", regexp.MustCompile(`/webhooks/\d+/[^/]+$`), "followup"},
	{"POST", regexp.MustCompile(`/channels/\d+/messages$`), "create_message"},
	{"PATCH", regexp.MustCompile(`/channels/\d+/messages/\d+$`), "edit_message"},
	{"POST", regexp.MustCompile(`/users/@me/channels$`), "open_dm"},
	{"PUT", regexp.MustCompile(`/applications/\d+/(guilds/\d+/)?commands$`), "register_commands"},
	{"GET", regexp.MustCompile(`/users/@me$`), "get_me"},
	{"GET", regexp.MustCompile(`/gateway(/bot)?$`), "gateway"},
}

func routeName(method, path string) string {
	for _, r := range routes {
		if r.method == method && r.path.MatchString(path) {
			return r.name
		}
	}
	return "other"
}
