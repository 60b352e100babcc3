package discord

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/pybrarian/pybrarian/bot"
	"github.com/pybrarian/pybrarian/content"
)

// Limits of application commands (interactions/application-commands).
const (
	maxDescription = 100
	maxOptionName  = 32
	maxChoiceName  = 100
	maxChoiceValue = 100
)

// chineseLocales are the Discord locales that get the core's Chinese texts. The core writes
// Simplified Chinese, which zh-TW clients get too.
var chineseLocales = []discordgo.Locale{discordgo.ChineseCN, discordgo.ChineseTW}

// optionName is Discord's rule for command and option names, localised ones included.
var optionName = regexp.MustCompile(`^[-_'\p{L}\p{N}\p{Devanagari}\p{Thai}]{1,32}$`)

// registerCommands replaces the application's slash commands with the core's, in one bulk
// overwrite: on DISCORD_GUILD_ID's server when set, else globally. Overwriting the same set is
// idempotent, so restarts and replicas change nothing; with shards, shard 0 registers for all. A
// failure is logged, not fatal: commands registered before keep working.
func (a *Adapter) registerCommands(ctx context.Context) {
	if a.cfg.ShardID != 0 {
		return
	}
	cmds := a.applicationCommands()
	// No retry on a 429: the daily quota of command creates resets hours later, and discordgo's
	// wait would ignore ctx.
	_, err := a.sess.ApplicationCommandBulkOverwrite(a.appID, a.cfg.GuildID, cmds,
		discordgo.WithContext(ctx), discordgo.WithRetryOnRatelimit(false))
	var re *discordgo.RESTError
	switch {
	case err == nil:
		a.log.Info("slash commands registered", "commands", len(cmds), "guild", a.cfg.GuildID)
	case a.cfg.GuildID != "" && errors.As(err, &re) && re.Message != nil && re.Message.Code == discordgo.ErrCodeMissingAccess:
		a.log.Error("registering slash commands: the bot is not on the server DISCORD_GUILD_ID names; invite it with the applications.commands scope", "guild", a.cfg.GuildID, "err", err)
	case ctx.Err() == nil:
		a.log.Error("registering slash commands", "err", err)
	}
}

// applicationCommands builds the slash commands from the core's command table: typed options
// from the arguments, autocomplete where the core suggests values, and Chinese names and
// descriptions for zh-CN and zh-TW clients. Commands that matter only where quizzes render
// natively are left out: Discord shows quizzes as buttons.
func (a *Adapter) applicationCommands() []*discordgo.ApplicationCommand {
	var out []*discordgo.ApplicationCommand
	for _, c := range a.commands {
		if c.Native {
			continue
		}
		cmd := &discordgo.ApplicationCommand{
			Type:                     discordgo.ChatApplicationCommand,
			Name:                     c.Name,
			Description:              description(c.Help.EN, c.Name),
			DescriptionLocalizations: chinese(description(c.Help.In(content.Chinese), c.Name)),
			Options:                  []*discordgo.ApplicationCommandOption{},
		}
		localNames := map[string]bool{}
		for _, arg := range c.Args {
			cmd.Options = append(cmd.Options, option(arg, localNames))
		}
		out = append(out, cmd)
	}
	return out
}

// option is an argument as a typed option.
func option(arg bot.Arg, localNames map[string]bool) *discordgo.ApplicationCommandOption {
	o := &discordgo.ApplicationCommandOption{
		Type:                     discordgo.ApplicationCommandOptionString,
		Name:                     arg.Name,
		Description:              description(arg.Help.EN, arg.Name),
		DescriptionLocalizations: *chinese(description(arg.Help.In(content.Chinese), arg.Name)),
		Required:                 arg.Required,
	}
	if name := localName(arg.Label.ZH, localNames); name != "" {
		o.NameLocalizations = *chinese(name)
	}
	if arg.Type == bot.ArgInt {
		o.Type = discordgo.ApplicationCommandOptionInteger
		if arg.Min != 0 || arg.Max != 0 {
			lo := float64(arg.Min)
			o.MinValue, o.MaxValue = &lo, float64(arg.Max)
		}
	}
	for _, v := range arg.Choices {
		var value any = v
		if arg.Type == bot.ArgInt {
			n, err := strconv.Atoi(v)
			if err != nil {
				continue
			}
			value = n
		}
		o.Choices = append(o.Choices, &discordgo.ApplicationCommandOptionChoice{Name: clip(v, maxChoiceName), Value: value})
	}
	o.Autocomplete = arg.Type == bot.ArgText && arg.Complete != bot.CompleteNone && len(o.Choices) == 0
	return o
}

