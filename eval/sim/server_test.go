package sim

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/emoeval/emoeval/datasets"
	"github.com/emoeval/emoeval/eval/chat"
	"github.com/emoeval/emoeval/eval/parse"
	"github.com/emoeval/emoeval/eval/predictions"
	"github.com/emoeval/emoeval/eval/prompts"
)

func clipRequest(model, id, variant string, seed int64) chat.Request {
	var parts []chat.Part
	if variant != predictions.VariantAudio {
		parts = append(parts, chat.VideoURLPart("file:///data/dfew/clip/"+id+".mp4"))
	}
	if variant != predictions.VariantVideo {
		parts = append(parts, chat.AudioURLPart("file:///data/dfew/audio/"+id+".wav"))
	}
	parts = append(parts, chat.TextPart(prompts.R1Omni))
	temp := 0.3
	return chat.Request{Model: model, Messages: []chat.Message{{Role: "user", Content: parts}},
		Temperature: &temp, Seed: &seed}
}

func startTest(t *testing.T, s *Server, timeout time.Duration) *chat.HTTP {
	t.Helper()
	ts := httptest.NewServer(s.Handler())
	t.Cleanup(func() { s.Close(); ts.Close() })
	c, err := chat.NewHTTP(chat.HTTPConfig{Endpoint: ts.URL + "/v1", Timeout: timeout})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestHTTPAnswers(t *testing.T) {
	s := newTestServer(t, Config{Seed: 1})
	c := startTest(t, s, 0)
	ctx := context.Background()

	a, err := c.Complete(ctx, clipRequest("migr-sim", "00042", predictions.VariantAV, 0))
	if err != nil {
		t.Fatal(err)
	}
	b, err := c.Complete(ctx, clipRequest("migr-sim", "42", predictions.VariantAV, 0)) // same clip, other spelling
	if err != nil {
		t.Fatal(err)
	}
	if a.Text != b.Text || a.FinishReason == "" || a.CompletionTokens == 0 || a.PromptTokens < 2000 {
		t.Fatalf("answers %+v and %+v", a, b)
	}
	if !strings.Contains(a.Text, "<vis_desc>") || !strings.Contains(a.Text, "<answer>") {
		t.Fatalf("migr-style output expected:\n%s", a.Text)
	}
	// Variants and clip names in text.
	for _, v := range []string{predictions.VariantVideo, predictions.VariantAudio} {
		r, err := c.Complete(ctx, clipRequest("r1-omni-sim", "00042", v, 0))
		if err != nil || !strings.HasPrefix(r.Text, "<think>") {
			t.Fatalf("variant %s: %v\n%s", v, err, r.Text)
		}
	}
	r, err := c.Complete(ctx, chat.Request{Model: "r1-omni-sim", Messages: chat.UserText("clip_id: 00042\n" + prompts.R1Omni)})
	if err != nil || !strings.Contains(r.Text, "<answer>") {
		t.Fatalf("clip named in text: %v\n%s", err, r.Text)
	}

	st := s.Stats()
	if st.Requests != 5 || st.Completions != 5 {
		t.Errorf("stats %+v", st)
	}
	want := map[Key]int{
		{Model: "migr-sim", ClipID: "00042", Variant: predictions.VariantAV}:       2,
		{Model: "r1-omni-sim", ClipID: "00042", Variant: predictions.VariantVideo}: 1,
		{Model: "r1-omni-sim", ClipID: "00042", Variant: predictions.VariantAudio}: 1,
		{Model: "r1-omni-sim", ClipID: "00042", Variant: predictions.VariantAV}:    1,
	}
	for k, n := range want {
		if st.PerKey[k] != n {
			t.Errorf("PerKey[%+v] = %d, want %d (all: %v)", k, st.PerKey[k], n, st.PerKey)
		}
	}
}

func TestHTTPModelsAndErrors(t *testing.T) {
	s := newTestServer(t, Config{Seed: 1})
	ts := httptest.NewServer(s.Handler())
	defer ts.Close()

	resp, err := http.Get(ts.URL + "/v1/models")
	if err != nil {
		t.Fatal(err)
	}
	var list struct {
		Data []struct{ ID string } `json:"data"`
	}
	json.NewDecoder(resp.Body).Decode(&list)
	resp.Body.Close()
	var ids []string
	for _, d := range list.Data {
		ids = append(ids, d.ID)
	}
	if !slices.Equal(ids, []string{"r1-omni-sim", "migr-sim", "judge-sim"}) {
		t.Errorf("/v1/models lists %v", ids)
	}

	c, _ := chat.NewHTTP(chat.HTTPConfig{Endpoint: ts.URL + "/v1"})
	tests := []struct {
		name   string
		req    chat.Request
		status int
		want   string
	}{
		{"unknown model", clipRequest("gpt-5", "00001", predictions.VariantAV, 0), 404, "does not exist"},
		{"unknown clip", clipRequest("migr-sim", "99999", predictions.VariantAV, 0), 400, "not in the split"},
		{"no clip", chat.Request{Model: "migr-sim", Messages: chat.UserText(prompts.MIGR)}, 400, "names no clip"},
		{"two clips", chat.Request{Model: "migr-sim", Messages: []chat.Message{{Role: "user", Content: []chat.Part{
			chat.VideoURLPart("file:///a/00001.mp4"), chat.AudioURLPart("file:///a/00002.wav")}}}}, 400, "different clips"},
		{"judge without its prompt", chat.Request{Model: "judge-sim", Messages: chat.UserText("hello")}, 400, "migr-judge"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := c.Complete(context.Background(), tt.req)
			var ce *chat.Error
			if !errors.As(err, &ce) || ce.Status != tt.status || ce.Retryable || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v", err)
			}
		})
	}
	for _, raw := range []string{"{", `{"model":"migr-sim","messages":[{"role":"user","content":[{"type":"video_url"}]}]}`} {
		resp, err := http.Post(ts.URL+"/v1/chat/completions", "application/json", strings.NewReader(raw))
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 400 || !strings.Contains(string(body), `"error"`) {
			t.Errorf("body %q: %d %s", raw, resp.StatusCode, body)
		}
	}
	if resp, _ := http.Get(ts.URL + "/v2/other"); resp == nil || resp.StatusCode != 404 {
		t.Errorf("unknown route: %v", resp)
	}
}

