package pdf

import (
	"bytes"
	"compress/zlib"
	"context"
	"errors"
	"flag"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/emoeval/emoeval/metrics"
	"github.com/emoeval/emoeval/reports/papertables"
	"github.com/emoeval/emoeval/reports/plot"
	"github.com/emoeval/emoeval/reports/tabular"
)

var pageObject = regexp.MustCompile(`/Type /Page\s`)

// pageStreams returns the inflated content streams that draw text (one per page, in order).
func pageStreams(t *testing.T, pdf []byte) [][]byte {
	t.Helper()
	var out [][]byte
	// fpdf writes page contents as "<</Filter /FlateDecode /Length n>>" streams.
	header := regexp.MustCompile(`<</Filter /FlateDecode /Length (\d+)>>\nstream\n`)
	for _, loc := range header.FindAllSubmatchIndex(pdf, -1) {
		n, _ := strconv.Atoi(string(pdf[loc[2]:loc[3]]))
		if loc[1]+n > len(pdf) {
			t.Fatal("stream runs past the end of the file")
		}
		r, err := zlib.NewReader(bytes.NewReader(pdf[loc[1] : loc[1]+n]))
		if err != nil {
			continue
		}
		data, err := io.ReadAll(r)
		if err == nil && bytes.Contains(data, []byte(" Tf")) && bytes.Contains(data, []byte("BT ")) {
			out = append(out, data)
		}
	}
	return out
}

// utf16Text is s as fpdf writes it for a UTF-8 font: UTF-16BE.
func utf16Text(s string) []byte {
	var b []byte
	for _, u := range utf16.Encode([]rune(s)) {
		b = append(b, byte(u>>8), byte(u))
	}
	return b
}

// pdfText extracts each page's text with poppler's pdftotext, or returns nil when it is not
// installed.
func pdfText(t *testing.T, path string) []string {
	t.Helper()
	bin, err := exec.LookPath("pdftotext")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("CI=true needs pdftotext (Debian poppler-utils) for the PDF text checks")
		}
		t.Log("pdftotext not installed: text checks skipped")
		return nil
	}
	out, err := exec.Command(bin, "-enc", "UTF-8", path, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext %s: %v", path, err)
	}
	pages := strings.Split(string(out), "\f")
	return pages[:len(pages)-1] // text ends with a form feed
}

func writeReport(t *testing.T, in Input) (string, []byte) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "report.pdf")
	if err := Write(context.Background(), path, in); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(data, []byte("%PDF-1.")) || !bytes.HasSuffix(bytes.TrimSpace(data), []byte("%%EOF")) {
		t.Fatalf("%s is not a complete PDF", path)
	}
	return path, data
}

func TestReportOfFixture(t *testing.T) {
	in := fixtureInput(t, t.TempDir(), false)
	path, data := writeReport(t, in)

	// Cover 1, results 3 (the wide confusion matrix on a landscape page), figures 5 (10
	// figures), examples 3, definitions 1.
	pages := len(pageObject.FindAll(data, -1))
	if pages < 11 || pages > 15 {
		t.Errorf("%d pages, want 13 ± 2", pages)
	}
	streams := pageStreams(t, data)
	if len(streams) != pages {
		t.Fatalf("%d text streams for %d pages", len(streams), pages)
	}
	for i, s := range streams {
		if !bytes.Contains(s, utf16Text(plot.SyntheticNotice)) {
			t.Errorf("page %d lacks the synthetic-data notice", i+1)
		}
	}

	text := pdfText(t, path)
	if text == nil {
		return
	}
	if len(text) != pages {
		t.Errorf("pdftotext found %d pages, the file has %d", len(text), pages)
	}
	for i, p := range text {
		if !strings.Contains(p, plot.SyntheticNotice) {
			t.Errorf("page %d text lacks %q", i+1, plot.SyntheticNotice)
		}
		if want := "page " + strconv.Itoa(i+1) + " of " + strconv.Itoa(len(text)); !strings.Contains(p, want) {
			t.Errorf("page %d lacks %q", i+1, want)
		}
	}
	all := strings.Join(text, "\n")
	for _, want := range []string{
		"Evaluation report", "dfew-fold5 demo «Ωμέγα» <b>&</b>", "92ba8e44d31b80a34f5e805076a044122c3be1fffe0d88ed790de7267b0b2682",
		"emoeval run -c emoeval.yaml", "R1-Omni-7B", "http://gpu-1:8000/v1", "lexicon, gpt",
		"Results", "Recognition on DFEW fold 5 (%)", "HumanOmni-7B (reported)", "published (reported) numbers",
		"disappointment", "Figures", "Correct predictions, inconsistent explanations", "Model r1-omni",
		"Лицо человека напряжено", "Ελληνικά και Кириллица", "<script>alert('x')</script>",
		"more characters not shown", "Definitions", "Cohen's κ", "McNemar test",
	} {
		if !strings.Contains(all, want) {
			t.Errorf("report text lacks %q", want)
		}
	}
	for _, secret := range []string{"secret", "XYZ", "user:"} {
		if strings.Contains(all, secret) {
			t.Errorf("report shows %q from an endpoint's credentials", secret)
		}
	}
	for _, line := range strings.Split(all, "\n") {
		if n := utf8.RuneCountInString(line); n > 160 {
			t.Errorf("a line of %d characters: text not wrapped: %.60q…", n, line)
		}
	}
}

