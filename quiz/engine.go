package quiz

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"hash/fnv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/pybrarian/pybrarian/content"
	"github.com/pybrarian/pybrarian/quiz/fsrs"
)

// Config is what an Engine needs.
type Config struct {
	Bank  *Bank
	Store Store
	// Boards and Reports are usually the same value as Store; nil disables /leaderboard or /report.
	Boards  Leaderboards
	Reports Reports
	// Params are the FSRS parameters; zero means fsrs.DefaultParameters() with fuzz on.
	Params *fsrs.Parameters
	// CacheSize bounds how many learners' progress records are kept in memory (default 10,000).
	CacheSize int
	// CacheTTL is how long a cached record is trusted for reads that do not write (default 1 min).
	// Writes are always checked against the store's version, so a stale cache costs a retry, never
	// a lost or doubled answer.
	CacheTTL time.Duration
}

// Engine runs quizzes. It is safe for concurrent use, and several Engines (replicas) may share one
// Store: every change is a compare-and-set on the learner's record version.
type Engine struct {
	bank    *Bank
	store   Store
	boards  Leaderboards
	reports Reports
	sched   *fsrs.Scheduler
	cache   *recordCache
	locks   [256]sync.Mutex
	// downUntil (Unix ms) skips optional store reads for a moment after a failure, so lookups
	// stay fast while the store is down.
	downUntil atomic.Int64
}

// NewEngine builds an Engine.
func NewEngine(cfg Config) (*Engine, error) {
	if cfg.Bank == nil || cfg.Store == nil {
		return nil, errors.New("quiz: Config.Bank and Config.Store are required")
	}
	p := fsrs.DefaultParameters()
	p.Fuzz = true
	if cfg.Params != nil {
		p = *cfg.Params
	}
	sched, err := fsrs.NewScheduler(p)
	if err != nil {
		return nil, err
	}
	if cfg.CacheSize <= 0 {
		cfg.CacheSize = 10_000
	}
	if cfg.CacheTTL <= 0 {
		cfg.CacheTTL = time.Minute
	}
	return &Engine{
		bank: cfg.Bank, store: cfg.Store, boards: cfg.Boards, reports: cfg.Reports, sched: sched,
		cache: newRecordCache(cfg.CacheSize, cfg.CacheTTL),
	}, nil
}

// Bank returns the cards the engine quizzes on.
func (e *Engine) Bank() *Bank { return e.bank }

// User identifies who is answering and where.
type User struct {
	Key   string // "telegram:42": the key progress is stored under
	Name  string // display name, for leaderboards
	Chat  string // chat key the message came from
	Group bool   // the chat is a group: correct answers earn leaderboard points there
}

// Errors the engine returns for answers it does not grade. The core turns each into a short notice.
var (
	ErrNoRound      = errors.New("quiz: no round in play")
	ErrStale        = errors.New("quiz: question from an earlier round")
	ErrAnswered     = errors.New("quiz: question already answered")
	ErrNotYours     = errors.New("quiz: question belongs to another learner")
	ErrBadChoice    = errors.New("quiz: malformed choice")
	ErrNoCardToFlag = errors.New("quiz: no card to report")
)

// OutOfRangeError is an answer number outside the question's choices.
type OutOfRangeError struct{ Max int }

func (e *OutOfRangeError) Error() string { return fmt.Sprintf("quiz: pick 1 to %d", e.Max) }

// NothingDueError says a round cannot start because no card is due or new; Next is when the earliest
// card falls due (zero when the learner has no cards at all in scope).
type NothingDueError struct{ Next time.Time }

func (e *NothingDueError) Error() string { return "quiz: nothing due until " + e.Next.String() }

func (e *Engine) lock(user string) func() {
	h := fnv.New32a()
	h.Write([]byte(user))
	m := &e.locks[h.Sum32()%uint32(len(e.locks))]
	m.Lock()
	return m.Unlock
}

// progress returns the learner's record without card states, from the cache when it is fresh.
func (e *Engine) progress(ctx context.Context, user string, now time.Time) (uint64, Progress, error) {
	if v, p, ok := e.cache.get(user, now); ok {
		return v, p, nil
	}
	if now.UnixMilli() < e.downUntil.Load() {
		return 0, Progress{}, fmt.Errorf("quiz: store failed moments ago, not retrying yet: %w", ErrUnavailable)
	}
	rec, p, err := e.load(ctx, user, false, now)
	return rec.Version, p, err
}

