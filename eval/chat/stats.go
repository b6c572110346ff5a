package chat

import (
	"context"
	"sync/atomic"
)

// Stats counts what passes through WithStats. The zero value is ready; it is safe for concurrent
// use.
type Stats struct {
	requests, cached, succeeded, failed, retries, inFlight atomic.Int64
}

// StatsSnapshot is a copy of the counters at one moment.
type StatsSnapshot struct {
	Requests  int64 // calls made through the layer
	Cached    int64 // answered from the cache
	Succeeded int64 // answered (cached included)
	Failed    int64 // ended in an error
	Retries   int64 // requests beyond the first of each call (not counting cached responses)
	InFlight  int64 // calls not yet returned
}

// Snapshot returns the current counts.
func (s *Stats) Snapshot() StatsSnapshot {
	return StatsSnapshot{Requests: s.requests.Load(), Cached: s.cached.Load(), Succeeded: s.succeeded.Load(),
		Failed: s.failed.Load(), Retries: s.retries.Load(), InFlight: s.inFlight.Load()}
}

type counting struct {
	next  Client
	stats *Stats
}

// WithStats counts calls, cache hits, retries and failures into s. Put it outermost so that it
// sees cache hits and the attempts of WithRetry.
func WithStats(c Client, s *Stats) Client { return &counting{next: c, stats: s} }

func (c *counting) Complete(ctx context.Context, req Request) (Response, error) {
	s := c.stats
	s.requests.Add(1)
	s.inFlight.Add(1)
	defer s.inFlight.Add(-1)
	resp, err := c.next.Complete(ctx, req)
	switch {
	case err != nil:
		s.failed.Add(1)
		s.retries.Add(int64(AttemptsOf(err) - 1))
	case resp.Cached:
		s.succeeded.Add(1)
		s.cached.Add(1)
	default:
		s.succeeded.Add(1)
		s.retries.Add(int64(max(resp.Attempts, 1) - 1))
	}
	return resp, err
}
