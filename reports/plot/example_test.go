package plot_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/emoeval/emoeval/metrics"
	"github.com/emoeval/emoeval/reports/plot"
)

// All renders every figure a summary has data for; here one model without judges gives the
// recognition bars, per-class recall and one confusion heat map.
func ExampleAll() {
	s := &metrics.Summary{
		Labels:     []string{"happy", "sad"},
		ModelOrder: []string{"R1-Omni"},
		Models: map[string]*metrics.ModelSummary{"R1-Omni": {
			N: 10, WAR: 0.7, UAR: 0.65, MacroF1: 0.64,
			PerClass:  map[string]metrics.ClassStats{"happy": {Support: 6, Recall: 0.8}, "sad": {Support: 4, Recall: 0.5}},
			Confusion: metrics.Confusion{Labels: []string{"happy", "sad", "unknown"}, Matrix: [][]int{{5, 1, 0}, {2, 2, 0}}},
		}},
	}
	dir, err := os.MkdirTemp("", "figures")
	if err != nil {
		panic(err)
	}
	defer os.RemoveAll(dir)
	paths, err := plot.All(context.Background(), s, dir, []string{"svg", "pdf"})
	if err != nil {
		panic(err)
	}
	for _, p := range paths {
		fmt.Println(filepath.Base(p))
	}
	// Output:
	// recognition.svg
	// recognition.pdf
	// per-class-recall.svg
	// per-class-recall.pdf
	// confusion-R1-Omni.svg
	// confusion-R1-Omni.pdf
}
