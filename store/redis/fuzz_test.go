package redis

import (
	"net/url"
	"strings"
	"testing"
)

// FuzzConfigURL validates arbitrary REDIS_URL values: Validate never panics, and whatever it
// reports never contains the URL's password.
func FuzzConfigURL(f *testing.F) {
	for _, s := range []string{"redis://:s3cret@localhost:6379/0", "rediss://user:pa%20ss@h:1/2", "redis://h:99999", "http://x:y@z", "redis://[::1]:6379", "redis://:%zz@h", ":"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		err := Config{URL: raw}.Validate()
		if err == nil {
			return
		}
		u, perr := url.Parse(raw)
		if perr != nil || u.User == nil {
			return
		}
		pw, ok := u.User.Password()
		if !ok || len(pw) < 4 {
			return
		}
		// A password that also spells part of another field ("0000" in a database number of
		// "000000") may show through that field's message without the password being shown.
		others := strings.Replace(raw, u.User.String(), "", 1)
		if strings.Contains(others, pw) {
			return
		}
		if strings.Contains(err.Error(), pw) {
			t.Fatalf("Validate(%q) shows the password: %v", raw, err)
		}
	})
}
