package chat

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
	"unicode/utf8"
)

// echoRequest is a careless server: its error body repeats the request's URL and headers.
func echoRequest(code int, asJSON bool) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		var hdr strings.Builder
		for name, values := range r.Header {
			fmt.Fprintf(&hdr, "%s: %s\n", name, strings.Join(values, ", "))
		}
		w.WriteHeader(code)
		if asJSON {
			b, _ := json.Marshal(map[string]any{"error": map[string]any{
				"message": fmt.Sprintf("rejected %s %s", r.Method, r.URL.RequestURI()),
				"headers": r.Header, "url": r.URL.String()}})
			w.Write(b)
			return
		}
		fmt.Fprintf(w, "rejected %s %s\n%s", r.Method, r.URL.RequestURI(), hdr.String())
	}
}

// Whatever a server echoes of the request (the Bearer key, the Basic header Go makes of
// user:pass@, ?api_key=…), no credential reaches an error message: not from Complete, not after
// retries, not from CheckModel.
func TestEchoedCredentialsRedacted(t *testing.T) {
	const token, password = "tok3nQueryZ9x8c7v6b5n4", "pa55wordVerySecret9"
	basic := base64.StdEncoding.EncodeToString([]byte("alice:" + password))
	secrets := []string{secret, token, password, basic, secret[:8], token[:8], basic[:8]}
	for _, code := range []int{400, 401, 403, 404, 500} {
		for _, asJSON := range []bool{true, false} {
			ts := httptest.NewServer(echoRequest(code, asJSON))
			t.Cleanup(ts.Close)
			host := strings.TrimPrefix(ts.URL, "http://")
			for _, ep := range []string{
				ts.URL + "/v1",
				"http://alice:" + password + "@" + host + "/v1",
				ts.URL + "/v1?api_key=" + token,
				ts.URL + "/v1?deployment=d&token=" + token,
				"http://" + token + "@" + host + "/v1",
			} {
				t.Run(fmt.Sprintf("%d json=%v %s", code, asJSON, strings.Replace(ep, ts.URL, "", 1)), func(t *testing.T) {
					h, err := NewHTTP(HTTPConfig{Endpoint: ep, APIKey: secret})
					if err != nil {
						t.Fatal(err)
					}
					var msgs []string
					_, err = h.Complete(context.Background(), testReq)
					msgs = append(msgs, err.Error())
					var ce *Error
					if errors.As(err, &ce) {
						msgs = append(msgs, ce.Msg)
					}
					rec := &recorder{}
					_, err = WithRetry(h, RetryPolicy{MaxRetries: 2, Sleep: rec.sleep}).Complete(context.Background(), testReq)
					msgs = append(msgs, err.Error())
					if err := h.CheckModel(context.Background(), "m"); err != nil {
						msgs = append(msgs, err.Error())
					}
					msgs = append(msgs, fmt.Sprint(HTTPConfig{Endpoint: ep, APIKey: secret}))
					for _, m := range msgs {
						for _, s := range secrets {
							if strings.Contains(m, s) {
								t.Fatalf("%q leaks %q", m, s)
							}
						}
					}
					if !strings.Contains(msgs[0], "rejected") || !strings.Contains(msgs[0], fmt.Sprint(code)) {
						t.Errorf("the server's message or the status is lost: %q", msgs[0])
					}
				})
			}
		}
	}
}

// answerServer sends an answer of n bytes of the repeated unit, written in chunks as a server
// streams it: the test measures the client's memory, so the server must not hold it either.
func answerServer(t *testing.T, n int, unit string, field string) string {
	t.Helper()
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		io.WriteString(w, `{"choices":[{"message":{"role":"assistant","`+field+`":"`)
		chunk := strings.Repeat(unit, max(1, (32<<10)/len(unit)))
		for sent := 0; sent < n; sent += len(chunk) {
			if _, err := io.WriteString(w, chunk[:min(len(chunk), n-sent)]); err != nil {
				return
			}
		}
		io.WriteString(w, `"},"finish_reason":"length"}],"usage":{"prompt_tokens":1,"completion_tokens":2}}`)
	}))
	t.Cleanup(ts.Close)
	return ts.URL + "/v1"
}

