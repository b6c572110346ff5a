// Package chat is an OpenAI-compatible chat-completions client built from small layers, each a
// Client wrapping a Client:
//
//	h, err := chat.NewHTTP(cfg)            // one HTTP request per call, with a per-request timeout
//	c := chat.WithRateLimit(h, rps, burst) // every attempt waits for a token
//	c = chat.WithRetry(c, policy)          // backoff with jitter on retryable errors, Retry-After honoured
//	c = chat.WithCache(c, store, "openai") // answered from the store when the same request was seen
//	c = chat.WithStats(c, &stats)          // counters for progress displays
//
// Model backends and LLM judges share it. The API key is sent as a Bearer token and never appears
// in an error message, a cache key or a String form of the configuration; error messages are
// also cleared of every other credential form (internal/redact), since servers echo requests.
// What one answer may hold in memory is bounded (HTTPConfig.MaxOutputBytes), whatever the server
// sends. Before a run, HTTP.CheckModel finds a wrong endpoint, key or model id in seconds; during
// it, FailureWatch stops a model whose first requests all fail the same permanent way.
package chat

import (
	"context"
	"time"
)

// Part types, as vLLM accepts them in a message's content array.
const (
	PartText       = "text"
	PartVideoURL   = "video_url"
	PartAudioURL   = "audio_url"
	PartInputAudio = "input_audio"
)

// Request is one chat completion to make.
type Request struct {
	Model       string
	Messages    []Message
	Temperature *float64 // nil: the server's default
	TopP        *float64 // nil: the server's default
	MaxTokens   int      // 0: the server's default
	Seed        *int64   // nil: not sent
	// SampleIndex tells repeated samples of one prompt apart. It is part of the cache key and is
	// never sent; a backend that wants per-sample seeds puts them in Seed.
	SampleIndex int
}

// Message is one chat message.
type Message struct {
	Role    string // "system", "user" or "assistant"
	Content []Part
}

// Part is one piece of a message's content.
type Part struct {
	Type   string // PartText, PartVideoURL, PartAudioURL or PartInputAudio
	Text   string // PartText
	URL    string // PartVideoURL, PartAudioURL: http(s)://, file:// or data: URL
	Data   string // PartInputAudio: base64-encoded audio
	Format string // PartInputAudio: "wav", "mp3", …
}

// TextPart returns a text content part.
func TextPart(s string) Part { return Part{Type: PartText, Text: s} }

// VideoURLPart returns a video_url content part.
func VideoURLPart(url string) Part { return Part{Type: PartVideoURL, URL: url} }

// AudioURLPart returns an audio_url content part.
func AudioURLPart(url string) Part { return Part{Type: PartAudioURL, URL: url} }

// UserText returns a request's messages for a single user message of plain text.
func UserText(s string) []Message {
	return []Message{{Role: "user", Content: []Part{TextPart(s)}}}
}

// Response is a completion.
type Response struct {
	Text string
	// Reasoning is the reasoning a server returned apart from Text (vLLM's reasoning_content
	// when it runs a reasoning parser, which moves the <think> text out of content).
	Reasoning        string
	FinishReason     string // "stop", "length", … as the server says
	PromptTokens     int
	CompletionTokens int
	// Attempts is the number of HTTP requests made for this response (retries included); for a
	// cached response, the number made when it was first obtained.
	Attempts int
	// Latency is the time from the first attempt to the response, backoff waits included; for a
	// cached response, the latency recorded when it was first obtained.
	Latency time.Duration
	Cached  bool // answered from the cache, without a request
	// Truncated says that Text or Reasoning was longer than the HTTP client's MaxOutputBytes and
	// was cut to it (at a character boundary). The caller records it with the sample: the
	// answer scored is not all the model said.
	Truncated bool
}

// Client makes chat completions. Implementations are safe for concurrent use.
type Client interface {
	Complete(ctx context.Context, req Request) (Response, error)
}

// ClientFunc adapts a function to a Client.
type ClientFunc func(ctx context.Context, req Request) (Response, error)

// Complete calls f.
func (f ClientFunc) Complete(ctx context.Context, req Request) (Response, error) { return f(ctx, req) }

// Store keeps cached responses by key. eval/cache implements it on SQLite; Put must be durable
// when it returns.
type Store interface {
	Get(ctx context.Context, key string) (value []byte, ok bool, err error)
	Put(ctx context.Context, key string, value []byte) error
}

// MetaStore is a Store that also keeps a short description of each entry. WithCache uses it
// when the store has it (eval/cache does), so that a person inspecting the cache file sees
// which namespace, model, sample and media each entry answers.
type MetaStore interface {
	Store
	PutMeta(ctx context.Context, key string, value []byte, meta string) error
}
