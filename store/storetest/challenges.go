package storetest

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/pybrarian/pybrarian/quiz"
)

// challengeTests is the part of the suite for quiz.ChallengeStore.
var challengeTests = []struct {
	name string
	fn   func(t *testing.T, open Factory)
}{
	{"ChallengeSaveAndLoad", testChallengeSave},
	{"ChallengeOnePerChat", testChallengeOnePerChat},
	{"ChallengePressOnce", testChallengePressOnce},
	{"ChallengePressWindow", testChallengePressWindow},
	{"ChallengeClosePresses", testChallengeClose},
	{"ChallengeConcurrentPresses", testChallengeConcurrentPresses},
	{"ChallengeDueIndex", testChallengeDue},
	{"ChallengeEnd", testChallengeEnd},
	{"ChallengeRestart", testChallengeRestart},
}

// ct0 is the challenge tests' clock: whole milliseconds, as the stores keep them.
var ct0 = time.Date(2026, 11, 28, 18, 0, 0, 0, time.UTC)

const chatA = "test:-100"

func mustSave(t *testing.T, s quiz.ChallengeStore, chat string, w quiz.ChallengeWrite) uint64 {
	t.Helper()
	v, err := s.SaveChallenge(ctx, chat, w)
	if err != nil {
		t.Fatalf("SaveChallenge(%s, expect %d): %v", chat, w.Expect, err)
	}
	if v != w.Expect+1 {
		t.Fatalf("SaveChallenge(%s, expect %d) = version %d, want %d", chat, w.Expect, v, w.Expect+1)
	}
	return v
}

// opened saves a challenge "AAAAAA" with question pos taking answers until until.
func opened(expect uint64, pos int, until time.Time) quiz.ChallengeWrite {
	return quiz.ChallengeWrite{Expect: expect, State: []byte(fmt.Sprintf("state %d", expect)), ID: "AAAAAA", Open: pos, Until: until, Due: until}
}

func press(user string, pos, choice int, at time.Time) quiz.Press {
	return quiz.Press{Challenge: "AAAAAA", Pos: pos, User: user, Name: strings.ToUpper(user), Choice: choice, At: at}
}

func mustPress(t *testing.T, s quiz.ChallengeStore, chat string, p quiz.Press, want quiz.PressResult) {
	t.Helper()
	got, err := s.Press(ctx, chat, p)
	if err != nil {
		t.Fatalf("Press(%+v): %v", p, err)
	}
	if got != want {
		t.Errorf("Press(%s, question %d, at %v) = %v, want %v", p.User, p.Pos, p.At.Sub(ct0), got, want)
	}
}

func testChallengeSave(t *testing.T, open Factory) {
	s := open(t)
	if rec, err := s.LoadChallenge(ctx, chatA); err != nil || rec.Version != 0 || rec.State != nil {
		t.Fatalf("LoadChallenge of a chat without one = %+v, %v; want a zero record", rec, err)
	}
	v := mustSave(t, s, chatA, quiz.ChallengeWrite{State: []byte("ready"), ID: "AAAAAA", Open: -1, Due: ct0})
	v = mustSave(t, s, chatA, opened(v, 0, ct0.Add(20*time.Second)))
	rec, err := s.LoadChallenge(ctx, chatA)
	if err != nil || rec.Version != v || string(rec.State) != "state 1" || rec.Answers != 0 {
		t.Errorf("LoadChallenge = %+v, %v; want version %d, state 1", rec, err, v)
	}
	for _, expect := range []uint64{0, v - 1, v + 1} {
		if _, err := s.SaveChallenge(ctx, chatA, opened(expect, 1, ct0)); !errors.Is(err, quiz.ErrConflict) {
			t.Errorf("SaveChallenge expecting %d (stored %d) = %v, want ErrConflict", expect, v, err)
		}
	}
	if rec, _ := s.LoadChallenge(ctx, chatA); string(rec.State) != "state 1" {
		t.Errorf("a refused save changed the state to %q", rec.State)
	}
}

