package chat

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestRetryAfterLimit(t *testing.T) {
	tests := []struct {
		name       string
		retryAfter string
		limit      time.Duration // RetryPolicy.MaxRetryAfter
		waits      []time.Duration
		err        string // "" when the retry succeeds
	}{
		{"an hour", "3600", 0, nil, "the server asked to wait 1h0m0s before retrying, longer than the 2m0s limit"},
		{"absurd", "1e300", 0, nil, "longer than the 2m0s limit"},
		{"over a set limit", "11", 10 * time.Second, nil, "asked to wait 11s before retrying, longer than the 10s limit"},
		{"beyond Max, within the limit", "90", 0, []time.Duration{90 * time.Second}, ""},
		{"at the limit", "120", 0, []time.Duration{2 * time.Minute}, ""},
		{"http date an hour away", time.Now().Add(time.Hour).UTC().Format(http.TimeFormat), 0, nil, "longer than the 2m0s limit"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, url := serve(t, status(429, `{"error":{"message":"slow down"}}`, "Retry-After", tt.retryAfter))
			rec := &recorder{}
			p := RetryPolicy{MaxRetries: 8, Base: time.Second, Max: 30 * time.Second, MaxRetryAfter: tt.limit, Sleep: rec.sleep}
			_, err := WithRetry(newClient(t, url, 0), p).Complete(context.Background(), testReq)
			if len(rec.waits) != len(tt.waits) || len(tt.waits) > 0 && rec.waits[0] != tt.waits[0] {
				t.Errorf("waits %v, want %v", rec.waits, tt.waits)
			}
			if tt.err == "" {
				if err != nil || s.n.Load() != 2 {
					t.Fatalf("err %v after %d requests, want an answer after 2", err, s.n.Load())
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.err) || !strings.Contains(err.Error(), "slow down") {
				t.Fatalf("err = %v, want %q and the server's message", err, tt.err)
			}
			if IsRetryable(err) || s.n.Load() != 1 || AttemptsOf(err) != 1 {
				t.Errorf("retryable %v after %d requests (attempts %d), want a final error after 1", IsRetryable(err), s.n.Load(), AttemptsOf(err))
			}
		})
	}
	if got := DefaultRetryPolicy().MaxRetryAfter; got != 2*time.Minute {
		t.Errorf("default MaxRetryAfter %v, want 2m", got)
	}
}

func TestParseRetryAfterOddValues(t *testing.T) {
	now := time.Now()
	for v, want := range map[string]time.Duration{
		"NaN": 0, "-5": 0, "0": 0, "Inf": maxRetryAfterSeconds * time.Second,
		"100000": 100000 * time.Second, // beyond a day: kept, so that the limit sees it
	} {
		if got := parseRetryAfter(v, now); got != want {
			t.Errorf("parseRetryAfter(%q) = %v, want %v", v, got, want)
		}
	}
}

func TestQuotaExhaustedNotRetried(t *testing.T) {
	for _, body := range []string{
		`{"error":{"message":"You exceeded your current quota, please check your plan and billing details.","type":"insufficient_quota","param":null,"code":"insufficient_quota"}}`,
		`{"error":{"message":"You exceeded your current quota.","type":"insufficient_quota"}}`,
		`{"error":{"message":"You exceeded your current quota.","code":"insufficient_quota"}}`,
	} {
		for _, code := range []int{429, 200} {
			t.Run(fmt.Sprint(code), func(t *testing.T) {
				s, url := serve(t, status(code, body))
				rec := &recorder{}
				p := DefaultRetryPolicy()
				p.Sleep = rec.sleep
				_, err := WithRetry(newClient(t, url, 0), p).Complete(context.Background(), testReq)
				var ce *Error
				if !errors.As(err, &ce) || ce.Retryable || ce.Status != code {
					t.Fatalf("err = %#v", err)
				}
				if s.n.Load() != 1 || len(rec.waits) != 0 {
					t.Errorf("retried: %d requests", s.n.Load())
				}
				if !strings.Contains(err.Error(), "quota is exhausted") || !strings.Contains(err.Error(), "exceeded your current quota") {
					t.Errorf("message %q does not say the quota is exhausted", err)
				}
			})
		}
	}
	// A plain rate limit stays retryable.
	_, url := serve(t, status(429, `{"error":{"message":"Rate limit reached","type":"requests","code":"rate_limit_exceeded"}}`))
	rec := &recorder{}
	if _, err := WithRetry(newClient(t, url, 0), RetryPolicy{MaxRetries: 1, Sleep: rec.sleep}).Complete(context.Background(), testReq); err != nil {
		t.Fatalf("rate limit not retried: %v", err)
	}
}

