package quiz

import (
	"encoding/json"
	"math/rand/v2"
	"testing"
)

// TestEncodeMatchesJSON compares the hand-written encoder with encoding/json on many random
// records, including strings that need escaping.
func TestEncodeMatchesJSON(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	strs := []string{"", "en", "zh", "telegram:-100123", "entry:scikit-learn", "a<b>&c", `quo"te`, "tab\t", "中文", "back\\slash", "Y7w2-4"}
	str := func() string { return strs[rng.IntN(len(strs))] }
	num := func() int { return []int{0, 1, 7, -3, 1 << 20}[rng.IntN(5)] }
	for i := 0; i < 2000; i++ {
		p := Progress{
			Answered: num(), Correct: num(), Streak: num(), BestStreak: num(), LastDay: num(),
			LastCard: str(), WriteID: str(),
		}
		for j := rng.IntN(3); j > 0; j-- {
			p.Boards = append(p.Boards, str())
		}
		for j := rng.IntN(3); j > 0; j-- {
			p.Challenges = append(p.Challenges, str())
		}
		for j := rng.IntN(3); j > 0; j-- {
			p.Links = append(p.Links, str())
		}
		if rng.IntN(4) == 0 {
			p.Moved = str()
		}
		if rng.IntN(2) == 0 {
			r := &Round{ID: str(), Scope: str(), Chat: str(), Group: rng.IntN(2) == 0, Review: rng.IntN(2) == 0,
				Pos: num(), Shown: int64(num()), Started: int64(num()), Right: num(), Wrong: num(), New: num(), OtherDue: int64(num())}
			if rng.IntN(4) > 0 {
				r.Items = []Item{}
			}
			for j := rng.IntN(4); j > 0 && r.Items != nil; j-- {
				it := Item{Card: str(), Repeat: rng.IntN(2) == 0, Result: Result(rng.IntN(4)), Due: int64(num())}
				if rng.IntN(2) == 0 {
					it.Prev = []byte{byte(rng.IntN(256)), 0, 0xff, 0x3e}
				}
				r.Items = append(r.Items, it)
			}
			p.Round = r
		}
		want, err := json.Marshal(progressEnvelope{V: progressFormat, Progress: p})
		if err != nil {
			t.Fatal(err)
		}
		if got := EncodeProgress(p); string(got) != string(want) {
			t.Fatalf("EncodeProgress(%+v) =\n%s\nwant\n%s", p, got, want)
		}
		back, err := DecodeProgress(EncodeProgress(p))
		if p.check() != nil {
			if err == nil {
				t.Fatalf("DecodeProgress accepted an unusable record %+v", p)
			}
			continue
		}
		if err != nil || string(EncodeProgress(back)) != string(want) {
			t.Fatalf("round trip of %+v failed: %v", p, err)
		}
	}
}
