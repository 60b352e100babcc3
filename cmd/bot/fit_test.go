package main

import (
	"context"
	"encoding/json"
	"math"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/pybrarian/pybrarian/quiz/fsrs"
	"github.com/pybrarian/pybrarian/quiz/replay"
)

const sharedLog = "../../quiz/replay/testdata/review_logs_josh_1711744352250_to_1728234780857.csv"

// The JSON contract of `bot evaluate -optimize -json`, and the accuracy targets on the shared log:
// in-sample log loss within 0.005 of py-fsrs 6.3.1's 0.438675; on held-out cards at least 0.005
// below the defaults; on the last fifth in time no more than 0.005 above them.
func TestEvaluateOptimizeJSON(t *testing.T) {
	code, out, stderr := runBot(t, []string{"evaluate", "--optimize", "-json", sharedLog}, "", nil)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	lines := strings.Split(strings.TrimRight(out, "\n"), "\n")
	last := lines[len(lines)-1]

	if got, want := jsonKeys(t, last), []string{"scored", "seconds", "weights", "cards_weights", "time_weights", "default", "optimized"}; !slices.Equal(got, want) {
		t.Errorf("top-level keys = %v, want %v in that order", got, want)
	}
	var raw map[string]json.RawMessage
	if err := json.Unmarshal([]byte(last), &raw); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"default", "optimized"} {
		if got, want := jsonKeys(t, string(raw[k])), []string{"in_sample", "held_out_cards", "held_out_time"}; !slices.Equal(got, want) {
			t.Errorf("%s keys = %v, want %v", k, got, want)
		}
	}

	type score struct {
		LogLoss  *float64 `json:"log_loss"`
		RMSEBins *float64 `json:"rmse_bins"`
	}
	type splits struct {
		InSample     score `json:"in_sample"`
		HeldOutCards score `json:"held_out_cards"`
		HeldOutTime  score `json:"held_out_time"`
	}
	var r struct {
		Scored       int       `json:"scored"`
		Seconds      float64   `json:"seconds"`
		Weights      []float64 `json:"weights"`
		CardsWeights []float64 `json:"cards_weights"`
		TimeWeights  []float64 `json:"time_weights"`
		Default      splits    `json:"default"`
		Optimized    splits    `json:"optimized"`
	}
	dec := json.NewDecoder(strings.NewReader(last))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&r); err != nil {
		t.Fatalf("decoding %s: %v", last, err)
	}
	if r.Scored != 5329 || !(r.Seconds > 0 && r.Seconds < 10) {
		t.Errorf("scored %d in %v s; want 5329 in under 10 s", r.Scored, r.Seconds)
	}
	for name, ws := range map[string][]float64{"weights": r.Weights, "cards_weights": r.CardsWeights, "time_weights": r.TimeWeights} {
		if len(ws) != 21 {
			t.Errorf("%s has %d numbers, want 21", name, len(ws))
			continue
		}
		if err := fsrs.Weights(ws).Validate(); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
	for _, s := range []score{r.Default.InSample, r.Default.HeldOutCards, r.Default.HeldOutTime, r.Optimized.InSample, r.Optimized.HeldOutCards, r.Optimized.HeldOutTime} {
		if s.LogLoss == nil || s.RMSEBins == nil || !(*s.RMSEBins > 0 && *s.RMSEBins < 1) {
			t.Fatalf("a score is missing or out of range: %s", last)
		}
	}
	def, opt := r.Default, r.Optimized
	// The default figures are fixed by the log and the split rules.
	for _, c := range []struct {
		name      string
		got, want float64
	}{
		{"default in-sample", *def.InSample.LogLoss, 0.458662},
		{"default held-out cards", *def.HeldOutCards.LogLoss, 0.445677},
		{"default held-out time", *def.HeldOutTime.LogLoss, 0.451457},
	} {
		if math.Abs(c.got-c.want) > 5e-7 {
			t.Errorf("%s log loss = %.7f, want %v", c.name, c.got, c.want)
		}
	}
	if got := *opt.InSample.LogLoss; got > 0.4437 {
		t.Errorf("optimised in-sample log loss = %.6f, want ≤ 0.4437 (py-fsrs 0.438675)", got)
	}
	if got, bound := *opt.HeldOutCards.LogLoss, *def.HeldOutCards.LogLoss-0.005; got > bound {
		t.Errorf("optimised held-out cards log loss = %.6f, want ≤ %.6f (defaults − 0.005)", got, bound)
	}
	if got, bound := *opt.HeldOutTime.LogLoss, *def.HeldOutTime.LogLoss+0.005; got > bound {
		t.Errorf("optimised held-out time log loss = %.6f, want ≤ %.6f (defaults + 0.005)", got, bound)
	}
}

