package bot

import (
	"context"
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/pybrarian/pybrarian/quiz"
	"github.com/pybrarian/pybrarian/store/storetest"
)

// contended is a store where, while on, another writer changes the learner's record just before
// every commit, as a replica answering for the same learner at every instant would.
type contended struct {
	*storetest.Memory
	on bool
}

func (c *contended) Commit(ctx context.Context, user string, w quiz.Write) (uint64, error) {
	if c.on {
		rec, err := c.Memory.Load(ctx, user, false)
		if err != nil {
			return 0, err
		}
		if _, err := c.Memory.Commit(ctx, user, quiz.Write{Expect: rec.Version, Progress: rec.Progress}); err != nil {
			return 0, err
		}
	}
	return c.Memory.Commit(ctx, user, w)
}

// TestRepeatedConflictSaysBusy: an answer whose every write loses to another writer gets the
// "busy, try again" reply and is counted, never an internal error; once the store is quiet the
// same answer is graded.
func TestRepeatedConflictSaysBusy(t *testing.T) {
	st := &contended{Memory: storetest.NewMemory()}
	bank, _, err := quiz.NewBank(testKB(t))
	if err != nil {
		t.Fatal(err)
	}
	e, err := quiz.NewEngine(quiz.Config{Bank: bank, Store: st, Boards: st, Reports: st})
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC)
	b, err := New(Config{Content: testKB(t), Quiz: e, Settings: st, Now: func() time.Time { return now },
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	q := question(t, b.Handle(ctx, event("ada", "ada", Private, "/quiz frameworks 2")))
	right := q.Choices[q.Question.Correct].Data

	st.on = true
	got := plain(b.Handle(ctx, press("ada", "ada", Private, right)))
	if !strings.Contains(got, "try again") || strings.Contains(got, "went wrong") {
		t.Fatalf("an answer that kept conflicting answered:\n%s", got)
	}
	if e.Busy() != 1 {
		t.Errorf("busy answers counted: %d, want 1", e.Busy())
	}
	st.on = false
	if got := plain(b.Handle(ctx, press("ada", "ada", Private, right))); !strings.Contains(got, "Right!") {
		t.Errorf("the same answer once the store is quiet:\n%s", got)
	}
}
