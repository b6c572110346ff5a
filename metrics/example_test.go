package metrics_test

import (
	"fmt"

	"github.com/emoeval/emoeval/datasets"
	"github.com/emoeval/emoeval/eval/parse"
	"github.com/emoeval/emoeval/metrics"
)

// ExampleBuild scores two outputs under the authors' protocol: parse each raw output, keep the
// labels and flags, and build the summary.
func ExampleBuild() {
	labels := datasets.DFEW()
	p := parse.NewParser(labels, parse.ProtocolMigr)
	clips := []datasets.Clip{
		{ClipID: "00001", Fold: 5, Split: datasets.Test, Label: "happy"},
		{ClipID: "00002", Fold: 5, Split: datasets.Test, Label: "sad"},
	}
	raw := map[string]string{
		"1": "<think>She smiles and laughs.</think><answer>happiness</answer>",
		"2": "<think>His voice is calm.</think><answer>neutral",
	}
	var samples []metrics.Sample
	for _, id := range []string{"1", "2"} {
		o := p.Parse(raw[id])
		samples = append(samples, metrics.Sample{ClipID: id, Pred: o.Pred, QuarterPred: o.QuarterPred,
			Status: string(o.Status), Order: string(o.Order), Format: parse.MatchFormat(raw[id]), Cue: parse.FirstCue(o.Think)})
	}
	judge := map[string]metrics.JudgeOutcome{"1": {Emotion: "sad"}, "2": {Emotion: "neutral"}}
	s, err := metrics.Build(metrics.Input{Clips: clips, Models: []metrics.ModelInput{{Name: "r1-omni", Samples: samples,
		Judgments: map[string]map[string]metrics.JudgeOutcome{"gpt": judge}}}},
		metrics.Options{Labels: labels, Protocol: parse.ProtocolMigr, Folds: []int32{5}})
	if err != nil {
		fmt.Println(err)
		return
	}
	m := s.Models["r1-omni"]
	r := m.Reliability["gpt"]
	fmt.Printf("WAR %.3f  UAR %.3f  TF %.2f%%  EPC %.2f%%\n", m.PaperFigures(s.Labels).WAR, m.PaperFigures(s.Labels).UAR, r.TF*100, r.EPC*100)
	// Rates with nothing to count are nil: no clip has an MI of vision or audio here.
	if vi := m.Modality.VisualInitiation; vi != nil {
		fmt.Printf("visual initiation %.2f of %d\n", *vi, m.Modality.VisualInitiationN)
	}
	fmt.Println("MI-aligned defined:", m.Modality.MIAligned != nil)
	// Output:
	// WAR 50.000  UAR 14.286  TF 50.00%  EPC 50.00%
	// visual initiation 0.50 of 2
	// MI-aligned defined: false
}

func ExampleMcNemarExact() {
	// The baseline alone is right on 2 clips, the candidate alone on 9.
	fmt.Printf("%.4f\n", metrics.McNemarExact(2, 9))
	// Output: 0.0654
}
