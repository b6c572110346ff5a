package pdf_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/emoeval/emoeval/metrics"
	"github.com/emoeval/emoeval/reports/pdf"
	"github.com/emoeval/emoeval/reports/tabular"
)

// Write lays out report.pdf from a summary, tables, figure PNGs and examples.
func ExampleWrite() {
	dir, err := os.MkdirTemp("", "report")
	if err != nil {
		panic(err)
	}
	defer os.RemoveAll(dir)
	in := pdf.Input{
		Summary: &metrics.Summary{Dataset: "dfew", Folds: []int32{5}, Protocol: "migr", Synthetic: true},
		Meta: pdf.Meta{RunName: "demo", Date: time.Date(2026, 1, 2, 3, 4, 0, 0, time.UTC), ToolVersion: "v1.0.0",
			Command: "emoeval demo --out runs/demo"},
		Tables: []*tabular.Table{{Title: "Recognition", Columns: []tabular.Column{{Header: "model"}, {Header: "WAR", Align: tabular.Right}},
			Rows: []tabular.Row{{Cells: []tabular.Cell{{Text: "migr"}, {Text: "75.73", Emph: true}}}}}},
		Examples: []pdf.Example{{Model: "migr", ClipID: "00042", Truth: "happy", Pred: "happy", Judge: "lexicon",
			JudgeEmotion: "sad", Explanation: "Her eyes are downcast and her voice trembles."}},
	}
	path := filepath.Join(dir, "report.pdf")
	if err := pdf.Write(context.Background(), path, in); err != nil {
		panic(err)
	}
	data, _ := os.ReadFile(path)
	fmt.Println(string(data[:5]))
	// Output: %PDF-
}
