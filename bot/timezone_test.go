package bot

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/pybrarian/pybrarian/store/storetest"
)

func TestTimezoneCommand(t *testing.T) {
	b, _ := newQuizBot(t, nil) // 12:00 UTC
	ask := func(text string) string {
		return plain(b.Handle(context.Background(), event("ada", "ada", Private, text)))
	}
	if got := ask("/timezone"); !strings.Contains(got, "counted in UTC (it is 12:00 UTC now)") {
		t.Errorf("/timezone unset:\n%s", got)
	}
	if got := ask("/timezone asia/shangai"); !strings.Contains(got, "Did you mean Asia/Shanghai") || !strings.Contains(got, "/timezone Asia/Shanghai") {
		t.Errorf("a misspelt zone:\n%s", got)
	}
	if got := ask("/timezone Mars/Olympus"); !strings.Contains(got, "not a time zone I know") {
		t.Errorf("an unknown zone:\n%s", got)
	}
	if got := ask("/timezone"); !strings.Contains(got, "UTC") {
		t.Errorf("a refused zone changed the setting:\n%s", got)
	}
	if got := ask("/timezone asia/SHANGHAI"); !strings.Contains(got, "Time zone set: Asia/Shanghai (it is 20:00 there)") {
		t.Errorf("setting a zone:\n%s", got)
	}
	if got := ask("/timezone"); !strings.Contains(got, "Your time zone: Asia/Shanghai (it is 20:00 there)") {
		t.Errorf("/timezone after setting it:\n%s", got)
	}
	if got := ask("/timezone off"); !strings.Contains(got, "UTC again") {
		t.Errorf("/timezone off:\n%s", got)
	}
	zh := event("ada", "ada", Private, "/timezone Europe/Berlin")
	zh.Locale = "zh"
	if got := plain(b.Handle(context.Background(), zh)); !strings.Contains(got, "时区已设为 Europe/Berlin（当地时间 13:00）") {
		t.Errorf("/timezone in Chinese:\n%s", got)
	}
}

// TestStreakFollowsTheLearnersZone: answers at 23:30 and 00:30 UTC are two UTC days but one day in
// Shanghai (07:30 and 08:30), so the streak a learner there sees is one day.
func TestStreakFollowsTheLearnersZone(t *testing.T) {
	for _, tt := range []struct {
		zone, streak string
	}{
		{"", "Streak: 2 day(s)"},
		{"Asia/Shanghai", "Streak: 1 day(s)"},
	} {
		b, c := newQuizBot(t, nil)
		ask := func(text string) []Reply {
			return b.Handle(context.Background(), event("ada", "ada", Private, text))
		}
		if tt.zone != "" {
			ask("/timezone " + tt.zone)
		}
		c.t = time.Date(2026, 11, 28, 23, 30, 0, 0, time.UTC)
		q := question(t, ask("/quiz frameworks 1"))
		b.Handle(context.Background(), press("ada", "ada", Private, q.Choices[q.Question.Correct].Data))
		c.t = c.t.Add(time.Hour)
		q = question(t, ask("/quiz ml 1"))
		b.Handle(context.Background(), press("ada", "ada", Private, q.Choices[q.Question.Correct].Data))
		if got := plain(ask("/stats")); !strings.Contains(got, tt.streak) {
			t.Errorf("zone %q: /stats says\n%s\nwant %q", tt.zone, got, tt.streak)
		}
	}
}

// TestReminderFollowsTheLearnersZone: /remind reads its time in the learner's /timezone, and a
// later /timezone moves an existing reminder to the same local time in the new zone.
func TestReminderFollowsTheLearnersZone(t *testing.T) {
	st := storetest.NewMemory()
	b, _, _ := newTipBot(t, st, nil, &clock{t: time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC)})
	ask := func(text string) string {
		return plain(b.Handle(context.Background(), event("ada", "ada", Private, text)))
	}
	ask("/subscribe 08:30 Asia/Shanghai") // the chat's zone
	ask("/timezone Europe/Berlin")
	if got := ask("/remind 07:00"); !strings.Contains(got, "07:00 Europe/Berlin") {
		t.Errorf("/remind with the learner's zone set:\n%s", got)
	}
	if got := ask("/timezone America/New_York"); !strings.Contains(got, "Your reminder follows you: 07:00 America/New_York") {
		t.Errorf("/timezone with a reminder set:\n%s", got)
	}
	if got := ask("/remind"); !strings.Contains(got, "07:00 America/New_York") {
		t.Errorf("/remind after moving zones:\n%s", got)
	}
}
