// Command bot runs Pybrarian: on Telegram and Discord when their tokens are set, otherwise as a chat
// in the terminal. Subcommands serve operators: `lint [DIR]` checks knowledge-base files.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"
	// Zone data inside the binary: /subscribe and /timezone read IANA zones on hosts and images
	// that ship none (a bare server, distroless), where they would otherwise fall back to UTC.
	_ "time/tzdata"

	"github.com/pybrarian/pybrarian/adapters/console"
	"github.com/pybrarian/pybrarian/adapters/discord"
	"github.com/pybrarian/pybrarian/adapters/telegram"
	"github.com/pybrarian/pybrarian/bot"
	"github.com/pybrarian/pybrarian/bot/chart"
	"github.com/pybrarian/pybrarian/content"
	"github.com/pybrarian/pybrarian/ops"
	"github.com/pybrarian/pybrarian/quiz"
	"github.com/pybrarian/pybrarian/store/bolt"
	"github.com/pybrarian/pybrarian/store/redis"
	"github.com/robfig/cron/v3"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	// After the first signal starts a graceful shutdown, a second one gets the default behaviour:
	// the process exits at once.
	context.AfterFunc(ctx, stop)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr, os.Getenv))
}

// run dispatches subcommands and returns the exit code: 0 success, 1 failure, 2 usage error.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer, getenv func(string) string) int {
	return runAt(ctx, args, stdin, stdout, stderr, getenv, time.Now)
}

// runAt is run with a clock, so end-to-end tests are deterministic.
func runAt(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer, getenv func(string) string, now func() time.Time) int {
	if len(args) > 0 {
		switch args[0] {
		case "lint":
			return runLint(args[1:], stdout, stderr)
		case "evaluate":
			return runEvaluate(ctx, args[1:], stdout, stderr)
		case "reports":
			return runReports(ctx, args[1:], stdout, stderr, getenv)
		case "migrate":
			return runMigrate(ctx, args[1:], stdout, stderr, getenv)
		case "healthcheck":
			return runHealthcheck(ctx, args[1:], stdout, stderr, getenv)
		case "cards":
			return runCards(args[1:], stdout, stderr, getenv)
		}
	}
	m := NewMain(stdin, stdout, stderr, getenv)
	m.Now = now
	if err := m.ParseFlags(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		fmt.Fprintln(stderr, "bot:", err)
		return 2
	}
	defer m.Close()
	if err := m.Run(ctx); err != nil {
		fmt.Fprintln(stderr, "bot:", err)
		var cerr configError
		if errors.As(err, &cerr) {
			return 2
		}
		return 1
	}
	return 0
}

// configError is a setting found wrong only once the program tried it (Redis refused the
// password, the data file is damaged): like the errors Validate finds, it exits with status 2.
type configError struct{ error }

func (e configError) Unwrap() error { return e.error }

// Main is the program: configuration, the pieces built from it, and their lifetimes. Tests run the
// real Main with in-memory standard streams.
type Main struct {
	Config Config

	stdin          io.Reader
	stdout, stderr io.Writer
	getenv         func(string) string
	// Now is the clock; tests replace it.
	Now func() time.Time
	// Ticks drive group challenges; nil means a ticker a second apart. Tests send their own.
	Ticks <-chan time.Time
	// TipTicks, when set, replace the daily-tip cron job: each time received runs the tip
	// scheduler as of that time. Tests send their own.
	TipTicks <-chan time.Time
	log      *slog.Logger
	closers  []io.Closer

	listening chan struct{}
	httpAddrs map[string]string
}

// NewMain returns a Main reading the given streams and environment.
func NewMain(stdin io.Reader, stdout, stderr io.Writer, getenv func(string) string) *Main {
	return &Main{Config: DefaultConfig(), stdin: stdin, stdout: stdout, stderr: stderr, getenv: getenv, Now: time.Now, listening: make(chan struct{})}
}