func TestMaxOutputBytes(t *testing.T) {
	const limit = 1000
	tests := []struct {
		name      string
		n         int    // bytes of the unit sent
		unit      string // as it appears in the JSON
		field     string
		truncated bool
		wantLen   int // bytes of the text (or reasoning) kept
	}{
		{"under", 999, "a", "content", false, 999},
		{"at", 1000, "a", "content", false, 1000},
		{"over by one", 1001, "a", "content", true, 1000},
		{"5 MB", 5 << 20, "ab", "content", true, 1000},
		{"multibyte at the boundary", 3 * 400, "€", "content", true, 999},              // 3 bytes each: the 334th would end at 1002
		{"escaped newlines", 2 * 900, `\n`, "content", false, 900},                     // 1 decoded byte per 2 sent
		{"escaped newlines over", 2 * 1100, `\n`, "content", true, 1000},               // cut at the limit of decoded bytes
		{"unicode escapes", 6 * 600, `\u00e9`, "content", true, 1000},                  // é: 2 decoded bytes per 6 sent
		{"surrogate pairs", 12 * 300, `\ud83d\ude00`, "content", true, 1000},           // 😀: 4 decoded bytes per 12 sent
		{"control escapes", 6 * 3000, `\u0001`, "content", true, (2*limit + 1024) / 6}, // cut by encoded size
		{"reasoning", 5000, "r", "reasoning_content", true, 1000},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			url := answerServer(t, tt.n, tt.unit, tt.field)
			h, err := NewHTTP(HTTPConfig{Endpoint: url, MaxOutputBytes: limit})
			if err != nil {
				t.Fatal(err)
			}
			resp, err := h.Complete(context.Background(), testReq)
			if err != nil {
				t.Fatal(err)
			}
			got := resp.Text
			if tt.field != "content" {
				got = resp.Reasoning
			}
			if resp.Truncated != tt.truncated || len(got) > limit || !utf8.ValidString(got) || strings.Contains(got, truncMark) {
				t.Fatalf("truncated %v, %d bytes, valid %v; want truncated %v, at most %d valid bytes", resp.Truncated, len(got), utf8.ValidString(got), tt.truncated, limit)
			}
			if tt.wantLen > 0 && (len(got) < tt.wantLen-4 || len(got) > tt.wantLen) {
				t.Errorf("%d bytes kept; want about %d", len(got), tt.wantLen)
			}
			if resp.FinishReason != "length" || resp.CompletionTokens != 2 {
				t.Errorf("the rest of the response is lost: %+v", resp)
			}
		})
	}
}

func TestAbsurdBodiesRefused(t *testing.T) {
	const limit = 1000
	tests := []struct {
		name string
		body func(w io.Writer)
		want string
	}{
		{"endless string", func(w io.Writer) {
			io.WriteString(w, `{"choices":[{"message":{"content":"`)
			chunk := strings.Repeat("x", 64<<10)
			for range 1025 { // 64 MiB + 64 KiB: cut as it comes, then refused
				io.WriteString(w, chunk)
			}
		}, "larger than 64 MiB"},
		{"endless text", func(w io.Writer) {
			chunk := strings.Repeat("x", 32<<10)
			for range 10 {
				io.WriteString(w, chunk)
			}
		}, "more than 69 KiB of text"},
		{"thousands of answers", func(w io.Writer) {
			io.WriteString(w, `{"choices":[`)
			for i := range 5000 {
				if i > 0 {
					io.WriteString(w, ",")
				}
				fmt.Fprintf(w, `{"message":{"content":"%s"}}`, strings.Repeat("y", 900))
			}
			io.WriteString(w, `]}`)
		}, "more than"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, url := serve(t, func(w http.ResponseWriter, r *http.Request) { tt.body(w) })
			h, err := NewHTTP(HTTPConfig{Endpoint: url, MaxOutputBytes: limit})
			if err != nil {
				t.Fatal(err)
			}
			_, err = h.Complete(context.Background(), testReq)
			if err == nil || !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), "not an answer") || IsRetryable(err) {
				t.Fatalf("err = %v; want a final error with %q", err, tt.want)
			}
		})
	}
}

