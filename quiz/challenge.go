package quiz

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/pybrarian/pybrarian/content"
)

// A group challenge is one timed question at a time for a whole chat: everyone may answer each
// question once, before its deadline, and right answers score by speed and by the card's
// difficulty. Its state lives in a ChallengeStore, never in a process, so any replica can move
// it on and a restart loses nothing.

// Bounds of a challenge: /challenge [TOPIC] [N] [SECONDS].
const (
	DefaultChallengeQuestions = 5
	MaxChallengeQuestions     = 20
	DefaultChallengeSeconds   = 20
	MinChallengeSeconds       = 10
	MaxChallengeSeconds       = 120
)

// Timing of a challenge, on the server's clock.
const (
	// ChallengeLead is how long after /challenge the first question opens: time for the
	// announcement to arrive first.
	ChallengeLead = 3 * time.Second
	// ChallengeGap is how long after a question's results the next question opens.
	ChallengeGap = 2 * time.Second
	// ChallengeCountEvery is the shortest time between two edits of an open question showing how
	// many have answered: within Telegram's twenty messages a minute per group.
	ChallengeCountEvery = 5 * time.Second
	// ChallengeAbandoned is how long past its deadline a question may be closed before the
	// challenge is given up as interrupted (the bot was away) instead of carrying on.
	ChallengeAbandoned = 10 * time.Minute
	// ChallengeTTL is how long a store keeps a challenge nobody moves on: far longer than the
	// longest challenge (20 questions of 120 s), so only one left behind by a dead deployment
	// expires.
	ChallengeTTL = 3 * time.Hour
)

// ChallengePrefix starts the data of every challenge answer button: "c:<id>.<pos>.<choice>".
const ChallengePrefix = "c:"

// ChallengePhase is where a challenge stands.
type ChallengePhase uint8

// Challenge phases.
const (
	// PhaseReady: question Pos opens at Next.
	PhaseReady ChallengePhase = iota
	// PhaseOpen: question Pos takes answers until Deadline.
	PhaseOpen
	// PhaseOver: no question is left (or the challenge was stopped): the final results are due.
	PhaseOver
)

// Challenge is a chat's group challenge as stored. Times are Unix milliseconds.
type Challenge struct {
	ID       string       `json:"id"`
	Chat     string       `json:"chat"` // chat key, "telegram:-100123"
	Platform string       `json:"pf"`
	ChatID   string       `json:"cid"`
	Lang     content.Lang `json:"lang"` // what everything said to the chat is written in
	Starter  string       `json:"by"`   // user key of who started it
	ByName   string       `json:"byn"`
	Scope    string       `json:"sc"`
	Cards    []string     `json:"cards"`
	Seconds  int          `json:"s"`
	Started  int64        `json:"t0"`

	Pos      int            `json:"pos"`
	Phase    ChallengePhase `json:"ph"`
	Opened   int64          `json:"op,omitempty"`
	Deadline int64          `json:"dl,omitempty"`
	// Next is when something is next due: the question opening (PhaseReady), the next count of
	// answers shown (PhaseOpen, before Deadline).
	Next int64 `json:"nx"`
	// Message is the open question's message (a bot.MessageRef), "" until it is posted.
	Message string `json:"m,omitempty"`
	// Shown is the number of answers the open question's message shows.
	Shown   int      `json:"sh,omitempty"`
	Players []Player `json:"pl,omitempty"`
	// Last is the latest closed question's results, kept until they are shown and then as the
	// record of what was shown.
	Last *QuestionResult `json:"last,omitempty"`
	// Stopped names who stopped the challenge early, "" while it runs its course.
	Stopped string `json:"stop,omitempty"`
	// Interrupted is set when a question closed long after its deadline (the bot was away), which
	// ended the challenge.
	Interrupted bool `json:"int,omitempty"`

	// Answers is how many players have answered the open question, as the store counts them; it
	// is read with the state, never stored in it.
	Answers int `json:"-"`
	version uint64
}

