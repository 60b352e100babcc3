package telegram_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"image/png"
	"strconv"
	"strings"
	"testing"

	"github.com/pybrarian/pybrarian/adapters/telegram/telegramtest"
)

// maxPresses bounds a round: five questions plus the missed ones asked again.
const maxPresses = 30

func TestQuizRoundPrivate(t *testing.T) {
	h := newHarness(t)
	h.send(private(ada), ada, "/quiz frameworks")
	q := h.srv.WaitCall(t, "sendMessage", 1)
	for i := 0; ; i++ {
		if i == maxPresses {
			t.Fatal("the round never ended")
		}
		data := choices(t, q)
		if len(data) < 2 {
			t.Fatalf("expected a question with choices, got %s", q)
		}
		for _, d := range data {
			if len(d) > 64 {
				t.Errorf("callback data %q is %d bytes, over 64", d, len(d))
			}
		}
		seq := h.srv.LastSeq()
		h.press(private(ada), ada, q.MessageID, data[0])

		ans := h.srv.WaitCallAfter(t, "answerCallbackQuery", seq)
		if ans.Get("text") != "" {
			t.Fatalf("a valid answer got the notice %q", ans.Get("text"))
		}
		// The feedback replaces the question (and its buttons) in place...
		edit := h.srv.WaitCallAfter(t, "editMessageText", ans.Seq)
		if edit.Get("message_id") != strconv.Itoa(q.MessageID) {
			t.Fatalf("edited message %s, want the question %d", edit.Get("message_id"), q.MessageID)
		}
		if txt := visible(edit.Get("text")); !strings.Contains(txt, "Right!") && !strings.Contains(txt, "The answer") {
			t.Fatalf("edit is not feedback:\n%s", txt)
		}
		if edit.Get("reply_markup") != "" {
			t.Errorf("the answered question keeps a keyboard: %s", edit.Get("reply_markup"))
		}
		// ...and the next question or the summary comes as a new message.
		next := h.srv.WaitCallAfter(t, "sendMessage", edit.Seq)
		if strings.Contains(visible(next.Get("text")), "Round complete!") {
			if !strings.Contains(visible(next.Get("text")), "Score:") {
				t.Errorf("summary without a score:\n%s", visible(next.Get("text")))
			}
			break
		}
		q = next
	}
}

func TestQuizRoundInGroupEditsOneMessage(t *testing.T) {
	h := newHarness(t)
	before := h.srv.LastSeq()
	h.send(group, bob, "/quiz@pybrarian_bot frameworks")
	q := h.srv.WaitCall(t, "sendMessage", 1)
	msgID := q.MessageID
	data := choices(t, q)
	for i := 0; ; i++ {
		if i == maxPresses {
			t.Fatal("the round never ended")
		}
		if len(data) < 2 {
			t.Fatalf("no choices to press in %s", q)
		}
		seq := h.srv.LastSeq()
		h.press(group, bob, msgID, data[0])
		ans := h.srv.WaitCallAfter(t, "answerCallbackQuery", seq)
		if ans.Get("text") != "" {
			t.Fatalf("a valid answer got the notice %q", ans.Get("text"))
		}
		edit := h.srv.WaitCallAfter(t, "editMessageText", ans.Seq)
		if edit.Get("message_id") != strconv.Itoa(msgID) {
			t.Fatalf("edited message %s, want the round's message %d", edit.Get("message_id"), msgID)
		}
		txt := visible(edit.Get("text"))
		if !strings.Contains(txt, "Right!") && !strings.Contains(txt, "The answer") {
			t.Fatalf("edit lacks the feedback:\n%s", txt)
		}
		if strings.Contains(txt, "Round complete!") {
			if edit.Get("reply_markup") != "" {
				t.Error("the finished round keeps a keyboard")
			}
			break
		}
		if data = choices(t, edit); len(data) < 2 {
			t.Fatalf("edit holds neither the next question nor the summary:\n%s", txt)
		}
	}
	end := h.settle(group, bob)
	var sends int
	for _, c := range h.sentBetween(before, end) {
		if c.Method == "sendMessage" {
			sends++
		}
	}
	if sends != 1 {
		t.Errorf("the round sent %d messages to the group, want 1 edited in place", sends)
	}
}

func TestQuizForgedCallbackChangesNothing(t *testing.T) {
	h := newHarness(t)
	h.send(group, bob, "/quiz@pybrarian_bot frameworks")
	q := h.srv.WaitCall(t, "sendMessage", 1)
	data := choices(t, q)

	before := h.srv.LastSeq()
	h.press(group, li, q.MessageID, data[0]) // Li presses Bob's question
	end := h.settle(group, li)
	sent := h.sentBetween(before, end)
	if len(sent) != 1 || sent[0].Method != "answerCallbackQuery" {
		t.Fatalf("another user's press caused %v, want only a callback answer", sent)
	}
	if got := sent[0].Get("text"); !strings.Contains(got, "别人") {
		t.Errorf("notice = %q, want the not-yours notice in Li's language", got)
	}

	// Bob's question is still open: his press is graded as the answer to question 1.
	seq := h.srv.LastSeq()
	h.press(group, bob, q.MessageID, data[0])
	edit := h.srv.WaitCallAfter(t, "editMessageText", seq)
	if txt := visible(edit.Get("text")); !strings.Contains(txt, "Question 2 of") {
		t.Errorf("after the forged press Bob's answer did not move the round on:\n%s", txt)
	}
}

