package discord

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"runtime/debug"
	"slices"
	"strings"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/pybrarian/pybrarian/bot"
)

// Timing of interaction responses.
const (
	// answerWithin is Discord's deadline for the first response to an interaction; later ones
	// get 404 Unknown interaction and the user sees "The application did not respond".
	answerWithin = 3 * time.Second
	// deferAfter is how long the core may take before the adapter defers instead: what is left
	// of the 3 s is room for the deferral to reach Discord, with a short 429 waited out.
	deferAfter = 1500 * time.Millisecond
	// tokenLifetime is how long an interaction's token serves edits and follow-ups.
	tokenLifetime = 15 * time.Minute
	// maxRateLimitWaits bounds the 429s one call waits out.
	maxRateLimitWaits = 3
)

// pending is an interaction being answered.
type pending struct {
	i        *discordgo.Interaction
	ev       bot.Event
	received time.Time // on the adapter's clock
	// press is set for a pressed quiz choice, whose answer may replace the message it was on.
	press bool
	// private is set when the replies will be for the user alone, so a deferral is ephemeral.
	private bool
}

// deadline is when the first response must have reached Discord.
func (p *pending) deadline() time.Time { return p.received.Add(answerWithin) }

// expires is when the interaction's token stops serving edits and follow-ups.
func (p *pending) expires() time.Time { return p.received.Add(tokenLifetime) }

func (a *Adapter) onInteraction(_ *discordgo.Session, ic *discordgo.InteractionCreate) {
	if !a.begin() {
		return
	}
	defer a.end()
	defer a.recoverPanic("an interaction")
	i := ic.Interaction
	p := &pending{i: i, received: a.clock.Now()}
	ctx := a.base
	// The data's type follows the interaction's: switch before reading it, since the accessors
	// panic on the wrong one.
	switch i.Type {
	case discordgo.InteractionApplicationCommandAutocomplete:
		a.autocomplete(ctx, i, p.deadline())
		return
	case discordgo.InteractionApplicationCommand:
		data := i.ApplicationCommandData()
		if data.CommandType != 0 && data.CommandType != discordgo.ChatApplicationCommand {
			return // the adapter registers slash commands only
		}
		p.ev.Text = a.commandText(data)
		p.private = a.private(p.ev.Text)
	case discordgo.InteractionMessageComponent:
		id := i.MessageComponentData().CustomID
		if cmd, ok := strings.CutPrefix(id, commandPrefix); ok {
			// A command button: as if the user had typed the command.
			p.ev.Text = cmd
			p.private = a.private(cmd)
		} else {
			p.ev.Choice, p.press = id, true
		}
	default:
		return // pings and modals: the adapter opens none
	}
	if !interactionEvent(i, &p.ev) {
		a.log.Warn("ignoring an interaction with neither a member nor a user", "id", i.ID)
		return
	}
	a.answer(ctx, p)
}

// interactionEvent fills in who and where from the interaction: a guild channel for a group, the
// user for a DM. It reports false when the interaction names no user.
func interactionEvent(i *discordgo.Interaction, ev *bot.Event) bool {
	ev.Platform, ev.Locale, ev.Addressed = Platform, string(i.Locale), true
	switch {
	case i.GuildID != "" && i.Member != nil && i.Member.User != nil:
		ev.Chat, ev.ChatID = bot.Group, i.ChannelID
		ev.UserID, ev.UserName = i.Member.User.ID, displayName(i.Member.Nick, i.Member.User)
		// Discord computes the member's permissions in the channel into the interaction, so no
		// request is needed to tell who manages the server or the channel.
		perms := i.Member.Permissions
		ev.IsAdmin = func(context.Context) (bool, error) {
			return perms&(discordgo.PermissionAdministrator|discordgo.PermissionManageServer|discordgo.PermissionManageChannels) != 0, nil
		}
	case i.User != nil:
		ev.Chat, ev.ChatID = bot.Private, i.User.ID
		ev.UserID, ev.UserName = i.User.ID, displayName("", i.User)
	default:
		return false
	}
	return true
}

// displayName is what the user is called: the server nickname, the global display name, or the
// username.
func displayName(nick string, u *discordgo.User) string {
	switch {
	case nick != "":
		return nick
	case u.GlobalName != "":
		return u.GlobalName
	}
	return u.Username
}

// answer runs the core and answers the interaction once: directly when the core is done before
// deferAfter on the adapter's clock, otherwise with a deferral first and the answer as an edit.
func (a *Adapter) answer(ctx context.Context, p *pending) {
	results := make(chan []bot.Reply, 1)
	go func() { results <- a.h.Handle(ctx, p.ev) }()
	select {
	case replies := <-results:
		a.respond(ctx, p, renderAll(replies))
		return
	case <-a.clock.After(p.received.Add(deferAfter).Sub(a.clock.Now())):
	}
	if err := a.acknowledge(ctx, p); err != nil {
		a.replyFailed(ctx, p, "deferring an interaction", err)
		<-results // nothing can be shown now, but the core finishes what it started
		return
	}
	a.complete(ctx, p, renderAll(<-results))
}

