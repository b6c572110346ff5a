// Command emoeval evaluates reasoning-based multimodal emotion models: it runs them, judges
// their explanations, scores recognition and reasoning reliability, and renders reports.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, cancel := context.WithCancel(context.Background())
	stop := onInterrupt(cancel, func() {
		// A second Ctrl-C: the answers already written stay written; nothing else is waited for.
		fmt.Fprintln(os.Stderr, "\nemoeval: interrupted again: exiting now")
		os.Exit(exitInterrupted)
	})
	code := execute(ctx, newFactory(), os.Args[1:])
	stop()
	os.Exit(code)
}

// onInterrupt calls first on the first SIGINT or SIGTERM (the run stops sending requests and
// lets those in flight finish) and again on the second. The returned function stops listening.
func onInterrupt(first, again func()) (stop func()) {
	sig := make(chan os.Signal, 2)
	signal.Notify(sig, os.Interrupt, syscall.SIGTERM)
	done := make(chan struct{})
	go func() {
		n := 0
		for {
			select {
			case <-sig:
				n++
				if n == 1 {
					first()
				} else {
					again()
				}
			case <-done:
				return
			}
		}
	}()
	return func() {
		signal.Stop(sig)
		close(done)
	}
}