// Memory depends on the concurrency and the limit, not on what the server sends: four
// concurrent 50 MB answers, each cut to the default 1 MiB.
func TestLargeAnswersBoundedMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("sends 200 MB over loopback")
	}
	const answer, concurrency = 50 << 20, 4
	url := answerServer(t, answer, "abcdefgh", "content")
	h, err := NewHTTP(HTTPConfig{Endpoint: url})
	if err != nil {
		t.Fatal(err)
	}
	runtime.GC()
	var before runtime.MemStats
	runtime.ReadMemStats(&before)
	var peak atomic.Uint64
	stop := make(chan struct{})
	sampled := make(chan struct{})
	go func() {
		defer close(sampled)
		var m runtime.MemStats
		for {
			runtime.ReadMemStats(&m)
			if m.HeapInuse > peak.Load() {
				peak.Store(m.HeapInuse)
			}
			select {
			case <-stop:
				return
			case <-time.After(5 * time.Millisecond):
			}
		}
	}()
	var wg sync.WaitGroup
	errs := make([]error, concurrency)
	resps := make([]Response, concurrency)
	for i := range concurrency {
		wg.Go(func() { resps[i], errs[i] = h.Complete(context.Background(), testReq) })
	}
	wg.Wait()
	close(stop)
	<-sampled
	var after runtime.MemStats
	runtime.ReadMemStats(&after)
	for i := range concurrency {
		if errs[i] != nil || !resps[i].Truncated || len(resps[i].Text) != DefaultMaxOutputBytes {
			t.Fatalf("request %d: %v, truncated %v, %d bytes", i, errs[i], resps[i].Truncated, len(resps[i].Text))
		}
	}
	alloc := after.TotalAlloc - before.TotalAlloc
	growth := int64(peak.Load()) - int64(before.HeapInuse)
	t.Logf("%d × %d MiB answers: %.1f MiB allocated, heap in use grew by at most %.1f MiB", concurrency, answer>>20,
		float64(alloc)/(1<<20), float64(growth)/(1<<20))
	// Per request: the kept body (≤ 1 MiB of text, in a buffer that grows by doubling) and the
	// decoded text; far from the 50 MiB each server sent.
	if alloc > concurrency*16<<20 {
		t.Errorf("allocated %d MiB for %d answers; want under %d MiB", alloc>>20, concurrency, concurrency*16)
	}
	if growth > concurrency*16<<20 {
		t.Errorf("heap in use grew by %d MiB; want under %d MiB", growth>>20, concurrency*16)
	}
}

func TestConfigValidated(t *testing.T) {
	tests := []struct {
		cfg  HTTPConfig
		want string // "" for accepted
	}{
		{HTTPConfig{Endpoint: "http://h/v1"}, ""},
		{HTTPConfig{Endpoint: "http://h/v1", Timeout: -time.Second}, "timeout -1s is negative"},
		{HTTPConfig{Endpoint: "http://h/v1", MaxOutputBytes: -1}, "max output bytes -1 is negative"},
	}
	for _, tt := range tests {
		h, err := NewHTTP(tt.cfg)
		if tt.want == "" {
			if err != nil || h.timeout != DefaultTimeout || h.maxOutput != DefaultMaxOutputBytes {
				t.Errorf("%v: %v, timeout %v, max output %d; want the defaults", tt.cfg, err, h.timeout, h.maxOutput)
			}
			continue
		}
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%v: err = %v; want %q", tt.cfg, err, tt.want)
		}
	}
}

