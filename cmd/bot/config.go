package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/pybrarian/pybrarian/adapters/discord"
	"github.com/pybrarian/pybrarian/adapters/telegram"
	"github.com/pybrarian/pybrarian/bot"
	"github.com/pybrarian/pybrarian/store/redis"
	"github.com/robfig/cron/v3"
)

// DefaultTipCron looks for due daily tips at the start of every minute.
const DefaultTipCron = "* * * * *"

// Config is every setting of the bot. Values come from the environment, then from flags for the
// non-secret ones; tokens and URLs that may carry passwords come only from the environment, so they
// never show up in `ps`.
type Config struct {
	// ContentDir adds or overrides knowledge-base entries without a rebuild (BOT_CONTENT_DIR).
	ContentDir string
	// DataDir holds the embedded progress store (BOT_DATA_DIR).
	DataDir string
	// LogLevel is debug, info, warn or error (BOT_LOG_LEVEL).
	LogLevel string
	// LogFormat is json, text, or auto: JSON when stderr is not a terminal (BOT_LOG_FORMAT).
	LogFormat string
	// HTTPAddr starts the ops server (/healthz, /readyz, /metrics) there (BOT_HTTP_ADDR).
	HTTPAddr string
	// ShutdownTimeout bounds how long updates in hand may take to finish after SIGTERM
	// (BOT_SHUTDOWN_TIMEOUT).
	ShutdownTimeout time.Duration
	// RateLimit is the per-user limit, "20/10s" or "off" (BOT_RATE_LIMIT).
	RateLimit string
	// ChartFont is a CJK font file for Chinese labels on charts; empty searches the usual system
	// paths (BOT_CHART_FONT).
	ChartFont string
	// TipCron is when the daily-tip scheduler looks for due tips, a five-field cron spec run at
	// second 0 of its minutes (BOT_TIP_CRON).
	TipCron string

	// Console forces the terminal chat even when platform tokens are set (-console).
	Console bool
	// JSON prints one JSON object per reply in the terminal chat (-json).
	JSON bool
	// User is the terminal user's id; progress is kept under it (-user, BOT_CONSOLE_USER).
	User string
	// Locale is the terminal user's language, en or zh (-locale, BOT_LOCALE).
	Locale string
	// Chat makes the terminal the group chat with this id (-chat, BOT_CONSOLE_CHAT): lines
	// "name: text" speak for name, other lines for User, who administers the group.
	Chat string

	// TelegramToken runs the Telegram adapter (TELEGRAM_TOKEN; environment only).
	TelegramToken string
	// TelegramEndpoint overrides the Bot API endpoint (TELEGRAM_API_ENDPOINT).
	TelegramEndpoint string
	// TelegramWebhookURL switches Telegram from long polling to a webhook (TELEGRAM_WEBHOOK_URL).
	TelegramWebhookURL string
	// TelegramWebhookListen is the webhook server's local address (TELEGRAM_WEBHOOK_LISTEN).
	TelegramWebhookListen string
	// TelegramWebhookSecret authenticates Telegram's webhook requests (TELEGRAM_WEBHOOK_SECRET;
	// environment only).
	TelegramWebhookSecret string
	// TelegramGlobalRate is how many messages a second the bot may send in all (TELEGRAM_GLOBAL_RATE;
	// default 30, Telegram's limit for a bot).
	TelegramGlobalRate int
	// DiscordToken runs the Discord adapter (DISCORD_TOKEN; environment only).
	DiscordToken string
	// DiscordGuildID registers the slash commands on one server instead of globally
	// (DISCORD_GUILD_ID).
	DiscordGuildID string
	// DiscordAPIBase replaces https://discord.com for every REST call (DISCORD_API_BASE).
	DiscordAPIBase string
	// DiscordShardID and DiscordShardCount run one shard of a sharded bot (DISCORD_SHARD_ID,
	// DISCORD_SHARD_COUNT); a count of 0 runs unsharded.
	DiscordShardID, DiscordShardCount int

	envErrs []error // environment values that did not parse

	// RedisURL selects the Redis store (REDIS_URL; environment only, it may hold a password).
	RedisURL string
	// RedisClusterAddrs selects Redis Cluster mode (REDIS_CLUSTER_ADDRS, comma-separated).
	RedisClusterAddrs string
	// RedisPrefix starts every Redis key (REDIS_PREFIX).
	RedisPrefix string
	// Redis timeouts (REDIS_DIAL_TIMEOUT, REDIS_READ_TIMEOUT, REDIS_WRITE_TIMEOUT).
	RedisDialTimeout, RedisReadTimeout, RedisWriteTimeout time.Duration
}

