package quiz

import (
	"testing"

	"github.com/pybrarian/pybrarian/content"
)

func TestListNames(t *testing.T) {
	entry := func(name string) *content.Entry { return &content.Entry{ID: name, Name: name} }
	qt, side, gobj, kivy := entry("PyQt6"), entry("PySide6"), entry("PyGObject"), entry("Kivy")
	for _, tt := range []struct {
		first   *content.Entry
		holders []*content.Entry
		en, zh  string
	}{
		{qt, nil, "PyQt6", "PyQt6"},
		{side, []*content.Entry{qt, side}, "PySide6 and PyQt6", "PySide6 和 PyQt6"},
		{qt, []*content.Entry{qt, side, gobj}, "PyQt6, PySide6 and PyGObject", "PyQt6、PySide6 和 PyGObject"},
		{kivy, []*content.Entry{qt, side, gobj, kivy}, "Kivy, PyQt6 and others", "Kivy、PyQt6 等"},
	} {
		got := listNames(tt.first, tt.holders)
		if got.EN != tt.en || got.ZH != tt.zh {
			t.Errorf("listNames(%s, %d holders) = %q / %q, want %q / %q", tt.first.ID, len(tt.holders), got.EN, got.ZH, tt.en, tt.zh)
		}
	}
}
