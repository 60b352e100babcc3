// Package ops is what operators run the bot with: Prometheus metrics of everything the bot does,
// and the HTTP endpoints a process supervisor or orchestrator asks (/healthz, /readyz, /metrics).
// It is the only package that imports the Prometheus client; the core, the adapters and the stores
// report through small interfaces of their own, which Metrics implements.
package ops

import (
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"

	"github.com/pybrarian/pybrarian/bot"
)

// Metrics holds every metric the bot exports, all prefixed pybrarian_, on a registry of its own
// (with the Go and process collectors), so tests can run several side by side.
type Metrics struct {
	Registry *prometheus.Registry

	events       *prometheus.CounterVec
	latency      *prometheus.HistogramVec
	lookups      *prometheus.CounterVec
	answers      *prometheus.CounterVec
	rounds       *prometheus.CounterVec
	limited      *prometheus.CounterVec
	storeOps     *prometheus.HistogramVec
	storeErrors  *prometheus.CounterVec
	apiCalls     *prometheus.CounterVec
	apiLatency   *prometheus.HistogramVec
	tips         *prometheus.CounterVec
	storeUp      *prometheus.GaugeVec
	adaptersUp   *prometheus.GaugeVec
	lostCredits  prometheus.CounterFunc
	busyAnswers  prometheus.CounterFunc
	lostCreditFn func() uint64
	busyFn       func() uint64
}

var _ bot.Observer = (*Metrics)(nil)

// NewMetrics registers every metric. lostCredits and busy report counters kept elsewhere (the
// Redis store's dropped leaderboard credits, the quiz engine's busy answers); nil reads 0.
func NewMetrics(lostCredits, busy func() uint64) *Metrics {
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	m := &Metrics{Registry: reg, lostCreditFn: lostCredits, busyFn: busy}
	f := func(c prometheus.Collector) { reg.MustRegister(c) }
	m.events = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "pybrarian_events_total",
		Help: "Events handled (updates and button presses), by platform, kind (command, choice, text), command and outcome.",
	}, []string{"platform", "kind", "command", "outcome"})
	m.latency = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name:    "pybrarian_event_seconds",
		Help:    "Time the core took to handle an event, sending the replies excluded.",
		Buckets: []float64{.0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5},
	}, []string{"platform", "kind"})
	m.lookups = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "pybrarian_lookups_total", Help: "Name lookups answered, by outcome (exact, alias, typo, not_found).",
	}, []string{"outcome"})
	m.answers = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "pybrarian_quiz_answers_total", Help: "Quiz answers, by outcome (right, wrong, skipped, refused, busy).",
	}, []string{"outcome"})
	m.rounds = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "pybrarian_quiz_rounds_total",
		Help: "Quiz rounds started and finished; started minus finished over all replicas is the rounds in play.",
	}, []string{"event"})
	m.limited = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "pybrarian_rate_limited_total", Help: "Events refused by the per-user or per-chat rate limit.",
	}, []string{"scope"})
	m.storeOps = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name:    "pybrarian_store_operation_seconds",
		Help:    "Store operations and their latency, by store (bolt, redis) and operation.",
		Buckets: []float64{.0001, .00025, .0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1},
	}, []string{"store", "op"})
	m.storeErrors = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "pybrarian_store_errors_total",
		Help: "Store operations that failed, by store, operation and kind (unavailable, conflict, other).",
	}, []string{"store", "op", "kind"})
	m.apiCalls = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "pybrarian_platform_calls_total",
		Help: "Platform API calls, by platform, method and result (ok, 429, 403, 4xx, 5xx, error).",
	}, []string{"platform", "method", "result"})
	m.apiLatency = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name:    "pybrarian_platform_call_seconds",
		Help:    "Platform API call latency by method (a long poll's is its wait), flood-control waits excluded.",
		Buckets: []float64{.01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30, 60},
	}, []string{"platform", "method"})
	m.tips = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "pybrarian_tips_total", Help: "Daily tips, by result (sent, failed, skipped).",
	}, []string{"result"})
	m.storeUp = prometheus.NewGaugeVec(prometheus.GaugeOpts{
		Name: "pybrarian_store_up", Help: "1 when the progress store answered the last health check.",
	}, []string{"store"})
	m.adaptersUp = prometheus.NewGaugeVec(prometheus.GaugeOpts{
		Name: "pybrarian_adapter_up", Help: "1 while an adapter is connected to its platform.",
	}, []string{"platform"})
	m.lostCredits = prometheus.NewCounterFunc(prometheus.CounterOpts{
		Name: "pybrarian_leaderboard_credits_lost_total",
		Help: "Leaderboard credits dropped on a Redis Cluster after the answer itself was recorded.",
	}, func() float64 { return float64(call(m.lostCreditFn)) })
	m.busyAnswers = prometheus.NewCounterFunc(prometheus.CounterOpts{
		Name: "pybrarian_quiz_busy_total",
		Help: "Answers refused as busy because replicas kept changing the learner's record at once.",
	}, func() float64 { return float64(call(m.busyFn)) })
	for _, c := range []prometheus.Collector{m.events, m.latency, m.lookups, m.answers, m.rounds, m.limited,
		m.storeOps, m.storeErrors, m.apiCalls, m.apiLatency, m.tips, m.storeUp, m.adaptersUp, m.lostCredits, m.busyAnswers} {
		f(c)
	}
	return m
}