// DefaultConfig is the configuration with nothing set: the terminal chat on embedded content.
func DefaultConfig() Config {
	return Config{
		DataDir: "./data", LogLevel: "info", LogFormat: "auto", User: "console", Locale: "en",
		ShutdownTimeout: 8 * time.Second, RateLimit: bot.DefaultRateLimit.String(), TipCron: DefaultTipCron,
		RedisPrefix:      redis.DefaultPrefix,
		RedisDialTimeout: redis.DefaultTimeout, RedisReadTimeout: redis.DefaultTimeout, RedisWriteTimeout: redis.DefaultTimeout,
	}
}

// envVars documents each environment variable, in the order README's table lists them.
var envVars = []struct{ name, flag, help string }{
	{"BOT_CONTENT_DIR", "-content-dir", "directory of extra or overriding knowledge-base entries"},
	{"BOT_DATA_DIR", "-data-dir", "directory of the embedded progress store (default ./data)"},
	{"BOT_LOG_LEVEL", "-log-level", "debug, info, warn or error"},
	{"BOT_LOG_FORMAT", "-log-format", "json, text or auto (JSON when stderr is not a terminal)"},
	{"BOT_HTTP_ADDR", "-http-addr", "address of the ops server: /healthz, /readyz, /metrics (default: none)"},
	{"BOT_SHUTDOWN_TIMEOUT", "-shutdown-timeout", "how long updates in hand may finish after SIGTERM (default 8s)"},
	{"BOT_RATE_LIMIT", "-rate-limit", "events per user, e.g. 20/10s, or off (default 20/10s)"},
	{"BOT_CHART_FONT", "-chart-font", "CJK font (.ttf, .otf, .ttc) for Chinese chart labels (default: searched in system font paths)"},
	{"BOT_TIP_CRON", "-tip-cron", "when to look for due daily tips, a 5-field cron spec (default \"* * * * *\")"},
	{"BOT_CONSOLE_USER", "-user", "terminal chat user id"},
	{"BOT_LOCALE", "-locale", "terminal chat language, en or zh"},
	{"BOT_CONSOLE_CHAT", "-chat", "make the terminal the group chat with this id; \"name: text\" lines speak for name"},
	{"TELEGRAM_TOKEN", "", "Telegram bot token from @BotFather (runs the Telegram adapter)"},
	{"TELEGRAM_API_ENDPOINT", "", "self-hosted Bot API endpoint, e.g. http://127.0.0.1:8081/bot%s/%s"},
	{"TELEGRAM_WEBHOOK_URL", "", "public HTTPS URL for webhook mode (default: long polling)"},
	{"TELEGRAM_WEBHOOK_LISTEN", "", "local address of the webhook server (default :8443)"},
	{"TELEGRAM_WEBHOOK_SECRET", "", "webhook secret, required with TELEGRAM_WEBHOOK_URL"},
	{"TELEGRAM_GLOBAL_RATE", "", "messages a second the bot may send in all chats (default 30, Telegram's limit)"},
	{"DISCORD_TOKEN", "", "Discord bot token from the developer portal (runs the Discord adapter)"},
	{"DISCORD_GUILD_ID", "", "register slash commands on this server only, for development (default: global)"},
	{"DISCORD_API_BASE", "", "base URL replacing https://discord.com for REST calls, e.g. a proxy"},
	{"DISCORD_SHARD_ID", "", "this process's shard, 0 to DISCORD_SHARD_COUNT-1 (with DISCORD_SHARD_COUNT)"},
	{"DISCORD_SHARD_COUNT", "", "number of shards, one process each (with DISCORD_SHARD_ID)"},
	{"REDIS_URL", "", "redis://[user:password@]host:port/db (rediss:// for TLS): keep progress in Redis"},
	{"REDIS_CLUSTER_ADDRS", "-redis-cluster-addrs", "host:port,host:port: keep progress in a Redis Cluster"},
	{"REDIS_PREFIX", "-redis-prefix", "prefix of every Redis key (default pyb)"},
	{"REDIS_DIAL_TIMEOUT", "-redis-dial-timeout", "Redis connect timeout (default 500ms)"},
	{"REDIS_READ_TIMEOUT", "-redis-read-timeout", "Redis read timeout (default 500ms)"},
	{"REDIS_WRITE_TIMEOUT", "-redis-write-timeout", "Redis write timeout (default 500ms)"},
}

