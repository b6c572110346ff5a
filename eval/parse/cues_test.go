package parse

import "testing"

func TestMatchFormat(t *testing.T) {
	v := "<vis_desc>a face</vis_desc><aud_desc>a voice</aud_desc><think>so</think><answer>sad</answer>"
	a := "<aud_desc>a voice</aud_desc><vis_desc>a face</vis_desc><think>so</think><answer>sad</answer>"
	cases := []struct {
		raw  string
		want Format
	}{
		{v, FormatVision},
		{a, FormatAudio},
		{" \n\t" + v + "\n\n", FormatVision},
		{"\v\u3000\u00a0" + v + "\x1c", FormatVision}, // Python's \s, not Go's
		{"<vis_desc>multi\nline</vis_desc>\n<aud_desc>x\n</aud_desc>\n<think>\n</think>\n<answer>\nsad\n</answer>", FormatVision},
		{v + "<|im_end|>", 0},
		{"x" + v, 0},
		{"<vis_desc>a</vis_desc><think>so</think><answer>sad</answer>", 0},
		{"<vis_desc>a</vis_desc><aud_desc>b</aud_desc><think>so</think><answer>sad", 0},
		{"<think>so</think><answer>sad</answer>", 0},
		// The lazy .*? may still run over a closing tag to find a match, as in Python.
		{"<vis_desc>a</vis_desc>b</vis_desc><aud_desc>c</aud_desc><think>d</think><answer>e</answer>", FormatVision},
		{"", 0},
	}
	for _, tc := range cases {
		if got := MatchFormat(tc.raw); got != tc.want {
			t.Errorf("MatchFormat(%q) = %v, want %v", tc.raw, got, tc.want)
		}
	}
}

func TestFirstCue(t *testing.T) {
	cases := []struct {
		text string
		want Cue
	}{
		{"Her voice trembles while her face stays calm.", CueAudio},
		{"Her face stays calm while her voice trembles.", CueVisual},
		{"The man is FROWNING, and then he shouts.", CueVisual},
		{"He says nothing; tears run down.", CueAudio},
		{"wide-eyed and silent", CueVisual},
		{"She is clearly upset about the news.", CueNone},
		{"", CueNone},
		{"Surfaces, lookups and soundness", CueNone}, // whole words only
		{"Le visage (face) est triste", CueVisual},
		{"éclat de voix, then a smile", CueVisual},
	}
	for _, tc := range cases {
		if got := FirstCue(tc.text); got != tc.want {
			t.Errorf("FirstCue(%q) = %v, want %v", tc.text, got, tc.want)
		}
	}
}
