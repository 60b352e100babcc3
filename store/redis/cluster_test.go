package redis

import (
	"errors"
	"fmt"
	"testing"
	"time"

	goredis "github.com/redis/go-redis/v9"

	"github.com/pybrarian/pybrarian/quiz"
	"github.com/pybrarian/pybrarian/store/redis/redistest"
)

// TestClusterCreditLost kills the node that holds a chat's leaderboard, but not the learner's
// record: the answer is still recorded (its leaderboard points are lost, and counted), rather than
// reported as failed after it was written.
func TestClusterCreditLost(t *testing.T) {
	cl := redistest.StartCluster(t, 3)
	ms := 100 * time.Millisecond
	s := mustOpen(t, Config{ClusterAddrs: cl.Addrs(), DialTimeout: ms, ReadTimeout: ms, WriteTimeout: ms})
	cc := s.client.(*goredis.ClusterClient)
	owner := func(key string) string {
		c, err := cc.MasterForKey(ctx, key)
		if err != nil {
			t.Fatal(err)
		}
		return c.Options().Addr
	}
	user := "test:u"
	var b quiz.Board
	for i := 0; b.Chat == ""; i++ {
		c := quiz.Board{Chat: fmt.Sprint("test:group", i), Week: "2026-W48"}
		if pts, _, _ := s.keys.board(c); owner(pts) != owner(s.keys.rec(user)) {
			b = c
		}
	}
	pts, _, _ := s.keys.board(b)
	for _, n := range cl.Nodes {
		if n.Addr() == owner(pts) {
			n.Kill()
		}
	}
	w := quiz.Write{Progress: []byte("p"), Credit: &quiz.Credit{Board: b, Answer: "a1", User: user, Name: "U", Points: 4}}
	v, err := s.Commit(ctx, user, w)
	if err != nil || v != 1 {
		t.Fatalf("Commit with the chat's node down = %d, %v; want version 1", v, err)
	}
	if n := s.LostCredits(); n != 1 {
		t.Errorf("LostCredits = %d, want 1", n)
	}
	if _, _, _, err := s.Top(ctx, b, 3, user); !errors.Is(err, quiz.ErrUnavailable) {
		t.Errorf("Top with the chat's node down = %v, want ErrUnavailable", err)
	}
}