// fromEnv applies the environment on top of c. Malformed durations are reported by Validate.
func (c *Config) fromEnv(getenv func(string) string) {
	set := func(dst *string, name string) {
		if v := strings.TrimSpace(getenv(name)); v != "" {
			*dst = v
		}
	}
	set(&c.ContentDir, "BOT_CONTENT_DIR")
	set(&c.DataDir, "BOT_DATA_DIR")
	set(&c.LogLevel, "BOT_LOG_LEVEL")
	set(&c.LogFormat, "BOT_LOG_FORMAT")
	set(&c.HTTPAddr, "BOT_HTTP_ADDR")
	set(&c.RateLimit, "BOT_RATE_LIMIT")
	set(&c.ChartFont, "BOT_CHART_FONT")
	set(&c.TipCron, "BOT_TIP_CRON")
	set(&c.User, "BOT_CONSOLE_USER")
	set(&c.Locale, "BOT_LOCALE")
	set(&c.Chat, "BOT_CONSOLE_CHAT")
	set(&c.TelegramToken, "TELEGRAM_TOKEN")
	set(&c.TelegramEndpoint, "TELEGRAM_API_ENDPOINT")
	set(&c.TelegramWebhookURL, "TELEGRAM_WEBHOOK_URL")
	set(&c.TelegramWebhookListen, "TELEGRAM_WEBHOOK_LISTEN")
	set(&c.TelegramWebhookSecret, "TELEGRAM_WEBHOOK_SECRET")
	set(&c.DiscordToken, "DISCORD_TOKEN")
	set(&c.DiscordGuildID, "DISCORD_GUILD_ID")
	set(&c.DiscordAPIBase, "DISCORD_API_BASE")
	set(&c.RedisURL, "REDIS_URL")
	set(&c.RedisClusterAddrs, "REDIS_CLUSTER_ADDRS")
	set(&c.RedisPrefix, "REDIS_PREFIX")
	c.envErrs = nil
	var shards []string
	for _, d := range []struct {
		dst  *int
		name string
	}{{&c.DiscordShardID, "DISCORD_SHARD_ID"}, {&c.DiscordShardCount, "DISCORD_SHARD_COUNT"}} {
		if v := strings.TrimSpace(getenv(d.name)); v != "" {
			shards = append(shards, d.name)
			n, err := strconv.Atoi(v)
			if err != nil {
				c.envErrs = append(c.envErrs, fmt.Errorf("%s: %q is not a whole number", d.name, v))
				continue
			}
			*d.dst = n
		}
	}
	if v := strings.TrimSpace(getenv("TELEGRAM_GLOBAL_RATE")); v != "" {
		if n, err := strconv.Atoi(v); err != nil || n <= 0 {
			c.envErrs = append(c.envErrs, fmt.Errorf("TELEGRAM_GLOBAL_RATE: %q is not a positive whole number of messages a second", v))
		} else {
			c.TelegramGlobalRate = n
		}
	}
	if len(shards) == 1 {
		c.envErrs = append(c.envErrs, fmt.Errorf("%s is set alone: set DISCORD_SHARD_ID and DISCORD_SHARD_COUNT together, or neither", shards[0]))
	}
	for _, d := range []struct {
		dst  *time.Duration
		name string
	}{{&c.RedisDialTimeout, "REDIS_DIAL_TIMEOUT"}, {&c.RedisReadTimeout, "REDIS_READ_TIMEOUT"}, {&c.RedisWriteTimeout, "REDIS_WRITE_TIMEOUT"}, {&c.ShutdownTimeout, "BOT_SHUTDOWN_TIMEOUT"}} {
		if v := strings.TrimSpace(getenv(d.name)); v != "" {
			t, err := time.ParseDuration(v)
			if err != nil || t <= 0 {
				c.envErrs = append(c.envErrs, fmt.Errorf("%s: %q is not a positive duration such as 500ms", d.name, v))
				continue
			}
			*d.dst = t
		}
	}
}

