package quiz

import (
	"crypto/rand"
	"encoding/base64"
	"strconv"
	"strings"
)

// ChoiceData is what a button for choice i of q carries back: the question token and the index.
// It is at most 24 bytes, well within Telegram's 64-byte callback data.
func ChoiceData(q *Question, i int) string { return q.Token + ":" + strconv.Itoa(i) }

// token layout: <user hash 4>.<round id>.<position>
func userTag(user string) string {
	h := mix("user", user)
	return base64.RawURLEncoding.EncodeToString([]byte{byte(h >> 16), byte(h >> 8), byte(h)})
}

func makeToken(user string, r *Round, pos int) string {
	return userTag(user) + "." + r.ID + "." + strconv.Itoa(pos)
}

// parseChoice splits choice data into its token parts and the chosen index.
func parseChoice(data string) (tag, round string, pos, choice int, ok bool) {
	parts := strings.Split(data, ":")
	if len(parts) != 2 {
		return "", "", 0, 0, false
	}
	t := strings.Split(parts[0], ".")
	if len(t) != 3 {
		return "", "", 0, 0, false
	}
	pos, err1 := strconv.Atoi(t[2])
	choice, err2 := strconv.Atoi(parts[1])
	if err1 != nil || err2 != nil || pos < 0 || choice < 0 {
		return "", "", 0, 0, false
	}
	return t[0], t[1], pos, choice, true
}

func newRoundID() string {
	var b [6]byte
	rand.Read(b[:])
	return base64.RawURLEncoding.EncodeToString(b[:])[:6]
}
