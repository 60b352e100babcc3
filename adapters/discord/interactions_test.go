package discord

import (
	"context"
	"testing"

	"github.com/bwmarrin/discordgo"

	"github.com/pybrarian/pybrarian/bot"
)

// TestInteractionEvent: who and where an interaction comes from, and whether the member may change
// the server's settings, from the permissions Discord computes into it.
func TestInteractionEvent(t *testing.T) {
	user := &discordgo.User{ID: "7", Username: "ada", GlobalName: "Ada"}
	tests := []struct {
		name  string
		i     discordgo.Interaction
		chat  bot.ChatKind
		id    string
		uname string
		admin bool
	}{
		{"member", discordgo.Interaction{GuildID: "1", ChannelID: "2", Member: &discordgo.Member{User: user, Permissions: discordgo.PermissionSendMessages}}, bot.Group, "2", "Ada", false},
		{"manager", discordgo.Interaction{GuildID: "1", ChannelID: "2", Member: &discordgo.Member{User: user, Nick: "Countess", Permissions: discordgo.PermissionManageServer}}, bot.Group, "2", "Countess", true},
		{"channel manager", discordgo.Interaction{GuildID: "1", ChannelID: "2", Member: &discordgo.Member{User: user, Permissions: discordgo.PermissionManageChannels}}, bot.Group, "2", "Ada", true},
		{"DM", discordgo.Interaction{ChannelID: "9", User: user, Locale: discordgo.ChineseCN}, bot.Private, "7", "Ada", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var ev bot.Event
			if !interactionEvent(&tt.i, &ev) {
				t.Fatal("interactionEvent = false")
			}
			if ev.Chat != tt.chat || ev.ChatID != tt.id || ev.UserID != "7" || ev.UserName != tt.uname || ev.Locale != string(tt.i.Locale) || !ev.Addressed {
				t.Errorf("event = %+v", ev)
			}
			admin := ev.Chat == bot.Private
			if ev.IsAdmin != nil {
				admin, _ = ev.IsAdmin(context.Background())
			}
			if admin != tt.admin {
				t.Errorf("admin = %v, want %v", admin, tt.admin)
			}
		})
	}
}