// testChallengeOnePerChat: of many concurrent creations in one chat exactly one wins, while
// another chat keeps its own.
func testChallengeOnePerChat(t *testing.T, open Factory) {
	s := open(t)
	var wins atomic.Int32
	var wg sync.WaitGroup
	for i := range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := s.SaveChallenge(ctx, chatA, quiz.ChallengeWrite{State: []byte(fmt.Sprint(i)), ID: "AAAAAA", Open: -1, Due: ct0})
			switch {
			case err == nil:
				wins.Add(1)
			case !errors.Is(err, quiz.ErrConflict):
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	if n := wins.Load(); n != 1 {
		t.Errorf("%d creations won, want 1", n)
	}
	mustSave(t, s, "test:-200", quiz.ChallengeWrite{State: []byte("other"), ID: "BBBBBB", Open: -1, Due: ct0})
}

func testChallengePressOnce(t *testing.T, open Factory) {
	s := open(t)
	v := mustSave(t, s, chatA, opened(0, 0, ct0.Add(20*time.Second)))
	mustPress(t, s, chatA, press("ada", 0, 2, ct0.Add(time.Second)), quiz.PressRecorded)
	mustPress(t, s, chatA, press("ada", 0, 1, ct0.Add(2*time.Second)), quiz.PressRepeated)
	mustPress(t, s, chatA, press("bob", 0, 1, ct0.Add(3*time.Second)), quiz.PressRecorded)
	if rec, _ := s.LoadChallenge(ctx, chatA); rec.Answers != 2 {
		t.Errorf("answers = %d, want 2", rec.Answers)
	}
	// Saving the state while the same question is open keeps its count; opening the next
	// starts it at zero.
	v = mustSave(t, s, chatA, opened(v, 0, ct0.Add(20*time.Second)))
	if rec, _ := s.LoadChallenge(ctx, chatA); rec.Answers != 2 {
		t.Errorf("answers after saving the open question again = %d, want 2", rec.Answers)
	}
	mustSave(t, s, chatA, opened(v, 1, ct0.Add(50*time.Second)))
	if rec, _ := s.LoadChallenge(ctx, chatA); rec.Answers != 0 {
		t.Errorf("answers of the next question = %d, want 0", rec.Answers)
	}
	mustPress(t, s, chatA, press("ada", 1, 0, ct0.Add(31*time.Second)), quiz.PressRecorded)
	got, err := s.ClosePresses(ctx, chatA, "AAAAAA", 0)
	if err != nil {
		t.Fatal(err)
	}
	slices.SortFunc(got, func(a, b quiz.Press) int { return strings.Compare(a.User, b.User) })
	want := []quiz.Press{press("ada", 0, 2, ct0.Add(time.Second)), press("bob", 0, 1, ct0.Add(3*time.Second))}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("answers to question 0 (-want +got):\n%s", diff)
	}
}

// testChallengePressWindow: only the open question of the right challenge takes answers, up
// to and including its deadline.
func testChallengePressWindow(t *testing.T, open Factory) {
	s := open(t)
	deadline := ct0.Add(20 * time.Second)
	mustSave(t, s, chatA, opened(0, 3, deadline))
	mustPress(t, s, chatA, press("ada", 3, 0, deadline), quiz.PressRecorded)
	mustPress(t, s, chatA, press("bob", 3, 0, deadline.Add(time.Millisecond)), quiz.PressLate)
	mustPress(t, s, chatA, press("bob", 2, 0, ct0), quiz.PressClosed)
	mustPress(t, s, chatA, press("bob", 4, 0, ct0), quiz.PressClosed)
	other := press("bob", 3, 0, ct0)
	other.Challenge = "BBBBBB"
	mustPress(t, s, chatA, other, quiz.PressClosed)
	mustPress(t, s, "test:-999", press("bob", 3, 0, ct0), quiz.PressClosed)
	if rec, _ := s.LoadChallenge(ctx, chatA); rec.Answers != 1 {
		t.Errorf("answers = %d, want 1: refused presses count nothing", rec.Answers)
	}
}

