package redis

import (
	"testing"

	"github.com/pybrarian/pybrarian/store/redis/redistest"
	"github.com/pybrarian/pybrarian/store/storetest"
)

// factory runs each conformance subtest in its own key space; a restart is Close and Open on the
// same prefix.
func factory(c Config) storetest.Factory {
	return func(t *testing.T) (storetest.Backend, func() storetest.Backend) {
		c := c
		c.Prefix = uniquePrefix()
		s := mustOpen(t, c)
		return s, func() storetest.Backend {
			if err := s.Close(); err != nil {
				t.Fatal(err)
			}
			s = mustOpen(t, c)
			return s
		}
	}
}

func TestConformance(t *testing.T) {
	srv := redistest.Start(t)
	storetest.Run(t, factory(Config{URL: srv.URL()}))
}

func TestConformanceCluster(t *testing.T) {
	cl := redistest.StartCluster(t, 3)
	storetest.Run(t, factory(Config{ClusterAddrs: cl.Addrs()}))
}
