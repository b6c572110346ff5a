package pdf

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/emoeval/emoeval/metrics"
	"github.com/emoeval/emoeval/reports/plot"
	"github.com/emoeval/emoeval/reports/tabular"
)

// loadFixture reads the hand-made summary that reports/plot keeps (3 models, 2 judges, MI,
// drift, agreement; synthetic).
func loadFixture(t testing.TB) *metrics.Summary {
	t.Helper()
	data, err := os.ReadFile("../plot/testdata/fixture-summary.json")
	if err != nil {
		t.Fatal(err)
	}
	var s metrics.Summary
	if err := json.Unmarshal(data, &s); err != nil {
		t.Fatal(err)
	}
	return &s
}

func num(v float64) *float64 { return &v }

// fixtureTables are tables like the ones reports/tables builds: a recognition table with
// reported rows and emphasis, a quarter table, a wide confusion matrix (MAFW-sized, 12
// columns) and a table with long text.
func fixtureTables(s *metrics.Summary) []*tabular.Table {
	rec := &tabular.Table{ID: "recognition", Title: "Recognition on DFEW fold 5 (%)",
		Columns: []tabular.Column{{Header: "model"}, {Header: "WAR", Align: tabular.Right}, {Header: "UAR", Align: tabular.Right},
			{Header: "macro-F1", Align: tabular.Right}, {Header: "unknown", Align: tabular.Right}},
		Notes: []string{"Intervals: 95% percentile bootstrap, 1000 resamples.", "Synthetic data: not a real evaluation."}}
	rec.Rows = append(rec.Rows,
		tabular.Row{Reported: true, Cells: []tabular.Cell{{Text: "HumanOmni-7B (reported)"}, {Text: "82.46"}, {Text: "74.86"}, {Text: "–"}, {Text: "–"}}},
		tabular.Row{Reported: true, Cells: []tabular.Cell{{Text: "MIGR-7B (reported)"}, {Text: "–"}, {Text: "67.78"}, {Text: "–"}, {Text: "–"}}})
	for i, name := range s.ModelOrder {
		m := s.Models[name]
		row := tabular.Row{Rule: i == 0, Cells: []tabular.Cell{{Text: name},
			{Text: fmt.Sprintf("%.2f [%.2f, %.2f]", 100*m.WAR, 100*m.CI["war"][0], 100*m.CI["war"][1]), Value: num(m.WAR)},
			{Text: fmt.Sprintf("%.2f", 100*m.UAR), Value: num(m.UAR), Emph: name == "migr"},
			{Text: fmt.Sprintf("%.2f", 100*m.MacroF1)}, {Text: fmt.Sprint(m.Unknown)}}}
		rec.Rows = append(rec.Rows, row)
	}
	quarter := &tabular.Table{ID: "quarter-gpt", Title: "Prediction × explanation (judge gpt), % of all samples",
		Columns: []tabular.Column{{Header: "model"}, {Header: "TT", Align: tabular.Right}, {Header: "TF", Align: tabular.Right},
			{Header: "FT", Align: tabular.Right}, {Header: "FF", Align: tabular.Right}, {Header: "TF over correct", Align: tabular.Right},
			{Header: "EPC", Align: tabular.Right}, {Header: "EEA", Align: tabular.Right}, {Header: "fallback", Align: tabular.Right}}}
	for _, name := range s.ModelOrder {
		r := s.Models[name].Reliability["gpt"]
		quarter.Rows = append(quarter.Rows, tabular.Row{Cells: []tabular.Cell{{Text: name},
			{Text: pctText(r.TT)}, {Text: pctText(r.TF), Emph: name == "migr"}, {Text: pctText(r.FT)}, {Text: pctText(r.FF)},
			{Text: pctText(r.TFGivenCorrect)}, {Text: pctText(r.EPC)}, {Text: pctText(r.EEA)}, {Text: pctText(r.Fallback)}}})
	}
	mafw := []string{"anger", "disgust", "fear", "happiness", "neutral", "sadness", "surprise", "contempt", "anxiety", "helplessness", "disappointment"}
	conf := &tabular.Table{ID: "confusion-wide", Title: "Confusion matrix, MAFW-sized (counts)",
		Columns: []tabular.Column{{Header: "true \\ predicted"}}}
	for _, l := range append(mafw, "unknown") {
		conf.Columns = append(conf.Columns, tabular.Column{Header: l, Align: tabular.Right})
	}
	for i, l := range mafw {
		row := tabular.Row{Cells: []tabular.Cell{{Text: l}}}
		for j := 0; j <= len(mafw); j++ {
			row.Cells = append(row.Cells, tabular.Cell{Text: fmt.Sprint((i*7 + j*13) % 250), Emph: i == j})
		}
		conf.Rows = append(conf.Rows, row)
	}
	cmp := &tabular.Table{ID: "comparisons", Title: "Paired comparisons (candidate − baseline)",
		Columns: []tabular.Column{{Header: "baseline"}, {Header: "candidate"}, {Header: "metric"}, {Header: "Δ", Align: tabular.Right},
			{Header: "95% CI", Align: tabular.Right}, {Header: "p", Align: tabular.Right}, {Header: "test"}, {Header: "reading"}}}
	cmp.Rows = []tabular.Row{
		{Cells: []tabular.Cell{{Text: "r1-omni"}, {Text: "migr"}, {Text: "uar"}, {Text: "+4.10"}, {Text: "[+1.2, +7.0]"}, {Text: "0.004"}, {Text: "paired-bootstrap"},
			{Text: "The candidate recognises emotions better on the same clips; the interval excludes zero.", Emph: true}}},
		{Cells: []tabular.Cell{{Text: "r1-omni"}, {Text: "migr"}, {Text: "gpt.tf"}, {Text: "−6.80"}, {Text: "[−8.1, −5.5]"}, {Text: "<0.001"}, {Text: "mcnemar-exact"},
			{Text: "Far fewer correct predictions come with an inconsistent explanation."}}},
	}
	return []*tabular.Table{rec, quarter, conf, cmp}
}

