package prompts

import (
	"slices"
	"testing"

	"github.com/emoeval/emoeval/datasets"
)

func TestJudgeExactText(t *testing.T) {
	tests := []struct {
		labels *datasets.LabelSet
		want   string
	}{
		{datasets.DFEW(), "Read the reasoning content and respond with the appropriate emotion in happy, sad, neutral, angry, surprise, disgust, fear. Reply with only the emotion word.\nReason: He frowns.\nAnswer Emotion:"},
		{datasets.MAFW(), "Read the reasoning content and respond with the appropriate emotion in anger, disgust, fear, happiness, neutral, sadness, surprise, contempt, anxiety, helplessness, disappointment. Reply with only the emotion word.\nReason: He frowns.\nAnswer Emotion:"},
	}
	for _, tt := range tests {
		t.Run(tt.labels.Name, func(t *testing.T) {
			got := Judge(tt.labels, "He frowns.")
			if got != tt.want {
				t.Fatalf("Judge =\n%q\nwant\n%q", got, tt.want)
			}
			labels, reason, ok := ParseJudge(got)
			if !ok || reason != "He frowns." || !slices.Equal(labels, tt.labels.Labels) {
				t.Fatalf("ParseJudge = %v %q %v", labels, reason, ok)
			}
		})
	}
}

func TestParseJudgeRejects(t *testing.T) {
	for _, p := range []string{"", R1Omni, JudgePrefix + "happy, sad", JudgePrefix + "happy. Reply with only the emotion word.\nReason: x"} {
		if _, _, ok := ParseJudge(p); ok {
			t.Errorf("ParseJudge(%q) accepted", p)
		}
	}
}

func TestModel(t *testing.T) {
	for _, n := range ModelNames() {
		if txt, ok := Model(n); !ok || txt == "" {
			t.Errorf("Model(%q) missing", n)
		}
	}
	if _, ok := Model("gpt"); ok {
		t.Error("unknown prompt accepted")
	}
	if !slices.Equal(ModelNames(), []string{"migr", "r1-omni"}) {
		t.Errorf("ModelNames = %v", ModelNames())
	}
}

func FuzzParseJudge(f *testing.F) {
	f.Add(Judge(datasets.DFEW(), "He frowns. Reason: nested\nAnswer Emotion: x"))
	f.Add(Judge(datasets.MAFW(), ""))
	f.Add("Read the reasoning content")
	f.Fuzz(func(t *testing.T, prompt string) {
		labels, reason, ok := ParseJudge(prompt)
		if !ok {
			return
		}
		ls := &datasets.LabelSet{Labels: labels}
		if again := Judge(ls, reason); again != prompt {
			t.Fatalf("ParseJudge(%q) does not rebuild: %q", prompt, again)
		}
	})
}
