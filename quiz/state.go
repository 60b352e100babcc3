package quiz

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/pybrarian/pybrarian/quiz/fsrs"
)

// MatureDays is the stability from which a card counts as mature (learnt for the long term), as in
// Anki.
const MatureDays = 21

// CardState is a learner's memory of one card: the FSRS state plus review and lapse counts.
type CardState struct {
	fsrs.Card
	Reps   int
	Lapses int
}

// Seen reports whether the card has been answered at least once.
func (s CardState) Seen() bool { return !s.LastReview.IsZero() }

// Mature reports whether the card is learnt for the long term.
func (s CardState) Mature() bool { return s.Seen() && s.Stability >= MatureDays }

// stateLen is the size of a packed card state. Small matters: a learner's card states are stored
// one entry per card, and Redis keeps a hash of small values in its compact listpack encoding.
const stateLen = 18

// PackState encodes s in 18 bytes: state and step (1), reps (2), lapses (1), stability as float32
// (4), difficulty in thousandths (2), due and last review as Unix seconds (4 + 4).
func PackState(s CardState) []byte {
	b := make([]byte, stateLen)
	b[0] = byte(s.State)<<6 | byte(min(max(s.Step, 0), 63))
	binary.BigEndian.PutUint16(b[1:], uint16(min(max(s.Reps, 0), math.MaxUint16)))
	b[3] = byte(min(max(s.Lapses, 0), math.MaxUint8))
	binary.BigEndian.PutUint32(b[4:], math.Float32bits(float32(s.Stability)))
	binary.BigEndian.PutUint16(b[8:], uint16(math.Round(min(max(s.Difficulty, 0), 60)*1000)))
	binary.BigEndian.PutUint32(b[10:], unixSeconds(s.Due))
	binary.BigEndian.PutUint32(b[14:], unixSeconds(s.LastReview))
	return b
}

func unixSeconds(t time.Time) uint32 {
	if t.IsZero() {
		return 0
	}
	return uint32(min(max(t.Unix(), 1), math.MaxUint32))
}

func fromUnix(s uint32) time.Time {
	if s == 0 {
		return time.Time{}
	}
	return time.Unix(int64(s), 0).UTC()
}

// UnpackState decodes PackState's output.
func UnpackState(b []byte) (CardState, error) {
	if len(b) != stateLen {
		return CardState{}, fmt.Errorf("quiz: card state is %d bytes, want %d", len(b), stateLen)
	}
	var s CardState
	s.State = fsrs.State(b[0] >> 6)
	s.Step = int(b[0] & 63)
	s.Reps = int(binary.BigEndian.Uint16(b[1:]))
	s.Lapses = int(b[3])
	s.Stability = float64(math.Float32frombits(binary.BigEndian.Uint32(b[4:])))
	s.Difficulty = float64(binary.BigEndian.Uint16(b[8:])) / 1000
	s.Due = fromUnix(binary.BigEndian.Uint32(b[10:]))
	s.LastReview = fromUnix(binary.BigEndian.Uint32(b[14:]))
	return s, nil
}

// progressFormat is the version of the encoded Progress. Bump it, and teach DecodeProgress the old
// form, whenever the encoding changes incompatibly.
const progressFormat = 1

// Progress is everything about a learner besides card states: settings, counters, streak and the
// round in play.
type Progress struct {
	Answered   int      `json:"a,omitempty"`
	Correct    int      `json:"c,omitempty"`
	Streak     int      `json:"s,omitempty"`
	BestStreak int      `json:"bs,omitempty"`
	LastDay    int      `json:"d,omitempty"` // local date of the last answer, as Day counts it
	LastCard   string   `json:"lc,omitempty"`
	Boards     []string `json:"b,omitempty"` // "chat|week" leaderboards the learner has points on
	// Challenges are the challenge questions whose answers are in this record, newest last, as
	// "<challenge id>.<pos>:<points>" (the card's difficulty points the review earned): a close
	// of the question run again after a crash finds its review done.
	Challenges []string `json:"cc,omitempty"`
	// Links are the other identities ("discord:7") whose progress this record holds since /link
	// joined them to this learner; only the learner's own record has any.
	Links []string `json:"ln,omitempty"`
	// Moved names the learner this identity's progress went to when /link joined them: such a
	// record holds nothing else, and whoever reads it follows it there.
	Moved string `json:"mv,omitempty"`
	Round *Round `json:"r,omitempty"`
	// WriteID tags the commit that wrote this record, so a retried commit can recognise its own
	// earlier attempt.
	WriteID string `json:"w,omitempty"`
}

