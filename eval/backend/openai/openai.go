// Package openai is the model backend for OpenAI-compatible servers (vLLM, SGLang, llama.cpp
// server, …): one chat completion per clip, variant and sample, with the clip's media passed as
// video_url and audio_url content parts for the variant's modalities.
package openai

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/emoeval/emoeval/datasets"
	"github.com/emoeval/emoeval/eval/chat"
	"github.com/emoeval/emoeval/eval/prompts"
	"github.com/emoeval/emoeval/eval/runner"
	"github.com/emoeval/emoeval/eval/variant"
	"github.com/emoeval/emoeval/internal/inputerr"
)

// DefaultTemperature is the authors' sampling temperature.
const DefaultTemperature = 0.3

// Options configure a backend made directly (Kind opens one from a configuration block).
type Options struct {
	Name  string // the model's name in the run
	Model string // the model id the server knows
	// Prompt is a built-in prompt name ("r1-omni", "migr") or the prompt text itself (Kind reads
	// prompt files).
	Prompt      string
	Temperature *float64          // nil: DefaultTemperature
	MaxTokens   int               // 0: the server's default
	Variants    []variant.Variant // nil: [av]
	// Seed, when set, is sent as Seed+sampleIndex, so that servers that honour seeds give each
	// sample its own reproducible draw.
	Seed *int64
}

// Backend predicts with one model on one server. It is safe for concurrent use.
type Backend struct {
	cfg    Options
	prompt string
	client chat.Client
}

// Result is one raw model output.
type Result struct {
	Raw      string
	Attempts int           // HTTP requests made (retries included); from the cache, those first made
	Latency  time.Duration // from the first attempt to the answer
	Cached   bool
	// FinishReason is the server's finish_reason: "stop", or "length" for a generation cut at
	// max_tokens (still scored); aborted generations are errors, never Results.
	FinishReason string
	// Truncated says the answer was longer than the client's size limit and was cut there.
	Truncated bool
}

// New returns a backend that sends its requests through client (usually a chat.NewHTTP client
// wrapped in the rate-limit, retry and cache layers).
func New(cfg Options, client chat.Client) (*Backend, error) {
	if cfg.Name == "" || cfg.Model == "" {
		return nil, fmt.Errorf("openai backend: name and model are required")
	}
	if client == nil {
		return nil, fmt.Errorf("openai backend %s: no client", cfg.Name)
	}
	prompt, ok := prompts.Model(cfg.Prompt)
	if !ok {
		prompt = cfg.Prompt
	}
	if strings.TrimSpace(prompt) == "" {
		return nil, &inputerr.Error{Key: "prompt", Msg: fmt.Sprintf("model %s has no prompt: give %s, or a prompt file", cfg.Name, strings.Join(prompts.ModelNames(), ", "))}
	}
	if cfg.Temperature == nil {
		t := DefaultTemperature
		cfg.Temperature = &t
	}
	if len(cfg.Variants) == 0 {
		cfg.Variants = []variant.Variant{variant.AV}
	}
	for i, v := range cfg.Variants {
		if _, err := variant.Parse(string(v)); err != nil {
			return nil, &inputerr.Error{Key: "variants", Msg: fmt.Sprintf("model %s: %v", cfg.Name, err)}
		}
		if slices.Contains(cfg.Variants[:i], v) {
			return nil, &inputerr.Error{Key: "variants", Msg: fmt.Sprintf("model %s: variant %q listed twice", cfg.Name, v)}
		}
	}
	cfg.Variants = slices.Clone(cfg.Variants)
	return &Backend{cfg: cfg, prompt: prompt, client: client}, nil
}

// Name is the model's name in the run.
func (b *Backend) Name() string { return b.cfg.Name }

// Variants are the configured variants.
func (b *Backend) Variants() []variant.Variant { return slices.Clone(b.cfg.Variants) }

// Check reports, before any request, clips that lack a media path a configured variant needs.
func (b *Backend) Check(clips []datasets.Clip) error {
	var video, audio bool
	for _, v := range b.cfg.Variants {
		nv, na := v.Sees()
		video, audio = video || nv, audio || na
	}
	var errs []error
	for _, m := range []struct {
		need   bool
		column string
		path   func(datasets.Clip) string
	}{
		{video, "video_path", func(c datasets.Clip) string { return c.VideoPath }},
		{audio, "audio_path", func(c datasets.Clip) string { return c.AudioPath }},
	} {
		if !m.need {
			continue
		}
		var missing []string
		for _, c := range clips {
			if m.path(c) == "" {
				missing = append(missing, c.ClipID)
			}
		}
		if len(missing) == 0 {
			continue
		}
		shown := strings.Join(missing[:min(len(missing), 5)], ", ")
		if len(missing) > 5 {
			shown += ", …"
		}
		errs = append(errs, &inputerr.Error{Key: m.column, Msg: fmt.Sprintf(
			"model %s (variants %s) needs %s, which %d of %d clips lack (%s): import the split with --media-root, or drop the variants that need it",
			b.cfg.Name, strings.Join(variant.Strings(b.cfg.Variants), ", "), m.column, len(missing), len(clips), shown)})
	}
	return errors.Join(errs...)
}