// flags registers the non-secret settings on fs, defaulting to c's current values.
func (c *Config) flags(fs *flag.FlagSet) {
	fs.StringVar(&c.ContentDir, "content-dir", c.ContentDir, "directory of extra or overriding entries (BOT_CONTENT_DIR)")
	fs.StringVar(&c.DataDir, "data-dir", c.DataDir, "directory of the embedded progress store (BOT_DATA_DIR)")
	fs.StringVar(&c.LogLevel, "log-level", c.LogLevel, "log level: debug, info, warn, error (BOT_LOG_LEVEL)")
	fs.StringVar(&c.LogFormat, "log-format", c.LogFormat, "log format: json, text or auto (BOT_LOG_FORMAT)")
	fs.StringVar(&c.HTTPAddr, "http-addr", c.HTTPAddr, "ops server address for /healthz, /readyz, /metrics (BOT_HTTP_ADDR)")
	fs.DurationVar(&c.ShutdownTimeout, "shutdown-timeout", c.ShutdownTimeout, "time updates in hand may take to finish after SIGTERM (BOT_SHUTDOWN_TIMEOUT)")
	fs.StringVar(&c.RateLimit, "rate-limit", c.RateLimit, "events per user, e.g. 20/10s, or off (BOT_RATE_LIMIT)")
	fs.StringVar(&c.ChartFont, "chart-font", c.ChartFont, "CJK font file for Chinese chart labels (BOT_CHART_FONT)")
	fs.StringVar(&c.TipCron, "tip-cron", c.TipCron, "when to look for due daily tips, a 5-field cron spec (BOT_TIP_CRON)")
	fs.BoolVar(&c.Console, "console", c.Console, "run the terminal chat even when platform tokens are set")
	fs.BoolVar(&c.JSON, "json", c.JSON, "terminal chat prints one JSON object per reply")
	fs.StringVar(&c.User, "user", c.User, "terminal chat user id (BOT_CONSOLE_USER)")
	fs.StringVar(&c.Locale, "locale", c.Locale, "terminal chat language: en or zh (BOT_LOCALE)")
	fs.StringVar(&c.Chat, "chat", c.Chat, "make the terminal the group chat with this id, where \"name: text\" lines speak for name (BOT_CONSOLE_CHAT)")
	fs.StringVar(&c.RedisClusterAddrs, "redis-cluster-addrs", c.RedisClusterAddrs, "Redis Cluster seed nodes, host:port,... (REDIS_CLUSTER_ADDRS)")
	fs.StringVar(&c.RedisPrefix, "redis-prefix", c.RedisPrefix, "prefix of every Redis key (REDIS_PREFIX)")
	fs.DurationVar(&c.RedisDialTimeout, "redis-dial-timeout", c.RedisDialTimeout, "Redis connect timeout (REDIS_DIAL_TIMEOUT)")
	fs.DurationVar(&c.RedisReadTimeout, "redis-read-timeout", c.RedisReadTimeout, "Redis read timeout (REDIS_READ_TIMEOUT)")
	fs.DurationVar(&c.RedisWriteTimeout, "redis-write-timeout", c.RedisWriteTimeout, "Redis write timeout (REDIS_WRITE_TIMEOUT)")
}

