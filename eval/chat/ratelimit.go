package chat

import (
	"context"

	"golang.org/x/time/rate"
)

type rateLimited struct {
	next    Client
	limiter *rate.Limiter
}

// WithRateLimit lets at most rps requests per second through, with bursts of up to burst (at
// least 1). Placed under WithRetry, it paces every attempt. rps <= 0 returns c unchanged.
func WithRateLimit(c Client, rps float64, burst int) Client {
	if rps <= 0 {
		return c
	}
	return &rateLimited{next: c, limiter: rate.NewLimiter(rate.Limit(rps), max(burst, 1))}
}

func (r *rateLimited) Complete(ctx context.Context, req Request) (Response, error) {
	if err := r.limiter.Wait(ctx); err != nil {
		// The caller's deadline comes before the next token: the caller's time ran out, not the
		// server's patience (Canceled, even when ctx has not ended yet).
		return Response{}, &Error{Msg: "waiting for the rate limit: " + err.Error(), class: Canceled, cause: ctx.Err()}
	}
	return r.next.Complete(ctx, req)
}
