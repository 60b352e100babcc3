// Package storetest is the conformance suite every progress backend must pass: the embedded bbolt
// store, the Redis store and the in-memory Memory run the same tests, so the bot behaves the same
// on any of them.
package storetest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/pybrarian/pybrarian/bot/tip"
	"github.com/pybrarian/pybrarian/quiz"
	"github.com/pybrarian/pybrarian/quiz/fsrs"
)

// Backend is everything a complete store provides: quiz progress, leaderboards and reports, chat
// and user settings, claims, and what Telegram quiz polls ask. The method sets are spelled out
// here rather than borrowed from their consumers, so this package depends on no consumer.
type Backend interface {
	quiz.Store
	quiz.Leaderboards
	quiz.Reports
	quiz.ParamStore
	Learners(ctx context.Context, fn func(user string) error) error
	quiz.ChallengeStore
	ChatSetting(ctx context.Context, chat, key string) (string, error)
	SetChatSetting(ctx context.Context, chat, key, value string) error
	UserSetting(ctx context.Context, user, key string) (string, error)
	SetUserSetting(ctx context.Context, user, key, value string) error
	Claim(ctx context.Context, key, owner string, ttl time.Duration) (bool, error)
	Take(ctx context.Context, key string) (string, bool, error)
	Release(ctx context.Context, key, owner string) error
	PutQuizPoll(ctx context.Context, id string, ref []byte) error
	QuizPoll(ctx context.Context, id string) ([]byte, error)
	tip.Store
}

// Harness is one fresh backend for one subtest.
type Harness struct {
	Backend
	// Restart closes the backend and opens it again on the same data, as a process restart
	// would; the suite checks that nothing acknowledged is lost.
	Restart func() Backend
	// Advance moves the backend's clock forward by d, so claims can be seen to expire without
	// waiting.
	Advance func(d time.Duration)
}

// Factory opens a fresh, empty backend for one subtest.
type Factory func(t *testing.T) Harness

// Run runs the whole suite, each subtest on a fresh backend.
func Run(t *testing.T, open Factory) {
	tests := []struct {
		name string
		fn   func(t *testing.T, open Factory)
	}{
		{"NewUserIsEmpty", testNewUser},
		{"CommitAndLoad", testCommitAndLoad},
		{"VersionConflict", testConflict},
		{"ConcurrentReadModifyWrite", testConcurrent},
		{"UsersAreIsolated", testIsolation},
		{"CreditCountsOnce", testCreditOnce},
		{"RejectedCommitEarnsNothing", testRejectedCredit},
		{"LeaderboardOrder", testLeaderboard},
		{"Forget", testForget},
		{"SetAside", testSetAside},
		{"History", testHistory},
		{"Params", testParams},
		{"Replace", testReplace},
		{"Reports", testReports},
		{"ReportsKeepTheNewest", testReportsTrimmed},
		{"ChatSettings", testChatSettings},
		{"UserSettings", testUserSettings},
		{"Claims", testClaims},
		{"ClaimsExpire", testClaimsExpire},
		{"TakeClaims", testTakeClaims},
		{"ConcurrentClaims", testConcurrentClaims},
		{"Polls", testPolls},
		{"RestartLosesNothing", testRestart},
		{"ManyCards", testManyCards},
	}
	tests = append(tests, challengeTests...)
	tests = append(tests, tipTests...)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { tt.fn(t, open) })
	}
}

var ctx = context.Background()

func mustCommit(t *testing.T, s quiz.Store, user string, w quiz.Write) uint64 {
	t.Helper()
	v, err := s.Commit(ctx, user, w)
	if err != nil {
		t.Fatalf("Commit(%s, expect %d): %v", user, w.Expect, err)
	}
	if v != w.Expect+1 {
		t.Fatalf("Commit(%s, expect %d) = version %d, want %d", user, w.Expect, v, w.Expect+1)
	}
	return v
}

func mustLoad(t *testing.T, s quiz.Store, user string, cards bool) quiz.Record {
	t.Helper()
	rec, err := s.Load(ctx, user, cards)
	if err != nil {
		t.Fatalf("Load(%s): %v", user, err)
	}
	return rec
}

func testNewUser(t *testing.T, open Factory) {
	s := open(t)
	rec := mustLoad(t, s, "test:new", true)
	if rec.Version != 0 || rec.Progress != nil || len(rec.Cards) != 0 {
		t.Errorf("Load of a new user = %+v, want a zero record", rec)
	}
}

