package runner

import (
	"fmt"
	"io"
	"sync"
	"sync/atomic"
	"time"

	"github.com/vbauerster/mpb/v8"
	"github.com/vbauerster/mpb/v8/decor"
)

// Progress receives the runner's progress. Implementations must be safe for concurrent use.
type Progress interface {
	Start(model string, total int)
	Done(model string, r Result)
	Finish()
}

// counts is one model's progress.
type counts struct {
	total, done, errors, cached int
	start                       time.Time
}

// LogProgress writes plain progress lines (for logs and non-terminals): one per model at most
// every Interval, and a final line per model.
type LogProgress struct {
	W        io.Writer
	Interval time.Duration
	Now      func() time.Time

	mu     sync.Mutex
	models map[string]*counts
	order  []string
	last   map[string]time.Time
}

// NewLogProgress returns a LogProgress writing to w.
func NewLogProgress(w io.Writer, interval time.Duration) *LogProgress {
	return &LogProgress{W: w, Interval: interval, Now: time.Now, models: map[string]*counts{}, last: map[string]time.Time{}}
}

func (p *LogProgress) Start(model string, total int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.models[model] = &counts{total: total, start: p.Now()}
	p.order = append(p.order, model)
	p.last[model] = p.Now()
}

func (p *LogProgress) Done(model string, r Result) {
	p.mu.Lock()
	defer p.mu.Unlock()
	c := p.models[model]
	if c == nil {
		return
	}
	c.done++
	if r.Err != nil {
		c.errors++
	}
	if r.Cached {
		c.cached++
	}
	now := p.Now()
	if now.Sub(p.last[model]) >= p.Interval || c.done == c.total {
		p.last[model] = now
		p.line(model, c, now)
	}
}

func (p *LogProgress) Finish() {}

func (p *LogProgress) line(model string, c *counts, now time.Time) {
	el := now.Sub(c.start).Seconds()
	rate := 0.0
	if el > 0 {
		rate = float64(c.done-c.cached) / el
	}
	eta := "-"
	if rate > 0 && c.done < c.total {
		eta = (time.Duration(float64(c.total-c.done)/rate) * time.Second).Round(time.Second).String()
	}
	fmt.Fprintf(p.W, "%s %s: %d/%d done (%d cached), %.1f req/s, ETA %s, %d errors\n",
		now.Format("15:04:05"), model, c.done, c.total, c.cached, rate, eta, c.errors)
}

// BarProgress draws one live bar per model on a terminal.
//
// No mpb call is made while mu is held: mpb methods wait for the bar's goroutine, which may be
// rendering a decorator at that moment, so a decorator must never need mu either.
type BarProgress struct {
	p    *mpb.Progress
	mu   sync.Mutex // guards bars
	bars map[string]*bar
}

type bar struct {
	b      *mpb.Bar
	errors atomic.Int64 // read by the bar's decorator, without any lock
	// incr serialises increments: mpb updates the ETA's state in the caller's goroutine. The bar's
	// goroutine never takes it.
	incr sync.Mutex
	last time.Time // of the last increment; guarded by incr
}

// NewBarProgress draws bars on w, which should be a terminal.
func NewBarProgress(w io.Writer) *BarProgress {
	return newBarProgress(mpb.WithOutput(w), mpb.WithRefreshRate(150*time.Millisecond))
}

// newBarProgress lets tests render faster, and on writers that are not terminals.
func newBarProgress(opts ...mpb.ContainerOption) *BarProgress {
	return &BarProgress{p: mpb.New(append([]mpb.ContainerOption{mpb.WithWidth(32)}, opts...)...), bars: map[string]*bar{}}
}

func (p *BarProgress) Start(model string, total int) {
	b := &bar{last: time.Now()}
	b.b = p.p.AddBar(int64(total),
		mpb.PrependDecorators(
			decor.Name(model, decor.WCSyncSpaceR),
			decor.CountersNoUnit("%d/%d", decor.WCSyncSpace),
		),
		mpb.AppendDecorators(
			decor.AverageSpeed(0, "%.1f/s", decor.WCSyncSpace),
			decor.Name(" ETA "), decor.EwmaETA(decor.ET_STYLE_GO, 30, decor.WCSyncSpace),
			decor.Any(func(decor.Statistics) string { return fmt.Sprintf(" %d errors", b.errors.Load()) }),
		),
	)
	p.mu.Lock()
	p.bars[model] = b
	p.mu.Unlock()
}

func (p *BarProgress) Done(model string, r Result) {
	p.mu.Lock()
	b := p.bars[model]
	p.mu.Unlock()
	if b == nil {
		return
	}
	if r.Err != nil {
		b.errors.Add(1)
	}
	b.incr.Lock()
	defer b.incr.Unlock()
	now := time.Now()
	b.b.EwmaIncrement(now.Sub(b.last))
	b.last = now
}

// Finish stops the bars (a bar of an interrupted run is left where it stopped).
func (p *BarProgress) Finish() {
	p.mu.Lock()
	bars := make([]*bar, 0, len(p.bars))
	for _, b := range p.bars {
		bars = append(bars, b)
	}
	p.mu.Unlock()
	for _, b := range bars {
		b.b.Abort(false) // does nothing to a completed bar
	}
	p.p.Wait()
}
