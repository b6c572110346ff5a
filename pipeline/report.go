package pipeline

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/emoeval/emoeval/eval/predictions"
	"github.com/emoeval/emoeval/internal/atomicfile"
	"github.com/emoeval/emoeval/internal/inputerr"
	"github.com/emoeval/emoeval/judges"
	"github.com/emoeval/emoeval/metrics"
	"github.com/emoeval/emoeval/reports/papertables"
	"github.com/emoeval/emoeval/reports/pdf"
	"github.com/emoeval/emoeval/reports/plot"
	"github.com/emoeval/emoeval/reports/tabular"
)

// ReportFormats are the formats a report can be rendered in.
var ReportFormats = []string{"txt", "md", "tex", "csv", "html", "png", "svg", "pdf"}

// ReportOptions configure a rendering.
type ReportOptions struct {
	Formats []string `json:"formats"`
	// Reference adds the published numbers (docs/reference.md §7) to the recognition table.
	Reference bool `json:"reference"`
	// Examples is the number of correct-but-inconsistent explanations per model in the PDF.
	Examples int `json:"examples"`
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
// The new report replaces the old one only when complete.
func RenderReport(ctx context.Context, dir string, opts ReportOptions) ([]string, error) {
	for _, f := range opts.Formats {
		if !slices.Contains(ReportFormats, f) {
			return nil, inputerr.New("", "unknown report format %q: use %s", f, strings.Join(ReportFormats, ", "))
		}
	}
	m, err := ReadManifest(dir)
	if err != nil {
		return nil, err
	}
	if m.Finished.IsZero() {
		return nil, inputerr.New(dir, "the run has not finished (it was interrupted or is still going): run it again to finish it, then report")
	}
	s, err := ReadSummary(filepath.Join(dir, SummaryFile))
	if err != nil {
		return nil, err
	}
	tabs, err := papertables.Build(s, papertables.Options{Reference: opts.Reference})
	if err != nil {
		return nil, err
	}
	final := filepath.Join(dir, ReportDir)
	stage, err := os.MkdirTemp(dir, ".report-*")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(stage)

	var written []string
	for _, f := range opts.Formats {
		switch f {
		case "txt", "md", "tex", "csv":
			for _, t := range tabs {
				name := filepath.Join(stage, "tables", t.ID+"."+f)
				if err := atomicfile.Write(name, func(w io.Writer) error { return t.Render(w, f) }); err != nil {
					return nil, err
				}
				written = append(written, name)
			}
		case "html":
			name := filepath.Join(stage, "tables.html")
			title := "emoeval: " + m.Name
			if err := atomicfile.Write(name, func(w io.Writer) error { return tabular.WriteHTMLPage(w, title, tabs...) }); err != nil {
				return nil, err
			}
			written = append(written, name)
		}
	}
	var figFormats []string
	for _, f := range []string{"png", "svg", "pdf"} {
		if slices.Contains(opts.Formats, f) {
			figFormats = append(figFormats, f)
		}
	}
	files, err := plot.All(ctx, s, filepath.Join(stage, "figures"), figFormats)
	if err != nil {
		return nil, err
	}
	written = append(written, files...)
	if slices.Contains(opts.Formats, "pdf") {
		// The PDF embeds PNG figures; when PNGs are not wanted in the report, draw them aside.
		var pngs []string
		for _, f := range files {
			if strings.HasSuffix(f, ".png") {
				pngs = append(pngs, f)
			}
		}
		if !slices.Contains(figFormats, "png") {
			aside, err := os.MkdirTemp("", "emoeval-figures-*")
			if err != nil {
				return nil, err
			}
			defer os.RemoveAll(aside)
			if pngs, err = plot.All(ctx, s, aside, []string{"png"}); err != nil {
				return nil, err
			}
		}
		examples, err := findExamples(dir, s, max(opts.Examples, 0))
		if err != nil {
			return nil, err
		}
		in := pdf.Input{Summary: s, Meta: pdfMeta(m), Tables: tabs, Figures: pngs, Examples: examples}
		name := filepath.Join(stage, "report.pdf")
		if err := pdf.Write(ctx, name, in); err != nil {
			return nil, err
		}
		written = append(written, name)
	}
	if err := keepOtherFormats(final, stage, opts.Formats); err != nil {
		return nil, err
	}
	// MkdirTemp makes the directory private; a report is for sharing (CI artifacts, colleagues).
	if err := os.Chmod(stage, 0o755); err != nil {
		return nil, err
	}
	old := final + ".old"
	os.RemoveAll(old)
	if err := os.Rename(final, old); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, err
	}
	if err := os.Rename(stage, final); err != nil {
		return nil, err
	}
	os.RemoveAll(old)
	for i, w := range written {
		rel, _ := filepath.Rel(stage, w)
		written[i] = filepath.Join(final, rel)
	}
	return written, nil
}

