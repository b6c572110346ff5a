package backend

import (
	"fmt"
	"net/http"
	"time"

	"github.com/emoeval/emoeval/eval/chat"
	"github.com/emoeval/emoeval/eval/config"
	"github.com/emoeval/emoeval/internal/redact"
)

// ClientSpec is what a chat client stack needs: the server, the key's variable and the layers'
// settings. Model backends and LLM judges share it.
type ClientSpec struct {
	Endpoint   string
	APIKeyEnv  string
	Timeout    time.Duration
	MaxRetries int
	RPS        float64
	// MaxOutputBytes bounds one answer (0: chat.DefaultMaxOutputBytes); longer ones are cut and
	// marked truncated.
	MaxOutputBytes int
	// Namespace separates the cache entries of different callers: "model:<name>" or
	// "judge:<name>". Two models that a server knows by the same id (two checkpoints both
	// served as "model") must not share answers; the endpoint is left out so that a moved
	// server keeps its cache.
	Namespace string
}

// NewClient builds the layered client: stats (outermost, to see cache hits and retries), cache,
// retry, rate limit (inside retry, so that every attempt is paced), HTTP. The API key is read
// from the environment here and goes only into the HTTP layer.
func NewClient(spec ClientSpec, env config.Env, hc *http.Client, store chat.Store, stats *chat.Stats) (chat.Client, *chat.HTTP, error) {
	key := ""
	if spec.APIKeyEnv != "" {
		v, ok := env(spec.APIKeyEnv)
		if redact.LooksLikeSecret(spec.APIKeyEnv) {
			return nil, nil, fmt.Errorf("api_key_env holds what looks like a key itself (not shown): name the environment variable that holds it")
		}
		if !ok || v == "" {
			return nil, nil, fmt.Errorf("environment variable %s is not set", spec.APIKeyEnv)
		}
		key = v
	}
	h, err := chat.NewHTTP(chat.HTTPConfig{Endpoint: spec.Endpoint, APIKey: key, HTTPClient: hc, Timeout: spec.Timeout,
		MaxOutputBytes: spec.MaxOutputBytes})
	if err != nil {
		return nil, nil, err
	}
	var c chat.Client = h
	if spec.RPS > 0 {
		c = chat.WithRateLimit(c, spec.RPS, max(1, int(spec.RPS)))
	}
	policy := chat.DefaultRetryPolicy()
	policy.MaxRetries = spec.MaxRetries
	c = chat.WithRetry(c, policy)
	if store != nil {
		c = chat.WithCache(c, store, spec.Namespace)
	}
	if stats != nil {
		c = chat.WithStats(c, stats)
	}
	return c, h, nil
}
