package tabular

import (
	"bytes"
	"errors"
	"strings"
	"testing"
)

func TestRenderGolden(t *testing.T) {
	tables := map[string]func() *Table{"hostile": hostileTable, "plain": plainTable}
	for name, mk := range tables {
		for _, format := range Formats() {
			t.Run(name+"."+format, func(t *testing.T) {
				tbl := mk()
				var buf bytes.Buffer
				if err := tbl.Render(&buf, format); err != nil {
					t.Fatal(err)
				}
				if err := checks[format](tbl, buf.String()); err != nil {
					t.Errorf("structure: %v\n%s", err, buf.String())
				}
				golden(t, name+"."+format, buf.Bytes())
			})
		}
	}
}

func TestWriteHTMLPageGolden(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteHTMLPage(&buf, "Report <\x1b> & co", plainTable(), hostileTable()); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for _, want := range []string{`<meta charset="utf-8"/>`, "<style>", `<h1>Report &lt;␛&gt; &amp; co</h1>`, `id="table-recognition"`} {
		if !strings.Contains(out, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	golden(t, "page.html", buf.Bytes())
}

// The marks every format must show: reported rows, emphasis, the synthetic flag.
func TestRenderMarks(t *testing.T) {
	cases := []struct {
		table  func() *Table
		format string
		want   []string
	}{
		{hostileTable, TXT, []string{"HumanOmni-7B †", "*82.46*", ReportedNote}},
		{hostileTable, MD, []string{"| *HumanOmni-7B* † |", "| ***82.46*** |", ReportedNote}},
		{hostileTable, TeX, []string{`\textit{HumanOmni-7B}$^\dagger$`, `\textit{\textbf{82.46}}`, `$^\dagger$ Reported`, "\\midrule\n\\textit{HumanOmni"}},
		{hostileTable, HTML, []string{`<tr class="rule reported">`, `<em><strong>82.46</strong></em>`, `<sup title="reported">†</sup>`}},
		{hostileTable, CSV, []string{",reported\n", "HumanOmni-7B,,82.46,–,true\n", "a|b,\"line one\nline two\",67.78012345,"}},
		{plainTable, TXT, []string{"SYNTHETIC DATA: Recognition", SyntheticNote, "*70.120*"}},
		{plainTable, MD, []string{"### SYNTHETIC DATA: Recognition", "**70.120**"}},
		{plainTable, TeX, []string{`\caption{SYNTHETIC DATA: Recognition`, `\textbf{70.120}`}},
		{plainTable, HTML, []string{`<table class="emoeval synthetic"`, "<strong>70.120</strong>"}},
		{plainTable, CSV, []string{"Model,N,WAR (%),UAR (%),synthetic\n", "migr,2336,70.12,67.78,true\n"}},
	}
	for _, c := range cases {
		var buf bytes.Buffer
		if err := c.table().Render(&buf, c.format); err != nil {
			t.Fatal(err)
		}
		for _, w := range c.want {
			if !strings.Contains(buf.String(), w) {
				t.Errorf("%s %s lacks %q:\n%s", c.table().ID, c.format, w, buf.String())
			}
		}
	}
}

func TestRenderErrors(t *testing.T) {
	cases := []struct {
		name   string
		table  *Table
		format string
		want   string
	}{
		{"unknown format", plainTable(), "docx", `unknown table format "docx"`},
		{"no columns", &Table{ID: "x"}, TXT, "has no columns"},
		{"short row", &Table{ID: "x", Columns: []Column{{}, {}}, Rows: []Row{{Cells: []Cell{Str("a")}}}}, MD, "row 1 has 1 cells, want 2"},
	}
	for _, c := range cases {
		err := c.table.Render(&bytes.Buffer{}, c.format)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want %q", c.name, err, c.want)
		}
	}
}

type failWriter struct{}

func (failWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }

func TestRenderWriteError(t *testing.T) {
	for _, f := range Formats() {
		if err := plainTable().Render(failWriter{}, f); err == nil || !strings.Contains(err.Error(), "disk full") {
			t.Errorf("%s: error %v, want the write error", f, err)
		}
	}
}

func TestSanitize(t *testing.T) {
	cases := []struct{ in, want string }{
		{"plain ascii", "plain ascii"},
		{"emoji 😀 and עברית", "emoji 😀 and עברית"},
		{"a\r\nb\rc\nd", "a\nb\nc\nd"},
		{"tab\tx", "tab x"},
		{"\x1b[31m", "␛[31m"},
		{"nul\x00del\x7f", "nul␀del␡"},
		{"bad\xffbyte", "bad\uFFFDbyte"},
		{"c1\u0085x", "c1\uFFFDx"},
		{"bidi\u202eabc\u2066x", "bidi\uFFFDabc\uFFFDx"},
		{"ls\u2028ps\u2029", "ls\nps\n"},
		{"zwj 👨‍👩‍👧", "zwj 👨‍👩‍👧"},
	}
	for _, c := range cases {
		if got := Sanitize(c.in); got != c.want {
			t.Errorf("Sanitize(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestEscapers(t *testing.T) {
	cases := []struct {
		name string
		fn   func(string) string
		in   string
		want string
	}{
		{"md pipe", EscapeMarkdown, `a|b\c`, `a\|b\\c`},
		{"md html", EscapeMarkdown, `<b>&amp;</b>`, `\<b>\&amp;\</b>`},
		{"md comparison", EscapeMarkdown, "p <0.0001 & a > b", "p <0.0001 & a > b"},
		{"md comment", EscapeMarkdown, "<!-- x --> &#60;", `\<!-- x --> \&#60;`},
		{"md inline", EscapeMarkdown, "*_`[]~$", "\\*\\_\\`\\[\\]\\~\\$"},
		{"md newline", EscapeMarkdown, "a\nb", "a<br>b"},
		{"tex specials", EscapeLaTeX, `%&$#_{}~^\`, `\%\&\$\#\_\{\}\textasciitilde{}\textasciicircum{}\textbackslash{}`},
		{"tex command", EscapeLaTeX, `\textbf{x}`, `\textbackslash{}textbf\{x\}`},
		{"tex brackets", EscapeLaTeX, "[1, 2]", "{[}1, 2{]}"},
		{"tex star", EscapeLaTeX, "*a*", "{*}a*"},
		{"tex ligature", EscapeLaTeX, "a--b-c", "a-{}-b-c"},
		{"tex ot1", EscapeLaTeX, "<|>", `\textless{}\textbar{}\textgreater{}`},
		{"tex symbols", EscapeLaTeX, "Δ ± × – — − † α κ →", `$\Delta$ $\pm$ $\times$ {--} {---} $-$ $^\dagger$ $\alpha$ $\kappa$ $\rightarrow$`},
		{"html", EscapeHTML, `<a href="x">'&'</a>`, `&lt;a href=&#34;x&#34;&gt;&#39;&amp;&#39;&lt;/a&gt;`},
		{"html newline", EscapeHTML, "a\nb", "a<br/>b"},
		{"block heading", escapeBlockStart, "# x", `\# x`},
		{"block list", escapeBlockStart, "- x", `\- x`},
		{"block ordered", escapeBlockStart, "12. x", `12\. x`},
		{"block ordered paren", escapeBlockStart, "3) x", `3\) x`},
		{"block plain", escapeBlockStart, "2024 was", "2024 was"},
	}
	for _, c := range cases {
		if got := c.fn(c.in); got != c.want {
			t.Errorf("%s: got %q, want %q", c.name, got, c.want)
		}
	}
}

func TestCSVField(t *testing.T) {
	cases := []struct {
		cell Cell
		want string
	}{
		{Num(1.0/3, "%.3f"), "0.3333333333333333"},
		{Str("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")"},
		{Str("-1.25"), "-1.25"},
		{Str("+cmd"), "'+cmd"},
		{Str("@SUM"), "'@SUM"},
		{Str("plain"), "plain"},
		{Count(7), "7"},
	}
	for _, c := range cases {
		if got := CSVField(c.cell); got != c.want {
			t.Errorf("CSVField(%q) = %q, want %q", c.cell.Text, got, c.want)
		}
	}
}

func TestMarkSyntheticIdempotent(t *testing.T) {
	tbl := plainTable()
	tbl.MarkSynthetic()
	if tbl.Title != "SYNTHETIC DATA: Recognition, DFEW fold 5" || len(tbl.Notes) != 2 {
		t.Errorf("title %q, %d notes after a second MarkSynthetic", tbl.Title, len(tbl.Notes))
	}
}

func BenchmarkRender(b *testing.B) {
	tbl := &Table{ID: "bench", Title: "bench"}
	for j := 0; j < 8; j++ {
		tbl.Columns = append(tbl.Columns, Column{Header: "col", Align: Right})
	}
	for i := 0; i < 100; i++ {
		var cells []Cell
		for j := 0; j < 8; j++ {
			cells = append(cells, Num(float64(i*j)/7, "%.3f"))
		}
		tbl.Rows = append(tbl.Rows, Row{Cells: cells})
	}
	for _, f := range Formats() {
		b.Run(f, func(b *testing.B) {
			var buf bytes.Buffer
			for b.Loop() {
				buf.Reset()
				if err := tbl.Render(&buf, f); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