// testChallengeClose: closing stops the question taking answers at once; a second close
// returns the same answers; the question's answers stay until the challenge ends.
func testChallengeClose(t *testing.T, open Factory) {
	s := open(t)
	v := mustSave(t, s, chatA, opened(0, 0, ct0.Add(time.Hour)))
	mustPress(t, s, chatA, press("ada", 0, 1, ct0), quiz.PressRecorded)
	for range 2 {
		got, err := s.ClosePresses(ctx, chatA, "AAAAAA", 0)
		if err != nil || len(got) != 1 || got[0].User != "ada" || got[0].Name != "ADA" || got[0].Choice != 1 || !got[0].At.Equal(ct0) {
			t.Errorf("ClosePresses = %+v, %v", got, err)
		}
	}
	mustPress(t, s, chatA, press("bob", 0, 1, ct0), quiz.PressClosed)
	// The state saved after the close does not reopen the question.
	mustSave(t, s, chatA, quiz.ChallengeWrite{Expect: v, State: []byte("closed"), ID: "AAAAAA", Open: -1, Due: ct0})
	mustPress(t, s, chatA, press("bob", 0, 1, ct0), quiz.PressClosed)
	if got, err := s.ClosePresses(ctx, chatA, "BBBBBB", 0); err != nil || len(got) != 0 {
		t.Errorf("ClosePresses of another challenge = %+v, %v; want none", got, err)
	}
}

// testChallengeConcurrentPresses: many players pressing at once, each several times, are each
// recorded once, and the count says so.
func testChallengeConcurrentPresses(t *testing.T, open Factory) {
	s := open(t)
	mustSave(t, s, chatA, opened(0, 0, ct0.Add(time.Minute)))
	const players, each = 100, 4
	var recorded, repeated atomic.Int32
	var wg sync.WaitGroup
	for i := range players * each {
		wg.Add(1)
		go func() {
			defer wg.Done()
			p := press(fmt.Sprintf("p%03d", i%players), 0, i/players, ct0.Add(time.Duration(i)*time.Millisecond))
			r, err := s.Press(ctx, chatA, p)
			switch {
			case err != nil:
				t.Error(err)
			case r == quiz.PressRecorded:
				recorded.Add(1)
			case r == quiz.PressRepeated:
				repeated.Add(1)
			default:
				t.Errorf("Press = %v", r)
			}
		}()
	}
	wg.Wait()
	if recorded.Load() != players || repeated.Load() != players*(each-1) {
		t.Errorf("%d recorded, %d repeated; want %d and %d", recorded.Load(), repeated.Load(), players, players*(each-1))
	}
	rec, _ := s.LoadChallenge(ctx, chatA)
	got, err := s.ClosePresses(ctx, chatA, "AAAAAA", 0)
	if err != nil || len(got) != players || rec.Answers != players {
		t.Errorf("count %d and %d answers (%v), want %d", rec.Answers, len(got), err, players)
	}
}

