package bot

import (
	"bytes"
	"context"
	"encoding/csv"
	"strconv"
	"time"

	"github.com/pybrarian/pybrarian/quiz"
)

// History is what /export needs of the quiz engine: the learner's review log.
type History interface {
	History(ctx context.Context, user string, now time.Time) ([]quiz.Review, error)
}

func (b *Bot) exportCommands() []Command {
	if _, ok := b.quiz.(History); !ok {
		return nil
	}
	return []Command{{Name: "export", Help: catalog[msgHelpExport], Private: true, Handler: b.cmdExport}}
}

// cmdExport sends the learner's review log as a CSV file in the shared review-log format
// (card_id,review_rating,review_time,review_duration), so they own their data and `bot evaluate`
// reads it back.
func (b *Bot) cmdExport(ctx context.Context, req *Request) ([]Reply, error) {
	reviews, err := b.quiz.(History).History(ctx, req.UserKey(), b.now())
	if err != nil {
		return nil, err
	}
	if len(reviews) == 0 {
		return []Reply{{Text: Text(T(req.Lang, msgExportEmpty)), Private: true}}, nil
	}
	data, err := ReviewCSV(reviews)
	if err != nil {
		return nil, err
	}
	return []Reply{{
		Text:    Text(T(req.Lang, msgExportDone, len(reviews))),
		Private: true,
		File:    &File{Name: "pybrarian-reviews.csv", MIME: "text/csv", Data: data},
	}}, nil
}

// ReviewCSV writes reviews in the shared review-log format: card_id is the card's numeric id
// (quiz.CardNumber), review_time ISO 8601 in UTC, review_duration milliseconds.
func ReviewCSV(reviews []quiz.Review) ([]byte, error) {
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	w.Write([]string{"card_id", "review_rating", "review_time", "review_duration"})
	for _, r := range reviews {
		n, err := quiz.CardNumber(r.Card)
		if err != nil {
			continue
		}
		w.Write([]string{
			strconv.FormatInt(n, 10),
			strconv.Itoa(int(r.Rating)),
			r.Time.UTC().Format("2006-01-02T15:04:05.000000+00:00"),
			strconv.FormatInt(r.Duration.Milliseconds(), 10),
		})
	}
	w.Flush()
	return buf.Bytes(), w.Error()
}
