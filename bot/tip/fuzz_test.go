package tip

import (
	"errors"
	"testing"
	"time"
)

// FuzzLoadZone: any name either loads a listed zone or gives a ZoneError whose suggestions load.
func FuzzLoadZone(f *testing.F) {
	for _, s := range []string{"Asia/Shanghai", "asia/shangai", "Shanghai", "", "America/New York", "Etc/GMT+5", "北京"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, name string) {
		loc, err := LoadZone(name)
		var ze *ZoneError
		switch {
		case err == nil:
			if _, err := time.LoadLocation(loc.String()); err != nil {
				t.Fatalf("LoadZone(%q) = %s, which does not load", name, loc)
			}
		case errors.As(err, &ze):
			for _, s := range ze.Suggestions {
				if _, err := LoadZone(s); err != nil {
					t.Fatalf("LoadZone(%q) suggests %q, which does not load: %v", name, s, err)
				}
			}
		default:
			t.Fatalf("LoadZone(%q) = %v, want a *ZoneError", name, err)
		}
	})
}

// FuzzParseTimeOfDay: a time parses to a valid time of day that prints back to itself.
func FuzzParseTimeOfDay(f *testing.F) {
	for _, s := range []string{"08:30", "8:30", "24:00", "08：30", "-1:00", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		at, err := ParseTimeOfDay(s)
		if err != nil {
			return
		}
		if !at.Valid() {
			t.Fatalf("ParseTimeOfDay(%q) = %d, not a time of day", s, at)
		}
		if again, err := ParseTimeOfDay(at.String()); err != nil || again != at {
			t.Fatalf("ParseTimeOfDay(%q) = %s, which reads back as %v, %v", s, at, again, err)
		}
	})
}

// FuzzDecodeSubscription: stored bytes decode to a subscription that encodes back to them, or
// to ErrCorrupt.
func FuzzDecodeSubscription(f *testing.F) {
	f.Add(string(EncodeSubscription(Subscription{Platform: "telegram", ChatID: "-100", Group: true, At: 510, Zone: "UTC", Lang: "en"})))
	f.Add("1\ttelegram\t1\tp\t\t0\tUTC\ten\tremind")
	f.Add("1\ttelegram\t1\tp\t\t08\tUTC\ten\t")
	f.Fuzz(func(t *testing.T, b string) {
		s, err := DecodeSubscription([]byte(b))
		if err != nil {
			if !errors.Is(err, ErrCorrupt) {
				t.Fatalf("DecodeSubscription(%q) = %v, want ErrCorrupt", b, err)
			}
			return
		}
		if again := string(EncodeSubscription(s)); again != b {
			t.Fatalf("DecodeSubscription(%q) = %+v, which encodes as %q", b, s, again)
		}
	})
}
