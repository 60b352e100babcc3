// Package redis is Pybrarian's production progress store: Redis through go-redis, on one server
// or a Redis Cluster, shared by any number of bot replicas. It passes the same conformance suite as
// the embedded store (store/bolt) and stores exactly the same bytes.
//
// # Key schema
//
// Every key starts with the prefix (REDIS_PREFIX, default "pyb") so several bots can share a Redis.
// All keys of one learner share the hash tag {<user>}, and all keys of one chat the tag
// {chat:<chat>}, so every multi-key operation stays on one Cluster slot:
//
//	pyb:{telegram:42}:rec                     hash  v = record version, p = encoded progress
//	pyb:{telegram:42}:cards                   hash  card id (6 bytes) -> packed card state (18 bytes)
//	pyb:{chat:telegram:-100}:lb:2026-W48      zset  user -> points this ISO week
//	pyb:{chat:telegram:-100}:lbn:2026-W48     hash  user -> display name
//	pyb:{chat:telegram:-100}:lbs:2026-W48     set   digests of credited answers (a retry never counts twice)
//	pyb:{chat:telegram:-100}:set              hash  chat setting -> value
//	pyb:{chat:telegram:-100}:ch               hash  the chat's group challenge: v version, s state,
//	                                                id, pos (question taking answers, -1 none),
//	                                                dl (its last Unix ms), n (answers it has)
//	pyb:{chat:telegram:-100}:chp:<id>:<pos>   hash  user -> answer to question pos ("choice|ms|name")
//	pyb:challenges:due                        zset  chat -> Unix ms its challenge next needs the runner
//	pyb:{tips}:subs                           hash  chat -> its daily-tip subscription (tip.EncodeSubscription)
//	pyb:{tips}:due                            zset  chat -> Unix ms of its next tip (unclaimed)
//	pyb:{tips}:leased                         zset  chat -> Unix ms a scheduler's claim on it lapses
//	pyb:{tips}:was                            hash  chat -> Unix ms of the tip a claimed subscription is making
//	pyb:reports                               list  JSON card reports, newest first, at most 10,000
//	pyb:poll:<poll id>                        string what a Telegram quiz poll asks, for a week
//	pyb:{limit}:<rate key>                    string a rate limit's GCRA theoretical arrival time, in
//	                                                µs on the server's clock (telegram:global,
//	                                                telegram:chat:<id>, discord:global, fanout, …);
//	                                                expires once its budget is whole again
//
// The three leaderboard keys expire five weeks after their last credit. The credited-answer set
// holds a digest of each answer id rather than the id itself, because answer ids contain the user
// key and /forget must leave nothing of the learner behind. A challenge's keys expire three
// hours after its last change (quiz.ChallengeTTL), and are deleted when it ends. No request uses
// KEYS or SCAN.
//
// A learner's card hash stays in Redis's compact listpack encoding (about 30 bytes a card) while
// it has at most hash-max-listpack-entries cards, 512 by default; past that Redis converts it to a
// hashtable at about 70 bytes a card. The bank has about a thousand cards, so set
// hash-max-listpack-entries 1024 on a Redis whose learners go that far.
//
// # Round trips
//
// Recording an answer is one Lua script (EVALSHA, or EVAL once after a Redis restart emptied the
// script cache) that checks the record version, writes progress and card states and, on a single
// Redis, credits the chat's leaderboard: one round trip. On a Cluster the chat's keys live on
// another slot, so the credit is a second, idempotent script run after the learner's write
// succeeded.
//
// A rate-limit reservation (bot.Limiter) is one script over every budget a message spends from,
// all of them under the one hash tag {limit}, so on a Cluster too it is atomic and one round trip
// (see limitTag for why they share a slot).
//
// A press of a group challenge's button is one script on the chat's slot: it checks that the
// question is the open one and its deadline not past, records the player's first answer
// (HSETNX) and counts it, in one round trip.
//
// # Failures
//
// A Redis that is down, slow, loading or failing over yields errors that wrap quiz.ErrUnavailable,
// within the configured dial, read and write timeouts; the store recovers by itself when Redis
// returns. Open does not fail when Redis is down. The store logs nothing: every failure reaches the
// caller as an error, and go-redis's own logger (process-wide, and this package is the only user of
// go-redis) is silenced so that an outage does not also print a line per failed dial.
package redis

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	goredis "github.com/redis/go-redis/v9"
	"github.com/redis/go-redis/v9/maintnotifications"

	"github.com/pybrarian/pybrarian/quiz"
)