func TestJudge(t *testing.T) {
	for _, ls := range []*datasets.LabelSet{datasets.DFEW(), datasets.MAFW()} {
		t.Run(ls.Name, func(t *testing.T) {
			counts := dfewFold5
			if ls.Name == "mafw" {
				counts = mafwFold5
			}
			s := newTestServer(t, Config{Seed: 9, Split: testSplit(ls, counts)})
			right, n := 0, 0
			for _, o := range runAll(t, s, "r1-omni-sim", predictions.VariantAV, 800) {
				if o.parsed.Reason == "" {
					continue
				}
				n++
				reply := s.judgeReply(ls.Labels, o.parsed.Reason)
				if !ls.Contains(reply) && !ls.Contains(strings.ToLower(strings.TrimSuffix(reply, "."))) {
					t.Fatalf("reply %q is not a label", reply)
				}
				if strings.ToLower(strings.TrimSuffix(reply, ".")) == o.explain {
					right++
				}
			}
			if got := float64(right) / float64(n); math.Abs(got-s.cfg.Judge.Accuracy) > 0.03 {
				t.Errorf("judge read %d of %d right (%.3f), profile accuracy %.2f", right, n, got, s.cfg.Judge.Accuracy)
			}
		})
	}
}

func TestJudgeOverHTTP(t *testing.T) {
	s := newTestServer(t, Config{Seed: 1, Judge: JudgeProfile{Name: "judge-sim", Accuracy: 1, Sloppy: 1}})
	c := startTest(t, s, 0)
	ctx := context.Background()
	p := parse.NewParser(s.labels, parse.ProtocolMigr)
	forms := map[string]bool{}
	for i := 1; i <= 40; i++ {
		out, err := c.Complete(ctx, clipRequest("r1-omni-sim", fmt.Sprintf("%05d", i), predictions.VariantAV, 0))
		if err != nil {
			t.Fatal(err)
		}
		o := p.Parse(out.Text)
		if o.Reason == "" {
			continue
		}
		r, err := c.Complete(ctx, chat.Request{Model: "judge-sim", Messages: chat.UserText(prompts.Judge(s.labels, o.Reason))})
		if err != nil {
			t.Fatal(err)
		}
		if s.labels.Contains(r.Text) {
			t.Fatalf("sloppy judge replied a bare label %q", r.Text)
		}
		if strings.HasSuffix(r.Text, ".") {
			forms["dot"] = true
		} else {
			forms["capital"] = true
		}
	}
	if len(forms) != 2 {
		t.Errorf("sloppy replies took forms %v, want both", forms)
	}
	if n := s.Stats().PerKey[Key{Model: "judge-sim", Variant: "judge"}]; n < 30 {
		t.Errorf("judge requests counted %d", n)
	}
}

