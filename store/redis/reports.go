package redis

import (
	"context"
	"encoding/json"
	"fmt"

	goredis "github.com/redis/go-redis/v9"

	"github.com/pybrarian/pybrarian/quiz"
)

// maxReports is how many card reports the list keeps; older ones are trimmed.
const maxReports = 10_000

// AddReport implements quiz.Reports: LPUSH and LTRIM in one MULTI/EXEC.
func (s *Store) AddReport(ctx context.Context, r quiz.Report) error {
	body, err := json.Marshal(r)
	if err != nil {
		return err
	}
	_, err = s.client.TxPipelined(ctx, func(p goredis.Pipeliner) error {
		p.LPush(ctx, s.keys.reports(), body)
		p.LTrim(ctx, s.keys.reports(), 0, maxReports-1)
		return nil
	})
	if err != nil {
		return fail("add report", err)
	}
	return nil
}

// ListReports implements quiz.Reports.
func (s *Store) ListReports(ctx context.Context, limit int) ([]quiz.Report, error) {
	if limit <= 0 {
		return nil, nil
	}
	raw, err := s.client.LRange(ctx, s.keys.reports(), 0, int64(limit)-1).Result()
	if err != nil {
		return nil, fail("list reports", err)
	}
	var out []quiz.Report
	for i, b := range raw {
		var r quiz.Report
		if err := json.Unmarshal([]byte(b), &r); err != nil {
			return nil, fmt.Errorf("redis: report %d: %w", i, err)
		}
		out = append(out, r)
	}
	return out, nil
}
