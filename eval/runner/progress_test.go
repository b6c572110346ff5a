package runner

import (
	"errors"
	"io"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/vbauerster/mpb/v8"
)

// chanWriter passes each write to a channel, dropping writes nobody waits for.
type chanWriter chan string

func (w chanWriter) Write(b []byte) (int, error) {
	select {
	case w <- string(b):
	default:
	}
	return len(b), nil
}

// The bars render while BarProgress.mu is held: a decorator that needed it would block the bar's
// goroutine, and any mpb call made under mu (Finish's) would then wait forever.
func TestBarsRenderWithoutTheLock(t *testing.T) {
	w := make(chanWriter, 1)
	// A non-terminal line is as wide as the bar width: widen it so that the error count shows.
	p := newBarProgress(mpb.WithOutput(w), mpb.WithWidth(120), mpb.WithRefreshRate(time.Millisecond), mpb.WithAutoRefresh())
	p.Start("migr", 10)
	p.Done("migr", Result{Err: errors.New("x")})
	p.mu.Lock()
	deadline := time.After(5 * time.Second)
	for rendered := false; !rendered; {
		select {
		case s := <-w:
			rendered = strings.Contains(s, "1 errors")
		case <-deadline:
			p.mu.Unlock()
			t.Fatal("no bar rendered within 5 s while the lock was held")
		}
	}
	p.mu.Unlock()
	p.Finish()
}

// Finish returns while Done is called concurrently and the bars render every millisecond.
func TestBarFinishUnderLoad(t *testing.T) {
	for iter := range 20 {
		p := newBarProgress(mpb.WithOutput(io.Discard), mpb.WithRefreshRate(time.Millisecond), mpb.WithAutoRefresh())
		for _, m := range []string{"a", "b", "c", "d"} {
			p.Start(m, 1<<30)
		}
		var stop atomic.Bool
		var wg sync.WaitGroup
		for range 4 {
			wg.Go(func() {
				for !stop.Load() {
					p.Done("a", Result{Err: errors.New("x")})
				}
			})
		}
		time.Sleep(10 * time.Millisecond)
		done := make(chan struct{})
		go func() { p.Finish(); close(done) }()
		select {
		case <-done:
		case <-time.After(5 * time.Second):
			t.Fatalf("iteration %d: Finish did not return within 5 s", iter)
		}
		stop.Store(true)
		wg.Wait()
	}
}

// Rates are the average over the task of answered (not cached) items, and neither a rate nor an
// ETA is shown before a second has passed: a burst of cached answers in the first milliseconds
// is not a million requests a second.
func TestHonestRates(t *testing.T) {
	start := time.Date(2026, 12, 4, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		name      string
		c         counts
		after     time.Duration
		rate, eta string
	}{
		{"cached burst at start", counts{total: 7008, done: 2000, cached: 2000, start: start}, 3 * time.Millisecond, "–", "–"},
		{"nothing yet", counts{total: 7008, start: start}, 10 * time.Second, "–", "–"},
		{"too early", counts{total: 100, done: 5, start: start}, 500 * time.Millisecond, "–", "–"},
		{"steady", counts{total: 100, done: 50, cached: 10, start: start}, 4 * time.Second, "10.0/s", "5s"},
		{"finished", counts{total: 100, done: 100, start: start}, 10 * time.Second, "10.0/s", "–"},
	}
	for _, tt := range tests {
		rate, eta := tt.c.rateAndETA(start.Add(tt.after))
		if rate != tt.rate || eta != tt.eta {
			t.Errorf("%s: rate %q ETA %q, want %q %q", tt.name, rate, eta, tt.rate, tt.eta)
		}
	}
}
