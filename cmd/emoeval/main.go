// Command emoeval evaluates reasoning-based multimodal emotion models: it runs them, judges
// their explanations, scores recognition and reasoning reliability, and renders reports.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := execute(ctx, newFactory(), os.Args[1:])
	stop()
	os.Exit(code)
}