func testCommitAndLoad(t *testing.T, open Factory) {
	s := open(t)
	u := "test:1"
	v := mustCommit(t, s, u, quiz.Write{Progress: []byte("p1"), Cards: map[string][]byte{"aaaaaa": {1, 2, 3}, "bbbbbb": {0, 0xff}}})
	v = mustCommit(t, s, u, quiz.Write{Expect: v, Progress: []byte("p2"), Cards: map[string][]byte{"aaaaaa": {9}}})

	rec := mustLoad(t, s, u, false)
	if rec.Version != v || string(rec.Progress) != "p2" || rec.Cards != nil {
		t.Errorf("Load(withCards=false) = %+v, want version %d, progress p2 and no cards", rec, v)
	}
	rec = mustLoad(t, s, u, true)
	want := map[string][]byte{"aaaaaa": {9}, "bbbbbb": {0, 0xff}}
	if diff := cmp.Diff(want, rec.Cards); diff != "" {
		t.Errorf("cards (-want +got):\n%s", diff)
	}
}

func testConflict(t *testing.T, open Factory) {
	s := open(t)
	u := "test:c"
	v := mustCommit(t, s, u, quiz.Write{Progress: []byte("first")})
	for _, expect := range []uint64{0, v + 1, v + 7} {
		_, err := s.Commit(ctx, u, quiz.Write{Expect: expect, Progress: []byte("stale"), Cards: map[string][]byte{"x": {1}}})
		if !errors.Is(err, quiz.ErrConflict) {
			t.Errorf("Commit with expect %d (stored %d) = %v, want ErrConflict", expect, v, err)
		}
	}
	rec := mustLoad(t, s, u, true)
	if rec.Version != v || string(rec.Progress) != "first" || len(rec.Cards) != 0 {
		t.Errorf("after rejected commits: %+v, want unchanged", rec)
	}
}

// testConcurrent runs many read-modify-write loops on one record; each increments a counter and
// retries on conflict, as the engine does. The final count must be exact.
func testConcurrent(t *testing.T, open Factory) {
	s := open(t)
	u := "test:race"
	const workers, each = 8, 25
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for i := 0; i < each; {
				rec, err := s.Load(ctx, u, false)
				if err != nil {
					t.Error(err)
					return
				}
				n := 0
				fmt.Sscan(string(rec.Progress), &n)
				_, err = s.Commit(ctx, u, quiz.Write{
					Expect: rec.Version, Progress: []byte(fmt.Sprint(n + 1)),
					Cards: map[string][]byte{fmt.Sprintf("w%d", w): {byte(i)}},
				})
				switch {
				case err == nil:
					i++
				case errors.Is(err, quiz.ErrConflict):
				default:
					t.Error(err)
					return
				}
			}
		}(w)
	}
	wg.Wait()
	rec := mustLoad(t, s, u, true)
	if string(rec.Progress) != fmt.Sprint(workers*each) || rec.Version != workers*each {
		t.Errorf("after %d increments: progress %q version %d", workers*each, rec.Progress, rec.Version)
	}
	if len(rec.Cards) != workers {
		t.Errorf("got %d cards, want %d", len(rec.Cards), workers)
	}
}

func testIsolation(t *testing.T, open Factory) {
	s := open(t)
	mustCommit(t, s, "test:a", quiz.Write{Progress: []byte("a"), Cards: map[string][]byte{"c1": {1}}})
	mustCommit(t, s, "test:b", quiz.Write{Progress: []byte("b"), Cards: map[string][]byte{"c2": {2}}})
	a := mustLoad(t, s, "test:a", true)
	if string(a.Progress) != "a" || len(a.Cards) != 1 || a.Cards["c1"] == nil {
		t.Errorf("user a sees %+v", a)
	}
}

func board(chat string) quiz.Board { return quiz.Board{Chat: chat, Week: "2026-W48"} }

func credit(b quiz.Board, answer, user string, pts int) *quiz.Credit {
	return &quiz.Credit{Board: b, Answer: answer, User: user, Name: "Name " + user, Points: pts}
}