// Player is one player's standing in a challenge.
type Player struct {
	User     string `json:"u"`
	Name     string `json:"n"`
	Points   int    `json:"p"`
	Right    int    `json:"r"`
	Answered int    `json:"a"`
	// Time is the total time the player's right answers took (ms): the faster of two players
	// with the same points ranks first.
	Time int64 `json:"t"`
}

// Accuracy is the share of the player's answers that were right, in percent, rounded.
func (p Player) Accuracy() int {
	if p.Answered == 0 {
		return 0
	}
	return (p.Right*200 + p.Answered) / (2 * p.Answered)
}

// QuestionResult is how one question of a challenge went.
type QuestionResult struct {
	Pos     int    `json:"pos"`
	Card    string `json:"card"`
	Message string `json:"m,omitempty"` // the question's message, which the results replace
	// Answered and RightCount count the players who answered, and who answered right.
	Answered   int `json:"n"`
	RightCount int `json:"nr"`
	// Right are the first right answers, fastest first (at most MaxListedRight).
	Right     []Hit `json:"right,omitempty"`
	Announced bool  `json:"ann,omitempty"`
}

// Hit is one right answer.
type Hit struct {
	Name   string `json:"n"`
	Took   int64  `json:"t"` // ms from the question opening
	Points int    `json:"p"`
}

// MaxListedRight bounds the right answers a question's results name.
const MaxListedRight = 10

// ChallengeAction is what a challenge needs done next.
type ChallengeAction int

// Challenge actions, in the order a challenge needs them.
const (
	// ActNothing: nothing is due yet.
	ActNothing ChallengeAction = iota
	// ActAnnounce: the latest closed question's results are to be shown.
	ActAnnounce
	// ActClose: the open question's time is up, or the challenge was stopped.
	ActClose
	// ActPost: the open question has no message yet (its opening was cut short).
	ActPost
	// ActCount: time to show how many have answered the open question.
	ActCount
	// ActOpen: the next question is due.
	ActOpen
	// ActFinish: no question is left: the final results are due, then the challenge ends.
	ActFinish
)

// Action is what the challenge needs done at now: a pure function of the state and the time.
func (c *Challenge) Action(now time.Time) ChallengeAction {
	ms := now.UnixMilli()
	switch {
	case c.Last != nil && !c.Last.Announced:
		return ActAnnounce
	case c.Phase == PhaseOpen && (ms > c.Deadline || c.Stopped != ""):
		return ActClose
	case c.Phase == PhaseOpen && c.Message == "":
		return ActPost
	case c.Phase == PhaseOpen && ms >= c.Next:
		return ActCount
	case c.Phase == PhaseReady && ms >= c.Next:
		return ActOpen
	case c.Phase == PhaseOver:
		return ActFinish
	}
	return ActNothing
}

// Due is when the challenge next needs the runner: when Action stops being ActNothing.
func (c *Challenge) Due() time.Time {
	if c.Phase == PhaseOpen {
		// Answers are taken up to and including the deadline: close just after it.
		return time.UnixMilli(min(c.Next, c.Deadline+1))
	}
	return time.UnixMilli(c.Next)
}

// Standings are the players best first: by points, then right answers, then the faster.
func (c *Challenge) Standings() []Player {
	out := slices.Clone(c.Players)
	slices.SortStableFunc(out, func(a, b Player) int {
		switch {
		case a.Points != b.Points:
			return b.Points - a.Points
		case a.Right != b.Right:
			return b.Right - a.Right
		case a.Time != b.Time:
			return int(a.Time - b.Time)
		}
		return strings.Compare(a.Name, b.Name)
	})
	return out
}

