package discordtest

import (
	"fmt"
	"slices"
	"strconv"
)

// Limits Discord enforces on what a bot sends (resources/message, components/reference,
// interactions/receiving-and-responding). The fake answers 400 Invalid Form Body when one is
// broken, as Discord does, so an adapter that would fail in production fails in tests.
const (
	MaxContent          = 2000
	MaxEmbeds           = 10
	MaxEmbedTitle       = 256
	MaxEmbedDescription = 4096
	MaxEmbedFields      = 25
	MaxFieldName        = 256
	MaxFieldValue       = 1024
	MaxFooterText       = 2048
	MaxAuthorName       = 256
	MaxEmbedTotal       = 6000 // all embeds of one message together
	MaxActionRows       = 5
	MaxRowButtons       = 5
	MaxButtonLabel      = 80
	MaxCustomID         = 100
	MaxSelectOptions    = 25
	MaxChoices          = 25 // autocomplete results and command option choices
	MaxChoiceName       = 100
	MaxChoiceValue      = 100
	MaxComponentsV2     = 40
)

// messageRules says which flags a kind of request may set.
type messageRules struct {
	flags int
}

var (
	// Create Message: only SUPPRESS_EMBEDS, SUPPRESS_NOTIFICATIONS, IS_VOICE_MESSAGE and
	// IS_COMPONENTS_V2 can be set.
	channelRules = messageRules{flags: FlagSuppressEmbeds | FlagSuppressNotifications | FlagVoiceMessage | FlagComponentsV2}
	// Interaction responses and follow-ups may also be EPHEMERAL.
	interactionRules = messageRules{flags: FlagSuppressEmbeds | FlagEphemeral | FlagSuppressNotifications | FlagVoiceMessage | FlagComponentsV2}
	// Edits may change SUPPRESS_EMBEDS and IS_COMPONENTS_V2; other bits are ignored, as on
	// Discord, so nothing is refused.
	editRules = messageRules{flags: ^0}
)

// validateMessage checks the fields of a message body against Discord's limits.
func validateMessage(f *messageFields, prefix string, rules messageRules, p *problems) {
	p.maxLen(prefix+"content", f.Content, MaxContent)
	if bad := f.Flags &^ rules.flags; bad != 0 {
		p.add(prefix+"flags", "MESSAGE_FLAGS_INVALID", "Invalid flags %d: only %d may be set here.", bad, rules.flags)
	}
	v2 := f.Flags&FlagComponentsV2 != 0
	if v2 && (f.Content != "" || len(f.Embeds) > 0) {
		p.add(prefix+"content", "MESSAGE_CANNOT_USE_LEGACY_FIELDS_WITH_COMPONENTS_V2", "The 'content' and 'embeds' fields cannot be used when using the IS_COMPONENTS_V2 flag.")
	}
	validateEmbeds(f.Embeds, prefix+"embeds", p)
	validateComponents(f.Components, prefix+"components", v2, p)
	if am := f.AllowedMentions; am != nil {
		for i, v := range am.Parse {
			if v != "users" && v != "roles" && v != "everyone" {
				p.add(fmt.Sprintf("%sallowed_mentions.parse.%d", prefix, i), "BASE_TYPE_CHOICES", "Value must be one of ('roles', 'users', 'everyone').")
			}
		}
		if slices.Contains(am.Parse, "users") && len(am.Users) > 0 {
			p.add(prefix+"allowed_mentions", "MESSAGE_ALLOWED_MENTIONS_PARSE_EXCLUSIVE", "parse:[\"users\"] and users: [ids...] are mutually exclusive.")
		}
		if slices.Contains(am.Parse, "roles") && len(am.Roles) > 0 {
			p.add(prefix+"allowed_mentions", "MESSAGE_ALLOWED_MENTIONS_PARSE_EXCLUSIVE", "parse:[\"roles\"] and roles: [ids...] are mutually exclusive.")
		}
		p.maxItems(prefix+"allowed_mentions.users", len(am.Users), 100)
		p.maxItems(prefix+"allowed_mentions.roles", len(am.Roles), 100)
	}
}