func TestFaults(t *testing.T) {
	tests := []struct {
		name   string
		faults Faults
		status int
		want   string
	}{
		{"429", Faults{P429: 1, RetryAfter: 2 * time.Second}, 429, "429"},
		{"500", Faults{P500: 1}, 500, "500"},
		{"malformed", Faults{PMalformed: 1}, 200, "not valid JSON"},
		{"truncated", Faults{PTruncated: 1}, 0, "read response"},
		{"reset", Faults{PReset: 1}, 0, "send request"},
		{"hang", Faults{PHang: 1}, 0, "request timeout"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newTestServer(t, Config{Seed: 1, Faults: tt.faults})
			c := startTest(t, s, 200*time.Millisecond)
			_, err := c.Complete(context.Background(), clipRequest("migr-sim", "00001", predictions.VariantAV, 0))
			var ce *chat.Error
			if !errors.As(err, &ce) || !ce.Retryable || ce.Status != tt.status || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v (%+v)", err, ce)
			}
			if tt.name == "429" && ce.RetryAfter != 2*time.Second {
				t.Errorf("Retry-After read as %v", ce.RetryAfter)
			}
			if got := s.Stats().Faults[tt.name]; got != 1 {
				t.Errorf("fault counted %d times", got)
			}
		})
	}
}

func TestFaultsDeterministicPerAttempt(t *testing.T) {
	seq := func() string {
		s := newTestServer(t, Config{Seed: 1, Faults: Faults{P500: 0.5}})
		c := startTest(t, s, 0)
		var b strings.Builder
		for range 16 {
			if _, err := c.Complete(context.Background(), clipRequest("migr-sim", "00001", predictions.VariantAV, 0)); err != nil {
				b.WriteByte('x')
			} else {
				b.WriteByte('.')
			}
		}
		return b.String()
	}
	a, b := seq(), seq()
	if a != b || !strings.Contains(a, "x") || !strings.Contains(a, ".") {
		t.Errorf("fault sequences %q and %q: want equal and mixed", a, b)
	}
}

