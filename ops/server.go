package ops

import (
	"context"
	"fmt"
	"net/http"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Health is what /readyz reports: whether the process takes traffic (not while starting or
// shutting down, nor while an adapter is disconnected from its platform), and how the store is.
// A store outage shows in the body and the store_up gauge but keeps the process ready: lookups
// keep working without the store, and restarting the process would not bring Redis back.
type Health struct {
	m *Metrics

	mu       sync.Mutex
	state    string // "starting", "ready", "stopping"
	adapters map[string]func() error
	store    storeCheck
	checked  time.Time
	storeErr error
}

type storeCheck struct {
	name  string
	check func(context.Context) error
}

// NewHealth starts in the "starting" state.
func NewHealth(m *Metrics) *Health {
	return &Health{m: m, state: "starting", adapters: map[string]func() error{}}
}

// Adapter registers a platform's connection check: nil while connected.
func (h *Health) Adapter(platform string, check func() error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.adapters[platform] = check
}

// Store registers the store's health check (a ping), named for the body and the gauge.
func (h *Health) Store(name string, check func(context.Context) error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.store = storeCheck{name, check}
}

// SetReady and SetStopping move the process through its life: ready once it serves, stopping from
// the first shutdown signal, so the load balancer sends no more traffic while it drains.
func (h *Health) SetReady()    { h.set("ready") }
func (h *Health) SetStopping() { h.set("stopping") }

func (h *Health) set(s string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.state = s
}

// storeCheckEvery bounds how often /readyz pings the store, however often it is asked.
const storeCheckEvery = 2 * time.Second

// report returns whether the process is ready and the lines of the /readyz body.
func (h *Health) report(ctx context.Context) (bool, []string) {
	h.mu.Lock()
	state, store := h.state, h.store
	adapters := make(map[string]func() error, len(h.adapters))
	for k, v := range h.adapters {
		adapters[k] = v
	}
	stale := time.Since(h.checked) >= storeCheckEvery
	h.mu.Unlock()

	ready := state == "ready"
	lines := []string{"state: " + state}
	var names []string
	for p := range adapters {
		names = append(names, p)
	}
	sort.Strings(names)
	for _, p := range names {
		if err := adapters[p](); err != nil {
			ready = false
			lines = append(lines, fmt.Sprintf("adapter %s: disconnected (%v)", p, err))
			h.m.setAdapterUp(p, false)
		} else {
			lines = append(lines, fmt.Sprintf("adapter %s: connected", p))
			h.m.setAdapterUp(p, true)
		}
	}
	if store.check != nil {
		if stale {
			cctx, cancel := context.WithTimeout(ctx, time.Second)
			err := store.check(cctx)
			cancel()
			h.mu.Lock()
			h.checked, h.storeErr = time.Now(), err
			h.mu.Unlock()
			h.m.setStoreUp(store.name, err == nil)
		}
		h.mu.Lock()
		err := h.storeErr
		h.mu.Unlock()
		if err != nil {
			lines = append(lines, fmt.Sprintf("store %s: unavailable (%v); lookups keep working", store.name, err))
		} else {
			lines = append(lines, fmt.Sprintf("store %s: up", store.name))
		}
	}
	return ready, lines
}

// Handler serves /healthz (the process is alive), /readyz (it takes traffic) and /metrics
// (Prometheus).
func (h *Health) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		fmt.Fprintln(w, "ok")
	})
	mux.HandleFunc("GET /readyz", func(w http.ResponseWriter, r *http.Request) {
		ready, lines := h.report(r.Context())
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		if !ready {
			w.WriteHeader(http.StatusServiceUnavailable)
		}
		fmt.Fprintln(w, strings.Join(lines, "\n"))
	})
	mux.Handle("GET /metrics", promhttp.HandlerFor(h.m.Registry, promhttp.HandlerOpts{}))
	return mux
}
