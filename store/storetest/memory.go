package storetest

import (
	"context"
	"slices"
	"sync"
	"time"

	"github.com/pybrarian/pybrarian/quiz"
)

// Memory is a complete Backend in memory, for tests of the packages that use a store: it passes
// the conformance suite, so what works on it works on the real stores. Its claims expire by Now.
type Memory struct {
	// Now is the clock claims expire by; tests replace it. Defaults to time.Now.
	Now func() time.Time
	// Fail, when set, is returned by every method, as a store that is down would.
	Fail error
	// BeforeReplace, when set, runs at the start of each Replace, outside the store's lock: a
	// test makes another writer act at that moment.
	BeforeReplace func(user string)

	mu      sync.Mutex
	users   map[string]*memUser
	boards  map[quiz.Board]*memBoard
	reports []quiz.Report
	chats   map[string]map[string]string
	claims  map[string]memClaim
	polls   map[string][]byte
	aside   map[string][][]byte
	commits int
	// challenges are the chats' group challenges; due is their runner index, kept apart as the
	// Redis store keeps it.
	challenges map[string]*memChallenge
	due        map[string]int64
	// community are the deployment's community FSRS weights.
	community []byte
	// tips are the chats' daily-tip subscriptions.
	tips map[string]*memTip
}

type memUser struct {
	version  uint64
	progress []byte
	cards    map[string][]byte
	settings map[string]string
	history  []byte
	params   []byte
}

type memBoard struct {
	points map[string]int
	names  map[string]string
	seen   map[string]bool
}

type memClaim struct {
	owner   string
	expires time.Time
}

// NewMemory returns an empty Memory.
func NewMemory() *Memory {
	return &Memory{
		Now: time.Now, users: map[string]*memUser{}, boards: map[quiz.Board]*memBoard{},
		chats: map[string]map[string]string{}, claims: map[string]memClaim{}, polls: map[string][]byte{},
		aside: map[string][][]byte{}, challenges: map[string]*memChallenge{}, due: map[string]int64{},
	}
}

var _ Backend = (*Memory)(nil)

// Commits counts successful commits, for tests that check how many writes an action costs.
func (m *Memory) Commits() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.commits
}

func (m *Memory) user(id string) *memUser {
	u := m.users[id]
	if u == nil {
		u = &memUser{cards: map[string][]byte{}, settings: map[string]string{}}
		m.users[id] = u
	}
	return u
}

// Load implements quiz.Store.
func (m *Memory) Load(ctx context.Context, user string, withCards bool) (quiz.Record, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.Fail != nil {
		return quiz.Record{}, m.Fail
	}
	var rec quiz.Record
	u := m.users[user]
	if u != nil {
		rec.Version, rec.Progress, rec.Params = u.version, slices.Clone(u.progress), slices.Clone(u.params)
	}
	if withCards {
		rec.Cards = map[string][]byte{}
		if u != nil {
			for id, st := range u.cards {
				rec.Cards[id] = slices.Clone(st)
			}
		}
	}
	return rec, nil
}

// Commit implements quiz.Store.
func (m *Memory) Commit(ctx context.Context, user string, w quiz.Write) (uint64, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.Fail != nil {
		return 0, m.Fail
	}
	u := m.user(user)
	if u.version != w.Expect {
		return 0, quiz.ErrConflict
	}
	u.version++
	u.progress = slices.Clone(w.Progress)
	for id, st := range w.Cards {
		u.cards[id] = slices.Clone(st)
	}
	if len(w.Review) > 0 {
		u.history = quiz.TrimHistory(append(u.history, w.Review...))
	}
	if c := w.Credit; c != nil {
		b := m.boards[c.Board]
		if b == nil {
			b = &memBoard{points: map[string]int{}, names: map[string]string{}, seen: map[string]bool{}}
			m.boards[c.Board] = b
		}
		if !b.seen[c.Answer] {
			b.seen[c.Answer] = true
			b.points[c.User] += c.Points
			b.names[c.User] = c.Name
		}
	}
	m.commits++
	return u.version, nil
}

