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

// counts is one task's progress (a model's calls, a judge's replies, a phase).
type counts struct {
	total, done, errors, cached int
	start                       time.Time
}

// minRateWindow is how long a task runs before a rate or an ETA is shown: earlier ones are noise
// (a burst of cached answers in the first milliseconds reads as a million per second).
const minRateWindow = time.Second

// rateAndETA are the average rate of answered (not cached) items over the task so far, and the
// time left at that rate; empty until the rate means something.
func (c *counts) rateAndETA(now time.Time) (rate, eta string) {
	el := now.Sub(c.start)
	answered := c.done - c.cached
	if el < minRateWindow || answered < 1 {
		return "–", "–"
	}
	r := float64(answered) / el.Seconds()
	rate = fmt.Sprintf("%.1f/s", r)
	eta = "–"
	if c.total > c.done {
		eta = (time.Duration(float64(c.total-c.done) / r * float64(time.Second))).Round(time.Second).String()
	}
	return rate, eta
}

// LogProgress writes plain progress lines (for logs, and terminals too narrow for bars): one
// per task at most every Interval, and a final line per task.
type LogProgress struct {
	W        io.Writer
	Interval time.Duration
	Now      func() time.Time

	mu     sync.Mutex
	models map[string]*counts
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
	rate, eta := c.rateAndETA(now)
	of := ""
	if c.total > 0 {
		of = fmt.Sprintf("/%d", c.total)
	}
	fmt.Fprintf(p.W, "%s %s: %d%s done (%d from cache, %d errors), %s, ETA %s\n",
		now.Format("15:04:05"), model, c.done, of, c.cached, c.errors, rate, eta)
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
	b *mpb.Bar
	// The counters are read by the bar's decorators, without any lock.
	errors, done, cached atomic.Int64
	total                int
	start                time.Time
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
	b := &bar{total: total, start: time.Now()}
	// Rate and ETA from the bar's own counts: the average over the task of answered (not cached)
	// items, nothing before a second has passed.
	rateETA := func() (string, string) {
		c := counts{total: b.total, done: int(b.done.Load()), cached: int(b.cached.Load()), start: b.start}
		return c.rateAndETA(time.Now())
	}
	b.b = p.p.AddBar(int64(total),
		mpb.PrependDecorators(
			decor.Name(model, decor.WCSyncSpaceR),
			decor.CountersNoUnit("%d/%d", decor.WCSyncSpace),
		),
		mpb.AppendDecorators(
			decor.Any(func(decor.Statistics) string { r, _ := rateETA(); return " " + r }, decor.WCSyncSpace),
			decor.Any(func(decor.Statistics) string { _, e := rateETA(); return " ETA " + e }, decor.WCSyncSpace),
			decor.Any(func(decor.Statistics) string {
				return fmt.Sprintf(" %d cached, %d errors", b.cached.Load(), b.errors.Load())
			}),
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
	if r.Cached {
		b.cached.Add(1)
	}
	b.done.Add(1)
	b.b.Increment()
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
