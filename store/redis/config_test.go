package redis

import (
	"strings"
	"testing"
	"time"
)

func TestValidate(t *testing.T) {
	tests := []struct {
		name string
		c    Config
		want []string // substrings of the error, one per problem; none for a valid Config
	}{
		{"URL", Config{URL: "redis://localhost:6379/0"}, nil},
		{"TLSWithPassword", Config{URL: "rediss://bot:s3cret@redis.example:6380/2"}, nil},
		{"Cluster", Config{ClusterAddrs: []string{"10.0.0.1:7000", "10.0.0.2:7000"}}, nil},
		{"Nothing", Config{}, []string{"set REDIS_URL"}},
		{"ClusterWithPassword", Config{URL: "rediss://bot:pw@ignored:6379/0", ClusterAddrs: []string{"10.0.0.1:7000"}}, nil},
		{"ClusterWithDatabase", Config{URL: "redis://:pw@x/3", ClusterAddrs: []string{"x:1"}}, []string{"only database 0"}},
		{"Scheme", Config{URL: "http://x"}, []string{"REDIS_URL must start with redis://"}},
		{"Database", Config{URL: "redis://x/abc"}, []string{"REDIS_URL: invalid database number"}},
		{"BadClusterAddr", Config{ClusterAddrs: []string{"10.0.0.1"}}, []string{`REDIS_CLUSTER_ADDRS: "10.0.0.1" is not host:port`}},
		{"Prefix", Config{URL: "redis://x", Prefix: "a{b}"}, []string{"REDIS_PREFIX"}},
		{"Everything", Config{URL: "ftp://x", Prefix: "p q", ReadTimeout: -time.Second, PoolSize: -1},
			[]string{"REDIS_URL", "REDIS_PREFIX", "read timeout", "pool size"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.c.Validate()
			if len(tt.want) == 0 {
				if err != nil {
					t.Errorf("Validate(%+v) = %v, want nil", tt.c, err)
				}
				return
			}
			if err == nil {
				t.Fatalf("Validate(%+v) = nil, want errors mentioning %q", tt.c, tt.want)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("Validate(%+v) = %q, want it to mention %q", tt.c, err, w)
				}
			}
			if got := strings.Count(err.Error(), "\n") + 1; got != len(tt.want) {
				t.Errorf("Validate(%+v) reported %d problems, want %d:\n%v", tt.c, got, len(tt.want), err)
			}
		})
	}
}

// TestValidateHidesPassword checks that a bad REDIS_URL is never echoed: it may hold a password.
func TestValidateHidesPassword(t *testing.T) {
	for _, u := range []string{"redis://bot:s3cret@host:port/0", "redis://bot:s3cret@host/x/y", "redis://bot:s3cret@host/0?junk=1", "ftp://bot:s3cret@host"} {
		err := Config{URL: u}.Validate()
		if err == nil || strings.Contains(err.Error(), "s3cret") {
			t.Errorf("Validate(URL %q) = %v, want an error without the password", u, err)
		}
	}
}

func TestOpenRejectsBadConfig(t *testing.T) {
	if s, err := Open(ctx, Config{URL: "nope://"}); err == nil {
		s.Close()
		t.Fatal("Open with a bad URL succeeded")
	}
}

func TestTimeoutDefaults(t *testing.T) {
	tests := []struct {
		v, fromURL, want time.Duration
	}{
		{0, 0, DefaultTimeout},
		{0, 2 * time.Second, 2 * time.Second},
		{time.Second, 2 * time.Second, time.Second},
	}
	for _, tt := range tests {
		if got := orDefault(tt.v, tt.fromURL); got != tt.want {
			t.Errorf("orDefault(%v, %v) = %v, want %v", tt.v, tt.fromURL, got, tt.want)
		}
	}
}