// modelsServer serves /v1/models with models (or the status given) and the chat requests with
// chat; it counts both.
type modelsServer struct {
	models     func(w http.ResponseWriter, r *http.Request)
	chat       step
	listed     atomic.Int32
	chatted    atomic.Int32
	authHeader atomic.Value
}

func (s *modelsServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.authHeader.Store(r.Header.Get("Authorization"))
	if r.Method == http.MethodGet && strings.HasSuffix(r.URL.Path, "/models") {
		s.listed.Add(1)
		s.models(w, r)
		return
	}
	s.chatted.Add(1)
	s.chat(w, r)
}

func listing(ids ...string) func(w http.ResponseWriter, r *http.Request) {
	return func(w http.ResponseWriter, r *http.Request) {
		var data []map[string]string
		for _, id := range ids {
			data = append(data, map[string]string{"id": id, "object": "model"})
		}
		json.NewEncoder(w).Encode(map[string]any{"object": "list", "data": data})
	}
}

func TestCheckModel(t *testing.T) {
	notFound := status(404, `{"error":{"message":"The model does not exist."}}`)
	tests := []struct {
		name          string
		models        func(w http.ResponseWriter, r *http.Request)
		chat          step
		err           string // "" for nil
		permanent     bool
		listed, asked int32 // requests each endpoint should see
	}{
		{"listed", listing("other", "m"), ok(), "", false, 1, 0},
		{"not listed, refused", listing("R1-Omni-7B", "MIGR-7B"), notFound, `does not serve this model id; it serves "R1-Omni-7B", "MIGR-7B"`, true, 1, 1},
		{"not listed, answers anyway (llama.cpp)", listing("/models/x.gguf"), ok(), "", false, 1, 1},
		{"no /models, answers", status(404, "not found"), ok(), "", false, 1, 1},
		{"no /models, model unknown", status(405, ""), notFound, "HTTP 404", true, 1, 1},
		{"no /models, probe rejected", status(501, ""), status(400, `{"error":{"message":"max_tokens too small"}}`), "HTTP 400", false, 1, 1},
		{"list unreadable, answers", status(200, "<html>"), ok(), "", false, 1, 1},
		{"list too large, answers", func(w http.ResponseWriter, r *http.Request) {
			io.WriteString(w, `{"data":[`)
			for i := range 200_000 {
				fmt.Fprintf(w, `{"id":"model-%d","object":"model","description":"a hosted model"},`, i)
			}
			io.WriteString(w, `{"id":"last"}]}`)
		}, ok(), "", false, 1, 1},
		{"bad key", status(401, `{"error":{"message":"Incorrect API key"}}`), ok(), "api_key_env", true, 1, 0},
		{"forbidden", status(403, ""), ok(), "access denied", true, 1, 0},
		{"rate limited", status(429, ""), ok(), "HTTP 429", false, 1, 0},
		{"server error", status(503, "loading"), ok(), "HTTP 503", false, 1, 0},
		{"quota", status(429, `{"error":{"type":"insufficient_quota","message":"quota"}}`), ok(), "quota is exhausted", true, 1, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := &modelsServer{models: tt.models, chat: tt.chat}
			ts := httptest.NewServer(s)
			t.Cleanup(ts.Close)
			h := newClient(t, ts.URL+"/v1", 0)
			err := h.CheckModel(context.Background(), "m")
			if s.listed.Load() != tt.listed || s.chatted.Load() != tt.asked {
				t.Errorf("%d GET /models and %d chat requests; want %d and %d", s.listed.Load(), s.chatted.Load(), tt.listed, tt.asked)
			}
			if got := s.authHeader.Load(); got != "Bearer "+secret {
				t.Errorf("Authorization %q", got)
			}
			if tt.err == "" {
				if err != nil {
					t.Fatalf("err = %v", err)
				}
				return
			}
			var pe *PreflightError
			if !errors.As(err, &pe) || !strings.Contains(err.Error(), tt.err) || pe.Permanent != tt.permanent {
				t.Fatalf("err = %v; want a *PreflightError with %q, permanent %v", err, tt.err, tt.permanent)
			}
			if IsPermanent(err) != tt.permanent || IsRetryable(err) == tt.permanent {
				t.Errorf("IsPermanent %v, IsRetryable %v; want %v and its opposite", IsPermanent(err), IsRetryable(err), tt.permanent)
			}
			if !strings.Contains(err.Error(), `model "m" at http://127.0.0.1:`) {
				t.Errorf("message %q does not name the model and endpoint", err)
			}
			if strings.Contains(err.Error(), secret) {
				t.Errorf("key in %q", err)
			}
		})
	}
}

