// Package sim is a simulated OpenAI-compatible server: R1-Omni-style and MIGR-style emotion
// models and a judge, answering POST /v1/chat/completions deterministically for a seed, with
// fault injection. It drives the demo, the tests and the benchmarks through the real HTTP path.
//
// A model request names its clip by the file name of a video_url or audio_url part
// (file:///data/dfew/clip/00001.mp4 is clip 00001), or, without media, by a text part
// containing "clip_id: 00001". Its variant is the set of media parts: video and audio ("av"),
// video only or audio only ("av" when the clip is named in text). The answer is determined by
// (seed, model, clip, variant, sample), the sample being the request's seed (0 when absent); the
// temperature changes only the wording.
package sim

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"net"
	"net/http"
	"net/url"
	"path"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/emoeval/emoeval/datasets"
	"github.com/emoeval/emoeval/eval/chat"
	"github.com/emoeval/emoeval/eval/predictions"
	"github.com/emoeval/emoeval/eval/prompts"
)

// Server is a simulated model server. It is safe for concurrent use.
type Server struct {
	cfg        Config
	labels     *datasets.LabelSet
	clips      map[string]*datasets.Clip // by NormalizeID
	models     map[string]*ModelProfile
	classScale map[string]float64    // per label, so that expected WAR equals Accuracy
	index      map[string][]fragment // by leadWords

	mu       sync.Mutex
	attempts map[[32]byte]int // times each request body was seen
	stats    Stats

	quit     chan struct{} // closed by Close: hanging requests end
	quitOnce sync.Once
}

// Key identifies the requests of one model × clip × variant × sample; Sample is the request's
// seed (0 without one). Judge requests count under the judge's name with Variant "judge" and no
// clip.
type Key struct {
	Model, ClipID, Variant string
	Sample                 int64
}

// Stats counts what the server saw.
type Stats struct {
	Requests    int            // POST /v1/chat/completions
	Completions int            // answered with a completion
	Faults      map[string]int // injected faults by kind: 429, 500, malformed, truncated, reset, hang
	PerKey      map[Key]int    // requests (faulted ones included) per model × clip × variant × sample
}

// NewServer checks cfg and returns a server. The split must not change while it runs.
func NewServer(cfg Config) (*Server, error) {
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	cfg.Models = slices.Clone(cfg.Models)
	if cfg.Faults.RetryAfter == 0 {
		cfg.Faults.RetryAfter = time.Second
	}
	s := &Server{cfg: cfg, labels: cfg.Split.Labels, clips: map[string]*datasets.Clip{},
		models: map[string]*ModelProfile{}, classScale: map[string]float64{},
		attempts: map[[32]byte]int{}, quit: make(chan struct{}),
		stats: Stats{Faults: map[string]int{}, PerKey: map[Key]int{}}}
	for i := range cfg.Split.Clips {
		c := &cfg.Split.Clips[i]
		if !s.labels.Contains(c.Label) {
			return nil, fmt.Errorf("sim: clip %s has label %q, not in label set %s", c.ClipID, c.Label, s.labels.Name)
		}
		s.clips[datasets.NormalizeID(c.ClipID)] = c
	}
	for i := range s.cfg.Models {
		s.models[s.cfg.Models[i].Name] = &s.cfg.Models[i]
	}
	// Class difficulty, renormalised over the split's class counts.
	mean := 0.0
	for _, c := range cfg.Split.Clips {
		mean += difficulty(c.Label)
	}
	mean /= float64(len(cfg.Split.Clips))
	for _, l := range s.labels.Labels {
		s.classScale[l] = difficulty(l) / mean
	}
	s.buildIndex()
	return s, nil
}

func difficulty(label string) float64 {
	if d, ok := classDifficulty[concept(label)]; ok {
		return d
	}
	return 1
}

// Stats returns a copy of the counters.
func (s *Server) Stats() Stats {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := s.stats
	out.Faults = maps.Clone(s.stats.Faults)
	out.PerKey = maps.Clone(s.stats.PerKey)
	return out
}

