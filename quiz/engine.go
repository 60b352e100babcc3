package quiz

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"hash/fnv"
	"slices"
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
	// Params are the FSRS parameters; zero means fsrs.DefaultParameters() with fuzz on. A
	// learner's own weights, or the community's, replace the weights and keep the rest.
	Params *fsrs.Parameters
	// Community keeps the deployment's community weights; nil uses none.
	Community ParamStore
	// CacheSize bounds how many learners' records are kept in memory (default 10,000).
	CacheSize int
	// CacheTTL bounds how long a cached record may serve as the starting point of a write (default
	// 1 min). A cached record is never trusted on its own: every write is a compare-and-set on the
	// record version, and every refusal decided from the cache is checked against a fresh read, so
	// a record another replica changed costs one extra read, never a wrong or doubled answer.
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
	scheds  *schedulers
	params  ParamStore
	cache   *recordCache
	links   *linkCache
	locks   [256]sync.Mutex
	unknown outcomes
	busy    atomic.Uint64
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
		scheds: &schedulers{base: p}, params: cfg.Community,
		cache: newRecordCache(cfg.CacheSize, cfg.CacheTTL), links: newLinkCache(cfg.CacheSize),
	}, nil
}

// Bank returns the cards the engine quizzes on.
func (e *Engine) Bank() *Bank { return e.bank }

// Busy counts answers refused with ErrBusy since the engine started: a figure operators watch,
// since a steady rise means replicas fight over the same learners.
func (e *Engine) Busy() uint64 { return e.busy.Load() }

// User identifies who is answering and where.
type User struct {
	Key   string // "telegram:42": the key progress is stored under
	Name  string // display name, for leaderboards
	Chat  string // chat key the message came from
	Group bool   // the chat is a group: correct answers earn leaderboard points there
	// Zone is the learner's time zone (nil: UTC): a streak day ends at their own midnight.
	Zone *time.Location
}

// Errors the engine returns for answers it does not grade. The core turns each into a short notice.
var (
	ErrNoRound      = errors.New("quiz: no round in play")
	ErrStale        = errors.New("quiz: question from an earlier round")
	ErrAnswered     = errors.New("quiz: question already answered")
	ErrNotYours     = errors.New("quiz: question belongs to another learner")
	ErrBadChoice    = errors.New("quiz: malformed choice")
	ErrNoCardToFlag = errors.New("quiz: no card to report")
	// ErrBusy means the learner's record kept changing under the engine (two replicas answering
	// for the same learner at once): nothing was written, and trying again will work.
	ErrBusy = errors.New("quiz: record busy, try again")
	// ErrCorrupt means the learner's stored record cannot be read. Only /forget helps; it keeps the
	// unreadable record aside for the operator.
	ErrCorrupt = errors.New("quiz: stored progress cannot be read")
)

// refusal reports whether err declines an answer for a reason the learner's record decided, which
// must then be checked against a fresh read before the learner is told.
func refusal(err error) bool {
	var oor *OutOfRangeError
	return errors.Is(err, ErrNoRound) || errors.Is(err, ErrStale) || errors.Is(err, ErrAnswered) ||
		errors.Is(err, ErrBadChoice) || errors.As(err, &oor) || errors.Is(err, errNotAChoice)
}

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

// loadKey reads the record stored under key, decodes its progress and caches it.
func (e *Engine) loadKey(ctx context.Context, key string, withCards bool, now time.Time) (Record, Progress, error) {
	rec, err := e.store.Load(ctx, key, withCards)
	if err != nil {
		return Record{}, Progress{}, err
	}
	p, err := DecodeProgress(rec.Progress)
	if err != nil {
		e.cache.drop(key)
		return Record{}, Progress{}, fmt.Errorf("%w: %s: %w", ErrCorrupt, key, err)
	}
	e.cache.put(key, rec.Version, p, rec.Params, now)
	return rec, p, nil
}

// load reads the progress of the learner the identity ("telegram:42") belongs to, and returns the
// key it is stored under: the identity's own, or since /link another identity's. The key this
// replica last knew is tried first; a record that says the progress is elsewhere (moved away, or
// no longer listing the identity) is followed to where it is now.
func (e *Engine) load(ctx context.Context, identity string, withCards bool, now time.Time) (string, Record, Progress, error) {
	key := e.links.get(identity)
	for hops := 0; ; hops++ {
		rec, p, err := e.loadKey(ctx, key, withCards, now)
		if err != nil {
			return key, Record{}, Progress{}, err
		}
		next, ok := belongs(identity, key, p)
		if ok {
			e.links.set(identity, key)
			return key, rec, p, nil
		}
		if hops == maxHops {
			return key, Record{}, Progress{}, fmt.Errorf("%w: %s: links do not lead to a learner", ErrCorrupt, identity)
		}
		key = next
	}
}

// newWriteID tags one commit attempt, so a retry that finds its own earlier attempt can tell.
func newWriteID() string {
	var b [6]byte
	rand.Read(b[:])
	return base64.RawURLEncoding.EncodeToString(b[:])
}

