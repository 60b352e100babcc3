package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"strings"

	"github.com/pybrarian/pybrarian/adapters/telegram"
)

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

	// Console forces the terminal chat even when platform tokens are set (-console).
	Console bool
	// JSON prints one JSON object per reply in the terminal chat (-json).
	JSON bool
	// User is the terminal user's id; progress is kept under it (-user, BOT_CONSOLE_USER).
	User string
	// Locale is the terminal user's language, en or zh (-locale, BOT_LOCALE).
	Locale string

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
	// DiscordToken is recognised so that setting it is not silently ignored (DISCORD_TOKEN).
	DiscordToken string
}

// DefaultConfig is the configuration with nothing set: the terminal chat on embedded content.
func DefaultConfig() Config {
	return Config{DataDir: "./data", LogLevel: "info", User: "console", Locale: "en"}
}

// envVars documents each environment variable, in the order README's table lists them.
var envVars = []struct{ name, flag, help string }{
	{"BOT_CONTENT_DIR", "-content-dir", "directory of extra or overriding knowledge-base entries"},
	{"BOT_DATA_DIR", "-data-dir", "directory of the embedded progress store (default ./data)"},
	{"BOT_LOG_LEVEL", "-log-level", "debug, info, warn or error"},
	{"BOT_CONSOLE_USER", "-user", "terminal chat user id"},
	{"BOT_LOCALE", "-locale", "terminal chat language, en or zh"},
	{"TELEGRAM_TOKEN", "", "Telegram bot token from @BotFather (runs the Telegram adapter)"},
	{"TELEGRAM_API_ENDPOINT", "", "self-hosted Bot API endpoint, e.g. http://127.0.0.1:8081/bot%s/%s"},
	{"TELEGRAM_WEBHOOK_URL", "", "public HTTPS URL for webhook mode (default: long polling)"},
	{"TELEGRAM_WEBHOOK_LISTEN", "", "local address of the webhook server (default :8443)"},
	{"TELEGRAM_WEBHOOK_SECRET", "", "webhook secret, required with TELEGRAM_WEBHOOK_URL"},
}

// fromEnv applies the environment on top of c.
func (c *Config) fromEnv(getenv func(string) string) {
	set := func(dst *string, name string) {
		if v := strings.TrimSpace(getenv(name)); v != "" {
			*dst = v
		}
	}
	set(&c.ContentDir, "BOT_CONTENT_DIR")
	set(&c.DataDir, "BOT_DATA_DIR")
	set(&c.LogLevel, "BOT_LOG_LEVEL")
	set(&c.User, "BOT_CONSOLE_USER")
	set(&c.Locale, "BOT_LOCALE")
	set(&c.TelegramToken, "TELEGRAM_TOKEN")
	set(&c.TelegramEndpoint, "TELEGRAM_API_ENDPOINT")
	set(&c.TelegramWebhookURL, "TELEGRAM_WEBHOOK_URL")
	set(&c.TelegramWebhookListen, "TELEGRAM_WEBHOOK_LISTEN")
	set(&c.TelegramWebhookSecret, "TELEGRAM_WEBHOOK_SECRET")
	set(&c.DiscordToken, "DISCORD_TOKEN")
}

// flags registers the non-secret settings on fs, defaulting to c's current values.
func (c *Config) flags(fs *flag.FlagSet) {
	fs.StringVar(&c.ContentDir, "content-dir", c.ContentDir, "directory of extra or overriding entries (BOT_CONTENT_DIR)")
	fs.StringVar(&c.DataDir, "data-dir", c.DataDir, "directory of the embedded progress store (BOT_DATA_DIR)")
	fs.StringVar(&c.LogLevel, "log-level", c.LogLevel, "log level: debug, info, warn, error (BOT_LOG_LEVEL)")
	fs.BoolVar(&c.Console, "console", c.Console, "run the terminal chat even when platform tokens are set")
	fs.BoolVar(&c.JSON, "json", c.JSON, "terminal chat prints one JSON object per reply")
	fs.StringVar(&c.User, "user", c.User, "terminal chat user id (BOT_CONSOLE_USER)")
	fs.StringVar(&c.Locale, "locale", c.Locale, "terminal chat language: en or zh (BOT_LOCALE)")
}

// Validate reports every problem at once, each naming the setting to fix.
func (c Config) Validate() error {
	var errs []error
	if _, err := parseLevel(c.LogLevel); err != nil {
		errs = append(errs, fmt.Errorf("BOT_LOG_LEVEL / -log-level: %w", err))
	}
	if c.Locale != "en" && c.Locale != "zh" {
		errs = append(errs, fmt.Errorf("BOT_LOCALE / -locale: %q is not en or zh", c.Locale))
	}
	if strings.TrimSpace(c.DataDir) == "" {
		errs = append(errs, errors.New("BOT_DATA_DIR / -data-dir: must not be empty"))
	}
	if strings.TrimSpace(c.User) == "" {
		errs = append(errs, errors.New("BOT_CONSOLE_USER / -user: must not be empty"))
	}
	if c.TelegramToken != "" {
		if err := c.telegram(nil).Validate(); err != nil {
			errs = append(errs, err)
		}
	} else if c.TelegramWebhookURL != "" || c.TelegramWebhookSecret != "" {
		errs = append(errs, errors.New("TELEGRAM_WEBHOOK_URL / TELEGRAM_WEBHOOK_SECRET are set but TELEGRAM_TOKEN is not"))
	}
	if c.DiscordToken != "" {
		errs = append(errs, errors.New("DISCORD_TOKEN is set, but this release has no Discord adapter yet: unset it (Telegram and the terminal chat are available)"))
	}
	return errors.Join(errs...)
}

func parseLevel(s string) (slog.Level, error) {
	var l slog.Level
	if err := l.UnmarshalText([]byte(s)); err != nil {
		return 0, fmt.Errorf("%q is not debug, info, warn or error", s)
	}
	return l, nil
}

// newLogger writes structured logs to w (stderr), keeping stdout for the chat.
func newLogger(w io.Writer, level string) *slog.Logger {
	l, _ := parseLevel(level)
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: l}))
}

// telegram is the Telegram adapter's configuration.
func (c Config) telegram(log *slog.Logger) telegram.Config {
	return telegram.Config{
		Token: c.TelegramToken, Endpoint: c.TelegramEndpoint,
		WebhookURL: c.TelegramWebhookURL, WebhookListen: c.TelegramWebhookListen, WebhookSecret: c.TelegramWebhookSecret,
		Logger: log,
	}
}