// ParseFlags reads the environment, then the command line, and validates the result.
func (m *Main) ParseFlags(args []string) error {
	m.Config.fromEnv(m.getenv)
	fs := flag.NewFlagSet("bot", flag.ContinueOnError)
	fs.SetOutput(m.stderr)
	m.Config.flags(fs)
	fs.Usage = func() {
		fmt.Fprintf(m.stderr, "Usage: bot [flags]\n       bot lint [DIR]\n       bot evaluate [-optimize [-json]] FILE.csv\n       bot reports [N]\n       bot migrate\n       bot cards\n       bot healthcheck\n\nFlags:\n")
		fs.PrintDefaults()
		fmt.Fprintf(m.stderr, "\nEnvironment:\n")
		for _, v := range envVars {
			fmt.Fprintf(m.stderr, "  %-22s %s\n", v.name, v.help)
		}
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected argument %q (subcommands: cards, evaluate, healthcheck, lint, migrate, reports)", fs.Arg(0))
	}
	return m.Config.Validate()
}

// backend is everything the program needs from a progress store; store/bolt and store/redis both
// provide it.
type backend interface {
	ops.Store
	io.Closer
}

// adapter is a running connection to one chat platform (or the terminal).
type adapter interface {
	Run(ctx context.Context) error
}

// Run builds the bot and serves until ctx is cancelled; with only the terminal chat, until its input
// ends.
func (m *Main) Run(ctx context.Context) error {
	m.log = newLogger(m.stderr, m.Config.LogLevel, m.Config.LogFormat, isTerminal(m.stderr))
	limit, err := bot.ParseRateLimit(m.Config.RateLimit) // Validate checked it
	if err != nil {
		return err
	}
	kb, err := loadContent(m.Config.ContentDir)
	if err != nil {
		return err
	}
	bank, _, err := quiz.NewBank(kb)
	if err != nil {
		return err
	}
	raw, err := openStore(ctx, m.Config, m.log)
	if err != nil {
		return err
	}
	m.closers = append(m.closers, raw)
	var engine *quiz.Engine
	metrics := ops.NewMetrics(lostCredits(raw), func() uint64 { return engine.Busy() })
	health := ops.NewHealth(metrics)
	storeName := "bolt"
	if rs, ok := raw.(*redis.Store); ok {
		storeName = "redis"
		health.Store(storeName, rs.Ping)
	} else {
		health.Store(storeName, func(context.Context) error { return nil })
	}
	st := ops.InstrumentStore(storeName, raw, metrics)
	engine, err = quiz.NewEngine(quiz.Config{Bank: bank, Store: st, Boards: st, Reports: st, Community: st})
	if err != nil {
		return err
	}
	core, err := bot.New(bot.Config{Content: kb, Quiz: engine, Settings: st, Logger: m.log, Now: m.Now,
		Charts:   chart.NewRenderer(m.Config.ChartFont, m.log),
		Observer: metrics, RateLimit: limit, Challenges: quiz.NewChallenges(engine, st), Claims: st, Codes: st, Tips: st})
	if err != nil {
		return err
	}
	pacer := newPacer(raw, metrics, m.log)
	// The fan-out spends from the budget every sender shares: across replicas on Redis.
	tips, err := core.TipScheduler(bot.TipSchedulerConfig{Limiter: pacer})
	if err != nil {
		return err
	}

	var adapters []adapter
	var http httpServers
	if m.Config.TelegramToken != "" {
		cfg := m.Config.telegram(m.log)
		cfg.Observer, cfg.Limiter = metrics, pacer
		tg, err := telegram.New(cfg, core, st)
		if err != nil {
			return err
		}
		core.Attach(telegram.Platform, tg)
		health.Adapter(telegram.Platform, tg.Healthy)
		adapters = append(adapters, tg)
		if m.Config.TelegramWebhookURL != "" {
			http.handle(tg.WebhookListen(), tg.WebhookPath(), tg.WebhookHandler())
		}
	}
	if m.Config.DiscordToken != "" {
		cfg := m.Config.discord(m.log)
		cfg.Observer, cfg.Limiter = metrics, pacer
		dc, err := discord.New(cfg, core)
		if err != nil {
			return err
		}
		core.Attach(discord.Platform, dc)
		health.Adapter(discord.Platform, dc.Healthy)
		adapters = append(adapters, dc)
	}
	if m.Config.Console || len(adapters) == 0 {
		c := &console.Console{
			In: m.stdin, Out: m.stdout, Handler: core,
			JSON: m.Config.JSON, UserID: m.Config.User, Locale: m.Config.Locale, Chat: m.Config.Chat,
			Interactive: isTerminal(m.stdin), FileDir: filepath.Join(m.Config.DataDir, "files"),
			ChartDir: filepath.Join(m.Config.DataDir, "charts"),
		}
		core.Attach(console.Platform, c)
		adapters = append(adapters, c)
	}
	if m.Config.HTTPAddr != "" {
		h := health.Handler()
		for _, path := range []string{"/healthz", "/readyz", "/metrics"} {
			http.handle(m.Config.HTTPAddr, path, h)
		}
	}
	if err := http.listen(m.log); err != nil {
		return err
	}
	m.httpAddrs = http.addrs()
	close(m.listening)

	// The HTTP listeners outlive the adapters: while they drain after SIGTERM, /readyz says 503
	// and the webhook refuses new updates, so the load balancer and Telegram send them elsewhere.
	httpCtx, stopHTTP := context.WithCancel(context.WithoutCancel(ctx))
	defer stopHTTP()
	httpDone := make(chan error, 1)
	go func() { httpDone <- http.Run(httpCtx) }()
	health.SetReady()
	stopping := context.AfterFunc(ctx, func() {
		health.SetStopping()
		m.log.Info("shutting down: finishing the updates in hand", "timeout", m.Config.ShutdownTimeout)
	})
	defer stopping()
	// Group challenges move on with the ticks for as long as the adapters run.
	ticks := m.Ticks
	if ticks == nil {
		t := time.NewTicker(time.Second)
		defer t.Stop()
		ticks = t.C
	}
	runnerCtx, stopRunner := context.WithCancel(ctx)
	runnerDone := make(chan error, 1)
	go func() { runnerDone <- core.RunChallenges(runnerCtx, ticks) }()
	// Daily tips go out on the cron schedule until shutdown starts; a fan-out cut short gives
	// back what it had not sent, for the next start.
	tipsCtx, stopTips := context.WithCancel(ctx)
	defer stopTips()
	refit := newRefitJob(st, st, core.Replica(), m.log, m.Now)
	tipsDone, err := m.runTips(tipsCtx, tips, refit)
	if err != nil {
		stopRunner()
		return errors.Join(err, <-runnerDone)
	}
	err = runAll(ctx, adapters)
	stopRunner()
	stopTips()
	<-tipsDone
	err = errors.Join(err, <-runnerDone)
	stopHTTP()
	return errors.Join(err, <-httpDone)
}

