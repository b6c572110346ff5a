package runner

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/emoeval/emoeval/datasets"
	"github.com/emoeval/emoeval/eval/variant"
)

// fakeBackend answers after a delay and records how many calls were in flight at most.
type fakeBackend struct {
	delay    time.Duration
	failClip string
	inFlight atomic.Int32
	maxSeen  atomic.Int32
	overall  *atomic.Int32 // shared between backends to see the overall limit
	overMax  *atomic.Int32
	calls    atomic.Int32
}

func (b *fakeBackend) Predict(ctx context.Context, tasks []Task) ([]Result, error) {
	b.calls.Add(1)
	n := b.inFlight.Add(1)
	defer b.inFlight.Add(-1)
	for {
		m := b.maxSeen.Load()
		if n <= m || b.maxSeen.CompareAndSwap(m, n) {
			break
		}
	}
	if b.overall != nil {
		o := b.overall.Add(1)
		defer b.overall.Add(-1)
		for {
			m := b.overMax.Load()
			if o <= m || b.overMax.CompareAndSwap(m, o) {
				break
			}
		}
	}
	select {
	case <-time.After(b.delay):
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	out := make([]Result, len(tasks))
	for i, t := range tasks {
		if t.Clip.ClipID == b.failClip {
			out[i].Err = errors.New("server said no")
			continue
		}
		out[i] = Result{Raw: fmt.Sprintf("<answer>%s</answer>", t.Clip.Label), Attempts: 1}
	}
	return out, nil
}

func clipsN(n int) []datasets.Clip {
	out := make([]datasets.Clip, n)
	for i := range out {
		out[i] = datasets.Clip{ClipID: fmt.Sprintf("%05d", i+1), Label: "happy", Fold: 5, Split: "test"}
	}
	return out
}

func TestRunConcurrencyLimits(t *testing.T) {
	var overall, overMax atomic.Int32
	a := &fakeBackend{delay: 5 * time.Millisecond, overall: &overall, overMax: &overMax}
	b := &fakeBackend{delay: 5 * time.Millisecond, overall: &overall, overMax: &overMax}
	models := []Model{
		{Name: "a", Backend: a, Variants: []variant.Variant{"av", "video"}, Concurrency: 3, BatchSize: 1},
		{Name: "b", Backend: b, Variants: []variant.Variant{"av"}, Concurrency: 4, BatchSize: 2},
	}
	out, err := Run(context.Background(), models, clipsN(40), Options{Concurrency: 5})
	if err != nil {
		t.Fatal(err)
	}
	if len(out) != 40*2+40 {
		t.Fatalf("got %d outcomes, want 120", len(out))
	}
	if got := a.maxSeen.Load(); got > 3 {
		t.Errorf("model a: %d calls in flight, limit 3", got)
	}
	if got := b.maxSeen.Load(); got > 4 {
		t.Errorf("model b: %d calls in flight, limit 4", got)
	}
	if got := overMax.Load(); got > 5 {
		t.Errorf("%d calls in flight overall, limit 5", got)
	}
	if got := overMax.Load(); got < 4 {
		t.Errorf("models did not run at once: at most %d calls in flight overall", got)
	}
	if got := b.calls.Load(); got != 20 {
		t.Errorf("model b: %d calls for 40 clips in batches of 2", got)
	}
	seen := map[string]bool{}
	for _, o := range out {
		k := o.Model + "/" + string(o.Task.Variant) + "/" + o.Task.Clip.ClipID
		if seen[k] {
			t.Fatalf("duplicate outcome %s", k)
		}
		seen[k] = true
	}
}

func TestRunRecordsTaskErrors(t *testing.T) {
	be := &fakeBackend{failClip: "00003"}
	out, err := Run(context.Background(), []Model{{Name: "m", Backend: be, Variants: []variant.Variant{"av"}, Concurrency: 2, BatchSize: 1}}, clipsN(5), Options{Concurrency: 4})
	if err != nil {
		t.Fatal(err)
	}
	var failed []string
	for _, o := range out {
		if o.Err != nil {
			failed = append(failed, o.Task.Clip.ClipID)
		}
	}
	if len(out) != 5 || strings.Join(failed, ",") != "00003" {
		t.Fatalf("outcomes %d, failed %v", len(out), failed)
	}
}

func TestRunCancelStopsNewWorkAndKeepsFinished(t *testing.T) {
	be := &fakeBackend{delay: 20 * time.Millisecond}
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(50*time.Millisecond, cancel)
	out, err := Run(ctx, []Model{{Name: "m", Backend: be, Variants: []variant.Variant{"av"}, Concurrency: 2, BatchSize: 1}}, clipsN(200), Options{Concurrency: 2, Grace: time.Second})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	if len(out) == 0 || len(out) >= 200 {
		t.Fatalf("%d outcomes after cancelling: want some but not all", len(out))
	}
	for _, o := range out {
		if o.Err != nil {
			t.Fatalf("in-flight task was not allowed to finish in the grace period: %v", o.Err)
		}
	}
	if int(be.calls.Load()) != len(out) {
		t.Errorf("%d calls but %d outcomes", be.calls.Load(), len(out))
	}
}

func TestRunGraceExpiryDropsUnanswered(t *testing.T) {
	be := &fakeBackend{delay: time.Hour}
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(20*time.Millisecond, cancel)
	out, err := Run(ctx, []Model{{Name: "m", Backend: be, Variants: []variant.Variant{"av"}, Concurrency: 2, BatchSize: 1}}, clipsN(10), Options{Concurrency: 2, Grace: 10 * time.Millisecond})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v", err)
	}
	if len(out) != 0 {
		t.Fatalf("tasks cut off by the grace period were recorded as outcomes: %d", len(out))
	}
}

