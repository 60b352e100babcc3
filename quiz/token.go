package quiz

import (
	"crypto/rand"
	"encoding/base64"
	"strconv"
	"strings"
)

// ChoicePrefix starts the data of every quiz answer button, so the core can route a press to the
// quiz without parsing it and other features can have buttons of their own.
const ChoicePrefix = "q:"

// MaxChoiceData is the longest choice data ChoiceData produces: well within Telegram's 64-byte
// callback data and Discord's 100-character custom ids.
const MaxChoiceData = 32

// ChoiceData is what the button for choice i of q carries back:
// "q:<user tag>.<round id>.<position>.<choice>".
func ChoiceData(q *Question, i int) string { return q.Token + "." + strconv.Itoa(i) }

// userTag is 4 characters derived from the user key: a press of another learner's button is told
// apart without reading anything.
func userTag(user string) string {
	h := mix("user", user)
	return base64.RawURLEncoding.EncodeToString([]byte{byte(h >> 16), byte(h >> 8), byte(h)})
}

// makeToken is the token of the question at pos of r; ChoiceData appends the choice to it.
func makeToken(user string, r *Round, pos int) string {
	return ChoicePrefix + userTag(user) + "." + r.ID + "." + strconv.Itoa(pos)
}

// Bounds of the fields of choice data.
const (
	tagLen     = 4
	roundIDLen = 6
	maxPos     = 2*MaxRoundSize - 1 // every planned question asked again once
)

// parseChoice reads choice data. Only the exact form ChoiceData writes is accepted (no leading
// zeros, signs, spaces or extra fields), so one button has one spelling and junk is refused before
// any work is done.
func parseChoice(data string) (tag, round string, pos, choice int, ok bool) {
	if len(data) > MaxChoiceData {
		return "", "", 0, 0, false
	}
	rest, found := strings.CutPrefix(data, ChoicePrefix)
	if !found {
		return "", "", 0, 0, false
	}
	parts := strings.Split(rest, ".")
	if len(parts) != 4 || len(parts[0]) != tagLen || len(parts[1]) != roundIDLen ||
		!isBase64URL(parts[0]) || !isBase64URL(parts[1]) {
		return "", "", 0, 0, false
	}
	pos, ok1 := smallNumber(parts[2], maxPos)
	choice, ok2 := smallNumber(parts[3], maxDistractors+1)
	if !ok1 || !ok2 {
		return "", "", 0, 0, false
	}
	return parts[0], parts[1], pos, choice, true
}

// smallNumber parses a decimal in [0, max] written without leading zeros.
func smallNumber(s string, max int) (int, bool) {
	if s == "" || len(s) > 3 || (len(s) > 1 && s[0] == '0') {
		return 0, false
	}
	n := 0
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, false
		}
		n = n*10 + int(s[i]-'0')
	}
	return n, n <= max
}

func isBase64URL(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}

func newRoundID() string {
	var b [6]byte
	rand.Read(b[:])
	return base64.RawURLEncoding.EncodeToString(b[:])[:roundIDLen]
}
