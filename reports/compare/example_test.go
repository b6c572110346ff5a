package compare_test

import (
	"fmt"

	"github.com/emoeval/emoeval/reports/compare"
)

func ExampleParseGate() {
	for _, spec := range []string{"uar:max-drop=1pp", "gpt.tf:max-rise=0", "war:significant-drop", "uar:min=60%"} {
		g, err := compare.ParseGate(spec)
		if err != nil {
			fmt.Println(err)
			continue
		}
		fmt.Printf("%s %s %g\n", g.Metric, g.Rule, g.Threshold)
	}
	_, err := compare.ParseGate("uar:max-drop=1")
	fmt.Println(err)
	// Output:
	// uar max-drop 0.01
	// gpt.tf max-rise 0
	// war significant-drop 0
	// uar min 0.6
	// --gate "uar:max-drop=1": a threshold without unit is a fraction (1 = 100 percentage points): write 1pp for percentage points
}
