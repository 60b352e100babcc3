package ops

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func get(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body)
}

// TestReadiness follows a process through its life as a load balancer sees it: not ready while
// starting, ready when serving, not ready with an adapter disconnected, still ready (and saying
// so) with the store down since lookups keep working, and not ready once stopping.
func TestReadiness(t *testing.T) {
	h := NewHealth(NewMetrics(nil, nil))
	srv := httptest.NewServer(h.Handler())
	defer srv.Close()
	var adapterErr, storeErr error
	h.Adapter("telegram", func() error { return adapterErr })
	h.Store("redis", func(context.Context) error { return storeErr })

	if code, body := get(t, srv.URL+"/readyz"); code != 503 || !strings.Contains(body, "state: starting") {
		t.Errorf("while starting: %d\n%s", code, body)
	}
	if code, _ := get(t, srv.URL+"/healthz"); code != 200 {
		t.Errorf("/healthz while starting: %d, want 200 (alive)", code)
	}
	h.SetReady()
	if code, body := get(t, srv.URL+"/readyz"); code != 200 || !strings.Contains(body, "adapter telegram: connected") {
		t.Errorf("when ready: %d\n%s", code, body)
	}
	adapterErr = errors.New("polling failed")
	if code, body := get(t, srv.URL+"/readyz"); code != 503 || !strings.Contains(body, "adapter telegram: disconnected (polling failed)") {
		t.Errorf("with the adapter disconnected: %d\n%s", code, body)
	}
	adapterErr = nil

	h.mu.Lock()
	h.checked = h.checked.AddDate(-1, 0, 0) // the last store check is old: /readyz asks again
	h.mu.Unlock()
	storeErr = errors.New("connection refused")
	code, body := get(t, srv.URL+"/readyz")
	if code != 200 || !strings.Contains(body, "store redis: unavailable (connection refused); lookups keep working") {
		t.Errorf("with the store down: %d\n%s", code, body)
	}
	if _, metrics := get(t, srv.URL+"/metrics"); !strings.Contains(metrics, `pybrarian_store_up{store="redis"} 0`) {
		t.Errorf("/metrics does not show the store down:\n%s", grep(metrics, "store_up"))
	}

	h.SetStopping()
	if code, body := get(t, srv.URL+"/readyz"); code != 503 || !strings.Contains(body, "state: stopping") {
		t.Errorf("while stopping: %d\n%s", code, body)
	}
}

func grep(s, substr string) string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if strings.Contains(l, substr) {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}
