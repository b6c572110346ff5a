package onnx_test

import (
	"context"
	"fmt"
	"log"

	"github.com/emoeval/emoeval/datasets"
	"github.com/emoeval/emoeval/eval/backend/onnx"
	"github.com/emoeval/emoeval/internal/ortenv"
)

// A fusion model reads the split's feat_video and feat_audio columns; Check validates the split
// before any run, PredictClips gives probabilities and Ablation the inputs of a continuous MI. In
// a run, *onnx.Model is the runner's Backend itself.
func ExampleOpen() {
	ctx := context.Background()
	split := &datasets.Split{Labels: datasets.DFEW()} // e.g. read from splits.parquet
	m, err := onnx.Open(ctx, onnx.Config{
		Name:   "fusion",
		Path:   "models/fusion.onnx",
		Device: ortenv.AutoDevice(), // the default: CUDA when its provider can be used, else the CPU
		Inputs: map[string]string{"video": "feat_video", "audio": "feat_audio"},
		Labels: split.Labels,
	})
	if err != nil {
		log.Fatal(err)
	}
	defer m.Close()
	if err := m.Check(split); err != nil {
		log.Fatal(err)
	}
	probs, err := m.PredictClips(ctx, split.Clips, "")
	if err != nil {
		log.Fatal(err)
	}
	ablation, err := m.Ablation(ctx, split.Clips, nil)
	if err != nil {
		log.Fatal(err)
	}
	mi, err := onnx.AblationMI(split.Labels, split.Clips, ablation, 0)
	if err != nil {
		log.Fatal(err)
	}
	info := m.Info() // where it ran: device, ONNX Runtime version, TF32, threads, batch size
	fmt.Println(len(probs), mi.Len(), info.Device)
}
