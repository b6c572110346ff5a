package pdf

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/emoeval/emoeval/reports/plot"
)

// BenchmarkReport renders what `emoeval report` renders besides the text tables: every figure
// of the fixture summary in PNG, SVG and PDF, then report.pdf with the PNGs, tables and examples.
func BenchmarkReport(b *testing.B) {
	in := fixtureInput(b, b.TempDir(), true)
	dir := b.TempDir()
	b.ResetTimer()
	for b.Loop() {
		paths, err := plot.All(context.Background(), in.Summary, dir, []string{"png", "svg", "pdf"})
		if err != nil {
			b.Fatal(err)
		}
		var pngs []string
		for _, p := range paths {
			if filepath.Ext(p) == ".png" {
				pngs = append(pngs, p)
			}
		}
		in.Figures = pngs
		if err := Write(context.Background(), filepath.Join(dir, "report.pdf"), in); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkWrite is report.pdf alone, figures already rendered.
func BenchmarkWrite(b *testing.B) {
	in := fixtureInput(b, b.TempDir(), true)
	path := filepath.Join(b.TempDir(), "report.pdf")
	b.ResetTimer()
	for b.Loop() {
		if err := Write(context.Background(), path, in); err != nil {
			b.Fatal(err)
		}
	}
}
