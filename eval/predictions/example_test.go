package predictions_test

import (
	"context"
	"fmt"

	"github.com/emoeval/emoeval/datasets"
	"github.com/emoeval/emoeval/eval/parse"
	"github.com/emoeval/emoeval/eval/predictions"
)

// Reading the authors' result file and scoring each output as their scripts do.
func ExampleScan() {
	path, format, err := predictions.FormatOf("../../testdata/results/r1omni_dfew5.txt")
	if err != nil {
		panic(err)
	}
	p := parse.NewParser(datasets.DFEW(), parse.ProtocolMigr)
	n := 0
	err = predictions.Scan(context.Background(), path, format, func(o predictions.Output) error {
		if n++; n <= 4 {
			out := p.Parse(o.Raw)
			fmt.Printf("line %d clip %s: %s (%s)\n", o.Line, o.ClipID, out.Pred, out.Status)
		}
		return nil
	})
	fmt.Println(n, "records", err)
	// Output:
	// line 1 clip 147: disgust (ok)
	// line 3 clip 151: angry (ok)
	// line 6 clip 00417: happy (ok)
	// line 8 clip 571: happy (ok)
	// 30 records <nil>
}
