package discordtest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// Application command types.
const (
	CommandChatInput = 1
	CommandUser      = 2
	CommandMessage   = 3
)

// Command option types.
const (
	OptionSubcommand      = 1
	OptionSubcommandGroup = 2
	OptionString          = 3
	OptionInteger         = 4
	OptionBoolean         = 5
	OptionUser            = 6
	OptionChannel         = 7
	OptionRole            = 8
	OptionMentionable     = 9
	OptionNumber          = 10
	OptionAttachment      = 11
)

// Command is a registered application command as Discord stores it: what the bot sent, plus
// the id, application id, guild id and version Discord assigns.
type Command struct {
	ID                       string            `json:"id"`
	ApplicationID            string            `json:"application_id"`
	GuildID                  string            `json:"guild_id,omitempty"`
	Version                  string            `json:"version"`
	Type                     int               `json:"type"`
	Name                     string            `json:"name"`
	NameLocalizations        map[string]string `json:"name_localizations,omitempty"`
	Description              string            `json:"description"`
	DescriptionLocalizations map[string]string `json:"description_localizations,omitempty"`
	Options                  []CommandOption   `json:"options,omitempty"`
	DefaultMemberPermissions *string           `json:"default_member_permissions"`
	DMPermission             *bool             `json:"dm_permission,omitempty"`
	Contexts                 []int             `json:"contexts,omitempty"`
	IntegrationTypes         []int             `json:"integration_types,omitempty"`
	NSFW                     bool              `json:"nsfw,omitempty"`
}

// CommandOption is an option, subcommand or subcommand group of a command.
type CommandOption struct {
	Type                     int               `json:"type"`
	Name                     string            `json:"name"`
	NameLocalizations        map[string]string `json:"name_localizations,omitempty"`
	Description              string            `json:"description"`
	DescriptionLocalizations map[string]string `json:"description_localizations,omitempty"`
	Required                 bool              `json:"required,omitempty"`
	Choices                  []Choice          `json:"choices,omitempty"`
	Options                  []CommandOption   `json:"options,omitempty"`
	ChannelTypes             []int             `json:"channel_types,omitempty"`
	MinValue                 *float64          `json:"min_value,omitempty"`
	MaxValue                 *float64          `json:"max_value,omitempty"`
	MinLength                *int              `json:"min_length,omitempty"`
	MaxLength                *int              `json:"max_length,omitempty"`
	Autocomplete             bool              `json:"autocomplete,omitempty"`
}

func findOption(opts []CommandOption, name string) *CommandOption {
	for i := range opts {
		if opts[i].Name == name {
			return &opts[i]
		}
	}
	return nil
}

// Commands returns the commands registered for a guild, or the global ones for guildID "".
func (s *Server) Commands(guildID string) []Command {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Command
	for _, c := range s.commands[guildID] {
		out = append(out, *c)
	}
	return out
}

// commandLocked finds the command an interaction in the guild (or a DM, guildID "") would run:
// a guild command first, then a global one.
func (s *Server) commandLocked(guildID, name string, typ int) *Command {
	scopes := []string{""}
	if guildID != "" {
		scopes = []string{guildID, ""}
	}
	for _, scope := range scopes {
		for _, c := range s.commands[scope] {
			if c.Name == name && c.Type == typ {
				return c
			}
		}
	}
	return nil
}

func (s *Server) checkApp(params map[string]string) *APIError {
	if params["app"] != AppID {
		return apiError(http.StatusForbidden, CodeMissingAccess)
	}
	return nil
}

func (s *Server) getCommands(_ *Call, params map[string]string) (int, any, *APIError) {
	if e := s.checkApp(params); e != nil {
		return 0, nil, e
	}
	out := []*Command{}
	out = append(out, s.commands[params["guild"]]...)
	return http.StatusOK, out, nil
}

// MaxDailyCommandCreates is how many new commands Discord lets an application create per day
// in one scope; overwriting an existing command does not count.
const MaxDailyCommandCreates = 200

// putCommands is the bulk overwrite: the body replaces every command in the scope. Commands
// that already existed (same type and name) keep their ids.
func (s *Server) putCommands(c *Call, params map[string]string) (int, any, *APIError) {
	if e := s.checkApp(params); e != nil {
		return 0, nil, e
	}
	scope := params["guild"]
	if scope != "" && s.guilds[scope] == nil {
		return 0, nil, apiError(http.StatusForbidden, CodeMissingAccess)
	}
	var cmds []Command
	if err := json.Unmarshal(c.Body, &cmds); err != nil {
		var p problems
		p.add("_root", "BASE_TYPE_ARRAY", "Must be an array of application commands: %v", err)
		return 0, nil, p.formError()
	}
	var p problems
	validateCommands(cmds, &p)
	if e := p.formError(); e != nil {
		return 0, nil, e
	}
	day := s.clock.Now().UTC().Format("2006-01-02")
	created := 0
	for _, cmd := range cmds {
		if _, ok := s.commandIDs[commandKey(scope, cmd.Type, cmd.Name)]; !ok {
			created++
		}
	}
	if s.creates[scope+"/"+day]+created > MaxDailyCommandCreates {
		// Discord answers 429 with the time left until the quota resets; discordgo sleeps that
		// long and retries unless the call disables retries.
		now := s.clock.Now().UTC()
		e := apiError(http.StatusTooManyRequests, CodeMaxDailyCommandCreates)
		e.RetryAfter = now.Truncate(24 * time.Hour).Add(24 * time.Hour).Sub(now).Seconds()
		return 0, nil, e
	}
	s.creates[scope+"/"+day] += created
	version := s.newIDLocked()
	stored := make([]*Command, 0, len(cmds))
	for _, cmd := range cmds {
		key := commandKey(scope, cmd.Type, cmd.Name)
		id, ok := s.commandIDs[key]
		if !ok {
			id = s.newIDLocked()
			s.commandIDs[key] = id
		}
		cmd.ID, cmd.ApplicationID, cmd.GuildID, cmd.Version = id, AppID, scope, version
		stored = append(stored, &cmd)
	}
	s.commands[scope] = stored
	s.notifyLocked()
	return http.StatusOK, stored, nil
}