// A stopped server, a server that does not answer, a TLS server not trusted, and a context
// ended: each reported within seconds, classified.
func TestCheckModelFailsFast(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	stopped := "http://" + ln.Addr().String() + "/v1"
	ln.Close()
	hanging := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { <-r.Context().Done() }))
	t.Cleanup(hanging.Close)
	tlsServer := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	t.Cleanup(tlsServer.Close)
	plain := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	t.Cleanup(plain.Close)
	canceled, cancel := context.WithCancel(context.Background())
	cancel()

	tests := []struct {
		name      string
		endpoint  string
		ctx       context.Context
		timeout   time.Duration
		want      string
		permanent bool
	}{
		{"stopped server", stopped, context.Background(), time.Minute, "connection refused", true},
		{"no answer", hanging.URL + "/v1", context.Background(), 300 * time.Millisecond, "no response within 300ms", false},
		{"certificate not trusted", tlsServer.URL + "/v1", context.Background(), time.Minute, "TLS certificate not accepted", true},
		{"https to a plain server", strings.Replace(plain.URL, "http:", "https:", 1) + "/v1", context.Background(), time.Minute, "does not speak TLS", true},
		{"context ended", hanging.URL + "/v1", canceled, time.Minute, "context canceled", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newClient(t, tt.endpoint, tt.timeout)
			start := time.Now()
			err := h.CheckModel(tt.ctx, "m")
			took := time.Since(start)
			var pe *PreflightError
			if !errors.As(err, &pe) || pe.Permanent != tt.permanent || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v; want permanent %v and %q", err, tt.permanent, tt.want)
			}
			if took > 5*time.Second { // seconds, not a run's retries; generous for loaded CI machines
				t.Errorf("took %v", took)
			}
		})
	}
	if !errors.Is(newClient(t, hanging.URL+"/v1", 0).CheckModel(canceled, "m"), context.Canceled) {
		t.Error("a context's end is not visible to errors.Is")
	}
}

