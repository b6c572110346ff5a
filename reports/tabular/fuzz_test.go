package tabular

import (
	"bytes"
	"testing"
)

// FuzzRender renders tables of arbitrary text in every format and checks each output's structure:
// pipes in Markdown, re-parsed CSV, well-formed HTML with the same cell text, LaTeX escaping and
// braces, and an aligned, control-free terminal box.
func FuzzRender(f *testing.F) {
	f.Add("a|b", "line\nbreak", "<script>x</script>", "", uint8(0))
	f.Add(`\textbf{x}`, `%&$#_{}~^\`, `"quotes",commas`, "# note", uint8(7))
	f.Add("bad\xff\xfe", "😀👨‍👩‍👧", "שלום \u202eevil", "- item\n1. x", uint8(3))
	f.Add("\x1b[2J\x00", "\r\n\t", "[x]*--", "=SUM(A1)", uint8(12))
	f.Add("", "", "", "", uint8(255))
	f.Fuzz(func(t *testing.T, a, b, c, note string, flags uint8) {
		tbl := &Table{
			ID:      a,
			Title:   b,
			Columns: []Column{{Header: a}, {Header: c, Align: Right}, {Header: "x", Align: Center}},
			Rows: []Row{
				{Cells: []Cell{Str(a), {Text: b, Emph: flags&1 != 0}, Str(c)}, Reported: flags&2 != 0},
				{Cells: []Cell{Str(c), Str(a), {Text: b, Value: ptr(float64(flags))}}, Rule: flags&4 != 0, Reported: flags&8 != 0},
			},
			Notes: []string{note},
		}
		if flags&16 != 0 {
			tbl.MarkSynthetic()
		}
		for _, format := range Formats() {
			var buf bytes.Buffer
			if err := tbl.Render(&buf, format); err != nil {
				t.Fatalf("%s: %v", format, err)
			}
			if err := checks[format](tbl, buf.String()); err != nil {
				t.Fatalf("%s: %v\n%s", format, err, buf.String())
			}
		}
	})
}