func TestPermanentErrorIn200NotRetried(t *testing.T) {
	s, url := serve(t, status(200, `{"error":{"message":"This model's maximum context length is 4096 tokens","code":400}}`))
	p := DefaultRetryPolicy()
	p.Sleep = (&recorder{}).sleep
	_, err := WithRetry(newClient(t, url, 0), p).Complete(context.Background(), testReq)
	if err == nil || IsRetryable(err) || s.n.Load() != 1 || !strings.Contains(err.Error(), "maximum context length") {
		t.Fatalf("err %v after %d requests, want a final error after 1", err, s.n.Load())
	}
}

// A server echoing the key at the end of a long message: the cut at 300 characters falls inside
// the key for some paddings, and no part of it may survive.
func TestKeyRedactedBeforeMessageIsCut(t *testing.T) {
	for _, code := range []int{200, 401, 500} {
		for pad := 270; pad <= 300; pad++ {
			_, url := serve(t, func(w http.ResponseWriter, r *http.Request) {
				w.WriteHeader(code)
				fmt.Fprintf(w, `{"error":{"message":"%s invalid token: %s"}}`, strings.Repeat("x", pad), strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer "))
			})
			_, err := newClient(t, url, 0).Complete(context.Background(), testReq)
			if err == nil {
				t.Fatal("no error")
			}
			if msg := err.Error(); strings.Contains(msg, secret[:8]) {
				t.Fatalf("HTTP %d, padding %d: key prefix %q in %q", code, pad, secret[:8], msg[max(0, len(msg)-60):])
			}
		}
	}
}

// An aborted generation is retried and never cached; an aborted one cached by an older version
// is asked again.
func TestAbortedGenerationNotCached(t *testing.T) {
	aborted := status(200, `{"choices":[{"message":{"content":"<think>The face shows"},"finish_reason":"abort"}]}`)
	s, url := serve(t, aborted)
	store := &memStore{}
	rec := &recorder{}
	c := WithCache(WithRetry(newClient(t, url, 0), RetryPolicy{MaxRetries: 2, Sleep: rec.sleep}), store, "openai")
	r, err := c.Complete(context.Background(), testReq)
	if err != nil || r.Text != "<answer>happy</answer>" || r.FinishReason != "stop" || r.Attempts != 2 || s.n.Load() != 2 {
		t.Fatalf("resp %+v, err %v, %d requests; want the second answer", r, err, s.n.Load())
	}

	store.m[Key("openai", testReq)] = []byte(`{"text":"<think>The face shows","finish_reason":"abort","attempts":1}`)
	r, err = c.Complete(context.Background(), testReq)
	if err != nil || r.Cached || r.Text != "<answer>happy</answer>" || s.n.Load() != 3 {
		t.Fatalf("stored abort served: %+v, %v, %d requests", r, err, s.n.Load())
	}
	if r, _ := c.Complete(context.Background(), testReq); !r.Cached || r.FinishReason != "stop" {
		t.Fatalf("stored abort not overwritten: %+v", r)
	}

	// Retries exhausted on aborts: an error, nothing stored.
	_, url = serve(t, aborted, aborted, aborted)
	store = &memStore{}
	_, err = WithCache(WithRetry(newClient(t, url, 0), RetryPolicy{MaxRetries: 2, Sleep: rec.sleep}), store, "openai").Complete(context.Background(), testReq)
	if err == nil || !strings.Contains(err.Error(), `finish_reason "abort"`) || len(store.m) != 0 {
		t.Fatalf("err %v, %d stored", err, len(store.m))
	}
}
