// Package redistest starts real redis-server processes for tests: one server on a free loopback port
// in a temporary directory, or a three-master Redis Cluster. Servers are killed when the test ends.
//
// Set BOT_TEST_REDIS_URL to run the single-server tests against another server instead (tests then
// share it, so each must use its own key prefix; Kill and Restart skip the test). Tests never read
// REDIS_URL.
package redistest

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// EnvURL names the variable that points the tests at an existing server.
const EnvURL = "BOT_TEST_REDIS_URL"

// startTimeout bounds how long a server may take to answer PING after it is started.
const startTimeout = 15 * time.Second

// Server is one redis-server started for a test, or the server BOT_TEST_REDIS_URL names.
type Server struct {
	t    testing.TB
	url  string // set when the server is external
	addr string // host:port
	dir  string
	args []string
	cmd  *exec.Cmd
	done chan struct{} // closed when cmd has exited
}

// Option changes how Start runs redis-server.
type Option func(*options)

type options struct{ args []string }

// Args adds redis-server arguments ("--maxmemory", "100mb"); they come after the harness's own,
// so they may override them ("--appendfsync", "everysec").
func Args(args ...string) Option { return func(o *options) { o.args = append(o.args, args...) } }

// Start runs redis-server on a free loopback port in a temporary directory, durably (every write is
// fsync'd to the append-only file, so Kill loses nothing acknowledged), and stops it when the test
// ends. With BOT_TEST_REDIS_URL set it returns that server instead.
func Start(t testing.TB, opts ...Option) *Server {
	t.Helper()
	if u := os.Getenv(EnvURL); u != "" {
		return &Server{t: t, url: u}
	}
	var o options
	for _, opt := range opts {
		opt(&o)
	}
	bin := lookPath(t, "redis-server")
	port := freePort(t, false)
	s := &Server{
		t:    t,
		addr: net.JoinHostPort("127.0.0.1", strconv.Itoa(port)),
		dir:  t.TempDir(),
	}
	s.args = append([]string{
		"--port", strconv.Itoa(port), "--bind", "127.0.0.1", "--dir", s.dir,
		"--appendonly", "yes", "--appendfsync", "always", "--save", "",
		"--logfile", "redis.log", "--daemonize", "no",
	}, o.args...)
	s.start(bin)
	t.Cleanup(s.stop)
	return s
}

// URL is the server's redis:// URL.
func (s *Server) URL() string {
	if s.url != "" {
		return s.url
	}
	return "redis://" + s.addr + "/0"
}

// Addr is the server's host:port ("" for an external server).
func (s *Server) Addr() string { return s.addr }

// Pid is the server's process id (0 for an external server), for reading its CPU time.
func (s *Server) Pid() int {
	if s.cmd == nil {
		return 0
	}
	return s.cmd.Process.Pid
}

// Kill stops the server with SIGKILL, as a crash would. It skips the test on an external server.
func (s *Server) Kill() {
	s.t.Helper()
	if s.url != "" {
		s.t.Skipf("%s is set: cannot kill an external server", EnvURL)
	}
	s.stop()
}

// Restart kills the server if it is running and starts it again on the same port and directory; the
// append-only file brings back every acknowledged write. It skips the test on an external server.
func (s *Server) Restart() {
	s.t.Helper()
	if s.url != "" {
		s.t.Skipf("%s is set: cannot restart an external server", EnvURL)
	}
	s.stop()
	s.start(lookPath(s.t, "redis-server"))
}

func (s *Server) start(bin string) {
	s.t.Helper()
	s.cmd = exec.Command(bin, s.args...)
	s.cmd.Dir = s.dir
	if err := s.cmd.Start(); err != nil {
		s.t.Fatalf("starting redis-server: %v", err)
	}
	s.done = make(chan struct{})
	go func(cmd *exec.Cmd, done chan struct{}) {
		cmd.Wait()
		close(done)
	}(s.cmd, s.done)
	if err := waitFor(s.done, func() error { return ping(s.addr) }); err != nil {
		s.stop()
		s.t.Fatalf("redis-server on %s: %v\n%s", s.addr, err, tail(filepath.Join(s.dir, "redis.log")))
	}
}

