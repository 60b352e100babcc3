package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/pybrarian/pybrarian/store/redis"
	"github.com/pybrarian/pybrarian/store/redis/redistest"
)

// TestCapacity is the load program behind the capacity figures in BENCHMARKS.md. It is skipped
// unless PYBRARIAN_LOAD is set, since it loads the machine for a minute or more:
//
//	PYBRARIAN_LOAD=1 go test ./cmd/bot -run TestCapacity -v -timeout 30m
//
// It starts one Redis and a minimal fake Bot API, then 1, 2 and 4 replicas of the real program
// as processes in webhook mode sharing the Redis, and drives them as a load balancer would: simulated
// learners, each waiting for the answer to its last update before sending the next, post updates
// to the replicas in turn. Seven in ten updates answer a quiz question, three ask a lookup. It
// reports updates per second, the webhook's latency (handling and replying included), and CPU
// per update of the replicas and of Redis. In the same run redis-benchmark measures Redis's own
// ceiling for the commit script every answer runs.
func TestCapacity(t *testing.T) {
	if os.Getenv("PYBRARIAN_LOAD") == "" {
		t.Skip("set PYBRARIAN_LOAD=1 to run the load program")
	}
	learners, _ := strconv.Atoi(os.Getenv("PYBRARIAN_LOAD_LEARNERS"))
	if learners == 0 {
		learners = 400
	}
	duration := 15 * time.Second
	if d, err := time.ParseDuration(os.Getenv("PYBRARIAN_LOAD_DURATION")); err == nil {
		duration = d
	}
	// Learners read each reply before sending the next message, as people do: a learner who
	// answered at once would meet Telegram's one message a second per chat, and the figures would
	// measure that limit rather than the bot.
	think := 2 * time.Second
	if d, err := time.ParseDuration(os.Getenv("PYBRARIAN_LOAD_THINK")); err == nil {
		think = d
	}
	// The bot's own ceiling is the question, so the bot-wide 30 messages a second Telegram
	// allows is lifted unless asked for (PYBRARIAN_LOAD_GLOBAL_RATE=30 shows that bound).
	globalRate := "1000000"
	if v := os.Getenv("PYBRARIAN_LOAD_GLOBAL_RATE"); v != "" {
		globalRate = v
	}
	api := newLoadAPI()
	defer api.srv.Close()
	for _, n := range []int{1, 2, 4} {
		srv := redistest.Start(t, redistest.Args("--appendonly", "yes", "--appendfsync", "everysec"))
		res := runLoad(t, srv, api, n, learners, duration, think, globalRate)
		t.Logf("%d replica(s), %d learners thinking %v, %v: %.0f updates/s, p50 %v, p99 %v, %.0f µs replica CPU and %.0f µs Redis CPU an update, %d errors",
			n, learners, think, duration, res.rate, res.p50, res.p99, res.cpuPerUpdate, res.redisCPUPerUpdate, res.errors)
		if res.errors > 0 {
			t.Errorf("%d updates were not answered 200", res.errors)
		}
		ceiling := redisCeiling(t, srv)
		t.Logf("redis-benchmark, same server: %.0f EVALSHA/s of the commit script", ceiling)
	}
}

type loadResult struct {
	rate                            float64
	p50, p99                        time.Duration
	cpuPerUpdate, redisCPUPerUpdate float64
	errors                          int
}

// loadAPI is the least a fake Bot API can be: it answers every method at once and counts the
// calls, keeping nothing, so it costs the machine little next to the replicas.
type loadAPI struct {
	srv   *httptest.Server
	calls atomic.Int64
	msgID atomic.Int64
}

func newLoadAPI() *loadAPI {
	a := &loadAPI{}
	a.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		a.calls.Add(1)
		method := r.URL.Path[strings.LastIndexByte(r.URL.Path, '/')+1:]
		w.Header().Set("Content-Type", "application/json")
		switch method {
		case "getMe":
			fmt.Fprint(w, `{"ok":true,"result":{"id":123456,"is_bot":true,"first_name":"Pybrarian","username":"pybrarian_bot"}}`)
		case "sendMessage", "editMessageText":
			fmt.Fprintf(w, `{"ok":true,"result":{"message_id":%d,"date":1,"chat":{"id":1,"type":"private"}}}`, a.msgID.Add(1))
		default:
			fmt.Fprint(w, `{"ok":true,"result":true}`)
		}
	}))
	return a
}