// Replace implements quiz.Store.
func (m *Memory) Replace(ctx context.Context, user string, expect uint64, rec quiz.Record, history []byte) (uint64, error) {
	if m.BeforeReplace != nil {
		m.BeforeReplace(user)
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.Fail != nil {
		return 0, m.Fail
	}
	u := m.user(user)
	if u.version != expect {
		return 0, quiz.ErrConflict
	}
	u.version++
	u.progress, u.params = slices.Clone(rec.Progress), slices.Clone(rec.Params)
	u.cards = map[string][]byte{}
	for id, st := range rec.Cards {
		u.cards[id] = slices.Clone(st)
	}
	u.history = quiz.TrimHistory(slices.Clone(history))
	m.commits++
	return u.version, nil
}

// Forget implements quiz.Store.
func (m *Memory) Forget(ctx context.Context, user string, boards []quiz.Board) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.Fail != nil {
		return m.Fail
	}
	delete(m.users, user)
	for _, b := range boards {
		if mb := m.boards[b]; mb != nil {
			delete(mb.points, user)
			delete(mb.names, user)
		}
	}
	return nil
}

// SetParams implements quiz.Store.
func (m *Memory) SetParams(ctx context.Context, user string, params []byte) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.Fail != nil {
		return m.Fail
	}
	u := m.user(user)
	u.params = slices.Clone(params)
	u.version++
	return nil
}

// History implements quiz.Store.
func (m *Memory) History(ctx context.Context, user string) ([]byte, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.Fail != nil {
		return nil, m.Fail
	}
	if u := m.users[user]; u != nil && len(u.history) > 0 {
		return slices.Clone(u.history), nil
	}
	return nil, nil
}

// SetAside implements quiz.Store.
func (m *Memory) SetAside(ctx context.Context, user string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.Fail != nil {
		return m.Fail
	}
	if u := m.users[user]; u != nil {
		m.aside[user] = append(m.aside[user], slices.Clone(u.progress))
	}
	return nil
}

// Aside returns the records set aside for user.
func (m *Memory) Aside(user string) [][]byte {
	m.mu.Lock()
	defer m.mu.Unlock()
	return slices.Clone(m.aside[user])
}

// Top implements quiz.Leaderboards.
func (m *Memory) Top(ctx context.Context, b quiz.Board, n int, user string) ([]quiz.Standing, quiz.Standing, bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.Fail != nil {
		return nil, quiz.Standing{}, false, m.Fail
	}
	var all []quiz.Standing
	if mb := m.boards[b]; mb != nil {
		for u, p := range mb.points {
			all = append(all, quiz.Standing{User: u, Name: mb.names[u], Points: p})
		}
	}
	top, me, ok := quiz.Rank(all, n, user)
	return top, me, ok, nil
}

// AddReport implements quiz.Reports, keeping the newest 10,000 as the real stores do.
func (m *Memory) AddReport(ctx context.Context, r quiz.Report) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.Fail != nil {
		return m.Fail
	}
	m.reports = append(m.reports, r)
	if len(m.reports) > 10_000 {
		m.reports = slices.Clone(m.reports[len(m.reports)-10_000:])
	}
	return nil
}

// ListReports implements quiz.Reports.
func (m *Memory) ListReports(ctx context.Context, limit int) ([]quiz.Report, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.Fail != nil {
		return nil, m.Fail
	}
	var out []quiz.Report
	for i := len(m.reports) - 1; i >= 0 && len(out) < limit; i-- {
		out = append(out, m.reports[i])
	}
	return out, nil
}

// ChatSetting returns a chat's setting, "" when unset.
func (m *Memory) ChatSetting(ctx context.Context, chat, key string) (string, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.Fail != nil {
		return "", m.Fail
	}
	return m.chats[chat][key], nil
}

