// Package replay measures how well a scheduler's recall predictions match a
// real review log.
//
// It replays each card's reviews in time order, asks every model for the
// probability of recall just before each review, and scores the reviews
// that came at least one whole day after the previous one, following the
// protocol of py-fsrs 6.3.1 (Optimizer._compute_batch_loss) and the metrics
// of open-spaced-repetition/srs-benchmark.
package replay

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/pybrarian/pybrarian/quiz/fsrs"
)

// Review is one line of a review log.
type Review struct {
	// CardID identifies the card; reviews with the same id form one history.
	CardID int64
	// Rating is the button the learner pressed.
	Rating fsrs.Rating
	// Time is when the review happened, in UTC.
	Time time.Time
	// Duration is how long the learner took to answer; zero when unknown.
	Duration time.Duration
}

// The columns ReadCSV requires, named as in the py-fsrs review-log export.
const (
	colCardID   = "card_id"
	colRating   = "review_rating"
	colTime     = "review_time"
	colDuration = "review_duration"
)

// ReadCSV parses a review log in the py-fsrs CSV format: a header line that
// names at least the columns card_id, review_rating, review_time and
// review_duration (in any order; other columns are ignored), then one review
// per line. Ratings are 1 to 4; times are ISO-8601 with a UTC offset, such as
// 2024-03-29T20:32:32.250000+00:00; durations are whole milliseconds and may
// be empty.
//
// The first problem found is returned with its line number, and no reviews.
func ReadCSV(r io.Reader) ([]Review, error) {
	cr := csv.NewReader(r)
	cr.ReuseRecord = true
	header, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return nil, errors.New("replay: empty review log, want a header line")
	}
	if err != nil {
		return nil, fmt.Errorf("replay: %w", err)
	}
	idx := map[string]int{}
	for i, name := range header {
		name = strings.TrimSpace(strings.TrimPrefix(name, "\ufeff"))
		if _, dup := idx[name]; !dup {
			idx[name] = i
		}
	}
	var missing []string
	for _, name := range []string{colCardID, colRating, colTime, colDuration} {
		if _, ok := idx[name]; !ok {
			missing = append(missing, strconv.Quote(name))
		}
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("replay: line 1: missing column %s", strings.Join(missing, ", "))
	}

	var reviews []Review
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			return reviews, nil
		}
		if err != nil {
			return nil, fmt.Errorf("replay: %w", err)
		}
		line, _ := cr.FieldPos(0)
		rv, err := parseReview(rec, idx)
		if err != nil {
			return nil, fmt.Errorf("replay: line %d: %w", line, err)
		}
		reviews = append(reviews, rv)
	}
}

func parseReview(rec []string, idx map[string]int) (Review, error) {
	var rv Review
	field := func(name string) string { return strings.TrimSpace(rec[idx[name]]) }

	id, err := strconv.ParseInt(field(colCardID), 10, 64)
	if err != nil {
		return rv, fmt.Errorf("%s %q is not an integer", colCardID, field(colCardID))
	}
	rv.CardID = id

	g, err := strconv.Atoi(field(colRating))
	if err != nil || !fsrs.Rating(g).Valid() {
		return rv, fmt.Errorf("%s %q is not 1, 2, 3 or 4", colRating, field(colRating))
	}
	rv.Rating = fsrs.Rating(g)

	rv.Time, err = parseTime(field(colTime))
	if err != nil {
		return rv, fmt.Errorf("%s %q is not an ISO-8601 time with a UTC offset", colTime, field(colTime))
	}

	if d := field(colDuration); d != "" {
		ms, err := strconv.ParseInt(d, 10, 64)
		if err != nil || ms < 0 || ms > int64(time.Duration(1<<63-1)/time.Millisecond) {
			return rv, fmt.Errorf("%s %q is not a non-negative number of milliseconds", colDuration, d)
		}
		rv.Duration = time.Duration(ms) * time.Millisecond
	}
	return rv, nil
}

// parseTime accepts what Python's datetime.isoformat writes for an aware
// time: a T or a space between date and time, optional fractional seconds
// and a Z or ±hh:mm offset.
func parseTime(s string) (time.Time, error) {
	if len(s) > 10 && s[10] == ' ' {
		s = s[:10] + "T" + s[11:]
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return time.Time{}, err
	}
	return t.UTC(), nil
}
