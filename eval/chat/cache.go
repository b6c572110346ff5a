package chat

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"hash"
	"io"
	"math"
	"time"
)

// keyVersion changes when the key encoding changes, so that old entries are simply not found.
const keyVersion = "emoeval.chat/v1"

// Key returns the cache key of a request: the hex SHA-256 of a canonical encoding of the
// namespace (e.g. the backend kind, "openai", or "judge") and of everything in the request that
// changes the answer: model id, messages (roles, prompt text, media URLs, inline audio),
// temperature, top_p, max tokens, seed and sample index. Media are identified by URL, not
// content. The endpoint and the API key are deliberately absent: the same model behind another
// address gives the same answers, and secrets never reach the cache.
func Key(namespace string, req Request) string {
	// Length-prefixed fields: no two different requests encode alike, whatever bytes they hold.
	var e keyEncoder
	e.h = sha256.New()
	e.str(keyVersion)
	e.str(namespace)
	e.str(req.Model)
	e.uint(uint64(len(req.Messages)))
	for _, m := range req.Messages {
		e.str(m.Role)
		e.uint(uint64(len(m.Content)))
		for _, p := range m.Content {
			e.str(p.Type)
			e.str(p.Text)
			e.str(p.URL)
			e.str(p.Data)
			e.str(p.Format)
		}
	}
	e.optFloat(req.Temperature)
	e.optFloat(req.TopP)
	e.uint(uint64(int64(req.MaxTokens)))
	if req.Seed == nil {
		e.uint(0)
	} else {
		e.uint(1)
		e.uint(uint64(*req.Seed))
	}
	e.uint(uint64(int64(req.SampleIndex)))
	return hex.EncodeToString(e.h.Sum(nil))
}

type keyEncoder struct {
	h   hash.Hash
	buf [binary.MaxVarintLen64]byte
}

func (e *keyEncoder) uint(v uint64) {
	e.h.Write(e.buf[:binary.PutUvarint(e.buf[:], v)])
}

func (e *keyEncoder) str(s string) {
	e.uint(uint64(len(s)))
	io.WriteString(e.h, s)
}

func (e *keyEncoder) optFloat(f *float64) {
	if f == nil {
		e.uint(0)
		return
	}
	v := *f
	if v == 0 {
		v = 0 // -0 and 0 sample alike
	}
	e.uint(1)
	e.uint(math.Float64bits(v))
}

// meta describes a cache entry in JSON: namespace, model, sample index and media URLs.
func meta(namespace string, req Request) string {
	m := struct {
		NS     string   `json:"ns"`
		Model  string   `json:"model"`
		Sample int      `json:"sample"`
		Media  []string `json:"media,omitempty"`
	}{NS: namespace, Model: req.Model, Sample: req.SampleIndex}
	for _, msg := range req.Messages {
		for _, p := range msg.Content {
			if p.URL != "" {
				m.Media = append(m.Media, p.URL)
			}
		}
	}
	b, _ := json.Marshal(m)
	return string(b)
}

// cachedResponse is the stored form of a Response.
type cachedResponse struct {
	Text             string `json:"text"`
	Reasoning        string `json:"reasoning,omitempty"`
	FinishReason     string `json:"finish_reason"`
	PromptTokens     int    `json:"prompt_tokens"`
	CompletionTokens int    `json:"completion_tokens"`
	Attempts         int    `json:"attempts"`
	LatencyMS        int64  `json:"latency_ms"`
	Truncated        bool   `json:"truncated,omitempty"`
}

type cached struct {
	next      Client
	store     Store
	namespace string
}

// WithCache answers a request from store when its Key is there (Cached set, no request made),
// and otherwise calls c and stores the response before returning it. Errors are not stored. A
// stored value that does not decode, or that holds an aborted generation, is treated as missing
// and overwritten. When storing fails, the response is returned together with the error.
func WithCache(c Client, store Store, namespace string) Client {
	return &cached{next: c, store: store, namespace: namespace}
}

func (c *cached) Complete(ctx context.Context, req Request) (Response, error) {
	key := Key(c.namespace, req)
	data, ok, err := c.store.Get(ctx, key)
	if err != nil {
		return Response{}, fmt.Errorf("read response cache: %w", err)
	}
	if ok {
		var cr cachedResponse
		// An aborted generation stored before such responses became errors is not an answer.
		if json.Unmarshal(data, &cr) == nil && !aborted(cr.FinishReason) {
			return Response{Text: cr.Text, Reasoning: cr.Reasoning, FinishReason: cr.FinishReason, PromptTokens: cr.PromptTokens,
				CompletionTokens: cr.CompletionTokens, Attempts: cr.Attempts,
				Latency: time.Duration(cr.LatencyMS) * time.Millisecond, Cached: true, Truncated: cr.Truncated}, nil
		}
	}
	resp, err := c.next.Complete(ctx, req)
	if err != nil {
		return Response{}, err
	}
	data, err = json.Marshal(cachedResponse{Text: resp.Text, Reasoning: resp.Reasoning, FinishReason: resp.FinishReason,
		PromptTokens: resp.PromptTokens, CompletionTokens: resp.CompletionTokens,
		Attempts: resp.Attempts, LatencyMS: resp.Latency.Milliseconds(), Truncated: resp.Truncated})
	if err == nil {
		// The response is paid for: store it even when the caller is being cancelled.
		putCtx := context.WithoutCancel(ctx)
		if ms, ok := c.store.(MetaStore); ok {
			err = ms.PutMeta(putCtx, key, data, meta(c.namespace, req))
		} else {
			err = c.store.Put(putCtx, key, data)
		}
	}
	if err != nil {
		return resp, fmt.Errorf("store response in cache: %w", err)
	}
	return resp, nil
}