// runLoad starts n replicas on srv and drives them for d.
func runLoad(t *testing.T, srv *redistest.Server, api *loadAPI, n, learners int, d, think time.Duration, globalRate string) loadResult {
	t.Helper()
	const secret = "load-test-secret"
	var urls []string
	var procs []*exec.Cmd
	for i := range n {
		port := freeTCPPort(t)
		cmd := exec.Command(os.Args[0])
		cmd.Env = []string{runAsMain + "=1", "PATH=" + os.Getenv("PATH"), "HOME=" + t.TempDir(),
			"TELEGRAM_TOKEN=123456:LOAD", "TELEGRAM_API_ENDPOINT=" + api.srv.URL + "/bot%s/%s",
			"TELEGRAM_WEBHOOK_URL=https://bot.example.org/hook", "TELEGRAM_WEBHOOK_SECRET=" + secret,
			"TELEGRAM_WEBHOOK_LISTEN=127.0.0.1:" + strconv.Itoa(port),
			"REDIS_URL=" + srv.URL(), "REDIS_PREFIX=load", "BOT_LOG_LEVEL=warn", "BOT_RATE_LIMIT=off",
			"BOT_DATA_DIR=" + t.TempDir(), "TELEGRAM_GLOBAL_RATE=" + globalRate,
		}
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() {
			cmd.Process.Kill()
			cmd.Wait()
			if t.Failed() {
				t.Logf("replica %d:\n%s", i, stderr.String())
			}
		})
		procs = append(procs, cmd)
		urls = append(urls, fmt.Sprintf("http://127.0.0.1:%d/hook", port))
		waitListening(t, port)
	}
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: learners}}
	var next atomic.Int64
	post := func(update []byte) (time.Duration, bool) {
		url := urls[int(next.Add(1))%len(urls)]
		req, _ := http.NewRequest(http.MethodPost, url, bytes.NewReader(update))
		req.Header.Set("X-Telegram-Bot-Api-Secret-Token", secret)
		start := time.Now()
		resp, err := client.Do(req)
		took := time.Since(start)
		if err != nil {
			return took, false
		}
		resp.Body.Close()
		return took, resp.StatusCode == http.StatusOK
	}
	var updateID atomic.Int64
	update := func(user int, text string) []byte {
		b, _ := json.Marshal(map[string]any{"update_id": updateID.Add(1), "message": map[string]any{
			"message_id": 1, "date": 1, "text": text,
			"chat": map[string]any{"id": 1_000_000 + user, "type": "private"},
			"from": map[string]any{"id": 1_000_000 + user, "first_name": "Learner", "language_code": "en"},
			"entities": func() []map[string]any {
				if strings.HasPrefix(text, "/") {
					return []map[string]any{{"type": "bot_command", "offset": 0, "length": strings.IndexByte(text+" ", ' ')}}
				}
				return nil
			}(),
		}})
		return b
	}
	// Each learner: a round of 20 questions answered by number, with a lookup in between now and
	// then, over and over.
	script := func(user, step int) string {
		switch k := step % 30; {
		case k == 0:
			return "/quiz all 20"
		case k%3 == 0:
			return []string{"/lib pandas", "what is flask?", "/lib sklearn", "/find plotting"}[(user+step)%4]
		default:
			return strconv.Itoa(1 + (user+step)%4)
		}
	}
	// Warm up: every learner starts a round, so the measured part is in steady state.
	var wg sync.WaitGroup
	for u := range learners {
		wg.Add(1)
		go func() { defer wg.Done(); post(update(u, "/quiz all 20")) }()
	}
	wg.Wait()
	cpuBefore, redisBefore := procsCPU(t, procs), pidCPU(t, srv.Pid())
	var mu sync.Mutex
	var latencies []time.Duration
	errors := 0
	stop := time.Now().Add(d)
	start := time.Now()
	for u := range learners {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var mine []time.Duration
			bad := 0
			// Learners start spread over one think time, then each reads its reply for about
			// that long (±50 %) before the next message.
			rng := rand.New(rand.NewPCG(uint64(u), 1))
			time.Sleep(time.Duration(rng.Int64N(int64(think) + 1)))
			for step := 1; time.Now().Before(stop); step++ {
				took, ok := post(update(u, script(u, step)))
				mine = append(mine, took)
				if !ok {
					bad++
				}
				time.Sleep(min(think/2+time.Duration(rng.Int64N(int64(think)+1)), time.Until(stop)))
			}
			mu.Lock()
			latencies = append(latencies, mine...)
			errors += bad
			mu.Unlock()
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	cpu, redisCPU := procsCPU(t, procs)-cpuBefore, pidCPU(t, srv.Pid())-redisBefore
	slices.Sort(latencies)
	n64 := float64(len(latencies))
	return loadResult{
		rate:              n64 / elapsed.Seconds(),
		p50:               latencies[len(latencies)/2],
		p99:               latencies[len(latencies)*99/100],
		cpuPerUpdate:      float64(cpu.Microseconds()) / n64,
		redisCPUPerUpdate: float64(redisCPU.Microseconds()) / n64,
		errors:            errors,
	}
}