// SetChatSetting stores a chat's setting; "" removes it.
func (m *Memory) SetChatSetting(ctx context.Context, chat, key, value string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.Fail != nil {
		return m.Fail
	}
	if m.chats[chat] == nil {
		m.chats[chat] = map[string]string{}
	}
	setOrDelete(m.chats[chat], key, value)
	return nil
}

// UserSetting returns a learner's setting, "" when unset.
func (m *Memory) UserSetting(ctx context.Context, user, key string) (string, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.Fail != nil {
		return "", m.Fail
	}
	if u := m.users[user]; u != nil {
		return u.settings[key], nil
	}
	return "", nil
}

// SetUserSetting stores a learner's setting; "" removes it.
func (m *Memory) SetUserSetting(ctx context.Context, user, key, value string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.Fail != nil {
		return m.Fail
	}
	setOrDelete(m.user(user).settings, key, value)
	return nil
}

func setOrDelete(m map[string]string, key, value string) {
	if value == "" {
		delete(m, key)
	} else {
		m[key] = value
	}
}

// Claim takes key for owner until ttl has passed (renewing owner's own claim).
func (m *Memory) Claim(ctx context.Context, key, owner string, ttl time.Duration) (bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.Fail != nil {
		return false, m.Fail
	}
	now := m.Now()
	if c, ok := m.claims[key]; ok && now.Before(c.expires) && c.owner != owner {
		return false, nil
	}
	m.claims[key] = memClaim{owner: owner, expires: now.Add(ttl)}
	return true, nil
}

// Take removes the claim on key, whoever holds it, and returns its owner.
func (m *Memory) Take(ctx context.Context, key string) (string, bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.Fail != nil {
		return "", false, m.Fail
	}
	c, ok := m.claims[key]
	delete(m.claims, key)
	if !ok || !m.Now().Before(c.expires) {
		return "", false, nil
	}
	return c.owner, true, nil
}

// Release frees key while owner holds it.
func (m *Memory) Release(ctx context.Context, key, owner string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.Fail != nil {
		return m.Fail
	}
	if c, ok := m.claims[key]; ok && c.owner == owner && m.Now().Before(c.expires) {
		delete(m.claims, key)
	}
	return nil
}

// PutQuizPoll remembers what a Telegram quiz poll asks.
func (m *Memory) PutQuizPoll(ctx context.Context, id string, ref []byte) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.Fail != nil {
		return m.Fail
	}
	m.polls[id] = slices.Clone(ref)
	return nil
}

// QuizPoll returns what PutQuizPoll stored for id, or nil.
func (m *Memory) QuizPoll(ctx context.Context, id string) ([]byte, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.Fail != nil {
		return nil, m.Fail
	}
	return slices.Clone(m.polls[id]), nil
}

// SetFail makes every call fail with err (nil to recover), as a store going down and coming back.
func (m *Memory) SetFail(err error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.Fail = err
}

// CommunityParams implements quiz.ParamStore.
func (m *Memory) CommunityParams(ctx context.Context) ([]byte, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.Fail != nil {
		return nil, m.Fail
	}
	return slices.Clone(m.community), nil
}

// SetCommunityParams implements quiz.ParamStore.
func (m *Memory) SetCommunityParams(ctx context.Context, params []byte) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.Fail != nil {
		return m.Fail
	}
	m.community = slices.Clone(params)
	return nil
}

// Learners implements quiz.RefitStore: every learner with a history, in order.
func (m *Memory) Learners(ctx context.Context, fn func(user string) error) error {
	m.mu.Lock()
	if m.Fail != nil {
		m.mu.Unlock()
		return m.Fail
	}
	var users []string
	for u, r := range m.users {
		if len(r.history) > 0 {
			users = append(users, u)
		}
	}
	m.mu.Unlock()
	slices.Sort(users)
	for _, u := range users {
		if err := fn(u); err != nil {
			return err
		}
	}
	return nil
}