// ChallengePoints is what a right answer earns in a challenge: 100 for an answer the moment the
// question opens, down to 50 for one at its deadline, linearly; times 1 for the easiest card up
// to 2 for the hardest, by the card's difficulty as Points gives it (FSRS difficulty 1 to 10,
// after the player's review). Wrong answers earn nothing.
func ChallengePoints(took, window time.Duration, difficulty int) int {
	frac := 0.0
	if window > 0 {
		frac = min(max(float64(took)/float64(window), 0), 1)
	}
	speed := 100 - 50*frac
	factor := 1 + float64(min(max(difficulty, 1), 10)-1)/9
	return int(math.Round(speed * factor))
}

// ChallengeStore keeps group challenges: one per chat, its state (EncodeChallenge bytes), the
// answers to its open question, and an index of when each chat's challenge next needs the
// runner. Implementations: store/bolt, store/redis, and storetest.Memory.
//
// All methods are safe for concurrent use by many goroutines and processes sharing the backend.
type ChallengeStore interface {
	// LoadChallenge returns the chat's challenge, or a zero record (Version 0) when it has none.
	LoadChallenge(ctx context.Context, chat string) (ChallengeRecord, error)
	// SaveChallenge writes the state if the stored version is still w.Expect (0: the chat must
	// have no challenge) and returns the new version; otherwise it returns ErrConflict and writes
	// nothing. It also sets which question takes answers and until when, and indexes the chat
	// under w.Due. Opening another question starts its answer count at zero.
	SaveChallenge(ctx context.Context, chat string, w ChallengeWrite) (uint64, error)
	// EndChallenge deletes the chat's challenge and its answers if its id is id ("" deletes
	// none), and the chat's index entry if it is still at due: an entry a newer challenge
	// moved stays.
	EndChallenge(ctx context.Context, chat, id string, due time.Time) error
	// Press records one answer in one round trip: only while p's question is the open one and
	// p.At is not past its deadline, and only the player's first answer to it.
	Press(ctx context.Context, chat string, p Press) (PressResult, error)
	// ClosePresses stops question pos of challenge id taking answers (if it still does) and
	// returns every answer it took, in no particular order. It may be called again: the answers
	// are kept until the challenge ends.
	ClosePresses(ctx context.Context, chat, id string, pos int) ([]Press, error)
	// DueChallenges returns up to limit chats whose challenge is due at or before now, most
	// overdue first.
	DueChallenges(ctx context.Context, now time.Time, limit int) ([]ChallengeDue, error)
}

// ChallengeRecord is a chat's stored challenge.
type ChallengeRecord struct {
	Version uint64
	State   []byte
	// Answers is how many answers the open question has taken.
	Answers int
}

// ChallengeWrite is one compare-and-set of a chat's challenge.
type ChallengeWrite struct {
	Expect uint64
	State  []byte
	// ID is the challenge's id, which answers must name.
	ID string
	// Open is the question taking answers, or -1 for none; Until is the last moment it takes
	// them.
	Open  int
	Until time.Time
	// Due is when the chat's challenge next needs the runner.
	Due time.Time
}

// Press is one player's answer to a challenge question.
type Press struct {
	Challenge string
	Pos       int
	User      string
	Name      string
	Choice    int
	// At is when the answer arrived, on the server's clock, to the millisecond.
	At time.Time
}

// PressResult says what became of a Press.
type PressResult int

// Press results.
const (
	// PressRecorded: the answer counts.
	PressRecorded PressResult = iota
	// PressRepeated: the player had answered this question already; the first answer stands.
	PressRepeated
	// PressLate: the question's time was up.
	PressLate
	// PressClosed: the question does not take answers: closed, or of a challenge that is over.
	PressClosed
)

// ChallengeDue is one entry of the index of challenges waiting for the runner.
type ChallengeDue struct {
	Chat string
	At   time.Time
}

// maxPressName bounds the display name an answer keeps.
const maxPressName = 64

