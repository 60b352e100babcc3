package bot

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/pybrarian/pybrarian/store/storetest"
)

// sink is a Sender that records what it is given; with poster set it also posts and edits.
type sink struct {
	mu      sync.Mutex
	sent    []string // "send: text", "post N: text", "edit N: text"
	posted  int
	editErr error
}

func (s *sink) Send(ctx context.Context, to Destination, replies []Reply) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, r := range replies {
		s.sent = append(s.sent, "send: "+r.Text.PlainText())
	}
	return nil
}

func (s *sink) log() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.sent...)
}

// posterSink is a sink that can edit what it posted.
type posterSink struct{ sink }

func (s *posterSink) Post(ctx context.Context, to Destination, r Reply) (MessageRef, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.posted++
	s.sent = append(s.sent, fmt.Sprintf("post %d: %s", s.posted, r.Text.PlainText()))
	return MessageRef(fmt.Sprint(s.posted)), nil
}

func (s *posterSink) Edit(ctx context.Context, to Destination, ref MessageRef, r Reply) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.editErr != nil {
		return s.editErr
	}
	s.sent = append(s.sent, fmt.Sprintf("edit %s: %s", ref, r.Text.PlainText()))
	return nil
}

// TestPostAndEditFallBack: a Poster posts and edits in place; a message it can no longer edit is
// posted anew; a sender that cannot edit gets every version as a new message; an unreachable
// chat gets nothing.
func TestPostAndEditFallBack(t *testing.T) {
	ctx := context.Background()
	st := storetest.NewMemory()
	b, _ := newQuizBot(t, st)
	to := Destination{Platform: "test", ChatID: "g", Chat: Group}

	p := &posterSink{}
	b.Attach("test", p)
	ref, err := b.post(ctx, to, Reply{Text: Text("one")})
	if err != nil || ref != "1" {
		t.Fatalf("post = %q, %v", ref, err)
	}
	if ref, err = b.edit(ctx, to, ref, Reply{Text: Text("two")}); err != nil || ref != "1" {
		t.Fatalf("edit = %q, %v", ref, err)
	}
	p.editErr = fmt.Errorf("gone: %w", ErrNotEditable)
	if ref, err = b.edit(ctx, to, ref, Reply{Text: Text("three")}); err != nil || ref != "2" {
		t.Fatalf("edit of a message that cannot be edited = %q, %v; want a new message", ref, err)
	}
	if got, want := strings.Join(p.log(), "|"), "post 1: one|edit 1: two|post 2: three"; got != want {
		t.Errorf("poster saw %q, want %q", got, want)
	}

	s := &sink{}
	b.Attach("test", s)
	if ref, err := b.post(ctx, to, Reply{Text: Text("one")}); err != nil || ref != "" {
		t.Fatalf("post without a Poster = %q, %v", ref, err)
	}
	if ref, err := b.edit(ctx, to, "1", Reply{Text: Text("two")}); err != nil || ref != "" {
		t.Fatalf("edit without a Poster = %q, %v", ref, err)
	}
	if got, want := strings.Join(s.log(), "|"), "send: one|send: two"; got != want {
		t.Errorf("sender saw %q, want %q", got, want)
	}

	b.MarkUnreachable(ctx, "test", "g", "kicked")
	if _, err := b.post(ctx, to, Reply{Text: Text("x")}); !errors.Is(err, ErrUnreachable) {
		t.Errorf("post to an unreachable chat = %v", err)
	}
	if len(s.log()) != 2 {
		t.Errorf("an unreachable chat was sent %v", s.log())
	}
}
