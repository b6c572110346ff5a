// Package pdf lays out report.pdf: a cover with the run's metadata and the command that
// reproduces it, the headline tables, the figures, examples of correct predictions with
// inconsistent explanations, and the definitions of every metric. Text is set in the Liberation
// fonts (embedded, UTF-8), so model names and explanations in any Latin, Greek, Cyrillic or
// Hebrew text print as written; characters the fonts lack (CJK, emoji, other scripts) print as
// '□', invalid UTF-8 bytes as '?', and control characters are dropped. Hebrew is set left to
// right (no bidirectional reordering). A report of synthetic data says so on every page.
package pdf

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"time"

	"github.com/emoeval/emoeval/internal/atomicfile"
	"github.com/emoeval/emoeval/metrics"
	"github.com/emoeval/emoeval/reports/tabular"
)

// Input is everything the report shows.
type Input struct {
	Summary *metrics.Summary
	Meta    Meta
	// Tables are printed in order, each fitted to the page width (landscape when it must).
	Tables []*tabular.Table
	// Figures are PNG (or JPEG) files, printed in order at the page width.
	Figures []string
	// Examples are correct predictions with inconsistent explanations; at most
	// MaxExamplesPerModel are printed per model.
	Examples []Example
}

// Meta describes the run for the cover page.
type Meta struct {
	RunName       string
	Date          time.Time
	ToolVersion   string
	DatasetFile   string
	DatasetSHA256 string
	// Command reproduces the run.
	Command string
	Models  []ModelInfo
	Judges  []string
	// HumanLabels names the human labels the judge-corrected rates use ("" for none).
	HumanLabels string
}

// ModelInfo is one model of the run. Credentials and query strings in Endpoint are not printed.
type ModelInfo struct {
	Name     string
	Backend  string
	ModelID  string // the backend's model name, e.g. "R1-Omni-7B"
	Endpoint string
	Path     string
	RunsOn   string // an in-process model's device, batch and runtime; "" for a remote one
}

// Example is one sample whose prediction is correct but whose explanation the judge reads as
// another emotion. Every field is untrusted text.
type Example struct {
	Model        string
	ClipID       string
	Truth        string
	Pred         string
	JudgeEmotion string
	Judge        string
	Explanation  string
}

// Limits that keep the report a readable size.
const (
	MaxExamplesPerModel = 5
	// MaxExplanationRunes cuts longer explanations, saying how much was left out.
	MaxExplanationRunes = 1500
)

// Write renders the report to path atomically: a reader never sees half a file, and on error
// nothing is left behind.
func Write(ctx context.Context, path string, in Input) error {
	var buf bytes.Buffer
	if err := Render(ctx, &buf, in); err != nil {
		return fmt.Errorf("report %s: %w", path, err)
	}
	return atomicfile.WriteFile(path, buf.Bytes())
}

// Render writes the report to w.
func Render(ctx context.Context, w io.Writer, in Input) (err error) {
	defer func() {
		// fpdf panics on some malformed input (images, fonts); no panic may reach the user.
		if r := recover(); r != nil {
			err = fmt.Errorf("lay out PDF: %v", r)
		}
	}()
	if in.Summary == nil {
		in.Summary = &metrics.Summary{}
	}
	d := newDoc(in)
	sections := []func() error{d.summaryPage, d.cover, d.tables, d.figures, d.examples, d.definitions}
	for _, section := range sections {
		if err := ctx.Err(); err != nil {
			return err
		}
		if err := section(); err != nil {
			return err
		}
		if err := d.f.Error(); err != nil {
			return err
		}
	}
	return d.f.Output(w)
}
