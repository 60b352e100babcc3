package main

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/pybrarian/pybrarian/adapters/telegram/telegramtest"
)

func mustWrite(t *testing.T, path, body string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
}

// withEnv returns a copy of env with key set.
func withEnv(env map[string]string, key, value string) map[string]string {
	out := map[string]string{key: value}
	for k, v := range env {
		if k != key {
			out[k] = v
		}
	}
	return out
}

// tgAda is the Telegram user the program's tests write as, in her private chat.
var tgAda = telegramtest.User{ID: 42, FirstName: "Ada", Lang: "en"}
