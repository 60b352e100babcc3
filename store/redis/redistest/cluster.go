package redistest

import (
	"fmt"
	"net"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// Cluster is a Redis Cluster of masters without replicas, each a Server on loopback.
type Cluster struct {
	Nodes []*Server
}

// StartCluster starts masters redis-server processes (at least three, as Redis Cluster requires)
// with cluster mode on, joins them with `redis-cli --cluster create`, and waits until every node
// reports cluster_state:ok. BOT_TEST_REDIS_URL does not apply: the cluster is always local.
func StartCluster(t testing.TB, masters int) *Cluster {
	t.Helper()
	if masters < 3 {
		t.Fatalf("StartCluster(%d): Redis Cluster needs at least three masters", masters)
	}
	bin := lookPath(t, "redis-server")
	cli := lookPath(t, "redis-cli")
	c := &Cluster{}
	for range masters {
		port := freePort(t, true)
		s := &Server{
			t:    t,
			addr: net.JoinHostPort("127.0.0.1", strconv.Itoa(port)),
			dir:  t.TempDir(),
		}
		s.args = []string{
			"--port", strconv.Itoa(port), "--bind", "127.0.0.1", "--dir", s.dir,
			"--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf",
			"--cluster-node-timeout", "5000",
			"--appendonly", "yes", "--appendfsync", "always", "--save", "",
			"--logfile", "redis.log", "--daemonize", "no",
		}
		s.start(bin)
		t.Cleanup(s.stop)
		c.Nodes = append(c.Nodes, s)
	}
	args := append([]string{"--cluster", "create"}, c.Addrs()...)
	args = append(args, "--cluster-replicas", "0", "--cluster-yes")
	if out, err := exec.Command(cli, args...).CombinedOutput(); err != nil {
		t.Fatalf("redis-cli %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	for _, s := range c.Nodes {
		err := waitFor(s.done, func() error {
			info, err := Do(s.addr, "CLUSTER", "INFO")
			if err != nil {
				return err
			}
			if !strings.Contains(info, "cluster_state:ok") {
				return fmt.Errorf("CLUSTER INFO on %s: cluster not ready", s.addr)
			}
			return nil
		})
		if err != nil {
			t.Fatalf("cluster node %s: %v\n%s", s.addr, err, tail(filepath.Join(s.dir, "redis.log")))
		}
	}
	return c
}

// Addrs are the masters' host:port addresses, for REDIS_CLUSTER_ADDRS.
func (c *Cluster) Addrs() []string {
	out := make([]string, len(c.Nodes))
	for i, s := range c.Nodes {
		out[i] = s.addr
	}
	return out
}
