package replay

import (
	"bytes"
	"errors"
	"flag"
	"math"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/pybrarian/pybrarian/quiz/fsrs"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// referenceLog is the review log shipped with py-fsrs's tests.
const referenceLog = "testdata/review_logs_josh_1711744352250_to_1728234780857.csv"

func readReference(tb testing.TB) []Review {
	tb.Helper()
	f, err := os.Open(referenceLog)
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	reviews, err := ReadCSV(f)
	if err != nil {
		tb.Fatalf("ReadCSV(%s): %v", referenceLog, err)
	}
	return reviews
}

// Reference figures: shared notes §6 ("Reference numbers I computed"), from
// running py-fsrs v6.3.1 (fsrs/optimizer.py Optimizer._compute_batch_loss
// with DEFAULT_PARAMETERS) on py-fsrs tests/review_logs_josh_...csv: 5,329
// scored reviews, mean recall 0.79208, FSRS-6 log loss 0.458662, AVG
// 0.511186, srs-benchmark-style SM-2 0.546593.
func TestEvaluateReferenceLog(t *testing.T) {
	r := Evaluate(readReference(t), fsrs.DefaultParameters())

	if r.Reviews != 12580 || r.Cards != 1205 || r.Scored != 5329 {
		t.Errorf("reviews, cards, scored = %d, %d, %d; want 12580, 1205, 5329", r.Reviews, r.Cards, r.Scored)
	}
	if !near(r.MeanRecall, 0.79208, 1e-5) {
		t.Errorf("MeanRecall = %v, want 0.79208", r.MeanRecall)
	}
	tests := []struct {
		name    string
		logLoss float64
		tol     float64
	}{
		{ModelFSRSDefault, 0.458662, 0.001},
		{ModelSM2, 0.5466, 0.01},
		{ModelAverage, 0.5112, 0.01},
	}
	if len(r.Models) != len(tests) {
		t.Fatalf("got %d models, want %d: %+v", len(r.Models), len(tests), r.Models)
	}
	for i, tt := range tests {
		m := r.Models[i]
		if m.Name != tt.name {
			t.Errorf("model %d is %q, want %q", i, m.Name, tt.name)
		}
		if !near(m.LogLoss, tt.logLoss, tt.tol) {
			t.Errorf("%s log loss = %.6f, want %v ± %v", m.Name, m.LogLoss, tt.logLoss, tt.tol)
		}
		if !(m.RMSEBins > 0 && m.RMSEBins < 1) {
			t.Errorf("%s RMSE(bins) = %v, want within (0, 1)", m.Name, m.RMSEBins)
		}
	}
}

func TestEvaluateProtocol(t *testing.T) {
	at := func(days int, d time.Duration) time.Time {
		return time.Date(2024, 5, 1, 9, 0, 0, 0, time.UTC).AddDate(0, 0, days).Add(d)
	}
	// Given out of order on purpose: Evaluate sorts each card by time.
	reviews := []Review{
		{CardID: 7, Rating: fsrs.Again, Time: at(5, 0)},             // scored, 47 hours after the previous
		{CardID: 7, Rating: fsrs.Good, Time: at(0, 0)},              // first review
		{CardID: 9, Rating: fsrs.Good, Time: at(1, 0)},              // a card with one review
		{CardID: 7, Rating: fsrs.Good, Time: at(0, 10*time.Minute)}, // same day
		{CardID: 7, Rating: fsrs.Good, Time: at(2, time.Hour)},      // scored, 2 whole days later
		{CardID: 7, Rating: fsrs.Good, Time: at(2, 2*time.Hour)},    // same day
		{CardID: 7, Rating: fsrs.Good, Time: at(3, time.Hour)},      // 23 hours later: not scored
	}
	r := Evaluate(reviews, fsrs.DefaultParameters())
	if r.Reviews != 7 || r.Cards != 2 || r.Scored != 2 || r.MeanRecall != 0.5 {
		t.Fatalf("reviews, cards, scored, mean recall = %d, %d, %d, %v; want 7, 2, 2, 0.5", r.Reviews, r.Cards, r.Scored, r.MeanRecall)
	}

	// Replay card 7 by hand for the FSRS predictions.
	s, err := fsrs.NewScheduler(fsrs.DefaultParameters())
	if err != nil {
		t.Fatal(err)
	}
	var c fsrs.Card
	c = s.Review(c, fsrs.Good, at(0, 0), nil)
	c = s.Review(c, fsrs.Good, at(0, 10*time.Minute), nil)
	r1 := s.Retrievability(c, at(2, time.Hour))
	c = s.Review(c, fsrs.Good, at(2, time.Hour), nil)
	c = s.Review(c, fsrs.Good, at(2, 2*time.Hour), nil)
	c = s.Review(c, fsrs.Good, at(3, time.Hour), nil)
	r2 := s.Retrievability(c, at(5, 0))
	wantFSRS := -(math.Log(r1) + math.Log(1-r2)) / 2

	// SM-2 advances only on the first review and on scored ones: I = 1 at
	// the first scored review (2 whole days on), then 6 at the second (1).
	wantSM2 := -(math.Log(math.Pow(0.9, 2.0/1)) + math.Log(1-math.Pow(0.9, 1.0/6))) / 2

	got := map[string]float64{}
	for _, m := range r.Models {
		got[m.Name] = m.LogLoss
	}
	want := map[string]float64{
		ModelFSRSDefault: wantFSRS,
		ModelSM2:         wantSM2,
		ModelAverage:     math.Ln2,
	}
	if diff := cmp.Diff(want, got, cmp.Comparer(func(a, b float64) bool { return near(a, b, 1e-12) })); diff != "" {
		t.Errorf("log losses mismatch (-want +got):\n%s", diff)
	}
}

func TestEvaluateCapsReviewsPerCard(t *testing.T) {
	var reviews []Review
	for d := range 70 {
		reviews = append(reviews, Review{CardID: 1, Rating: fsrs.Good, Time: time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, d)})
	}
	if got := Evaluate(reviews, fsrs.DefaultParameters()).Scored; got != 63 {
		t.Errorf("Scored = %d for 70 daily reviews, want 63 (the first 64 reviews, less the first)", got)
	}
}

