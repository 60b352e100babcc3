package tip

import (
	"archive/zip"
	"errors"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/pybrarian/pybrarian/content"
)

func TestParseTimeOfDay(t *testing.T) {
	tests := []struct {
		in   string
		want TimeOfDay
		ok   bool
	}{
		{"08:30", 8*60 + 30, true},
		{"8:30", 8*60 + 30, true},
		{" 20:05 ", 20*60 + 5, true},
		{"00:00", 0, true},
		{"23:59", 23*60 + 59, true},
		{"08：30", 8*60 + 30, true},
		{"24:00", 0, false},
		{"8:5", 0, false},
		{"0830", 0, false},
		{"-1:30", 0, false},
		{"+8:30", 0, false},
		{"08:60", 0, false},
		{"ab:cd", 0, false},
		{"", 0, false},
		{"123:00", 0, false},
	}
	for _, tt := range tests {
		got, err := ParseTimeOfDay(tt.in)
		if tt.ok && (err != nil || got != tt.want) {
			t.Errorf("ParseTimeOfDay(%q) = %v, %v; want %v", tt.in, got, err, tt.want)
		}
		if !tt.ok && !errors.Is(err, ErrBadTime) {
			t.Errorf("ParseTimeOfDay(%q) = %v, %v; want ErrBadTime", tt.in, got, err)
		}
	}
	if s := TimeOfDay(8*60 + 5).String(); s != "08:05" {
		t.Errorf("String() = %q, want 08:05", s)
	}
}

func mustZone(t *testing.T, name string) *time.Location {
	t.Helper()
	loc, err := LoadZone(name)
	if err != nil {
		t.Fatalf("LoadZone(%q): %v", name, err)
	}
	return loc
}