func renderAll(replies []bot.Reply) []message {
	var out []message
	for _, r := range replies {
		out = append(out, render(r)...)
	}
	return out
}

// respond answers in time: a pressed choice's answer replaces the question message (type 7);
// anything else is a new message (type 4), ephemeral when private, such as the notice for a
// press that changes nothing. The other messages follow.
func (a *Adapter) respond(ctx context.Context, p *pending, msgs []message) {
	var resp *discordgo.InteractionResponse
	switch k := editIndex(msgs); {
	case p.press && k >= 0:
		resp = &discordgo.InteractionResponse{Type: discordgo.InteractionResponseUpdateMessage, Data: responseData(msgs[k], true)}
		msgs = slices.Delete(slices.Clone(msgs), k, k+1)
	case len(msgs) > 0:
		resp = &discordgo.InteractionResponse{Type: discordgo.InteractionResponseChannelMessageWithSource, Data: responseData(msgs[0], false)}
		msgs = msgs[1:]
	case p.press:
		resp = &discordgo.InteractionResponse{Type: discordgo.InteractionResponseDeferredMessageUpdate}
	default:
		// The core answers every command; should it ever have nothing to say, the user still
		// learns the command was taken.
		resp = &discordgo.InteractionResponse{Type: discordgo.InteractionResponseChannelMessageWithSource,
			Data: &discordgo.InteractionResponseData{Content: "✓", Flags: discordgo.MessageFlagsEphemeral, AllowedMentions: none()}}
	}
	err := a.interactionCall(ctx, p.deadline(), func(opts ...discordgo.RequestOption) error {
		return a.sess.InteractionRespond(p.i, resp, opts...)
	})
	if err != nil {
		a.replyFailed(ctx, p, "answering an interaction", err)
		return
	}
	a.followUp(ctx, p, msgs)
}

// acknowledge defers: a pressed choice with a deferred update (type 6, no visible change), a
// command with "thinking…" (type 5), ephemeral when its replies will be private.
func (a *Adapter) acknowledge(ctx context.Context, p *pending) error {
	resp := &discordgo.InteractionResponse{Type: discordgo.InteractionResponseDeferredChannelMessageWithSource}
	switch {
	case p.press:
		resp.Type = discordgo.InteractionResponseDeferredMessageUpdate
	case p.private:
		resp.Data = &discordgo.InteractionResponseData{Flags: discordgo.MessageFlagsEphemeral}
	}
	return a.interactionCall(ctx, p.deadline(), func(opts ...discordgo.RequestOption) error {
		return a.sess.InteractionRespond(p.i, resp, opts...)
	})
}

// complete delivers the answer after a deferral by editing the original response: for a press,
// the question message; for a command, the "thinking…" placeholder, with the first message as
// visible as the placeholder is. When none is, the placeholder is deleted. The rest follow.
func (a *Adapter) complete(ctx context.Context, p *pending, msgs []message) {
	k := editIndex(msgs)
	if !p.press {
		k = slices.IndexFunc(msgs, func(m message) bool { return m.private == p.private })
	}
	switch {
	case k >= 0:
		if err := a.editOriginal(ctx, p, msgs[k]); err != nil {
			a.replyFailed(ctx, p, "editing an interaction's response", err)
			return
		}
		msgs = slices.Delete(slices.Clone(msgs), k, k+1)
	case !p.press:
		err := a.interactionCall(ctx, p.expires(), func(opts ...discordgo.RequestOption) error {
			return a.sess.InteractionResponseDelete(p.i, opts...)
		})
		if err != nil {
			a.replyFailed(ctx, p, "removing a deferred response", err)
			return
		}
	}
	a.followUp(ctx, p, msgs)
}

// editIndex is the index of the message that replaces a pressed button's message, or -1.
func editIndex(msgs []message) int {
	return slices.IndexFunc(msgs, func(m message) bool { return m.edit && !m.private })
}

func (a *Adapter) editOriginal(ctx context.Context, p *pending, m message) error {
	d := responseData(m, true)
	edit := &discordgo.WebhookEdit{Content: &d.Content, Embeds: &d.Embeds, Components: &d.Components, AllowedMentions: d.AllowedMentions, Files: m.files}
	return a.interactionCall(ctx, p.expires(), func(opts ...discordgo.RequestOption) error {
		_, err := a.sess.InteractionResponseEdit(p.i, edit, opts...)
		return err
	})
}