// change is one read-modify-write of a learner's record. f gets the record and the decoded
// progress, changes the progress in place and returns the rest of the write (card states, credit),
// or nil to write nothing. f may run more than once: after a refusal decided from a cached record,
// and after a conflict, it runs again on a fresh read, so everything it reports to its caller must
// be assigned on each run, never accumulated across runs.
type change func(rec Record, p *Progress) (*Write, error)

// update runs f on the progress of the learner the identity belongs to and commits its write as
// a compare-and-set on the record version. It starts from the cached record when there is one
// (one round trip in the common case) unless withCards asks for card states; a refusal or a
// conflict on that basis is retried on a fresh read. A second conflict on fresh reads returns
// ErrBusy. A commit that failed in a way that may have written it anyway (a timeout) returns an
// *unknownOutcome. A record found to belong elsewhere (a /link on another replica) is followed.
func (e *Engine) update(ctx context.Context, identity string, now time.Time, withCards bool, f change) error {
	for hops := 0; ; hops++ {
		err := e.updateOnce(ctx, identity, now, withCards, f)
		var moved *movedError
		if !errors.As(err, &moved) {
			return err
		}
		e.links.set(identity, moved.to)
		if hops == maxHops {
			return fmt.Errorf("%w: %s: links do not lead to a learner", ErrCorrupt, identity)
		}
	}
}

func (e *Engine) updateOnce(ctx context.Context, identity string, now time.Time, withCards bool, f change) error {
	var rec Record
	var p Progress
	key := e.links.get(identity)
	fresh := true
	if v, cached, params, ok := e.cache.get(key, now); ok && !withCards {
		if _, mine := belongs(identity, key, cached); mine {
			rec.Version, rec.Params, p, fresh = v, params, cached, false
		}
	}
	if fresh {
		var err error
		if key, rec, p, err = e.load(ctx, identity, withCards, now); err != nil {
			return err
		}
	}
	// reload reads the record under key again; one that no longer holds the identity's progress
	// sends update after it.
	reload := func() (Record, Progress, error) {
		cur, curP, err := e.loadKey(ctx, key, withCards, now)
		if err != nil {
			return cur, curP, err
		}
		if to, mine := belongs(identity, key, curP); !mine {
			return cur, curP, &movedError{to: to}
		}
		return cur, curP, nil
	}
	conflicts := 0
	for {
		w, err := f(rec, &p)
		if err != nil && !fresh && refusal(err) {
			if rec, p, err = reload(); err != nil {
				return err
			}
			fresh = true
			continue
		}
		if err != nil || w == nil {
			return err
		}
		p.WriteID = newWriteID()
		w.Expect, w.Progress = rec.Version, EncodeProgress(p)
		v, err := e.store.Commit(ctx, key, *w)
		switch {
		case err == nil:
			e.cache.own(key, v, p, rec.Params, now) // p is not used after this
			return nil
		case errors.Is(err, ErrConflict):
			e.cache.drop(key)
			cur, curP, lerr := reload()
			if lerr != nil {
				return lerr
			}
			// A write retried after a lost reply finds its own first attempt and reports a
			// conflict: recognise it by its write id, so the learner gets the feedback for the
			// answer that counted (a twin request that lost the race does not match).
			if cur.Version == w.Expect+1 && bytes.Equal(cur.Progress, w.Progress) {
				return nil
			}
			if fresh {
				conflicts++
			}
			if conflicts == 2 {
				e.busy.Add(1)
				return ErrBusy
			}
			rec, p, fresh = cur, curP, true
		default:
			e.cache.drop(key)
			if errors.Is(err, ErrUnavailable) {
				// The write may have landed before the store went quiet.
				return &unknownOutcome{writeID: p.WriteID, err: err}
			}
			return err
		}
	}
}

// Forget deletes everything the engine stores about the learner, on every identity /link joined
// to them. A record that cannot be read is first set aside for the operator (its leaderboard
// places cannot be found without it).
func (e *Engine) Forget(ctx context.Context, user string, now time.Time) error {
	defer e.lock(user)()
	key, _, p, err := e.load(ctx, user, false, now)
	if errors.Is(err, ErrCorrupt) {
		if err := e.store.SetAside(ctx, key); err != nil {
			return err
		}
	} else if err != nil {
		return err
	}
	var boards []Board
	for _, b := range p.Boards {
		boards = append(boards, parseBoard(b))
	}
	// The linked identities go first: should this stop half-way, what is left still leads to
	// the learner, and forgetting again finishes the job.
	for _, id := range append(slices.Clone(p.Links), key) {
		e.cache.drop(id)
		e.links.drop(id)
		e.unknown.take(id)
		if err := e.store.Forget(ctx, id, boards); err != nil {
			return err
		}
	}
	e.links.drop(user)
	e.unknown.take(user)
	return nil
}

// Report stores a learner's flag on the card they answered last (or are answering now). It reads
// the learner's record fresh: a cached one may not know the card they just saw on another replica.
func (e *Engine) Report(ctx context.Context, u User, platform string, lang content.Lang, text string, now time.Time) (*Card, error) {
	if e.reports == nil {
		return nil, ErrUnavailable
	}
	_, _, p, err := e.load(ctx, u.Key, false, now)
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
