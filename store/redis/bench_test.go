package redis

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/pybrarian/pybrarian/quiz"
	"github.com/pybrarian/pybrarian/store/redis/redistest"
)

// BenchmarkAnswers records answers through the quiz engine with 50 concurrent learners on one
// redis-server, then runs redis-benchmark against the same server: our commit script (EVALSHA with
// a real progress blob and card state) and plain SET, for comparison. It reports answers/s, round
// trips per answer counted by a hook and by INFO commandstats, the CPU each process spent, and the
// ratio of our answers/s to redis-benchmark's EVALSHA/s. The server writes its append-only file with
// appendfsync everysec, as recommended for production.
//
//	go test ./store/redis -run '^$' -bench Answers -benchtime 20000x
func BenchmarkAnswers(b *testing.B) {
	const learners = 50
	srv := redistest.Start(b, redistest.Args("--appendfsync", "everysec"))
	if srv.Pid() == 0 {
		b.Skip("needs a server of its own")
	}
	s := mustOpen(b, Config{URL: srv.URL()})
	var rt redistest.RoundTrips
	s.AddHook(&rt)
	e := newEngine(b, s)

	ls := make([]*learner, learners)
	for i := range ls {
		ls[i] = newLearner(i, "")
		ls[i].mustStart(b, e, quiz.MaxRoundSize)
	}
	if _, err := redistest.Do(srv.Addr(), "CONFIG", "RESETSTAT"); err != nil {
		b.Fatal(err)
	}
	rt.Reset()
	goCPU, redisCPU := selfCPU(), procCPU(b, srv.Pid())
	var left, starts atomic.Int64
	left.Store(int64(b.N))
	var wg sync.WaitGroup
	b.ResetTimer()
	for _, l := range ls {
		wg.Go(func() {
			for n := 0; left.Add(-1) >= 0; n++ {
				if l.q == nil {
					if err := l.start(e, quiz.MaxRoundSize); err != nil {
						b.Error(err)
						return
					}
					starts.Add(1)
				}
				if _, err := l.answer(e, l.choice(n%5 == 4)); err != nil {
					b.Error(err)
					return
				}
			}
		})
	}
	wg.Wait()
	b.StopTimer()
	elapsed := b.Elapsed()
	goCPU, redisCPU = selfCPU()-goCPU, procCPU(b, srv.Pid())-redisCPU
	answers := float64(b.N)
	stats := commandStats(b, srv.Addr())
	// Starting a round costs one MULTI/EXEC read and one EVALSHA; the rest is answers.
	b.ReportMetric(answers/elapsed.Seconds(), "answers/s")
	b.ReportMetric(float64(rt.ByCommand()["evalsha"]-starts.Load())/answers, "evalsha/answer(hook)")
	b.ReportMetric(float64(stats["evalsha"]-starts.Load())/answers, "evalsha/answer(server)")
	b.ReportMetric(float64(rt.Count())/answers, "roundtrips/answer(incl.starts)")
	b.ReportMetric(goCPU.Seconds()*1e6/answers, "go-cpu-µs/answer")
	b.ReportMetric(redisCPU.Seconds()*1e6/answers, "redis-cpu-µs/answer")
	b.Logf("%d answers and %d round starts in %v: Go process %v CPU, redis-server %v CPU; commandstats %v",
		b.N, starts.Load(), elapsed.Round(time.Millisecond), goCPU, redisCPU, stats)

	progress, card := sampleWrite(b, s, e, ls[0])
	compareRedisBenchmark(b, srv, answers/elapsed.Seconds(), progress, card)
}

// BenchmarkCommit is the store's part of an answer alone: 50 learners committing a realistic
// write (a progress blob with a round in play and one card state) as fast as they can, next to
// redis-benchmark running the same script on the same server.
//
//	go test ./store/redis -run '^$' -bench Commit -benchtime 50000x
func BenchmarkCommit(b *testing.B) {
	const learners = 50
	srv := redistest.Start(b, redistest.Args("--appendfsync", "everysec"))
	if srv.Pid() == 0 {
		b.Skip("needs a server of its own")
	}
	s := mustOpen(b, Config{URL: srv.URL()})
	progress, card := sampleWrite(b, s, newEngine(b, s), newLearner(-1, ""))
	state := quiz.PackState(quiz.CardState{Reps: 3})
	state[4], state[10], state[14] = 0x41, 0x69, 0x69 // non-zero stability and times, as after a review
	var left atomic.Int64
	left.Store(int64(b.N))
	goCPU, redisCPU := selfCPU(), procCPU(b, srv.Pid())
	var wg sync.WaitGroup
	b.ResetTimer()
	for i := range learners {
		wg.Go(func() {
			user, v := fmt.Sprint("bench:", i), uint64(0)
			for left.Add(-1) >= 0 {
				w := quiz.Write{Expect: v, Progress: progress, Cards: map[string][]byte{card: state}}
				var err error
				if v, err = s.Commit(ctx, user, w); err != nil {
					b.Error(err)
					return
				}
			}
		})
	}
	wg.Wait()
	b.StopTimer()
	elapsed := b.Elapsed()
	goCPU, redisCPU = selfCPU()-goCPU, procCPU(b, srv.Pid())-redisCPU
	b.ReportMetric(float64(b.N)/elapsed.Seconds(), "commits/s")
	b.ReportMetric(goCPU.Seconds()*1e6/float64(b.N), "go-cpu-µs/commit")
	b.ReportMetric(redisCPU.Seconds()*1e6/float64(b.N), "redis-cpu-µs/commit")
	compareRedisBenchmark(b, srv, float64(b.N)/elapsed.Seconds(), progress, card)
}

