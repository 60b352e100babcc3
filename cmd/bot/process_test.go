package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/pybrarian/pybrarian/store/redis/redistest"
)

// runAsMain makes the test binary act as the bot itself when started with this variable set, so
// tests can run the real program as separate processes without building it.
const runAsMain = "PYBRARIAN_TEST_RUN_MAIN"

func TestMain(m *testing.M) {
	if os.Getenv(runAsMain) == "1" {
		os.Args = append([]string{"bot"}, strings.Fields(os.Getenv(runAsMain+"_ARGS"))...)
		main()
		return
	}
	os.Exit(m.Run())
}

// proc is the bot running as a process of its own, talked to line by line.
type proc struct {
	t     *testing.T
	cmd   *exec.Cmd
	in    io.WriteCloser
	out   *bufio.Scanner
	lines chan string
	done  chan error
}

// startProc starts the program with args and env on top of a clean environment.
func startProc(t *testing.T, args string, env map[string]string) *proc {
	t.Helper()
	cmd := exec.Command(os.Args[0])
	cmd.Env = []string{runAsMain + "=1", runAsMain + "_ARGS=" + args, "PATH=" + os.Getenv("PATH"), "HOME=" + t.TempDir()}
	if _, ok := env["BOT_DATA_DIR"]; !ok {
		cmd.Env = append(cmd.Env, "BOT_DATA_DIR="+t.TempDir())
	}
	for k, v := range env {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	in, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr strings.Builder
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	p := &proc{t: t, cmd: cmd, in: in, lines: make(chan string, 1024), done: make(chan error, 1)}
	sc := bufio.NewScanner(stdout)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	go func() {
		for sc.Scan() {
			p.lines <- sc.Text()
		}
		close(p.lines)
		p.done <- cmd.Wait()
	}()
	t.Cleanup(func() {
		cmd.Process.Kill()
		if t.Failed() {
			t.Logf("stderr of %s:\n%s", args, stderr.String())
		}
	})
	return p
}

// marker ends every exchange: its reply says it found nothing for the marker, so the replies
// before it are complete.
const marker = "zzqxmarkerzz"

// ask sends one line and returns the replies it caused, as -json objects.
func (p *proc) ask(line string) []jsonLine {
	p.t.Helper()
	if _, err := fmt.Fprintf(p.in, "%s\n/find %s\n", line, marker); err != nil {
		p.t.Fatal(err)
	}
	var out []jsonLine
	timeout := time.After(30 * time.Second)
	for {
		select {
		case l, ok := <-p.lines:
			if !ok {
				p.t.Fatalf("the process ended while answering %q", line)
			}
			var j jsonLine
			if err := json.Unmarshal([]byte(l), &j); err != nil {
				p.t.Fatalf("not a JSON line: %q", l)
			}
			if strings.Contains(j.Text, marker) {
				return out
			}
			out = append(out, j)
		case <-timeout:
			p.t.Fatalf("no answer to %q", line)
		}
	}
}

func texts(ls []jsonLine) string {
	var parts []string
	for _, l := range ls {
		parts = append(parts, l.Text)
	}
	return strings.Join(parts, "\n---\n")
}

// TestTwoProcessesShareRedis runs two terminal chats as separate processes on one REDIS_URL, the
// same learner in both, and alternates every answer of two rounds between them: each answer is
// graded once, and both processes count them all.
func TestTwoProcessesShareRedis(t *testing.T) {
	srv := redistest.Start(t)
	env := map[string]string{"REDIS_URL": srv.URL(), "REDIS_PREFIX": "two", "BOT_CONSOLE_USER": "ada"}
	a, b := startProc(t, "-json", env), startProc(t, "-json", env)
	procs := []*proc{a, b}

	if got := texts(b.ask("/stats")); !strings.Contains(got, "Answers: 0") {
		t.Fatalf("/stats on B before anything:\n%s", got)
	}
	answered := 0
	for round, topic := range []string{"frameworks", "ml"} {
		rs := procs[round%2].ask("/quiz " + topic + " 3")
		for turn := 1; ; turn++ {
			if len(rs) == 0 || len(rs[len(rs)-1].Choices) == 0 {
				break
			}
			rs = procs[(round+turn)%2].ask("1")
			got := texts(rs)
			if !strings.Contains(got, "Right!") && !strings.Contains(got, "Not quite") && !strings.Contains(got, "The answer") {
				t.Fatalf("answer %d on process %d was not graded:\n%s", answered+1, (round+turn)%2, got)
			}
			answered++
		}
	}
	if answered < 6 {
		t.Fatalf("only %d answers in two rounds of three", answered)
	}
	for i, p := range procs {
		if got := texts(p.ask("/stats")); !strings.Contains(got, fmt.Sprintf("Answers: %d ", answered)) {
			t.Errorf("/stats on process %d after %d answers:\n%s", i, answered, got)
		}
	}
}

// TestSIGTERMWhileServing stops the terminal chat with SIGTERM while it waits for input and right
// after a heavy request: the process exits 0 within two seconds.
func TestSIGTERMWhileServing(t *testing.T) {
	p := startProc(t, "-json", nil)
	p.ask("/lib " + strings.Repeat("q", 4090))
	fmt.Fprintf(p.in, "/lib %s\n", strings.Repeat("pandas ", 580))
	start := time.Now()
	if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-p.done:
		if err != nil {
			t.Errorf("exit after SIGTERM: %v, want status 0", err)
		}
		if d := time.Since(start); d > 2*time.Second {
			t.Errorf("exited %v after SIGTERM, want within 2 s", d)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("still running 5 s after SIGTERM")
	}
}

// TestHugeLineThroughTheProcess sends a line of 2 MiB: it gets the "too long" reply and the chat
// goes on.
func TestHugeLineThroughTheProcess(t *testing.T) {
	p := startProc(t, "-json", nil)
	if got := texts(p.ask(strings.Repeat("x", 2<<20))); !strings.Contains(got, "too long") {
		t.Fatalf("a 2 MiB line: %s", got)
	}
	if got := p.ask("/lib pandas"); len(got) != 1 || got[0].Entry != "pandas" {
		t.Errorf("the chat did not go on after a long line: %s", texts(got))
	}
}

// TestRedisRefusalsAreConfigErrors starts the bot against Redis servers that refuse its settings:
// each is a configuration error (exit 2) naming REDIS_URL, and no password is printed.
func TestRedisRefusalsAreConfigErrors(t *testing.T) {
	srv := redistest.Start(t, redistest.Args("--requirepass", "right-pass"))
	host := srv.Addr()
	for _, tt := range []struct {
		name, url, want string
	}{
		{"wrong password", "redis://:wrong-pass@" + host + "/0", "REDIS_URL: Redis rejected the password (WRONGPASS)"},
		{"no password", "redis://" + host + "/0", "REDIS_URL: Redis requires a password"},
		{"no such database", "redis://:right-pass@" + host + "/99", "REDIS_URL: Redis has no such database number"},
		{"port out of range", "redis://:right-pass@127.0.0.1:99999/0", "REDIS_URL: port 99999 is out of range"},
	} {
		code, _, stderr := runBot(t, nil, "", map[string]string{"REDIS_URL": tt.url})
		if code != 2 || !strings.Contains(stderr, tt.want) {
			t.Errorf("%s: exit %d, stderr %q; want 2 and %q", tt.name, code, stderr, tt.want)
		}
		if strings.Contains(stderr, "wrong-pass") || strings.Contains(stderr, "right-pass") {
			t.Errorf("%s: the password is printed: %s", tt.name, stderr)
		}
	}
	// The right password works, and an outage is not a configuration error.
	if code, _, stderr := runBot(t, []string{"-json"}, "/lib flask\n", map[string]string{"REDIS_URL": "redis://:right-pass@" + host + "/0"}); code != 0 {
		t.Errorf("right password: exit %d: %s", code, stderr)
	}
}

// TestDamagedDataFileIsReported overwrites the embedded store's file with garbage: the bot stops
// at start with an error naming BOT_DATA_DIR, exit status 2.
func TestDamagedDataFileIsReported(t *testing.T) {
	dir := t.TempDir()
	if code, _, stderr := runBot(t, []string{"-json"}, "/quiz flask 1\n1\n", map[string]string{"BOT_DATA_DIR": dir}); code != 0 {
		t.Fatalf("first run: %d %s", code, stderr)
	}
	path := filepath.Join(dir, "pybrarian.db")
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	// Keep the meta pages, ruin the pages after them.
	if _, err := f.WriteAt([]byte(strings.Repeat("\xa5", 16*4096)), 2*4096); err != nil {
		t.Fatal(err)
	}
	f.Close()
	code, _, stderr := runBot(t, []string{"-json"}, "/stats\n", map[string]string{"BOT_DATA_DIR": dir})
	if code != 2 || !strings.Contains(stderr, "BOT_DATA_DIR") || !strings.Contains(stderr, "damaged") {
		t.Errorf("a damaged file: exit %d, stderr %q; want 2 naming BOT_DATA_DIR and the damage", code, stderr)
	}
}

// TestExportThroughTheTerminal answers questions in the terminal chat, exports the review log
// (-json names the file) and reads it back with `bot evaluate`.
func TestExportThroughTheTerminal(t *testing.T) {
	dir := t.TempDir()
	code, out, stderr := runBot(t, []string{"-json"}, "/quiz frameworks 3\n1\n2\n1\n/export\n", map[string]string{"BOT_DATA_DIR": dir})
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var file string
	for _, l := range strings.Split(strings.TrimSpace(out), "\n") {
		var j struct {
			Text string `json:"text"`
			File string `json:"file"`
		}
		if err := json.Unmarshal([]byte(l), &j); err != nil {
			t.Fatal(err)
		}
		if j.File != "" {
			file = j.File
		}
	}
	if !filepath.IsAbs(file) || !strings.HasPrefix(file, dir) {
		t.Fatalf("/export -json file = %q, want an absolute path under %s", file, dir)
	}
	code, report, stderr := runBot(t, []string{"evaluate", file}, "", nil)
	if code != 0 || !strings.Contains(report, "reviews 3") {
		t.Errorf("bot evaluate of the export: exit %d\n%s%s", code, report, stderr)
	}
}