func TestLatencyAndStart(t *testing.T) {
	s := newTestServer(t, Config{Seed: 1, Faults: Faults{Latency: 30 * time.Millisecond, PHang: 0}})
	ctx, cancel := context.WithCancel(context.Background())
	url, stop, err := s.Start(ctx, "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer stop()
	c, _ := chat.NewHTTP(chat.HTTPConfig{Endpoint: url})
	r, err := c.Complete(context.Background(), clipRequest("migr-sim", "00001", predictions.VariantAV, 0))
	if err != nil || r.Latency < 30*time.Millisecond {
		t.Fatalf("latency %v, err %v", r.Latency, err)
	}
	cancel() // the server stops with its context
	deadline := time.Now().Add(5 * time.Second)
	for {
		_, err := c.Complete(context.Background(), clipRequest("migr-sim", "00001", predictions.VariantAV, 0))
		if err != nil {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("server still answering after its context ended")
		}
		time.Sleep(10 * time.Millisecond)
	}
	stop() // a second stop is harmless
}

func TestStopEndsHangingRequests(t *testing.T) {
	s := newTestServer(t, Config{Seed: 1, Faults: Faults{PHang: 1}})
	url, stop, err := s.Start(context.Background(), "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	c, _ := chat.NewHTTP(chat.HTTPConfig{Endpoint: url, Timeout: time.Minute})
	done := make(chan error, 1)
	go func() {
		_, err := c.Complete(context.Background(), clipRequest("migr-sim", "00001", predictions.VariantAV, 0))
		done <- err
	}()
	for s.Stats().Faults["hang"] == 0 {
		time.Sleep(5 * time.Millisecond)
	}
	stop()
	if err := <-done; err == nil {
		t.Fatal("a hanging request got an answer")
	}
}

func TestParseFaults(t *testing.T) {
	f, err := ParseFaults("latency=50ms, jitter=10ms,429=0.05,retry-after=1.5s,500=0.02,malformed=0.01,truncated=0.01,reset=0.01,hang=0.001,pad=64KiB")
	want := Faults{Latency: 50 * time.Millisecond, LatencyJitter: 10 * time.Millisecond, P429: 0.05,
		RetryAfter: 1500 * time.Millisecond, P500: 0.02, PMalformed: 0.01, PTruncated: 0.01, PReset: 0.01, PHang: 0.001, Pad: 64 << 10}
	if err != nil || f != want {
		t.Fatalf("ParseFaults = %+v, %v", f, err)
	}
	if f, err := ParseFaults(" "); err != nil || f != (Faults{}) {
		t.Errorf("empty spec: %+v %v", f, err)
	}
	for spec, want := range map[string]string{
		"latency":       "not key=value",
		"speed=3":       "unknown key",
		"429=2":         "not a probability",
		"latency=fast":  "latency=fast",
		"500=-0.1":      "not a probability",
		"hang=NaN":      "not a probability",
		"malformed=0.x": "malformed=0.x",
		"pad=2GiB":      "not a size",
		"pad=-1":        "not a size",
		"pad=lots":      "not a size",
	} {
		if _, err := ParseFaults(spec); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("ParseFaults(%q) = %v, want %q", spec, err, want)
		}
	}
}

func TestPadThink(t *testing.T) {
	for _, tc := range []struct {
		in   string
		n    int64
		want string
	}{
		{"<think>x</think><answer>sad</answer>", 0, "<think>x</think><answer>sad</answer>"},
		{"<think>x</think><answer>sad</answer>", 7, "<think>" + filler(7) + "x</think><answer>sad</answer>"},
		{"<answer>sad</answer>", 3, filler(3) + "<answer>sad</answer>"},
	} {
		if got := padThink(tc.in, tc.n); got != tc.want {
			t.Errorf("padThink(%q, %d) = %q, want %q", tc.in, tc.n, got, tc.want)
		}
	}
	if got := padThink("<think></think>", 1<<20); len(got) != 1<<20+len("<think></think>") {
		t.Errorf("1 MiB pad gives %d bytes", len(got))
	}
}

func TestConfigErrors(t *testing.T) {
	split := testSplit(datasets.DFEW(), []int{1, 1})
	m := DefaultModels()[0]
	tests := []struct {
		name string
		cfg  Config
		want string
	}{
		{"no split", Config{}, "split"},
		{"no name", Config{Split: split, Models: []ModelProfile{{Style: StyleMIGR}}}, "no name"},
		{"twice", Config{Split: split, Models: []ModelProfile{m, m}}, "twice"},
		{"style", Config{Split: split, Models: []ModelProfile{{Name: "x", Style: "gpt"}}}, "style"},
		{"policy", Config{Split: split, Models: []ModelProfile{{Name: "x", Style: StyleMIGR, OrderPolicy: "first"}}}, "order policy"},
		{"prob", Config{Split: split, Models: []ModelProfile{{Name: "x", Style: StyleMIGR, Accuracy: 1.5}}}, "accuracy"},
		{"judge clash", Config{Split: split, Models: []ModelProfile{m}, Judge: JudgeProfile{Name: m.Name}}, "judge name"},
		{"fault sum", Config{Split: split, Faults: Faults{P429: 0.6, P500: 0.6}}, "add up"},
		{"bad label", Config{Split: &datasets.Split{Labels: datasets.DFEW(), Clips: []datasets.Clip{{ClipID: "1", Label: "joy"}}}}, "joy"},
	}
	for _, tt := range tests {
		if _, err := NewServer(tt.cfg); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: err = %v, want %q", tt.name, err, tt.want)
		}
	}
}
