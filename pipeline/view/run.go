// Package view serves a run directory as local web pages: the headline numbers, each linked to
// the samples it counts, a filtered table of every sample, one clip's outputs side by side with
// the judges' readings, and a blind annotation flow that writes human labels to human.parquet.
//
// Everything a model or judge wrote is untrusted text: pages are html/template (contextual
// escaping), bidirectional-override characters are shown as visible marks, and the only files
// served are the embedded assets and the media files the run's split names for its clips.
package view

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"

	"github.com/emoeval/emoeval/datasets"
	"github.com/emoeval/emoeval/eval/parse"
	"github.com/emoeval/emoeval/internal/inputerr"
	"github.com/emoeval/emoeval/metrics"
	"github.com/emoeval/emoeval/pipeline"
)

// Run is a finished run directory, loaded for viewing.
type Run struct {
	Dir      string
	Manifest *pipeline.Manifest
	Summary  *metrics.Summary
	Labels   *datasets.LabelSet
	Protocol parse.Protocol
	Index    *Index
	// Media serves the clips' media files; nil when the split cannot be read (MediaNote says why).
	Media     *Media
	MediaNote string
}

// Load reads a run directory: its manifest, summary and rows, and the split its manifest names
// (for media paths). A run that has not finished, or files that do not read, are input errors.
func Load(ctx context.Context, dir string) (*Run, error) {
	m, err := pipeline.ReadManifest(dir)
	if err != nil {
		return nil, err
	}
	if m.Finished.IsZero() {
		return nil, inputerr.New(dir, "the run has not finished: run it again to finish it, then view it")
	}
	s, err := pipeline.ReadSummary(filepath.Join(dir, pipeline.SummaryFile))
	if err != nil {
		return nil, err
	}
	protocol, err := parse.ParseProtocol(s.Protocol)
	if err != nil {
		return nil, inputerr.New(filepath.Join(dir, pipeline.SummaryFile), "%v", err)
	}
	if len(s.Labels) == 0 {
		return nil, inputerr.New(filepath.Join(dir, pipeline.SummaryFile), "the summary lists no labels")
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	rows, err := pipeline.ReadRows(dir)
	if err != nil {
		return nil, err
	}
	labels := &datasets.LabelSet{Name: s.Dataset, Labels: s.Labels}
	r := &Run{Dir: dir, Manifest: m, Summary: s, Labels: labels, Protocol: protocol}
	r.Index = newIndex(protocol, labels, s.ModelOrder, s.Judges, summaryJudged(s), rows.Predictions, rows.Judgments)
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	r.Media, r.MediaNote = openMedia(m, labels)
	return r, nil
}

// summaryJudged says whether a summary holds a judge's quarter table for a model.
func summaryJudged(s *metrics.Summary) func(model, judge string) bool {
	return func(model, judge string) bool {
		ms := s.Models[model]
		return ms != nil && ms.Reliability[judge] != nil
	}
}

// openMedia reads the split a run was made from, for its clips' media paths.
func openMedia(m *pipeline.Manifest, labels *datasets.LabelSet) (*Media, string) {
	i := slices.IndexFunc(m.Inputs, func(in pipeline.InputFile) bool { return in.Role == "split" })
	if i < 0 {
		return nil, "the manifest names no split file"
	}
	in := m.Inputs[i]
	split, err := datasets.ReadSplit(in.Path, datasets.WithLabelSet(labels), datasets.Lenient())
	if err != nil {
		return nil, fmt.Sprintf("media not served: the split %s does not read: %v", in.Path, err)
	}
	note := ""
	if sum, _, err := pipeline.FileSHA256(in.Path); err == nil && sum != in.SHA256 {
		note = fmt.Sprintf("the split %s has changed since the run (sha256 %.12s…, the run read %.12s…): media paths are today's", in.Path, sum, in.SHA256)
	}
	return NewMedia(split.Clips), note
}
