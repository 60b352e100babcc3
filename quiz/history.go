package quiz

import (
	"context"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"math"
	"time"

	"github.com/pybrarian/pybrarian/quiz/fsrs"
)

// Review is one answer in a learner's history: which card, when, how it was rated and how long
// the learner took. Histories feed the weekly fit of personal FSRS weights, the review heatmap and
// /export.
type Review struct {
	Card     string
	Time     time.Time
	Rating   fsrs.Rating
	Duration time.Duration
}

// ReviewLen is the size of a packed review: card id (6), Unix seconds (4), rating (1) and the
// answer's duration in tenths of a second (2, at most 6,553 s). A thousand reviews take 13 KB.
const ReviewLen = IDLen + 4 + 1 + 2

// MaxHistory is how many reviews a learner's history keeps: the newest. The optimiser reads at
// most 64 reviews a card, and 2,000 cover every card of the bank several times over.
const MaxHistory = 2000

// PackReview encodes r in ReviewLen bytes.
func PackReview(r Review) []byte {
	b := make([]byte, ReviewLen)
	copy(b, r.Card)
	binary.BigEndian.PutUint32(b[IDLen:], unixSeconds(r.Time))
	b[IDLen+4] = byte(r.Rating)
	tenths := min(max(r.Duration/(100*time.Millisecond), 0), math.MaxUint16)
	binary.BigEndian.PutUint16(b[IDLen+5:], uint16(tenths))
	return b
}

// UnpackHistory decodes a history (PackReview outputs one after another), oldest first. Entries
// that cannot be read (a truncated tail, an invalid rating) are skipped.
func UnpackHistory(b []byte) []Review {
	out := make([]Review, 0, len(b)/ReviewLen)
	for ; len(b) >= ReviewLen; b = b[ReviewLen:] {
		r := Review{
			Card:     string(b[:IDLen]),
			Time:     fromUnix(binary.BigEndian.Uint32(b[IDLen:])),
			Rating:   fsrs.Rating(b[IDLen+4]),
			Duration: time.Duration(binary.BigEndian.Uint16(b[IDLen+5:])) * 100 * time.Millisecond,
		}
		if r.Rating.Valid() && !r.Time.IsZero() {
			out = append(out, r)
		}
	}
	return out
}

// TrimHistory keeps the newest MaxHistory reviews of b, for stores that append without a limit
// and trim now and then.
func TrimHistory(b []byte) []byte {
	if n := len(b) / ReviewLen; n > MaxHistory {
		return b[(n-MaxHistory)*ReviewLen : n*ReviewLen]
	}
	return b
}

// CardNumber is a card's id as a number: the 36 bits its six base64url characters encode. It is
// what an exported review log calls card_id, so the log reads back with `bot evaluate`.
func CardNumber(id string) (int64, error) {
	if len(id) != IDLen {
		return 0, errors.New("quiz: card id is not 6 characters")
	}
	raw, err := base64.RawURLEncoding.DecodeString(id + "AA")
	if err != nil {
		return 0, err
	}
	var n int64
	for _, c := range raw[:5] {
		n = n<<8 | int64(c)
	}
	return n >> 4, nil // 6 characters are 36 bits: the top of 40
}

// History returns the learner's review log, oldest first: with /link, the reviews of every
// identity joined to them.
func (e *Engine) History(ctx context.Context, user string, now time.Time) ([]Review, error) {
	key, _, _, err := e.load(ctx, user, false, now)
	if err != nil {
		return nil, err
	}
	raw, err := e.store.History(ctx, key)
	if err != nil {
		return nil, err
	}
	return UnpackHistory(raw), nil
}