// Close ends requests that hang (fault "hang"); the handler keeps answering others.
func (s *Server) Close() { s.quitOnce.Do(func() { close(s.quit) }) }

// Handler serves GET /v1/models and POST /v1/chat/completions.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /v1/models", s.listModels)
	mux.HandleFunc("POST /v1/chat/completions", s.complete)
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		writeError(w, http.StatusNotFound, "NotFoundError", "sim: no route "+r.Method+" "+r.URL.Path+": use GET /v1/models or POST /v1/chat/completions")
	})
	return mux
}

// Start serves on addr (e.g. "127.0.0.1:0") until stop is called or ctx ends, and returns the
// base URL to give clients (http://127.0.0.1:PORT/v1).
func (s *Server) Start(ctx context.Context, addr string) (string, func(), error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return "", nil, fmt.Errorf("sim: listen on %s: %w", addr, err)
	}
	srv := &http.Server{Handler: s.Handler(), ReadHeaderTimeout: 10 * time.Second}
	// Connections opened but not yet used do not count as idle for Shutdown until they are 5 s
	// old; stop closes them itself so that it returns at once.
	var mu sync.Mutex
	fresh := map[net.Conn]bool{}
	srv.ConnState = func(c net.Conn, st http.ConnState) {
		mu.Lock()
		defer mu.Unlock()
		if st == http.StateNew {
			fresh[c] = true
		} else {
			delete(fresh, c)
		}
	}
	go srv.Serve(ln)
	var once sync.Once
	stop := func() {
		once.Do(func() {
			s.Close()
			ln.Close()
			mu.Lock()
			for c := range fresh {
				c.Close()
			}
			mu.Unlock()
			sctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
			defer cancel()
			if srv.Shutdown(sctx) != nil {
				srv.Close()
			}
		})
	}
	context.AfterFunc(ctx, stop)
	return "http://" + ln.Addr().String() + "/v1", stop, nil
}

func (s *Server) listModels(w http.ResponseWriter, _ *http.Request) {
	type model struct {
		ID      string `json:"id"`
		Object  string `json:"object"`
		OwnedBy string `json:"owned_by"`
	}
	var data []model
	for _, m := range s.cfg.Models {
		data = append(data, model{m.Name, "model", "emoeval-sim"})
	}
	if s.cfg.Judge.Name != "" {
		data = append(data, model{s.cfg.Judge.Name, "model", "emoeval-sim"})
	}
	writeJSON(w, http.StatusOK, map[string]any{"object": "list", "data": data})
}

// task is a parsed request.
type task struct {
	model   *ModelProfile // nil for the judge
	clip    *datasets.Clip
	variant string
	sample  int64
	labels  []string // judge
	reason  string   // judge
}

