package optimize

import (
	"math/rand/v2"
	"os"
	"testing"
	"time"

	"github.com/pybrarian/pybrarian/quiz/fsrs"
	"github.com/pybrarian/pybrarian/quiz/replay"
)

// sharedLog is the public py-fsrs test log (12,580 reviews of 1,205 cards)
// that quiz/replay ships; py-fsrs 6.3.1's optimiser results on it are known.
const sharedLog = "../../replay/testdata/review_logs_josh_1711744352250_to_1728234780857.csv"

// pyFSRSWeights are the weights py-fsrs 6.3.1's Optimizer fits to
// sharedLog (tests/test_optimizer.py test_review_logs; shared notes §6).
var pyFSRSWeights = fsrs.Weights{
	0.12340357383516173, 1.2931, 2.397673571899466, 8.2956, 6.686820427099132,
	0.45021679958387956, 3.077875127553957, 0.053520395733247045, 1.6539992229052127,
	0.1466206769107436, 0.6300772488850335, 1.611965002575047, 0.012840136810798864,
	0.34853762746216305, 1.8878958285806287, 0.8546376191171063, 1.8729, 0.6748536823468675,
	0.20451266082721842, 0.22622814695113844, 0.46030603398979064,
}

func readShared(tb testing.TB) []replay.Review {
	tb.Helper()
	f, err := os.Open(sharedLog)
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	rs, err := replay.ReadCSV(f)
	if err != nil {
		tb.Fatal(err)
	}
	return rs
}

func fromReplay(rs []replay.Review) []Review {
	out := make([]Review, len(rs))
	for i, r := range rs {
		out[i] = Review{CardID: r.CardID, Rating: r.Rating, Time: r.Time}
	}
	return out
}

func toReplay(rs []Review) []replay.Review {
	out := make([]replay.Review, len(rs))
	for i, r := range rs {
		out[i] = replay.Review{CardID: r.CardID, Rating: r.Rating, Time: r.Time}
	}
	return out
}

// syntheticLog makes a log that takes every branch of the memory model:
// all four ratings, same-day repeats, and gaps from hours to months.
func syntheticLog(cards, perCard int, seed uint64) []Review {
	rnd := rand.New(rand.NewPCG(seed, 99))
	var out []Review
	for c := range cards {
		now := time.Date(2024, 1, 1, 8, 0, 0, 0, time.UTC).Add(time.Duration(c) * time.Hour)
		for range perCard {
			g := fsrs.Rating(1 + rnd.IntN(4))
			out = append(out, Review{CardID: int64(1000 + c), Rating: g, Time: now})
			switch rnd.IntN(4) {
			case 0:
				now = now.Add(time.Duration(1+rnd.IntN(600)) * time.Minute) // same day
			case 1:
				now = now.Add(time.Duration(24+rnd.IntN(48)) * time.Hour)
			default:
				now = now.AddDate(0, 0, 2+rnd.IntN(60))
			}
		}
	}
	return out
}