func TestQuizStaleCallback(t *testing.T) {
	h := newHarness(t)
	h.send(private(ada), ada, "/quiz frameworks")
	q := h.srv.WaitCall(t, "sendMessage", 1)
	data := choices(t, q)
	h.press(private(ada), ada, q.MessageID, data[0])
	q2 := h.srv.WaitCall(t, "sendMessage", 2)

	before := h.srv.LastSeq()
	h.press(private(ada), ada, q.MessageID, data[1]) // question 1 again
	end := h.settle(private(ada), ada)
	sent := h.sentBetween(before, end)
	if len(sent) != 1 || sent[0].Method != "answerCallbackQuery" || sent[0].Get("text") == "" {
		t.Fatalf("a second press on an answered question caused %v, want one notice", sent)
	}

	// A question from a round replaced by a new one is stale too. The new /quiz closes the old
	// round visibly first: its summary, then the new round's first question.
	h.send(private(ada), ada, "/quiz frameworks")
	sum := h.srv.WaitCallAfter(t, "sendMessage", end)
	if !strings.Contains(visible(sum.Get("text")), "Round stopped.") {
		t.Errorf("the replaced round's summary = %q", visible(sum.Get("text")))
	}
	h.srv.WaitCallAfter(t, "sendMessage", sum.Seq) // the new round's first question
	before = h.srv.LastSeq()
	h.press(private(ada), ada, q2.MessageID, choices(t, q2)[0])
	end = h.settle(private(ada), ada)
	sent = h.sentBetween(before, end)
	if len(sent) != 1 || sent[0].Method != "answerCallbackQuery" || sent[0].Get("text") == "" {
		t.Fatalf("a press from a replaced round caused %v, want one notice", sent)
	}
}

func TestQuizPollMode(t *testing.T) {
	h := newHarness(t)
	h.send(private(ada), ada, "/quizmode poll")
	c := h.srv.WaitCall(t, "sendMessage", 1)
	if !strings.Contains(c.Get("text"), "quiz polls") {
		t.Errorf("/quizmode poll answered %q", c.Get("text"))
	}
	if got := h.setting("telegram:1001", "quizmode"); got != "poll" {
		t.Fatalf("stored quizmode = %q, want poll", got)
	}

	h.send(private(ada), ada, "/quiz frameworks")
	p := h.srv.WaitCall(t, "sendPoll", 1)
	if p.Get("type") != "quiz" || p.Get("is_anonymous") != "false" {
		t.Errorf("poll type %q, is_anonymous %q; want a non-anonymous quiz", p.Get("type"), p.Get("is_anonymous"))
	}
	var opts []string
	if err := p.Decode("options", &opts); err != nil {
		t.Fatal(err)
	}
	correct, err := strconv.Atoi(p.Get("correct_option_id"))
	if err != nil || correct < 0 || correct >= len(opts) || len(opts) < 2 {
		t.Fatalf("options %q with correct_option_id %q", opts, p.Get("correct_option_id"))
	}
	if !strings.Contains(p.Get("question"), "Question 1 of") || len(p.Get("question")) > 300*4 {
		t.Errorf("question = %q", p.Get("question"))
	}
	if e := p.Get("explanation"); e == "" || len([]rune(e)) > 200 || strings.Contains(e, "`") {
		t.Errorf("explanation = %q, want 1-200 plain characters", e)
	}
	// The vote arrives without a chat; the stored poll says where and what it means.
	h.srv.PushUpdate(map[string]any{"poll_answer": map[string]any{"poll_id": p.PollID, "user": ada, "option_ids": []int{correct}}})
	fb := h.srv.WaitCallAfter(t, "sendMessage", p.Seq)
	if !strings.Contains(visible(fb.Get("text")), "Right!") {
		t.Errorf("feedback on the right option:\n%s", visible(fb.Get("text")))
	}
	next := h.srv.WaitCall(t, "sendPoll", 2)
	if !strings.Contains(next.Get("question"), "Question 2 of") {
		t.Errorf("next poll = %q", next.Get("question"))
	}
	ref, err := h.store.QuizPoll(t.Context(), p.PollID)
	if err != nil || ref == nil {
		t.Fatalf("poll %s not stored: %v", p.PollID, err)
	}
	var stored struct {
		Chat    string   `json:"chat"`
		User    string   `json:"user"`
		Choices []string `json:"choices"`
	}
	if err := json.Unmarshal(ref, &stored); err != nil || stored.Chat != "1001" || stored.User != "1001" || len(stored.Choices) != len(opts) {
		t.Errorf("stored poll = %s (%v)", ref, err)
	}

	// Someone else's vote on a forwarded copy is not Ada's answer.
	before := h.srv.LastSeq()
	h.srv.PushUpdate(map[string]any{"poll_answer": map[string]any{"poll_id": next.PollID, "user": bob, "option_ids": []int{0}}})
	end := h.settle(private(ada), ada)
	if sent := h.sentBetween(before, end); len(sent) != 0 {
		t.Errorf("another user's vote caused %v", sent)
	}

	// Groups keep buttons whatever is asked.
	h.send(group, bob, "/quizmode@pybrarian_bot poll")
	g := h.srv.WaitCallAfter(t, "sendMessage", end)
	if !strings.Contains(g.Get("text"), "buttons") || g.Get("chat_id") != fmt.Sprint(group.ID) {
		t.Errorf("/quizmode poll in a group answered %s", g)
	}
	if got := h.setting(fmt.Sprintf("telegram:%d", group.ID), "quizmode"); got != "" {
		t.Errorf("group quizmode stored as %q", got)
	}
	h.send(group, bob, "/quiz@pybrarian_bot frameworks")
	gq := h.srv.WaitCallAfter(t, "sendMessage", g.Seq)
	if len(choices(t, gq)) < 2 || len(h.srv.Calls("sendPoll")) != 2 {
		t.Errorf("a group quiz did not use buttons: %s", gq)
	}
}

