package openai

import (
	"testing"

	"github.com/emoeval/emoeval/eval/chat"
)

func TestRawOutputRestoresSeparatedReasoning(t *testing.T) {
	cases := []struct {
		resp chat.Response
		want string
	}{
		{chat.Response{Text: "<answer>sad</answer>", Reasoning: "She cries."}, "<think>She cries.</think><answer>sad</answer>"},
		{chat.Response{Text: "<think>a</think><answer>sad</answer>", Reasoning: "b"}, "<think>a</think><answer>sad</answer>"},
		{chat.Response{Text: "<answer>sad</answer>"}, "<answer>sad</answer>"},
	}
	for _, tc := range cases {
		if got := rawOutput(tc.resp); got != tc.want {
			t.Errorf("rawOutput(%+v) = %q, want %q", tc.resp, got, tc.want)
		}
	}
}
