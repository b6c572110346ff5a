package onnx

import (
	"context"
	"fmt"
	"slices"

	"github.com/emoeval/emoeval/datasets"
)

// AblationResult is one clip's probabilities with all inputs, without its video inputs and
// without its audio inputs (those inputs replaced by zeros). How far the probability of the true
// class falls when a modality is removed measures that modality's importance for the clip.
type AblationResult struct {
	ClipID  string
	Probs   []float32
	NoVideo []float32
	NoAudio []float32
}

// Ablation runs the clips three times (all inputs, video zeroed, audio zeroed). The model must
// read both a video and an audio feature column.
func (m *Model) Ablation(ctx context.Context, clips []datasets.Clip) ([]AblationResult, error) {
	mods := m.Modalities()
	if !slices.Contains(mods, "video") || !slices.Contains(mods, "audio") {
		return nil, fmt.Errorf("model %q: modality ablation needs inputs fed from feat_video and feat_audio; the model reads %v", m.name, mods)
	}
	all, err := m.Predict(ctx, clips, "")
	if err != nil {
		return nil, err
	}
	noVideo, err := m.Predict(ctx, clips, "video")
	if err != nil {
		return nil, err
	}
	noAudio, err := m.Predict(ctx, clips, "audio")
	if err != nil {
		return nil, err
	}
	out := make([]AblationResult, len(clips))
	for i, c := range clips {
		out[i] = AblationResult{ClipID: c.ClipID, Probs: all[i], NoVideo: noVideo[i], NoAudio: noAudio[i]}
	}
	return out, nil
}
