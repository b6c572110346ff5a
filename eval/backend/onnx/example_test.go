package onnx_test

import (
	"context"
	"fmt"
	"log"

	"github.com/emoeval/emoeval/datasets"
	"github.com/emoeval/emoeval/eval/backend/onnx"
)

// A fusion model reads the split's feat_video and feat_audio columns; Check validates the split
// before any run, Predict gives probabilities and Ablation the inputs of a continuous MI.
func ExampleOpen() {
	ctx := context.Background()
	split := &datasets.Split{Labels: datasets.DFEW()} // e.g. read from splits.parquet
	m, err := onnx.Open(ctx, onnx.Config{
		Name:   "fusion",
		Path:   "models/fusion.onnx",
		Device: "auto", // CUDA when its provider loads, else the CPU with a warning
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
	probs, err := m.Predict(ctx, split.Clips, "")
	if err != nil {
		log.Fatal(err)
	}
	ablation, err := m.Ablation(ctx, split.Clips)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(len(probs), len(ablation))
}