// redisCeiling runs redis-benchmark with the commit script every answer runs, on srv.
func redisCeiling(t *testing.T, srv *redistest.Server) float64 {
	t.Helper()
	bench, err := exec.LookPath("redis-benchmark")
	if err != nil {
		t.Log("redis-benchmark not installed: no ceiling measured")
		return 0
	}
	// The commit script, as store/redis runs it, with a realistic record.
	sha, err := redistest.Do(srv.Addr(), "SCRIPT", "LOAD", redis.CommitScript())
	if err != nil {
		t.Fatal(err)
	}
	host, port, _ := net.SplitHostPort(srv.Addr())
	progress := `{"v":1,"a":12,"c":9,"s":1,"bs":1,"d":20785,"r":{"id":"cx3rqQ","sc":"all","ch":"telegram:1","it":[{"c":"fsbqgm","s":"QQAEAD6jtBYjm2sKrUtrCqrz"},{"c":"4bMFEu"}],"p":1,"sh":0,"st":0},"w":"0sO12yLs"}`
	out, err := exec.Command(bench, "-h", host, "-p", port, "-n", "100000", "-c", "50", "-r", "100000000", "-q",
		"EVALSHA", sha, "3", "load:{bench:__rand_int__}:rec", "load:{bench:__rand_int__}:cards", "load:{bench:__rand_int__}:hist",
		"0", "0", progress, "1", "card01", strings.Repeat("s", 18), strings.Repeat("r", 13)).CombinedOutput()
	if err != nil {
		t.Fatalf("redis-benchmark: %v\n%s", err, out)
	}
	fields := strings.Fields(string(out))
	for i, f := range fields {
		if f == "requests" && i > 0 {
			rate, _ := strconv.ParseFloat(fields[i-1], 64)
			return rate
		}
	}
	t.Fatalf("cannot read redis-benchmark's output: %s", out)
	return 0
}

func freeTCPPort(t *testing.T) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

// waitListening waits for a replica's webhook listener to accept connections: a process start,
// not test synchronisation.
func waitListening(t *testing.T, port int) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		c, err := net.Dial("tcp", fmt.Sprintf("127.0.0.1:%d", port))
		if err == nil {
			c.Close()
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("replica on port %d did not start", port)
}

// procsCPU sums the user and system CPU time of the processes.
func procsCPU(t *testing.T, procs []*exec.Cmd) time.Duration {
	var total time.Duration
	for _, p := range procs {
		total += pidCPU(t, p.Process.Pid)
	}
	return total
}

// pidCPU reads a process's user and system CPU time from /proc.
func pidCPU(t *testing.T, pid int) time.Duration {
	t.Helper()
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		t.Fatal(err)
	}
	f := strings.Fields(string(b[bytes.LastIndexByte(b, ')')+2:]))
	utime, _ := strconv.ParseInt(f[11], 10, 64)
	stime, _ := strconv.ParseInt(f[12], 10, 64)
	return time.Duration(utime+stime) * time.Second / 100 // clock ticks: 100 a second on Linux
}
