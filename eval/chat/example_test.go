package chat_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"time"

	"github.com/emoeval/emoeval/eval/chat"
)

// mapStore is a chat.Store in memory; runs use eval/cache (SQLite).
type mapStore struct {
	mu sync.Mutex
	m  map[string][]byte
}

func (s *mapStore) Get(_ context.Context, k string) ([]byte, bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	v, ok := s.m[k]
	return v, ok, nil
}

func (s *mapStore) Put(_ context.Context, k string, v []byte) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.m[k] = v
	return nil
}

// The layers of a model backend: HTTP with a per-request timeout, a rate limit on every
// attempt, retries, the response cache, and counters for the progress display.
func Example() {
	server := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, `{"choices":[{"message":{"content":"<think>She beams.</think><answer>happy</answer>"},"finish_reason":"stop"}]}`)
	}))
	defer server.Close()

	h, err := chat.NewHTTP(chat.HTTPConfig{Endpoint: server.URL + "/v1", APIKey: "from $VLLM_API_KEY", Timeout: 60 * time.Second})
	if err != nil {
		fmt.Println(err)
		return
	}
	var stats chat.Stats
	c := chat.WithStats(chat.WithCache(chat.WithRetry(chat.WithRateLimit(h, 50, 10), chat.DefaultRetryPolicy()),
		&mapStore{m: map[string][]byte{}}, "openai"), &stats)

	req := chat.Request{Model: "R1-Omni-7B", Messages: []chat.Message{{Role: "user", Content: []chat.Part{
		chat.VideoURLPart("file:///data/dfew/clip/00001.mp4"), chat.TextPart("Which emotion?")}}}}
	for range 2 {
		resp, err := c.Complete(context.Background(), req)
		fmt.Println(resp.Text, resp.Cached, err)
	}
	fmt.Printf("%+v\n", stats.Snapshot())
	// Output:
	// <think>She beams.</think><answer>happy</answer> false <nil>
	// <think>She beams.</think><answer>happy</answer> true <nil>
	// {Requests:2 Cached:1 Succeeded:2 Failed:0 Retries:0 InFlight:0}
}