// WithRetry, IsPermanent and CheckModel read one classification: no failure is both retried and
// permanent, and what WithRetry gives up on at once is what IsPermanent calls permanent.
func TestClassificationShared(t *testing.T) {
	tests := []struct {
		name  string
		step  step
		class Class
	}{
		{"400", status(400, ""), Permanent},
		{"401", status(401, ""), Permanent},
		{"403", status(403, ""), Permanent},
		{"404", status(404, ""), Permanent},
		{"408", status(408, ""), Transient},
		{"409", status(409, ""), Transient},
		{"422", status(422, ""), Permanent},
		{"425", status(425, ""), Transient},
		{"429", status(429, ""), Transient},
		{"429 quota", status(429, `{"error":{"code":"insufficient_quota"}}`), Permanent},
		{"500", status(500, ""), Transient},
		{"501", status(501, ""), Permanent},
		{"503", status(503, ""), Transient},
		{"505", status(505, ""), Permanent},
		{"error object 400 in 200", status(200, `{"error":{"message":"too long","code":400}}`), Permanent},
		{"error object 503 in 200", status(200, `{"error":{"message":"busy","code":503}}`), Transient},
		{"malformed", status(200, `{"choices":`), Transient},
		{"reset", resetConn(), Transient},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, url := serve(t, tt.step, tt.step)
			rec := &recorder{}
			_, err := WithRetry(newClient(t, url, 0), RetryPolicy{MaxRetries: 1, Sleep: rec.sleep}).Complete(context.Background(), testReq)
			if ClassOf(err) != tt.class {
				t.Fatalf("class %v; want %v (%v)", ClassOf(err), tt.class, err)
			}
			retried := s.n.Load() == 2
			if retried != tt.class.retryable() || IsPermanent(err) != (tt.class == Permanent) || IsPermanent(err) && IsRetryable(err) {
				t.Errorf("retried %v, IsPermanent %v, IsRetryable %v for class %v", retried, IsPermanent(err), IsRetryable(err), tt.class)
			}
		})
	}
	// Unreachable: retried during a run, fatal before it.
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	dead := "http://" + ln.Addr().String() + "/v1"
	ln.Close()
	rec := &recorder{}
	_, err := WithRetry(newClient(t, dead, 0), RetryPolicy{MaxRetries: 2, Sleep: rec.sleep}).Complete(context.Background(), testReq)
	if ClassOf(err) != Unreachable || len(rec.waits) != 2 || IsPermanent(err) {
		t.Errorf("refused connection: class %v, %d retries, permanent %v", ClassOf(err), len(rec.waits), IsPermanent(err))
	}
	// Errors made elsewhere are classed by their fields.
	for err, want := range map[error]Class{
		&Error{Msg: "x", Retryable: true}: Transient,
		&Error{Msg: "x"}:                  Permanent,
		errors.New("disk full"):           Other,
		context.Canceled:                  Canceled,
		fmt.Errorf("wrapped: %w", &Error{Msg: "x", Retryable: true}): Transient,
	} {
		if got := ClassOf(err); got != want {
			t.Errorf("ClassOf(%v) = %v; want %v", err, got, want)
		}
	}
}

func TestFailureWatch(t *testing.T) {
	e404 := newError(Permanent, 404, "HTTP 404", "HTTP 404 Not Found: model m")
	e400a := newError(Permanent, 400, "HTTP 400", "HTTP 400: cannot read file:///data/00001.mp4")
	e400b := newError(Permanent, 400, "HTTP 400", "HTTP 400: cannot read file:///data/00002.mp4")
	e401 := newError(Permanent, 401, "HTTP 401", "HTTP 401")
	e503 := newError(Transient, 503, "HTTP 503", "HTTP 503")
	refused := newError(Unreachable, 0, "connection refused", "connection refused")
	tests := []struct {
		name     string
		outcomes []error
		tripAt   int // 1-based outcome that trips; 0 for never
	}{
		{"all 404", []error{e404, e404, e404, e404}, 3},
		{"400s for different clips", []error{e400a, e400b, e400a}, 3},
		{"refused after retries", []error{refused, refused, refused}, 3},
		{"an answer first", []error{nil, e404, e404, e404}, 0},
		{"an answer among them", []error{e404, nil, e404, e404}, 0},
		{"different failures", []error{e404, e401, e404, e404}, 0},
		{"a transient failure", []error{e404, e503, e404, e404}, 0},
		{"cancellations do not count", []error{context.Canceled, e401, context.Canceled, e401, e401}, 5},
		{"wrapped by the retry layer", []error{withAttempts(e401, 1), withAttempts(e401, 1), e401}, 3},
		{"too few", []error{e404, e404}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := NewFailureWatch(3)
			trippedAt := 0
			for i, err := range tt.outcomes {
				if stop := w.Observe(err); stop != nil && trippedAt == 0 {
					trippedAt = i + 1
				}
			}
			if trippedAt != tt.tripAt {
				t.Fatalf("tripped at %d; want %d", trippedAt, tt.tripAt)
			}
			var rf *RepeatedFailureError
			if tt.tripAt > 0 && (!errors.As(w.Err(), &rf) || !IsPermanent(w.Err()) || IsRetryable(w.Err()) || !strings.Contains(w.Err().Error(), "first 3 requests")) {
				t.Errorf("Err() = %v", w.Err())
			}
			if tt.tripAt == 0 && w.Err() != nil {
				t.Errorf("Err() = %v without tripping", w.Err())
			}
		})
	}
	if NewFailureWatch(0).n != DefaultFailureWindow {
		t.Error("default window")
	}
}