func testCreditOnce(t *testing.T, open Factory) {
	s := open(t)
	b := board("test:g1")
	v := mustCommit(t, s, "test:u", quiz.Write{Progress: []byte("1"), Credit: credit(b, "ans-1", "test:u", 5)})
	// A retry of the same answer (after a lost reply, say) arrives with a new version.
	v = mustCommit(t, s, "test:u", quiz.Write{Expect: v, Progress: []byte("1"), Credit: credit(b, "ans-1", "test:u", 5)})
	mustCommit(t, s, "test:u", quiz.Write{Expect: v, Progress: []byte("2"), Credit: credit(b, "ans-2", "test:u", 3)})
	top, me, ok, err := s.Top(ctx, b, 10, "test:u")
	if err != nil {
		t.Fatal(err)
	}
	if !ok || me.Points != 8 || me.Rank != 1 || len(top) != 1 || top[0].Name != "Name test:u" {
		t.Errorf("Top = %+v, me = %+v %v; want 8 points (5 counted once, plus 3)", top, me, ok)
	}
}

func testRejectedCredit(t *testing.T, open Factory) {
	s := open(t)
	b := board("test:g2")
	mustCommit(t, s, "test:u", quiz.Write{Progress: []byte("1")})
	_, err := s.Commit(ctx, "test:u", quiz.Write{Expect: 0, Progress: []byte("x"), Credit: credit(b, "ans-9", "test:u", 5)})
	if !errors.Is(err, quiz.ErrConflict) {
		t.Fatalf("Commit with a stale version = %v, want ErrConflict", err)
	}
	if top, _, ok, err := s.Top(ctx, b, 10, "test:u"); err != nil || ok || len(top) != 0 {
		t.Errorf("a rejected commit must not earn points: Top = %+v, %v, %v", top, ok, err)
	}
}

func testLeaderboard(t *testing.T, open Factory) {
	s := open(t)
	b := board("test:g3")
	pts := map[string]int{"test:a": 7, "test:b": 12, "test:c": 3, "test:d": 9}
	for u, p := range pts {
		mustCommit(t, s, u, quiz.Write{Progress: []byte("x"), Credit: credit(b, "a-"+u, u, p)})
	}
	mustCommit(t, s, "test:e", quiz.Write{Progress: []byte("x"), Credit: credit(board("test:other"), "a-e", "test:e", 99)})
	top, me, ok, err := s.Top(ctx, b, 2, "test:c")
	if err != nil {
		t.Fatal(err)
	}
	want := []quiz.Standing{
		{User: "test:b", Name: "Name test:b", Points: 12, Rank: 1},
		{User: "test:d", Name: "Name test:d", Points: 9, Rank: 2},
	}
	if diff := cmp.Diff(want, top); diff != "" {
		t.Errorf("Top(2) (-want +got):\n%s", diff)
	}
	if !ok || me.Rank != 4 || me.Points != 3 {
		t.Errorf("standing of test:c = %+v %v, want rank 4 with 3 points", me, ok)
	}
	if _, _, ok, _ := s.Top(ctx, b, 2, "test:nobody"); ok {
		t.Errorf("a learner without points has no standing")
	}
}

func testForget(t *testing.T, open Factory) {
	s := open(t)
	b := board("test:g4")
	mustCommit(t, s, "test:gone", quiz.Write{Progress: []byte("p"), Cards: map[string][]byte{"c": {1}}, Credit: credit(b, "a1", "test:gone", 4)})
	mustCommit(t, s, "test:stays", quiz.Write{Progress: []byte("q"), Cards: map[string][]byte{"c": {2}}, Credit: credit(b, "a2", "test:stays", 2)})
	if err := s.Forget(ctx, "test:gone", []quiz.Board{b}); err != nil {
		t.Fatal(err)
	}
	if rec := mustLoad(t, s, "test:gone", true); rec.Version != 0 || rec.Progress != nil || len(rec.Cards) != 0 {
		t.Errorf("after Forget: %+v, want nothing left", rec)
	}
	top, _, ok, _ := s.Top(ctx, b, 10, "test:gone")
	if ok || len(top) != 1 || top[0].User != "test:stays" {
		t.Errorf("after Forget the leaderboard is %+v (standing %v), want only test:stays", top, ok)
	}
	if rec := mustLoad(t, s, "test:stays", true); string(rec.Progress) != "q" || len(rec.Cards) != 1 {
		t.Errorf("Forget touched another user: %+v", rec)
	}
	// A forgotten user starts again from version 0.
	mustCommit(t, s, "test:gone", quiz.Write{Progress: []byte("again")})
}

