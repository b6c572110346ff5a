package plot

import (
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/emoeval/emoeval/metrics"
)

var allFormats = []string{"png", "svg", "pdf"}

// checkFiles asserts that every path is a complete file of its format inside dir.
func checkFiles(t *testing.T, dir string, paths []string) {
	t.Helper()
	safe := regexp.MustCompile(`^[A-Za-z0-9_][A-Za-z0-9._-]*\.(png|svg|pdf)$`)
	magic := map[string][]byte{".png": []byte("\x89PNG\r\n\x1a\n"), ".svg": []byte("<?xml"), ".pdf": []byte("%PDF-")}
	seen := map[string]bool{}
	for _, p := range paths {
		if filepath.Dir(p) != dir || !safe.MatchString(filepath.Base(p)) {
			t.Errorf("unsafe path %q", p)
		}
		if seen[p] {
			t.Errorf("path %q written twice", p)
		}
		seen[p] = true
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		ext := filepath.Ext(p)
		if !bytes.HasPrefix(data, magic[ext]) {
			t.Errorf("%s does not start like a %s file", p, ext)
		}
		switch ext {
		case ".pdf":
			if !bytes.Contains(data[len(data)-64:], []byte("%%EOF")) {
				t.Errorf("%s is truncated", p)
			}
		case ".svg":
			checkXML(t, p, data)
		}
	}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), ".") {
			t.Errorf("temporary file %s left behind", e.Name())
		}
	}
}

// checkXML asserts the SVG is well-formed and holds no unescaped markup from labels.
func checkXML(t *testing.T, name string, data []byte) {
	t.Helper()
	dec := xml.NewDecoder(bytes.NewReader(data))
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Errorf("%s: not well-formed XML: %v", name, err)
			return
		}
		if el, ok := tok.(xml.StartElement); ok && (el.Name.Local == "script" || el.Name.Local == "b") {
			t.Errorf("%s: label markup became an element <%s>", name, el.Name.Local)
		}
	}
}

// renderSmall draws every figure as SVG, and one figure of each kind as PNG and PDF, at a small
// size (the race detector makes rendering slow), and checks each output.
func renderSmall(t *testing.T, figs []*Figure) {
	t.Helper()
	magic := map[string]string{"png": "\x89PNG", "svg": "<?xml", "pdf": "%PDF-"}
	rasterised := map[string]bool{}
	for _, f := range figs {
		kind := f.Name
		for _, prefix := range []string{"quarter-", "confusion-", "drift-"} {
			if strings.HasPrefix(f.Name, prefix) {
				kind = prefix
			}
		}
		done := rasterised[kind]
		rasterised[kind] = true
		for _, format := range allFormats {
			if format != "svg" && done {
				continue
			}
			var buf bytes.Buffer
			if err := Write(&buf, f, format, inches(3), inches(2)); err != nil {
				t.Fatalf("%s.%s: %v", f.Name, format, err)
			}
			if !bytes.HasPrefix(buf.Bytes(), []byte(magic[format])) {
				t.Errorf("%s.%s does not start like a %s file", f.Name, format, format)
			}
			if format == "svg" {
				checkXML(t, f.Name+".svg", buf.Bytes())
				if bytes.Contains(buf.Bytes(), []byte("\x00")) || !utf8Valid(buf.String()) {
					t.Errorf("%s.svg holds NUL or invalid UTF-8", f.Name)
				}
			}
		}
	}
}

func names(paths []string) []string {
	var out []string
	for _, p := range paths {
		stem := strings.TrimSuffix(filepath.Base(p), filepath.Ext(p))
		if !slices.Contains(out, stem) {
			out = append(out, stem)
		}
	}
	return out
}