func (s *Server) complete(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(io.LimitReader(r.Body, 16<<20))
	if err != nil {
		return // the client went away
	}
	s.mu.Lock()
	s.stats.Requests++
	s.mu.Unlock()
	req, err := chat.UnmarshalRequest(body)
	if err != nil {
		writeError(w, http.StatusBadRequest, "BadRequestError", "sim: "+err.Error())
		return
	}
	t, status, err := s.parseTask(req)
	if err != nil {
		kind := "BadRequestError"
		if status == http.StatusNotFound {
			kind = "NotFoundError"
		}
		writeError(w, status, kind, err.Error())
		return
	}
	key := Key{Model: req.Model, Variant: "judge", Sample: t.sample}
	if t.model != nil {
		key = Key{Model: req.Model, ClipID: t.clip.ClipID, Variant: t.variant, Sample: t.sample}
	}
	sum := sha256.Sum256(body)
	s.mu.Lock()
	attempt := s.attempts[sum]
	s.attempts[sum]++
	s.stats.PerKey[key]++
	s.mu.Unlock()

	fault := s.fault(sum, attempt)
	if fault == "429" {
		s.countFault(fault)
		w.Header().Set("Retry-After", retryAfter(s.cfg.Faults.RetryAfter))
		writeError(w, http.StatusTooManyRequests, "RateLimitError", "sim: too many requests (injected)")
		return
	}
	if !s.wait(r.Context(), sum, attempt) {
		return
	}
	switch fault {
	case "500":
		s.countFault(fault)
		writeError(w, http.StatusInternalServerError, "InternalServerError", "sim: internal error (injected)")
		return
	case "malformed":
		s.countFault(fault)
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusOK)
		io.WriteString(w, `{"id":"chatcmpl-sim","object":"chat.completion","choices":[{"index":0,"message":{"role":"assistant","content":"<think>`)
		return
	case "reset":
		s.countFault(fault)
		reset(w)
		return
	case "hang":
		s.countFault(fault)
		select {
		case <-r.Context().Done():
		case <-s.quit:
		}
		return
	}

	text, finish := s.answer(t, req)
	resp := s.response(req, text, finish)
	if fault == "truncated" {
		s.countFault(fault)
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Content-Length", strconv.Itoa(len(resp)))
		w.WriteHeader(http.StatusOK)
		w.Write(resp[:len(resp)/2]) // the server closes the connection: the length was promised
		return
	}
	s.mu.Lock()
	s.stats.Completions++
	s.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Length", strconv.Itoa(len(resp)))
	w.WriteHeader(http.StatusOK)
	w.Write(resp)
}

var clipIDText = regexp.MustCompile(`clip_id:\s*([^\s,;]+)`)

// parseTask finds the model, and the clip and variant or the judge's prompt.
func (s *Server) parseTask(req chat.Request) (task, int, error) {
	var t task
	if req.Seed != nil {
		t.sample = *req.Seed
	}
	var text strings.Builder
	var media []chat.Part
	for _, m := range req.Messages {
		for _, p := range m.Content {
			switch p.Type {
			case chat.PartText:
				text.WriteString(p.Text)
			case chat.PartVideoURL, chat.PartAudioURL, chat.PartInputAudio:
				media = append(media, p)
			}
		}
	}
	if req.Model == s.cfg.Judge.Name && s.cfg.Judge.Name != "" {
		labels, reason, ok := prompts.ParseJudge(text.String())
		if !ok {
			return t, http.StatusBadRequest, fmt.Errorf("sim: judge %s answers only the migr-judge prompt (%q…)", req.Model, prompts.JudgePrefix)
		}
		t.labels, t.reason = labels, reason
		return t, 0, nil
	}
	m, ok := s.models[req.Model]
	if !ok {
		return t, http.StatusNotFound, fmt.Errorf("The model `%s` does not exist.", req.Model)
	}
	t.model = m
	var video, audio bool
	id := ""
	for _, p := range media {
		if p.Type == chat.PartVideoURL {
			video = true
		} else {
			audio = true
		}
		pid := clipFromURL(p.URL)
		if pid == "" {
			return t, http.StatusBadRequest, fmt.Errorf("sim: cannot tell the clip from a %s part: name the clip file in the URL (…/00001.mp4)", p.Type)
		}
		if id != "" && pid != id {
			return t, http.StatusBadRequest, fmt.Errorf("sim: media parts name different clips (%s and %s)", id, pid)
		}
		id = pid
	}
	switch {
	case video && audio, len(media) == 0:
		t.variant = predictions.VariantAV
	case video:
		t.variant = predictions.VariantVideo
	default:
		t.variant = predictions.VariantAudio
	}
	if id == "" {
		if m := clipIDText.FindStringSubmatch(text.String()); m != nil {
			id = datasets.NormalizeID(m[1])
		}
	}
	if id == "" {
		return t, http.StatusBadRequest, fmt.Errorf("sim: the request names no clip: send a video_url or audio_url part, or a text part \"clip_id: <id>\"")
	}
	if t.clip = s.clips[id]; t.clip == nil {
		return t, http.StatusBadRequest, fmt.Errorf("sim: clip %s is not in the split", id)
	}
	return t, 0, nil
}