func TestRealDataHasNoWatermark(t *testing.T) {
	in := Input{Summary: loadFixture(t), Meta: Meta{RunName: "real"}, Tables: fixtureTables(loadFixture(t))[:1]}
	in.Summary.Synthetic = false
	path, data := writeReport(t, in)
	for i, s := range pageStreams(t, data) {
		if bytes.Contains(s, utf16Text("SYNTHETIC")) {
			t.Errorf("page %d of a real run says SYNTHETIC", i+1)
		}
	}
	if text := pdfText(t, path); text != nil {
		all := strings.Join(text, "")
		for _, mark := range []string{"SYNTHETIC", "synthetic data, not a real evaluation", "Synthetic data. Every number"} {
			if strings.Contains(all, mark) {
				t.Errorf("report of real data says %q", mark)
			}
		}
	}
}

func hostileInput(t testing.TB) Input {
	s := loadFixture(t)
	hostileTable := &tabular.Table{ID: "x", Title: hostileText[0], Columns: []tabular.Column{{Header: hostileText[1]}, {Header: "n", Align: tabular.Right}},
		Notes: hostileText}
	for _, h := range hostileText {
		hostileTable.Rows = append(hostileTable.Rows, tabular.Row{Cells: []tabular.Cell{{Text: h + strings.Repeat("y", 400)}, {Text: h, Emph: true}}})
	}
	hostileTable.Rows = append(hostileTable.Rows, tabular.Row{Cells: []tabular.Cell{{Text: "more cells than columns"}, {Text: "1"}, {Text: "extra"}}}, tabular.Row{})
	in := Input{
		Summary: s,
		Meta: Meta{RunName: strings.Join(hostileText, " "), ToolVersion: hostileText[2], DatasetFile: hostileText[3],
			Command: strings.Repeat("--flag=\xff ", 300), Judges: hostileText,
			Models: []ModelInfo{{Name: hostileText[4], Backend: hostileText[0], Endpoint: "::not a url?key=secret"}}},
		Tables:   []*tabular.Table{hostileTable, nil, {}},
		Examples: fixtureExamples(),
	}
	return in
}

func TestHostileTextDoesNotBreakTheReport(t *testing.T) {
	path, data := writeReport(t, hostileInput(t))
	if len(pageStreams(t, data)) == 0 {
		t.Fatal("no pages")
	}
	if text := pdfText(t, path); text != nil {
		all := strings.Join(text, "")
		if strings.ContainsRune(all, 0) || !utf8.ValidString(all) {
			t.Error("extracted text holds NUL or invalid UTF-8")
		}
		if strings.Contains(all, "secret") {
			t.Error("a query-string key was printed")
		}
		if !strings.Contains(all, "םלוע םולש") && !strings.Contains(all, "שלום עולם") {
			t.Error("Hebrew text lost")
		}
	}
}

