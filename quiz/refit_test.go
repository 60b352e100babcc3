package quiz_test

import (
	"encoding/base64"
	"os"
	"slices"
	"testing"
	"time"

	"github.com/pybrarian/pybrarian/quiz"
	"github.com/pybrarian/pybrarian/quiz/replay"
	"github.com/pybrarian/pybrarian/store/storetest"
)

// cardID is the 6-character id whose CardNumber is n, the inverse an exported log is read back with.
func cardID(n int64) string {
	var b [6]byte
	v := n << 4
	for i := 4; i >= 0; i-- {
		b[i] = byte(v)
		v >>= 8
	}
	return base64.RawURLEncoding.EncodeToString(b[:5])[:6]
}

func TestCardNumberRoundTrip(t *testing.T) {
	for _, n := range []int64{0, 1, 1711744352250 % (1 << 36), 1<<36 - 1} {
		if got, err := quiz.CardNumber(cardID(n)); err != nil || got != n {
			t.Errorf("CardNumber(cardID(%d)) = %d, %v", n, got, err)
		}
	}
}

// TestRefitStoresAndUsesPersonalWeights gives a learner the shared review log's last 2,000 reviews
// as their history, runs the weekly refit, and checks their own weights are stored and then used:
// /stats reports them, and a learner with few reviews keeps the community's.
func TestRefitStoresAndUsesPersonalWeights(t *testing.T) {
	f, err := os.Open("replay/testdata/review_logs_josh_1711744352250_to_1728234780857.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	log, err := replay.ReadCSV(f)
	if err != nil {
		t.Fatal(err)
	}
	slices.SortStableFunc(log, func(a, b replay.Review) int { return a.Time.Compare(b.Time) })
	// The learner's history: whole card histories (the first 64 reviews of each card, as the
	// optimiser replays them), card after card as they first appear, up to the 2,000 kept.
	perCard := map[int64]int{}
	var first []int64
	for _, r := range log {
		if perCard[r.CardID] == 0 {
			first = append(first, r.CardID)
		}
		perCard[r.CardID]++
	}
	chosen, total := map[int64]bool{}, 0
	for _, c := range first {
		n := min(perCard[c], 64)
		if total+n > quiz.MaxHistory {
			break
		}
		chosen[c], total = true, total+n
	}
	st := storetest.NewMemory()
	v := uint64(0)
	seen := map[int64]int{}
	for _, r := range log {
		if !chosen[r.CardID] || seen[r.CardID] == 64 {
			continue
		}
		seen[r.CardID]++
		id := cardID(r.CardID % (1 << 36))
		w := quiz.Write{Expect: v, Progress: []byte(`{"v":1}`),
			Cards:  map[string][]byte{id: quiz.PackState(quiz.CardState{Reps: seen[r.CardID]})},
			Review: quiz.PackReview(quiz.Review{Card: id, Time: r.Time, Rating: r.Rating, Duration: r.Duration})}
		if v, err = st.Commit(ctx, "test:josh", w); err != nil {
			t.Fatal(err)
		}
	}
	// A second learner with a handful of reviews: pooled for the community, too few of their own.
	for i, r := range log[:30] {
		w := quiz.Write{Expect: uint64(i), Progress: []byte(`{"v":1}`), Review: quiz.PackReview(quiz.Review{Card: cardID(r.CardID % (1 << 36)), Time: r.Time, Rating: r.Rating})}
		if _, err := st.Commit(ctx, "test:few", w); err != nil {
			t.Fatal(err)
		}
	}
	now := time.Date(2026, 12, 7, 4, 0, 0, 0, time.UTC)
	rep, err := (&quiz.Refit{Store: st}).Run(ctx, now)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Learners != 2 || rep.Fitted != 1 || rep.Kept != 1 {
		t.Fatalf("refit report = %+v, want 2 learners, 1 fitted and kept", rep)
	}
	rec, _ := st.Load(ctx, "test:josh", false)
	p, err := quiz.DecodeParams(rec.Params)
	if err != nil || p.Source != quiz.ParamsPersonal || !(p.LogLoss < p.Baseline) || p.Reviews < quiz.MinPersonalReviews {
		t.Fatalf("stored weights = %+v, %v; want personal ones that beat their baseline", p, err)
	}
	e, err := quiz.NewEngine(quiz.Config{Bank: bank(t), Store: st, Community: st})
	if err != nil {
		t.Fatal(err)
	}
	if s, err := e.Stats(ctx, "test:josh", now, nil); err != nil || s.Params != quiz.ParamsPersonal {
		t.Errorf("Stats for the refitted learner: params %q, %v; want personal", s.Params, err)
	}
	want := quiz.ParamsDefault
	if rep.Community {
		want = quiz.ParamsCommunity
	}
	if s, err := e.Stats(ctx, "test:few", now, nil); err != nil || s.Params != want {
		t.Errorf("Stats for a learner with few reviews: params %q, %v; want %s", s.Params, err, want)
	}
}
