package ortenv

import (
	"context"
	"fmt"

	ort "github.com/yalue/onnxruntime_go"
)

// CancelOnDone returns run options that ctx's cancellation terminates, so a long run stops early
// instead of running to its end; pass them to RunWithOptions and call release when done. For a
// context that is never cancelled the options are nil (plain runs).
func CancelOnDone(ctx context.Context) (opts *ort.RunOptions, release func(), err error) {
	defer Recover(&err, "run options")
	if ctx.Done() == nil {
		return nil, func() {}, nil
	}
	if opts, err = ort.NewRunOptions(); err != nil {
		return nil, nil, fmt.Errorf("run options: %w", err)
	}
	terminated := make(chan struct{})
	stop := context.AfterFunc(ctx, func() {
		defer close(terminated)
		opts.Terminate()
	})
	release = func() {
		if !stop() {
			<-terminated // Terminate is running or ran: wait before the options are freed
		}
		opts.Destroy()
	}
	return opts, release, nil
}
