package chat

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

const secret = "sk-test-Zq8XvYw3secretKEY"

const okBody = `{"choices":[{"message":{"role":"assistant","content":"<answer>happy</answer>"},"finish_reason":"stop"}],"usage":{"prompt_tokens":3,"completion_tokens":4}}`

// step is one scripted server reply.
type step func(w http.ResponseWriter, r *http.Request)

func status(code int, body string, header ...string) step {
	return func(w http.ResponseWriter, r *http.Request) {
		for i := 0; i+1 < len(header); i += 2 {
			w.Header().Set(header[i], header[i+1])
		}
		w.WriteHeader(code)
		io.WriteString(w, body)
	}
}

func ok() step { return status(200, okBody) }

func truncated() step {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Length", fmt.Sprint(len(okBody)))
		io.WriteString(w, okBody[:20])
	}
}

func resetConn() step {
	return func(w http.ResponseWriter, r *http.Request) {
		conn, _, err := http.NewResponseController(w).Hijack()
		if err != nil {
			panic(err)
		}
		conn.(*net.TCPConn).SetLinger(0)
		conn.Close()
	}
}

func hang() step {
	return func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body) // the server notices a client leaving only once the body is read
		<-r.Context().Done()
	}
}

// echoAuth replies with the request's Authorization header in an error body, as a careless
// proxy might.
func echoAuth(code int) step {
	return func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(code)
		fmt.Fprintf(w, `{"error":{"message":"bad credentials: %s"}}`, r.Header.Get("Authorization"))
	}
}

// scripted serves the steps in order, then ok; it counts requests.
type scripted struct {
	mu    sync.Mutex
	steps []step
	n     atomic.Int32
	auth  string
}

func (s *scripted) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.n.Add(1)
	s.mu.Lock()
	s.auth = r.Header.Get("Authorization")
	next := ok()
	if len(s.steps) > 0 {
		next, s.steps = s.steps[0], s.steps[1:]
	}
	s.mu.Unlock()
	next(w, r)
}

func serve(t *testing.T, steps ...step) (*scripted, string) {
	t.Helper()
	s := &scripted{steps: steps}
	ts := httptest.NewServer(s)
	t.Cleanup(ts.Close)
	return s, ts.URL + "/v1"
}