// stop kills the process if it is running and waits for it to exit.
func (s *Server) stop() {
	if s.cmd == nil {
		return
	}
	select {
	case <-s.done:
	default:
		s.cmd.Process.Signal(syscall.SIGKILL)
		<-s.done
	}
}

// ping checks that the server at addr answers PING (not -LOADING, say). A server that asks for a
// password (NOAUTH) is up too.
func ping(addr string) error {
	reply, err := Do(addr, "PING")
	if err != nil && strings.HasPrefix(err.Error(), "NOAUTH") {
		return nil
	}
	if err == nil && reply != "PONG" {
		err = fmt.Errorf("PING answered %q", reply)
	}
	return err
}

// waitFor polls check until it succeeds, the process exits (exited is closed; nil means no process
// to watch) or startTimeout passes. It waits for a process to start up; it is not test
// synchronisation.
func waitFor(exited <-chan struct{}, check func() error) error {
	deadline := time.Now().Add(startTimeout)
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	for {
		err := check()
		if err == nil {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("not ready after %v: %v", startTimeout, err)
		}
		select {
		case <-exited:
			return errors.New("redis-server exited during start-up")
		case <-tick.C:
		}
	}
}

// Do sends one command to addr on a fresh connection and returns the reply: a simple or bulk string,
// or an integer in decimal. A Redis error reply is returned as an error. It is for harness checks,
// not for the code under test, which uses go-redis.
func Do(addr string, args ...string) (string, error) {
	c, err := net.DialTimeout("tcp", addr, time.Second)
	if err != nil {
		return "", err
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(5 * time.Second))
	var b strings.Builder
	fmt.Fprintf(&b, "*%d\r\n", len(args))
	for _, a := range args {
		fmt.Fprintf(&b, "$%d\r\n%s\r\n", len(a), a)
	}
	if _, err := c.Write([]byte(b.String())); err != nil {
		return "", err
	}
	r := bufio.NewReader(c)
	line, err := r.ReadString('\n')
	if err != nil {
		return "", err
	}
	line = strings.TrimSuffix(line, "\r\n")
	if line == "" {
		return "", errors.New("empty reply")
	}
	switch line[0] {
	case '+', ':':
		return line[1:], nil
	case '-':
		return "", errors.New(line[1:])
	case '$':
		n, err := strconv.Atoi(line[1:])
		if err != nil || n < 0 {
			return "", err
		}
		buf := make([]byte, n+2)
		if _, err := io.ReadFull(r, buf); err != nil {
			return "", err
		}
		return string(buf[:n]), nil
	}
	return "", fmt.Errorf("unsupported reply %q", line)
}

func lookPath(t testing.TB, name string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		t.Fatalf("%s is not on PATH; the Redis tests run a real server: apt-get install -y redis-server redis-tools (or set %s)", name, EnvURL)
	}
	return p
}

// freePort returns a loopback TCP port nobody listens on; with bus set, port+10000 (the cluster bus
// port) is free as well.
func freePort(t testing.TB, bus bool) int {
	t.Helper()
	for range 100 {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatalf("finding a free port: %v", err)
		}
		port := l.Addr().(*net.TCPAddr).Port
		if !bus {
			l.Close()
			return port
		}
		if port+10000 > 65535 {
			l.Close()
			continue
		}
		l2, err := net.Listen("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(port+10000)))
		l.Close()
		if err != nil {
			continue
		}
		l2.Close()
		return port
	}
	t.Fatal("no free port pair for a cluster node")
	return 0
}

// tail returns the end of a log file, for failure messages.
func tail(path string) string {
	b, err := os.ReadFile(path)
	if err != nil {
		return ""
	}
	if len(b) > 2000 {
		b = b[len(b)-2000:]
	}
	return string(b)
}
