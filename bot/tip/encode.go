package tip

import (
	"errors"
	"strconv"
	"strings"
)

// ErrCorrupt is what DecodeSubscription returns for bytes it did not write.
var ErrCorrupt = errors.New("tip: stored subscription cannot be decoded")

// EncodeSubscription packs s without its Next (the stores keep that as a schedule score) into
// the few bytes a store keeps per chat: "1" (the format), then platform, chat id, "g" or "p",
// user, time, zone, language and kind, separated by tabs. No field holds a tab: ids are
// platform ids and zones come from the zone list.
func EncodeSubscription(s Subscription) []byte {
	chat := "p"
	if s.Group {
		chat = "g"
	}
	return []byte(strings.Join([]string{"1", s.Platform, s.ChatID, chat, s.User, strconv.Itoa(int(s.At)), s.Zone, s.Lang, string(s.Kind)}, "\t"))
}

// DecodeSubscription reverses EncodeSubscription; Chat is rebuilt from the kind, platform and
// chat id.
func DecodeSubscription(b []byte) (Subscription, error) {
	f := strings.Split(string(b), "\t")
	if len(f) != 9 || f[0] != "1" || (f[3] != "p" && f[3] != "g") || (Kind(f[8]) != KindTip && Kind(f[8]) != KindRemind) {
		return Subscription{}, ErrCorrupt
	}
	at, err := strconv.Atoi(f[5])
	if err != nil || !TimeOfDay(at).Valid() || strconv.Itoa(at) != f[5] {
		return Subscription{}, ErrCorrupt
	}
	k := Kind(f[8])
	return Subscription{Chat: Key(k, f[1]+":"+f[2]), Kind: k, Platform: f[1], ChatID: f[2], Group: f[3] == "g", User: f[4],
		At: TimeOfDay(at), Zone: f[6], Lang: f[7]}, nil
}