// newPacer is the rate limiter every sender spends from (the platform adapters' flood limits,
// and the daily tip's fan-out at bot.FanoutRate): on Redis one budget for all replicas, timed and
// counted as the store operation "reserve", paced in process while Redis is down; on the embedded
// store, which one process owns, in process. It runs on the real clock, as the adapters' waits
// do, whatever Main.Now says.
func newPacer(st backend, m *ops.Metrics, log *slog.Logger) *bot.Pacer {
	var shared bot.Limiter
	if rs, ok := st.(*redis.Store); ok {
		shared = ops.InstrumentLimiter("redis", rs, m)
	}
	return bot.NewPacer(shared, nil, log)
}

// runTips runs the tip scheduler on BOT_TIP_CRON (at second 0 of its minutes, in UTC: each
// subscription's own zone decides when it is due), or on TipTicks when a test sets them, until
// ctx ends. The returned channel closes when no tick is running any more.
func (m *Main) runTips(ctx context.Context, s *bot.TipScheduler, refit *refitJob) (<-chan struct{}, error) {
	tick := func(now time.Time) {
		rep, err := s.Tick(ctx, now)
		if err != nil && ctx.Err() == nil {
			m.log.Warn("daily tips: the scheduler's store failed; the next tick tries again", "err", err)
		}
		if rep != (bot.TickReport{}) {
			m.log.Info("daily tips", "sent", rep.Sent, "failed", rep.Failed, "skipped", rep.Skipped, "released", rep.Released)
		}
	}
	done := make(chan struct{})
	if m.TipTicks != nil {
		go func() {
			defer close(done)
			for {
				select {
				case <-ctx.Done():
					return
				case now := <-m.TipTicks:
					tick(now)
				}
			}
		}()
		return done, nil
	}
	c := cron.New(cron.WithLocation(time.UTC), cron.WithChain(cron.SkipIfStillRunning(cron.DiscardLogger)))
	if _, err := c.AddFunc(m.Config.TipCron, func() { tick(m.Now()) }); err != nil {
		return nil, fmt.Errorf("BOT_TIP_CRON / -tip-cron: %w", err) // Validate checked it
	}
	// The weekly refit of FSRS weights rides on the same cron (see refitSpec).
	if _, err := c.AddFunc(refitSpec, func() { refit.run(ctx) }); err != nil {
		return nil, err
	}
	c.Start()
	go func() {
		defer close(done)
		<-ctx.Done()
		<-c.Stop().Done() // waits for a tick under way, which ctx has cut short
	}()
	return done, nil
}