func validateEmbeds(embeds []Embed, path string, p *problems) {
	p.maxItems(path, len(embeds), MaxEmbeds)
	total := 0
	for i, e := range embeds {
		at := path + "." + strconv.Itoa(i) + "."
		p.maxLen(at+"title", e.Title, MaxEmbedTitle)
		p.maxLen(at+"description", e.Description, MaxEmbedDescription)
		p.maxItems(at+"fields", len(e.Fields), MaxEmbedFields)
		total += runeLen(e.Title) + runeLen(e.Description)
		for j, fl := range e.Fields {
			fat := at + "fields." + strconv.Itoa(j) + "."
			p.between(fat+"name", fl.Name, 1, MaxFieldName)
			p.between(fat+"value", fl.Value, 1, MaxFieldValue)
			total += runeLen(fl.Name) + runeLen(fl.Value)
		}
		if e.Footer != nil {
			p.maxLen(at+"footer.text", e.Footer.Text, MaxFooterText)
			total += runeLen(e.Footer.Text)
		}
		if e.Author != nil {
			p.maxLen(at+"author.name", e.Author.Name, MaxAuthorName)
			total += runeLen(e.Author.Name)
		}
	}
	if total > MaxEmbedTotal {
		p.add(path, "MAX_EMBED_SIZE_EXCEEDED", "Embed size exceeds maximum size of %d", MaxEmbedTotal)
	}
}

func isSelect(t int) bool {
	return t == ComponentStringSelect || (t >= ComponentUserSelect && t <= ComponentChannelSelect)
}

// validateComponents checks a message's component tree: legacy messages hold up to five action
// rows of up to five buttons or one select menu; IS_COMPONENTS_V2 messages hold up to 40
// components in all, which the fake counts but does not lay out.
func validateComponents(rows []Component, path string, v2 bool, p *problems) {
	seen := map[string]bool{}
	if v2 {
		n := 0
		var count func([]Component)
		count = func(cs []Component) {
			for _, c := range cs {
				n++
				count(c.Components)
			}
		}
		count(rows)
		if n > MaxComponentsV2 {
			p.add(path, "BASE_TYPE_MAX_LENGTH", "Must be %d or fewer in length.", MaxComponentsV2)
		}
		return
	}
	p.maxItems(path, len(rows), MaxActionRows)
	for i, row := range rows {
		at := path + "." + strconv.Itoa(i)
		if row.Type != ComponentActionRow {
			p.add(at+".type", "UNION_TYPE_CHOICES", "Value of field \"type\" must be one of (1,).")
			continue
		}
		if len(row.Components) == 0 {
			p.add(at+".components", "BASE_TYPE_BAD_LENGTH", "Must be between 1 and %d in length.", MaxRowButtons)
		}
		p.maxItems(at+".components", len(row.Components), MaxRowButtons)
		for j, c := range row.Components {
			cat := at + ".components." + strconv.Itoa(j)
			switch {
			case c.Type == ComponentButton:
				validateButton(c, cat, p)
			case isSelect(c.Type):
				if len(row.Components) > 1 {
					p.add(at+".components", "COMPONENT_LAYOUT_WIDTH_EXCEEDED", "The specified component exceeds the maximum width")
				}
				validateSelect(c, cat, p)
			default:
				p.add(cat+".type", "UNION_TYPE_CHOICES", "Component type %d is not allowed in a message action row.", c.Type)
			}
			if c.CustomID != "" {
				if seen[c.CustomID] {
					p.add(cat+".custom_id", "COMPONENT_CUSTOM_ID_DUPLICATED", "Component custom id cannot be duplicated")
				}
				seen[c.CustomID] = true
			}
		}
	}
}

