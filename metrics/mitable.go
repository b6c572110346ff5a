package metrics

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/emoeval/emoeval/datasets"
)

// MIClass is a clip's modality importance: which modality carries its emotion.
type MIClass uint8

const (
	miNone       MIClass = iota // no entry
	MIVision                    // the video alone gets the emotion right and the audio alone does not
	MIAudio                     // the reverse
	MIMultimodal                // both or neither
)

func (c MIClass) String() string {
	switch c {
	case MIVision:
		return "vision"
	case MIAudio:
		return "audio"
	case MIMultimodal:
		return "multimodal"
	}
	return ""
}

// ParseMIClass reads an MI class name (vision, audio, multimodal; case-insensitive).
func ParseMIClass(s string) (MIClass, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "vision":
		return MIVision, nil
	case "audio":
		return MIAudio, nil
	case "multimodal":
		return MIMultimodal, nil
	}
	return miNone, fmt.Errorf("unknown MI class %q: use vision, audio or multimodal", s)
}

// MIFromFlags is the authors' rule on the 0/1 correctness of the video-only and audio-only runs.
func MIFromFlags(videoCorrect, audioCorrect bool) MIClass {
	switch {
	case videoCorrect && !audioCorrect:
		return MIVision
	case audioCorrect && !videoCorrect:
		return MIAudio
	}
	return MIMultimodal
}

// DefaultAblationThreshold is the |AblationScore| below which a clip counts as multimodal: a
// difference of 10 points of true-class probability.
const DefaultAblationThreshold = 0.1

// AblationScore is a continuous MI from modality ablation of a classifier: the drop in the true
// class's probability when the audio inputs are zeroed minus the drop when the video inputs are
// zeroed, (pFull−pNoAudio) − (pFull−pNoVideo) = pNoVideo − pNoAudio. It lies in [−1, 1];
// positive means the audio matters more, negative the video.
func AblationScore(pFull, pNoVideo, pNoAudio float64) float64 {
	return (pFull - pNoAudio) - (pFull - pNoVideo)
}

// MIFromAblation classifies an ablation score: audio above threshold, vision below −threshold,
// multimodal between.
func MIFromAblation(score, threshold float64) MIClass {
	switch {
	case score > threshold:
		return MIAudio
	case score < -threshold:
		return MIVision
	}
	return MIMultimodal
}

// MITable maps clips (by datasets.NormalizeID) to their MI class and, for ablation, score.
type MITable struct {
	// Source says where MI came from: variants, onnx or file.
	Source  string
	classes map[string]MIClass
	scores  map[string]float64
}

// NewMITable returns an empty table.
func NewMITable(source string) *MITable {
	return &MITable{Source: source, classes: map[string]MIClass{}}
}

// Set records a clip's class; a later call replaces an earlier one.
func (t *MITable) Set(clipID string, c MIClass) {
	t.classes[strings.Clone(datasets.NormalizeID(clipID))] = c
}

// SetScore records a clip's ablation score and the class it gives at threshold.
func (t *MITable) SetScore(clipID string, score, threshold float64) {
	if t.scores == nil {
		t.scores = map[string]float64{}
	}
	id := strings.Clone(datasets.NormalizeID(clipID))
	t.scores[id] = score
	t.classes[id] = MIFromAblation(score, threshold)
}

// Get returns a clip's class.
func (t *MITable) Get(clipID string) (MIClass, bool) {
	c, ok := t.classes[datasets.NormalizeID(clipID)]
	return c, ok
}

// Score returns a clip's ablation score, when there is one.
func (t *MITable) Score(clipID string) (float64, bool) {
	s, ok := t.scores[datasets.NormalizeID(clipID)]
	return s, ok
}

// Len is the number of clips.
func (t *MITable) Len() int { return len(t.classes) }

// Clips returns the (normalised) clip ids, sorted.
func (t *MITable) Clips() []string {
	return slices.Sorted(maps.Keys(t.classes))
}

// MIFromVariants derives MI from two runs added to the builder, the video-only and the
// audio-only one, with the authors' rule on each clip's correctness (the last output of a clip
// counts). Clips that lack an output of either run or a label get no entry.
func (b *Builder) MIFromVariants(videoModel, audioModel string) (*MITable, error) {
	video, err := b.model(videoModel)
	if err != nil {
		return nil, err
	}
	audio, err := b.model(audioModel)
	if err != nil {
		return nil, err
	}
	t := NewMITable("variants")
	for id, c := range b.clipIdx {
		vr, ok1 := lastRec(video, c)
		ar, ok2 := lastRec(audio, c)
		if !ok1 || !ok2 || vr.truth < 0 || ar.truth < 0 {
			continue
		}
		t.classes[id] = MIFromFlags(vr.pred == vr.truth, ar.pred == ar.truth)
	}
	return t, nil
}

func lastRec(m *modelRun, clip int32) (rec, bool) {
	if int(clip) >= len(m.last) || m.last[clip] == 0 {
		return rec{}, false
	}
	return m.recs[m.last[clip]-1], true
}