// PackPress encodes what a store keeps of an answer, under the player's key: "choice|ms|name".
func PackPress(p Press) []byte {
	name := p.Name
	if len(name) > maxPressName {
		name = strings.ToValidUTF8(name[:maxPressName], "")
	}
	return []byte(strconv.Itoa(p.Choice) + "|" + strconv.FormatInt(p.At.UnixMilli(), 10) + "|" + name)
}

// UnpackPress decodes PackPress's output for the player user of question pos of challenge id.
func UnpackPress(id string, pos int, user string, b []byte) (Press, error) {
	choice, rest, ok1 := strings.Cut(string(b), "|")
	at, name, ok2 := strings.Cut(rest, "|")
	c, err1 := strconv.Atoi(choice)
	ms, err2 := strconv.ParseInt(at, 10, 64)
	if !ok1 || !ok2 || err1 != nil || err2 != nil {
		return Press{}, fmt.Errorf("quiz: malformed answer %q", b)
	}
	return Press{Challenge: id, Pos: pos, User: user, Name: name, Choice: c, At: time.UnixMilli(ms)}, nil
}

// challengeFormat versions the encoded state; bump it, and teach DecodeChallenge the old form,
// whenever the encoding changes incompatibly.
const challengeFormat = 1

type challengeEnvelope struct {
	V int `json:"v"`
	*Challenge
}

// EncodeChallenge serialises c with its format version, as JSON.
func EncodeChallenge(c *Challenge) []byte {
	b, err := json.Marshal(challengeEnvelope{V: challengeFormat, Challenge: c})
	if err != nil {
		panic(err) // plain data: cannot fail
	}
	return b
}

// DecodeChallenge reads EncodeChallenge output, refusing a state the runner could not use safely.
func DecodeChallenge(b []byte) (*Challenge, error) {
	c := &Challenge{}
	env := challengeEnvelope{Challenge: c}
	if err := json.Unmarshal(b, &env); err != nil {
		return nil, fmt.Errorf("quiz: decoding a challenge: %w", err)
	}
	switch {
	case env.V != challengeFormat:
		return nil, fmt.Errorf("quiz: a challenge of format %d", env.V)
	case len(c.ID) != roundIDLen || len(c.Cards) == 0 || len(c.Cards) > MaxChallengeQuestions,
		c.Pos < 0 || c.Pos > len(c.Cards), c.Phase > PhaseOver,
		c.Seconds < MinChallengeSeconds || c.Seconds > MaxChallengeSeconds:
		return nil, errors.New("quiz: a challenge out of range")
	}
	return c, nil
}

// parseChallengeChoice reads challenge button data, "c:<id>.<pos>.<choice>", accepting only the
// exact form ChallengeQuestion.Data writes.
func parseChallengeChoice(data string) (id string, pos, choice int, ok bool) {
	if len(data) > MaxChoiceData {
		return "", 0, 0, false
	}
	rest, found := strings.CutPrefix(data, ChallengePrefix)
	if !found {
		return "", 0, 0, false
	}
	parts := strings.Split(rest, ".")
	if len(parts) != 3 || len(parts[0]) != roundIDLen || !isBase64URL(parts[0]) {
		return "", 0, 0, false
	}
	pos, ok1 := smallNumber(parts[1], MaxChallengeQuestions-1)
	choice, ok2 := smallNumber(parts[2], maxDistractors+1)
	if !ok1 || !ok2 {
		return "", 0, 0, false
	}
	return parts[0], pos, choice, true
}

// ChallengeQuestion is a challenge question ready to show: the same choices in the same order
// for every player, "I don't know" last.
type ChallengeQuestion struct {
	Card    *Card
	Choices []content.Text
	Correct int
	Number  int // 1-based
	Total   int
	Scope   Scope
	id      string
	pos     int
}

// Data is what the button for choice i carries back.
func (q *ChallengeQuestion) Data(i int) string {
	return ChallengePrefix + q.id + "." + strconv.Itoa(q.pos) + "." + strconv.Itoa(i)
}