func TestAllRendersFixtureInEveryFormat(t *testing.T) {
	dir := t.TempDir()
	formats := []string{"svg", "pdf"}
	paths, err := All(context.Background(), fixtureSummary(), dir, formats)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"recognition", "per-class-recall", "quarter-lexicon", "quarter-gpt", "confusion-r1-omni",
		"confusion-migr", "confusion-ERV-7B-b-amp-b-807cde67", "drift-lexicon", "modality", "mi-order", "judge-agreement"}
	if got := names(paths); !slices.Equal(got, want) {
		t.Errorf("figures = %v, want %v", got, want)
	}
	if len(paths) != len(want)*len(formats) {
		t.Errorf("%d files, want %d", len(paths), len(want)*len(formats))
	}
	checkFiles(t, dir, paths)
	figs, err := Figures(fixtureSummary())
	if err != nil {
		t.Fatal(err)
	}
	renderSmall(t, figs)
	svg, err := os.ReadFile(filepath.Join(dir, "recognition.svg"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{SyntheticNotice, "«Ωμέγα» &lt;b&gt;&amp;amp;&lt;/b&gt;", "macro-F1"} {
		if !strings.Contains(string(svg), want) {
			t.Errorf("recognition.svg lacks %q", want)
		}
	}
}

func oneModel(mutate func(*metrics.ModelSummary)) *metrics.Summary {
	s := fixtureSummary()
	m := s.Models["migr"]
	m.Reliability, m.Drift, m.Modality = nil, nil, nil
	if mutate != nil {
		mutate(m)
	}
	return &metrics.Summary{Labels: s.Labels, ModelOrder: []string{"migr"}, Models: map[string]*metrics.ModelSummary{"migr": m}}
}

// manyModels has n models; only the first has a confusion matrix, to keep the test fast.
func manyModels(n int) *metrics.Summary {
	s := fixtureSummary()
	base := *s.Models["migr"]
	base.Drift, base.Modality = nil, nil
	base.Reliability = map[string]*metrics.Reliability{"gpt": base.Reliability["gpt"]}
	s.Models, s.ModelOrder, s.Judges, s.Agreement = map[string]*metrics.ModelSummary{}, nil, nil, nil
	for i := range n {
		m := base
		if i > 0 {
			m.Confusion = metrics.Confusion{}
		}
		name := fmt.Sprintf("m%02d", i)
		s.Models[name] = &m
		s.ModelOrder = append(s.ModelOrder, name)
	}
	return s
}

func TestAllDegenerateSummaries(t *testing.T) {
	nan := math.NaN()
	tests := []struct {
		name string
		s    *metrics.Summary
		want []string
	}{
		{"nil summary", nil, nil},
		{"empty summary", &metrics.Summary{}, nil},
		{"one model, no judges", oneModel(nil), []string{"recognition", "per-class-recall", "confusion-migr"}},
		{"zero samples", oneModel(func(m *metrics.ModelSummary) {
			*m = metrics.ModelSummary{Confusion: metrics.Confusion{Labels: []string{"happy", "unknown"}, Matrix: [][]int{{0, 0}}}}
		}), []string{"confusion-migr"}},
		// Undefined values are not drawn as 0: the quarter shares and the drift share are NaN or
		// infinite, so those figures have nothing to draw.
		{"NaN and infinite values", oneModel(func(m *metrics.ModelSummary) {
			m.WAR, m.UAR, m.MacroF1 = nan, math.Inf(1), nan
			m.CI["war"] = [2]float64{nan, nan}
			m.CI["uar"] = [2]float64{0.9, 0.1} // reversed: no whisker
			m.Reliability = map[string]*metrics.Reliability{"j": {N: 10, TT: nan, TF: math.Inf(-1)}}
			m.Drift = map[string]*metrics.Drift{"j": {Bins: []float64{nan, 0.5}, Grounded: []float64{nan}, AgreeAnswer: nil, Sentences: []int{1, 1}}}
		}), []string{"recognition", "per-class-recall", "confusion-migr"}},
		{"nil model entry and unknown order name", &metrics.Summary{ModelOrder: []string{"ghost"},
			Models: map[string]*metrics.ModelSummary{"ghost": nil}}, nil},
		{"forty models", manyModels(40), []string{"recognition", "per-class-recall", "quarter-gpt", "confusion-m00"}},
		{"a small model, a class without clips, a negative kappa", edgeSummary(), []string{"recognition", "per-class-recall",
			"quarter-lexicon", "quarter-gpt", "confusion-r1-omni", "confusion-migr", "confusion-ERV-7B-b-amp-b-807cde67", "confusion-tiny",
			"drift-lexicon", "modality", "mi-order", "judge-agreement"}},
		{"judge agreement only from per-model matrices", &metrics.Summary{Agreement: []metrics.Agreement{
			{A: "a", B: "b", Model: "m1", Matrix: [][]int{{5, 1}, {2, 4}}},
			{A: "a", B: "b", Model: "m2", Matrix: [][]int{{3, 0}, {0, 3}}},
		}}, []string{"judge-agreement"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			paths, err := All(context.Background(), tt.s, dir, []string{"svg"})
			if err != nil {
				t.Fatal(err)
			}
			if got := names(paths); !slices.Equal(got, tt.want) {
				t.Errorf("figures = %v, want %v", got, tt.want)
			}
			checkFiles(t, dir, paths)
			figs, err := Figures(tt.s)
			if err != nil {
				t.Fatal(err)
			}
			renderSmall(t, figs)
		})
	}
}

func TestBuildersReportMissingData(t *testing.T) {
	s := fixtureSummary()
	for name, build := range map[string]func() (*Figure, error){
		"quarter of an unknown judge":   func() (*Figure, error) { return Quarter(s, "nobody") },
		"drift of a judge without it":   func() (*Figure, error) { return Drift(s, "gpt") },
		"confusion of an unknown model": func() (*Figure, error) { return Confusion(s, "nobody") },
		"MI order without modality":     func() (*Figure, error) { return MIOrder(oneModel(nil)) },
		"agreement without pairs":       func() (*Figure, error) { return JudgeAgreement(oneModel(nil)) },
	} {
		if _, err := build(); !errors.Is(err, ErrNoData) {
			t.Errorf("%s: err = %v, want ErrNoData", name, err)
		}
	}
	bad := oneModel(func(m *metrics.ModelSummary) { m.Confusion.Matrix[0] = m.Confusion.Matrix[0][:2] })
	if _, err := Confusion(bad, "migr"); err == nil || errors.Is(err, ErrNoData) {
		t.Errorf("ragged confusion matrix: err = %v, want a shape error", err)
	}
}

func TestHostileModelNames(t *testing.T) {
	hostile := []string{
		"<script>alert(1)</script>", "nul\x00byte", "bad \xff\xfe utf8", "שלום \u202Eevil\u202C",
		"😀 emoji 中文", strings.Repeat("very-long-model-name-", 20), "a/b", "a?b", "../../etc/passwd", "",
	}
	s := fixtureSummary()
	base := s.Models["migr"]
	s.Models, s.ModelOrder = map[string]*metrics.ModelSummary{}, nil
	for _, n := range hostile {
		s.Models[n] = base
		s.ModelOrder = append(s.ModelOrder, n)
	}
	s.Judges = []string{"<b>judge</b>", "lexicon"}
	base.Reliability["<b>judge</b>"] = base.Reliability["gpt"]
	figs, err := Figures(s)
	if err != nil {
		t.Fatal(err)
	}
	safe := regexp.MustCompile(`^[a-z0-9-]+$`)
	seen := map[string]bool{}
	confusions := 0
	for _, f := range figs {
		if !safe.MatchString(f.Name) || seen[f.Name] {
			t.Errorf("figure name %q is unsafe or repeated", f.Name)
		}
		seen[f.Name] = true
		if strings.HasPrefix(f.Name, "confusion-") {
			confusions++
		}
	}
	renderSmall(t, figs)
	if confusions != len(hostile) {
		t.Errorf("%d confusion figures for %d models: names collided", confusions, len(hostile))
	}
}

func TestAllRejectsUnknownFormat(t *testing.T) {
	dir := t.TempDir()
	if _, err := All(context.Background(), fixtureSummary(), dir, []string{"png", "gif"}); err == nil {
		t.Fatal("no error for format gif")
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("files written before the format was checked: %v", entries)
	}
}

func TestAllStopsWhenCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := All(ctx, fixtureSummary(), t.TempDir(), allFormats); !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v, want context.Canceled", err)
	}
}