func TestEvaluateNames(t *testing.T) {
	p := fsrs.DefaultParameters()
	p.W[0] = 0.3
	r := Evaluate(nil, p)
	if r.Models[0].Name != ModelFSRSCustom {
		t.Errorf("model name with custom weights = %q, want %q", r.Models[0].Name, ModelFSRSCustom)
	}
	if r.Scored != 0 || !math.IsNaN(r.MeanRecall) || !math.IsNaN(r.Models[0].LogLoss) || !math.IsNaN(r.Models[0].RMSEBins) {
		t.Errorf("Evaluate(nil) = %+v, want zero counts and NaN metrics", r)
	}
}

func TestWriteText(t *testing.T) {
	r := Report{
		Reviews: 12580, Cards: 1205, Scored: 5329, MeanRecall: 0.79208,
		Models: []ModelScore{
			{ModelFSRSDefault, 0.4586623, 0.0956279},
			{ModelSM2, 0.546593, 0.0950473},
			{ModelAverage, 0.5111863, 0.1310459},
		},
	}
	var buf bytes.Buffer
	if err := r.WriteText(&buf); err != nil {
		t.Fatalf("WriteText: %v", err)
	}
	golden := filepath.Join("testdata", "report.golden")
	if *update {
		if err := os.WriteFile(golden, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if diff := cmp.Diff(string(want), buf.String()); diff != "" {
		t.Errorf("WriteText mismatch (-want +got):\n%s", diff)
	}

	errBroken := errors.New("disk full")
	if err := r.WriteText(failingWriter{errBroken}); !errors.Is(err, errBroken) {
		t.Errorf("WriteText to a failing writer = %v, want %v", err, errBroken)
	}
}

type failingWriter struct{ err error }

func (w failingWriter) Write([]byte) (int, error) { return 0, w.err }

func near(got, want, tol float64) bool { return math.Abs(got-want) <= tol }

func BenchmarkEvaluate(b *testing.B) {
	reviews := readReference(b)
	p := fsrs.DefaultParameters()
	b.ReportAllocs()
	for b.Loop() {
		Evaluate(reviews, p)
	}
	b.ReportMetric(float64(len(reviews))*float64(b.N)/b.Elapsed().Seconds(), "reviews/s")
}

// ScoreFSRS with no filter is Evaluate's FSRS row, to the last bit.
func TestScoreFSRSMatchesEvaluate(t *testing.T) {
	reviews := readReference(t)
	for _, w := range []fsrs.Weights{fsrs.DefaultWeights(), pyFSRSWeights} {
		p := fsrs.DefaultParameters()
		p.W = w
		r := Evaluate(reviews, p)
		got := ScoreFSRS(reviews, p, nil)
		want := Metrics{Scored: r.Scored, LogLoss: r.Models[0].LogLoss, RMSEBins: r.Models[0].RMSEBins}
		if got != want {
			t.Errorf("ScoreFSRS(nil filter) = %+v, Evaluate gives %+v", got, want)
		}
	}
	if got := ScoreFSRS(reviews, fsrs.DefaultParameters(), func(Review) bool { return false }); got.Scored != 0 || !math.IsNaN(got.LogLoss) || !math.IsNaN(got.RMSEBins) {
		t.Errorf("ScoreFSRS scoring nothing = %+v, want 0 and NaN metrics", got)
	}
}

// pyFSRSWeights are the weights py-fsrs 6.3.1's Optimizer fits to the
// reference log (py-fsrs tests/test_optimizer.py test_review_logs).
var pyFSRSWeights = fsrs.Weights{
	0.12340357383516173, 1.2931, 2.397673571899466, 8.2956, 6.686820427099132,
	0.45021679958387956, 3.077875127553957, 0.053520395733247045, 1.6539992229052127,
	0.1466206769107436, 0.6300772488850335, 1.611965002575047, 0.012840136810798864,
	0.34853762746216305, 1.8878958285806287, 0.8546376191171063, 1.8729, 0.6748536823468675,
	0.20451266082721842, 0.22622814695113844, 0.46030603398979064,
}

// Source: shared notes §6: py-fsrs 6.3.1's fitted weights give log loss
// 0.438675 in-sample on the reference log.
func TestEvaluatePyFSRSWeights(t *testing.T) {
	p := fsrs.DefaultParameters()
	p.W = pyFSRSWeights
	r := Evaluate(readReference(t), p)
	if m := r.Models[0]; m.Name != ModelFSRSCustom || !near(m.LogLoss, 0.438675, 0.0005) {
		t.Errorf("%s log loss = %.6f, want %s at 0.438675 ± 0.0005", m.Name, m.LogLoss, ModelFSRSCustom)
	}
}

// A held-out review is predicted from the card's whole history and binned
// by its place in it, not by its place among the reviews scored.
func TestScoreFSRSReplaysWholeHistory(t *testing.T) {
	at := func(days int) time.Time { return time.Date(2024, 5, 1, 9, 0, 0, 0, time.UTC).AddDate(0, 0, days) }
	reviews := []Review{
		{CardID: 3, Rating: fsrs.Good, Time: at(0)},
		{CardID: 3, Rating: fsrs.Again, Time: at(2)}, // replayed, not scored
		{CardID: 3, Rating: fsrs.Good, Time: at(5)},
		{CardID: 4, Rating: fsrs.Good, Time: at(0)},
		{CardID: 4, Rating: fsrs.Good, Time: at(3)},
	}
	got := ScoreFSRS(reviews, fsrs.DefaultParameters(), func(rv Review) bool { return !rv.Time.Equal(at(2)) })

	s, err := fsrs.NewScheduler(fsrs.DefaultParameters())
	if err != nil {
		t.Fatal(err)
	}
	var c3, c4 fsrs.Card
	c3 = s.Review(c3, fsrs.Good, at(0), nil)
	c3 = s.Review(c3, fsrs.Again, at(2), nil)
	r3 := s.Retrievability(c3, at(5))
	c4 = s.Review(c4, fsrs.Good, at(0), nil)
	r4 := s.Retrievability(c4, at(3))
	// Card 3's review is its third with one lapse before it, as in a full
	// evaluation; counted among the scored reviews only, it would share
	// card 4's bin (second review, no lapse).
	keys := []binKey{newBinKey(3, 3, 1), newBinKey(3, 2, 0)}
	want := Metrics{
		Scored:   2,
		LogLoss:  -(math.Log(r3) + math.Log(r4)) / 2,
		RMSEBins: rmseBins(keys, []float64{1, 1}, []float64{r3, r4}),
	}
	if keys[0] == keys[1] || want.RMSEBins == rmseBins([]binKey{keys[1], keys[1]}, []float64{1, 1}, []float64{r3, r4}) {
		t.Fatal("test cards do not separate the bins")
	}
	if got.Scored != want.Scored || !near(got.LogLoss, want.LogLoss, 1e-15) || !near(got.RMSEBins, want.RMSEBins, 1e-15) {
		t.Errorf("ScoreFSRS = %+v, want %+v", got, want)
	}
}