func testReports(t *testing.T, open Factory) {
	s := open(t)
	t0 := time.Date(2026, 11, 28, 10, 0, 0, 0, time.UTC)
	for i := 0; i < 5; i++ {
		r := quiz.Report{Card: fmt.Sprintf("card%d", i), Entry: "flask", Lang: "en", Text: fmt.Sprint("text ", i), Platform: "console", Time: t0.Add(time.Duration(i) * time.Minute)}
		if err := s.AddReport(ctx, r); err != nil {
			t.Fatal(err)
		}
	}
	got, err := s.ListReports(ctx, 3)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 3 || got[0].Card != "card4" || got[2].Card != "card2" || !got[0].Time.Equal(t0.Add(4*time.Minute)) || got[0].Text != "text 4" {
		t.Errorf("ListReports(3) = %+v, want cards 4, 3, 2 newest first", got)
	}
}

// testReportsTrimmed adds more reports than are kept: the newest 10,000 remain.
func testReportsTrimmed(t *testing.T, open Factory) {
	if testing.Short() {
		t.Skip("adds 10,005 reports")
	}
	s := open(t)
	for i := 0; i < 10_005; i++ {
		if err := s.AddReport(ctx, quiz.Report{Card: fmt.Sprint(i), Time: time.Unix(int64(i), 0).UTC()}); err != nil {
			t.Fatal(err)
		}
	}
	got, err := s.ListReports(ctx, 20_000)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 10_000 || got[0].Card != "10004" || got[len(got)-1].Card != "5" {
		t.Errorf("after 10,005 reports: %d kept, newest %v, oldest %v; want 10,000 from 10004 down to 5", len(got), got[0].Card, got[len(got)-1].Card)
	}
}

func testChatSettings(t *testing.T, open Factory) {
	s := open(t)
	if v, err := s.ChatSetting(ctx, "test:chat", "quizmode"); err != nil || v != "" {
		t.Errorf("unset setting = %q, %v; want \"\"", v, err)
	}
	if err := s.SetChatSetting(ctx, "test:chat", "quizmode", "poll"); err != nil {
		t.Fatal(err)
	}
	if v, _ := s.ChatSetting(ctx, "test:chat", "quizmode"); v != "poll" {
		t.Errorf("setting = %q, want poll", v)
	}
	if v, _ := s.ChatSetting(ctx, "test:other", "quizmode"); v != "" {
		t.Errorf("another chat's setting = %q, want \"\"", v)
	}
	if err := s.SetChatSetting(ctx, "test:chat", "quizmode", ""); err != nil {
		t.Fatal(err)
	}
	if v, _ := s.ChatSetting(ctx, "test:chat", "quizmode"); v != "" {
		t.Errorf("setting cleared with \"\" = %q", v)
	}
}

func testUserSettings(t *testing.T, open Factory) {
	s := open(t)
	if v, err := s.UserSetting(ctx, "test:u", "lang"); err != nil || v != "" {
		t.Errorf("unset user setting = %q, %v; want \"\"", v, err)
	}
	for _, st := range []struct{ user, value string }{{"test:u", "zh"}, {"test:v", "en"}} {
		if err := s.SetUserSetting(ctx, st.user, "lang", st.value); err != nil {
			t.Fatal(err)
		}
	}
	if v, _ := s.UserSetting(ctx, "test:u", "lang"); v != "zh" {
		t.Errorf("user setting = %q, want zh", v)
	}
	// Settings are not progress: a learner with settings only is still a new learner.
	if rec := mustLoad(t, s, "test:u", true); rec.Version != 0 || rec.Progress != nil {
		t.Errorf("settings changed the record: %+v", rec)
	}
	mustCommit(t, s, "test:u", quiz.Write{Progress: []byte("p")})
	if err := s.Forget(ctx, "test:u", nil); err != nil {
		t.Fatal(err)
	}
	if v, _ := s.UserSetting(ctx, "test:u", "lang"); v != "" {
		t.Errorf("after Forget the learner's setting is %q, want none", v)
	}
	if v, _ := s.UserSetting(ctx, "test:v", "lang"); v != "en" {
		t.Errorf("Forget touched another learner's setting: %q", v)
	}
	if v, _ := s.ChatSetting(ctx, "test:u", "lang"); v != "" {
		t.Errorf("a user setting leaked into chat settings: %q", v)
	}
}

