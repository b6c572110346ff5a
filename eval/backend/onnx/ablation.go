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
	// One allocation for the three runs' rows: all inputs, video zeroed, audio zeroed.
	n, c := len(clips), m.classes
	flat := make([]float32, 3*n*c)
	for k, ablate := range []string{"", "video", "audio"} {
		if err := m.PredictInto(ctx, clips, ablate, flat[k*n*c:(k+1)*n*c]); err != nil {
			return nil, err
		}
	}
	row := func(k, i int) []float32 { return flat[(k*n+i)*c : (k*n+i+1)*c : (k*n+i+1)*c] }
	out := make([]AblationResult, n)
	for i, cl := range clips {
		out[i] = AblationResult{ClipID: cl.ClipID, Probs: row(0, i), NoVideo: row(1, i), NoAudio: row(2, i)}
	}
	return out, nil
}
