package parse

import (
	"strings"
	"testing"

	"github.com/emoeval/emoeval/datasets"
)

func TestRobustDFEW(t *testing.T) {
	p := NewParser(datasets.DFEW(), ProtocolRobust)
	tests := []struct {
		name, raw, answer, pred string
		status                  Status
		norm                    string
	}{
		{"clean", r1Clean, "sad", "sad", StatusOK, ""},
		{"missing </answer>", r1NoCloseAnswer, "angry", "angry", StatusUnclosedAnswer, "unclosed"},
		{"unclosed answer ends at the next tag", "<answer>fear<|im_end|>", "fear", "fear", StatusUnclosedAnswer, "punct,unclosed"},
		{"missing </think>, no answer", r1NoCloseThink, "", datasets.Unknown, StatusNoAnswer, ""},
		{"synonym, trailing marker", migrAudio, "anger", "angry", StatusOK, "punct,synonym"},
		{"case and punctuation", "<answer> Happy. </answer>", "Happy.", "happy", StatusOK, "case,punct"},
		{"the last complete answer wins", "<answer>happy</answer> wait <answer>sad</answer>", "sad", "sad", StatusOK, "last_answer"},
		{"upper-case tags", "<ANSWER>Fear</Answer>", "Fear", "fear", StatusOK, "case"},
		{"one label inside a sentence", "<answer>The emotion is anger.</answer>", "The emotion is anger.", "angry", StatusOK,
			"case,extracted,punct"},
		{"two labels inside a sentence", "<answer>happy or sad</answer>", "happy or sad", datasets.Unknown, StatusUnknownLabel, ""},
		{"negated label", "<answer>not angry</answer>", "not angry", datasets.Unknown, StatusUnknownLabel, ""},
		{"out of set", "<answer>contempt</answer>", "contempt", datasets.Unknown, StatusUnknownLabel, ""},
		{"bare label word", "Surprised<|im_end|>", "Surprised", "surprise", StatusNoAnswer, "bare_answer,case,punct,synonym"},
		{"bare sentence is not an answer", "I think it is fear", "", datasets.Unknown, StatusNoAnswer, ""},
		{"empty answer tag", "<think>hm</think><answer>", "", datasets.Unknown, StatusUnknownLabel, "unclosed"},
		{"empty", "  \n", "", datasets.Unknown, StatusEmpty, ""},
		{"only a marker", "<|im_end|>", "", datasets.Unknown, StatusEmpty, ""},
		{"offsets survive case changes of other length", "İ<answer>fear</answer>Ⱥ", "fear", "fear", StatusOK, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := p.Parse(tt.raw)
			if o.AnswerRaw != tt.answer || o.Pred != tt.pred || o.Status != tt.status || o.Normalized != tt.norm {
				t.Errorf("answer, pred, status, normalized = %q, %q, %q, %q; want %q, %q, %q, %q",
					o.AnswerRaw, o.Pred, o.Status, o.Normalized, tt.answer, tt.pred, tt.status, tt.norm)
			}
			if o.QuarterPred != o.Pred {
				t.Errorf("QuarterPred %q != Pred %q under robust", o.QuarterPred, o.Pred)
			}
			if o.Reason != o.Think {
				t.Errorf("Reason %q != Think %q under robust", o.Reason, o.Think)
			}
		})
	}
}

func TestRobustMAFW(t *testing.T) {
	p := NewParser(datasets.MAFW(), ProtocolRobust)
	for raw, want := range map[string]string{
		"<answer>Angry</answer>":             "anger",
		"<answer>nervous</answer>":           "anxiety",
		"<answer>contempt.</answer>":         "contempt",
		"<answer>she is helpless</answer>":   "helplessness",
		"<answer>happy</answer>":             "happiness",
		"<answer>happy and angry</answer>":   datasets.Unknown,
		"<answer>disappointment</answer>":    "disappointment",
		"<answer>neither sad nor X</answer>": datasets.Unknown,
	} {
		if o := p.Parse(raw); o.Pred != want {
			t.Errorf("Parse(%q).Pred = %q; want %q", raw, o.Pred, want)
		}
	}
}

