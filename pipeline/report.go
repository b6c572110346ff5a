package pipeline

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/emoeval/emoeval/datasets"
	"github.com/emoeval/emoeval/eval/parse"
	"github.com/emoeval/emoeval/eval/predictions"
	"github.com/emoeval/emoeval/internal/inputerr"
	"github.com/emoeval/emoeval/internal/lockfile"
	"github.com/emoeval/emoeval/judges"
	"github.com/emoeval/emoeval/metrics"
	"github.com/emoeval/emoeval/reports"
	"github.com/emoeval/emoeval/reports/pdf"
)

// ReportOptions configure a rendering.
type ReportOptions struct {
	Formats []string `json:"formats"`
	// Reference adds the published numbers (docs/reference.md §7) to the recognition table.
	Reference bool `json:"reference"`
	// Examples is the number of correct-but-inconsistent explanations per model in the PDF.
	Examples int `json:"examples"`
	// Logf reports what rendering did besides rendering (nil: nothing).
	Logf func(format string, args ...any) `json:"-"`
}

// ReadSummary reads summary.json.
func ReadSummary(path string) (*metrics.Summary, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, inputerr.Wrap(path, err)
	}
	var s metrics.Summary
	if err := json.Unmarshal(data, &s); err != nil {
		return nil, inputerr.New(path, "not a valid summary: %v", err)
	}
	if s.Schema != metrics.SummarySchema {
		return nil, inputerr.New(path, "summary schema %q, want %q", s.Schema, metrics.SummarySchema)
	}
	return &s, nil
}

// RenderReport renders a run directory's report/ from its files, without calling any model.
// When human.parquet changed since the summary was computed, the stored rows are scored again
// first, so that the judge-corrected rates hold every answer. The new report replaces the old
// one only when complete; formats not asked for stay. It holds the run directory's lock while
// it writes.
func RenderReport(ctx context.Context, dir string, opts ReportOptions) ([]string, error) {
	if err := reports.CheckFormats(opts.Formats); err != nil {
		return nil, err
	}
	if _, err := ReadManifest(dir); err != nil {
		return nil, finishedErr(dir, err)
	}
	lock, err := lockfile.Acquire(dir, time.Now())
	if err != nil {
		return nil, inputerr.Wrap("", err)
	}
	defer lock.Release()
	removeStale(dir)
	m, err := ReadManifest(dir)
	if err != nil {
		return nil, finishedErr(dir, err)
	}
	if !m.Finished.IsZero() {
		logf := opts.Logf
		if logf == nil {
			logf = func(string, ...any) {}
		}
		if _, err := refreshAnnotations(dir, m, logf); err != nil {
			return nil, err
		}
	}
	return renderReport(ctx, dir, opts)
}

// finishedErr explains a run directory without a finished run's manifest.
func finishedErr(dir string, err error) error {
	if _, perr := readManifestFile(dir, PartialManifestFile); perr == nil {
		return inputerr.New(dir, "the run has not finished (it was interrupted or is still going): run it again to finish it, then report")
	}
	return err
}

// renderReport renders the report of a run directory whose lock the caller holds.
func renderReport(ctx context.Context, dir string, opts ReportOptions) ([]string, error) {
	m, err := ReadManifest(dir)
	if err != nil {
		return nil, finishedErr(dir, err)
	}
	if m.Finished.IsZero() {
		return nil, inputerr.New(dir, "the run has not finished (it was interrupted or is still going): run it again to finish it, then report")
	}
	s, err := ReadSummary(filepath.Join(dir, SummaryFile))
	if err != nil {
		return nil, err
	}
	examples, err := findExamples(dir, s, max(opts.Examples, 0))
	if err != nil {
		return nil, err
	}
	return reports.Render(ctx, filepath.Join(dir, ReportDir), reports.Input{Summary: s, Meta: pdfMeta(m), Examples: examples,
		Reference: opts.Reference, Formats: opts.Formats, Title: "emoeval: " + m.Name})
}

