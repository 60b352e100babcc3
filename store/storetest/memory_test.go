package storetest

import (
	"testing"
	"time"
)

func TestMemoryConformance(t *testing.T) {
	Run(t, func(t *testing.T) Harness {
		m := NewMemory()
		now := time.Date(2026, 12, 6, 9, 0, 0, 0, time.UTC)
		m.Now = func() time.Time { return now }
		return Harness{
			Backend: m,
			Restart: func() Backend { return m },
			Advance: func(d time.Duration) { now = now.Add(d) },
		}
	})
}
