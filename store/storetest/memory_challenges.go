package storetest

import (
	"context"
	"slices"
	"strings"
	"time"

	"github.com/pybrarian/pybrarian/quiz"
)

// memChallenge is one chat's challenge in Memory.
type memChallenge struct {
	version uint64
	state   []byte
	id      string
	open    int // the question taking answers, -1 for none
	until   int64
	answers int
	presses map[int]map[string][]byte // question -> user -> quiz.PackPress
}

// LoadChallenge implements quiz.ChallengeStore.
func (m *Memory) LoadChallenge(ctx context.Context, chat string) (quiz.ChallengeRecord, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.Fail != nil {
		return quiz.ChallengeRecord{}, m.Fail
	}
	c := m.challenges[chat]
	if c == nil {
		return quiz.ChallengeRecord{}, nil
	}
	return quiz.ChallengeRecord{Version: c.version, State: slices.Clone(c.state), Answers: c.answers}, nil
}

// SaveChallenge implements quiz.ChallengeStore.
func (m *Memory) SaveChallenge(ctx context.Context, chat string, w quiz.ChallengeWrite) (uint64, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.Fail != nil {
		return 0, m.Fail
	}
	c := m.challenges[chat]
	var v uint64
	if c != nil {
		v = c.version
	}
	if v != w.Expect {
		return 0, quiz.ErrConflict
	}
	m.due[chat] = w.Due.UnixMilli()
	if c == nil {
		c = &memChallenge{open: -1, presses: map[int]map[string][]byte{}}
		m.challenges[chat] = c
	}
	if w.Open >= 0 && w.Open != c.open {
		c.answers = 0
	}
	c.version++
	c.state, c.id, c.open, c.until = slices.Clone(w.State), w.ID, w.Open, w.Until.UnixMilli()
	return c.version, nil
}

// EndChallenge implements quiz.ChallengeStore.
func (m *Memory) EndChallenge(ctx context.Context, chat, id string, due time.Time) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.Fail != nil {
		return m.Fail
	}
	if c := m.challenges[chat]; c != nil && id != "" && c.id == id {
		delete(m.challenges, chat)
	}
	if d, ok := m.due[chat]; ok && d == due.UnixMilli() {
		delete(m.due, chat)
	}
	return nil
}

// Press implements quiz.ChallengeStore.
func (m *Memory) Press(ctx context.Context, chat string, p quiz.Press) (quiz.PressResult, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.Fail != nil {
		return 0, m.Fail
	}
	c := m.challenges[chat]
	switch {
	case c == nil || c.id != p.Challenge || c.open != p.Pos:
		return quiz.PressClosed, nil
	case p.At.UnixMilli() > c.until:
		return quiz.PressLate, nil
	}
	q := c.presses[p.Pos]
	if q == nil {
		q = map[string][]byte{}
		c.presses[p.Pos] = q
	}
	if _, ok := q[p.User]; ok {
		return quiz.PressRepeated, nil
	}
	q[p.User] = quiz.PackPress(p)
	c.answers++
	return quiz.PressRecorded, nil
}

// ClosePresses implements quiz.ChallengeStore.
func (m *Memory) ClosePresses(ctx context.Context, chat, id string, pos int) ([]quiz.Press, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.Fail != nil {
		return nil, m.Fail
	}
	c := m.challenges[chat]
	if c == nil || c.id != id {
		return nil, nil
	}
	if c.open == pos {
		c.open = -1
	}
	var out []quiz.Press
	for user, b := range c.presses[pos] {
		p, err := quiz.UnpackPress(id, pos, user, b)
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, nil
}

// DueChallenges implements quiz.ChallengeStore.
func (m *Memory) DueChallenges(ctx context.Context, now time.Time, limit int) ([]quiz.ChallengeDue, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.Fail != nil {
		return nil, m.Fail
	}
	var out []quiz.ChallengeDue
	for chat, d := range m.due {
		if d <= now.UnixMilli() {
			out = append(out, quiz.ChallengeDue{Chat: chat, At: time.UnixMilli(d)})
		}
	}
	slices.SortFunc(out, func(a, b quiz.ChallengeDue) int {
		if c := a.At.Compare(b.At); c != 0 {
			return c
		}
		return strings.Compare(a.Chat, b.Chat)
	})
	if len(out) > limit {
		out = out[:limit]
	}
	return out, nil
}