// Round is a quiz round in play.
type Round struct {
	ID      string `json:"id"`
	Scope   string `json:"sc"`
	Chat    string `json:"ch"`
	Group   bool   `json:"g,omitempty"`
	Review  bool   `json:"rv,omitempty"`
	Items   []Item `json:"it"`
	Pos     int    `json:"p"`
	Shown   int64  `json:"sh"` // Unix ms the current question was shown
	Started int64  `json:"st"` // Unix ms
	Right   int    `json:"ok,omitempty"`
	Wrong   int    `json:"no,omitempty"`
	New     int    `json:"nw,omitempty"` // new cards answered
	// OtherDue is the earliest due time (Unix seconds) of the learner's cards outside the round.
	OtherDue int64 `json:"od,omitempty"`
}

// Item is one question of a round. Prev is the card's state when the round was planned (or after its
// first answer, for a repeat), so grading needs no extra read.
type Item struct {
	Card   string `json:"c"`
	Prev   []byte `json:"s,omitempty"`
	Repeat bool   `json:"r,omitempty"`
	Result Result `json:"x,omitempty"`
	Due    int64  `json:"d,omitempty"` // Unix seconds the card is due after this answer
}

// Result is how a question was answered.
type Result int8

// Results.
const (
	Pending Result = iota
	Right
	Wrong
	Skipped // "I don't know"
)

type progressEnvelope struct {
	V int `json:"v"`
	Progress
}

// EncodeProgress serialises p with its format version, as JSON.
func EncodeProgress(p Progress) []byte { return appendProgress(make([]byte, 0, 256), p) }

// DecodeProgress reads EncodeProgress output of this or an older format; nil decodes to a new
// learner's Progress.
func DecodeProgress(b []byte) (Progress, error) {
	if len(b) == 0 {
		return Progress{}, nil
	}
	var env progressEnvelope
	if err := json.Unmarshal(b, &env); err != nil {
		return Progress{}, fmt.Errorf("quiz: decoding progress: %w", err)
	}
	if env.V != progressFormat {
		return Progress{}, errors.New("quiz: progress was written by a newer release (format " + fmt.Sprint(env.V) + ")")
	}
	if err := env.Progress.check(); err != nil {
		return Progress{}, fmt.Errorf("quiz: decoding progress: %w", err)
	}
	return env.Progress, nil
}

// check refuses a decoded Progress the engine could not use safely: counts below zero, a round
// position outside its items, card states of the wrong size. Whatever wrote it, the engine must
// never index with it.
func (p Progress) check() error {
	if p.Answered < 0 || p.Correct < 0 || p.Streak < 0 || p.BestStreak < 0 || len(p.Boards) > 64 || len(p.Challenges) > 64 ||
		len(p.Links) > MaxLinks {
		return errors.New("counters out of range")
	}
	r := p.Round
	if r == nil {
		return nil
	}
	switch {
	case len(r.ID) != roundIDLen:
		return errors.New("round id malformed")
	case len(r.Items) == 0 || len(r.Items) > maxPos+1:
		return fmt.Errorf("round has %d items", len(r.Items))
	case r.Pos < 0 || r.Pos > len(r.Items):
		return fmt.Errorf("round position %d outside its %d items", r.Pos, len(r.Items))
	case r.Right < 0 || r.Wrong < 0 || r.New < 0:
		return errors.New("round counters out of range")
	}
	for _, it := range r.Items {
		if (len(it.Prev) != 0 && len(it.Prev) != stateLen) || it.Result < Pending || it.Result > Skipped {
			return errors.New("round item malformed")
		}
	}
	return nil
}

// clone returns a deep copy, so a cached Progress is never changed through a copy handed out.
func (p Progress) clone() Progress {
	p.Boards = slices.Clone(p.Boards)
	p.Challenges = slices.Clone(p.Challenges)
	p.Links = slices.Clone(p.Links)
	if p.Round != nil {
		r := *p.Round
		r.Items = slices.Clone(r.Items)
		for i := range r.Items {
			r.Items[i].Prev = slices.Clone(r.Items[i].Prev)
		}
		p.Round = &r
	}
	return p
}
