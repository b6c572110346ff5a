// Package prompts holds the built-in prompt texts: the model prompts the MIGR authors used for
// inference and their judge prompt (docs/reference.md §2 and §4), word for word.
package prompts

import (
	"sort"
	"strings"

	"github.com/emoeval/emoeval/datasets"
)

// Built-in prompt names.
const (
	NameR1Omni = "r1-omni"
	NameMIGR   = "migr"
	NameJudge  = "migr-judge"
)

// R1Omni is the R1-Omni / ERV inference prompt.
const R1Omni = "As an emotional recognition expert; throughout the video, which emotion conveyed by the " +
	"characters is the most obvious to you? Output the thinking process in <think> </think> and final " +
	"emotion in <answer> </answer> tags."

// MIGR is the MIGR inference prompt.
const MIGR = "As an emotion recognition expert, analyze the video considering visual behavior, and audio " +
	"tone. Describe your observations using the tags <vis_desc> and <aud_desc> for visual, and audio cues " +
	"respectively. Focus first on the modality that provides the most important information for emotion " +
	"prediction. Then, integrate all these cues into a reasoning process in <think> </think>, and provide " +
	"the final predicted emotion in <answer> </answer> tags."

// Judge prompt pieces: the authors build it as INSTRUCTION_CHECK + "\nReason: {reason}\nAnswer Emotion:".
const (
	JudgePrefix = "Read the reasoning content and respond with the appropriate emotion in "
	judgeReply  = ". Reply with only the emotion word."
	JudgeReason = "\nReason: "
	JudgeSuffix = "\nAnswer Emotion:"
)

var models = map[string]string{NameR1Omni: R1Omni, NameMIGR: MIGR}

// Model returns the text of a built-in model prompt ("r1-omni" or "migr").
func Model(name string) (string, bool) {
	t, ok := models[name]
	return t, ok
}

// ModelNames lists the built-in model prompt names, sorted.
func ModelNames() []string {
	names := make([]string, 0, len(models))
	for n := range models {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// Judge returns the migr-judge prompt for a label set and a reason: the labels are listed in the
// set's official order, as the authors list DFEW's 7 and MAFW's 11.
func Judge(labels *datasets.LabelSet, reason string) string {
	return JudgePrefix + strings.Join(labels.Labels, ", ") + judgeReply + JudgeReason + reason + JudgeSuffix
}

// ParseJudge recognises a migr-judge prompt and returns the labels it offers and the reason it
// carries. The simulated judge uses it; it accepts any label list.
func ParseJudge(prompt string) (labels []string, reason string, ok bool) {
	rest, ok := strings.CutPrefix(prompt, JudgePrefix)
	if !ok {
		return nil, "", false
	}
	list, rest, ok := strings.Cut(rest, judgeReply+JudgeReason)
	if !ok {
		return nil, "", false
	}
	reason, ok = strings.CutSuffix(rest, JudgeSuffix)
	if !ok {
		return nil, "", false
	}
	return strings.Split(list, ", "), reason, true
}
