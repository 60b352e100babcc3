package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"
)

// httpServers are the HTTP listeners Main owns: one per listen address, each serving every handler
// mounted on that address (the Telegram webhook today; ops endpoints share a listener when their
// address is the same). It runs like an adapter, until the context ends.
type httpServers struct {
	muxes map[string]*http.ServeMux
	order []string
	lns   []net.Listener
}

// handle mounts h at path on the listener for addr.
func (s *httpServers) handle(addr, path string, h http.Handler) {
	if s.muxes == nil {
		s.muxes = map[string]*http.ServeMux{}
	}
	mux := s.muxes[addr]
	if mux == nil {
		mux = http.NewServeMux()
		s.muxes[addr] = mux
		s.order = append(s.order, addr)
	}
	mux.Handle(path, h)
}

// listen binds every address, so a port that is taken is reported before anything starts.
func (s *httpServers) listen(log *slog.Logger) error {
	for _, addr := range s.order {
		ln, err := net.Listen("tcp", addr)
		if err != nil {
			for _, l := range s.lns {
				l.Close()
			}
			s.lns = nil
			return configError{fmt.Errorf("listening on %s: %w", addr, err)}
		}
		log.Info("listening", "addr", ln.Addr().String())
		s.lns = append(s.lns, ln)
	}
	return nil
}

func (s *httpServers) addrs() map[string]string {
	out := map[string]string{}
	for i, ln := range s.lns {
		out[s.order[i]] = ln.Addr().String()
	}
	return out
}

// Run serves until ctx ends, then shuts the servers down, letting requests in flight finish for a
// few seconds.
func (s *httpServers) Run(ctx context.Context) error {
	if len(s.lns) == 0 {
		return nil
	}
	errs := make(chan error, len(s.lns))
	var srvs []*http.Server
	for i, ln := range s.lns {
		srv := &http.Server{Handler: s.muxes[s.order[i]], ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 30 * time.Second}
		srvs = append(srvs, srv)
		go func() { errs <- srv.Serve(ln) }()
	}
	var err error
	select {
	case <-ctx.Done():
	case err = <-errs:
		err = fmt.Errorf("http server: %w", err)
	}
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	for _, srv := range srvs {
		if serr := srv.Shutdown(sctx); serr != nil && !errors.Is(serr, http.ErrServerClosed) {
			err = errors.Join(err, serr)
		}
	}
	return err
}