func testClaims(t *testing.T, open Factory) {
	s := open(t)
	claim := func(key, owner string, want bool) {
		t.Helper()
		ok, err := s.Claim(ctx, key, owner, time.Minute)
		if err != nil || ok != want {
			t.Fatalf("Claim(%s, %s) = %v, %v; want %v", key, owner, ok, err, want)
		}
	}
	claim("tip:chat:2026-12-06", "a", true)
	claim("tip:chat:2026-12-06", "b", false)
	claim("tip:chat:2026-12-06", "a", true) // the holder renews
	claim("tip:chat:2026-12-07", "b", true) // another key is independent
	if err := s.Release(ctx, "tip:chat:2026-12-06", "b"); err != nil {
		t.Fatal(err)
	}
	claim("tip:chat:2026-12-06", "b", false) // b could not release a's claim
	if err := s.Release(ctx, "tip:chat:2026-12-06", "a"); err != nil {
		t.Fatal(err)
	}
	claim("tip:chat:2026-12-06", "b", true)
	if err := s.Release(ctx, "never-claimed", "a"); err != nil {
		t.Errorf("Release of a free key = %v, want nil", err)
	}
}

// testTakeClaims: Take hands a claim's owner to one taker, once; expired claims are gone.
func testTakeClaims(t *testing.T, open Factory) {
	h := open(t)
	if ok, err := h.Claim(ctx, "link:ABCDEFGH", "telegram|1|telegram:1", 10*time.Minute); !ok || err != nil {
		t.Fatalf("Claim = %v, %v", ok, err)
	}
	var wg sync.WaitGroup
	var mu sync.Mutex
	var got []string
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			owner, ok, err := h.Take(ctx, "link:ABCDEFGH")
			if err != nil {
				t.Error(err)
			}
			if ok {
				mu.Lock()
				got = append(got, owner)
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if len(got) != 1 || got[0] != "telegram|1|telegram:1" {
		t.Errorf("eight concurrent takes got %q; want the owner, once", got)
	}
	if _, ok, err := h.Take(ctx, "link:never"); ok || err != nil {
		t.Errorf("Take of a key never claimed = %v, %v", ok, err)
	}
	if h.Advance == nil {
		return
	}
	h.Claim(ctx, "link:SOON", "x", time.Minute)
	h.Advance(2 * time.Minute)
	if _, ok, err := h.Take(ctx, "link:SOON"); ok || err != nil {
		t.Errorf("Take of an expired claim = %v, %v; want none", ok, err)
	}
}

func testClaimsExpire(t *testing.T, open Factory) {
	h := open(t)
	if ok, _ := h.Claim(ctx, "lease", "a", time.Minute); !ok {
		t.Fatal("first claim refused")
	}
	if ok, _ := h.Claim(ctx, "long", "a", time.Hour); !ok {
		t.Fatal("first claim refused")
	}
	h.Advance(59 * time.Second)
	if ok, _ := h.Claim(ctx, "lease", "b", time.Minute); ok {
		t.Errorf("claim taken before it expired")
	}
	h.Advance(2 * time.Second)
	if ok, _ := h.Claim(ctx, "lease", "b", time.Minute); !ok {
		t.Errorf("expired claim could not be taken")
	}
	if err := h.Release(ctx, "lease", "a"); err != nil {
		t.Fatal(err)
	}
	if ok, _ := h.Claim(ctx, "lease", "c", time.Minute); ok {
		t.Errorf("the expired owner's release freed the new owner's claim")
	}
	if ok, _ := h.Claim(ctx, "long", "b", time.Hour); ok {
		t.Errorf("a claim with a longer ttl expired with the short one")
	}
}

// testConcurrentClaims races many owners for each of several keys: exactly one wins each key.
func testConcurrentClaims(t *testing.T, open Factory) {
	s := open(t)
	const owners, keys = 8, 20
	var mu sync.Mutex
	won := map[string][]string{}
	var wg sync.WaitGroup
	for o := 0; o < owners; o++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for k := 0; k < keys; k++ {
				key := fmt.Sprintf("race:%d", k)
				ok, err := s.Claim(ctx, key, fmt.Sprintf("owner-%d", o), time.Minute)
				if err != nil {
					t.Error(err)
					return
				}
				if ok {
					mu.Lock()
					won[key] = append(won[key], fmt.Sprint(o))
					mu.Unlock()
				}
			}
		}()
	}
	wg.Wait()
	for k := 0; k < keys; k++ {
		if w := won[fmt.Sprintf("race:%d", k)]; len(w) != 1 {
			t.Errorf("key race:%d won by %v, want exactly one owner", k, w)
		}
	}
}