// As a layer under concurrency: once tripped, queued requests are answered without a request.
func TestFailureWatchLayerStopsSpending(t *testing.T) {
	var n atomic.Int32
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n.Add(1)
		w.WriteHeader(404)
		io.WriteString(w, `{"error":{"message":"The model m does not exist."}}`)
	}))
	t.Cleanup(ts.Close)
	watch := NewFailureWatch(20)
	c := WithFailureWatch(WithRetry(newClient(t, ts.URL+"/v1", 0), DefaultRetryPolicy()), watch)
	var wg sync.WaitGroup
	sem := make(chan struct{}, 8)
	for range 500 {
		wg.Go(func() {
			sem <- struct{}{}
			defer func() { <-sem }()
			c.Complete(context.Background(), testReq)
		})
	}
	wg.Wait()
	if watch.Err() == nil || !strings.Contains(watch.Err().Error(), "HTTP 404") {
		t.Fatalf("Err() = %v", watch.Err())
	}
	if got := n.Load(); got > 20+8 {
		t.Errorf("the server saw %d requests; want at most the window and those in flight (28)", got)
	}
}

// A truncated answer stays marked when it comes from the cache.
func TestCacheKeepsTruncated(t *testing.T) {
	inner := ClientFunc(func(context.Context, Request) (Response, error) {
		return Response{Text: "cut", FinishReason: "length", Truncated: true}, nil
	})
	c := WithCache(inner, &memStore{}, "openai")
	c.Complete(context.Background(), testReq)
	r, err := c.Complete(context.Background(), testReq)
	if err != nil || !r.Cached || !r.Truncated {
		t.Fatalf("%+v, %v", r, err)
	}
}

// Whatever the body, the bounded reader keeps valid JSON valid, leaves JSON within the limits
// untouched, and keeps its output within the limits.
func FuzzBoundedBody(f *testing.F) {
	for _, s := range []string{
		okBody, `{"choices":[{"message":{"content":"\ud83d\ude00\n\"x\"\\"}}]}`, `"\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9"`,
		`["` + strings.Repeat("é", 40) + `"]`, `{"a":"\ud83d`, `"\`, "\x00\xff\"", `{"k":"` + strings.Repeat(`\n`, 30) + `"}`,
	} {
		f.Add([]byte(s), uint8(16))
	}
	f.Fuzz(func(t *testing.T, body []byte, limit uint8) {
		l := newBodyLimits(int(limit%64) + 1)
		out, err := readBody(strings.NewReader(string(body)), l)
		if err != nil {
			var tooLarge errBodyTooLarge
			if !errors.As(err, &tooLarge) {
				t.Fatalf("error %v", err)
			}
			return
		}
		if len(out) > l.out {
			t.Fatalf("%d bytes kept; the limit is %d", len(out), l.out)
		}
		if !json.Valid(body) {
			return
		}
		if !json.Valid(out) {
			t.Fatalf("valid JSON %q became invalid %q", body, out)
		}
		if !strings.Contains(string(out), truncMarkEsc) && string(out) != string(body) {
			t.Fatalf("JSON within the limits changed: %q → %q", body, out)
		}
		var v any
		json.Unmarshal(out, &v)
		var walk func(v any)
		walk = func(v any) {
			switch v := v.(type) {
			case string:
				if s, _ := bound(v, l.str); len(s) > l.str {
					t.Fatalf("string of %d bytes kept", len(s))
				}
				if n := len(strings.ReplaceAll(v, truncMark, "")); n > l.str+12 { // a character after a high surrogate is never cut
					t.Fatalf("string of %d decoded bytes passed the reader (limit %d)", n, l.str)
				}
			case []any:
				for _, e := range v {
					walk(e)
				}
			case map[string]any:
				for k, e := range v {
					walk(k)
					walk(e)
				}
			}
		}
		walk(v)
	})
}
