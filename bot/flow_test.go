package bot

import (
	"context"
	"strings"
	"testing"
	"time"
)

// TestNewQuizClosesTheOldRoundVisibly starts a round over one in play: the old round's summary
// comes first, then the new round's first question.
func TestNewQuizClosesTheOldRoundVisibly(t *testing.T) {
	b, c := newQuizBot(t, nil)
	q := question(t, b.Handle(context.Background(), event("ada", "ada", Private, "/quiz frameworks 3")))
	c.t = c.t.Add(10 * time.Second)
	b.Handle(context.Background(), press("ada", "ada", Private, q.Choices[q.Question.Correct].Data))
	rs := b.Handle(context.Background(), event("ada", "ada", Private, "/quiz ml 2"))
	if len(rs) != 2 {
		t.Fatalf("/quiz over a running round: want a summary and a question, got:\n%s", plain(rs))
	}
	if got := rs[0].Text.PlainText(); !strings.Contains(got, "Round stopped.") || !strings.Contains(got, "Score: 1/1") {
		t.Errorf("first reply should close the old round with its score:\n%s", got)
	}
	if got := rs[1].Text.PlainText(); !strings.Contains(got, "Question 1 of 2") || len(rs[1].Choices) == 0 {
		t.Errorf("second reply should be the new round's first question:\n%s", got)
	}
}

// TestTypedAnswersAsPeopleTypeThem answers with full-width digits and trailing punctuation.
func TestTypedAnswersAsPeopleTypeThem(t *testing.T) {
	b, c := newQuizBot(t, nil)
	question(t, b.Handle(context.Background(), event("ada", "ada", Private, "/quiz frameworks 4")))
	for _, text := range []string{"２", "2.", "2)", "（1）"} {
		c.t = c.t.Add(10 * time.Second)
		rs := b.Handle(context.Background(), event("ada", "ada", Private, text))
		if len(rs) == 0 || (!strings.Contains(rs[0].Text.PlainText(), "Right!") && !strings.Contains(rs[0].Text.PlainText(), "Not quite") && !strings.Contains(rs[0].Text.PlainText(), "The answer")) {
			t.Fatalf("typed %q: want it graded, got:\n%s", text, plain(rs))
		}
	}
	if got := plain(b.Handle(context.Background(), event("ada", "ada", Private, "/stats"))); !strings.Contains(got, "Answers: 4") {
		t.Errorf("four typed answers, /stats says:\n%s", got)
	}
}

// TestNotAChoiceShowsTheQuestionAgain sends text that answers nothing mid-round: the learner gets
// the pending question again, with its choices and how to answer, and nothing is graded.
func TestNotAChoiceShowsTheQuestionAgain(t *testing.T) {
	b, _ := newQuizBot(t, nil)
	q := question(t, b.Handle(context.Background(), event("ada", "ada", Private, "/quiz frameworks 3")))
	for _, text := range []string{"asdfgh", "B", "9"} {
		rs := b.Handle(context.Background(), event("ada", "ada", Private, text))
		again := question(t, rs)
		if again.Question.Token != q.Question.Token || len(again.Choices) != len(q.Choices) {
			t.Errorf("%q: want the pending question again, got:\n%s", text, plain(rs))
		}
		if !strings.Contains(plain(rs), "Answer with a number from 1 to 5") {
			t.Errorf("%q: want how to answer, got:\n%s", text, plain(rs))
		}
	}
	if got := plain(b.Handle(context.Background(), event("ada", "ada", Private, "/stats"))); !strings.Contains(got, "Answers: 0") {
		t.Errorf("text that is not a choice was graded:\n%s", got)
	}
}

