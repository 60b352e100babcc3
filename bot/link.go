package bot

import (
	"context"
	"crypto/rand"
	"encoding/base32"
	"encoding/json"
	"errors"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/pybrarian/pybrarian/content"
	"github.com/pybrarian/pybrarian/quiz"
)

// Codes keeps one-time codes (/link): a code is a claim its issuer holds until it expires, and
// Take hands it to exactly one redeemer, across replicas.
type Codes interface {
	Claims
	// Take removes the claim on key, whoever holds it, and returns its owner; ok is false when
	// there was none, or it had expired.
	Take(ctx context.Context, key string) (owner string, ok bool, err error)
}

// Linker joins identities into one learner; the quiz engine implements it.
type Linker interface {
	Link(ctx context.Context, into, from string, loc *time.Location, now time.Time) error
	Unlink(ctx context.Context, identity string, now time.Time) error
	Linked(ctx context.Context, identity string, now time.Time) ([]string, error)
}

var _ Linker = (*quiz.Engine)(nil)

// Linking codes: 40 random bits as eight base32 letters and digits, typed by hand on another
// device, so short, but far too many to guess within the attempts a learner is allowed.
const (
	linkCodeLen = 8
	linkCodeTTL = 10 * time.Minute
	// linkTries wrong codes per linkTryWindow is all one identity may send: guessing one live
	// code among 2^40 then takes longer than the universe has.
	linkTries     = 5
	linkTryWindow = 10 * time.Minute
)

var linkEncoding = base32.StdEncoding.WithPadding(base32.NoPadding)

// linkIssuer is who asked for a code and where to tell them it was used, kept as the code's owner.
type linkIssuer struct {
	User   string `json:"u"`
	Chat   string `json:"c"`
	Lang   string `json:"l"`
	Locale string `json:"o,omitempty"`
}

func (b *Bot) linkCommands() []Command {
	if b.codes == nil || b.linker == nil {
		return nil
	}
	return []Command{
		{Name: "link", Args: []Arg{{Name: "code", Label: content.Text{EN: "CODE", ZH: "代码"},
			Help: content.Text{EN: "the code /link gave you on your other account", ZH: "另一个账号上 /link 给你的代码"}}},
			Help: catalog[msgHelpLink], Private: true, Handler: b.cmdLink},
		{Name: "unlink", Help: catalog[msgHelpUnlink], Private: true, Handler: b.cmdUnlink},
	}
}

// cmdLink hands out a code in a private chat, or redeems one.
func (b *Bot) cmdLink(ctx context.Context, req *Request) ([]Reply, error) {
	if req.Args != "" {
		return b.redeemLink(ctx, req)
	}
	if req.Chat == Group {
		return []Reply{{Text: Text(T(req.Lang, msgLinkPrivate))}}, nil
	}
	owner, err := json.Marshal(linkIssuer{User: req.UserKey(), Chat: req.ChatID, Lang: string(req.Lang), Locale: req.Locale})
	if err != nil {
		return nil, err
	}
	for range 3 {
		code, err := newLinkCode()
		if err != nil {
			return nil, err
		}
		ok, err := b.codes.Claim(ctx, linkKey(code), string(owner), linkCodeTTL)
		if err != nil {
			return nil, unavailable(err)
		}
		if !ok {
			continue // another learner's live code: draw again
		}
		var m Markup
		m.Plain(T(req.Lang, msgLinkCodeIntro)).Code(code).Plain(T(req.Lang, msgLinkCodeHow, code, int(linkCodeTTL/time.Minute)))
		if ids, err := b.linker.Linked(ctx, req.UserKey(), b.now()); err == nil && len(ids) > 1 {
			m.Plain("\n\n" + T(req.Lang, msgLinkAlready, platformList(req.Lang, ids)))
		}
		return []Reply{{Text: m}}, nil
	}
	return nil, errors.New("bot: no free link code after three draws")
}