func TestDegenerateInputs(t *testing.T) {
	tests := map[string]Input{
		"nothing":      {},
		"summary only": {Summary: loadFixture(t)},
		"empty parts": {Summary: &metrics.Summary{}, Examples: []Example{{}},
			Tables: []*tabular.Table{{Title: "no columns"}, {Columns: []tabular.Column{{Header: "a"}}}}},
	}
	for name, in := range tests {
		t.Run(name, func(t *testing.T) {
			_, data := writeReport(t, in)
			if n := len(pageObject.FindAll(data, -1)); n < 2 {
				t.Errorf("%d pages, want at least the cover and the definitions", n)
			}
		})
	}
}

func TestWriteFailsCleanly(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "report.pdf")
	missing := filepath.Join(dir, "no-such-figure.png")
	err := Write(context.Background(), path, Input{Figures: []string{missing}})
	if err == nil || !strings.Contains(err.Error(), "no-such-figure.png") {
		t.Errorf("missing figure: err = %v, want one naming the file", err)
	}
	notImage := filepath.Join(dir, "fake.png")
	if err := os.WriteFile(notImage, []byte("not a png"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := Write(context.Background(), path, Input{Figures: []string{notImage}}); err == nil {
		t.Error("a PNG that is not one: no error")
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := Write(ctx, path, Input{}); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: err = %v, want context.Canceled", err)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("directory holds %d entries, want only the fake image", len(entries))
	}
}

func TestReportIsReproducible(t *testing.T) {
	in := Input{Summary: loadFixture(t), Meta: Meta{RunName: "r", Date: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)},
		Tables: fixtureTables(loadFixture(t)), Examples: fixtureExamples()}
	var a, b bytes.Buffer
	if err := Render(context.Background(), &a, in); err != nil {
		t.Fatal(err)
	}
	if err := Render(context.Background(), &b, in); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a.Bytes(), b.Bytes()) {
		t.Error("two renders of the same input differ")
	}
}

func TestTableLayout(t *testing.T) {
	d := newDoc(Input{Summary: &metrics.Summary{}})
	tables := fixtureTables(loadFixture(t))
	tests := []struct {
		table     *tabular.Table
		landscape bool
		wrapped   bool
	}{
		{tables[0], false, false}, // recognition: fits portrait on one line
		{tables[2], true, false},  // 13-column confusion matrix: landscape
		{tables[3], false, true},  // comparisons: the text column wraps in portrait
	}
	for _, tt := range tests {
		g := newGrid(tt.table)
		lay := d.fit(g)
		if lay.landscape != tt.landscape {
			t.Errorf("%s: landscape = %v, want %v", tt.table.ID, lay.landscape, tt.landscape)
		}
		avail := 210 - 2*marginX
		if lay.landscape {
			avail = 297 - 2*marginX
		}
		if total := lay.total(); total > avail+1e-9 {
			t.Errorf("%s: %.1f mm wide, page has %.1f", tt.table.ID, total, avail)
		}
		natural, _ := d.measure(g, lay.size, avail)
		wrapped := false
		for c, w := range lay.widths {
			if w < natural[c]-1e-9 {
				wrapped = true
				if g.align[c] != tabular.Left {
					t.Errorf("%s: numeric column %q wraps", tt.table.ID, g.header[c])
				}
			}
		}
		if wrapped != tt.wrapped {
			t.Errorf("%s: wrapped = %v, want %v", tt.table.ID, wrapped, tt.wrapped)
		}
	}
}

func TestClean(t *testing.T) {
	tests := []struct {
		in   string
		max  int
		want string
	}{
		{"one line", 0, "one line"},
		{"a\r\nb\rc\n\n\n\nd", 0, "a\nb\nc\n\nd"},
		{"\n\nlead", 0, "lead"},
		{"x\x00y\n\xff", 0, "xy\n?"},
		{"abc\ndef", 5, "abc\n…"},
	}
	for _, tt := range tests {
		if got := clean(tt.in, tt.max); got != tt.want {
			t.Errorf("clean(%q, %d) = %q, want %q", tt.in, tt.max, got, tt.want)
		}
	}
}