// compareRedisBenchmark runs redis-benchmark on srv: the commit script with a realistic write
// (on a fresh learner each call, so that every call writes: -r picks random keys and the expected
// version of a new learner is 0; no deadline; one card state and one review), then plain SET. It reports both rates and ours/EVALSHA as
// "ratio", and logs the exact commands and the CPU split.
func compareRedisBenchmark(b *testing.B, srv *redistest.Server, ours float64, progress []byte, card string) {
	if b.N < 1000 {
		return // the calibration run
	}
	if _, err := exec.LookPath("redis-benchmark"); err != nil {
		b.Logf("redis-benchmark is not on PATH: skipping the comparison")
		return
	}
	// A command-line argument cannot hold a NUL byte: the card state is 18 printable bytes.
	state := strings.Repeat("s", len(quiz.PackState(quiz.CardState{})))
	i := strings.LastIndexByte(srv.Addr(), ':')
	host, port := srv.Addr()[:i], srv.Addr()[i+1:]
	evalsha := []string{"-h", host, "-p", port, "-n", "100000", "-c", "50", "-r", "100000000",
		"EVALSHA", commitScript.Hash(), "3", "pyb:{bench:__rand_int__}:rec", "pyb:{bench:__rand_int__}:cards",
		"pyb:{bench:__rand_int__}:hist", "0", "0", string(progress), "1", card, state, strings.Repeat("r", quiz.ReviewLen)}
	rps, benchCPU, srvCPU := redisBenchmark(b, srv.Pid(), evalsha)
	b.ReportMetric(rps, "evalsha/s(redis-benchmark)")
	b.ReportMetric(ours/rps, "ratio")
	b.Logf("redis-benchmark EVALSHA: %.0f/s; redis-benchmark %v CPU, redis-server %v CPU (%.1f µs a call)",
		rps, benchCPU, srvCPU, srvCPU.Seconds()*1e6/100000)
	b.Logf("command: redis-benchmark %s", shellQuote(evalsha))
	set := []string{"-h", host, "-p", port, "-t", "set", "-n", "200000"}
	rps, benchCPU, srvCPU = redisBenchmark(b, srv.Pid(), set)
	b.ReportMetric(rps, "set/s(redis-benchmark)")
	b.Logf("redis-benchmark SET: %.0f/s; redis-benchmark %v CPU, redis-server %v CPU", rps, benchCPU, srvCPU)
	b.Logf("command: redis-benchmark %s -q", shellQuote(set))
}

// sampleWrite returns a realistic commit payload: l's progress with a round in play, 12 of its 20
// questions answered, and the id of the card asked next.
func sampleWrite(b *testing.B, s *Store, e *quiz.Engine, l *learner) (progress []byte, card string) {
	if l.q == nil {
		l.mustStart(b, e, quiz.MaxRoundSize)
		for range 12 {
			if _, err := l.answer(e, l.choice(false)); err != nil {
				b.Fatal(err)
			}
		}
	}
	rec, err := s.Load(ctx, l.u.Key, false)
	if err != nil {
		b.Fatal(err)
	}
	p, err := quiz.DecodeProgress(rec.Progress)
	if err != nil || p.Round == nil {
		b.Fatalf("no round in play for the sample: %v", err)
	}
	return rec.Progress, l.q.Card.ID
}

var rpsRE = regexp.MustCompile(`([0-9.]+) requests per second`)

// redisBenchmark runs redis-benchmark with args and returns its requests per second, its own CPU
// time and redis-server's.
func redisBenchmark(b *testing.B, pid int, args []string) (float64, time.Duration, time.Duration) {
	b.Helper()
	before := procCPU(b, pid)
	cmd := exec.Command("redis-benchmark", append(args, "-q")...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		b.Fatalf("redis-benchmark: %v\n%s", err, out.String())
	}
	srvCPU := procCPU(b, pid) - before
	m := rpsRE.FindAllStringSubmatch(out.String(), -1)
	if m == nil {
		b.Fatalf("redis-benchmark printed no rate:\n%s", out.String())
	}
	rps, _ := strconv.ParseFloat(m[len(m)-1][1], 64)
	return rps, cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime(), srvCPU
}

// commandStats returns INFO commandstats calls by command.
func commandStats(b *testing.B, addr string) map[string]int64 {
	b.Helper()
	info, err := redistest.Do(addr, "INFO", "commandstats")
	if err != nil {
		b.Fatal(err)
	}
	out := map[string]int64{}
	for _, line := range strings.Split(info, "\n") {
		name, rest, ok := strings.Cut(strings.TrimSpace(line), ":calls=")
		if !ok {
			continue
		}
		calls, _, _ := strings.Cut(rest, ",")
		n, _ := strconv.ParseInt(calls, 10, 64)
		out[strings.TrimPrefix(name, "cmdstat_")] = n
	}
	return out
}

// selfCPU is the CPU time this process has used.
func selfCPU() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// procCPU is the CPU time process pid has used, from /proc (in clock ticks of 10 ms).
func procCPU(b *testing.B, pid int) time.Duration {
	b.Helper()
	raw, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		b.Fatal(err)
	}
	// Fields after the command name, which is in parentheses: state is the first, utime the 12th.
	f := strings.Fields(string(raw[bytes.LastIndexByte(raw, ')')+1:]))
	utime, _ := strconv.ParseInt(f[11], 10, 64)
	stime, _ := strconv.ParseInt(f[12], 10, 64)
	return time.Duration(utime+stime) * 10 * time.Millisecond
}

func shellQuote(args []string) string {
	q := make([]string, len(args))
	for i, a := range args {
		q[i] = a
		if strings.ContainsAny(a, ` "'{}$\`) {
			q[i] = "'" + strings.ReplaceAll(a, "'", `'\''`) + "'"
		}
	}
	return strings.Join(q, " ")
}