// Defaults for the zero Config fields.
const (
	DefaultPrefix  = "pyb"
	DefaultTimeout = 500 * time.Millisecond
)

// Config selects and tunes the Redis connection.
type Config struct {
	// URL is one Redis (REDIS_URL): redis://[user:password@]host[:port][/db], or rediss:// for TLS.
	URL string
	// ClusterAddrs are Redis Cluster seed nodes as host:port (REDIS_CLUSTER_ADDRS); they select
	// Cluster mode. URL may be set too, to give the cluster's user, password and TLS (rediss://);
	// its host is then ignored and its database must be 0, the only one a cluster has.
	ClusterAddrs []string
	// Prefix starts every key (REDIS_PREFIX); default DefaultPrefix. It must not contain braces,
	// which would change the keys' hash tags.
	Prefix string
	// Timeouts for connecting and for each socket read and write; zero means the URL's
	// dial_timeout, read_timeout or write_timeout parameter if it has one, else DefaultTimeout.
	// A command that needs progress fails with quiz.ErrUnavailable within about twice these.
	DialTimeout, ReadTimeout, WriteTimeout time.Duration
	// PoolSize is the number of connections per Redis node; zero means go-redis's default (ten per
	// CPU).
	PoolSize int
}

// Validate reports every problem with c at once, naming the environment variables they come from.
func (c Config) Validate() error {
	var errs []error
	if c.URL == "" && len(c.ClusterAddrs) == 0 {
		errs = append(errs, errors.New("redis: set REDIS_URL (redis://host:6379/0) or REDIS_CLUSTER_ADDRS (host:port,host:port,...)"))
	}
	if c.URL != "" {
		opt, err := parseURL(c.URL)
		switch {
		case err != nil:
			errs = append(errs, err)
		case len(c.ClusterAddrs) > 0 && opt.DB != 0:
			errs = append(errs, errors.New("redis: REDIS_URL names database "+strconv.Itoa(opt.DB)+", but a cluster (REDIS_CLUSTER_ADDRS) has only database 0"))
		}
	}
	for _, a := range c.ClusterAddrs {
		host, port, err := net.SplitHostPort(a)
		if n, perr := strconv.Atoi(port); err != nil || host == "" || perr != nil || n <= 0 || n > 65535 {
			errs = append(errs, fmt.Errorf("redis: REDIS_CLUSTER_ADDRS: %q is not host:port", a))
		}
	}
	if strings.ContainsAny(c.Prefix, "{} \t\r\n") {
		errs = append(errs, fmt.Errorf("redis: REDIS_PREFIX %q must not contain braces or spaces", c.Prefix))
	}
	for _, d := range []struct {
		name string
		v    time.Duration
	}{{"dial timeout", c.DialTimeout}, {"read timeout", c.ReadTimeout}, {"write timeout", c.WriteTimeout}} {
		if d.v < 0 {
			errs = append(errs, fmt.Errorf("redis: %s %v must not be negative", d.name, d.v))
		}
	}
	if c.PoolSize < 0 {
		errs = append(errs, fmt.Errorf("redis: pool size %d must not be negative", c.PoolSize))
	}
	return errors.Join(errs...)
}