func TestRedactURL(t *testing.T) {
	for in, want := range map[string]string{
		"http://user:pw@host:8000/v1?api_key=k#frag": "http://host:8000/v1",
		"http://gpu-2:8000/v1":                       "http://gpu-2:8000/v1",
		"::bad?key=1":                                "::bad…",
		"":                                           "",
	} {
		if got := redactURL(in); got != want {
			t.Errorf("redactURL(%q) = %q, want %q", in, got, want)
		}
	}
}

// FuzzExplanation lays out arbitrary model text as an example and as a table on one shared
// document (registering fonts per input would make the fuzzer crawl); whole documents with
// hostile text are rendered by TestHostileTextDoesNotBreakTheReport.
func FuzzExplanation(f *testing.F) {
	f.Add(hostileText[0], hostileText[3])
	f.Add(strings.Join(hostileText, "\n"), "m\xff")
	f.Add(strings.Repeat("w", 5000), "")
	d := newDoc(Input{Summary: &metrics.Summary{Synthetic: true}})
	d.f.AddPage()
	f.Fuzz(func(t *testing.T, explanation, model string) {
		if d.f.PageNo() > 200 { // keep the shared document small
			d = newDoc(Input{Summary: &metrics.Summary{}})
			d.f.AddPage()
		}
		d.example(Example{Model: model, ClipID: model, Judge: model, JudgeEmotion: explanation, Explanation: explanation})
		d.table(&tabular.Table{Title: model, Columns: []tabular.Column{{Header: model}, {Header: "n", Align: tabular.Right}},
			Rows: []tabular.Row{{Cells: []tabular.Cell{{Text: explanation}, {Text: model, Emph: true}}, Reported: true}}}, true)
		if err := d.f.Error(); err != nil {
			t.Fatalf("layout of %q / %q: %v", explanation, model, err)
		}
	})
}

// The first page answers the question: the result of each comparison in a sentence, and the
// published numbers beside this run's with the judge and protocol behind each (pdftotext).
func TestFirstPageGolden(t *testing.T) {
	in := fixtureInput(t, t.TempDir(), false)
	s := in.Summary
	s.JudgeModels = map[string]string{"gpt": "gpt-4.1-mini"}
	s.Statistics.Bootstrap = 1000
	s.Comparisons = []metrics.Comparison{
		{Baseline: "r1-omni", Candidate: "migr", Metric: "gpt.tf_given_correct", Base: 0.1705, Cand: 0.08, Delta: -0.0905,
			CI: [2]float64{-0.112, -0.069}, PValue: 0.0004, Test: metrics.ComparePairedBootstrap},
		{Baseline: "r1-omni", Candidate: "migr", Metric: "war", Base: 0.7093, Cand: 0.7474, Delta: 0.0381,
			CI: [2]float64{0.0281, 0.0481}, PValue: 0.002, Test: metrics.ComparePairedBootstrap},
	}
	tabs, err := papertables.Build(s, papertables.Options{Reference: true})
	if err != nil {
		t.Fatal(err)
	}
	in.Tables = tabs
	path, _ := writeReport(t, in)
	pages := pdfText(t, path)
	if pages == nil {
		return
	}
	golden(t, "first-page.txt", []byte(pages[0]))
	for _, want := range []string{"migr against r1-omni (migr protocol):", "judge gpt (gpt-4.1-mini): 17.05% → 8.00% (-9.05 pp, 95% CI",
		"WAR: 70.93% → 74.74% (+3.81 pp", "p ≤ 0.002*", "Published vs this run", "Comparable with the", "no: synthetic data", "Read next"} {
		if !strings.Contains(pages[0], want) {
			t.Errorf("page 1 lacks %q", want)
		}
	}
}

var update = flag.Bool("update", false, "rewrite golden files")

// golden compares got with testdata/<name>, or rewrites it under -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
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
		t.Errorf("%s differs from the golden file (go test -update rewrites it):\n%s", name, got)
	}
}