func TestShard(t *testing.T) {
	clips := clipsN(1000)
	seen := map[string]int{}
	for i := 0; i < 4; i++ {
		s := Shard{Index: i, Count: 4}
		part := s.Filter(clips)
		if len(part) < 150 || len(part) > 350 {
			t.Errorf("shard %d has %d of 1000 clips", i, len(part))
		}
		for _, c := range part {
			seen[c.ClipID]++
		}
	}
	for _, c := range clips {
		if seen[c.ClipID] != 1 {
			t.Fatalf("clip %s is in %d shards", c.ClipID, seen[c.ClipID])
		}
	}
	for i := 0; i < 4; i++ {
		s := Shard{Index: i, Count: 4}
		if s.Contains("00012") != s.Contains("12") {
			t.Error("zero-padded and plain ids land in different shards")
		}
	}
}

func TestParseShardAndEnv(t *testing.T) {
	for _, bad := range []string{"4/4", "-1/4", "1", "a/b", "0/0"} {
		if _, err := ParseShard(bad); err == nil {
			t.Errorf("ParseShard(%q) accepted", bad)
		}
	}
	env := func(m map[string]string) func(string) (string, bool) {
		return func(k string) (string, bool) { v, ok := m[k]; return v, ok }
	}
	s, ok, err := ShardFromEnv(env(map[string]string{"JOB_COMPLETION_INDEX": "2"}), 4)
	if err != nil || !ok || s != (Shard{2, 4}) {
		t.Errorf("k8s: %v %v %v", s, ok, err)
	}
	s, ok, err = ShardFromEnv(env(map[string]string{"SLURM_ARRAY_TASK_ID": "3", "SLURM_ARRAY_TASK_MIN": "1"}), 4)
	if err != nil || !ok || s != (Shard{2, 4}) {
		t.Errorf("slurm: %v %v %v", s, ok, err)
	}
	if _, ok, _ := ShardFromEnv(env(nil), 4); ok {
		t.Error("no variables set but a shard was derived")
	}
	if _, _, err := ShardFromEnv(env(map[string]string{"JOB_COMPLETION_INDEX": "9"}), 4); err == nil {
		t.Error("index beyond the count accepted")
	}
}

func TestLogProgress(t *testing.T) {
	var buf bytes.Buffer
	var mu sync.Mutex
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	p := NewLogProgress(&buf, time.Second)
	p.Now = func() time.Time { mu.Lock(); defer mu.Unlock(); now = now.Add(300 * time.Millisecond); return now }
	p.Start("migr", 10)
	for i := 0; i < 10; i++ {
		var r Result
		if i == 4 {
			r.Err = errors.New("x")
		}
		p.Done("migr", r)
	}
	out := buf.String()
	if !strings.Contains(out, "migr: 10/10 done") || !strings.Contains(out, "1 errors") {
		t.Fatalf("progress lines:\n%s", out)
	}
	if n := strings.Count(out, "\n"); n < 2 || n > 5 {
		t.Errorf("%d lines for 10 results at a 1 s interval:\n%s", n, out)
	}
}
