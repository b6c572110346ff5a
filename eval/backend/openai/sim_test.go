package openai

import (
	"context"
	"fmt"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/emoeval/emoeval/datasets"
	"github.com/emoeval/emoeval/eval/cache"
	"github.com/emoeval/emoeval/eval/chat"
	"github.com/emoeval/emoeval/eval/sim"
	"github.com/emoeval/emoeval/eval/variant"
)

func simSplit(n int) *datasets.Split {
	ls := datasets.DFEW()
	s := &datasets.Split{Dataset: "dfew", Labels: ls}
	for i := 1; i <= n; i++ {
		s.Clips = append(s.Clips, datasets.Clip{Dataset: "dfew", ClipID: fmt.Sprintf("%05d", i), Fold: 5, Split: datasets.Test,
			Label: ls.Labels[i%7], LabelID: int32(i%7 + 1),
			VideoPath: fmt.Sprintf("/data/dfew/clip/%05d.mp4", i), AudioPath: fmt.Sprintf("/data/dfew/audio/%05d.wav", i)})
	}
	return s
}

func startSim(t testing.TB, split *datasets.Split, faults sim.Faults) (*sim.Server, string) {
	t.Helper()
	s, err := sim.NewServer(sim.Config{Split: split, Seed: 1, Models: sim.DefaultModels(), Judge: sim.DefaultJudge(), Faults: faults})
	if err != nil {
		t.Fatal(err)
	}
	url, stop, err := s.Start(context.Background(), "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(stop)
	return s, url
}

// stack is the client stack a run builds for one model.
func stack(t testing.TB, url string, store chat.Store, stats *chat.Stats) chat.Client {
	t.Helper()
	h, err := chat.NewHTTP(chat.HTTPConfig{Endpoint: url, APIKey: "k", Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	var c chat.Client = chat.WithRetry(h, chat.RetryPolicy{MaxRetries: 10, Base: time.Millisecond, Max: 10 * time.Millisecond, Jitter: 0.5})
	if store != nil {
		c = chat.WithCache(c, store, "openai")
	}
	return chat.WithStats(c, stats)
}

type job struct {
	model, variant string
	clipID         string
}

// runAll predicts every clip with both simulated models in every variant, 16 at a time.
func runAll(t *testing.T, split *datasets.Split, client chat.Client) map[job]Result {
	t.Helper()
	var backends []*Backend
	for _, m := range sim.DefaultModels() {
		b, err := New(Options{Name: m.Name, Model: m.Name, Prompt: m.Style, Variants: []variant.Variant{"av", "video", "audio"}}, client)
		if err != nil {
			t.Fatal(err)
		}
		if err := b.Check(split.Clips); err != nil {
			t.Fatal(err)
		}
		backends = append(backends, b)
	}
	var mu sync.Mutex
	out := map[job]Result{}
	g, ctx := errgroup.WithContext(context.Background())
	g.SetLimit(16)
	for _, b := range backends {
		for _, v := range b.Variants() {
			for _, c := range split.Clips {
				g.Go(func() error {
					res, err := b.Ask(ctx, c, v, 0)
					if err != nil {
						return err
					}
					mu.Lock()
					out[job{b.Name(), string(v), c.ClipID}] = res
					mu.Unlock()
					return nil
				})
			}
		}
	}
	if err := g.Wait(); err != nil {
		t.Fatal(err)
	}
	return out
}

// TestFaultsRetriedCachedAndResumed runs two models through the real HTTP path against a server
// injecting every fault, checks that the outputs equal a fault-free server's, and then resumes
// from the cache file without a single request.
func TestFaultsRetriedCachedAndResumed(t *testing.T) {
	split := simSplit(60)
	faults := sim.Faults{P429: 0.05, RetryAfter: 5 * time.Millisecond, P500: 0.05, PMalformed: 0.03,
		PTruncated: 0.03, PReset: 0.03, PHang: 0.01}
	faulty, url := startSim(t, split, faults)
	path := filepath.Join(t.TempDir(), "cache.sqlite")
	store, err := cache.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	var stats chat.Stats
	got := runAll(t, split, stack(t, url, store, &stats))
	store.Close()

	_, cleanURL := startSim(t, split, sim.Faults{})
	want := runAll(t, split, stack(t, cleanURL, nil, &chat.Stats{}))
	retried := 0
	for k, r := range got {
		if r.Raw != want[k].Raw {
			t.Fatalf("%+v: output under faults differs:\n%s\nwant\n%s", k, r.Raw, want[k].Raw)
		}
		if r.Attempts > 1 {
			retried++
		}
	}
	st := faulty.Stats()
	n := len(split.Clips) * 2 * 3
	// A loaded machine may time a request out after the server answered it: hence >= n.
	if len(got) != n || st.Completions < n {
		t.Fatalf("%d results, %d completions; want %d", len(got), st.Completions, n)
	}
	for _, kind := range []string{"429", "500", "malformed", "truncated", "reset", "hang"} {
		if st.Faults[kind] == 0 {
			t.Errorf("no %s fault injected: %v", kind, st.Faults)
		}
	}
	snap := stats.Snapshot()
	if retried == 0 || snap.Retries != int64(st.Requests-n) || snap.Failed != 0 {
		t.Errorf("retried outputs %d, client stats %+v, server saw %d requests for %d outputs", retried, snap, st.Requests, n)
	}

	// Resume: a new process opens the cache and asks for everything again.
	store, err = cache.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	var resumed chat.Stats
	again := runAll(t, split, stack(t, url, store, &resumed))
	after := faulty.Stats()
	if after.Requests != st.Requests {
		t.Errorf("resume made %d requests", after.Requests-st.Requests)
	}
	for k, c := range after.PerKey {
		if st.PerKey[k] != c {
			t.Errorf("request %+v repeated after resume", k)
		}
	}
	for k, r := range again {
		if !r.Cached || r.Raw != got[k].Raw || r.Attempts != got[k].Attempts {
			t.Fatalf("%+v: resumed %+v, first %+v", k, r, got[k])
		}
	}
	if s := resumed.Snapshot(); s.Cached != int64(n) {
		t.Errorf("resumed stats %+v", s)
	}
}