// redeemLink joins the asking identity to the code's issuer. Every refusal of a code reads the
// same, so a guesser learns nothing, and each costs one of the identity's few tries.
func (b *Bot) redeemLink(ctx context.Context, req *Request) ([]Reply, error) {
	unknown := []Reply{{Text: Text(T(req.Lang, msgLinkUnknown))}}
	try, err := b.linkTry(ctx, req.UserKey())
	if err != nil {
		return nil, unavailable(err)
	}
	if try.key == "" {
		b.log.Info("link code refused: too many tries", "platform", req.Platform)
		return unknown, nil
	}
	code, ok := parseLinkCode(req.Args)
	if !ok {
		return unknown, nil
	}
	raw, ok, err := b.codes.Take(ctx, linkKey(code))
	if err != nil {
		return nil, unavailable(err)
	}
	if !ok {
		return unknown, nil
	}
	// A code that worked is not a wrong guess.
	if err := b.codes.Release(ctx, try.key, try.owner); err != nil {
		b.log.Warn("link try not released", "err", err)
	}
	var issuer linkIssuer
	if err := json.Unmarshal([]byte(raw), &issuer); err != nil {
		return nil, err
	}
	if req.Chat == Group {
		// Posted where others read it: it is spent now, so no one else can use it.
		return []Reply{{Text: Text(T(req.Lang, msgLinkBurnt))}}, nil
	}
	if issuer.User == req.UserKey() {
		return []Reply{{Text: Text(T(req.Lang, msgLinkSelf))}}, nil
	}
	err = b.linker.Link(ctx, issuer.User, req.UserKey(), b.zone(ctx, req), b.now())
	switch {
	case errors.Is(err, quiz.ErrSameLearner):
		return []Reply{{Text: Text(T(req.Lang, msgLinkSame))}}, nil
	case errors.Is(err, quiz.ErrTooManyLinks):
		return []Reply{{Text: Text(T(req.Lang, msgLinkTooMany, quiz.MaxLinks+1))}}, nil
	case err != nil:
		return nil, err
	}
	ids, err := b.linker.Linked(ctx, req.UserKey(), b.now())
	if err != nil {
		ids = []string{req.UserKey(), issuer.User}
	}
	b.log.Info("identities linked", "platforms", platformNames(ids))
	b.settings.forgetUser(req.UserKey())
	b.settings.forgetUser(issuer.User)

	lang := content.Lang(issuer.Lang)
	theirs := append([]string{issuer.User}, slices.DeleteFunc(slices.Clone(ids), func(id string) bool { return id == issuer.User })...)
	to := Destination{Platform: platformOf(issuer.User), ChatID: issuer.Chat, Chat: Private, Locale: issuer.Locale}
	if err := b.Send(ctx, to, []Reply{{Text: Text(T(lang, msgLinked, platformList(lang, theirs)))}}); err != nil {
		b.log.Info("link confirmation not delivered to the code's issuer", "platform", to.Platform, "err", err)
	}
	return []Reply{{Text: Text(T(req.Lang, msgLinked, platformList(req.Lang, ids)))}}, nil
}

// linkTry takes one of the identity's tries at a code, as a claim that lapses after the window,
// so the count holds across replicas and needs no cleaning. It returns the try (its key and
// owner), or the zero try when every one is spent.
func (b *Bot) linkTry(ctx context.Context, identity string) (linkAttempt, error) {
	nonce, err := newLinkCode()
	if err != nil {
		return linkAttempt{}, err
	}
	for i := range linkTries {
		key := "linktry:" + identity + ":" + strconv.Itoa(i)
		ok, err := b.codes.Claim(ctx, key, nonce, linkTryWindow)
		if err != nil {
			return linkAttempt{}, err
		}
		if ok {
			return linkAttempt{key: key, owner: nonce}, nil
		}
	}
	return linkAttempt{}, nil
}

// linkAttempt is one spent try at a code: a claim, released when the code was right.
type linkAttempt struct{ key, owner string }

func (b *Bot) cmdUnlink(ctx context.Context, req *Request) ([]Reply, error) {
	ids, err := b.linker.Linked(ctx, req.UserKey(), b.now())
	if err != nil {
		return nil, err
	}
	err = b.linker.Unlink(ctx, req.UserKey(), b.now())
	if errors.Is(err, quiz.ErrNotLinked) {
		return []Reply{{Text: Text(T(req.Lang, msgUnlinkNone))}}, nil
	}
	if err != nil {
		return nil, err
	}
	b.log.Info("identity unlinked", "platforms", platformNames(ids))
	return []Reply{{Text: Text(T(req.Lang, msgUnlinked))}}, nil
}

func linkKey(code string) string { return "link:" + code }

func newLinkCode() (string, error) {
	var raw [linkCodeLen * 5 / 8]byte
	if _, err := rand.Read(raw[:]); err != nil {
		return "", err
	}
	return linkEncoding.EncodeToString(raw[:]), nil
}

// parseLinkCode accepts a code as a learner retypes it: any case, spaces or dashes between
// groups. Anything else is no code, refused without asking the store.
func parseLinkCode(s string) (string, bool) {
	if len(s) > 4*linkCodeLen {
		return "", false
	}
	code := strings.Map(func(r rune) rune {
		switch {
		case r == ' ' || r == '-':
			return -1
		case r >= 'a' && r <= 'z':
			return r - 'a' + 'A'
		}
		return r
	}, s)
	if len(code) != linkCodeLen {
		return "", false
	}
	for _, r := range code {
		if !(r >= 'A' && r <= 'Z' || r >= '2' && r <= '7') {
			return "", false
		}
	}
	return code, true
}

// platformOf is the platform of a user or chat key ("telegram:42" → "telegram").
func platformOf(identity string) string {
	p, _, _ := strings.Cut(identity, ":")
	return p
}

// platformNames lists the platforms of identities, each once, in order: what the log may say.
func platformNames(ids []string) []string {
	var out []string
	for _, id := range ids {
		if p := platformOf(id); !slices.Contains(out, p) {
			out = append(out, p)
		}
	}
	return out
}

// platformList names the platforms of identities for a learner: "Telegram, Discord and the terminal".
func platformList(lang content.Lang, ids []string) string {
	var names []string
	for _, p := range platformNames(ids) {
		names = append(names, platformTitle(lang, p))
	}
	if lang == content.Chinese {
		return strings.Join(names, "、")
	}
	if len(names) < 2 {
		return strings.Join(names, "")
	}
	return strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1]
}

func platformTitle(lang content.Lang, p string) string {
	switch p {
	case "telegram":
		return "Telegram"
	case "discord":
		return "Discord"
	case "console":
		return T(lang, msgPlatformConsole)
	}
	return p
}