func TestRobustLabel(t *testing.T) {
	tests := []struct {
		in, want, norms string
	}{
		{"angry", "angry", ""},
		{"Angry", "angry", "case"},
		{"angry.", "angry", "punct"},
		{" angry ", "angry", "case"},
		{"ANGER!", "angry", "case,punct,synonym"},
		{"the reasoning shows fear", "fear", "extracted"},
		{"None", datasets.Unknown, "case"},
		{"", datasets.Unknown, ""},
	}
	for _, tt := range tests {
		got, n := RobustLabel(datasets.DFEW(), tt.in)
		if got != tt.want || strings.Join(n, ",") != tt.norms {
			t.Errorf("RobustLabel(%q) = %q, %v; want %q, %q", tt.in, got, n, tt.want, tt.norms)
		}
	}
}

func TestDescOrder(t *testing.T) {
	for raw, want := range map[string]Order{
		migrVision:                        OrderVisionFirst,
		migrAudio:                         OrderAudioFirst,
		r1Clean:                           OrderNoDesc,
		"<vis_desc>only vision":           OrderVisionFirst,
		"<aud_desc>only audio</aud_desc>": OrderAudioFirst,
		"</aud_desc><vis_desc>":           OrderVisionFirst, // closing tags do not count
		"<VIS_DESC>x</VIS_DESC>":          OrderNoDesc,
	} {
		if got := DescOrder(raw); got != want {
			t.Errorf("DescOrder(%q) = %q; want %q", raw, got, want)
		}
	}
}

func TestJudgeText(t *testing.T) {
	raw := "<vis_desc>Tears.</vis_desc>\n<aud_desc>Sobbing.</aud_desc>\n<think>She is\ncrying.</think><answer>sad</answer>"
	migr := NewParser(datasets.DFEW(), ProtocolMigr)
	robust := NewParser(datasets.DFEW(), ProtocolRobust)
	tests := []struct {
		p          *Parser
		mode, want string
	}{
		{migr, InputThink, "She is crying."},
		{migr, InputThinkDesc, "Tears. Sobbing. She is crying."},
		{migr, InputFull, raw},
		{robust, InputThink, "She is\ncrying."},
		{robust, InputThinkDesc, "Tears.\nSobbing.\nShe is\ncrying."},
		{robust, InputFull, raw},
	}
	for _, tt := range tests {
		o := tt.p.Parse(raw)
		if got := tt.p.JudgeText(raw, o, tt.mode); got != tt.want {
			t.Errorf("%s %s: JudgeText = %q; want %q", tt.p.Protocol, tt.mode, got, tt.want)
		}
	}
	// The authors' reason is empty without </think>; their description text stops at a '|'.
	raw = "<vis_desc>a|b</vis_desc><think>cut off"
	o := migr.Parse(raw)
	if got := migr.JudgeText(raw, o, InputThinkDesc); got != "a  " {
		t.Errorf("migr think+desc of a cut output = %q; want %q", got, "a  ")
	}
	if got := robust.JudgeText(raw, robust.Parse(raw), InputThinkDesc); got != "a|b\ncut off" {
		t.Errorf("robust think+desc of a cut output = %q", got)
	}
}

func TestCheckInputAndProtocol(t *testing.T) {
	for _, m := range []string{InputThink, InputThinkDesc, InputFull} {
		if err := CheckInput(m); err != nil {
			t.Errorf("CheckInput(%q) = %v", m, err)
		}
	}
	if CheckInput("thinking") == nil {
		t.Error("CheckInput accepted an unknown mode")
	}
	for _, s := range []string{"migr", "robust"} {
		if p, err := ParseProtocol(s); err != nil || string(p) != s {
			t.Errorf("ParseProtocol(%q) = %q, %v", s, p, err)
		}
	}
	if _, err := ParseProtocol("MIGR"); err == nil {
		t.Error("ParseProtocol accepted MIGR")
	}
}