func TestSaveLeavesNothingOnError(t *testing.T) {
	f, err := Recognition(fixtureSummary())
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	for _, name := range []string{"fig.gif", "fig"} {
		if err := Save(f, filepath.Join(dir, name), 0, 0); err == nil {
			t.Errorf("Save(%s): no error", name)
		}
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("left behind: %v", entries)
	}
	if err := Write(io.Discard, &Figure{Name: "x", Plot: f.Plot}, "png", 0, 0); err == nil {
		t.Error("Write without any size: no error")
	}
}

func TestCleanText(t *testing.T) {
	tests := []struct {
		in   string
		max  int
		want string
	}{
		{"plain", 0, "plain"},
		{"  spaced\n\tout \r\n", 0, "spaced out"},
		{"nul\x00and\x1b[0m", 0, "nuland[0m"},
		{"bad\xff\xfebytes", 0, "bad??bytes"},
		{"bidi \u202Eover\u202C zero\u200Bwidth", 0, "bidi over zerowidth"},
		{"emoji 😀 中", 0, "emoji □ □"},
		{"Ωμέγα Кирилл שלום", 0, "Ωμέγα Кирилл שלום"},
		{"<b>&amp;</b>", 0, "<b>&amp;</b>"},
		{"abcdefghij", 5, "abcd…"},
		{"abc de fgh", 7, "abc de…"},
		{"abcd", 4, "abcd"},
		{"", 3, ""},
	}
	for _, tt := range tests {
		if got := CleanText(tt.in, tt.max); got != tt.want {
			t.Errorf("CleanText(%q, %d) = %q, want %q", tt.in, tt.max, got, tt.want)
		}
	}
}