// Validate reports every problem at once, each naming the setting to fix.
func (c Config) Validate() error {
	errs := append([]error(nil), c.envErrs...)
	if _, err := parseLevel(c.LogLevel); err != nil {
		errs = append(errs, fmt.Errorf("BOT_LOG_LEVEL / -log-level: %w", err))
	}
	switch c.LogFormat {
	case "json", "text", "auto":
	default:
		errs = append(errs, fmt.Errorf("BOT_LOG_FORMAT / -log-format: %q is not json, text or auto", c.LogFormat))
	}
	if c.HTTPAddr != "" {
		if _, port, err := net.SplitHostPort(c.HTTPAddr); err != nil || port == "" {
			errs = append(errs, fmt.Errorf("BOT_HTTP_ADDR / -http-addr: %q is not host:port or :port", c.HTTPAddr))
		}
	}
	if c.ShutdownTimeout <= 0 {
		errs = append(errs, fmt.Errorf("BOT_SHUTDOWN_TIMEOUT / -shutdown-timeout: %v must be positive", c.ShutdownTimeout))
	}
	if _, err := bot.ParseRateLimit(c.RateLimit); err != nil {
		errs = append(errs, fmt.Errorf("BOT_RATE_LIMIT / -rate-limit: %w", err))
	}
	if _, err := cron.ParseStandard(c.TipCron); err != nil {
		errs = append(errs, fmt.Errorf("BOT_TIP_CRON / -tip-cron: %q is not a cron spec of five fields such as \"* * * * *\" (every minute): %w", c.TipCron, err))
	}
	if c.Locale != "en" && c.Locale != "zh" {
		errs = append(errs, fmt.Errorf("BOT_LOCALE / -locale: %q is not en or zh", c.Locale))
	}
	if strings.TrimSpace(c.DataDir) == "" {
		errs = append(errs, errors.New("BOT_DATA_DIR / -data-dir: must not be empty"))
	}
	if c.ContentDir != "" {
		if fi, err := os.Stat(c.ContentDir); err != nil || !fi.IsDir() {
			errs = append(errs, fmt.Errorf("BOT_CONTENT_DIR / -content-dir: %q is not a directory", c.ContentDir))
		}
	}
	if strings.TrimSpace(c.User) == "" {
		errs = append(errs, errors.New("BOT_CONSOLE_USER / -user: must not be empty"))
	}
	if c.Chat != "" && !consoleChat.MatchString(c.Chat) {
		errs = append(errs, fmt.Errorf("BOT_CONSOLE_CHAT / -chat: %q is not 1-64 letters, digits, '.', '_' or '-'", c.Chat))
	}
	if c.TelegramToken != "" {
		if err := c.telegram(nil).Validate(); err != nil {
			errs = append(errs, err)
		}
	} else if c.TelegramWebhookURL != "" || c.TelegramWebhookSecret != "" {
		errs = append(errs, errors.New("TELEGRAM_WEBHOOK_URL / TELEGRAM_WEBHOOK_SECRET are set but TELEGRAM_TOKEN is not"))
	}
	if c.usesRedis() {
		if err := c.redis().Validate(); err != nil {
			errs = append(errs, err)
		}
	}
	if c.DiscordToken != "" {
		if err := c.discord(nil).Validate(); err != nil {
			errs = append(errs, err)
		}
	} else if c.DiscordGuildID != "" || c.DiscordAPIBase != "" || c.DiscordShardCount != 0 || c.DiscordShardID != 0 {
		errs = append(errs, errors.New("DISCORD_GUILD_ID / DISCORD_API_BASE / DISCORD_SHARD_ID / DISCORD_SHARD_COUNT are set but DISCORD_TOKEN is not"))
	}
	return errors.Join(errs...)
}

// consoleChat is what a terminal group chat's id may be: it becomes part of store keys.
var consoleChat = regexp.MustCompile(`^[A-Za-z0-9._-]{1,64}$`)

func parseLevel(s string) (slog.Level, error) {
	var l slog.Level
	if err := l.UnmarshalText([]byte(s)); err != nil {
		return 0, fmt.Errorf("%q is not debug, info, warn or error", s)
	}
	return l, nil
}

// newLogger writes structured logs to w (stderr), keeping stdout for the chat: JSON for a log
// collector, text for a person at a terminal, unless format says which.
func newLogger(w io.Writer, level, format string, terminal bool) *slog.Logger {
	l, _ := parseLevel(level)
	opts := &slog.HandlerOptions{Level: l}
	if format == "json" || (format == "auto" && !terminal) {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}

// telegram is the Telegram adapter's configuration.
func (c Config) telegram(log *slog.Logger) telegram.Config {
	return telegram.Config{
		Token: c.TelegramToken, Endpoint: c.TelegramEndpoint,
		WebhookURL: c.TelegramWebhookURL, WebhookListen: c.TelegramWebhookListen, WebhookSecret: c.TelegramWebhookSecret,
		Logger: log, ShutdownGrace: c.ShutdownTimeout, GlobalRate: c.TelegramGlobalRate,
	}
}

// discord is the Discord adapter's configuration.
func (c Config) discord(log *slog.Logger) discord.Config {
	return discord.Config{
		Token: c.DiscordToken, GuildID: c.DiscordGuildID, APIBase: c.DiscordAPIBase,
		ShardID: c.DiscordShardID, ShardCount: c.DiscordShardCount,
		Logger: log, ShutdownGrace: c.ShutdownTimeout,
	}
}

// usesRedis reports whether progress goes to Redis rather than the embedded store.
func (c Config) usesRedis() bool { return c.RedisURL != "" || c.RedisClusterAddrs != "" }

// redis is the Redis store's configuration.
func (c Config) redis() redis.Config {
	var addrs []string
	for _, a := range strings.Split(c.RedisClusterAddrs, ",") {
		if a = strings.TrimSpace(a); a != "" {
			addrs = append(addrs, a)
		}
	}
	return redis.Config{
		URL: c.RedisURL, ClusterAddrs: addrs, Prefix: c.RedisPrefix,
		DialTimeout: c.RedisDialTimeout, ReadTimeout: c.RedisReadTimeout, WriteTimeout: c.RedisWriteTimeout,
	}
}
