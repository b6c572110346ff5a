package backend

import (
	"context"

	"github.com/emoeval/emoeval/eval/chat"
)

// Preflight checks, before the first request of a run, that an endpoint answers and serves the
// model id. Shared by model backends and LLM judges.
func Preflight(ctx context.Context, h *chat.HTTP, model string) error {
	return h.CheckModel(ctx, model)
}