// TestGroupNotAChoiceOnlyWhenAddressed: in a group, a member's chatter during their round is not
// for the bot; a reply to the bot that answers nothing gets the question again.
func TestGroupNotAChoiceOnlyWhenAddressed(t *testing.T) {
	b, _ := newQuizBot(t, nil)
	question(t, b.Handle(context.Background(), event("ada", "g", Group, "/quiz frameworks 3")))
	for _, text := range []string{"B", "9", "lol"} {
		if rs := b.Handle(context.Background(), event("ada", "g", Group, text)); len(rs) != 0 {
			t.Errorf("group chatter %q got replies:\n%s", text, plain(rs))
		}
	}
	ev := event("ada", "g", Group, "B")
	ev.Addressed = true
	question(t, b.Handle(context.Background(), ev))
}

// TestNextReviewAgrees: the summary, /stats and /review word the next review alike.
func TestNextReviewAgrees(t *testing.T) {
	b, c := newQuizBot(t, nil)
	q := question(t, b.Handle(context.Background(), event("ada", "ada", Private, "/quiz flask 1")))
	rs := b.Handle(context.Background(), press("ada", "ada", Private, q.Choices[q.Question.Correct].Data))
	if !strings.Contains(plain(rs), "Next review: in 10 minutes") {
		t.Fatalf("summary:\n%s", plain(rs))
	}
	c.t = c.t.Add(2 * time.Minute)
	for _, cmd := range []string{"/stats", "/review"} {
		if got := plain(b.Handle(context.Background(), event("ada", "ada", Private, cmd))); !strings.Contains(got, "Next review: in 8 minutes") {
			t.Errorf("%s should say the next review is in 8 minutes:\n%s", cmd, got)
		}
	}
}

// TestChoiceOrderChangesWithEachAsk: a missed card asked again in the round never keeps its answer
// in the same place.
func TestChoiceOrderChangesWithEachAsk(t *testing.T) {
	b, c := newQuizBot(t, nil)
	q := question(t, b.Handle(context.Background(), event("ada", "ada", Private, "/quiz frameworks 1")))
	if len(q.Choices) < 4 {
		t.Skip("first card is true/false")
	}
	first := q.Choices[q.Question.Correct].Label
	pos := q.Question.Correct
	c.t = c.t.Add(10 * time.Second)
	wrong := (q.Question.Correct + 1) % (len(q.Choices) - 1)
	rs := b.Handle(context.Background(), press("ada", "ada", Private, q.Choices[wrong].Data))
	again := question(t, rs)
	if again.Choices[again.Question.Correct].Label != first {
		t.Fatalf("the repeat asks another card: %s", plain(rs))
	}
	if again.Question.Correct == pos {
		t.Errorf("the missed card came back with its answer in the same place (%d)", pos+1)
	}
	// The same request retried shows the same order.
	if got := question(t, b.Handle(context.Background(), event("ada", "ada", Private, "zzz"))); got.Question.Correct != again.Question.Correct {
		t.Errorf("showing the question again changed its order")
	}
}

// TestPrivateCommands: the commands about the learner's own data are declared private, so
// platforms can tell before answering, and every reply they give is marked private.
func TestPrivateCommands(t *testing.T) {
	b, _ := newQuizBot(t, nil)
	want := map[string]bool{"stats": true, "forget": true, "report": true, "export": true, "timezone": true}
	for _, c := range b.Commands() {
		if c.Private != want[c.Name] {
			t.Errorf("Commands(): /%s Private = %v, want %v", c.Name, c.Private, want[c.Name])
		}
	}
	for _, text := range []string{"/stats", "/forget", "/report"} {
		rs := b.Handle(context.Background(), event("ada", "ada", Group, text))
		if len(rs) == 0 {
			t.Fatalf("%s: no reply", text)
		}
		for _, r := range rs {
			if !r.Private {
				t.Errorf("%s: reply %q is not private", text, r.Text.PlainText())
			}
		}
	}
	if rs := b.Handle(context.Background(), event("ada", "ada", Group, "/quiz frameworks 3")); rs[0].Private {
		t.Errorf("/quiz question is private: %+v", rs[0])
	}
}