func testPolls(t *testing.T, open Factory) {
	s := open(t)
	if ref, err := s.QuizPoll(ctx, "unknown"); ref != nil || err != nil {
		t.Errorf("Poll(unknown) = %q, %v; want nil, nil", ref, err)
	}
	if err := s.PutQuizPoll(ctx, "p1", []byte(`{"chat":"1"}`)); err != nil {
		t.Fatal(err)
	}
	if ref, _ := s.QuizPoll(ctx, "p1"); string(ref) != `{"chat":"1"}` {
		t.Errorf("Poll(p1) = %q", ref)
	}
}

func testSetAside(t *testing.T, open Factory) {
	s := open(t)
	mustCommit(t, s, "test:bad", quiz.Write{Progress: []byte("{not json"), Cards: map[string][]byte{"c": {1}}})
	if err := s.SetAside(ctx, "test:bad"); err != nil {
		t.Fatal(err)
	}
	if err := s.Forget(ctx, "test:bad", nil); err != nil {
		t.Fatal(err)
	}
	if rec := mustLoad(t, s, "test:bad", true); rec.Version != 0 || rec.Progress != nil {
		t.Errorf("after SetAside and Forget the learner still has %+v", rec)
	}
	if err := s.SetAside(ctx, "test:nobody"); err != nil {
		t.Errorf("SetAside of a learner without a record = %v, want nil", err)
	}
}

func testRestart(t *testing.T, open Factory) {
	h := open(t)
	var s Backend = h
	b := board("test:g5")
	v := mustCommit(t, s, "test:r", quiz.Write{Progress: []byte("kept"), Cards: map[string][]byte{"c1": {7, 7}}, Credit: credit(b, "a", "test:r", 6)})
	if err := s.AddReport(ctx, quiz.Report{Card: "c1", Text: "unclear", Time: time.Unix(1, 0).UTC()}); err != nil {
		t.Fatal(err)
	}
	if err := s.SetChatSetting(ctx, "test:chat", "quizmode", "poll"); err != nil {
		t.Fatal(err)
	}
	if err := s.SetUserSetting(ctx, "test:r", "lang", "zh"); err != nil {
		t.Fatal(err)
	}
	if ok, err := s.Claim(ctx, "job", "replica-1", time.Hour); !ok || err != nil {
		t.Fatalf("Claim = %v, %v", ok, err)
	}
	if err := s.PutQuizPoll(ctx, "poll-1", []byte("ref")); err != nil {
		t.Fatal(err)
	}
	s = h.Restart()
	rec := mustLoad(t, s, "test:r", true)
	if rec.Version != v || string(rec.Progress) != "kept" || !bytes.Equal(rec.Cards["c1"], []byte{7, 7}) {
		t.Errorf("after restart: %+v", rec)
	}
	if _, me, ok, _ := s.Top(ctx, b, 5, "test:r"); !ok || me.Points != 6 {
		t.Errorf("leaderboard after restart: %+v %v", me, ok)
	}
	if rs, _ := s.ListReports(ctx, 10); len(rs) != 1 || rs[0].Text != "unclear" {
		t.Errorf("reports after restart: %+v", rs)
	}
	if v, _ := s.ChatSetting(ctx, "test:chat", "quizmode"); v != "poll" {
		t.Errorf("chat setting after restart: %q", v)
	}
	if v, _ := s.UserSetting(ctx, "test:r", "lang"); v != "zh" {
		t.Errorf("user setting after restart: %q", v)
	}
	if ok, _ := s.Claim(ctx, "job", "replica-2", time.Hour); ok {
		t.Errorf("a claim did not survive the restart")
	}
	if ref, _ := s.QuizPoll(ctx, "poll-1"); string(ref) != "ref" {
		t.Errorf("poll after restart: %q", ref)
	}
}

