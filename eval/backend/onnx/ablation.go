package onnx

import (
	"context"
	"fmt"
	"slices"

	"github.com/emoeval/emoeval/datasets"
	"github.com/emoeval/emoeval/eval/modality"
	"github.com/emoeval/emoeval/eval/variant"
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
// read both a video and an audio feature column. progress, when not nil, counts the clips of the
// three passes together (total is 3×len(clips)).
//
// A run whose configuration has the video and audio variants has made these passes already:
// AblationFromVariants takes their probabilities instead of running the model again.
func (m *Model) Ablation(ctx context.Context, clips []datasets.Clip, progress Progress) ([]AblationResult, error) {
	mods := m.Modalities()
	if !slices.Contains(mods, "video") || !slices.Contains(mods, "audio") {
		return nil, fmt.Errorf("model %q: modality ablation needs inputs fed from feat_video and feat_audio; the model reads %v", m.name, mods)
	}
	// One allocation for the three runs' rows: all inputs, video zeroed, audio zeroed.
	n, c := len(clips), m.classes
	flat := make([]float32, 3*n*c)
	for k, ablate := range []string{"", "video", "audio"} {
		var pass Progress
		if progress != nil {
			pass = func(done, _ int) { progress(k*n+done, 3*n) }
		}
		if err := m.PredictInto(ctx, clips, ablate, flat[k*n*c:(k+1)*n*c], pass); err != nil {
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

// AblationFromVariants assembles ablation results from the probabilities a run's variants
// produced, keyed by clip id: av (all inputs), video (the video variant: audio inputs zeroed)
// and audio (the audio variant: video inputs zeroed). Keys match clip ids exactly or after
// datasets.NormalizeID. Every clip needs all three.
func AblationFromVariants(clips []datasets.Clip, av, video, audio map[string][]float32) ([]AblationResult, error) {
	sets := []struct {
		v     variant.Variant
		probs map[string][]float32
	}{{variant.AV, av}, {variant.Video, video}, {variant.Audio, audio}}
	normalized := make([]map[string][]float32, len(sets))
	for k, s := range sets {
		normalized[k] = make(map[string][]float32, len(s.probs))
		for id, p := range s.probs {
			normalized[k][datasets.NormalizeID(id)] = p
		}
	}
	out := make([]AblationResult, len(clips))
	for i, c := range clips {
		var rows [3][]float32
		for k, s := range sets {
			p, ok := s.probs[c.ClipID]
			if !ok {
				p, ok = normalized[k][datasets.NormalizeID(c.ClipID)]
			}
			if !ok {
				return nil, fmt.Errorf("ablation MI: clip %s has no probabilities from the %s variant", c.ClipID, s.v)
			}
			rows[k] = p
		}
		// The video variant withholds the audio, the audio variant the video.
		out[i] = AblationResult{ClipID: c.ClipID, Probs: rows[0], NoAudio: rows[1], NoVideo: rows[2]}
	}
	return out, nil
}

// AblationMI computes the ablation MI of each clip from its three probability rows:
// modality.AblationScore of the true class's probabilities, classified with threshold (0 means
// modality.DefaultAblationThreshold). results are matched to clips by clip id; the label set
// gives each clip's true class.
func AblationMI(labels *datasets.LabelSet, clips []datasets.Clip, results []AblationResult, threshold float64) (*modality.Table, error) {
	if threshold == 0 {
		threshold = modality.DefaultAblationThreshold
	}
	truth := make(map[string]int, len(clips))
	for _, c := range clips {
		k := labels.Index(c.Label)
		if k < 0 {
			return nil, fmt.Errorf("ablation MI: clip %s: label %q is not one of %s", c.ClipID, c.Label, labels.Name)
		}
		truth[datasets.NormalizeID(c.ClipID)] = k
	}
	t := modality.NewTable("onnx")
	for _, r := range results {
		k, ok := truth[datasets.NormalizeID(r.ClipID)]
		if !ok {
			return nil, fmt.Errorf("ablation MI: clip %s is not one of the run's clips", r.ClipID)
		}
		for _, row := range [][]float32{r.Probs, r.NoVideo, r.NoAudio} {
			if len(row) != labels.Len() {
				return nil, fmt.Errorf("ablation MI: clip %s has %d probabilities, label set %s has %d labels", r.ClipID, len(row), labels.Name, labels.Len())
			}
		}
		t.SetScore(r.ClipID, modality.AblationScore(float64(r.Probs[k]), float64(r.NoVideo[k]), float64(r.NoAudio[k])), threshold)
	}
	return t, nil
}
