package quiz

import (
	"testing"
	"time"

	"github.com/pybrarian/pybrarian/content"
)

// FuzzParseChoice checks button data parsing: only the exact form ChoiceData writes is accepted,
// so whatever parses writes back to the same bytes.
func FuzzParseChoice(f *testing.F) {
	for _, s := range []string{"q:AbCd.x1y2z3.0.1", "q:AbCd.x1y2z3.01.1", "q:AbCd.x1y2z3.-1.1", "garbage", "q:....", "q:AbCd.x1y2z3.39.4"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, data string) {
		tag, round, pos, choice, ok := parseChoice(data)
		if !ok {
			return
		}
		if pos < 0 || pos > maxPos || choice < 0 || choice > maxDistractors+1 {
			t.Fatalf("parseChoice(%q) = pos %d, choice %d: out of range", data, pos, choice)
		}
		r := &Round{ID: round}
		back := ChoiceData(&Question{Token: ChoicePrefix + tag + "." + r.ID + "." + itoa(pos)}, choice)
		if back != data {
			t.Errorf("parseChoice(%q) accepted a form ChoiceData writes as %q", data, back)
		}
	})
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	var b []byte
	for ; n > 0; n /= 10 {
		b = append([]byte{byte('0' + n%10)}, b...)
	}
	return string(b)
}

// FuzzAnswerNumber checks typed answer numbers: accepted text is a small number, however written.
func FuzzAnswerNumber(f *testing.F) {
	for _, s := range []string{"2", "２", "2.", "2)", "（2）", "-1", "+3", "999999999999", "B"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		if n, ok := answerNumber(text); ok && (n < 0 || n > 999) {
			t.Errorf("answerNumber(%q) = %d", text, n)
		}
	})
}

// FuzzDecodeProgress decodes any stored bytes: either an error, or a Progress the engine can
// ask, grade and stop without panicking. A negative round position once panicked here.
func FuzzDecodeProgress(f *testing.F) {
	f.Add([]byte(`{"v":1,"a":3,"r":{"id":"abcdef","sc":"ml","ch":"t:1","it":[{"c":"x"},{"c":"y","s":"AAAAAAAAAAAAAAAAAAAAAAAA"}],"p":1,"sh":0,"st":0}}`))
	f.Add([]byte(`{"v":1,"r":{"id":"abcdef","it":[{"c":"x"}],"p":-3}}`))
	f.Add([]byte(`{"v":2}`))
	f.Add([]byte(`{"v":1,"r":{"id":"abcdef","it":[],"p":0}}`))
	b, err := bankForFuzz()
	if err != nil {
		f.Fatal(err)
	}
	e := &Engine{bank: b}
	f.Fuzz(func(t *testing.T, raw []byte) {
		p, err := DecodeProgress(raw)
		if err != nil || p.Round == nil {
			return
		}
		if q := e.question("test:u", p.Round); q != nil {
			if q.Correct < 0 || q.Correct >= len(q.Choices) {
				t.Fatalf("question with answer %d of %d choices", q.Correct, len(q.Choices))
			}
		}
		p.Round.nextDue()
		p.Round.summary(p.Streak)
	})
}

// bankForFuzz generates the embedded bank once for the fuzz targets.
func bankForFuzz() (*Bank, error) {
	kb, err := content.Load(content.Embedded())
	if err != nil {
		return nil, err
	}
	b, _, err := NewBank(kb)
	return b, err
}

// FuzzParseChallengeChoice checks challenge button data: only the exact form
// ChallengeQuestion.Data writes is accepted, within the bounds of a challenge.
func FuzzParseChallengeChoice(f *testing.F) {
	for _, s := range []string{"c:x1y2z3.0.1", "c:x1y2z3.19.4", "c:x1y2z3.20.1", "c:x1y2z3.01.1", "c:x1y2z3.-1.1", "q:x1y2z3.0.1", "c:...."} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, data string) {
		id, pos, choice, ok := parseChallengeChoice(data)
		if !ok {
			return
		}
		if pos < 0 || pos >= MaxChallengeQuestions || choice < 0 || choice > maxDistractors+1 {
			t.Fatalf("parseChallengeChoice(%q) = pos %d, choice %d: out of range", data, pos, choice)
		}
		if back := (&ChallengeQuestion{id: id, pos: pos}).Data(choice); back != data {
			t.Errorf("parseChallengeChoice(%q) accepted a form Data writes as %q", data, back)
		}
	})
}

// FuzzDecodeChallenge checks that a stored challenge state the runner accepts is one it can use.
func FuzzDecodeChallenge(f *testing.F) {
	f.Add(EncodeChallenge(&Challenge{ID: "x1y2z3", Cards: []string{"AAAAAA"}, Seconds: 20}))
	f.Add([]byte(`{"v":1,"id":"x1y2z3","cards":["a"],"s":20,"pos":2}`))
	f.Add([]byte(`{"v":1}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		c, err := DecodeChallenge(b)
		if err != nil {
			return
		}
		if c.Pos < 0 || c.Pos > len(c.Cards) || len(c.Cards) == 0 || len(c.Cards) > MaxChallengeQuestions {
			t.Fatalf("DecodeChallenge(%q) accepted %+v", b, c)
		}
		c.Standings()
		c.Action(time.Unix(0, 0))
	})
}