// lostCredits reads the Redis store's count of dropped leaderboard credits; the embedded store
// drops none.
func lostCredits(st backend) func() uint64 {
	if rs, ok := st.(*redis.Store); ok {
		return rs.LostCredits
	}
	return nil
}

// Listening is closed once Run has bound its HTTP listeners; HTTPAddrs then tells where.
func (m *Main) Listening() <-chan struct{} { return m.listening }

// HTTPAddrs maps each configured listen address to the address actually bound (":0" becomes a
// real port), once Listening is closed.
func (m *Main) HTTPAddrs() map[string]string { return m.httpAddrs }

// runAll runs the adapters side by side. The first one to fail stops the others. When the terminal
// chat reaches the end of its input the platform adapters keep serving; when every adapter is done,
// runAll returns.
func runAll(ctx context.Context, adapters []adapter) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	errs := make(chan error, len(adapters))
	for _, a := range adapters {
		go func() { errs <- a.Run(ctx) }()
	}
	var first error
	for range adapters {
		if err := <-errs; err != nil && first == nil {
			first = err
			cancel()
		}
	}
	return first
}

// openStore opens Redis when REDIS_URL or REDIS_CLUSTER_ADDRS is set, else the embedded store
// under BOT_DATA_DIR. Redis being down at start is not an error: lookups work and progress
// reports itself unavailable until Redis answers.
func openStore(ctx context.Context, cfg Config, log *slog.Logger) (backend, error) {
	if cfg.usesRedis() {
		st, err := redis.Open(ctx, cfg.redis())
		if err != nil {
			return nil, err
		}
		switch err := st.Check(ctx); {
		case errors.Is(err, redis.ErrConfig):
			st.Close()
			return nil, configError{err}
		case err != nil:
			log.Warn("redis is not answering yet; progress is unavailable until it does", "err", err)
		}
		return st, nil
	}
	st, err := bolt.Open(cfg.DataDir)
	if errors.Is(err, bolt.ErrDamaged) {
		return nil, configError{fmt.Errorf("BOT_DATA_DIR: %w", err)}
	}
	if err != nil {
		return nil, fmt.Errorf("BOT_DATA_DIR: %w", err)
	}
	return st, nil
}

// Close releases what Run opened.
func (m *Main) Close() error {
	var errs []error
	for i := len(m.closers) - 1; i >= 0; i-- {
		errs = append(errs, m.closers[i].Close())
	}
	m.closers = nil
	return errors.Join(errs...)
}

// loadContent loads the embedded knowledge base, overlaid with dir when set.
func loadContent(dir string) (*content.KB, error) {
	sources := []content.Source{content.Embedded()}
	if dir != "" {
		if _, err := os.Stat(dir); err != nil {
			return nil, fmt.Errorf("BOT_CONTENT_DIR: %w", err)
		}
		sources = append(sources, content.Dir(dir))
	}
	kb, err := content.Load(sources...)
	if err != nil {
		return nil, fmt.Errorf("content has problems (run `bot lint` for the list):\n%w", err)
	}
	return kb, nil
}

// isTerminal reports whether f (stdin, stderr) is a terminal a person uses, as opposed to a pipe or
// file.
func isTerminal(f any) bool {
	file, ok := f.(*os.File)
	if !ok {
		return false
	}
	fi, err := file.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}