func testManyCards(t *testing.T, open Factory) {
	s := open(t)
	cards := map[string][]byte{}
	for i := 0; i < 300; i++ {
		cards[fmt.Sprintf("c%05d", i)] = bytes.Repeat([]byte{byte(i)}, 18)
	}
	mustCommit(t, s, "test:many", quiz.Write{Progress: []byte("p"), Cards: cards})
	rec := mustLoad(t, s, "test:many", true)
	if diff := cmp.Diff(cards, rec.Cards); diff != "" {
		t.Errorf("300 cards round trip (-want +got):\n%s", diff)
	}
}

// testReplace: a replacement takes the place of everything quiz progress keeps (progress, cards,
// history, weights), only at the version expected, and leaves the learner's settings alone.
func testReplace(t *testing.T, open Factory) {
	h := open(t)
	var s Backend = h
	state := func(b byte) []byte { return bytes.Repeat([]byte{b}, 18) }
	v := mustCommit(t, s, "test:r", quiz.Write{Progress: []byte("old"), Cards: map[string][]byte{"c1": state(1), "c2": state(2)}, Review: review(1)})
	if err := s.SetParams(ctx, "test:r", []byte("weights")); err != nil {
		t.Fatal(err)
	}
	v++
	if err := s.SetUserSetting(ctx, "test:r", "lang", "zh"); err != nil {
		t.Fatal(err)
	}
	var history []byte
	for i := range quiz.MaxHistory + 10 {
		history = append(history, review(1000+i)...)
	}
	rec := quiz.Record{Progress: []byte("new"), Cards: map[string][]byte{"c3": state(3)}}
	if _, err := s.Replace(ctx, "test:r", v-1, rec, history); !errors.Is(err, quiz.ErrConflict) {
		t.Fatalf("Replace at a stale version = %v, want ErrConflict", err)
	}
	if got := mustLoad(t, s, "test:r", true); string(got.Progress) != "old" || len(got.Cards) != 2 {
		t.Fatalf("a refused replacement changed the record: %+v", got)
	}
	nv, err := s.Replace(ctx, "test:r", v, rec, history)
	if err != nil || nv != v+1 {
		t.Fatalf("Replace = %d, %v; want version %d", nv, err, v+1)
	}
	s = h.Restart()
	got := mustLoad(t, s, "test:r", true)
	if string(got.Progress) != "new" || len(got.Cards) != 1 || !bytes.Equal(got.Cards["c3"], state(3)) || got.Params != nil || got.Version != v+1 {
		t.Errorf("after Replace the record is %+v; want only the new progress and card, no weights", got)
	}
	hist, err := s.History(ctx, "test:r")
	if err != nil || !bytes.Equal(hist, history[10*quiz.ReviewLen:]) {
		t.Errorf("after Replace the history has %d reviews (%v); want the newest %d given", len(hist)/quiz.ReviewLen, err, quiz.MaxHistory)
	}
	if lang, _ := s.UserSetting(ctx, "test:r", "lang"); lang != "zh" {
		t.Errorf("Replace lost the learner's settings: lang = %q", lang)
	}
	// Answers go on after a replacement, appending to the history it wrote.
	mustCommit(t, s, "test:r", quiz.Write{Expect: v + 1, Progress: []byte("next"), Review: review(5000)})
	if hist, _ := s.History(ctx, "test:r"); !bytes.Equal(hist[len(hist)-quiz.ReviewLen:], review(5000)) || len(hist) != quiz.MaxHistory*quiz.ReviewLen {
		t.Errorf("a commit after Replace: history of %d reviews ending %x", len(hist)/quiz.ReviewLen, hist[len(hist)-quiz.ReviewLen:])
	}
	// A learner with no record yet: expect 0.
	if v, err := s.Replace(ctx, "test:fresh", 0, quiz.Record{Progress: []byte("p"), Params: []byte("w")}, nil); err != nil || v != 1 {
		t.Fatalf("Replace of a new learner = %d, %v", v, err)
	}
	if got := mustLoad(t, s, "test:fresh", false); string(got.Params) != "w" || string(got.Progress) != "p" {
		t.Errorf("new learner after Replace = %+v", got)
	}
}

func review(i int) []byte {
	return quiz.PackReview(quiz.Review{Card: fmt.Sprintf("c%05d", i%1000), Time: time.Unix(int64(1_700_000_000+i), 0), Rating: fsrs.Rating(1 + i%4), Duration: time.Duration(i%100) * time.Second})
}

