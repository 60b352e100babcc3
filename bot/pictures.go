package bot

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/pybrarian/pybrarian/bot/chart"
	"github.com/pybrarian/pybrarian/content"
	"github.com/pybrarian/pybrarian/quiz"
)

// Limits of picture rendering.
const (
	// maxCachedPictures bounds the picture cache: a picture is some 100 kB.
	maxCachedPictures = 128
	// pictureWait is how long a reply waits for a free renderer before going without its
	// picture: the text is the answer, the picture a courtesy.
	pictureWait = 2 * time.Second
)

// pictures draws the pictures that go with /stats and /leaderboard, at most a few at a time (one
// takes tens of milliseconds and megabytes), and keeps the recent ones: a learner's picture is
// drawn again only when their record changes (its version), their day turns or they change
// language. The version comes from the store, so a replica never shows a picture older than what
// another replica wrote.
type pictures struct {
	r    *chart.Renderer
	busy chan struct{}

	mu    sync.Mutex
	cache map[string][]byte
	order []string // keys, oldest first
}

func newPictures(r *chart.Renderer, parallel int) *pictures {
	return &pictures{r: r, busy: make(chan struct{}, max(parallel, 1)), cache: map[string][]byte{}}
}

// draw returns the cached picture under key, or draws, caches and returns a new one. It returns
// nil when there is no renderer, no renderer came free in time or drawing failed: the reply then
// goes without a picture.
func (p *pictures) draw(ctx context.Context, key string, render func(*chart.Renderer) ([]byte, error)) []byte {
	if p == nil {
		return nil
	}
	p.mu.Lock()
	png, ok := p.cache[key]
	p.mu.Unlock()
	if ok {
		return png
	}
	wait := time.NewTimer(pictureWait)
	defer wait.Stop()
	select {
	case p.busy <- struct{}{}:
	case <-wait.C:
		return nil
	case <-ctx.Done():
		return nil
	}
	png, err := render(p.r)
	<-p.busy
	if err != nil {
		return nil
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if _, ok := p.cache[key]; !ok {
		if len(p.order) >= maxCachedPictures {
			delete(p.cache, p.order[0])
			p.order = p.order[1:]
		}
		p.cache[key] = png
		p.order = append(p.order, key)
	}
	return png
}

// statsPicture draws the learner's progress, or returns nil (see draw).
func (b *Bot) statsPicture(ctx context.Context, req *Request, st quiz.Stats, loc *time.Location) *File {
	if b.pictures == nil {
		return nil
	}
	lang := content.Lang(b.pictures.r.Lang(string(req.Lang)))
	key := strings.Join([]string{"stats", req.UserKey(), strconv.FormatUint(st.Version, 10), string(lang),
		st.Today.Format(time.DateOnly), loc.String()}, "\x00")
	png := b.pictures.draw(ctx, key, func(r *chart.Renderer) ([]byte, error) {
		cs := chart.Stats{Lang: string(lang), Today: st.Today, Due: st.Due[:]}
		for _, d := range st.Reviews {
			cs.Reviews = append(cs.Reviews, chart.DayCount{Day: d.Day, Count: d.Count})
		}
		for _, ts := range st.Topics {
			cs.Topics = append(cs.Topics, chart.Topic{
				Name:     b.quiz.Bank().ScopeName(quiz.Scope{Topic: ts.Topic}, lang),
				Answered: ts.Answered, Correct: ts.Correct, Retention: ts.Retention,
			})
		}
		return r.Stats(cs)
	})
	if png == nil {
		return nil
	}
	return &File{Name: "stats.png", MIME: "image/png", Data: png}
}

// boardPicture draws a group's standings, or returns nil (see draw).
func (b *Bot) boardPicture(ctx context.Context, req *Request, top []quiz.Standing) *File {
	if b.pictures == nil || len(top) == 0 {
		return nil
	}
	lang := b.pictures.r.Lang(string(req.Lang))
	board := chart.Board{Lang: lang}
	h := sha256.New()
	h.Write([]byte(lang))
	for _, s := range top {
		board.Rows = append(board.Rows, chart.BoardRow{Name: s.Name, Points: s.Points})
		h.Write([]byte("\x00" + s.Name + "\x00" + strconv.Itoa(s.Points)))
	}
	key := "board\x00" + hex.EncodeToString(h.Sum(nil))
	png := b.pictures.draw(ctx, key, func(r *chart.Renderer) ([]byte, error) { return r.Leaderboard(board) })
	if png == nil {
		return nil
	}
	return &File{Name: "leaderboard.png", MIME: "image/png", Data: png}
}
