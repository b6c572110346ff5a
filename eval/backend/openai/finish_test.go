package openai

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/emoeval/emoeval/eval/chat"
	"github.com/emoeval/emoeval/eval/predictions"
)

// The finish reason reaches the Result; a generation the server aborted is an error, not a Result.
func TestFinishReason(t *testing.T) {
	for _, tt := range []struct {
		reason  string
		wantErr bool
	}{
		{"stop", false},
		{"length", false}, // cut at max_tokens: still the model's answer
		{"abort", true},
		{"error", true},
	} {
		t.Run(tt.reason, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				fmt.Fprintf(w, `{"choices":[{"message":{"content":"<think>The face"},"finish_reason":%q}]}`, tt.reason)
			}))
			defer srv.Close()
			h, err := chat.NewHTTP(chat.HTTPConfig{Endpoint: srv.URL + "/v1"})
			if err != nil {
				t.Fatal(err)
			}
			b, _ := New(Options{Name: "m", Model: "x", Prompt: "migr"}, h)
			res, err := b.Ask(context.Background(), clip, predictions.VariantAV, 0)
			if tt.wantErr {
				if err == nil || !chat.IsRetryable(err) || res.Raw != "" {
					t.Fatalf("res %+v, err %v; want a retryable error", res, err)
				}
				return
			}
			if err != nil || res.FinishReason != tt.reason || res.Raw != "<think>The face" {
				t.Fatalf("res %+v, err %v; want finish reason %q", res, err, tt.reason)
			}
		})
	}
}
