package chat

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"time"
)

// DefaultMaxRetryAfter is the longest Retry-After WithRetry waits when RetryPolicy.MaxRetryAfter is 0.
const DefaultMaxRetryAfter = 2 * time.Minute

// RetryPolicy says how WithRetry retries.
type RetryPolicy struct {
	MaxRetries int           // retries after the first attempt; 0 means none
	Base       time.Duration // first backoff; doubled on each retry (0: 500ms)
	Max        time.Duration // cap on a backoff (0: 30s); a longer Retry-After is still honoured
	// MaxRetryAfter is the longest Retry-After honoured (0: DefaultMaxRetryAfter). A server asking
	// for a longer wait ends the retries at once, so that one worker does not sit idle for hours.
	MaxRetryAfter time.Duration
	// Jitter is the fraction of each backoff drawn at random, in [0, 1]: a backoff d becomes a
	// uniform value in [d·(1−Jitter), d], so that clients rejected together do not return together.
	Jitter float64
	// Sleep waits d or until ctx ends; nil uses a timer. Tests inject their own.
	Sleep func(ctx context.Context, d time.Duration) error
}

// DefaultRetryPolicy is the policy of the configuration's defaults (max_retries: 8).
func DefaultRetryPolicy() RetryPolicy {
	return RetryPolicy{MaxRetries: 8, Base: 500 * time.Millisecond, Max: 30 * time.Second,
		MaxRetryAfter: DefaultMaxRetryAfter, Jitter: 0.5}
}

// Backoff returns the wait before retry number retry (1 for the first retry) after err: the
// exponential backoff with jitter, or the server's Retry-After when that is longer.
func (p RetryPolicy) Backoff(retry int, err error) time.Duration {
	base, maxWait := p.Base, p.Max
	if base <= 0 {
		base = 500 * time.Millisecond
	}
	if maxWait <= 0 {
		maxWait = 30 * time.Second
	}
	retry = max(retry, 1)
	d := maxWait
	if retry < 32 && base<<(retry-1) < maxWait && base<<(retry-1) > 0 {
		d = base << (retry - 1)
	}
	if j := min(max(p.Jitter, 0), 1); j > 0 {
		d -= time.Duration(rand.Float64() * j * float64(d))
	}
	return max(d, retryAfter(err))
}

// retryAfter is the server's Retry-After carried by err, or 0.
func retryAfter(err error) time.Duration {
	var e *Error
	if errors.As(err, &e) {
		return e.RetryAfter
	}
	return 0
}

func (p RetryPolicy) maxRetryAfter() time.Duration {
	if p.MaxRetryAfter <= 0 {
		return DefaultMaxRetryAfter
	}
	return p.MaxRetryAfter
}

type retryClient struct {
	next Client
	p    RetryPolicy
}

// WithRetry retries retryable errors (IsRetryable) up to p.MaxRetries times. The response's
// Attempts counts every request made; when retries run out, the last error is returned with its
// Attempts set. Errors of other kinds and the end of ctx stop at once.
func WithRetry(c Client, p RetryPolicy) Client {
	if p.Sleep == nil {
		p.Sleep = sleep
	}
	return &retryClient{next: c, p: p}
}

func (r *retryClient) Complete(ctx context.Context, req Request) (Response, error) {
	start := time.Now()
	attempts := 0
	for retry := 0; ; retry++ {
		resp, err := r.next.Complete(ctx, req)
		if err == nil {
			attempts += max(resp.Attempts, 1)
			resp.Attempts = attempts
			if !resp.Cached {
				resp.Latency = time.Since(start)
			}
			return resp, nil
		}
		attempts += AttemptsOf(err)
		if !IsRetryable(err) || retry >= r.p.MaxRetries || ctx.Err() != nil {
			return Response{}, withAttempts(err, attempts)
		}
		if asked, limit := retryAfter(err), r.p.maxRetryAfter(); asked > limit {
			e := withAttempts(err, attempts)
			e.Msg += fmt.Sprintf(" (the server asked to wait %s before retrying, longer than the %s limit: not retried)", asked, limit)
			e.Retryable, e.class = false, Permanent
			return Response{}, e
		}
		if serr := r.p.Sleep(ctx, r.p.Backoff(retry+1, err)); serr != nil {
			e := withAttempts(err, attempts)
			e.Msg += " (stopped waiting to retry: " + serr.Error() + ")"
			e.Retryable, e.cause, e.class = false, serr, Canceled
			return Response{}, e
		}
	}
}

// withAttempts returns err as an *Error carrying the number of attempts.
func withAttempts(err error, attempts int) *Error {
	if e, ok := err.(*Error); ok {
		c := *e
		c.Attempts = attempts
		return &c
	}
	// Another layer's error, or one wrapping a chat error: its class is kept, so that
	// FailureWatch and IsPermanent read through this wrapper.
	return &Error{Msg: err.Error(), Retryable: IsRetryable(err), Attempts: attempts, class: ClassOf(err), cause: err}
}

func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