// TestExportSendsADocument answers a question, then /export: the log arrives as a document whose
// CSV reads back as the review.
func TestExportSendsADocument(t *testing.T) {
	h := newHarness(t)
	h.send(private(ada), ada, "/quiz flask 1")
	q := h.srv.WaitCall(t, "sendMessage", 1)
	h.press(private(ada), ada, q.MessageID, choices(t, q)[0])
	h.settle(private(ada), ada)
	h.send(private(ada), ada, "/export")
	doc := h.srv.WaitCall(t, "sendDocument", 1)
	f, ok := doc.Files["document"]
	if !ok || f.Name != "pybrarian-reviews.csv" {
		t.Fatalf("sendDocument files = %v", doc.Files)
	}
	lines := strings.Split(strings.TrimSpace(string(f.Data)), "\n")
	if len(lines) != 2 || lines[0] != "card_id,review_rating,review_time,review_duration" {
		t.Errorf("exported CSV:\n%s", f.Data)
	}
	if !strings.Contains(doc.Get("caption"), "1 reviews") || doc.Get("chat_id") != "1001" {
		t.Errorf("caption %q to chat %s", doc.Get("caption"), doc.Get("chat_id"))
	}
}

func TestStatsAndLeaderboardSendPhotos(t *testing.T) {
	h := newHarness(t)
	h.send(group, ada, "/quiz flask 1")
	q := h.srv.WaitCall(t, "sendMessage", 1)
	h.press(group, ada, q.MessageID, rightChoice(t, q))
	h.settle(group, ada)
	photoOf := func(c *telegramtest.Call) {
		t.Helper()
		f, ok := c.Files["photo"]
		if !ok {
			t.Fatalf("sendPhoto files = %v", c.Files)
		}
		img, err := png.Decode(bytes.NewReader(f.Data))
		if err != nil || img.Bounds().Dx() < 1000 {
			t.Fatalf("photo is not a PNG at least 1,000 px wide: %v", err)
		}
	}

	// The leaderboard is short: its text goes under the picture.
	seq := h.srv.LastSeq()
	h.send(group, ada, "/leaderboard")
	board := h.srv.WaitCallAfter(t, "sendPhoto", seq)
	photoOf(board)
	if c := board.Get("caption"); !strings.Contains(c, "Ada") || board.Get("parse_mode") != "HTML" {
		t.Errorf("leaderboard caption %q (%s), want the standings", c, board.Get("parse_mode"))
	}

	// /stats says more than a caption holds: its text comes first, the picture after it.
	for _, tt := range []struct{ lang, want string }{{"", "Answers: 1"}, {"zh", "已答题：1"}} {
		if tt.lang != "" {
			h.send(private(ada), ada, "/lang "+tt.lang)
		}
		seq := h.srv.LastSeq()
		h.send(private(ada), ada, "/stats")
		photo := h.srv.WaitCallAfter(t, "sendPhoto", seq)
		photoOf(photo)
		var text strings.Builder
		for _, c := range h.srv.CallsAfter(seq) {
			if c.Method == "sendMessage" && c.Seq < photo.Seq {
				text.WriteString(c.Get("text"))
			}
		}
		if !strings.Contains(text.String()+photo.Get("caption"), tt.want) {
			t.Errorf("/stats text %q, caption %q: want it to say %q", text.String(), photo.Get("caption"), tt.want)
		}
	}
}
