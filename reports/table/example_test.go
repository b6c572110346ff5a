package table_test

import (
	"os"

	"github.com/emoeval/emoeval/reports/table"
)

func ExampleTable_Render() {
	t := &table.Table{
		ID:      "recognition",
		Title:   "Recognition",
		Columns: []table.Column{{Header: "Model"}, {Header: "UAR (%)", Align: table.Right}},
		Rows: []table.Row{
			{Cells: []table.Cell{table.Str("a|b <model>"), table.Num(67.7777, "%.3f")}},
			{Cells: []table.Cell{table.Str("MIGR-7B"), table.Str("67.78")}, Reported: true, Rule: true},
		},
	}
	_ = t.Render(os.Stdout, table.MD)
	// Output:
	// ### Recognition
	//
	// | Model | UAR (%) |
	// | :--- | ---: |
	// | a\|b &lt;model&gt; | 67.778 |
	// | *MIGR-7B* † | *67.78* |
	//
	// † Reported: published numbers from the cited sources, not computed by emoeval.
}
