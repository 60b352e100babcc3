// Package tip is the daily library tip's pure parts: the time of day a chat asked for, when that
// time next comes in the chat's IANA zone (daylight saving included), the zone names a chat may
// give, and which tip belongs to which date. It also declares the store of subscriptions the
// scheduler in package bot drives. Nothing here reads a clock: every function takes the time.
package tip

//go:generate go run gen_zones.go

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// TimeOfDay is a wall-clock time in minutes after midnight, 0 to 1439: when a chat wants its tip.
type TimeOfDay int

// DefaultTime is 09:00, the time of a subscription that names none.
const DefaultTime TimeOfDay = 9 * 60

// ErrBadTime is what ParseTimeOfDay returns for anything but a 24-hour HH:MM time.
var ErrBadTime = errors.New("tip: not a time of day such as 08:30")

// ParseTimeOfDay reads "08:30", "8:30" or "20:05" (24-hour clock; "：" as typed on Chinese
// keyboards is accepted too). Anything else, "24:00" and "8:5" included, is ErrBadTime.
func ParseTimeOfDay(s string) (TimeOfDay, error) {
	s = strings.Replace(strings.TrimSpace(s), "：", ":", 1)
	h, m, ok := strings.Cut(s, ":")
	if !ok || len(h) < 1 || len(h) > 2 || len(m) != 2 {
		return 0, ErrBadTime
	}
	hh, err1 := strconv.Atoi(h)
	mm, err2 := strconv.Atoi(m)
	if err1 != nil || err2 != nil || hh < 0 || hh > 23 || mm < 0 || mm > 59 || h[0] == '+' || h[0] == '-' || m[0] == '+' || m[0] == '-' {
		return 0, ErrBadTime
	}
	return TimeOfDay(hh*60 + mm), nil
}

// String is the time as HH:MM.
func (t TimeOfDay) String() string { return fmt.Sprintf("%02d:%02d", int(t)/60, int(t)%60) }

// Valid reports whether t is a time of day.
func (t TimeOfDay) Valid() bool { return t >= 0 && t < 24*60 }

// Date is a calendar date in some zone, as "2026-03-08": the key a delivery is made once under.
type Date string

// DateOf is the local date of instant t in loc.
func DateOf(t time.Time, loc *time.Location) Date { return Date(t.In(loc).Format(time.DateOnly)) }

// Delivery is the instant the tip for local date day (year, month, day in loc) is due at time at.
// On a day when that wall-clock time does not exist (the hour skipped when clocks spring
// forward) it is the instant the clocks jump; on a day when it happens twice (the hour repeated
// when they fall back) it is the first.
func Delivery(year int, month time.Month, day int, at TimeOfDay, loc *time.Location) time.Time {
	hh, mm := int(at)/60, int(at)%60
	naive := time.Date(year, month, day, hh, mm, 0, 0, time.UTC) // the wall clock read as UTC
	want := naive.Unix()
	// The offsets in force around that day; an instant shows the wanted wall clock exactly when
	// it is naive minus its own offset.
	offsets := map[int]bool{}
	for _, d := range []time.Duration{-36 * time.Hour, 0, 36 * time.Hour} {
		_, off := naive.Add(d).In(loc).Zone()
		offsets[off] = true
	}
	var best time.Time
	lo, hi := int64(0), int64(0)
	first := true
	for off := range offsets {
		cand := time.Unix(want-int64(off), 0)
		if wall(cand, loc) == want && (best.IsZero() || cand.Before(best)) {
			best = cand
		}
		if u := want - int64(off); first || u < lo {
			lo = u
		}
		if u := want - int64(off); first || u > hi {
			hi = u
		}
		first = false
	}
	if !best.IsZero() {
		return best.In(loc)
	}
	// The wall clock skips the time: find the first second that shows a later one. Between lo
	// and hi the clock moves forward only, so the search is sound.
	for lo < hi {
		mid := lo + (hi-lo)/2
		if wall(time.Unix(mid, 0), loc) >= want {
			hi = mid
		} else {
			lo = mid + 1
		}
	}
	return time.Unix(lo, 0).In(loc)
}

// wall is t's wall clock in loc, read as if it were UTC, in Unix seconds.
func wall(t time.Time, loc *time.Location) int64 {
	_, off := t.In(loc).Zone()
	return t.Unix() + int64(off)
}

// Next is the first delivery at time at in loc strictly after after, with the local date it
// delivers for. A time still ahead today is today's.
func Next(after time.Time, at TimeOfDay, loc *time.Location) (time.Time, Date) {
	y0, m0, d0 := after.In(loc).Date()
	for i := -1; i <= 2; i++ {
		// Calendar arithmetic on a civil date: a local midnight the clocks skip cannot move it.
		y, m, d := time.Date(y0, m0, d0+i, 12, 0, 0, 0, time.UTC).Date()
		t := Delivery(y, m, d, at, loc)
		if t.After(after) {
			return t, Date(time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Format(time.DateOnly))
		}
	}
	panic("tip: no delivery within two days") // unreachable: every local day has one
}