// keepOtherFormats copies into the new report the files of formats that were not rendered
// again, so that `emoeval report --formats pdf` replaces report.pdf and leaves the tables.
func keepOtherFormats(final, stage string, formats []string) error {
	return filepath.WalkDir(final, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				return nil
			}
			return err
		}
		if d.IsDir() {
			return nil
		}
		ext := strings.TrimPrefix(filepath.Ext(p), ".")
		rel, err := filepath.Rel(final, p)
		if err != nil {
			return err
		}
		// tables.html and report.pdf belong to their formats; figure PDFs to "pdf" as well.
		if slices.Contains(formats, ext) {
			return nil
		}
		target := filepath.Join(stage, rel)
		if _, err := os.Stat(target); err == nil {
			return nil
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return atomicfile.WriteFile(target, data)
	})
}

func pdfMeta(m *Manifest) pdf.Meta {
	meta := pdf.Meta{RunName: m.Name, Date: m.Finished, ToolVersion: m.ToolVersion, Command: m.Command}
	for _, in := range m.Inputs {
		if in.Role == "split" {
			meta.DatasetFile, meta.DatasetSHA256 = in.Path, in.SHA256
		}
	}
	for _, mo := range m.Models {
		meta.Models = append(meta.Models, pdf.ModelInfo{Name: mo.Name, Backend: mo.Backend, ModelID: mo.Model, Endpoint: mo.Endpoint, Path: mo.Path})
	}
	for _, j := range m.Judges {
		d := j.Name + " (" + j.Kind
		if j.Model != "" {
			d += ", " + j.Model
		}
		meta.Judges = append(meta.Judges, d+", input "+j.Input+")")
	}
	return meta
}

// findExamples picks, per model, the first n samples (in clip order) whose prediction is right
// but whose explanation a judge reads as another emotion. The first judge of the summary that
// judged a model is used for it.
func findExamples(dir string, s *metrics.Summary, n int) ([]pdf.Example, error) {
	if n == 0 || len(s.Judges) == 0 {
		return nil, nil
	}
	jpath := filepath.Join(dir, JudgmentsFile)
	if _, err := os.Stat(jpath); err != nil {
		return nil, nil
	}
	preds, err := predictions.ReadPredictions(filepath.Join(dir, PredictionsFile))
	if err != nil {
		return nil, err
	}
	js, err := judges.ReadJudgments(jpath)
	if err != nil {
		return nil, err
	}
	type key struct{ judge, model, clip string }
	byKey := map[key]judges.Judgment{}
	for _, j := range js {
		byKey[key{j.Judge, j.Model, j.ClipID}] = j
	}
	slices.SortStableFunc(preds, func(a, b predictions.Prediction) int { return strings.Compare(a.ClipID, b.ClipID) })
	var out []pdf.Example
	for _, model := range s.ModelOrder {
		judge := ""
		for _, j := range s.Judges {
			if ms := s.Models[model]; ms != nil && ms.Reliability[j] != nil {
				judge = j
				break
			}
		}
		if judge == "" {
			continue
		}
		count := 0
		for _, p := range preds {
			if count == n {
				break
			}
			if p.Model != model || p.Variant != "av" && p.Variant != "" {
				continue
			}
			pred := p.Pred
			if s.Protocol == "migr" {
				pred = p.PredQuarter
			}
			j, ok := byKey[key{judge, model, p.ClipID}]
			if !ok || pred != p.Label || j.Emotion == p.Label || j.Emotion == "unknown" || j.Emotion == "" {
				continue
			}
			text := p.Think
			if text == "" {
				text = p.RawOutput
			}
			out = append(out, pdf.Example{Model: model, ClipID: p.ClipID, Truth: p.Label, Pred: pred,
				JudgeEmotion: j.Emotion, Judge: judge, Explanation: text})
			count++
		}
	}
	return out, nil
}