func validateButton(c Component, at string, p *problems) {
	p.maxLen(at+".label", c.Label, MaxButtonLabel)
	switch {
	case c.Style < 1 || c.Style > 6:
		p.add(at+".style", "BASE_TYPE_CHOICES", "Value must be one of {1, 2, 3, 4, 5, 6}.")
	case c.Style == ButtonLink:
		if c.URL == "" {
			p.add(at+".url", "BUTTON_LINK_URL_REQUIRED", "A URL is required for link buttons.")
		}
		if c.CustomID != "" {
			p.add(at+".custom_id", "BUTTON_LINK_CUSTOM_ID_INVALID", "A custom id cannot be set on link buttons.")
		}
	case c.Style == 6:
		if c.SKUID == "" {
			p.add(at+".sku_id", "BASE_TYPE_REQUIRED", "This field is required")
		}
	default:
		p.between(at+".custom_id", c.CustomID, 1, MaxCustomID)
		if c.URL != "" {
			p.add(at+".url", "BUTTON_NON_LINK_URL_INVALID", "A URL can only be set on link buttons.")
		}
	}
	if c.Style != 6 && c.Label == "" && c.Emoji == nil {
		p.add(at+".label", "BUTTON_LABEL_OR_EMOJI_REQUIRED", "A label or an emoji is required.")
	}
}

func validateSelect(c Component, at string, p *problems) {
	p.between(at+".custom_id", c.CustomID, 1, MaxCustomID)
	p.maxLen(at+".placeholder", c.Placeholder, 150)
	if c.MinValues != nil && (*c.MinValues < 0 || *c.MinValues > 25) {
		p.add(at+".min_values", "NUMBER_TYPE_MAX", "Must be between 0 and 25.")
	}
	if c.MaxValues < 0 || c.MaxValues > 25 {
		p.add(at+".max_values", "NUMBER_TYPE_MAX", "Must be between 1 and 25.")
	}
	if c.Type != ComponentStringSelect {
		return
	}
	if len(c.Options) == 0 || len(c.Options) > MaxSelectOptions {
		p.add(at+".options", "BASE_TYPE_BAD_LENGTH", "Must be between 1 and %d in length.", MaxSelectOptions)
	}
	values := map[string]bool{}
	for k, o := range c.Options {
		oat := at + ".options." + strconv.Itoa(k)
		p.between(oat+".label", o.Label, 1, 100)
		p.between(oat+".value", o.Value, 1, 100)
		p.maxLen(oat+".description", o.Description, 100)
		if values[o.Value] {
			p.add(oat+".value", "SELECT_COMPONENT_OPTION_VALUE_DUPLICATED", "Select component option value cannot be duplicated")
		}
		values[o.Value] = true
	}
}

// validateChoices checks an autocomplete result: up to 25 choices, names 1–100 characters,
// string values up to 100.
func validateChoices(choices []Choice, path string, p *problems) {
	p.maxItems(path, len(choices), MaxChoices)
	for i, c := range choices {
		at := path + "." + strconv.Itoa(i)
		p.between(at+".name", c.Name, 1, MaxChoiceName)
		switch v := c.Value.(type) {
		case string:
			p.maxLen(at+".value", v, MaxChoiceValue)
		case float64:
		default:
			p.add(at+".value", "BASE_TYPE_REQUIRED", "Value must be a string or a number.")
		}
	}
}

// validateModal checks a modal: custom_id 1–100, title 1–45, one to five action rows of one
// text input each.
func validateModal(f *messageFields, path string, p *problems) {
	p.between(path+"custom_id", f.CustomID, 1, MaxCustomID)
	p.between(path+"title", f.Title, 1, 45)
	if len(f.Components) == 0 || len(f.Components) > 5 {
		p.add(path+"components", "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 5 in length.")
	}
	for i, row := range f.Components {
		at := path + "components." + strconv.Itoa(i)
		if row.Type != ComponentActionRow || len(row.Components) != 1 || row.Components[0].Type != ComponentTextInput {
			p.add(at, "MODAL_ROW_INVALID", "Each modal row must be an action row holding one text input.")
			continue
		}
		in := row.Components[0]
		p.between(at+".components.0.custom_id", in.CustomID, 1, MaxCustomID)
		p.between(at+".components.0.label", in.Label, 1, 45)
		if in.Style != 1 && in.Style != 2 {
			p.add(at+".components.0.style", "BASE_TYPE_CHOICES", "Value must be one of {1, 2}.")
		}
		p.maxLen(at+".components.0.value", in.Value, 4000)
		p.maxLen(at+".components.0.placeholder", in.Placeholder, 100)
	}
}