// localName makes the Chinese label a valid option name, unique within its command: the second
// of two arguments with the same label gets a number ("名称", "名称2"). It returns "" when the
// label cannot be a name.
func localName(label string, taken map[string]bool) string {
	name := strings.ToLower(strings.Join(strings.Fields(label), "_"))
	if !optionName.MatchString(name) {
		return ""
	}
	base := name
	for n := 2; taken[name]; n++ {
		name = bot.ClipRunes(base, maxOptionName-len(strconv.Itoa(n))) + strconv.Itoa(n)
	}
	taken[name] = true
	return name
}

// description keeps a command or option description within Discord's 1–100 characters.
func description(s, fallback string) string {
	if s = strings.TrimSpace(s); s == "" {
		s = fallback
	}
	return clip(s, maxDescription)
}

// chinese is a localization map with s for every Chinese locale.
func chinese(s string) *map[discordgo.Locale]string {
	m := map[discordgo.Locale]string{}
	for _, l := range chineseLocales {
		m[l] = s
	}
	return &m
}

// commandText is what the user would have typed: "/name" and the option values in the order the
// command declares its arguments, each with the argument's Suffix, so the core parses a slash
// command like a typed one. Options the table no longer has (a registration left from an older
// version) are ignored.
func (a *Adapter) commandText(data discordgo.ApplicationCommandInteractionData) string {
	given := map[string]*discordgo.ApplicationCommandInteractionDataOption{}
	for _, o := range data.Options {
		given[o.Name] = o
	}
	parts := []string{"/" + data.Name}
	for _, arg := range a.byName[data.Name].Args {
		if v := optionValue(given[arg.Name]); v != "" {
			parts = append(parts, v+arg.Suffix)
		}
	}
	return strings.Join(parts, " ")
}

// optionValue is an option's value as text, "" when absent.
func optionValue(o *discordgo.ApplicationCommandInteractionDataOption) string {
	if o == nil {
		return ""
	}
	switch v := o.Value.(type) {
	case string:
		return strings.TrimSpace(v)
	case float64:
		return strconv.FormatInt(int64(v), 10)
	case bool:
		return strconv.FormatBool(v)
	case nil:
		return ""
	}
	return fmt.Sprint(o.Value)
}

// private reports whether a command's replies are for the asking user alone, from the text that
// invokes it.
func (a *Adapter) private(text string) bool {
	name, _, _ := strings.Cut(strings.TrimPrefix(strings.TrimSpace(text), "/"), " ")
	return a.byName[strings.ToLower(name)].Private
}

// autocomplete answers what the user is typing into an option with the core's suggestions, at
// once (Discord has no deferred form for it): at most 25, names of at most 100 characters.
func (a *Adapter) autocomplete(ctx context.Context, i *discordgo.Interaction, deadline time.Time) {
	data := i.ApplicationCommandData()
	var focused *discordgo.ApplicationCommandInteractionDataOption
	for _, o := range data.Options {
		if o.Focused {
			focused = o
		}
	}
	choices := []*discordgo.ApplicationCommandOptionChoice{}
	if focused != nil {
		query, _ := focused.Value.(string)
		scope, ok := completion(a.byName[data.Name], focused.Name)
		if ok {
			for _, s := range a.h.Suggest(query, content.ParseLocale(string(i.Locale)), scope, bot.MaxSuggestions) {
				if s.Value == "" || len(s.Value) > maxChoiceValue {
					continue
				}
				name := strings.TrimSpace(s.Label)
				if name == "" {
					name = s.Value
				}
				choices = append(choices, &discordgo.ApplicationCommandOptionChoice{Name: clip(name, maxChoiceName), Value: s.Value})
			}
		}
	}
	resp := &discordgo.InteractionResponse{
		Type: discordgo.InteractionApplicationCommandAutocompleteResult,
		Data: &discordgo.InteractionResponseData{Choices: choices},
	}
	err := a.interactionCall(ctx, deadline, func(opts ...discordgo.RequestOption) error {
		return a.sess.InteractionRespond(i, resp, opts...)
	})
	if err != nil {
		a.logFailure("answering an autocomplete", err)
	}
}

// completion is where suggestions for an option come from.
func completion(c bot.CommandInfo, option string) (bot.SuggestScope, bool) {
	for _, arg := range c.Args {
		if arg.Name != option {
			continue
		}
		switch arg.Complete {
		case bot.CompleteEntries:
			return bot.SuggestEntries, true
		case bot.CompleteQuizScopes:
			return bot.SuggestQuizScopes, true
		}
	}
	return 0, false
}
