package tabular

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"testing"
)

var update = flag.Bool("update", false, "rewrite golden files")

// golden compares got with testdata/name, or rewrites the file under -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from golden file:\n--- got\n%s\n--- want\n%s", name, got, want)
	}
}

func ptr(v float64) *float64 { return &v }

// hostileTable holds the text that breaks careless renderers in every format.
func hostileTable() *Table {
	return &Table{
		ID:    "hostile/ID <x>",
		Title: "Hostile | <b>title</b> & \\textbf{x} # 1",
		Columns: []Column{
			{Header: "Model|name", Align: Left},
			{Header: "Explanation\n(raw)", Align: Left},
			{Header: "WAR (%)", Align: Right},
			{Header: "Δ pp", Align: Center},
		},
		Rows: []Row{
			{Cells: []Cell{Str("a|b"), Str("line one\nline two"), {Text: "67.780", Value: ptr(67.78012345), Emph: true}, Str("+1.20")}},
			{Cells: []Cell{Str("<script>alert('x')</script>"), Str(`\textbf{x} \\ \end{table}`), Num(12.5, "%.3f"), Str("-0.50")}},
			{Cells: []Cell{Str(`%&$#_{}~^\`), Str(`"quotes",commas`), Str(""), Str("[1.0, 2.0]")}},
			{Cells: []Cell{Str("bad\xff\xfebytes"), Str("emoji 😀👍🏽👨‍👩‍👧 done"), Str("–"), Str("*star")}},
			{Cells: []Cell{Str("שלום עולם"), Str("مرحبا \u202eevil\u202c end"), Str("5"), Str("=SUM(A1)")}},
			{Cells: []Cell{Str("\x1b[31mred\x1b[0m\x00"), Str("tab\there\r\nCRLF\u2028sep"), Str("x"), Str("@me")}},
			{Cells: []Cell{Str("# heading"), Str("- item --- 1. list"), Str("a--b"), Str("> quote")}},
			{Rule: true, Reported: true, Cells: []Cell{Str("HumanOmni-7B"), Str(""), {Text: "82.46", Value: ptr(82.46), Emph: true}, Str("–")}},
		},
		Notes: []string{
			"note with *markdown*, <html> & \\ % $x$ [link](http://x)",
			"- looks like a list",
			"1. looks numbered",
			"   # indented heading",
			"line\nbreak",
		},
	}
}

// plainTable is a small table like the reports make, marked synthetic.
func plainTable() *Table {
	t := &Table{
		ID:    "recognition",
		Title: "Recognition, DFEW fold 5",
		Columns: []Column{
			{Header: "Model"}, {Header: "N", Align: Right}, {Header: "WAR (%)", Align: Right}, {Header: "UAR (%)", Align: Right},
		},
		Rows: []Row{
			{Cells: []Cell{Str("r1-omni"), Count(2336), Num(65.831, "%.3f"), Num(56.27, "%.3f")}},
			{Cells: []Cell{Str("migr"), Count(2336), {Text: "70.120", Value: ptr(70.12), Emph: true}, {Text: "67.780", Value: ptr(67.78), Emph: true}}},
		},
		Notes: []string{"WAR is accuracy; UAR is mean per-class recall."},
	}
	t.MarkSynthetic()
	return t
}
