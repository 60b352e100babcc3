package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"time"
)

// runHealthcheck asks the running bot's ops server whether it is alive (GET /healthz on
// BOT_HTTP_ADDR): exit status 0 when it answers 200, 1 otherwise, a mistake in how it was called
// included. Container images without curl use it as their health check, and Docker reserves
// exit status 2, so nothing here uses it.
func runHealthcheck(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) int {
	cfg := DefaultConfig()
	cfg.fromEnv(getenv)
	if len(args) > 0 {
		fmt.Fprintln(stderr, "usage: bot healthcheck   (asks the ops server at BOT_HTTP_ADDR)")
		return 1
	}
	if cfg.HTTPAddr == "" {
		fmt.Fprintln(stderr, "bot healthcheck: BOT_HTTP_ADDR is not set, so there is no ops server to ask")
		return 1
	}
	host, port, err := net.SplitHostPort(cfg.HTTPAddr)
	if err != nil {
		fmt.Fprintln(stderr, "bot healthcheck: BOT_HTTP_ADDR:", err)
		return 1
	}
	if host == "" || host == "0.0.0.0" || host == "::" {
		host = "127.0.0.1"
	}
	ctx, cancel := context.WithTimeout(ctx, 3*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, "http://"+net.JoinHostPort(host, port)+"/healthz", nil)
	if err != nil {
		fmt.Fprintln(stderr, "bot healthcheck:", err)
		return 1
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		fmt.Fprintln(stderr, "bot healthcheck:", err)
		return 1
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		fmt.Fprintln(stderr, "bot healthcheck: /healthz answered", resp.Status)
		return 1
	}
	fmt.Fprintln(stdout, "ok")
	return 0
}