// testHistory appends a review with each commit: History returns them oldest first, keeps only
// the newest quiz.MaxHistory, survives a restart and goes with Forget. A rejected commit adds
// nothing.
func testHistory(t *testing.T, open Factory) {
	h := open(t)
	var s Backend = h
	if b, err := s.History(ctx, "test:h"); err != nil || b != nil {
		t.Errorf("History of a new learner = %d bytes, %v; want nil", len(b), err)
	}
	const n = quiz.MaxHistory + 50
	v := uint64(0)
	for i := range n {
		v = mustCommit(t, s, "test:h", quiz.Write{Expect: v, Progress: []byte("p"), Review: review(i)})
	}
	if _, err := s.Commit(ctx, "test:h", quiz.Write{Expect: 0, Progress: []byte("x"), Review: review(99999)}); !errors.Is(err, quiz.ErrConflict) {
		t.Fatalf("a stale commit = %v", err)
	}
	s = h.Restart()
	b, err := s.History(ctx, "test:h")
	if err != nil {
		t.Fatal(err)
	}
	got := quiz.UnpackHistory(b)
	if len(got) != quiz.MaxHistory {
		t.Fatalf("History has %d reviews after %d commits, want the newest %d", len(got), n, quiz.MaxHistory)
	}
	want := quiz.UnpackHistory(review(n - quiz.MaxHistory))[0]
	if got[0] != want || got[len(got)-1] != quiz.UnpackHistory(review(n - 1))[0] {
		t.Errorf("History runs from %+v to %+v; want from %+v to the last one", got[0], got[len(got)-1], want)
	}
	if err := s.Forget(ctx, "test:h", nil); err != nil {
		t.Fatal(err)
	}
	if b, _ := s.History(ctx, "test:h"); b != nil {
		t.Errorf("after Forget the history has %d bytes", len(b))
	}
}

// testParams stores a learner's own weights and the community's: Load returns the learner's,
// a commit keeps them, and storing them moves the version on so cached records are re-read.
func testParams(t *testing.T, open Factory) {
	s := open(t)
	v := mustCommit(t, s, "test:p", quiz.Write{Progress: []byte("p")})
	if err := s.SetParams(ctx, "test:p", []byte(`{"w":[1]}`)); err != nil {
		t.Fatal(err)
	}
	rec := mustLoad(t, s, "test:p", false)
	if string(rec.Params) != `{"w":[1]}` || rec.Version != v+1 {
		t.Fatalf("after SetParams: params %q version %d; want the weights and version %d", rec.Params, rec.Version, v+1)
	}
	if _, err := s.Commit(ctx, "test:p", quiz.Write{Expect: v, Progress: []byte("stale")}); !errors.Is(err, quiz.ErrConflict) {
		t.Errorf("a commit on the version before SetParams = %v, want ErrConflict", err)
	}
	mustCommit(t, s, "test:p", quiz.Write{Expect: v + 1, Progress: []byte("q")})
	if rec := mustLoad(t, s, "test:p", true); string(rec.Params) != `{"w":[1]}` {
		t.Errorf("a commit dropped the weights: %q", rec.Params)
	}
	mustCommit(t, s, "test:p2", quiz.Write{Progress: []byte("p"), Review: review(1)})
	mustCommit(t, s, "test:p3", quiz.Write{Progress: []byte("p")}) // no history
	var learners []string
	if err := s.Learners(ctx, func(u string) error { learners = append(learners, u); return nil }); err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(learners) != "[test:p2]" {
		t.Errorf("Learners = %v, want the one learner with a history", learners)
	}
	if err := s.SetParams(ctx, "test:p", nil); err != nil {
		t.Fatal(err)
	}
	if rec := mustLoad(t, s, "test:p", false); rec.Params != nil {
		t.Errorf("SetParams(nil) left %q", rec.Params)
	}
	if c, err := s.CommunityParams(ctx); c != nil || err != nil {
		t.Errorf("CommunityParams before any = %q, %v", c, err)
	}
	if err := s.SetCommunityParams(ctx, []byte("community")); err != nil {
		t.Fatal(err)
	}
	if c, _ := s.CommunityParams(ctx); string(c) != "community" {
		t.Errorf("CommunityParams = %q", c)
	}
}
