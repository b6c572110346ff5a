package chat

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// memStore is a Store in memory.
type memStore struct {
	mu     sync.Mutex
	m      map[string][]byte
	putErr error
}

func (s *memStore) Get(_ context.Context, key string) ([]byte, bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	v, ok := s.m[key]
	return v, ok, nil
}

func (s *memStore) Put(_ context.Context, key string, value []byte) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.putErr != nil {
		return s.putErr
	}
	if s.m == nil {
		s.m = map[string][]byte{}
	}
	s.m[key] = value
	return nil
}

// counter is a Client answering "reply N" and counting calls.
type counter struct{ n atomic.Int32 }

func (c *counter) Complete(ctx context.Context, req Request) (Response, error) {
	n := c.n.Add(1)
	return Response{Text: fmt.Sprintf("reply %d", n), FinishReason: "stop", Attempts: 2, Latency: 1500 * time.Millisecond}, nil
}

func baseRequest() Request {
	return Request{Model: "R1-Omni-7B", Temperature: ptr(0.3), MaxTokens: 1024,
		Messages: []Message{{Role: "user", Content: []Part{VideoURLPart("file:///data/dfew/clip/00001.mp4"),
			AudioURLPart("file:///data/dfew/audio/00001.wav"), TextPart("Which emotion?")}}}}
}

func TestKeyGolden(t *testing.T) {
	// The key of a fixed request must never change silently: a change re-requests every cached
	// response of every user. Change keyVersion when the encoding changes on purpose.
	const want = "eafa667cdf724d6a484b9cad33b81c335f9a17dfee53d0d148144c17760ae907"
	if got := Key("openai", baseRequest()); got != want {
		t.Fatalf("Key = %s, want %s", got, want)
	}
}

func TestKeyCoversEverythingThatChangesTheAnswer(t *testing.T) {
	base := Key("openai", baseRequest())
	mutations := map[string]func(r *Request){
		"model":        func(r *Request) { r.Model = "MIGR-7B" },
		"prompt":       func(r *Request) { r.Messages[0].Content[2].Text += " " },
		"video url":    func(r *Request) { r.Messages[0].Content[0].URL = "file:///data/dfew/clip/00002.mp4" },
		"audio url":    func(r *Request) { r.Messages[0].Content[1].URL = "file:///x.wav" },
		"drop audio":   func(r *Request) { r.Messages[0].Content = r.Messages[0].Content[:1] },
		"part order":   func(r *Request) { c := r.Messages[0].Content; c[0], c[1] = c[1], c[0] },
		"part type":    func(r *Request) { r.Messages[0].Content[0].Type = PartAudioURL },
		"role":         func(r *Request) { r.Messages[0].Role = "system" },
		"extra msg":    func(r *Request) { r.Messages = append(r.Messages, Message{Role: "user"}) },
		"temperature":  func(r *Request) { r.Temperature = ptr(0.7) },
		"temp unset":   func(r *Request) { r.Temperature = nil },
		"top_p":        func(r *Request) { r.TopP = ptr(0.9) },
		"max tokens":   func(r *Request) { r.MaxTokens = 2048 },
		"seed":         func(r *Request) { r.Seed = ptr(int64(0)) },
		"sample index": func(r *Request) { r.SampleIndex = 1 },
		"inline audio": func(r *Request) {
			r.Messages[0].Content = append(r.Messages[0].Content, Part{Type: PartInputAudio, Data: "AAAA", Format: "wav"})
		},
		// Field boundaries: moving text from one field to the next changes the key.
		"boundary": func(r *Request) {
			r.Messages[0].Content[2] = Part{Type: PartText, Text: "Which", URL: " emotion?"}
		},
	}
	seen := map[string]string{base: "base"}
	for name, mutate := range mutations {
		r := baseRequest()
		mutate(&r)
		k := Key("openai", r)
		if other, dup := seen[k]; dup {
			t.Errorf("%s: key equals that of %s", name, other)
		}
		seen[k] = name
	}
	if Key("judge", baseRequest()) == base {
		t.Error("namespace does not change the key")
	}
	if Key("openai", baseRequest()) != base {
		t.Error("key is not stable")
	}
	neg := baseRequest()
	neg.Temperature = ptr(0.0)
	zero := baseRequest()
	zero.Temperature = ptr(0.0 * -1)
	if Key("openai", neg) != Key("openai", zero) {
		t.Error("-0 and 0 temperatures differ")
	}
}

