// Package reports renders a run's report: tables in five formats, figures in three, and
// report.pdf, from its summary. Every command that writes a report (run, score, merge, report)
// renders through Render.
package reports

import (
	"context"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/emoeval/emoeval/internal/atomicfile"
	"github.com/emoeval/emoeval/internal/inputerr"
	"github.com/emoeval/emoeval/metrics"
	"github.com/emoeval/emoeval/reports/papertables"
	"github.com/emoeval/emoeval/reports/pdf"
	"github.com/emoeval/emoeval/reports/plot"
	"github.com/emoeval/emoeval/reports/tabular"
)

// Formats are the formats a report renders, in order: tables (txt, md, tex, csv, and one html
// page), figures (png, svg, pdf) and report.pdf (with pdf).
func Formats() []string { return []string{"txt", "md", "tex", "csv", "html", "png", "svg", "pdf"} }

// CheckFormats reports a format Render does not know.
func CheckFormats(formats []string) error {
	for _, f := range formats {
		if !slices.Contains(Formats(), f) {
			return inputerr.New("", "unknown report format %q: use %s", f, strings.Join(Formats(), ", "))
		}
	}
	return nil
}

// Input is what a report shows.
type Input struct {
	Summary *metrics.Summary
	Meta    pdf.Meta
	// Examples are correct predictions with inconsistent explanations, for the PDF.
	Examples []pdf.Example
	// Reference adds the published numbers to the recognition table.
	Reference bool
	// Formats to render; the files of other formats already in the report are kept.
	Formats []string
	// Title heads the HTML page.
	Title string
}

// Render renders the report into dir (a run's report/). The new files replace the old ones only
// when all are written; files of formats not asked for stay as they are, so that rendering
// --formats pdf replaces report.pdf and leaves the tables. It returns the files written.
func Render(ctx context.Context, dir string, in Input) ([]string, error) {
	if err := CheckFormats(in.Formats); err != nil {
		return nil, err
	}
	tabs, err := papertables.Build(in.Summary, papertables.Options{Reference: in.Reference})
	if err != nil {
		return nil, err
	}
	if err := atomicfile.MkdirAll(filepath.Dir(dir)); err != nil {
		return nil, err
	}
	stage, err := os.MkdirTemp(filepath.Dir(dir), ".report-*")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(stage)
	written, err := renderInto(ctx, stage, in, tabs)
	if err != nil {
		return nil, err
	}
	if err := keepOtherFormats(dir, stage, in.Formats); err != nil {
		return nil, err
	}
	// MkdirTemp makes the directory private; a report is for sharing (CI artifacts, colleagues).
	if err := os.Chmod(stage, 0o755); err != nil {
		return nil, err
	}
	old := dir + ".old"
	os.RemoveAll(old)
	if err := os.Rename(dir, old); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, err
	}
	if err := os.Rename(stage, dir); err != nil {
		return nil, err
	}
	os.RemoveAll(old)
	for i, w := range written {
		rel, _ := filepath.Rel(stage, w)
		written[i] = filepath.Join(dir, rel)
	}
	return written, nil
}

// renderInto writes every asked format into stage.
func renderInto(ctx context.Context, stage string, in Input, tabs []*tabular.Table) ([]string, error) {
	var written []string
	for _, f := range in.Formats {
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
			if err := atomicfile.Write(name, func(w io.Writer) error { return tabular.WriteHTMLPage(w, in.Title, tabs...) }); err != nil {
				return nil, err
			}
			written = append(written, name)
		}
	}
	var figFormats []string
	for _, f := range []string{"png", "svg", "pdf"} {
		if slices.Contains(in.Formats, f) {
			figFormats = append(figFormats, f)
		}
	}
	files, err := plot.All(ctx, in.Summary, filepath.Join(stage, "figures"), figFormats)
	if err != nil {
		return nil, err
	}
	written = append(written, files...)
	if !slices.Contains(in.Formats, "pdf") {
		return written, nil
	}
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
		if pngs, err = plot.All(ctx, in.Summary, aside, []string{"png"}); err != nil {
			return nil, err
		}
	}
	name := filepath.Join(stage, "report.pdf")
	if err := pdf.Write(ctx, name, pdf.Input{Summary: in.Summary, Meta: in.Meta, Tables: tabs, Figures: pngs, Examples: in.Examples}); err != nil {
		return nil, err
	}
	return append(written, name), nil
}

// keepOtherFormats copies into the new report the files of the formats that were not rendered
// again. A file's format is its extension, except that report.pdf and the figure PDFs belong to
// pdf and tables.html to html.
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
		if slices.Contains(formats, strings.TrimPrefix(filepath.Ext(p), ".")) {
			return nil
		}
		rel, err := filepath.Rel(final, p)
		if err != nil {
			return err
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