func TestEvaluateOptimizeText(t *testing.T) {
	code, out, stderr := runBot(t, []string{"evaluate", "-optimize", sharedLog}, "", nil)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, want := range []string{"scored 5329", "in-sample       5329    0.458662", "held-out cards  1055    0.445677", "held-out time   1337    0.451457", "231 of 1205 cards", "2024-09-25T16:39:39Z", "w20", "fitted the whole log"} {
		if !strings.Contains(out+stderr, want) {
			t.Errorf("evaluate -optimize output lacks %q:\n%s%s", want, out, stderr)
		}
	}
}

func TestEvaluateOptimizeErrors(t *testing.T) {
	small := filepath.Join(t.TempDir(), "small.csv")
	mustWrite(t, small, "card_id,review_rating,review_time,review_duration\n"+
		"1,3,2024-03-29T20:32:32+00:00,100\n1,3,2024-03-31T20:32:32+00:00,100\n")
	tests := []struct {
		name     string
		args     []string
		code     int
		inStderr string
	}{
		{"json without optimize", []string{"evaluate", "-json", sharedLog}, 2, "usage"},
		{"flags after the file", []string{"evaluate", sharedLog, "-optimize"}, 2, "usage"},
		{"unknown flag", []string{"evaluate", "-fast", sharedLog}, 2, "-fast"},
		{"too few reviews", []string{"evaluate", "-optimize", small}, 1, "fewer than 512 scored reviews"},
		{"missing file", []string{"evaluate", "-optimize", "nope.csv"}, 1, "nope.csv"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, stderr := runBot(t, tt.args, "", nil)
			if code != tt.code || !strings.Contains(stderr, tt.inStderr) {
				t.Errorf("exit %d, stderr %q; want exit %d and %q", code, stderr, tt.code, tt.inStderr)
			}
		})
	}
}

// jsonKeys returns the keys of the JSON object obj in the order they appear.
func jsonKeys(t *testing.T, obj string) []string {
	t.Helper()
	var keys []string
	dec := json.NewDecoder(strings.NewReader(obj))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		t.Fatalf("%q is not a JSON object", obj)
	}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			t.Fatal(err)
		}
		keys = append(keys, tok.(string))
		var skip json.RawMessage
		if err := dec.Decode(&skip); err != nil {
			t.Fatal(err)
		}
	}
	return keys
}

// A log just big enough to fit as a whole leaves too few reviews for the held-out fits: those
// report the default weights, with a note, instead of failing the whole comparison.
func TestCompareFitsSmallLog(t *testing.T) {
	var reviews []replay.Review
	start := time.Date(2024, 1, 1, 9, 0, 0, 0, time.UTC)
	for c := range 60 {
		for d := range 11 { // 10 scored reviews per card, 600 in all
			g := fsrs.Good
			if (c+d)%4 == 0 {
				g = fsrs.Again
			}
			reviews = append(reviews, replay.Review{CardID: int64(c), Rating: g, Time: start.AddDate(0, 0, 2*d).Add(time.Duration(c) * time.Minute)})
		}
	}
	tick := start
	now := func() time.Time { tick = tick.Add(time.Second); return tick }
	r, err := compareFits(context.Background(), reviews, now)
	if err != nil {
		t.Fatal(err)
	}
	if r.Scored != 600 || r.Seconds != 1 || r.Weights == fsrs.DefaultWeights() {
		t.Errorf("whole-log fit: scored %d in %v s, weights %v; want 600 in 1 s (the fake clock), fitted weights", r.Scored, r.Seconds, r.Weights)
	}
	if r.CardsWeights != fsrs.DefaultWeights() || r.TimeWeights != fsrs.DefaultWeights() || len(r.notes) != 2 {
		t.Errorf("held-out fits = %v, %v with notes %q; want the defaults and two notes", r.CardsWeights, r.TimeWeights, r.notes)
	}
	if r.Optimized.HeldOutCards != r.Default.HeldOutCards {
		t.Errorf("held-out cards: optimised %+v, default %+v; want the same, since no fit was possible", r.Optimized.HeldOutCards, r.Default.HeldOutCards)
	}
}

func TestFitScoreJSON(t *testing.T) {
	b, err := json.Marshal(fitScore{Scored: 0, LogLoss: math.NaN(), RMSEBins: math.NaN()})
	if err != nil || string(b) != `{"log_loss":null,"rmse_bins":null}` {
		t.Errorf("JSON of an empty score = %s, %v; want nulls", b, err)
	}
	b, err = json.Marshal(fitScore{Scored: 3, LogLoss: 0.5, RMSEBins: 0.25})
	if err != nil || string(b) != `{"log_loss":0.5,"rmse_bins":0.25}` {
		t.Errorf("JSON of a score = %s, %v", b, err)
	}
}