// TestNextAcrossDST follows a New York 09:00 subscription (and others at awkward times)
// through the March and November switches of 2026: each delivery is the wanted local time, or
// for a time the clocks skip the moment they jump, and comes once a local day.
func TestNextAcrossDST(t *testing.T) {
	ny := mustZone(t, "America/New_York")
	utc := func(s string) time.Time {
		t.Helper()
		v, err := time.Parse(time.RFC3339, s)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	tests := []struct {
		name  string
		after string
		at    string
		loc   *time.Location
		want  string // UTC
		date  Date
	}{
		{"09:00 the day before spring forward (EST)", "2026-03-07T12:00:00Z", "09:00", ny, "2026-03-07T14:00:00Z", "2026-03-07"},
		{"09:00 on spring-forward day (EDT)", "2026-03-07T14:00:00Z", "09:00", ny, "2026-03-08T13:00:00Z", "2026-03-08"},
		{"09:00 the day after (EDT)", "2026-03-08T13:00:00Z", "09:00", ny, "2026-03-09T13:00:00Z", "2026-03-09"},
		{"02:30 skipped: delivered at 03:00 EDT", "2026-03-07T12:00:00Z", "02:30", ny, "2026-03-08T07:00:00Z", "2026-03-08"},
		{"02:30 the day after the skip", "2026-03-08T07:00:00Z", "02:30", ny, "2026-03-09T06:30:00Z", "2026-03-09"},
		{"09:00 before fall back (EDT)", "2026-10-31T12:00:00Z", "09:00", ny, "2026-10-31T13:00:00Z", "2026-10-31"},
		{"09:00 on fall-back day (EST)", "2026-10-31T13:00:00Z", "09:00", ny, "2026-11-01T14:00:00Z", "2026-11-01"},
		{"01:30 repeated: the first one (EDT)", "2026-10-31T12:00:00Z", "01:30", ny, "2026-11-01T05:30:00Z", "2026-11-01"},
		{"01:30 repeated: not the second one", "2026-11-01T05:30:00Z", "01:30", ny, "2026-11-02T06:30:00Z", "2026-11-02"},
		{"a time still ahead today is today", "2026-06-01T00:00:00Z", "08:30", mustZone(t, "Asia/Shanghai"), "2026-06-01T00:30:00Z", "2026-06-01"},
		{"a time just passed is tomorrow", "2026-06-01T00:30:00Z", "08:30", mustZone(t, "Asia/Shanghai"), "2026-06-02T00:30:00Z", "2026-06-02"},
		{"midnight in UTC", "2026-12-31T23:59:59Z", "00:00", time.UTC, "2027-01-01T00:00:00Z", "2027-01-01"},
		{"a half-hour zone", "2026-06-01T00:00:00Z", "09:00", mustZone(t, "Asia/Kolkata"), "2026-06-01T03:30:00Z", "2026-06-01"},
		{"southern spring forward, 02:15 skipped in Sydney", "2026-10-03T00:00:00Z", "02:15", mustZone(t, "Australia/Sydney"), "2026-10-03T16:00:00Z", "2026-10-04"},
	}
	for _, tt := range tests {
		at, err := ParseTimeOfDay(tt.at)
		if err != nil {
			t.Fatal(err)
		}
		got, date := Next(utc(tt.after), at, tt.loc)
		if !got.Equal(utc(tt.want)) || date != tt.date {
			t.Errorf("%s: Next(%s, %s, %s) = %s (%s), %s; want %s, %s", tt.name, tt.after, tt.at, tt.loc,
				got.UTC().Format(time.RFC3339), got.Format("15:04 MST"), date, tt.want, tt.date)
		}
		if d := DateOf(got, tt.loc); d != date {
			t.Errorf("%s: DateOf(%s) = %s, want the date Next gave, %s", tt.name, got, d, date)
		}
	}
}

// TestNextOnceADay walks a year of deliveries in zones with daylight saving: every local date
// gets exactly one, at the wanted wall-clock time, or within the hour after it when the clocks
// skip it.
func TestNextOnceADay(t *testing.T) {
	for _, zone := range []string{"America/New_York", "Europe/London", "Australia/Lord_Howe", "America/Santiago"} {
		loc := mustZone(t, zone)
		for _, at := range []TimeOfDay{0, 60, 90, 150, 9 * 60, 23*60 + 59} {
			now := time.Date(2026, 1, 1, 0, 0, 0, 0, loc)
			prev := Date("")
			for range 366 {
				next, date := Next(now, at, loc)
				if prev != "" {
					p, _ := time.Parse(time.DateOnly, string(prev))
					if want := Date(p.AddDate(0, 0, 1).Format(time.DateOnly)); date != want {
						t.Fatalf("%s %s: after %s came %s, want %s", zone, at, prev, date, want)
					}
				}
				l := next.In(loc)
				if got := l.Hour()*60 + l.Minute(); got != int(at) && (got < int(at) || got > int(at)+60) {
					t.Errorf("%s %s: delivered at %s", zone, at, l)
				}
				prev, now = date, next
			}
		}
	}
}

func TestLoadZone(t *testing.T) {
	for in, want := range map[string]string{
		"Asia/Shanghai":    "Asia/Shanghai",
		"asia/shanghai":    "Asia/Shanghai",
		"AMERICA/NEW_YORK": "America/New_York",
		"America/New York": "America/New_York",
		"Shanghai":         "Asia/Shanghai",
		"utc":              "UTC",
		"Etc/GMT+5":        "Etc/GMT+5",
	} {
		loc, err := LoadZone(in)
		if err != nil || loc.String() != want {
			t.Errorf("LoadZone(%q) = %v, %v; want %s", in, loc, err, want)
		}
	}
	for in, want := range map[string]string{
		"asia/shangai":    "Asia/Shanghai",
		"Europe/Berln":    "Europe/Berlin",
		"America/NewYork": "America/New_York",
		"Asia/Tokio":      "Asia/Tokyo",
		"Europa/Berlin":   "Europe/Berlin",
		"Amercia/Chicago": "America/Chicago",
	} {
		_, err := LoadZone(in)
		var ze *ZoneError
		if !errors.As(err, &ze) || len(ze.Suggestions) == 0 || ze.Suggestions[0] != want {
			t.Errorf("LoadZone(%q) = %v; want a ZoneError suggesting %s first", in, err, want)
		}
		if ze != nil && len(ze.Suggestions) > 3 {
			t.Errorf("LoadZone(%q) suggests %v; want at most three", in, ze.Suggestions)
		}
	}
	for _, in := range []string{"Mars/Olympus", "", "xyz", strings.Repeat("Asia/", 1000)} {
		_, err := LoadZone(in)
		var ze *ZoneError
		if !errors.As(err, &ze) {
			t.Errorf("LoadZone(%.20q) = %v; want a ZoneError", in, err)
		}
	}
}

// TestZoneListInSync proves the shipped list is Go's zone database: every name in it loads,
// and it is exactly the names in the Go distribution's zoneinfo.zip (run go generate when not).
func TestZoneListInSync(t *testing.T) {
	r, err := zip.OpenReader(filepath.Join(runtime.GOROOT(), "lib", "time", "zoneinfo.zip"))
	if err != nil {
		t.Skipf("no zoneinfo.zip in this Go installation: %v", err)
	}
	defer r.Close()
	var want []string
	for _, f := range r.File {
		switch n := f.Name; {
		case f.FileInfo().IsDir(), n == "Factory", n == "posixrules", n == "localtime", strings.HasSuffix(n, ".tab"):
		default:
			want = append(want, n)
		}
	}
	slices.Sort(want)
	if !slices.Equal(zoneNames, want) {
		t.Errorf("zones_gen.go lists %d zones, zoneinfo.zip has %d: run go generate ./bot/tip", len(zoneNames), len(want))
	}
	for _, n := range zoneNames {
		if _, err := time.LoadLocation(n); err != nil {
			t.Errorf("listed zone %s does not load: %v", n, err)
		}
	}
}

func testKB(t *testing.T) *content.KB {
	t.Helper()
	kb, err := content.Load(content.Embedded())
	if err != nil {
		t.Fatal(err)
	}
	return kb
}

func TestDeckCyclesThroughEveryTip(t *testing.T) {
	d := NewDeck(testKB(t))
	n := d.Len()
	if n < 100 {
		t.Fatalf("the deck has %d tips; the knowledge base has more", n)
	}
	day := func(i int) Date { return Date(epoch.AddDate(0, 0, i).Format(time.DateOnly)) }
	for c := range 3 {
		seen := map[string]bool{}
		for i := c * n; i < (c+1)*n; i++ {
			tp, ok := d.On(day(i))
			if !ok {
				t.Fatalf("On(%s) found nothing", day(i))
			}
			if seen[tp.ID] {
				t.Fatalf("cycle %d: %s came twice before every tip came once", c, tp.ID)
			}
			seen[tp.ID] = true
		}
	}
	// The order is shuffled, and differs between cycles.
	var first, second []string
	for i := range 10 {
		a, _ := d.On(day(i))
		b, _ := d.On(day(n + i))
		first, second = append(first, a.ID), append(second, b.ID)
	}
	if slices.Equal(first, second) {
		t.Errorf("two cycles start alike: %v", first)
	}
	if slices.IsSorted(first) {
		t.Errorf("the first cycle is in id order, not shuffled: %v", first)
	}
	// The same date gives the same tip to every deck built from the same content.
	again := NewDeck(testKB(t))
	for _, date := range []Date{"2026-03-08", "2024-01-01", "2023-12-31", "2030-07-14"} {
		a, ok1 := d.On(date)
		b, ok2 := again.On(date)
		if !ok1 || !ok2 || a.ID != b.ID {
			t.Errorf("On(%s) = %s, then %s: want the same tip", date, a.ID, b.ID)
		}
	}
	if _, ok := d.On("not a date"); ok {
		t.Error("On(malformed date) found a tip")
	}
}

func TestEncodeSubscription(t *testing.T) {
	for _, s := range []Subscription{
		{Chat: "telegram:-100", Platform: "telegram", ChatID: "-100", Group: true, At: 8*60 + 30, Zone: "Asia/Shanghai", Lang: "zh"},
		{Chat: "remind:discord:7", Kind: KindRemind, Platform: "discord", ChatID: "7", User: "discord:7", At: 0, Zone: "UTC", Lang: "en"},
	} {
		got, err := DecodeSubscription(EncodeSubscription(s))
		if err != nil || got != s {
			t.Errorf("DecodeSubscription(EncodeSubscription(%+v)) = %+v, %v", s, got, err)
		}
	}
	for _, bad := range []string{"", "2\tx", "1\ttelegram\t1\tx\t\t0\tUTC\ten\t", "1\ttelegram\t1\tp\t\t2000\tUTC\ten\t",
		"1\ttelegram\t1\tp\t\t0\tUTC\ten\tweekly", "1\ttelegram\t1\tp\t\t0\tUTC\ten"} {
		if _, err := DecodeSubscription([]byte(bad)); !errors.Is(err, ErrCorrupt) {
			t.Errorf("DecodeSubscription(%q) = %v, want ErrCorrupt", bad, err)
		}
	}
}

// TestLedgerListsEveryTip: every tip of the built-in knowledge base has its day in joined.txt,
// once, so the deck never has to guess when one joined.
func TestLedgerListsEveryTip(t *testing.T) {
	seen := map[string]bool{}
	for i, line := range strings.Split(strings.TrimSpace(joined), "\n") {
		if strings.HasPrefix(line, "#") {
			continue
		}
		day, id, ok := strings.Cut(line, " ")
		if _, err := time.Parse(time.DateOnly, day); err != nil || !ok || id == "" {
			t.Errorf("joined.txt:%d: %q is not \"YYYY-MM-DD id\"", i+1, line)
		}
		if seen[id] {
			t.Errorf("joined.txt:%d: %s listed twice", i+1, id)
		}
		seen[id] = true
	}
	for _, tp := range tipsOf(testKB(t)) {
		if !seen[tp.ID] {
			t.Errorf("tip %s is not in joined.txt: run go generate ./bot/tip", tp.ID)
		}
	}
}

// ledgerOf writes a ledger: every tip of tips on the epoch, except those of late, which join on
// day.
func ledgerOf(tips []Tip, late map[string]bool, day string) string {
	var b strings.Builder
	for _, tp := range tips {
		d := "2024-01-01"
		if late[tp.ID] {
			d = day
		}
		b.WriteString(d + " " + tp.ID + "\n")
	}
	return b.String()
}

// TestAddingTipsKeepsPastDays adds tips to the deck on a day in the middle of a cycle: every day
// before the next cycle keeps its tip; from that cycle on, the new tips come, each once a cycle.
// Adding them without a ledger line (BOT_CONTENT_DIR) keeps every day up to two days after the
// ledger's newest.
func TestAddingTipsKeepsPastDays(t *testing.T) {
	all := tipsOf(testKB(t))
	var old []Tip
	late := map[string]bool{}
	for i, tp := range all {
		if i%40 == 7 {
			late[tp.ID] = true
		} else {
			old = append(old, tp)
		}
	}
	day := func(n int64) Date { return Date(epoch.AddDate(0, 0, int(n)).Format(time.DateOnly)) }
	const added = 1000 // days after the epoch: in the middle of the fourth cycle
	before := newDeck(old, ledgerOf(old, nil, ""))
	after := newDeck(all, ledgerOf(all, late, string(day(added))))
	unpinned := newDeck(all, ledgerOf(old, nil, ""))
	n := int64(len(old))
	nextCycle := (added/n + 1) * n
	for d := int64(-400); d < nextCycle; d++ {
		a, _ := before.On(day(d))
		b, _ := after.On(day(d))
		c, _ := unpinned.On(day(d))
		if a.ID != b.ID {
			t.Fatalf("day %s: %s before the tips were added, %s after", day(d), a.ID, b.ID)
		}
		if d < n && a.ID != c.ID { // unlisted, they join two days after the epoch: at the second cycle
			t.Fatalf("day %s: %s before, %s once tips were added without a ledger line", day(d), a.ID, c.ID)
		}
	}
	// The next cycle deals all of them, the new ones included, once each.
	seen := map[string]bool{}
	for d := nextCycle; d < nextCycle+int64(len(all)); d++ {
		tp, _ := after.On(day(d))
		if seen[tp.ID] {
			t.Fatalf("day %s: %s came twice in the cycle after the addition", day(d), tp.ID)
		}
		seen[tp.ID] = true
	}
	for id := range late {
		if !seen[id] {
			t.Errorf("the added tip %s did not come in the cycle after it joined", id)
		}
	}
}

// TestRemovedTipGivesWay: a tip the ledger lists but the knowledge base lost gives its days to
// another tip; the other days keep theirs.
func TestRemovedTipGivesWay(t *testing.T) {
	all := tipsOf(testKB(t))
	full := newDeck(all, ledgerOf(all, nil, ""))
	gone := full.cycleOf(0).order[3]
	var kept []Tip
	for _, tp := range all {
		if tp.ID != gone {
			kept = append(kept, tp)
		}
	}
	less := newDeck(kept, ledgerOf(all, nil, ""))
	for d := range 2 * len(all) {
		date := Date(epoch.AddDate(0, 0, d).Format(time.DateOnly))
		a, _ := full.On(date)
		b, ok := less.On(date)
		if !ok || b.ID == gone || (a.ID != gone && a.ID != b.ID) {
			t.Fatalf("day %s: %s with the tip, %s (%v) without it", date, a.ID, b.ID, ok)
		}
	}
}