func testChallengeDue(t *testing.T, open Factory) {
	s := open(t)
	chats := []string{"test:-1", "test:-2", "test:-3"}
	for i, chat := range chats {
		mustSave(t, s, chat, quiz.ChallengeWrite{State: []byte("x"), ID: "AAAAAA", Open: -1, Due: ct0.Add(time.Duration(3-i) * time.Second)})
	}
	due := func(now time.Time, limit int) []string {
		t.Helper()
		ds, err := s.DueChallenges(ctx, now, limit)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, d := range ds {
			out = append(out, fmt.Sprintf("%s@%v", d.Chat, d.At.Sub(ct0)))
		}
		return out
	}
	if got := due(ct0, 10); len(got) != 0 {
		t.Errorf("due before any = %v", got)
	}
	if got, want := due(ct0.Add(2*time.Second), 10), []string{"test:-3@1s", "test:-2@2s"}; !slices.Equal(got, want) {
		t.Errorf("due at 2s = %v, want %v (most overdue first)", got, want)
	}
	if got := due(ct0.Add(time.Hour), 2); len(got) != 2 {
		t.Errorf("due with limit 2 = %v", got)
	}
	// A save moves the chat's entry.
	mustSave(t, s, "test:-3", quiz.ChallengeWrite{Expect: 1, State: []byte("y"), ID: "AAAAAA", Open: -1, Due: ct0.Add(time.Minute)})
	if got, want := due(ct0.Add(3*time.Second), 10), []string{"test:-2@2s", "test:-1@3s"}; !slices.Equal(got, want) {
		t.Errorf("due after a move = %v, want %v", got, want)
	}
}

// testChallengeEnd: ending deletes the challenge and its answers only under its own id, and the
// index entry only while it is where the caller saw it.
func testChallengeEnd(t *testing.T, open Factory) {
	s := open(t)
	v := mustSave(t, s, chatA, opened(0, 0, ct0.Add(time.Minute)))
	mustPress(t, s, chatA, press("ada", 0, 1, ct0), quiz.PressRecorded)
	if err := s.EndChallenge(ctx, chatA, "BBBBBB", ct0); err != nil {
		t.Fatal(err)
	}
	if rec, _ := s.LoadChallenge(ctx, chatA); rec.Version != v {
		t.Fatalf("ending another challenge deleted this one: %+v", rec)
	}
	// The index entry is at ct0+1m, not ct0: it stays.
	if ds, _ := s.DueChallenges(ctx, ct0.Add(time.Hour), 10); len(ds) != 1 {
		t.Errorf("index after ending another challenge = %v", ds)
	}
	if err := s.EndChallenge(ctx, chatA, "AAAAAA", ct0.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	if rec, _ := s.LoadChallenge(ctx, chatA); rec.Version != 0 {
		t.Errorf("after EndChallenge: %+v", rec)
	}
	if ds, _ := s.DueChallenges(ctx, ct0.Add(time.Hour), 10); len(ds) != 0 {
		t.Errorf("index after EndChallenge = %v", ds)
	}
	// A new challenge in the chat starts with nothing of the old one, even under the same id.
	mustSave(t, s, chatA, opened(0, 0, ct0.Add(time.Minute)))
	mustPress(t, s, chatA, press("ada", 0, 1, ct0), quiz.PressRecorded)
	if got, _ := s.ClosePresses(ctx, chatA, "AAAAAA", 0); len(got) != 1 {
		t.Errorf("answers after a new start = %+v, want only the new one", got)
	}
}

func testChallengeRestart(t *testing.T, open Factory) {
	h := open(t)
	v := mustSave(t, h, chatA, opened(0, 0, ct0.Add(time.Minute)))
	mustPress(t, h, chatA, press("ada", 0, 3, ct0.Add(time.Second)), quiz.PressRecorded)
	s := h.Restart()
	rec, err := s.LoadChallenge(ctx, chatA)
	if err != nil || rec.Version != v || rec.Answers != 1 {
		t.Fatalf("after a restart: %+v, %v", rec, err)
	}
	mustPress(t, s, chatA, press("ada", 0, 1, ct0.Add(2*time.Second)), quiz.PressRepeated)
	if ds, _ := s.DueChallenges(ctx, ct0.Add(time.Hour), 10); len(ds) != 1 || ds[0].Chat != chatA {
		t.Errorf("index after a restart = %v", ds)
	}
	if got, _ := s.ClosePresses(ctx, chatA, "AAAAAA", 0); len(got) != 1 || got[0].Choice != 3 {
		t.Errorf("answers after a restart = %+v", got)
	}
}