func pctText(v float64) string { return fmt.Sprintf("%.2f", 100*v) }

// hostileText is model-written text at its worst.
var hostileText = []string{
	"<script>alert('x')</script> & \"quotes\"",
	"NUL\x00inside and \x1b[31mANSI\x1b[0m escapes",
	"invalid UTF-8: \xff\xfe\xc3\x28 end",
	"RTL: שלום עולם \u202Eevil override\u202C and العربية",
	"emoji 😀🎬 and CJK 中文字幕 and combining é",
	"Ελληνικά και Кириллица",
}

func fixtureExamples() []Example {
	var out []Example
	explanations := []string{
		"The woman's mouth is open and her brows are raised, which suggests surprise at first. " +
			"Her voice then rises sharply; the scene shows her clenching her fists. Overall the cues point to anger and frustration, " +
			"although the final answer given was happy.",
		"Лицо человека напряжено, голос дрожит: это похоже на страх. Ωστόσο, η απάντηση είναι λύπη.",
		strings.Repeat("A very long explanation that keeps going without end. ", 200), // ≈ 11 KB
		strings.Repeat("x", 3000), // one unbreakable word
	}
	for i, e := range explanations {
		out = append(out, Example{Model: "r1-omni", ClipID: fmt.Sprintf("%05d", 12583+i), Truth: "happy", Pred: "happy",
			JudgeEmotion: "angry", Judge: "gpt", Explanation: e})
	}
	for _, h := range hostileText {
		out = append(out, Example{Model: "migr", ClipID: h, Truth: "sad", Pred: "sad", JudgeEmotion: h, Judge: h,
			Explanation: h + "\n\nSecond paragraph after a blank line.\r\nWindows line end."})
	}
	out = append(out, Example{Model: hostileText[0], ClipID: "1", Truth: "fear", Pred: "fear", JudgeEmotion: "neutral", Judge: "lexicon",
		Explanation: strings.Join(hostileText, "\n")})
	return out
}

// fixtureInput is a complete report input; its figures are rendered into dir as PNGs, at
// their real size or, for tests (the race detector makes rasterising slow), at a quarter of it.
func fixtureInput(t testing.TB, dir string, fullSize bool) Input {
	t.Helper()
	s := loadFixture(t)
	var paths []string
	if fullSize {
		var err error
		if paths, err = plot.All(context.Background(), s, dir, []string{"png"}); err != nil {
			t.Fatal(err)
		}
	} else {
		figs, err := plot.Figures(s)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range figs {
			path := filepath.Join(dir, f.Name+".png")
			if err := plot.Save(f, path, f.Width/2, f.Height/2); err != nil {
				t.Fatal(err)
			}
			paths = append(paths, path)
		}
	}
	return Input{
		Summary: s,
		Meta: Meta{
			RunName: "dfew-fold5 demo «Ωμέγα» <b>&</b>", Date: time.Date(2026, 11, 27, 14, 30, 0, 0, time.UTC),
			ToolVersion: "v0.3.0-dev", DatasetFile: "data/dfew-splits.parquet",
			DatasetSHA256: "92ba8e44d31b80a34f5e805076a044122c3be1fffe0d88ed790de7267b0b2682",
			Command:       "emoeval run -c emoeval.yaml --out runs/dfew-fold5 --formats txt,md,tex,csv,html,png,svg,pdf",
			Models: []ModelInfo{
				{Name: "r1-omni", Backend: "openai", ModelID: "R1-Omni-7B", Endpoint: "http://user:secret@gpu-1:8000/v1?api_key=XYZ"},
				{Name: "migr", Backend: "openai", ModelID: "MIGR-7B", Endpoint: "http://gpu-2:8000/v1"},
				{Name: "ERV-7B «Ωμέγα» <b>&amp;</b>", Backend: "replay", Path: "results/ERV-7B/output_eval5_all-video_audio.txt"},
			},
			Judges: []string{"lexicon", "gpt"},
		},
		Tables:   fixtureTables(s),
		Figures:  paths,
		Examples: fixtureExamples(),
	}
}

func TestLookSample(t *testing.T) {
	dir := os.Getenv("LOOKDIR")
	if dir == "" {
		t.Skip("set LOOKDIR to write a sample report")
	}
	if err := Write(context.Background(), filepath.Join(dir, "report.pdf"), fixtureInput(t, t.TempDir(), true)); err != nil {
		t.Fatal(err)
	}
	if err := Write(context.Background(), filepath.Join(dir, "report-hostile.pdf"), hostileInput(t)); err != nil {
		t.Fatal(err)
	}
}
