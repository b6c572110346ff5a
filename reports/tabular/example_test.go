package tabular_test

import (
	"os"

	"github.com/emoeval/emoeval/reports/tabular"
)

func ExampleTable_Render() {
	t := &tabular.Table{
		ID:      "recognition",
		Title:   "Recognition",
		Columns: []tabular.Column{{Header: "Model"}, {Header: "UAR (%)", Align: tabular.Right}},
		Rows: []tabular.Row{
			{Cells: []tabular.Cell{tabular.Str("a|b <model>"), tabular.Num(67.7777, "%.3f")}},
			{Cells: []tabular.Cell{tabular.Str("MIGR-7B"), tabular.Str("67.78")}, Reported: true, Rule: true},
		},
	}
	_ = t.Render(os.Stdout, tabular.MD)
	// Output:
	// ### Recognition
	//
	// | Model | UAR (%) |
	// | :--- | ---: |
	// | a\|b \<model> | 67.778 |
	// | *MIGR-7B* † | *67.78* |
	//
	// † Reported: published numbers from the cited sources, not computed by emoeval.
}