func commandKey(scope string, typ int, name string) string {
	return scope + "/" + strconv.Itoa(typ) + "/" + name
}

// chatInputName is Discord's rule for CHAT_INPUT command and option names
// (application-commands "Application Command Naming").
var chatInputName = regexp.MustCompile(`^[-_'\p{L}\p{N}\p{Devanagari}\p{Thai}]{1,32}$`)

func checkName(p *problems, at, name string) {
	if !chatInputName.MatchString(name) {
		p.add(at, "APPLICATION_COMMAND_INVALID_NAME", "Command name is invalid")
	} else if strings.ToLower(name) != name {
		p.add(at, "APPLICATION_COMMAND_INVALID_NAME", "Command name must be lowercase")
	}
}

// validateCommands checks a bulk overwrite: at most 100 chat-input commands, names and
// descriptions by Discord's rules, options and choices within their limits.
func validateCommands(cmds []Command, p *problems) {
	names := map[string]bool{}
	chat := 0
	for i := range cmds {
		cmd := &cmds[i]
		at := strconv.Itoa(i) + "."
		if cmd.Type == 0 {
			cmd.Type = CommandChatInput
		}
		key := fmt.Sprintf("%d/%s", cmd.Type, cmd.Name)
		if names[key] {
			p.add(at+"name", "APPLICATION_COMMANDS_DUPLICATE_NAME", "Application command names must be unique")
		}
		names[key] = true
		switch cmd.Type {
		case CommandChatInput:
			chat++
			checkName(p, at+"name", cmd.Name)
			p.between(at+"description", cmd.Description, 1, 100)
			for loc, n := range cmd.NameLocalizations {
				checkName(p, at+"name_localizations."+loc, n)
			}
			for loc, d := range cmd.DescriptionLocalizations {
				p.between(at+"description_localizations."+loc, d, 1, 100)
			}
			validateOptions(cmd.Options, at+"options", 0, p)
		case CommandUser, CommandMessage:
			p.between(at+"name", cmd.Name, 1, 32)
			if cmd.Description != "" || len(cmd.Options) > 0 {
				p.add(at+"description", "APPLICATION_COMMAND_CONTEXT_MENU_FIELDS", "Context menu commands cannot have a description or options")
			}
		default:
			p.add(at+"type", "BASE_TYPE_CHOICES", "Value must be one of {1, 2, 3}.")
		}
	}
	if chat > 100 {
		p.add("_root", "APPLICATION_COMMANDS_TOO_MANY", "Maximum number of application commands reached (100)")
	}
}

func validateOptions(opts []CommandOption, path string, depth int, p *problems) {
	p.maxItems(path, len(opts), 25)
	seen := map[string]bool{}
	optional := false
	for i, o := range opts {
		at := path + "." + strconv.Itoa(i) + "."
		checkName(p, at+"name", o.Name)
		p.between(at+"description", o.Description, 1, 100)
		if seen[o.Name] {
			p.add(at+"name", "APPLICATION_COMMAND_OPTIONS_NAME_ALREADY_EXISTS", "Option names must be unique")
		}
		seen[o.Name] = true
		switch o.Type {
		case OptionSubcommand, OptionSubcommandGroup:
			if depth >= 2 || (o.Type == OptionSubcommandGroup && depth >= 1) {
				p.add(at+"type", "APPLICATION_COMMAND_OPTIONS_TYPE_INVALID", "Subcommands nest at most two levels")
			}
			validateOptions(o.Options, at+"options", depth+1, p)
			continue
		case OptionString, OptionInteger, OptionBoolean, OptionUser, OptionChannel, OptionRole,
			OptionMentionable, OptionNumber, OptionAttachment:
		default:
			p.add(at+"type", "BASE_TYPE_CHOICES", "Value must be one of {1, …, 11}.")
		}
		if o.Required && optional {
			p.add(at+"required", "APPLICATION_COMMAND_OPTIONS_REQUIRED_INVALID", "Required options must be placed before non-required options")
		}
		optional = optional || !o.Required
		if o.Autocomplete {
			if len(o.Choices) > 0 {
				p.add(at+"autocomplete", "APPLICATION_COMMAND_OPTION_AUTOCOMPLETE_CHOICES", "Autocomplete cannot be set with choices")
			}
			if o.Type != OptionString && o.Type != OptionInteger && o.Type != OptionNumber {
				p.add(at+"autocomplete", "APPLICATION_COMMAND_OPTION_AUTOCOMPLETE_TYPE", "Autocomplete is only for string, integer and number options")
			}
		}
		validateChoices(o.Choices, at+"choices", p)
	}
}
