package plot

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/emoeval/emoeval/metrics"
)

// edgeSummary is the fixture plus a model that stretches every figure: twelve samples, a class
// without clips, one drift bin with three sentences, no description tags and undefined modality
// rates, and a judge pair that disagrees more than chance would.
func edgeSummary() *metrics.Summary {
	s := fixtureSummary()
	tiny := &metrics.ModelSummary{
		Variant: "av", N: 12, Correct: 7, WAR: 7.0 / 12, UAR: 0.55, MacroF1: 0.5,
		PerClass: map[string]metrics.ClassStats{}, CI: map[string][2]float64{"war": {0.33, 0.81}},
		Reliability: map[string]*metrics.Reliability{"gpt": {N: 12, TT: 5.0 / 12, TF: 2.0 / 12, FT: 1.0 / 12, FF: 4.0 / 12,
			Counts: metrics.QuarterCounts{TT: 5, TF: 2, FT: 1, FF: 4}}},
		Drift: map[string]*metrics.Drift{"lexicon": {
			Bins: []float64{0.1, 0.3, 0.5, 0.7, 0.9}, Sentences: []int{0, 0, 3, 0, 0},
			Grounded: []float64{0, 0, 2.0 / 3, 0, 0}, AgreeAnswer: []float64{0, 0, 1, 0, 0}, Grounding: 2.0 / 3,
		}},
		Modality: &metrics.Modality{
			Order: map[string]float64{"no_desc": 1}, MISource: "variants", MIAligned: ptr(0),
			MIOrder: map[string]map[string]int{"vision": {"no_desc": 4}, "audio": {"no_desc": 2}, "multimodal": {"no_desc": 6}},
		},
	}
	for i, c := range s.Labels {
		support := []int{3, 2, 3, 1, 2, 0, 1}[i]
		correct := []int{2, 1, 2, 1, 1, 0, 0}[i]
		cs := metrics.ClassStats{Support: support, Correct: correct}
		if support > 0 {
			cs.Recall = float64(correct) / float64(support)
		}
		tiny.PerClass[c] = cs
	}
	tiny.Confusion = s.Models["migr"].Confusion
	s.Models["tiny"] = tiny
	s.ModelOrder = append(s.ModelOrder, "tiny")
	s.Agreement = append(s.Agreement, metrics.Agreement{A: "lexicon", B: "human", Model: "tiny", N: 12, Kappa: -0.12})
	return s
}

// TestLook writes the figures of the fixture, of edgeSummary and of the fixture with a model
// without description tags as metrics now writes it, as PNG into $LOOKDIR/fixture, edge and
// current, to be looked at.
func TestLook(t *testing.T) {
	dir := os.Getenv("LOOKDIR")
	if dir == "" {
		t.Skip("set LOOKDIR to write the figures as PNG")
	}
	current := fixtureSummary() // r1-omni as metrics now writes a model without description tags
	current.Models["r1-omni"].Modality = &metrics.Modality{MISource: "variants", VisualInitiation: ptr(0.83), VisualInitiationN: 2100}
	for name, s := range map[string]*metrics.Summary{"fixture": fixtureSummary(), "edge": edgeSummary(), "current": current} {
		out := filepath.Join(dir, name)
		if err := os.MkdirAll(out, 0o755); err != nil {
			t.Fatal(err)
		}
		if _, err := All(context.Background(), s, out, []string{"png"}); err != nil {
			t.Fatal(err)
		}
	}
}

// TestLookSmall writes the edge figures at half their size (as the PDF report's tests render
// them) into $LOOKDIR/small.
func TestLookSmall(t *testing.T) {
	dir := os.Getenv("LOOKDIR")
	if dir == "" {
		t.Skip("set LOOKDIR to write the figures as PNG")
	}
	figs, err := Figures(edgeSummary())
	if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "small")
	if err := os.MkdirAll(out, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, f := range figs {
		if err := Save(f, filepath.Join(out, f.Name+".png"), f.Width/2, f.Height/2); err != nil {
			t.Fatal(err)
		}
	}
}

// TestLookPDF writes the edge figures as standalone PDF into $LOOKDIR/pdf.
func TestLookPDF(t *testing.T) {
	dir := os.Getenv("LOOKDIR")
	if dir == "" {
		t.Skip("set LOOKDIR to write the figures as PDF")
	}
	out := filepath.Join(dir, "pdf")
	if err := os.MkdirAll(out, 0o755); err != nil {
		t.Fatal(err)
	}
	if _, err := All(context.Background(), edgeSummary(), out, []string{"pdf"}); err != nil {
		t.Fatal(err)
	}
}