func newClient(t *testing.T, endpoint string, timeout time.Duration) *HTTP {
	t.Helper()
	c, err := NewHTTP(HTTPConfig{Endpoint: endpoint, APIKey: secret, Timeout: timeout})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

var testReq = Request{Model: "m", Messages: UserText("Which emotion?")}

// recorder is an injectable Sleep that records the waits and returns at once.
type recorder struct {
	mu    sync.Mutex
	waits []time.Duration
}

func (r *recorder) sleep(ctx context.Context, d time.Duration) error {
	r.mu.Lock()
	r.waits = append(r.waits, d)
	r.mu.Unlock()
	return ctx.Err()
}

func TestHTTPSendsKeyAndParses(t *testing.T) {
	s, url := serve(t)
	resp, err := newClient(t, url+"/", 0).Complete(context.Background(), testReq) // trailing slash accepted
	if err != nil {
		t.Fatal(err)
	}
	if s.auth != "Bearer "+secret {
		t.Errorf("Authorization = %q", s.auth)
	}
	if resp.Text != "<answer>happy</answer>" || resp.Attempts != 1 || resp.Latency <= 0 || resp.Cached {
		t.Errorf("resp = %+v", resp)
	}
	// An endpoint given with the full path works too, and no key means no header.
	c, err := NewHTTP(HTTPConfig{Endpoint: url + "/chat/completions"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Complete(context.Background(), testReq); err != nil || s.auth != "" {
		t.Errorf("err %v, auth %q", err, s.auth)
	}
}

func TestRetryRecovers(t *testing.T) {
	tests := []struct {
		name  string
		steps []step
	}{
		{"429", []step{status(429, `{"error":{"message":"slow down"}}`)}},
		{"500 twice", []step{status(500, "oops"), status(503, "busy")}},
		{"malformed json", []step{status(200, `{"choices":[{"message":`)}},
		{"truncated body", []step{truncated()}},
		{"reset", []step{resetConn()}},
		{"hang", []step{hang()}},
		{"no choices", []step{status(200, `{"choices":[]}`)}},
		{"error 500 in 200", []step{status(200, `{"error":{"message":"engine crashed","code":500}}`)}},
		{"overloaded in 200", []step{status(200, `{"error":{"message":"busy","type":"overloaded_error"}}`)}},
		{"unavailable in 200", []step{status(200, `{"error":{"message":"busy","status":"UNAVAILABLE","code":"503"}}`)}},
		{"timeout in 200", []step{status(200, `{"error":{"message":"slow","code":"timeout"}}`)}},
		{"aborted generation", []step{status(200, `{"choices":[{"message":{"content":"<think>The face"},"finish_reason":"abort"}]}`)}},
		{"failed generation", []step{status(200, `{"choices":[{"message":{"content":""},"finish_reason":"error"}]}`)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, url := serve(t, tt.steps...)
			rec := &recorder{}
			c := WithRetry(newClient(t, url, 100*time.Millisecond), RetryPolicy{MaxRetries: 3, Base: time.Second, Max: 8 * time.Second, Sleep: rec.sleep})
			resp, err := c.Complete(context.Background(), testReq)
			if err != nil {
				t.Fatal(err)
			}
			want := len(tt.steps) + 1
			if resp.Attempts != want || int(s.n.Load()) != want || len(rec.waits) != want-1 {
				t.Fatalf("attempts %d, server saw %d, waits %v; want %d", resp.Attempts, s.n.Load(), rec.waits, want)
			}
			// Exponential backoff without jitter: 1s, 2s, …
			for i, w := range rec.waits {
				if w != time.Second<<i {
					t.Errorf("wait %d = %v, want %v", i, w, time.Second<<i)
				}
			}
		})
	}
}

func TestRetryAfterHonoured(t *testing.T) {
	date := time.Now().Add(5 * time.Second).UTC().Format(http.TimeFormat)
	tests := []struct {
		name     string
		header   string
		min, max time.Duration
	}{
		{"seconds", "7", 7 * time.Second, 7 * time.Second},
		{"fraction", "0.25", time.Second, time.Second}, // shorter than the backoff: the backoff wins
		{"http date", date, 3 * time.Second, 5 * time.Second},
		{"past date", "Wed, 21 Oct 2015 07:28:00 GMT", time.Second, time.Second},
		{"garbage", "soon", time.Second, time.Second},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, url := serve(t, status(429, "", "Retry-After", tt.header))
			rec := &recorder{}
			c := WithRetry(newClient(t, url, 0), RetryPolicy{MaxRetries: 2, Base: time.Second, Max: 2 * time.Second, Sleep: rec.sleep})
			if _, err := c.Complete(context.Background(), testReq); err != nil {
				t.Fatal(err)
			}
			if len(rec.waits) != 1 || rec.waits[0] < tt.min || rec.waits[0] > tt.max {
				t.Fatalf("waits %v, want one in [%v, %v]", rec.waits, tt.min, tt.max)
			}
		})
	}
}

func TestJitter(t *testing.T) {
	p := RetryPolicy{Base: time.Second, Max: time.Minute, Jitter: 0.5}
	seen := map[time.Duration]bool{}
	for range 50 {
		d := p.Backoff(3, nil) // 4s nominal
		if d < 2*time.Second || d > 4*time.Second {
			t.Fatalf("backoff %v outside [2s, 4s]", d)
		}
		seen[d] = true
	}
	if len(seen) < 10 {
		t.Errorf("jitter gave only %d distinct waits", len(seen))
	}
	if d := p.Backoff(0, nil); d > time.Second || d < 500*time.Millisecond {
		t.Errorf("backoff of retry 0 = %v, want the first backoff", d)
	}
	if d := p.Backoff(40, nil); d > time.Minute || d < 30*time.Second {
		t.Errorf("backoff of retry 40 = %v, want capped at 1m", d)
	}
}

func TestPermanentErrorsNotRetried(t *testing.T) {
	tests := []struct {
		code int
		want string
	}{
		{400, "check the prompt, max_tokens"},
		{401, "api_key_env"},
		{403, "not allowed to use model"},
		{404, "ending in /v1"},
		{422, "rejected the request"},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprint(tt.code), func(t *testing.T) {
			s, url := serve(t, echoAuth(tt.code))
			rec := &recorder{}
			_, err := WithRetry(newClient(t, url, 0), RetryPolicy{MaxRetries: 5, Sleep: rec.sleep}).Complete(context.Background(), testReq)
			var ce *Error
			if !errors.As(err, &ce) || ce.Retryable || ce.Status != tt.code || ce.Attempts != 1 {
				t.Fatalf("err = %#v", err)
			}
			if s.n.Load() != 1 || len(rec.waits) != 0 {
				t.Errorf("retried: %d requests", s.n.Load())
			}
			msg := err.Error()
			if !strings.Contains(msg, tt.want) || !strings.Contains(msg, "bad credentials") {
				t.Errorf("message %q lacks %q or the server's message", msg, tt.want)
			}
			if strings.Contains(msg, secret) {
				t.Errorf("message leaks the key: %q", msg)
			}
		})
	}
}

