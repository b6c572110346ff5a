package pipeline

import (
	"context"
	"fmt"
	"maps"
	"net/http"
	"os"
	"slices"
	"time"

	"github.com/emoeval/emoeval/datasets"
	"github.com/emoeval/emoeval/eval/chat"
	"github.com/emoeval/emoeval/eval/config"
	"github.com/emoeval/emoeval/eval/parse"
	"github.com/emoeval/emoeval/internal/inputerr"
	"github.com/emoeval/emoeval/judges/classifier"
	"github.com/emoeval/emoeval/judges/lexicon"
	"github.com/emoeval/emoeval/judges/llm"
	"github.com/emoeval/emoeval/judges/replay"
)

// judgeDeps are what judges that call out need.
type judgeDeps struct {
	Labels   *datasets.LabelSet
	Protocol parse.Protocol
	Env      Env
	HTTP     *http.Client
	Store    chat.Store  // response cache; nil for none
	Stats    *chat.Stats // request counters; nil for none
	Logf     func(format string, args ...any)
}

// closeJudges releases what judges hold (ONNX sessions).
func closeJudges(specs []JudgeSpec) {
	for _, s := range specs {
		if c, ok := s.Judge.(interface{ Close() error }); ok {
			c.Close()
		}
	}
}

// buildJudges turns configured judges into judge specs. Replay judges yield one spec per model.
// On error it returns the judges built so far, for closeJudges.
func buildJudges(ctx context.Context, cfgs []config.Judge, d judgeDeps) ([]JudgeSpec, error) {
	var out []JudgeSpec
	for _, c := range cfgs {
		specs, err := buildJudge(ctx, c, d)
		if err != nil {
			return out, fmt.Errorf("judge %s: %w", c.Name, err) // the judges built so far, to close
		}
		out = append(out, specs...)
	}
	return out, nil
}

func buildJudge(ctx context.Context, c config.Judge, d judgeDeps) ([]JudgeSpec, error) {
	if err := parse.CheckInput(c.Input); err != nil {
		return nil, err
	}
	spec := JudgeSpec{Kind: c.Kind, Input: c.Input}
	switch c.Kind {
	case "lexicon":
		spec.Judge = lexicon.New(d.Labels, lexicon.WithName(c.Name))
	case "llm":
		tmpl := c.Prompt
		if tmpl != "" && tmpl != "migr-judge" {
			b, err := os.ReadFile(tmpl)
			if err != nil {
				return nil, inputerr.Wrap(tmpl, err)
			}
			tmpl = string(b)
		}
		retries := 8
		if c.MaxRetries != nil {
			retries = *c.MaxRetries
		}
		client, err := newClient(clientSpec{
			Endpoint: c.Endpoint, APIKeyEnv: c.APIKeyEnv, Timeout: time.Duration(c.Timeout),
			MaxRetries: retries, RPS: c.RPS, Namespace: "judge:" + c.Name,
		}, d.Env, d.HTTP, d.Store, d.Stats)
		if err != nil {
			return nil, err
		}
		j, err := llm.New(llm.Config{
			Name: c.Name, Model: c.Model, Labels: d.Labels, Protocol: d.Protocol, Template: tmpl,
			Temperature: c.Temperature, Votes: c.Votes, Concurrency: c.Concurrency,
		}, client)
		if err != nil {
			return nil, err
		}
		spec.Judge, spec.ModelID = j, c.Model
	case "classifier":
		j, err := classifier.New(ctx, classifier.Config{
			Name: c.Name, ModelPath: c.Path, TokenizerPath: c.Tokenizer, LabelMap: c.LabelMap,
			Threshold: c.Threshold, Labels: d.Labels, Input: c.Input, Device: c.Device, Logf: d.Logf,
		})
		if err != nil {
			return nil, err
		}
		spec.Judge = j
	case "replay":
		var out []JudgeSpec
		for _, model := range slices.Sorted(maps.Keys(c.Replies)) {
			path, format, err := replay.FormatOf(c.Replies[model])
			if err != nil {
				return nil, err
			}
			if c.Format != "" {
				format = c.Format
			}
			j, err := replay.New(c.Name, path, format, d.Labels, d.Protocol, model)
			if err != nil {
				return nil, err
			}
			out = append(out, JudgeSpec{Judge: j, Kind: c.Kind, Input: c.Input, Model: model})
		}
		return out, nil
	default:
		return nil, fmt.Errorf("unknown judge kind %q", c.Kind)
	}
	return []JudgeSpec{spec}, nil
}
