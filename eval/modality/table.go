// Package modality holds modality importance (MI): which modality carries each clip's emotion,
// from variant runs, ONNX ablation or a file, and the MI table's file formats.
package modality

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/emoeval/emoeval/datasets"
)

// Class is a clip's modality importance: which modality carries its emotion.
type Class uint8

const (
	None       Class = iota // no entry
	Vision                  // the video alone gets the emotion right and the audio alone does not
	Audio                   // the reverse
	Multimodal              // both or neither
)

func (c Class) String() string {
	switch c {
	case Vision:
		return "vision"
	case Audio:
		return "audio"
	case Multimodal:
		return "multimodal"
	}
	return ""
}

// ParseClass reads an MI class name (vision, audio, multimodal; case-insensitive).
func ParseClass(s string) (Class, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "vision":
		return Vision, nil
	case "audio":
		return Audio, nil
	case "multimodal":
		return Multimodal, nil
	}
	return None, fmt.Errorf("unknown MI class %q: use vision, audio or multimodal", s)
}

// FromFlags is the authors' rule on the 0/1 correctness of the video-only and audio-only runs.
func FromFlags(videoCorrect, audioCorrect bool) Class {
	switch {
	case videoCorrect && !audioCorrect:
		return Vision
	case audioCorrect && !videoCorrect:
		return Audio
	}
	return Multimodal
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

// FromAblation classifies an ablation score: audio above threshold, vision below −threshold,
// multimodal between.
func FromAblation(score, threshold float64) Class {
	switch {
	case score > threshold:
		return Audio
	case score < -threshold:
		return Vision
	}
	return Multimodal
}

// Table maps clips (by datasets.NormalizeID) to their MI class and, for ablation, score.
type Table struct {
	// Source says where MI came from: variants, onnx or file.
	Source  string
	classes map[string]Class
	scores  map[string]float64
}

// NewTable returns an empty table.
func NewTable(source string) *Table {
	return &Table{Source: source, classes: map[string]Class{}}
}

// Set records a clip's class; a later call replaces an earlier one.
func (t *Table) Set(clipID string, c Class) {
	t.classes[strings.Clone(datasets.NormalizeID(clipID))] = c
}

// SetScore records a clip's ablation score and the class it gives at threshold.
func (t *Table) SetScore(clipID string, score, threshold float64) {
	if t.scores == nil {
		t.scores = map[string]float64{}
	}
	id := strings.Clone(datasets.NormalizeID(clipID))
	t.scores[id] = score
	t.classes[id] = FromAblation(score, threshold)
}

// Get returns a clip's class.
func (t *Table) Get(clipID string) (Class, bool) {
	c, ok := t.classes[datasets.NormalizeID(clipID)]
	return c, ok
}

// Score returns a clip's ablation score, when there is one.
func (t *Table) Score(clipID string) (float64, bool) {
	s, ok := t.scores[datasets.NormalizeID(clipID)]
	return s, ok
}

// Len is the number of clips.
func (t *Table) Len() int { return len(t.classes) }

// Clips returns the (normalised) clip ids, sorted.
func (t *Table) Clips() []string {
	return slices.Sorted(maps.Keys(t.classes))
}
