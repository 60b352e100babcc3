package bot

import (
	"bytes"
	"context"
	"image/png"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pybrarian/pybrarian/bot/chart"
	"github.com/pybrarian/pybrarian/store/storetest"
)

var renderer = sync.OnceValue(func() *chart.Renderer { return chart.NewRenderer("", nil) })

// TestStatsPictureFollowsProgressAcrossReplicas: a replica that drew a learner's picture draws it
// again once another replica recorded an answer, and reuses it while nothing changed.
func TestStatsPictureFollowsProgressAcrossReplicas(t *testing.T) {
	st := storetest.NewMemory()
	a, c := newQuizBot(t, st)
	b, _ := newQuizBot(t, st)
	for _, r := range []*Bot{a, b} {
		r.pictures = newPictures(renderer(), 1)
	}
	ctx := context.Background()
	answer := func(bot *Bot) {
		q := question(t, bot.Handle(ctx, event("ada", "ada", Private, "/quiz frameworks 1")))
		c.t = c.t.Add(10 * time.Second)
		bot.Handle(ctx, press("ada", "ada", Private, q.Choices[q.Question.Correct].Data))
	}
	picture := func(bot *Bot, wantAnswers string) []byte {
		t.Helper()
		rs := bot.Handle(ctx, event("ada", "ada", Private, "/stats"))
		if len(rs) != 1 || rs[0].Image == nil || !strings.Contains(rs[0].Text.PlainText(), wantAnswers) {
			t.Fatalf("/stats = %s (picture %v); want %q and a picture", plain(rs), len(rs) == 1 && rs[0].Image != nil, wantAnswers)
		}
		img, err := png.Decode(bytes.NewReader(rs[0].Image.Data))
		if err != nil || img.Bounds().Dx() < 1000 || rs[0].Image.MIME != "image/png" {
			t.Fatalf("picture is not a PNG at least 1,000 px wide: %v", err)
		}
		return rs[0].Image.Data
	}

	if rs := a.Handle(ctx, event("ada", "ada", Private, "/stats")); len(rs) != 1 || rs[0].Image != nil {
		t.Fatalf("/stats with nothing answered = %s; want only the text saying how to start", plain(rs))
	}
	answer(a)
	first := picture(a, "Answers: 1")
	if again := picture(a, "Answers: 1"); &again[0] != &first[0] {
		t.Errorf("nothing changed, yet the picture was drawn again")
	}
	answer(b) // another replica records an answer
	if next := picture(a, "Answers: 2"); bytes.Equal(next, first) {
		t.Errorf("after an answer on another replica the picture is the old one")
	}
}

// BenchmarkStats measures /stats for a learner with answers: "drawn" draws the picture on every
// call (the cache is emptied first), "cached" asks again with nothing changed.
func BenchmarkStats(b *testing.B) {
	ctx := context.Background()
	setup := func(b *testing.B) *Bot {
		bot, c := newQuizBot(b, nil)
		bot.pictures = newPictures(renderer(), 1)
		q := bot.Handle(ctx, event("ada", "ada", Private, "/quiz frameworks 1"))[0]
		c.t = c.t.Add(10 * time.Second)
		bot.Handle(ctx, press("ada", "ada", Private, q.Choices[q.Question.Correct].Data))
		return bot
	}
	b.Run("cached", func(b *testing.B) {
		bot := setup(b)
		ev := event("ada", "ada", Private, "/stats")
		bot.Handle(ctx, ev)
		b.ReportAllocs()
		for b.Loop() {
			if rs := bot.Handle(ctx, ev); rs[0].Image == nil {
				b.Fatal("no picture")
			}
		}
	})
	b.Run("drawn", func(b *testing.B) {
		bot := setup(b)
		ev := event("ada", "ada", Private, "/stats")
		b.ReportAllocs()
		for b.Loop() {
			bot.pictures.mu.Lock()
			clear(bot.pictures.cache)
			bot.pictures.order = nil
			bot.pictures.mu.Unlock()
			if rs := bot.Handle(ctx, ev); rs[0].Image == nil {
				b.Fatal("no picture")
			}
		}
	})
}