// parseURL parses REDIS_URL without ever echoing it: it may hold a password.
func parseURL(raw string) (*goredis.Options, error) {
	u, err := url.Parse(raw)
	if err != nil {
		var uerr *url.Error
		if errors.As(err, &uerr) {
			err = uerr.Err
		}
		return nil, fmt.Errorf("redis: REDIS_URL is not a valid URL: %v", err)
	}
	if u.Scheme != "redis" && u.Scheme != "rediss" {
		return nil, fmt.Errorf("redis: REDIS_URL must start with redis:// or rediss:// (TLS), not %q", u.Scheme+"://")
	}
	if p := u.Port(); p != "" {
		if n, err := strconv.Atoi(p); err != nil || n < 1 || n > 65535 {
			return nil, fmt.Errorf("redis: REDIS_URL: port %s is out of range (1-65535)", p)
		}
	}
	opt, err := goredis.ParseURL(raw)
	if err != nil {
		return nil, fmt.Errorf("redis: REDIS_URL: %v", strings.TrimPrefix(err.Error(), "redis: "))
	}
	return opt, nil
}

// Store is the Redis store. It is safe for concurrent use.
type Store struct {
	client  goredis.UniversalClient
	keys    keys
	cluster bool
	// setting names the environment variable that configured the connection, for error messages.
	setting string
	// timeout is how long one command may take from the client's side, retries included: a
	// commit that reaches Redis later than that is refused (see Commit).
	timeout time.Duration
	// creditBudget bounds the separate credit on a Cluster, retries included.
	creditBudget time.Duration
	// lostCredits counts leaderboard credits dropped on a Cluster after the learner's own write
	// succeeded and every retry of the credit failed.
	lostCredits atomic.Uint64
}

var (
	_ quiz.Store        = (*Store)(nil)
	_ quiz.Leaderboards = (*Store)(nil)
	_ quiz.Reports      = (*Store)(nil)
)

// Open connects to the Redis or Cluster c names. It fails only on a bad Config: when Redis is down
// it returns a working Store whose methods report quiz.ErrUnavailable until Redis is back. It pings
// once, within ctx and the dial and read timeouts, to have a connection ready; Ping tells whether
// Redis answers.
func Open(ctx context.Context, c Config) (*Store, error) {
	if err := c.Validate(); err != nil {
		return nil, err
	}
	if c.Prefix == "" {
		c.Prefix = DefaultPrefix
	}
	quietLibrary.Do(func() { goredis.SetLogger(discard{}) })
	// Retries are bounded so that a Redis that is down or hung fails a request promptly: one dial
	// attempt per connection, and one retry of a command (on a fresh connection, which is what
	// recovers a pool of connections broken by a Redis restart). Retrying a Commit is safe: a
	// retry of a write that did land finds the version moved and returns ErrConflict.
	const maxRetries, dialAttempts = 1, 1
	noMaint := &maintnotifications.Config{Mode: maintnotifications.ModeDisabled}
	s := &Store{keys: keys{prefix: c.Prefix}, cluster: len(c.ClusterAddrs) > 0, setting: "REDIS_URL"}
	if s.cluster && c.URL == "" {
		s.setting = "REDIS_CLUSTER_ADDRS"
	}
	if s.cluster {
		dial, read, write := orDefault(c.DialTimeout, 0), orDefault(c.ReadTimeout, 0), orDefault(c.WriteTimeout, 0)
		s.creditBudget = dial + read + write
		s.timeout = (maxRetries + 1) * (dial + read + write)
		opts := &goredis.ClusterOptions{
			Addrs:                    c.ClusterAddrs,
			DialTimeout:              dial,
			ReadTimeout:              read,
			WriteTimeout:             write,
			PoolSize:                 c.PoolSize,
			MaxRetries:               maxRetries,
			DialerRetries:            dialAttempts,
			MaintNotificationsConfig: noMaint,
		}
		if c.URL != "" { // credentials and TLS for the cluster's nodes
			u, _ := parseURL(c.URL) // Validate checked it
			opts.Username, opts.Password, opts.TLSConfig = u.Username, u.Password, u.TLSConfig
		}
		s.client = goredis.NewClusterClient(opts)
	} else {
		opt, _ := parseURL(c.URL) // Validate checked it
		opt.DialTimeout = orDefault(c.DialTimeout, opt.DialTimeout)
		opt.ReadTimeout = orDefault(c.ReadTimeout, opt.ReadTimeout)
		opt.WriteTimeout = orDefault(c.WriteTimeout, opt.WriteTimeout)
		if c.PoolSize > 0 {
			opt.PoolSize = c.PoolSize
		}
		opt.MaxRetries = maxRetries
		opt.DialerRetries = dialAttempts
		opt.MaintNotificationsConfig = noMaint
		s.timeout = (maxRetries + 1) * (opt.DialTimeout + opt.ReadTimeout + opt.WriteTimeout)
		s.client = goredis.NewClient(opt)
	}
	s.Ping(ctx)
	return s, nil
}