func TestVisualOrder(t *testing.T) {
	tests := []struct{ in, want string }{
		{"plain latin", "plain latin"},
		{"שלום", "םולש"},
		{"RTL: שלום עולם end", "RTL: םלוע םולש end"},
		{"שלום 123 עולם", "םלוע 123 םולש"},
		{"(שלום)", "(םולש)"}, // mirrored, then reversed
		{"a (שלום) b", "a (םולש) b"},
		{"שלום abc", "abc םולש"},
		{"ב\u05B0ר", "ר\u05B0ב"}, // a combining point stays after its letter
	}
	for _, tt := range tests {
		if got := VisualOrder(tt.in); got != tt.want {
			t.Errorf("VisualOrder(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestUniqueNames(t *testing.T) {
	used := map[string]bool{}
	got := []string{uniqueName("a", used), uniqueName("a", used), uniqueName("a", used), uniqueName("a-2", used)}
	if want := []string{"a", "a-2", "a-3", "a-2-2"}; !slices.Equal(got, want) {
		t.Errorf("uniqueName sequence = %v, want %v", got, want)
	}
}

func TestKappa(t *testing.T) {
	tests := []struct {
		m    [][]int
		want float64
	}{
		{[][]int{{10, 0}, {0, 10}}, 1},
		{[][]int{{5, 5}, {5, 5}}, 0},
		{[][]int{{20, 5}, {10, 15}}, 0.4}, // po = 0.7, pe = 0.5
		{[][]int{{0, 0}, {0, 0}}, 0},
		{[][]int{{4}}, 1}, // pe = 1: metrics.Kappa reports the perfect agreement as 1
	}
	for _, tt := range tests {
		if got := kappaOf(tt.m).kappa; math.Abs(got-tt.want) > 1e-12 {
			t.Errorf("kappaOf(%v) = %v, want %v", tt.m, got, tt.want)
		}
	}
}

func TestRecognitionRangeCoversIntervals(t *testing.T) {
	s := oneModel(func(m *metrics.ModelSummary) {
		m.WAR = 0.99
		m.CI["war"] = [2]float64{0.97, 1.2} // an upper bound above 100 % must stay visible
	})
	f, err := Recognition(s)
	if err != nil {
		t.Fatal(err)
	}
	if f.Plot.Y.Max < 120 {
		t.Errorf("y axis ends at %v, below the interval's 120", f.Plot.Y.Max)
	}
}

func FuzzCleanText(f *testing.F) {
	for _, s := range []string{"", "abc", "\xff", "שלום 12 (x)", "😀\u202E\x00", strings.Repeat("é", 40)} {
		f.Add(s, 10)
	}
	f.Fuzz(func(t *testing.T, s string, max int) {
		max %= 100
		out := CleanText(s, max)
		if !utf8Valid(out) {
			t.Fatalf("CleanText(%q) = %q: invalid UTF-8", s, out)
		}
		if max > 0 && len([]rune(out)) > max {
			t.Fatalf("CleanText(%q, %d) = %q: too long", s, max, out)
		}
		if strings.ContainsFunc(out, func(r rune) bool { return r < 0x20 || r == 0x7F || (r >= 0x202A && r <= 0x202E) }) {
			t.Fatalf("CleanText(%q) = %q: control characters left", s, out)
		}
		vis := VisualOrder(out)
		if len([]rune(vis)) != len([]rune(out)) {
			t.Fatalf("VisualOrder(%q) = %q: changed the length", out, vis)
		}
	})
}

func utf8Valid(s string) bool { return strings.ToValidUTF8(s, "\uFFFD") == s }

func BenchmarkAll(b *testing.B) {
	for _, formats := range [][]string{{"png"}, {"svg"}, {"pdf"}, allFormats} {
		b.Run(strings.Join(formats, "+"), func(b *testing.B) {
			s, dir := fixtureSummary(), b.TempDir()
			for b.Loop() {
				if _, err := All(context.Background(), s, dir, formats); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