// clipFromURL returns the normalised clip id of a media URL: its file name without extension.
func clipFromURL(raw string) string {
	if strings.HasPrefix(raw, "data:") {
		return ""
	}
	p := raw
	if u, err := url.Parse(raw); err == nil {
		p = u.Path
	}
	base := path.Base(p)
	if base == "." || base == "/" {
		return ""
	}
	if i := strings.IndexByte(base, '.'); i > 0 {
		base = base[:i]
	}
	return datasets.NormalizeID(base)
}

// answer produces the completion text and finish reason.
func (s *Server) answer(t task, req chat.Request) (string, string) {
	if t.model == nil {
		return s.judgeReply(t.labels, t.reason), "stop"
	}
	temperature := 1.0
	if req.Temperature != nil {
		temperature = *req.Temperature
	}
	d := s.decide(t.model, t.clip, t.variant, t.sample)
	out := s.compose(t.model, t.clip, t.variant, t.sample, temperature, d)
	key := datasets.NormalizeID(t.clip.ClipID) + "\x00" + t.variant + "\x00" + itoa(t.sample)
	text, finish := s.finish(t.model, key, out, req.MaxTokens)
	return padThink(text, s.cfg.Faults.Pad), finish
}

// filler is n bytes of words in a pseudo-random order, so that the padding compresses about as
// well as real text does, not a thousandfold.
func filler(n int64) string {
	words := strings.Fields("the a face voice frown smile tense calm eyes brows mouth tone low high " +
		"slowly quickly looks sounds seems scene light dark hands still moving speaks quietly loudly " +
		"perhaps clearly slightly background music camera close shot turns away toward")
	var b strings.Builder
	b.Grow(int(n) + 16)
	x := uint64(n) | 1
	for int64(b.Len()) < n {
		x ^= x << 13
		x ^= x >> 7
		x ^= x << 17
		b.WriteString(words[x%uint64(len(words))])
		b.WriteByte(' ')
	}
	return b.String()[:n]
}

// padThink puts n bytes of filler at the start of the think section (or of the answer, when it
// has none).
func padThink(text string, n int64) string {
	if n <= 0 {
		return text
	}
	pad := filler(n)
	if i := strings.Index(text, "<think>"); i >= 0 {
		i += len("<think>")
		return text[:i] + pad + text[i:]
	}
	return pad + text
}

func (s *Server) response(req chat.Request, text, finish string) []byte {
	prompt := 0
	for _, m := range req.Messages {
		for _, p := range m.Content {
			switch p.Type {
			case chat.PartText:
				prompt += tokens(p.Text)
			case chat.PartVideoURL:
				prompt += 1536
			default:
				prompt += 512
			}
		}
	}
	type message struct {
		Role    string `json:"role"`
		Content string `json:"content"`
	}
	type choice struct {
		Index        int     `json:"index"`
		Message      message `json:"message"`
		FinishReason string  `json:"finish_reason"`
	}
	type usage struct {
		PromptTokens     int `json:"prompt_tokens"`
		CompletionTokens int `json:"completion_tokens"`
		TotalTokens      int `json:"total_tokens"`
	}
	sum := sha256.Sum256([]byte(text))
	b, _ := json.Marshal(struct {
		ID      string   `json:"id"`
		Object  string   `json:"object"`
		Created int64    `json:"created"`
		Model   string   `json:"model"`
		Choices []choice `json:"choices"`
		Usage   usage    `json:"usage"`
	}{fmt.Sprintf("chatcmpl-sim-%x", sum[:8]), "chat.completion", time.Now().Unix(), req.Model,
		[]choice{{0, message{"assistant", text}, finish}},
		usage{prompt, tokens(text), prompt + tokens(text)}})
	return b
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	b, _ := json.Marshal(v)
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	w.Write(b)
}

func writeError(w http.ResponseWriter, status int, kind, msg string) {
	writeJSON(w, status, map[string]any{"error": map[string]any{"message": msg, "type": kind, "code": status}})
}