var quietLibrary sync.Once

// discard is a go-redis logger that drops everything.
type discard struct{}

func (discard) Printf(context.Context, string, ...any) {}

// orDefault is v if set, else fromURL if set, else DefaultTimeout.
func orDefault(v, fromURL time.Duration) time.Duration {
	switch {
	case v > 0:
		return v
	case fromURL > 0:
		return fromURL
	}
	return DefaultTimeout
}

// Ping checks that Redis answers; the error wraps quiz.ErrUnavailable when it does not.
func (s *Store) Ping(ctx context.Context) error {
	if err := s.client.Ping(ctx).Err(); err != nil {
		return fail("ping", err)
	}
	return nil
}

// Check is Ping for start-up: a refusal no retry will cure (a wrong password, a database number
// Redis does not have, missing permissions) returns an error wrapping ErrConfig that names the
// setting to fix; an outage returns an error wrapping quiz.ErrUnavailable, and the bot may start
// anyway.
func (s *Store) Check(ctx context.Context) error {
	err := s.client.Ping(ctx).Err()
	if err == nil {
		// Ping needs no permission on our keys; a script run does.
		err = s.client.Eval(ctx, "return 1", []string{s.keys.claim("check")}).Err()
	}
	if err == nil {
		return nil
	}
	if cerr := configError(s.setting, err); cerr != nil {
		return cerr
	}
	return fail("check", err)
}

// Close closes every connection. The Store must not be used afterwards.
func (s *Store) Close() error { return s.client.Close() }

// AddHook installs a go-redis hook on the client, for tests and benchmarks that count round trips.
// On a Cluster the hook sees commands and pipelines as the application issues them.
func (s *Store) AddHook(h goredis.Hook) { s.client.AddHook(h) }

// LostCredits returns how many leaderboard credits were dropped on a Cluster because the chat's
// node stayed unreachable after the learner's answer was recorded. It is always 0 on one Redis,
// where the credit is part of the answer's own write.
func (s *Store) LostCredits() uint64 { return s.lostCredits.Load() }

// keys builds the key schema of the package documentation.
type keys struct{ prefix string }

func (k keys) user(user, kind string) string { return k.prefix + ":{" + user + "}:" + kind }
func (k keys) rec(user string) string        { return k.user(user, "rec") }
func (k keys) cards(user string) string      { return k.user(user, "cards") }

func (k keys) chat(chat, kind string) string { return k.prefix + ":{chat:" + chat + "}:" + kind }
func (k keys) settings(chat string) string   { return k.chat(chat, "set") }

// board returns the points, names and credited-answer keys of b.
func (k keys) board(b quiz.Board) (points, names, seen string) {
	return k.chat(b.Chat, "lb:"+b.Week), k.chat(b.Chat, "lbn:"+b.Week), k.chat(b.Chat, "lbs:"+b.Week)
}

func (k keys) reports() string { return k.prefix + ":reports" }
