// Package llm is the LLM judge: an OpenAI-compatible model reads each explanation and names the
// emotion it supports, with the MIGR authors' prompt by default (docs/reference.md §4).
//
// Under the migr protocol a reply is used only when it is exactly a label word; anything else
// (including an API error, which the authors' client turns into the string "None") becomes
// neutral, as in the authors' code, and is counted as a fallback. Under robust the reply is
// normalised, and an unusable one is unknown: nothing is silently turned into an emotion.
package llm

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync/atomic"

	"golang.org/x/sync/errgroup"

	"github.com/emoeval/emoeval/datasets"
	"github.com/emoeval/emoeval/eval/chat"
	"github.com/emoeval/emoeval/eval/parse"
	"github.com/emoeval/emoeval/eval/prompts"
	"github.com/emoeval/emoeval/judges"
)

// Config configures an LLM judge.
type Config struct {
	Name     string
	Model    string // the model id at the endpoint, e.g. gpt-4.1-mini
	Labels   *datasets.LabelSet
	Protocol parse.Protocol
	// Template is the prompt: "" or "migr-judge" for the authors' prompt, else a template text
	// in which {labels} is replaced by the comma-separated labels and {reason} by the explanation.
	Template string
	// Temperature nil leaves the provider's default, as the authors did.
	Temperature *float64
	// Votes > 1 asks that many times (distinct cache entries) and takes the majority.
	Votes int
	// Concurrency is the number of requests in flight.
	Concurrency int
}

// Judge is an LLM judge. It is safe for concurrent use.
type Judge struct {
	cfg    Config
	client chat.Client
}

// New returns an LLM judge that sends its requests through client (wrap it in the retry, rate
// limit and cache layers of package chat).
func New(cfg Config, client chat.Client) (*Judge, error) {
	if cfg.Labels == nil {
		return nil, errors.New("llm judge: no label set")
	}
	if cfg.Model == "" {
		return nil, fmt.Errorf("llm judge %s: no model id", cfg.Name)
	}
	if cfg.Votes < 1 {
		cfg.Votes = 1
	}
	if cfg.Votes%2 == 0 {
		return nil, fmt.Errorf("llm judge %s: votes must be odd, got %d", cfg.Name, cfg.Votes)
	}
	if cfg.Concurrency < 1 {
		cfg.Concurrency = 1
	}
	if cfg.Template != "" && cfg.Template != prompts.NameJudge && !strings.Contains(cfg.Template, "{reason}") {
		return nil, fmt.Errorf("llm judge %s: the prompt template has no {reason} placeholder", cfg.Name)
	}
	return &Judge{cfg: cfg, client: client}, nil
}

// Name is the judge's name.
func (j *Judge) Name() string { return j.cfg.Name }

// Prompt is the text sent for one explanation.
func (j *Judge) Prompt(reason string) string {
	if j.cfg.Template == "" || j.cfg.Template == prompts.NameJudge {
		return prompts.Judge(j.cfg.Labels, reason)
	}
	return strings.NewReplacer("{labels}", strings.Join(j.cfg.Labels.Labels, ", "), "{reason}", reason).Replace(j.cfg.Template)
}

// Judge judges the items concurrently. Failed requests are recorded per item; the error return
// is only the context's.
func (j *Judge) Judge(ctx context.Context, items []judges.Item) ([]judges.Judgment, error) {
	out := make([]judges.Judgment, len(items))
	replies := make([][]vote, len(items))
	for i := range replies {
		replies[i] = make([]vote, j.cfg.Votes)
	}
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(j.cfg.Concurrency)
	// An item is done when its last vote is in.
	pending := make([]atomic.Int32, len(items))
	for i := range pending {
		pending[i].Store(int32(j.cfg.Votes))
	}
	for i, it := range items {
		for v := 0; v < j.cfg.Votes; v++ {
			g.Go(func() error {
				if gctx.Err() != nil {
					return gctx.Err()
				}
				req := chat.Request{
					Model:       j.cfg.Model,
					Messages:    chat.UserText(j.Prompt(it.Text)),
					Temperature: j.cfg.Temperature,
					SampleIndex: v,
				}
				resp, err := j.client.Complete(gctx, req)
				if err != nil && ctx.Err() != nil {
					return ctx.Err()
				}
				replies[i][v] = vote{reply: resp.Text, err: err}
				if pending[i].Add(-1) == 0 {
					judges.ItemDone(ctx)
				}
				return nil
			})
		}
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	for i, it := range items {
		out[i] = j.decide(it, replies[i])
	}
	return out, nil
}

type vote struct {
	reply string
	err   error
}

// decide maps the votes of one item to a judgment.
func (j *Judge) decide(it judges.Item, votes []vote) judges.Judgment {
	jd := judges.Judgment{Judge: j.cfg.Name, Model: it.Model, ClipID: it.ClipID}
	var (
		emotions  []string
		raws      []string
		errs      []string
		fallbacks int
		norms     []string
	)
	supported := false // does a successful vote name the chosen emotion?
	for _, v := range votes {
		if v.err != nil {
			errs = append(errs, v.err.Error())
		}
		raws = append(raws, v.reply)
		e, fb, n := j.readReply(v)
		emotions = append(emotions, e)
		if fb {
			fallbacks++
		}
		norms = append(norms, n...)
	}
	jd.Emotion = majority(emotions)
	for i, v := range votes {
		if v.err == nil && emotions[i] == jd.Emotion {
			supported = true
		}
	}
	jd.Fallback = fallbacks > len(votes)/2
	jd.ReplyRaw = strings.Join(raws, "\n")
	// A failed vote spoils the judgment only when no successful vote carries the majority;
	// otherwise it is counted as a normalisation ("failed_votes").
	if len(errs) > 0 {
		if supported {
			norms = append(norms, "failed_votes")
		} else {
			jd.Error = strings.Join(errs, "; ")
		}
	}
	jd.Normalized = strings.Join(dedupe(norms), ",")
	return jd
}

// readReply applies the protocol to one reply: the emotion, whether the migr fallback was used,
// and the robust normalisations.
func (j *Judge) readReply(v vote) (emotion string, fallback bool, norms []string) {
	if j.cfg.Protocol == parse.ProtocolMigr {
		// The authors' client returns "None" on an error; the check is exact: no case folding,
		// no trimming.
		if v.err == nil && j.cfg.Labels.Contains(v.reply) {
			return v.reply, false, nil
		}
		return neutralOf(j.cfg.Labels), true, nil
	}
	if v.err != nil {
		return datasets.Unknown, false, nil
	}
	label, n := parse.RobustLabel(j.cfg.Labels, v.reply)
	return label, false, n
}

// neutralOf is the fallback label: "neutral" in DFEW and MAFW; for a custom set without one,
// unknown (there is nothing faithful to fall back to).
func neutralOf(ls *datasets.LabelSet) string {
	if ls.Contains("neutral") {
		return "neutral"
	}
	return datasets.Unknown
}

// majority returns the most frequent emotion; a tie goes to the one that reached the top count
// first, so the result does not depend on map order.
func majority(es []string) string {
	counts := map[string]int{}
	best, bestN := datasets.Unknown, 0
	for _, e := range es {
		counts[e]++
		if counts[e] > bestN {
			best, bestN = e, counts[e]
		}
	}
	return best
}

func dedupe(s []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, x := range s {
		if !seen[x] {
			seen[x] = true
			out = append(out, x)
		}
	}
	return out
}