func call(f func() uint64) uint64 {
	if f == nil {
		return 0
	}
	return f()
}

// Event implements bot.Observer.
func (m *Metrics) Event(platform, kind, command string, outcome bot.Outcome, took time.Duration) {
	m.events.WithLabelValues(platform, kind, command, string(outcome)).Inc()
	m.latency.WithLabelValues(platform, kind).Observe(took.Seconds())
}

// Lookup implements bot.Observer.
func (m *Metrics) Lookup(outcome string) { m.lookups.WithLabelValues(outcome).Inc() }

// Answer implements bot.Observer.
func (m *Metrics) Answer(outcome string) { m.answers.WithLabelValues(outcome).Inc() }

// Round implements bot.Observer.
func (m *Metrics) Round(started bool) {
	if started {
		m.rounds.WithLabelValues("started").Inc()
	} else {
		m.rounds.WithLabelValues("finished").Inc()
	}
}

// Limited implements bot.Observer.
func (m *Metrics) Limited(scope string) { m.limited.WithLabelValues(scope).Inc() }

// APICall records one platform API call. result is "ok", "429", "403", "4xx", "5xx" or "error"
// (no answer at all); adapters call it through their own small observer interfaces.
func (m *Metrics) APICall(platform, method, result string, took time.Duration) {
	m.apiCalls.WithLabelValues(platform, method, result).Inc()
	m.apiLatency.WithLabelValues(platform, method).Observe(took.Seconds())
}

// Tip records one daily tip: "sent", "failed" or "skipped".
func (m *Metrics) Tip(result string) { m.tips.WithLabelValues(result).Inc() }

// storeOp records one store operation.
func (m *Metrics) storeOp(store, op string, took time.Duration, errKind string) {
	m.storeOps.WithLabelValues(store, op).Observe(took.Seconds())
	if errKind != "" {
		m.storeErrors.WithLabelValues(store, op, errKind).Inc()
	}
}

// setStoreUp and setAdapterUp feed the readiness gauges.
func (m *Metrics) setStoreUp(store string, up bool) { m.storeUp.WithLabelValues(store).Set(b2f(up)) }
func (m *Metrics) setAdapterUp(platform string, up bool) {
	m.adaptersUp.WithLabelValues(platform).Set(b2f(up))
}

func b2f(b bool) float64 {
	if b {
		return 1
	}
	return 0
}