// followUp sends messages with the interaction's token, in order, each ephemeral when private.
func (a *Adapter) followUp(ctx context.Context, p *pending, msgs []message) {
	for _, m := range msgs {
		params := &discordgo.WebhookParams{Content: m.content, Embeds: m.embeds, Components: m.components, AllowedMentions: none(), Files: m.files}
		if m.private {
			params.Flags = discordgo.MessageFlagsEphemeral
		}
		err := a.interactionCall(ctx, p.expires(), func(opts ...discordgo.RequestOption) error {
			_, err := a.sess.FollowupMessageCreate(p.i, true, params, opts...)
			return err
		})
		if err != nil {
			a.replyFailed(ctx, p, "sending a follow-up", err)
			return
		}
	}
}

// responseData is a message as interaction response data. An update replaces the message whole,
// so its embeds and buttons are always sent, empty ones included.
func responseData(m message, update bool) *discordgo.InteractionResponseData {
	d := &discordgo.InteractionResponseData{Content: m.content, Embeds: m.embeds, Components: m.components, AllowedMentions: none(), Files: m.files}
	if d.Embeds == nil {
		d.Embeds = []*discordgo.MessageEmbed{}
	}
	if d.Components == nil {
		d.Components = []discordgo.MessageComponent{}
	}
	if m.private && !update {
		d.Flags = discordgo.MessageFlagsEphemeral
	}
	return d
}

// errPastDeadline is a call the interaction's deadline no longer allows.
var errPastDeadline = errors.New("discord: the interaction's deadline has passed")

// interactionCall makes a call to an interaction endpoint by deadline, on the adapter's clock.
// discordgo's own 429 handling sleeps without regard to contexts in v0.28.1, so it is turned off:
// a 429 is waited out here, retry_after on the clock, while the deadline allows. Nothing else is
// retried: a response that may have arrived must not be sent twice.
func (a *Adapter) interactionCall(ctx context.Context, deadline time.Time, call func(...discordgo.RequestOption) error) error {
	for waits := 0; ; waits++ {
		left := deadline.Sub(a.clock.Now())
		if left <= 0 {
			return errPastDeadline
		}
		rctx, cancel := context.WithTimeout(ctx, left)
		err := call(discordgo.WithRetryOnRatelimit(false), discordgo.WithContext(rctx))
		cancel()
		var rl *discordgo.RateLimitError
		if !errors.As(err, &rl) || waits == maxRateLimitWaits {
			return err
		}
		if a.clock.Now().Add(rl.RetryAfter).After(deadline) {
			return fmt.Errorf("%w: retry_after %v is past the deadline", err, rl.RetryAfter)
		}
		a.log.Info("rate limited; retrying", "url", redactToken(rl.URL), "after", rl.RetryAfter)
		select {
		case <-a.clock.After(rl.RetryAfter):
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// redactToken cuts the token out of an interaction or webhook URL before it is logged.
func redactToken(u string) string {
	for _, marker := range []string{"/interactions/", "/webhooks/"} {
		if i := strings.Index(u, marker); i >= 0 {
			return u[:i+len(marker)] + "…"
		}
	}
	return u
}

// replyFailed reports a reply that did not go out: a chat Discord refuses is marked unreachable in
// the core, anything else is logged.
func (a *Adapter) replyFailed(ctx context.Context, p *pending, what string, err error) {
	err = classify(err)
	if errors.Is(err, bot.ErrUnreachable) {
		a.h.MarkUnreachable(ctx, Platform, p.ev.ChatID, strings.TrimPrefix(err.Error(), bot.ErrUnreachable.Error()+": "))
		return
	}
	a.logFailure(what, err)
}

// logFailure logs a failed call; during shutdown, quietly.
func (a *Adapter) logFailure(what string, err error) {
	if errors.Is(err, context.Canceled) {
		a.log.Debug(what, "err", err)
		return
	}
	a.log.Warn(what, "err", describe(err))
}

// describe shortens discordgo's errors, whose text carries whole response bodies and request
// URLs with tokens, to what an operator needs.
func describe(err error) string {
	var re *discordgo.RESTError
	if errors.As(err, &re) && re.Response != nil {
		if re.Message != nil {
			return fmt.Sprintf("%s: %d %s", re.Response.Status, re.Message.Code, re.Message.Message)
		}
		return re.Response.Status
	}
	var rl *discordgo.RateLimitError
	if errors.As(err, &rl) {
		return fmt.Sprintf("rate limited, retry after %v", rl.RetryAfter)
	}
	var ue *url.Error
	if errors.As(err, &ue) {
		return fmt.Sprintf("%s %s: %v", ue.Op, redactToken(ue.URL), ue.Err)
	}
	return err.Error()
}

// recoverPanic keeps a panic in handling one event from taking the adapter down.
func (a *Adapter) recoverPanic(what string) {
	if p := recover(); p != nil {
		a.log.Error("panic handling "+what, "panic", p, "stack", string(debug.Stack()))
	}
}