// load reads the learner's record from the store, decodes its progress and caches it. A store
// that is unavailable is remembered for a moment, so reads that can wait (progress) fail fast.
func (e *Engine) load(ctx context.Context, user string, withCards bool, now time.Time) (Record, Progress, error) {
	rec, err := e.store.Load(ctx, user, withCards)
	if err != nil {
		if errors.Is(err, ErrUnavailable) {
			e.markDown(now)
		}
		return Record{}, Progress{}, err
	}
	p, err := DecodeProgress(rec.Progress)
	if err != nil {
		return Record{}, Progress{}, err
	}
	e.cache.put(user, rec.Version, p, now)
	return rec, p, nil
}

// newWriteID tags one commit attempt, so a retry that finds its own earlier attempt can tell.
func newWriteID() string {
	var b [6]byte
	rand.Read(b[:])
	return base64.RawURLEncoding.EncodeToString(b[:])
}

func (e *Engine) markDown(now time.Time) { e.downUntil.Store(now.Add(5 * time.Second).UnixMilli()) }

// update runs a read-modify-write of the learner's record: f gets the current record and progress,
// changes the progress in place and returns the rest of the write (card states, credit), or nil to
// write nothing. update encodes the progress with a fresh write id and commits. On a concurrent
// change it reloads and runs f once more, so f must be a pure function of its arguments.
func (e *Engine) update(ctx context.Context, user string, now time.Time, withCards bool,
	f func(rec Record, p *Progress) (*Write, error)) error {
	for attempt := 0; ; attempt++ {
		var rec Record
		var p Progress
		var err error
		if withCards || attempt > 0 {
			rec, p, err = e.load(ctx, user, withCards, now)
		} else {
			rec.Version, p, err = e.progress(ctx, user, now)
		}
		if err != nil {
			return err
		}
		w, err := f(rec, &p)
		if err != nil || w == nil {
			return err
		}
		p.WriteID = newWriteID()
		w.Expect, w.Progress = rec.Version, EncodeProgress(p)
		v, err := e.store.Commit(ctx, user, *w)
		switch {
		case err == nil:
			e.cache.own(user, v, p, now) // p is not used after this
			return nil
		case errors.Is(err, ErrConflict) && attempt == 0:
			e.cache.drop(user)
			// A write retried after a lost reply finds its own first attempt and reports a
			// conflict: recognise it by its write id, so the learner gets the feedback for the
			// answer that counted (a twin request that lost the race does not match).
			if cur, lerr := e.store.Load(ctx, user, false); lerr == nil && cur.Version == w.Expect+1 && bytes.Equal(cur.Progress, w.Progress) {
				e.cache.put(user, cur.Version, p, now)
				return nil
			}
			continue
		default:
			e.cache.drop(user)
			if errors.Is(err, ErrUnavailable) {
				e.markDown(now)
			}
			return err
		}
	}
}

// Lang returns the learner's /lang override, or "" to follow the platform. It never fails: while the
// store is unreachable it answers "" at once, so lookups keep working.
func (e *Engine) Lang(ctx context.Context, user string, now time.Time) content.Lang {
	_, p, err := e.progress(ctx, user, now)
	if err != nil {
		return ""
	}
	return content.Lang(p.Lang)
}

// SetLang stores the learner's language override; "" returns to the platform locale.
func (e *Engine) SetLang(ctx context.Context, user string, lang content.Lang, now time.Time) error {
	defer e.lock(user)()
	return e.update(ctx, user, now, false, func(rec Record, p *Progress) (*Write, error) {
		if p.Lang == string(lang) {
			return nil, nil
		}
		p.Lang = string(lang)
		return &Write{}, nil
	})
}

// Forget deletes everything the engine stores about the learner.
func (e *Engine) Forget(ctx context.Context, user string, now time.Time) error {
	defer e.lock(user)()
	_, p, err := e.load(ctx, user, false, now)
	if err != nil {
		return err
	}
	var boards []Board
	for _, b := range p.Boards {
		boards = append(boards, parseBoard(b))
	}
	e.cache.drop(user)
	return e.store.Forget(ctx, user, boards)
}

// Report stores a learner's flag on the card they answered last (or are answering now).
func (e *Engine) Report(ctx context.Context, u User, platform string, lang content.Lang, text string, now time.Time) (*Card, error) {
	if e.reports == nil {
		return nil, ErrUnavailable
	}
	_, p, err := e.progress(ctx, u.Key, now)
	if err != nil {
		return nil, err
	}
	id := p.LastCard
	if r := p.Round; r != nil && r.Pos < len(r.Items) && id == "" {
		id = r.Items[r.Pos].Card
	}
	c := e.bank.Card(id)
	if c == nil {
		return nil, ErrNoCardToFlag
	}
	err = e.reports.AddReport(ctx, Report{Card: c.ID, Entry: c.Entry, Lang: string(lang), Text: text, Platform: platform, Time: now})
	return c, err
}