// Request builds the chat request for a clip, variant and sample.
func (b *Backend) Request(clip datasets.Clip, v variant.Variant, sampleIndex int) (chat.Request, error) {
	if !slices.Contains(b.cfg.Variants, v) {
		return chat.Request{}, fmt.Errorf("model %s: variant %q is not configured (%s)", b.cfg.Name, v, strings.Join(variant.Strings(b.cfg.Variants), ", "))
	}
	video, audio := v.Sees()
	var parts []chat.Part
	if video {
		u, err := mediaURL(clip.VideoPath)
		if err != nil {
			return chat.Request{}, fmt.Errorf("model %s clip %s: video_path: %w", b.cfg.Name, clip.ClipID, err)
		}
		parts = append(parts, chat.VideoURLPart(u))
	}
	if audio {
		u, err := mediaURL(clip.AudioPath)
		if err != nil {
			return chat.Request{}, fmt.Errorf("model %s clip %s: audio_path: %w", b.cfg.Name, clip.ClipID, err)
		}
		parts = append(parts, chat.AudioURLPart(u))
	}
	parts = append(parts, chat.TextPart(b.prompt))
	req := chat.Request{Model: b.cfg.Model, Messages: []chat.Message{{Role: "user", Content: parts}},
		Temperature: b.cfg.Temperature, MaxTokens: b.cfg.MaxTokens, SampleIndex: sampleIndex}
	if b.cfg.Seed != nil {
		s := *b.cfg.Seed + int64(sampleIndex)
		req.Seed = &s
	}
	return req, nil
}

// Ask asks the model about one clip. On failure the Result still carries the attempts made.
func (b *Backend) Ask(ctx context.Context, clip datasets.Clip, v variant.Variant, sampleIndex int) (Result, error) {
	req, err := b.Request(clip, v, sampleIndex)
	if err != nil {
		return Result{}, err
	}
	resp, err := b.client.Complete(ctx, req)
	if err != nil {
		return Result{Attempts: chat.AttemptsOf(err)}, fmt.Errorf("model %s clip %s variant %s: %w", b.cfg.Name, clip.ClipID, v, err)
	}
	return Result{Raw: rawOutput(resp), Attempts: resp.Attempts, Latency: resp.Latency, Cached: resp.Cached,
		FinishReason: resp.FinishReason, Truncated: resp.Truncated}, nil
}

var _ runner.Backend = (*Backend)(nil)

// Predict runs the runner's tasks, one request each (the runner sends batches of one).
func (b *Backend) Predict(ctx context.Context, tasks []runner.Task) ([]runner.Result, error) {
	out := make([]runner.Result, len(tasks))
	for i, t := range tasks {
		r, err := b.Ask(ctx, t.Clip, t.Variant, t.SampleIndex)
		out[i] = runner.Result{Raw: r.Raw, Attempts: r.Attempts, Latency: r.Latency, Cached: r.Cached, FinishReason: r.FinishReason,
			Truncated: r.Truncated, Err: err}
	}
	return out, nil
}

// rawOutput is the model's whole output. A server with a reasoning parser returns the reasoning
// apart from the content; it is put back in <think> tags, where the model wrote it, so that the
// output parses and is judged as the model's own.
func rawOutput(resp chat.Response) string {
	if resp.Reasoning == "" || strings.Contains(resp.Text, "<think>") {
		return resp.Text
	}
	return "<think>" + resp.Reasoning + "</think>" + resp.Text
}

// mediaURL turns a media path into a URL: URLs pass unchanged, local paths become absolute
// file:// URLs (vLLM reads them under --allowed-local-media-path).
func mediaURL(p string) (string, error) {
	if p == "" {
		return "", fmt.Errorf("missing (Check reports this before any request)")
	}
	if strings.Contains(p, "://") || strings.HasPrefix(p, "data:") {
		return p, nil
	}
	abs, err := filepath.Abs(p)
	if err != nil {
		return "", err
	}
	return (&url.URL{Scheme: "file", Path: filepath.ToSlash(abs)}).String(), nil
}
