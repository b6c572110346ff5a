package judges

import "context"

type progressKey struct{}

// WithProgress returns a context through which a judge reports each finished item to fn, for
// judges slow enough to show progress within one call (an LLM judge). Judges that do not report
// are counted by their caller when the call returns.
func WithProgress(ctx context.Context, fn func()) context.Context {
	return context.WithValue(ctx, progressKey{}, fn)
}

// ItemDone reports one finished item to the context's progress function, if any.
func ItemDone(ctx context.Context) {
	if fn, ok := ctx.Value(progressKey{}).(func()); ok {
		fn()
	}
}
