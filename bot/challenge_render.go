package bot

import (
	"fmt"
	"strconv"
	"time"

	"github.com/pybrarian/pybrarian/quiz"
)

// What a challenge shows the group, all in the challenge's language (the group's own, or its
// starter's).

// questionHead is "🏆 Question 2 of 5 · Web frameworks" and the prompt.
func (b *Bot) questionHead(c *quiz.Challenge, q *quiz.ChallengeQuestion) Markup {
	lang := c.Lang
	var t Markup
	t.Bold(T(lang, msgChallengeQuestion, q.Number, q.Total))
	t.Plain(" · " + b.challenges.Bank().ScopeName(q.Scope, lang))
	t.Line().Content(q.Card.Prompt.In(lang))
	return t
}

// questionMessage is the open question with its buttons: with the time to answer when just
// posted (answers < 0), else how many have answered and about how long is left.
func (b *Bot) questionMessage(c *quiz.Challenge, q *quiz.ChallengeQuestion, answers int, now time.Time) Reply {
	lang := c.Lang
	t := b.questionHead(c, q)
	t.Para()
	if answers < 0 {
		t.Italic(T(lang, msgChallengeTime, c.Seconds))
	} else {
		left := time.UnixMilli(c.Deadline).Sub(now)
		secs := max(int((left+time.Second-1)/time.Second), 0)
		t.Italic(T(lang, msgChallengeCount, answers, secs))
	}
	r := Reply{Text: t}
	for i, ch := range q.Choices {
		r.Choices = append(r.Choices, Choice{Label: ch.In(lang), Data: q.Data(i)})
	}
	return r
}

// resultsMessage replaces a closed question: the right answer and why, who got it right
// (fastest first), and the scoreboard of everyone who has answered so far, zero points included.
func (b *Bot) resultsMessage(c *quiz.Challenge) Reply {
	lang, last := c.Lang, c.Last
	var t Markup
	card := b.challenges.Bank().Card(last.Card)
	switch {
	case card == nil:
		t.Bold(T(lang, msgChallengeQuestion, last.Pos+1, len(c.Cards))).Line().Plain(T(lang, msgChallengeWithdrawn))
	default:
		pc := *c
		pc.Pos = last.Pos
		q := b.challenges.Question(&pc)
		t = b.questionHead(c, q)
		t.Line().Plain("✅ ").Bold(q.Choices[q.Correct].In(lang))
		t.Line().Content(card.Explain.In(lang))
	}
	t.Para().Italic(T(lang, msgChallengeTimeUp)).Plain(" · " + T(lang, msgChallengeTally, last.Answered, last.RightCount))
	switch {
	case last.Answered == 0:
		t.Line().Plain(T(lang, msgChallengeNobodyAnswered))
	case last.RightCount == 0:
		t.Line().Plain(T(lang, msgChallengeNobodyRight))
	default:
		t.Line().Plain(T(lang, msgChallengeFastest))
		for i, h := range last.Right {
			if i > 0 {
				t.Plain(T(lang, msgListSep))
			}
			t.Bold(h.Name).Plain(" " + T(lang, msgChallengeHit, seconds(h.Took), h.Points))
		}
		if more := last.RightCount - len(last.Right); more > 0 {
			t.Plain(T(lang, msgChallengeMoreRight, more))
		}
	}
	if standings := c.Standings(); len(standings) > 0 {
		t.Para().Bold(T(lang, msgChallengeScoreboard))
		for i, p := range standings {
			if i == maxScoreboard {
				t.Line().Plain(T(lang, msgChallengeMorePlayers, len(standings)-i))
				break
			}
			t.Line().Plain(strconv.Itoa(i+1) + ". ").Plain(p.Name).Plain(" — " + T(lang, msgBoardPoints, p.Points))
		}
	}
	return Reply{Text: t}
}

// finalMessage is the end of a challenge: the podium and everyone's score and accuracy.
func (b *Bot) finalMessage(c *quiz.Challenge) Reply {
	lang := c.Lang
	var t Markup
	t.Bold(T(lang, msgChallengeFinal, b.challenges.Bank().ScopeName(quiz.ParseScope(c.Scope), lang)))
	switch {
	case c.Stopped != "":
		t.Line().Italic(T(lang, msgChallengeStoppedBy, c.Stopped, min(c.Pos, len(c.Cards)), len(c.Cards)))
	case c.Interrupted:
		t.Line().Italic(T(lang, msgChallengeInterrupted))
	}
	standings := c.Standings()
	if len(standings) == 0 {
		t.Para().Plain(T(lang, msgChallengeNoPlayers))
		return Reply{Text: t}
	}
	t.Line()
	medals := []string{"🥇 ", "🥈 ", "🥉 "}
	for i, p := range standings {
		if i == maxStandings {
			t.Line().Plain(T(lang, msgChallengeMorePlayers, len(standings)-i))
			break
		}
		t.Line()
		if i < len(medals) {
			t.Plain(medals[i]).Bold(p.Name)
		} else {
			t.Plain(strconv.Itoa(i+1) + ". " + p.Name)
		}
		t.Plain(" — " + T(lang, msgChallengeFinalLine, p.Points, p.Right, p.Answered, p.Accuracy()))
	}
	t.Para().Plain(T(lang, msgChallengeFinalHint))
	return Reply{Text: t}
}

// seconds words a time in milliseconds to a tenth of a second: "2.1".
func seconds(ms int64) string { return fmt.Sprintf("%.1f", float64(ms)/1000) }