func TestCacheLayer(t *testing.T) {
	ctx := context.Background()
	inner := &counter{}
	store := &memStore{}
	c := WithCache(inner, store, "openai")

	first, err := c.Complete(ctx, baseRequest())
	if err != nil || first.Cached || first.Text != "reply 1" {
		t.Fatalf("miss: %+v, %v", first, err)
	}
	again, err := c.Complete(ctx, baseRequest())
	if err != nil || !again.Cached || again.Text != "reply 1" || again.Attempts != 2 || again.Latency != 1500*time.Millisecond || again.FinishReason != "stop" {
		t.Fatalf("hit: %+v, %v", again, err)
	}
	if inner.n.Load() != 1 {
		t.Fatalf("inner called %d times", inner.n.Load())
	}
	other := baseRequest()
	other.SampleIndex = 1
	if r, _ := c.Complete(ctx, other); r.Cached || r.Text != "reply 2" {
		t.Fatalf("another sample was served from the cache: %+v", r)
	}
	for k, v := range store.m {
		if strings.Contains(string(v), secret) || strings.Contains(k, secret) {
			t.Fatal("key in cache")
		}
	}

	// A damaged entry is requested again and overwritten.
	store.m[Key("openai", baseRequest())] = []byte("{not json")
	if r, _ := c.Complete(ctx, baseRequest()); r.Cached || r.Text != "reply 3" {
		t.Fatalf("damaged entry: %+v", r)
	}
	if r, _ := c.Complete(ctx, baseRequest()); !r.Cached || r.Text != "reply 3" {
		t.Fatalf("after overwrite: %+v", r)
	}

	// Errors are not stored; a failing store returns the response with the error.
	failing := WithCache(ClientFunc(func(context.Context, Request) (Response, error) {
		return Response{}, &Error{Msg: "boom", Retryable: true}
	}), store, "x")
	if _, err := failing.Complete(ctx, baseRequest()); err == nil || len(store.m) != 2 {
		t.Fatalf("error stored or lost: %v, %d entries", err, len(store.m))
	}
	store.putErr = errors.New("disk full")
	r, err := WithCache(inner, store, "y").Complete(ctx, baseRequest())
	if err == nil || !strings.Contains(err.Error(), "disk full") || r.Text == "" {
		t.Fatalf("failing Put: %+v, %v", r, err)
	}
}

func TestCacheSharedAcrossKeysAndEndpoints(t *testing.T) {
	// Two clients with other keys and endpoints share cached answers.
	_, url1 := serve(t)
	s2, url2 := serve(t)
	store := &memStore{}
	c1, _ := NewHTTP(HTTPConfig{Endpoint: url1, APIKey: "key-one"})
	c2, _ := NewHTTP(HTTPConfig{Endpoint: url2, APIKey: "key-two"})
	if _, err := WithCache(c1, store, "openai").Complete(context.Background(), testReq); err != nil {
		t.Fatal(err)
	}
	r, err := WithCache(c2, store, "openai").Complete(context.Background(), testReq)
	if err != nil || !r.Cached || s2.n.Load() != 0 {
		t.Fatalf("second endpoint: %+v, %v, %d requests", r, err, s2.n.Load())
	}
}

func TestRateLimit(t *testing.T) {
	inner := &counter{}
	if WithRateLimit(inner, 0, 5) != Client(inner) {
		t.Error("rps 0 should not wrap")
	}
	// A very low rate and a burst of 2: two calls pass at once, the third must wait far longer
	// than its context allows and is refused without reaching the inner client.
	c := WithRateLimit(inner, 0.001, 2)
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	for range 2 {
		if _, err := c.Complete(ctx, testReq); err != nil {
			t.Fatal(err)
		}
	}
	_, err := c.Complete(ctx, testReq)
	if err == nil || IsRetryable(err) || !strings.Contains(err.Error(), "rate limit") || inner.n.Load() != 2 {
		t.Fatalf("third call: %v, inner %d", err, inner.n.Load())
	}
}

func TestStats(t *testing.T) {
	store := &memStore{}
	var st Stats
	_, url := serve(t, status(500, "x"), ok(), status(401, "no"))
	rec := &recorder{}
	c := WithStats(WithCache(WithRetry(newClient(t, url, 0), RetryPolicy{MaxRetries: 3, Sleep: rec.sleep}), store, "openai"), &st)
	ctx := context.Background()
	c.Complete(ctx, testReq) // 500, then ok: one retry
	c.Complete(ctx, testReq) // cached
	other := testReq
	other.Model = "other"
	c.Complete(ctx, other) // 401
	want := StatsSnapshot{Requests: 3, Cached: 1, Succeeded: 2, Failed: 1, Retries: 1}
	if got := st.Snapshot(); got != want {
		t.Errorf("stats %+v, want %+v", got, want)
	}
}

type metaStore struct {
	memStore
	metas map[string]string
}

func (s *metaStore) PutMeta(ctx context.Context, key string, value []byte, meta string) error {
	s.metas[key] = meta
	return s.Put(ctx, key, value)
}

func TestCacheLayerWritesMeta(t *testing.T) {
	store := &metaStore{metas: map[string]string{}}
	req := baseRequest()
	req.SampleIndex = 2
	if _, err := WithCache(&counter{}, store, "openai").Complete(context.Background(), req); err != nil {
		t.Fatal(err)
	}
	want := `{"ns":"openai","model":"R1-Omni-7B","sample":2,"media":["file:///data/dfew/clip/00001.mp4","file:///data/dfew/audio/00001.wav"]}`
	if got := store.metas[Key("openai", req)]; got != want {
		t.Errorf("meta %s, want %s", got, want)
	}
}
