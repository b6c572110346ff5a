package pipeline

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/emoeval/emoeval/eval/chat"
	"github.com/emoeval/emoeval/internal/inputerr"
	"github.com/emoeval/emoeval/judges"
)

// preflightTimeout bounds the whole check: it must take seconds, not the retries of a run.
const preflightTimeout = 20 * time.Second

// preflight checks, before the first request, that every model and judge endpoint answers and
// serves its model id, all at once. A cause retrying cannot fix (connection refused, DNS, TLS,
// 401/403, an unknown model id) stops the run as bad input, naming the model or judge; a
// transient answer (429, 5xx, a timeout) is only reported, and the run goes on.
func preflight(ctx context.Context, models []*openedModel, specs []judges.Spec, logf func(string, ...any)) error {
	ctx, cancel := context.WithTimeout(ctx, preflightTimeout)
	defer cancel()
	type check struct {
		who string
		run func(context.Context) error
	}
	var checks []check
	for _, m := range models {
		if m.Preflight != nil {
			checks = append(checks, check{"model " + m.name(), m.Preflight})
		}
	}
	for _, s := range specs {
		if s.Preflight != nil {
			checks = append(checks, check{"judge " + s.Judge.Name(), s.Preflight})
		}
	}
	errs := make([]error, len(checks))
	var wg sync.WaitGroup
	for i, c := range checks {
		wg.Go(func() { errs[i] = c.run(ctx) })
	}
	wg.Wait()
	var fatal []error
	for i, err := range errs {
		if err == nil {
			continue
		}
		if chat.IsPermanent(err) {
			fatal = append(fatal, inputerr.Wrap("", fmt.Errorf("%s: %w", checks[i].who, err)))
			continue
		}
		logf("warning: %s: the server's first answer was not a good one (%v); the run goes on and retries", checks[i].who, err)
	}
	if err := ctx.Err(); err != nil && errors.Is(err, context.Canceled) {
		return err
	}
	return errors.Join(fatal...)
}