func pdfMeta(m *Manifest) pdf.Meta {
	meta := pdf.Meta{RunName: m.Name, Date: m.Finished, ToolVersion: m.ToolVersion, Command: m.Command}
	for _, in := range m.Inputs {
		switch {
		case in.Role == "split":
			meta.DatasetFile, meta.DatasetSHA256 = in.Path, in.SHA256
		case in.Role == AnnotationsRole || strings.HasPrefix(in.Role, "human:"):
			if meta.HumanLabels != "" {
				meta.HumanLabels += "; "
			}
			meta.HumanLabels += fmt.Sprintf("%s (sha256 %.12s…)", in.Path, in.SHA256)
		}
	}
	for _, mo := range m.Models {
		meta.Models = append(meta.Models, pdf.ModelInfo{Name: mo.Name, Backend: mo.Backend, ModelID: mo.Model, Endpoint: mo.Endpoint,
			Path: mo.Path, RunsOn: mo.Placement.String()})
	}
	for _, j := range m.Judges {
		d := j.Name + " (" + j.Kind
		if j.Model != "" {
			d += ", " + j.Model
		}
		if on := j.Placement.String(); on != "" {
			d += ", on " + on
		}
		meta.Judges = append(meta.Judges, d+", input "+j.Input+")")
	}
	return meta
}

// findExamples picks, per model, the first n samples (in clip order) whose prediction is right
// but whose explanation a judge reads as another emotion. The first judge of the summary that
// judged a model is used for it. Both files are streamed and only the candidates kept, so the
// memory is not that of every answer a run holds.
func findExamples(dir string, s *metrics.Summary, n int) ([]pdf.Example, error) {
	if n == 0 || len(s.Judges) == 0 {
		return nil, nil
	}
	jpath := filepath.Join(dir, JudgmentsFile)
	if _, err := os.Stat(jpath); err != nil {
		return nil, nil
	}
	judgeOf := map[string]string{} // model → the judge its examples are read with
	for _, model := range s.ModelOrder {
		for _, j := range s.Judges {
			if ms := s.Models[model]; ms != nil && ms.Reliability[j] != nil {
				judgeOf[model] = j
				break
			}
		}
	}
	type key struct{ model, clip string }
	type reading struct {
		emotion string
		failed  bool
	}
	readings := map[key]reading{}
	err := judges.ScanJudgments(jpath, func(batch []judges.Judgment, _ int) error {
		for _, j := range batch {
			if judgeOf[j.Model] == j.Judge {
				readings[key{strings.Clone(j.Model), strings.Clone(j.ClipID)}] = reading{strings.Clone(j.Emotion), j.Error != ""}
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	labels := &datasets.LabelSet{Name: s.Dataset, Labels: s.Labels}
	picked := map[string][]pdf.Example{} // model → at most n, sorted by clip id, ties in file order
	err = predictions.ScanPredictions(filepath.Join(dir, PredictionsFile), func(batch []predictions.Prediction, _ int) error {
		for _, p := range batch {
			judge := judgeOf[p.Model]
			if judge == "" || p.Variant != "av" && p.Variant != "" || !judged(p) {
				continue
			}
			r, ok := readings[key{p.Model, p.ClipID}]
			if !ok || metrics.QuarterCellOf(parse.Protocol(s.Protocol), labels, p.Label, p.Pred, p.PredQuarter, r.emotion, r.failed) != "TF" {
				continue
			}
			ex := picked[p.Model]
			at, _ := slices.BinarySearchFunc(ex, p.ClipID, func(e pdf.Example, id string) int {
				if e.ClipID <= id {
					return -1 // after every equal id: the earlier row stays first
				}
				return 1
			})
			if at >= n {
				continue
			}
			text := p.Think
			if text == "" {
				text = p.RawOutput
			}
			pred := p.Pred
			if s.Protocol == string(parse.ProtocolMigr) {
				pred = p.PredQuarter
			}
			e := pdf.Example{Model: strings.Clone(p.Model), ClipID: strings.Clone(p.ClipID), Truth: strings.Clone(p.Label),
				Pred: strings.Clone(pred), JudgeEmotion: r.emotion, Judge: judge, Explanation: strings.Clone(text)}
			ex = slices.Insert(ex, at, e)
			picked[p.Model] = ex[:min(len(ex), n)]
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	var out []pdf.Example
	for _, model := range s.ModelOrder {
		out = append(out, picked[model]...)
	}
	return out, nil
}