func TestRetriesExhausted(t *testing.T) {
	_, url := serve(t, status(500, "a"), status(500, "b"), status(502, "last one"))
	rec := &recorder{}
	_, err := WithRetry(newClient(t, url, 0), RetryPolicy{MaxRetries: 2, Sleep: rec.sleep}).Complete(context.Background(), testReq)
	var ce *Error
	if !errors.As(err, &ce) || ce.Attempts != 3 || AttemptsOf(err) != 3 || ce.Status != 502 {
		t.Fatalf("err = %v", err)
	}
	if !strings.Contains(err.Error(), "gave up after 3 attempts") || !strings.Contains(err.Error(), "last one") {
		t.Errorf("message %q", err)
	}
}

func TestRetryStopsWhenContextEnds(t *testing.T) {
	_, url := serve(t, status(500, "x"), status(500, "y"))
	ctx, cancel := context.WithCancel(context.Background())
	sleep := func(ctx context.Context, d time.Duration) error { cancel(); return ctx.Err() }
	_, err := WithRetry(newClient(t, url, 0), RetryPolicy{MaxRetries: 5, Sleep: sleep}).Complete(ctx, testReq)
	if !errors.Is(err, context.Canceled) || IsRetryable(err) || AttemptsOf(err) != 1 {
		t.Fatalf("err = %v", err)
	}

	// A cancelled request in flight is not retried either.
	_, url = serve(t, hang())
	ctx, cancel = context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	_, err = WithRetry(newClient(t, url, 0), RetryPolicy{MaxRetries: 5}).Complete(ctx, testReq)
	if !errors.Is(err, context.DeadlineExceeded) || IsRetryable(err) {
		t.Fatalf("err = %v", err)
	}
}

func TestKeyNeverInErrors(t *testing.T) {
	ctx := context.Background()
	// A listener that is closed at once: connection refused on its address.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	dead := ln.Addr().String()
	ln.Close()

	var msgs []string
	for _, code := range []int{400, 401, 429, 500} {
		_, url := serve(t, echoAuth(code))
		_, err := newClient(t, url, 0).Complete(ctx, testReq)
		msgs = append(msgs, err.Error())
	}
	// The key inside the endpoint: in user information, in the query, in the path.
	for _, ep := range []string{
		"http://user:" + secret + "@" + dead + "/v1",
		"http://" + secret + "@" + dead + "/v1",
		"http://" + dead + "/v1?api_key=" + secret,
		"http://" + dead + "/" + secret + "/v1",
	} {
		c, err := NewHTTP(HTTPConfig{Endpoint: ep, APIKey: secret})
		if err != nil {
			t.Fatal(err)
		}
		_, err = c.Complete(ctx, testReq)
		if !IsRetryable(err) || !strings.Contains(err.Error(), "connection refused") {
			t.Errorf("endpoint down: err = %v", err)
		}
		msgs = append(msgs, err.Error())
	}
	for _, ep := range []string{"http://[" + secret, "ftp://" + secret + "@host/v1", secret, "http://host:" + secret + "/v1"} {
		_, err := NewHTTP(HTTPConfig{Endpoint: ep, APIKey: secret})
		if err == nil {
			t.Fatalf("endpoint %q accepted", ep)
		}
		msgs = append(msgs, err.Error())
	}
	cfg := HTTPConfig{Endpoint: "http://host/v1", APIKey: secret}
	msgs = append(msgs, fmt.Sprint(cfg), fmt.Sprintf("%+v", cfg), fmt.Sprintf("%#v", cfg), fmt.Sprintf("%v", &cfg))
	for _, m := range msgs {
		if strings.Contains(m, secret) || strings.Contains(m, "secretKEY") {
			t.Errorf("key leaked: %q", m)
		}
	}
}

func TestTimeoutClassified(t *testing.T) {
	_, url := serve(t, hang())
	_, err := newClient(t, url, 30*time.Millisecond).Complete(context.Background(), testReq)
	if !IsRetryable(err) || !strings.Contains(err.Error(), "no response within 30ms") || errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v", err)
	}
}
