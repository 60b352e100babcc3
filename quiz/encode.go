package quiz

import (
	"encoding/base64"
	"encoding/json"
	"strconv"
)

// appendProgress appends exactly what json.Marshal(progressEnvelope{V: progressFormat, Progress: p})
// produces, without reflection: the progress is encoded on every answer, and encoding/json's
// reflection was a tenth of the engine's CPU. TestEncodeMatchesJSON keeps the two identical.
func appendProgress(b []byte, p Progress) []byte {
	b = append(b, `{"v":`...)
	b = strconv.AppendInt(b, progressFormat, 10)
	b = appendIntField(b, "a", int64(p.Answered), true)
	b = appendIntField(b, "c", int64(p.Correct), true)
	b = appendIntField(b, "s", int64(p.Streak), true)
	b = appendIntField(b, "bs", int64(p.BestStreak), true)
	b = appendIntField(b, "d", int64(p.LastDay), true)
	b = appendStrField(b, "lc", p.LastCard, true)
	b = appendStrList(b, "b", p.Boards)
	b = appendStrList(b, "cc", p.Challenges)
	b = appendStrList(b, "ln", p.Links)
	b = appendStrField(b, "mv", p.Moved, true)
	if r := p.Round; r != nil {
		b = append(b, `,"r":`...)
		b = appendRound(b, r)
	}
	b = appendStrField(b, "w", p.WriteID, true)
	return append(b, '}')
}

// appendStrList appends `,"name":[…]` for a list of strings, nothing for an empty one.
func appendStrList(b []byte, name string, list []string) []byte {
	if len(list) == 0 {
		return b
	}
	b = append(b, `,"`...)
	b = append(b, name...)
	b = append(b, `":[`...)
	for i, s := range list {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendString(b, s)
	}
	return append(b, ']')
}

func appendRound(b []byte, r *Round) []byte {
	b = append(b, `{"id":`...)
	b = appendString(b, r.ID)
	b = appendStrField(b, "sc", r.Scope, false)
	b = appendStrField(b, "ch", r.Chat, false)
	b = appendBoolField(b, "g", r.Group)
	b = appendBoolField(b, "rv", r.Review)
	b = append(b, `,"it":`...)
	if r.Items == nil {
		b = append(b, "null"...)
	} else {
		b = append(b, '[')
		for i, it := range r.Items {
			if i > 0 {
				b = append(b, ',')
			}
			b = append(b, `{"c":`...)
			b = appendString(b, it.Card)
			if len(it.Prev) > 0 {
				b = append(b, `,"s":"`...)
				b = base64.StdEncoding.AppendEncode(b, it.Prev)
				b = append(b, '"')
			}
			b = appendBoolField(b, "r", it.Repeat)
			b = appendIntField(b, "x", int64(it.Result), true)
			b = appendIntField(b, "d", it.Due, true)
			b = append(b, '}')
		}
		b = append(b, ']')
	}
	b = appendIntField(b, "p", int64(r.Pos), false)
	b = appendIntField(b, "sh", r.Shown, false)
	b = appendIntField(b, "st", r.Started, false)
	b = appendIntField(b, "ok", int64(r.Right), true)
	b = appendIntField(b, "no", int64(r.Wrong), true)
	b = appendIntField(b, "nw", int64(r.New), true)
	b = appendIntField(b, "od", r.OtherDue, true)
	return append(b, '}')
}

func appendStrField(b []byte, name, v string, omitEmpty bool) []byte {
	if omitEmpty && v == "" {
		return b
	}
	b = append(append(append(b, ',', '"'), name...), '"', ':')
	return appendString(b, v)
}

func appendIntField(b []byte, name string, v int64, omitEmpty bool) []byte {
	if omitEmpty && v == 0 {
		return b
	}
	b = append(append(append(b, ',', '"'), name...), '"', ':')
	return strconv.AppendInt(b, v, 10)
}

func appendBoolField(b []byte, name string, v bool) []byte {
	if !v {
		return b // every bool is omitempty
	}
	return append(append(append(b, ',', '"'), name...), `":true`...)
}

// appendString writes s as encoding/json does: plain ASCII as is, anything needing an escape (or
// not ASCII) through encoding/json itself.
func appendString(b []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= 0x7f || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&' {
			q, _ := json.Marshal(s)
			return append(b, q...)
		}
	}
	b = append(b, '"')
	b = append(b, s...)
	return append(b, '"')
}
